"""Rendering a decrypted report for the reviewer's terminal and tools."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from handoff.workstation import OpenedReport, render_json, render_text
from handoff.workstation.render import render_notes

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _report(
    reference: str, *, urgent: bool = False, what: str = "He took the money."
) -> dict[str, Any]:
    return {
        "format": 1,
        "reference": reference,
        "script": {"id": "police-misconduct", "version": "3"},
        "locale": "en",
        "flags": ["urgent"] if urgent else [],
        "confirmed_at": "2026-03-01T08:59:00+00:00",
        "answers": [
            {
                "step": "category",
                "kind": "choice",
                "question": "What is it about?",
                "summary": "Category",
                "value": "money",
                "display": "Information or influence traded for money or favours",
            },
            {
                "step": "what_happened",
                "kind": "text",
                "question": "Tell us what happened.",
                "summary": "What happened",
                "value": what,
                "display": what,
            },
        ],
    }


def _opened(**report_changes: Any) -> OpenedReport:
    report = _report("TL-AAAA-AAAA", urgent=True) | report_changes
    return OpenedReport("TL-AAAA-AAAA", 1, T0, report)


def test_render_text_shows_header_and_indents_multiline_answers() -> None:
    opened = _opened()
    opened.report["answers"][1]["display"] = "First line\nSecond line"
    text = render_text(opened)
    lines = text.splitlines()
    assert lines[0] == "Report TL-AAAA-AAAA  [URGENT]"
    assert "Sealed:   2026-03-01 09:00:00+00:00" in lines
    assert "Language: en" in lines
    assert "Script:   police-misconduct v3" in lines
    assert "Category: Information or influence traded for money or favours" in lines
    i = lines.index("What happened:")
    assert lines[i + 1 : i + 3] == ["    First line", "    Second line"]


def test_render_text_shows_the_reporters_own_words_and_language_switches() -> None:
    opened = _opened()
    opened.report["answers"][0]["typed"] = "łapówka"
    opened.report["languages"] = [{"from": "en", "to": "pl", "step": "what_happened"}]
    lines = render_text(opened).splitlines()
    i = lines.index("Category: Information or influence traded for money or favours")
    assert lines[i + 1] == "    in their words: łapówka"
    assert "Language switched: en -> pl at what_happened" in lines


def test_render_text_has_no_urgent_marker_for_normal_reports() -> None:
    opened = OpenedReport("TL-AAAA-AAAA", 0, T0, _report("TL-AAAA-AAAA"))
    assert "URGENT" not in render_text(opened)


def test_render_text_neutralises_terminal_escapes_and_bidi_overrides() -> None:
    """A reporter cannot clear the reviewer's screen or reverse displayed text."""
    opened = _opened()
    opened.report["answers"][1]["display"] = "ok\x1b[2J\x07 \u202egnp.exe\r"
    text = render_text(opened)
    for raw in ("\x1b", "\x07", "\u202e", "\r"):
        assert raw not in text
    assert "ok\\u001b[2J\\u0007 \\u202egnp.exe\\u000d" in text


def test_render_json_round_trips_the_report() -> None:
    opened = _opened()
    document = json.loads(render_json(opened))
    assert document == {
        "reference": "TL-AAAA-AAAA",
        "priority": 1,
        "sealed_at": "2026-03-01T09:00:00+00:00",
        "report": opened.report,
        "files": [],
    }


def test_notes_are_shown_with_author_and_time_neutralised() -> None:
    text = render_notes([("a1b2c3d4e5f60718", "2026-03-02T10:00+00:00", "Rang\nthe \x1b[2JPSD")])
    assert text.splitlines() == [
        "",
        "Notes: 1",
        "    2026-03-02T10:00+00:00 a1b2c3d4e5f60718:",
        "        Rang",
        "        the \\u001b[2JPSD",
    ]
    assert render_notes([]) == ""
