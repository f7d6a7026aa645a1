"""The Store contract for follow-up: the case a receipt opens (until it expires), the sealed
thread both ways with its read and unanswered state, and counting wrong receipts."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta

import pytest

from handoff import replay, verify_chain
from locales.errors import QueueError
from store import Store, ThreadAddition
from tests.store.conftest import NOW, conversation_id, sealed_report, turn

PUBLIC = b"p" * 1216
TTL = timedelta(days=90)
DAY = timedelta(days=1)


def _receipt(reference: str) -> bytes:
    return hashlib.sha256(b"receipt:" + reference.encode()).digest()  # as sealed_report makes it


async def _seal(
    store: Store, reference: str = "TL-A", public: bytes | None = PUBLIC, n: int = 1
) -> None:
    report = replace(sealed_report(reference, recipients=("k1", "k2")), reporter_public=public)
    await store.commit_turn(turn(conversation_id(n), n, draft=None, sealed=report), NOW)


async def test_a_receipt_opens_its_case_until_it_lies_unused_past_the_ttl(store: Store) -> None:
    await _seal(store)
    case = await store.followup_case(_receipt("TL-A"), NOW - TTL)
    assert case is not None
    assert (case.reference, case.case_status, case.reporter_public) == ("TL-A", "received", PUBLIC)
    assert await store.followup_case(b"x" * 32, NOW - TTL) is None
    later = NOW + TTL + DAY
    assert await store.followup_case(_receipt("TL-A"), later - TTL) is None  # expired unused
    # Used within the TTL: it lasts TTL days from that use.
    await store.reporter_returned("TL-A", NOW + 30 * DAY)
    assert await store.followup_case(_receipt("TL-A"), later - TTL) is not None


async def test_a_reviewers_question_is_read_by_the_reporter_and_answered(store: Store) -> None:
    await _seal(store)
    asked = await store.add_reviewer_message("TL-A", "k1", b"sealed-question", NOW)
    assert asked.created_at == NOW.replace(second=0)
    [page] = await store.queue_page("k1", None, 10)
    assert page.unanswered
    shown = await store.reporter_returned("TL-A", NOW + timedelta(minutes=5, seconds=7))
    assert [m.envelope for m in shown] == [b"sealed-question"]
    thread = await store.thread("TL-A")
    assert thread is not None
    assert thread.reporter_public == PUBLIC
    [question] = thread.messages
    assert question.read_at == NOW + timedelta(minutes=5)  # to the minute
    assert thread.unanswered
    addition = ThreadAddition("TL-A", b"sealed-answer", NOW + timedelta(minutes=6))
    await store.commit_turn(
        replace(turn(conversation_id(2), 2, draft=None), addition=addition), NOW
    )
    thread = await store.thread("TL-A")
    assert thread is not None
    assert [(m.direction, m.author, m.envelope) for m in thread.messages] == [
        ("to_reporter", "k1", b"sealed-question"),
        ("from_reporter", None, b"sealed-answer"),
    ]
    assert not thread.unanswered
    [page] = await store.queue_page("k1", None, 10)
    assert not page.unanswered
    entries = await store.audit_log()
    assert [e.event for e in entries][-2:] == ["message:to_reporter", "message:from_reporter"]
    assert verify_chain(entries) == []
    assert replay(entries)[1] == []


async def test_only_a_recipient_writes_and_only_to_a_case_with_a_reporter_key(
    store: Store,
) -> None:
    await _seal(store)
    await _seal(store, "TL-OLD", public=None, n=2)
    with pytest.raises(QueueError):
        await store.add_reviewer_message("TL-A", "k9", b"q", NOW)
    with pytest.raises(QueueError, match="before replies existed"):
        await store.add_reviewer_message("TL-OLD", "k1", b"q", NOW)
    assert await store.thread("TL-NONE") is None


async def test_retention_deletes_the_thread_and_the_receipt_with_the_case(store: Store) -> None:
    await _seal(store)
    await store.add_reviewer_message("TL-A", "k1", b"q", NOW)
    await store.set_status("TL-A", "k1", "closed", "spam", NOW)
    assert await store.delete_closed(NOW + DAY, NOW + DAY) == 1
    assert await store.thread("TL-A") is None
    assert await store.followup_case(_receipt("TL-A"), NOW - TTL) is None


async def test_wrong_receipts_are_counted_per_scope_in_a_window_and_audited(
    store: Store,
) -> None:
    me, everyone = conversation_id(1), b""
    windows = {me: DAY, everyone: timedelta(hours=1)}
    await store.record_receipt_failure(windows, NOW)
    counts = await store.record_receipt_failure(windows, NOW + timedelta(minutes=2))
    assert [c.failures for c in counts] == [2, 2]
    late = NOW + timedelta(hours=2)
    mine, all_ = await store.record_receipt_failure(windows, late)
    assert (mine.failures, mine.first_at) == (3, NOW)
    assert (all_.failures, all_.first_at, all_.last_at) == (1, late, late)  # a new window
    entries = await store.audit_log()
    assert [(e.event, e.reference, e.actor) for e in entries] == [
        ("receipt_failed", None, None)
    ] * 3
    await store.clear_receipt_attempts(me)
    assert await store.receipt_attempts(me) is None
    assert await store.receipt_attempts(everyone) is not None
    await store.sweep(late + timedelta(days=8))
    assert await store.receipt_attempts(everyone) is None
