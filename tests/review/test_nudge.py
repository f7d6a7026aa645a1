"""The content-free nudge: only for a reporter who left contact details and agreed to a
message being left, and never a word about the report."""

from __future__ import annotations

from handoff.workstation.thread import NUDGE, nudge_for


def _report(*answers: tuple[str, object]) -> dict[str, object]:
    return {
        "reference": "TL-7KQ2-M9XD",
        "answers": [{"step": step, "value": value} for step, value in answers],
    }


def test_a_reporter_who_agreed_gets_a_nudge_with_nothing_of_the_report() -> None:
    nudge = nudge_for(
        _report(
            ("what_happened", "He took £50."),
            ("contact_how", {"type": "phone", "value": "+447700900123"}),
            ("leave_message", "yes"),
        )
    )
    assert nudge is not None
    assert (nudge.kind, nudge.address, nudge.text) == ("phone", "+447700900123", NUDGE)
    assert nudge.link.startswith("sms:+447700900123?body=Hello.%20There%20is%20a%20new%20message")
    for word in ("TL-", "Tipline", "police", "report", "£50"):
        assert word not in nudge.text


def test_no_nudge_without_consent_or_without_contact_details() -> None:
    email = {"type": "email", "value": "sam@example.org"}
    assert nudge_for(_report(("contact_how", email), ("leave_message", "no"))) is None
    assert nudge_for(_report(("anonymity", "anonymous"))) is None
    agreed = nudge_for(_report(("contact_how", email), ("leave_message", "yes")))
    assert agreed is not None
    assert agreed.link.startswith("mailto:sam@example.org?body=")
