"""The `Store` contract: what every backend must do, run once per backend in BACKENDS.

Written against the public `Store` protocol only (no private modules, no SQL), so a
new backend is tested by adding it to `BACKENDS` in conftest.py.
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import datetime, timedelta

import pytest

from handoff.audit import verify_chain
from locales.errors import ConflictError, QueueError, StoreError
from store import ReviewerKey, Store
from tests.store.conftest import (
    DRAFT_TTL,
    LEDGER_TTL,
    NOW,
    ChainSigner,
    conversation_id,
    ledger_key,
    sealed_report,
    turn,
)

C1, C2 = conversation_id(1), conversation_id(2)
LEASE = timedelta(minutes=30)


async def reply_for(store: Store, conversation: bytes, message: int, now: datetime) -> bytes | None:
    """A message's stored reply as the service finds it: from begin_turn."""
    return (await store.begin_turn(conversation, ledger_key(message), now)).ledger_reply


async def test_committed_turn_is_read_back(store: Store) -> None:
    await store.commit_turn(turn(C1, 1, draft=b"first"), NOW)
    start = await store.begin_turn(C1, ledger_key(2), NOW)
    assert start.ledger_reply is None
    assert start.draft is not None
    assert (start.draft.blob, start.draft.version) == (b"first", 1)
    assert start.draft.expires_at == NOW + DRAFT_TTL


async def test_each_turn_bumps_the_draft_version(store: Store) -> None:
    await store.commit_turn(turn(C1, 1, draft=b"one"), NOW)
    await store.commit_turn(turn(C1, 2, draft=b"two", expected_version=1), NOW)
    start = await store.begin_turn(C1, ledger_key(3), NOW)
    assert start.draft is not None
    assert (start.draft.blob, start.draft.version) == (b"two", 2)


async def test_stale_version_conflicts_and_writes_nothing(store: Store) -> None:
    await store.commit_turn(turn(C1, 1, draft=b"winner"), NOW)
    with pytest.raises(ConflictError):
        await store.commit_turn(turn(C1, 2, draft=b"loser", expected_version=0), NOW)
    start = await store.begin_turn(C1, ledger_key(2), NOW)
    assert start.ledger_reply is None, "the losing turn's ledger row was written"
    assert start.draft is not None
    assert (start.draft.blob, start.draft.version) == (b"winner", 1)


async def test_expecting_a_draft_that_does_not_exist_conflicts(store: Store) -> None:
    with pytest.raises(ConflictError):
        await store.commit_turn(turn(C1, 1, expected_version=3), NOW)
    assert await store.count_drafts() == 0


async def test_duplicate_ledger_key_conflicts_and_writes_nothing(store: Store) -> None:
    await store.commit_turn(turn(C1, 1, draft=b"one", reply=b"first reply"), NOW)
    with pytest.raises(ConflictError):
        await store.commit_turn(turn(C1, 1, draft=b"two", expected_version=1, reply=b"x"), NOW)
    start = await store.begin_turn(C1, ledger_key(1), NOW)
    assert start.ledger_reply == b"first reply"
    assert start.draft is not None
    assert (start.draft.blob, start.draft.version) == (b"one", 1)


async def test_redelivered_message_gets_the_stored_reply(store: Store) -> None:
    await store.commit_turn(turn(C1, 7, reply=b"sealed reply bytes"), NOW)
    start = await store.begin_turn(C1, ledger_key(7), NOW + timedelta(minutes=5))
    assert start.ledger_reply == b"sealed reply bytes"


async def test_expired_ledger_row_reads_as_unseen_and_may_be_rewritten(store: Store) -> None:
    await store.commit_turn(turn(C1, 1, reply=b"old"), NOW)
    later = NOW + LEDGER_TTL
    assert (await store.begin_turn(C1, ledger_key(1), later)).ledger_reply is None
    await store.commit_turn(turn(C1, 1, expected_version=1, reply=b"new", now=later), later)
    assert await reply_for(store, C1, 1, later) == b"new"


async def test_a_handled_message_is_reported_by_begin_turn_before_any_work(store: Store) -> None:
    """The dedupe check comes first: a redelivered message (a second "confirm") gets its
    stored reply from begin_turn, so the service never steps, takes a receipt or seals
    again only for the commit to refuse it."""
    await store.commit_turn(turn(C1, 1, draft=b"one"), NOW)
    await store.commit_turn(turn(C1, 2, draft=b"two", expected_version=1, reply=b"2nd"), NOW)
    start = await store.begin_turn(C1, ledger_key(2), NOW)
    assert start.ledger_reply == b"2nd"
    assert start.draft is not None
    assert (start.draft.blob, start.draft.version) == (b"two", 2)


async def test_a_draft_changed_elsewhere_is_read_by_the_next_turn(
    store: Store, other: Store
) -> None:
    """Two stores on one database (two processes): begin_turn reads what the other wrote."""
    await store.commit_turn(turn(C1, 1, draft=b"one"), NOW)
    await store.commit_turn(turn(C1, 2, draft=b"two", expected_version=1), NOW)
    await other.commit_turn(turn(C1, 3, draft=b"three", expected_version=2), NOW)
    start = await store.begin_turn(C1, ledger_key(4), NOW)
    assert start.draft is not None
    assert (start.draft.blob, start.draft.version) == (b"three", 3)
    with pytest.raises(ConflictError):  # a turn that read version 2 still loses
        await store.commit_turn(turn(C1, 4, draft=b"four", expected_version=2), NOW)


async def test_expired_draft_reads_as_absent_and_is_swept(store: Store) -> None:
    await store.commit_turn(turn(C1, 1), NOW)
    expired = NOW + DRAFT_TTL
    assert (await store.begin_turn(C1, ledger_key(2), expired)).draft is None
    assert await store.count_drafts() == 1
    assert await store.sweep(expired) == 2  # the draft and its (older) ledger row
    assert await store.count_drafts() == 0
    assert (await store.begin_turn(C1, ledger_key(1), NOW)).ledger_reply is None


async def test_sweep_keeps_live_rows(store: Store) -> None:
    await store.commit_turn(turn(C1, 1), NOW)
    assert await store.sweep(NOW + timedelta(hours=1)) == 0
    assert await store.count_drafts() == 1


async def test_new_turn_over_an_expired_draft_starts_fresh(store: Store) -> None:
    await store.commit_turn(turn(C1, 1, draft=b"stale"), NOW)
    later = NOW + DRAFT_TTL
    await store.commit_turn(turn(C1, 2, draft=b"fresh", now=later), later)
    start = await store.begin_turn(C1, ledger_key(3), later)
    assert start.draft is not None
    assert start.draft.blob == b"fresh"


async def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(StoreError):
        await store.begin_turn(C1, ledger_key(1), NOW.replace(tzinfo=None))


async def test_seal_deletes_draft_queues_report_and_audits_together(store: Store) -> None:
    await store.commit_turn(turn(C1, 1), NOW)
    report = sealed_report("REF-1")
    seal = turn(C1, 2, expected_version=1, draft=None, sealed=report, audit_event="seal")
    await store.commit_turn(seal, NOW)
    assert (await store.begin_turn(C1, ledger_key(3), NOW)).draft is None
    [queued] = await store.queue()
    assert (queued.reference, queued.status, queued.envelope) == ("REF-1", "queued", b"env")
    assert queued.sealed_at == NOW
    assert await store.receipt_exists(report.receipt_hash)
    [entry] = await store.audit_log()
    assert (entry.event, entry.reference, entry.actor) == ("seal", "REF-1", None)


async def test_conflicting_seal_leaves_no_queue_row_and_no_audit(store: Store) -> None:
    await store.commit_turn(turn(C1, 1), NOW)
    report = sealed_report("REF-1")
    stale = turn(C1, 2, expected_version=0, draft=None, sealed=report, audit_event="seal")
    with pytest.raises(ConflictError):
        await store.commit_turn(stale, NOW)
    assert await store.queue() == []
    assert await store.audit_log() == []
    assert not await store.receipt_exists(report.receipt_hash)
    assert await store.count_drafts() == 1


async def test_reused_reference_conflicts_and_keeps_the_draft(store: Store) -> None:
    await store.commit_turn(turn(C1, 1, draft=None, sealed=sealed_report("REF-1")), NOW)
    await store.commit_turn(turn(C2, 2), NOW)
    again = sealed_report("REF-1", envelope=b"other")
    with pytest.raises(ConflictError):
        await store.commit_turn(turn(C2, 3, expected_version=1, draft=None, sealed=again), NOW)
    assert await store.count_drafts() == 1
    assert [q.envelope for q in await store.queue()] == [b"env"]


async def test_missing_receipt_is_reported_absent(store: Store) -> None:
    assert not await store.receipt_exists(b"\x00" * 32)


# -- the queue ----------------------------------------------------------------


async def _seal(store: Store, n: int, reference: str, priority: int, age: timedelta) -> None:
    report = sealed_report(reference, priority=priority, sealed_at=NOW - age)
    await store.commit_turn(turn(conversation_id(n), n, draft=None, sealed=report), NOW)


async def test_claim_serves_urgent_first_then_oldest(store: Store) -> None:
    await _seal(store, 1, "normal-old", 0, timedelta(hours=3))
    await _seal(store, 2, "urgent-new", 1, timedelta(hours=1))
    await _seal(store, 3, "normal-new", 0, timedelta(hours=0))
    await _seal(store, 4, "urgent-old", 1, timedelta(hours=2))
    order = []
    while (claimed := await store.claim("rev-a", NOW, NOW + LEASE)) is not None:
        order.append(claimed.reference)
    assert order == ["urgent-old", "urgent-new", "normal-old", "normal-new"]


async def test_claim_takes_a_lease_and_audits_it(store: Store) -> None:
    await _seal(store, 1, "REF-1", 0, timedelta(0))
    claimed = await store.claim("rev-a", NOW, NOW + LEASE)
    assert claimed is not None
    assert (claimed.status, claimed.claimed_by, claimed.lease_until) == (
        "claimed",
        "rev-a",
        NOW + LEASE,
    )
    assert claimed.envelope == b"env"
    [listed] = await store.queue()
    assert listed == claimed
    [sealed, entry] = await store.audit_log()
    assert (sealed.event, sealed.reference) == ("seal", "REF-1")
    assert (entry.event, entry.reference, entry.actor) == ("claim", "REF-1", "rev-a")


async def test_leased_report_is_not_claimed_twice(store: Store) -> None:
    await _seal(store, 1, "REF-1", 0, timedelta(0))
    assert await store.claim("rev-a", NOW, NOW + LEASE) is not None
    assert await store.claim("rev-b", NOW + LEASE, NOW + 2 * LEASE) is None


async def test_expired_lease_returns_the_report_to_the_queue(store: Store) -> None:
    await _seal(store, 1, "REF-1", 0, timedelta(0))
    await store.claim("rev-a", NOW, NOW + LEASE)
    later = NOW + LEASE + timedelta(seconds=1)
    claimed = await store.claim("rev-b", later, later + LEASE)
    assert claimed is not None
    assert (claimed.reference, claimed.claimed_by) == ("REF-1", "rev-b")
    events = [(e.event, e.actor) for e in await store.audit_log()]
    assert events == [
        ("seal", None),
        ("claim", "rev-a"),
        ("lease_expired", "rev-a"),
        ("claim", "rev-b"),
    ]


async def test_sweep_requeues_lapsed_leases_and_audits_them(store: Store) -> None:
    await _seal(store, 1, "REF-1", 0, timedelta(0))
    await store.claim("rev-a", NOW, NOW + LEASE)
    assert await store.sweep(NOW + LEASE + timedelta(seconds=1)) == 1
    [listed] = await store.queue()
    assert (listed.status, listed.claimed_by, listed.lease_until) == ("queued", None, None)
    assert [e.event for e in await store.audit_log()] == ["seal", "claim", "lease_expired"]


async def test_finish_marks_the_report_done(store: Store) -> None:
    await _seal(store, 1, "REF-1", 0, timedelta(0))
    await store.claim("rev-a", NOW, NOW + LEASE)
    await store.finish("REF-1", "rev-a", NOW)
    [listed] = await store.queue()
    assert listed.status == "done"
    assert await store.claim("rev-b", NOW + 3 * LEASE, NOW + 4 * LEASE) is None
    assert [(e.event, e.actor) for e in await store.audit_log()][-1] == ("done", "rev-a")


async def test_release_puts_the_report_back(store: Store) -> None:
    await _seal(store, 1, "REF-1", 0, timedelta(0))
    await store.claim("rev-a", NOW, NOW + LEASE)
    await store.release("REF-1", "rev-a", NOW)
    [listed] = await store.queue()
    assert (listed.status, listed.claimed_by) == ("queued", None)
    claimed = await store.claim("rev-b", NOW, NOW + LEASE)
    assert claimed is not None
    assert claimed.reference == "REF-1"
    assert [e.event for e in await store.audit_log()] == ["seal", "claim", "release", "claim"]


@pytest.mark.parametrize("operation", ["finish", "release"])
async def test_unknown_reference_is_a_queue_error(store: Store, operation: str) -> None:
    with pytest.raises(QueueError) as caught:
        await getattr(store, operation)("NOPE", "rev-a", NOW)
    assert caught.value.reference == "NOPE"


@pytest.mark.parametrize("operation", ["finish", "release"])
async def test_unclaimed_report_is_a_queue_error(store: Store, operation: str) -> None:
    await _seal(store, 1, "REF-1", 0, timedelta(0))
    with pytest.raises(QueueError):
        await getattr(store, operation)("REF-1", None, NOW)
    assert [q.status for q in await store.queue()] == ["queued"]
    assert [e.event for e in await store.audit_log()] == ["seal"]


@pytest.mark.parametrize("operation", ["finish", "release"])
async def test_someone_elses_claim_is_a_queue_error(store: Store, operation: str) -> None:
    await _seal(store, 1, "REF-1", 0, timedelta(0))
    await store.claim("rev-a", NOW, NOW + LEASE)
    with pytest.raises(QueueError):
        await getattr(store, operation)("REF-1", "rev-b", NOW)
    assert [q.claimed_by for q in await store.queue()] == ["rev-a"]
    await getattr(store, operation)("REF-1", None, NOW)  # no reviewer given: no owner check


async def test_finishing_twice_is_a_queue_error(store: Store) -> None:
    await _seal(store, 1, "REF-1", 0, timedelta(0))
    await store.claim("rev-a", NOW, NOW + LEASE)
    await store.finish("REF-1", "rev-a", NOW)
    with pytest.raises(QueueError):
        await store.finish("REF-1", "rev-a", NOW)


# -- reviewer keys, scripts, audit ----------------------------------------------


def _key(key_id: str, active: bool = True) -> ReviewerKey:
    return ReviewerKey(key_id, b"m" * 1184, b"x" * 32, f"label {key_id}", NOW, active)


async def test_reviewer_keys_are_listed_and_registration_is_audited(store: Store) -> None:
    await store.add_reviewer_key(_key("k1"), NOW)
    await store.add_reviewer_key(_key("k0", active=False), NOW)
    assert await store.reviewer_keys() == [_key("k1")]
    assert await store.reviewer_keys(active_only=False) == [_key("k0", False), _key("k1")]
    events = [(e.event, e.actor) for e in await store.audit_log()]
    assert events == [("key_registered", "k1"), ("key_registered", "k0")]


async def test_registering_a_key_id_twice_fails_and_audits_nothing(store: Store) -> None:
    await store.add_reviewer_key(_key("k1"), NOW)
    with pytest.raises(StoreError):
        await store.add_reviewer_key(_key("k1"), NOW)
    assert len(await store.audit_log()) == 1


async def test_scripts_are_kept_by_id_and_version(store: Store) -> None:
    await store.save_script("s", "1", "steps: one")
    await store.save_script("s", "2", "steps: two")
    await store.save_script("s", "1", "steps: one")  # saving again is harmless
    assert await store.load_script("s", "1") == "steps: one"
    assert await store.load_script("s", "2") == "steps: two"
    assert await store.load_script("s", "3") is None


async def test_changing_a_stored_script_version_is_refused(store: Store) -> None:
    await store.save_script("s", "1", "steps: one")
    with pytest.raises(StoreError):
        await store.save_script("s", "1", "steps: edited")
    assert await store.load_script("s", "1") == "steps: one"


async def test_audit_entries_form_a_verifiable_chain(store: Store, signer: ChainSigner) -> None:
    await store.add_reviewer_key(_key("k1"), NOW)
    await _seal(store, 1, "REF-1", 0, timedelta(0))
    await store.commit_turn(turn(C2, 9, draft=None, audit_event="cancel"), NOW)
    await store.claim("k1", NOW, NOW + LEASE)
    await store.release("REF-1", "k1", NOW + timedelta(seconds=1))
    log = await store.audit_log()
    assert [e.seq for e in log] == [1, 2, 3, 4, 5]
    assert log[0].prev_mac == signer.genesis
    for previous, entry in itertools.pairwise(log):
        assert entry.prev_mac == previous.mac
    for e in log:
        assert e.mac == signer(e.seq, e.at, e.event, e.reference, e.actor, e.prev_mac)
    assert log[-1].at == NOW + timedelta(seconds=1)


@pytest.mark.parametrize("signer", [b"\x01" * 32], indirect=True)
async def test_the_chain_starts_at_the_signers_genesis(store: Store, signer: ChainSigner) -> None:
    """The first entry's prev_mac is whatever the injected signer says starts its chain."""
    await store.add_reviewer_key(_key("k1"), NOW)
    await store.add_reviewer_key(_key("k2"), NOW)
    first, second = await store.audit_log()
    assert first.prev_mac == b"\x01" * 32
    assert second.prev_mac == first.mac


# -- concurrency -------------------------------------------------------------------


async def test_200_concurrent_turns_all_commit(store: Store) -> None:
    ids = [conversation_id(n) for n in range(200)]
    await asyncio.gather(
        *(store.commit_turn(turn(c, n, draft=b"d%d" % n), NOW) for n, c in enumerate(ids))
    )
    for n, c in enumerate(ids):
        start = await store.begin_turn(c, ledger_key(n), NOW)
        assert start.ledger_reply == b"reply-ciphertext"
        assert start.draft is not None
        assert (start.draft.blob, start.draft.version) == (b"d%d" % n, 1)


async def test_two_concurrent_turns_on_one_version_exactly_one_conflicts(store: Store) -> None:
    results = await asyncio.gather(
        store.commit_turn(turn(C1, 1, draft=b"a"), NOW),
        store.commit_turn(turn(C1, 2, draft=b"b"), NOW),
        return_exceptions=True,
    )
    assert sum(isinstance(r, ConflictError) for r in results) == 1
    assert results.count(None) == 1
    winner = results.index(None)
    start = await store.begin_turn(C1, ledger_key(2 - winner), NOW)
    assert start.ledger_reply is None, "the losing turn's ledger row was written"
    assert start.draft is not None
    assert (start.draft.blob, start.draft.version) == ([b"a", b"b"][winner], 1)


async def test_a_conflicting_turn_does_not_sink_the_others(store: Store) -> None:
    await store.commit_turn(turn(C1, 1000), NOW)
    others = [turn(conversation_id(n), n) for n in range(10, 30)]
    duplicate = turn(C1, 1000, expected_version=1)  # redelivered message: same ledger key
    results = await asyncio.gather(
        *(store.commit_turn(t, NOW) for t in [*others[:10], duplicate, *others[10:]]),
        return_exceptions=True,
    )
    assert isinstance(results[10], ConflictError)
    assert [r for i, r in enumerate(results) if i != 10] == [None] * 20
    assert await store.count_drafts() == 21


async def test_close_lets_pending_turns_commit(store: Store, other: Store) -> None:
    # gather starts the turns first, in order, so close() finds them pending.
    turns = [store.commit_turn(turn(conversation_id(n), n), NOW) for n in range(20)]
    results = await asyncio.gather(*turns, store.close())
    assert results == [None] * 21
    assert await other.count_drafts() == 20


async def test_a_closed_store_refuses_work(store: Store) -> None:
    await store.close()
    with pytest.raises(StoreError):
        await store.commit_turn(turn(C1, 1), NOW)
    with pytest.raises(StoreError):
        await store.begin_turn(C1, ledger_key(1), NOW)
    with pytest.raises(StoreError):
        await store.audit_log()


async def test_audit_entries_from_two_stores_on_one_database_chain(
    store: Store, other: Store
) -> None:
    """Another process appends to the audit log between two seals of this one: the
    chain stays one unbroken chain, and both reports are queued."""
    await store.commit_turn(turn(C1, 1), NOW)
    await store.commit_turn(turn(C2, 2), NOW)
    await store.commit_turn(
        turn(
            C1, 3, expected_version=1, draft=None, sealed=sealed_report("R-1"), audit_event="seal"
        ),
        NOW,
    )
    await other.add_reviewer_key(_key("k9"), NOW)
    await store.commit_turn(
        turn(
            C2, 4, expected_version=1, draft=None, sealed=sealed_report("R-2"), audit_event="seal"
        ),
        NOW,
    )
    entries = await store.audit_log()
    assert [(e.seq, e.event) for e in entries] == [
        (1, "seal"),
        (2, "key_registered"),
        (3, "seal"),
    ]
    assert verify_chain(entries) == []
    assert {q.reference for q in await store.queue()} == {"R-1", "R-2"}
