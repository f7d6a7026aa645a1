"""The `Store` contract for unseen closings: a receipt lost to a crash is issued again, once.

Issue 13, point 8: the turn that seals a report marks its closing (reference and
receipt) unseen until the channel says it showed it. A reporter who never saw it
is given a new receipt on their next message; its hash replaces the old one, so
the old receipt stops working, and no receipt is ever stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta

import pytest

from locales.errors import ConflictError, StoreError
from store import Reissue, Store, TurnCommit, UnseenClosing
from tests.store.conftest import LEDGER_TTL, NOW, conversation_id, ledger_key, sealed_report, turn

C1, C2 = conversation_id(1), conversation_id(2)
REF = "TL-AAAA-BBBB"
OLD = hashlib.sha256(b"receipt:" + REF.encode()).digest()  # what `sealed_report` stores
NEW = hashlib.sha256(b"a new receipt").digest()


async def sealed_unseen(store: Store, conversation: bytes = C1, ref: str = REF) -> UnseenClosing:
    """A draft, then the turn that seals it and marks its closing unseen."""
    first = 10 if conversation == C2 else 1
    await store.commit_turn(turn(conversation, first), NOW)
    mark = UnseenClosing(ref, "so", NOW + LEDGER_TTL)
    sealing = turn(
        conversation, first + 1, expected_version=1, draft=None, sealed=sealed_report(ref)
    )
    await store.commit_turn(replace(sealing, unseen=mark, forget_replies=True), NOW)
    unseen = (await store.begin_turn(conversation, ledger_key(3), NOW)).unseen
    assert unseen is not None
    return unseen


def reissue(unseen: UnseenClosing, message: int, receipt_hash: bytes = NEW) -> TurnCommit:
    return replace(turn(C1, message, draft=None), reissue=Reissue(unseen, receipt_hash))


async def test_a_sealing_turn_marks_its_closing_unseen_for_that_conversation_only(
    store: Store,
) -> None:
    unseen = await sealed_unseen(store)
    assert (unseen.reference, unseen.locale, unseen.reissued) == (REF, "so", 0)
    assert unseen.expires_at == NOW + LEDGER_TTL
    assert (await store.begin_turn(C2, ledger_key(3), NOW)).unseen is None


async def test_closing_seen_drops_the_mark_and_only_for_its_reference(store: Store) -> None:
    await sealed_unseen(store)
    await store.closing_seen(C1, "TL-ZZZZ-ZZZZ")
    assert (await store.begin_turn(C1, ledger_key(3), NOW)).unseen is not None
    await store.closing_seen(C1, REF)
    assert (await store.begin_turn(C1, ledger_key(3), NOW)).unseen is None
    await store.closing_seen(C1, REF)  # twice is harmless


async def test_a_reissue_replaces_the_receipt_hash_once_and_is_audited(store: Store) -> None:
    unseen = await sealed_unseen(store)
    assert await store.receipt_exists(OLD)
    await store.commit_turn(reissue(unseen, 3), NOW)
    assert await store.receipt_exists(NEW)
    assert not await store.receipt_exists(OLD), "the old receipt no longer works"
    entries = await store.audit_log()
    assert [(e.event, e.reference) for e in entries][-2:] == [
        ("seal", REF),
        ("receipt_reissued", REF),
    ]
    again = (await store.begin_turn(C1, ledger_key(4), NOW)).unseen
    assert again is not None, "still unseen until the channel shows the new closing"
    assert again.reissued == 1

    other = hashlib.sha256(b"a second new receipt").digest()
    with pytest.raises(ConflictError):  # the same read of the mark cannot reissue twice
        await store.commit_turn(reissue(unseen, 4, other), NOW)
    assert await store.receipt_exists(NEW)
    assert not await store.receipt_exists(other)
    await store.commit_turn(reissue(again, 5, other), NOW)
    assert await store.receipt_exists(other)
    assert not await store.receipt_exists(NEW)


async def test_no_reissue_after_the_closing_was_seen_or_the_mark_expired(store: Store) -> None:
    unseen = await sealed_unseen(store)
    await store.closing_seen(C1, REF)
    with pytest.raises(ConflictError):
        await store.commit_turn(reissue(unseen, 3), NOW)
    assert await store.receipt_exists(OLD)
    assert [e.event for e in await store.audit_log()][-1] == "seal"

    await sealed_unseen(store, C2, "TL-CCCC-DDDD")
    later = NOW + LEDGER_TTL + timedelta(seconds=1)
    assert (await store.begin_turn(C2, ledger_key(9), later)).unseen is None, "expired"
    assert await store.sweep(later) >= 1


async def test_a_sweep_deletes_only_expired_marks(store: Store) -> None:
    await sealed_unseen(store)
    await store.sweep(NOW + LEDGER_TTL - timedelta(seconds=1))
    assert (await store.begin_turn(C1, ledger_key(3), NOW)).unseen is not None
    await store.sweep(NOW + LEDGER_TTL)
    assert (await store.begin_turn(C1, ledger_key(3), NOW)).unseen is None, "gone from the file"


async def test_an_unseen_closing_needs_the_report_sealed_in_its_turn(store: Store) -> None:
    mark = UnseenClosing(REF, "en", NOW + LEDGER_TTL)
    with pytest.raises(StoreError):
        await store.commit_turn(replace(turn(C1, 1), unseen=mark), NOW)
    assert (await store.begin_turn(C1, ledger_key(2), NOW)).draft is None, "nothing written"
