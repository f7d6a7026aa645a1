"""Every path of the shipped script, end to end: the sealed report decrypts to what was said."""

from __future__ import annotations

import re
from typing import Any

from tests.bot.conftest import Env
from tests.bot.driver import Talk

ANONYMOUS = {
    "danger": "no",
    "what_happened": "He stopped my car twice and said it would go away for £200.",
    "category": "1",
    "who_role": "police officer",
    "force": "the met",
    "officer_name": "PC Dawson",
    "rank": "constable",
    "number": "MD 4471",
    "station": "Brixton",
    "description": "Tall, grey beard",
    "when": "12/03",
    "where": "Acre Lane, near the bus stop",
    "how_contact": "in person",
    "duty": "on duty",
    "how_know": "it happened to me",
    "at_risk": "no",
    "reported_before": "no",
    "evidence": "Texts from his personal phone",
    "evidence_files": "done",
    "anonymity": "1",
}


def answers(report: dict[str, Any]) -> dict[str, Any]:
    return {a["step"]: a["value"] for a in report["answers"]}


def readback_number(text: str, summary: str) -> str:
    found = re.search(rf"^(\d+)\. {re.escape(summary)}:", text, re.MULTILINE)
    assert found, f"{summary!r} not in the read-back"
    return found.group(1)


async def test_anonymous_report_decrypts_to_exactly_the_answers(env: Env) -> None:
    talk = Talk(env.app.conversations)
    out = await talk.until(None, ANONYMOUS)
    assert out.reference is not None
    assert re.fullmatch(r"TL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", out.reference)
    closing = talk.text
    assert "Your report is sent and locked" in closing
    assert re.search(r"\b\d{4} \d{4} \d{4} \d{4}\b", closing), "a 16-digit receipt is shown"

    [report] = await env.reports()
    got = answers(report)
    assert report["reference"] == out.reference
    assert report["flags"] == []
    assert got["what_happened"] == ANONYMOUS["what_happened"]
    assert got["category"] == "money"
    assert got["force"] == {"text": "the met", "match": "Metropolitan Police Service"}
    assert got["officer_name"] == "PC Dawson"
    assert got["number"] == "MD 4471"
    assert got["when"]["date"] == "2026-03-12"
    assert got["anonymity"] == "anonymous"
    assert not {"contact_name", "contact_how", "safe_times", "leave_message"} & got.keys()
    assert [row.priority for row in await env.app.store.queue()] == [0]
    assert await env.app.store.count_drafts() == 0, "the draft is deleted once sealed"


async def test_report_with_contact_details_keeps_how_to_reach_them(env: Env) -> None:
    talk = Talk(env.app.conversations)
    script = {
        **ANONYMOUS,
        "anonymity": "2",
        "contact_name": "Sam",
        "contact_how": "sam.reporter@example.org",
        "safe_times": "Weekdays after 6pm, text first",
        "leave_message": "no",
    }
    await talk.until(None, script)
    got = answers((await env.reports())[0])
    assert got["anonymity"] == "contact"
    assert got["contact_name"] == "Sam"
    assert got["contact_how"] == {"type": "email", "value": "sam.reporter@example.org"}
    assert got["safe_times"] == "Weekdays after 6pm, text first"
    assert got["leave_message"] == "no"


async def test_danger_gives_999_guidance_then_goes_on_and_the_report_is_urgent(env: Env) -> None:
    talk = Talk(env.app.conversations)
    await talk.until("danger", {})
    await talk.send("yes")
    assert "999" in talk.text
    assert talk.step == "what_happened", "the reporter may go on after the guidance"
    await talk.until(None, {**ANONYMOUS, "danger": "yes"})
    [row] = await env.app.store.queue()
    assert row.priority == 1
    assert (await env.reports())[0]["flags"] == ["urgent"]


async def test_someone_at_risk_asks_who_and_marks_urgent(env: Env) -> None:
    talk = Talk(env.app.conversations)
    script = {**ANONYMOUS, "at_risk": "yes", "at_risk_detail": "His partner, he checks her phone"}
    await talk.until(None, script)
    report = (await env.reports())[0]
    assert report["flags"] == ["urgent"]
    assert answers(report)["at_risk_detail"] == "His partner, he checks her phone"


async def test_dont_know_is_accepted_for_every_identifying_question(env: Env) -> None:
    dont_know = dict.fromkeys(
        (
            "force",
            "officer_name",
            "rank",
            "number",
            "station",
            "description",
            "when",
            "where",
            "how_contact",
            "at_risk",
        ),
        "don't know",
    )
    talk = Talk(env.app.conversations)
    await talk.until(None, {**ANONYMOUS, "who_role": "don't know", **dont_know})
    got = answers((await env.reports())[0])
    for step in dont_know:
        assert got[step] == {"unknown": True}, step


async def test_changing_answers_at_the_read_back(env: Env) -> None:
    talk = Talk(env.app.conversations)
    script = {
        **ANONYMOUS,
        "anonymity": "2",
        "contact_name": "Sam",
        "contact_how": "07911 123456",
        "leave_message": "yes",
    }
    await talk.until("review", script)
    assert talk.asked is not None
    assert talk.asked.sensitive, "the read-back is marked sensitive"
    await talk.send(readback_number(talk.text, "Type of report"))
    assert talk.step == "category"
    await talk.send("not sure")
    assert talk.step == "review", "after a change the read-back comes again"
    # Switching to anonymous must drop the contact details already given.
    await talk.send(readback_number(talk.text, "Anonymous or contact"))
    await talk.send("stay anonymous")
    assert talk.step == "review"
    assert "7911" not in talk.text
    await talk.send("confirm")
    got = answers((await env.reports())[0])
    assert got["category"] == "not_sure"
    assert got["anonymity"] == "anonymous"
    assert not {"contact_name", "contact_how", "leave_message"} & got.keys()
