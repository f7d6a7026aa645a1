"""The `Store` contract for stored replies: they live as long as their draft, no longer.

Issue 13, point 1: whoever holds the server secret can compute a reply's key from a
chat id and a message id, so a reply that outlived its draft could give back the
read-back, or the closing with its receipt, after the report was sealed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from store import Store
from tests.store.conftest import DRAFT_TTL, NOW, conversation_id, ledger_key, turn

C1, C2 = conversation_id(1), conversation_id(2)


async def reply(store: Store, message: int, now: datetime = NOW) -> bytes | None:
    return (await store.begin_turn(C1, ledger_key(message), now)).ledger_reply


async def test_the_ending_turn_deletes_the_drafts_replies_and_keeps_its_own(store: Store) -> None:
    await store.commit_turn(turn(C1, 1, reply=b"welcome"), NOW)
    await store.commit_turn(turn(C1, 2, expected_version=1, reply=b"read-back"), NOW)
    await store.commit_turn(turn(C2, 3, reply=b"another chat's"), NOW)
    ending = turn(C1, 4, expected_version=2, draft=None, reply=b"sent", forget_replies=True)
    await store.commit_turn(ending, NOW)
    assert await reply(store, 1) is None
    assert await reply(store, 2) is None
    assert await reply(store, 4) == b"sent"
    assert (await store.begin_turn(C2, ledger_key(3), NOW)).ledger_reply == b"another chat's"
    # The next conversation on the same chat ends too: the first ending's reply stays.
    await store.commit_turn(turn(C1, 5, reply=b"welcome again"), NOW)
    again = turn(C1, 6, expected_version=1, draft=None, reply=b"deleted", forget_replies=True)
    await store.commit_turn(again, NOW)
    assert await reply(store, 5) is None
    assert (await reply(store, 4), await reply(store, 6)) == (b"sent", b"deleted")


async def test_starting_again_deletes_the_replies_before_it(store: Store) -> None:
    await store.commit_turn(turn(C1, 1, reply=b"read-back"), NOW)
    restart = turn(C1, 2, expected_version=1, reply=b"started again", forget_replies=True)
    await store.commit_turn(restart, NOW)
    assert await reply(store, 1) is None
    assert await reply(store, 2) == b"started again"
    await store.commit_turn(turn(C1, 3, expected_version=2, draft=None, forget_replies=True), NOW)
    assert await reply(store, 2) is None, "a reply written with the new draft goes with it"


async def test_a_turn_without_a_message_id_stores_no_reply(store: Store) -> None:
    await store.commit_turn(replace(turn(C1, 1), ledger_key=None), NOW)
    assert await reply(store, 1) is None
    assert await store.count_drafts() == 1


async def test_an_expired_draft_takes_its_replies_with_it(store: Store) -> None:
    """Even a reply kept longer than the draft (a ledger TTL set above the draft TTL)."""
    long_kept = replace(turn(C1, 1, reply=b"read-back"), ledger_expires_at=NOW + 2 * DRAFT_TTL)
    await store.commit_turn(long_kept, NOW)
    expired = NOW + DRAFT_TTL + timedelta(seconds=1)
    assert await store.sweep(expired) == 2
    assert await reply(store, 1, expired) is None
