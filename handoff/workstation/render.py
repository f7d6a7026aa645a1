"""A decrypted report for a reviewer's terminal (text) or tools (JSON).

Reporter text is neutralised, never interpreted: control characters and bidi
overrides are shown escaped, so nothing a reporter typed can rewrite the
reviewer's terminal or flip the order of what it shows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from handoff.workstation.queue import OpenedReport

__all__ = ["render_json", "render_notes", "render_text"]

# Characters a reporter could use to rewrite the reviewer's terminal or to flip
# the visual order of text: C0/C1 controls (except newline and tab) and the
# explicit bidi embeddings, overrides and isolates.
_UNSAFE_CODES = [c for c in range(0xA0) if (c < 0x20 or c >= 0x7F) and c not in (0x09, 0x0A)]
_UNSAFE = {
    c: f"\\u{c:04x}" for c in [*_UNSAFE_CODES, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
}
_INDENT = "    "


def _safe(text: str) -> str:
    return text.translate(_UNSAFE)


def _display(answer: dict[str, Any]) -> str:
    display = answer.get("display")
    if isinstance(display, str):
        return display
    return json.dumps(answer.get("value"), ensure_ascii=False)


def render_text(opened: OpenedReport, saved: list[Path] | None = None) -> str:
    """A plain-text rendering for a terminal; reporter text is neutralised, never interpreted.

    `saved` are the paths the files were saved to (None: not saved).
    """
    report = opened.report
    script = report.get("script") or {}
    urgent = "  [URGENT]" if opened.priority else ""
    lines = [
        f"Report {_safe(opened.reference)}{urgent}",
        f"Sealed:   {opened.sealed_at.isoformat(sep=' ', timespec='seconds')}",
        f"Language: {_safe(str(report.get('locale', '?')))}",
        f"Script:   {_safe(str(script.get('id', '?')))} v{_safe(str(script.get('version', '?')))}",
    ]
    if report.get("flags"):
        lines.append("Flags:    " + ", ".join(_safe(str(f)) for f in report["flags"]))
    if report.get("confirmed_at"):
        lines.append(f"Confirmed: {_safe(str(report['confirmed_at']))}")
    lines.append("")
    for answer in report.get("answers", []):
        label = _safe(str(answer.get("summary") or answer.get("step") or "?"))
        body = _safe(_display(answer)).splitlines() or [""]
        if len(body) == 1:
            lines.append(f"{label}: {body[0]}")
        else:
            lines.append(f"{label}:")
            lines.extend(f"{_INDENT}{line}" if line else "" for line in body)
        typed = answer.get("typed")
        if isinstance(typed, str):
            lines.append(f"{_INDENT}in their words: {_safe(typed)}")
    for switch in report.get("languages") or []:
        if isinstance(switch, dict):
            moved = f"{switch.get('from')} -> {switch.get('to')} at {switch.get('step')}"
            lines.append(f"Language switched: {_safe(moved)}")
    lines += _files_text(opened, saved)
    return "\n".join(lines) + "\n"


def _files_text(opened: OpenedReport, saved: list[Path] | None) -> list[str]:
    lines = []
    missing = opened.report.get("attachments_missing")
    if opened.files:
        lines += ["", f"Files: {len(opened.files)}"]
        for item in opened.files:
            where = f"  -> {_safe(str(saved[item.number - 1]))}" if saved else ""
            lines.append(
                f"{_INDENT}{item.number}. {_safe(item.media_type)}, {_size(item.size)},"
                f" sha256 {item.sha256[:16]}…{where}"
            )
        if not saved:
            lines.append(
                f"{_INDENT}Not saved. To save them: tipline review open {opened.reference}"
                " --key KEYFILE --save-files DIR"
            )
        lines.append(
            f"{_INDENT}Photos were cleaned of EXIF/GPS; other files are exactly as sent,"
            " metadata included."
        )
    if isinstance(missing, int) and missing > 0:
        lines.append(f"WARNING: {missing} file(s) the reporter sent could not be sealed.")
    return lines


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 2**20:
        return f"{size / 1024:.0f} KB"
    return f"{size / 2**20:.1f} MB"


def render_json(opened: OpenedReport, saved: list[Path] | None = None) -> str:
    """The report as JSON for tools: the envelope's metadata, the report, the files."""
    document = {
        "reference": opened.reference,
        "priority": opened.priority,
        "sealed_at": opened.sealed_at.isoformat(),
        "report": opened.report,
        "files": [
            {
                "number": f.number,
                "media_type": f.media_type,
                "size": f.size,
                "sha256": f.sha256,
                "saved_as": str(saved[f.number - 1]) if saved else None,
            }
            for f in opened.files
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_notes(notes: list[tuple[str, str, str]]) -> str:
    """Reviewers' notes (author key id, when, text), neutralised like reporter text."""
    if not notes:
        return ""
    lines = ["", f"Notes: {len(notes)}"]
    for author, at, text in notes:
        lines.append(f"{_INDENT}{_safe(at)} {_safe(author)}:")
        lines.extend(f"{_INDENT * 2}{line}" for line in _safe(text).splitlines())
    return "\n".join(lines) + "\n"
