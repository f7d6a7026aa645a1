"""The `Store` contract for evidence files: written with their turn, gone with their draft.

Written against the public `Store` protocol only; run once per backend in BACKENDS.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from locales.errors import ConflictError
from store import Store
from tests.store.conftest import (
    DRAFT_TTL,
    NOW,
    conversation_id,
    sealed_report,
    turn,
)

C1, C2 = conversation_id(1), conversation_id(2)
PHOTO = ("a1b2c3d4e5f60718", b"photo-ciphertext")
PDF = ("0f1e2d3c4b5a6978", b"pdf-ciphertext")


async def test_files_are_stored_with_their_turn_and_read_back_in_order(store: Store) -> None:
    await store.commit_turn(replace(turn(C1, 1), attachments_added=(PHOTO,)), NOW)
    await store.commit_turn(replace(turn(C1, 2, expected_version=1), attachments_added=(PDF,)), NOW)
    assert await store.load_attachments(C1) == [PHOTO, PDF]
    assert await store.load_attachments(C2) == []


async def test_a_conflicting_turn_stores_none_of_its_files(store: Store) -> None:
    await store.commit_turn(turn(C1, 1), NOW)
    stale = replace(turn(C1, 2, expected_version=0), attachments_added=(PHOTO,))
    with pytest.raises(ConflictError):
        await store.commit_turn(stale, NOW)
    assert await store.load_attachments(C1) == []


async def test_a_redelivered_message_stores_its_files_once(store: Store) -> None:
    """The ledger refuses the second commit of one message, files and all."""
    await store.commit_turn(replace(turn(C1, 1), attachments_added=(PHOTO,)), NOW)
    again = replace(turn(C1, 1, expected_version=1), attachments_added=(PDF,))
    with pytest.raises(ConflictError):
        await store.commit_turn(again, NOW)
    assert await store.load_attachments(C1) == [PHOTO]


async def test_files_can_be_removed_by_id(store: Store) -> None:
    await store.commit_turn(replace(turn(C1, 1), attachments_added=(PHOTO, PDF)), NOW)
    await store.commit_turn(
        replace(turn(C1, 2, expected_version=1), attachments_removed=(PHOTO[0],)), NOW
    )
    assert await store.load_attachments(C1) == [PDF]


@pytest.mark.parametrize("how", ["sealed", "cancelled"])
async def test_an_ended_draft_takes_its_files_with_it(store: Store, how: str) -> None:
    await store.commit_turn(replace(turn(C1, 1), attachments_added=(PHOTO,)), NOW)
    await store.commit_turn(replace(turn(C2, 2), attachments_added=(PDF,)), NOW)
    sealed = sealed_report("TL-AAAA-AAAA") if how == "sealed" else None
    await store.commit_turn(turn(C1, 3, expected_version=1, draft=None, sealed=sealed), NOW)
    assert await store.load_attachments(C1) == []
    assert await store.load_attachments(C2) == [PDF], "another conversation keeps its files"


async def test_sweep_deletes_the_files_of_expired_drafts(store: Store) -> None:
    await store.commit_turn(replace(turn(C1, 1), attachments_added=(PHOTO,)), NOW)
    later = NOW + DRAFT_TTL / 2
    await store.commit_turn(replace(turn(C2, 2, now=later), attachments_added=(PDF,)), later)
    await store.sweep(NOW + DRAFT_TTL)
    assert await store.load_attachments(C1) == []
    assert await store.load_attachments(C2) == [PDF]


async def test_a_new_draft_after_expiry_starts_without_the_old_files(store: Store) -> None:
    await store.commit_turn(replace(turn(C1, 1), attachments_added=(PHOTO,)), NOW)
    later = NOW + DRAFT_TTL  # expired, not swept yet
    await store.commit_turn(turn(C1, 2, now=later), later)
    assert await store.load_attachments(C1) == []


async def test_one_report_is_found_by_reference(store: Store) -> None:
    await store.commit_turn(
        turn(C1, 1, draft=None, sealed=sealed_report("TL-AAAA-AAAA", envelope=b"env-a")), NOW
    )
    found = await store.report("TL-AAAA-AAAA")
    assert found is not None
    assert (found.reference, found.envelope, found.status) == ("TL-AAAA-AAAA", b"env-a", "queued")
    assert await store.report("TL-ZZZZ-ZZZZ") is None
