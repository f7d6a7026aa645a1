"""Coming back with the secret code: status and the review team's messages, adding to the
case, and wrong codes limited, audited and locked out."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest

from bot.followup import EVERYONE
from handoff.reporter import ReporterPublic
from handoff.thread import open_message, seal_message
from handoff.workstation import ReviewerPrivateKey
from tests.bot.conftest import NOW, Env
from tests.bot.driver import Talk
from tests.bot.test_paths import ANONYMOUS

_CODE = re.compile(r"\d{4} \d{4} \d{4} \d{4}")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


async def _report(env: Env, chat: str = "reporter") -> tuple[str, str]:
    """A sealed report: its reference and secret code, as the closing showed them."""
    talk = Talk(env.app.conversations, chat)
    await talk.until("review", ANONYMOUS)
    sealed = await talk.send("confirm")
    assert sealed.reference is not None
    found = _CODE.search(talk.text)
    assert found is not None
    return sealed.reference, found.group(0)


async def _ask(env: Env, key: ReviewerPrivateKey, reference: str, text: str) -> None:
    """A reviewer's question, sealed as the workstation seals it, kept by the server."""
    thread = await env.app.store.thread(reference)
    assert thread is not None
    assert thread.reporter_public is not None
    records = await env.app.store.reviewer_keys()
    reporter = ReporterPublic.from_bytes(thread.reporter_public)
    envelope = seal_message(
        text, [*records, reporter], reference=reference, direction="to_reporter", written_at=NOW
    )
    await env.app.store.add_reviewer_message(reference, key.key_id, envelope, NOW)


async def test_the_closing_says_how_to_come_back_and_for_how_long(env: Env) -> None:
    talk = Talk(env.app.conversations)
    await talk.until("review", ANONYMOUS)
    await talk.send("confirm")
    assert "type receipt here or on our web chat" in talk.text
    assert "if you do not use it for 90 days" in talk.text


async def test_a_reporter_reads_the_question_and_adds_an_answer_sealed_to_reviewers(
    env: Env,
) -> None:
    reference, code = await _report(env)
    await _ask(env, env.key, reference, "Which station was it? canary-q-51")
    talk = Talk(env.app.conversations, "somewhere-else")  # any chat, any channel
    await talk.send("/receipt")
    assert talk.step == "receipt"
    typed = code.replace(" ", "-").translate(ARABIC_INDIC)
    shown = await talk.send(typed, message_id="code-1")
    assert f"Your report {reference} has arrived" in talk.text
    assert "Which station was it? canary-q-51" in talk.text
    assert "keeps working for 90 days after you last use it" in talk.text
    assert talk.step == "more"
    # Delivered again, the turn is answered from the ledger, which never kept the message.
    again = await talk.send(typed, message_id="code-1")
    assert "canary-q-51" not in "\n".join(r.text for r in again.replies)
    assert [r.text for r in again.replies if not r.sensitive] == [
        r.text for r in shown.replies if not r.sensitive
    ]
    await talk.send("Brixton station, canary-a-77")
    await talk.send("skip")
    assert talk.step == "check"
    await talk.send("confirm")
    assert talk.last is not None
    assert talk.last.ended
    assert f"with your report {reference}" in talk.text
    thread = await env.app.store.thread(reference)
    assert thread is not None
    assert [m.direction for m in thread.messages] == ["to_reporter", "from_reporter"]
    assert thread.messages[0].read_at is not None
    assert not thread.unanswered
    answer = open_message(thread.messages[1].envelope, env.key, reference)
    assert answer.text == "Brixton station, canary-a-77"


async def test_wrong_codes_wait_then_lock_out_and_are_audited_without_content(env: Env) -> None:
    reference, code = await _report(env)
    talk = Talk(env.app.conversations, "guesser")
    await talk.send("receipt")
    for n in range(3):
        await talk.send(f"0000 0000 0000 000{n}")
        assert "does not open a report" in talk.text
    assert "Please wait 1 minutes" in talk.text
    await talk.send(code)  # the right code, but too soon: not even checked
    assert "Please wait" in talk.text
    assert reference not in talk.text
    for n in range(3, 10):
        env.clock.now += timedelta(hours=1)
        await talk.send(f"0000 0000 0000 000{n}")
    env.clock.now += timedelta(hours=1)
    await talk.send(code)
    assert "Please wait" in talk.text, "ten wrong codes in a day lock the chat out"
    assert reference not in talk.text
    entries = await env.app.store.audit_log()
    failed = [e for e in entries if e.event == "receipt_failed"]
    assert len(failed) == 10
    assert all(e.reference is None and e.actor is None for e in failed)
    # Another chat is not locked out: the limit for everyone is far higher.
    other = Talk(env.app.conversations, "the-reporter")
    await other.send("receipt")
    await other.send(code)
    assert reference in other.text
    everyone = await env.app.store.receipt_attempts(EVERYONE)
    assert everyone is not None


async def test_a_reference_or_words_at_the_code_question_open_nothing(env: Env) -> None:
    reference, _code = await _report(env)
    talk = Talk(env.app.conversations, "guesser")
    await talk.send("receipt")
    await talk.send(reference)
    assert "That is not a secret code" in talk.text
    assert talk.step == "receipt"
    await talk.send("help")
    assert "It looks like 1234 5678 9012 3456" in talk.text


async def test_receipt_in_the_middle_of_a_report_keeps_the_report(env: Env) -> None:
    talk = Talk(env.app.conversations)
    await talk.until("category", ANONYMOUS)
    await talk.send("receipt")
    assert "You have a report that is not sent yet" in talk.text
    assert talk.step == "category"


async def test_an_unreadable_message_is_said_and_its_case_is_not_logged(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    """A damaged or misfiled message: the reporter is told; the log names no report."""
    reference, code = await _report(env)
    thread = await env.app.store.thread(reference)
    assert thread is not None
    assert thread.reporter_public is not None
    reporter = ReporterPublic.from_bytes(thread.reporter_public)
    records = await env.app.store.reviewer_keys()
    misfiled = seal_message(
        "canary-m-12",
        [*records, reporter],
        reference="TL-0000-0000",
        direction="to_reporter",
        written_at=NOW,
    )
    await env.app.store.add_reviewer_message(reference, env.key.key_id, misfiled, NOW)
    caplog.set_level(logging.DEBUG)
    talk = Talk(env.app.conversations, "elsewhere")
    await talk.send("receipt")
    await talk.send(code)
    assert "could not be opened" in talk.text
    assert "canary-m-12" not in talk.text
    logged = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    assert reference not in logged
    assert "TL-0000-0000" not in logged
