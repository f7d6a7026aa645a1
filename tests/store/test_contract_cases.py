"""The Store contract for reviewers' work: who may act, statuses, holds, notes, deletion,
accounts and logins. Every change must replay from the audit log (handoff.cases)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from handoff import CaseState, compare, replay, verify_chain
from locales.errors import QueueError, StoreError
from store import ReviewerKey, Store
from tests.store.conftest import NOW, conversation_id, sealed_report, turn

LEASE = timedelta(minutes=30)


async def _seal(store: Store, n: int, reference: str, recipients: tuple[str, ...]) -> None:
    report = sealed_report(reference, sealed_at=NOW - timedelta(hours=n), recipients=recipients)
    await store.commit_turn(turn(conversation_id(n), n, draft=None, sealed=report), NOW)


async def _replays(store: Store) -> None:
    """The queue is exactly what the audit log replays to, and the chain is intact."""
    entries = await store.audit_log()
    expected, problems = replay(entries)
    actual = [
        CaseState(r.reference, r.status, r.claimed_by, r.case_status, r.referred_to, r.outcome,
                  r.held)
        for r in await store.report_states(None, 1000)
    ]  # fmt: skip
    assert verify_chain(entries) + problems + compare(expected, actual) == []


def _key(key_id: str, *, demo: bool = False, verify: bytes | None = b"v" * 32) -> ReviewerKey:
    return ReviewerKey(key_id, b"m" * 1184, b"x" * 32, key_id, NOW, verify_key=verify, demo=demo)


async def test_a_reviewer_only_claims_and_lists_reports_sealed_to_them(store: Store) -> None:
    await _seal(store, 1, "TL-A", ("k1",))
    await _seal(store, 2, "TL-B", ("k2",))
    assert await store.claim("k3", NOW, NOW + LEASE) is None
    claimed = await store.claim("k2", NOW, NOW + LEASE)
    assert claimed is not None
    assert claimed.reference == "TL-B"
    assert [r.reference for r in await store.queue_page("k1", None, 10)] == ["TL-A"]
    assert await store.fetch("TL-A", "k2") is None
    fetched = await store.fetch("TL-A", "k1")
    assert fetched is not None
    assert fetched.envelope == b"env"
    await _replays(store)


async def test_a_case_moves_through_its_statuses_audited(store: Store) -> None:
    await _seal(store, 1, "TL-A", ("k1", "k2"))
    await store.claim("k1", NOW, NOW + LEASE)
    later = NOW + timedelta(minutes=1)  # inside k1's lease
    acknowledged = await store.set_status("TL-A", "k1", "acknowledged", None, later)
    assert (acknowledged.case_status, acknowledged.acknowledged_at) == ("acknowledged", later)
    with pytest.raises(QueueError, match="claimed by another reviewer"):
        await store.set_status("TL-A", "k2", "in_review", None, later)
    await store.set_status("TL-A", "k1", "referred", "iopc", later)
    closed = await store.set_status("TL-A", "k1", "closed", "action_taken", later)
    assert (closed.referred_to, closed.outcome, closed.closed_at) == ("iopc", "action_taken", later)
    assert closed.acknowledged_at == later, "the first acknowledgement is kept"
    await store.finish("TL-A", "k1", later)
    events = [e.event for e in await store.audit_log()][-4:]
    assert events == ["status:acknowledged", "status:referred:iopc", "status:closed:action_taken",
                      "done"]  # fmt: skip
    await _replays(store)


async def test_only_the_recipients_act_on_a_report(store: Store) -> None:
    await _seal(store, 1, "TL-A", ("k1",))
    for act in (
        store.set_status("TL-A", "k9", "acknowledged", None, NOW),
        store.set_hold("TL-A", "k9", True, NOW),
        store.add_note("TL-A", "k9", b"sealed", NOW),
        store.delete_report("TL-A", "k9", NOW),
        store.set_status("TL-NONE", "k1", "acknowledged", None, NOW),
    ):
        with pytest.raises(QueueError):
            await act
    assert [e.event for e in await store.audit_log()] == ["seal"]


async def test_retention_deletes_closed_reports_unless_held(store: Store) -> None:
    for n, ref in enumerate(("TL-A", "TL-B", "TL-C"), 1):
        await _seal(store, n, ref, ("k1",))
    await store.set_status("TL-A", "k1", "closed", "spam", NOW)
    await store.set_status("TL-B", "k1", "closed", "spam", NOW)
    await store.set_hold("TL-B", "k1", True, NOW)
    await store.add_note("TL-A", "k1", b"note-ciphertext", NOW)
    assert await store.delete_closed(NOW, NOW) == 0, "closed at NOW is not before NOW"
    assert await store.delete_closed(NOW + timedelta(seconds=1), NOW) == 1
    assert [r.reference for r in await store.report_states(None, 10)] == ["TL-B", "TL-C"]
    assert await store.notes("TL-A") == []
    (deleted,) = [e for e in await store.audit_log() if e.event == "deleted"]
    assert (deleted.reference, deleted.actor) == ("TL-A", "retention")
    with pytest.raises(QueueError, match="held"):
        await store.delete_report("TL-B", "k1", NOW)
    with pytest.raises(QueueError, match="received"):
        await store.delete_report("TL-C", "k1", NOW)
    await store.set_hold("TL-B", "k1", False, NOW)
    await store.delete_report("TL-B", "k1", NOW)
    await _replays(store)


async def test_notes_are_kept_as_given_with_their_author(store: Store) -> None:
    await _seal(store, 1, "TL-A", ("k1", "k2"))
    first = await store.add_note("TL-A", "k1", b"sealed-1", NOW)
    await store.add_note("TL-A", "k2", b"sealed-2", NOW)
    notes = await store.notes("TL-A")
    assert [(n.author, n.envelope) for n in notes] == [("k1", b"sealed-1"), ("k2", b"sealed-2")]
    assert notes[0] == first
    await _replays(store)


async def test_queue_pages_follow_claim_order(store: Store) -> None:
    for n in range(1, 6):
        report = sealed_report(f"TL-{n}", priority=n % 2, sealed_at=NOW - timedelta(hours=n))
        await store.commit_turn(turn(conversation_id(n), n, draft=None, sealed=report), NOW)
    first = await store.queue_page("k1", None, 2)
    second = await store.queue_page("k1", first[-1].reference, 2)
    third = await store.queue_page("k1", second[-1].reference, 2)
    order = [r.reference for r in first + second + third]
    assert order == ["TL-5", "TL-3", "TL-1", "TL-4", "TL-2"]
    assert all(r.envelope == b"" for r in first)
    states = await store.report_states("TL-2", 2)
    assert [r.reference for r in states] == ["TL-3", "TL-4"]


async def test_a_real_key_retires_the_demo_key_in_the_same_transaction(store: Store) -> None:
    assert await store.add_reviewer_key(_key("demo", demo=True), NOW) == []
    assert await store.add_reviewer_key(_key("k1"), NOW) == ["demo"]
    assert [k.key_id for k in await store.reviewer_keys()] == ["k1"]
    (demo,) = [k for k in await store.reviewer_keys(active_only=False) if k.demo]
    assert (demo.active, demo.retired_at) == (False, NOW)
    events = [(e.event, e.actor) for e in await store.audit_log()]
    assert events[-2:] == [("key_registered", "k1"), ("key_retired", "demo")]


async def test_a_key_from_before_logins_is_completed_once(store: Store) -> None:
    await store.add_reviewer_key(_key("k1", verify=None), NOW)
    await store.add_reviewer_key(_key("k1", verify=b"w" * 32), NOW, b"totp")
    record = await store.login_record("k1")
    assert record is not None
    assert (record.key.verify_key, record.totp_secret) == (b"w" * 32, b"totp")
    with pytest.raises(StoreError, match="already registered"):
        await store.add_reviewer_key(_key("k1"), NOW)


async def test_logins_use_each_totp_step_once_and_retiring_ends_sessions(store: Store) -> None:
    await store.add_reviewer_key(_key("k1"), NOW, b"totp")
    until = NOW + timedelta(hours=8)
    assert await store.record_login("k1", 100, b"t1", until, NOW)
    assert not await store.record_login("k1", 100, b"t2", until, NOW), "a code is good once"
    assert not await store.record_login("k1", 99, b"t2", until, NOW)
    assert await store.session(b"t1", NOW) == "k1"
    assert await store.session(b"t2", NOW) is None
    assert await store.session(b"t1", until) is None, "expired"
    await store.record_login_failure("k1", NOW)
    retired = await store.retire_reviewer("k1", NOW)
    assert not retired.active
    assert await store.session(b"t1", NOW) is None
    assert await store.login_record("k1") is None
    assert not await store.record_login("k1", 200, b"t3", until, NOW)
    with pytest.raises(StoreError, match="already retired"):
        await store.retire_reviewer("k1", NOW)
    events = [e.event for e in await store.audit_log()]
    assert events == ["key_registered", "login", "login_failed", "key_retired"]


async def test_a_retired_key_no_longer_receives_reports_in_the_key_list(store: Store) -> None:
    await store.add_reviewer_key(_key("k1"), NOW)
    await store.add_reviewer_key(_key("k2"), NOW)
    await store.retire_reviewer("k1", NOW)
    assert [k.key_id for k in await store.reviewer_keys()] == ["k2"]
    assert replace(_key("k2")) in await store.reviewer_keys()


async def test_a_finished_report_leaves_the_queue_page_but_not_the_whole_list(
    store: Store,
) -> None:
    for n in (1, 2, 3):
        await _seal(store, n, f"TL-{n}", ("k1",))
    claimed = await store.claim("k1", NOW, NOW + LEASE)
    assert claimed is not None
    await store.set_status(claimed.reference, "k1", "closed", "spam", NOW)
    await store.finish(claimed.reference, "k1", NOW)
    open_page = [r.reference for r in await store.queue_page("k1", None, 10)]
    assert claimed.reference not in open_page
    assert len(open_page) == 2
    every = await store.queue_page("k1", None, 2, open_only=False)
    rest = await store.queue_page("k1", every[-1].reference, 2, open_only=False)
    assert [r.reference for r in every + rest] == ["TL-1", "TL-2", "TL-3"]
    assert await store.queue_page("k2", None, 10, open_only=False) == []
