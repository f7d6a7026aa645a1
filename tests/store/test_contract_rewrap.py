"""The `Store` contract for re-encrypting every blob at rest (`tipline admin rotate-secret`)."""

from __future__ import annotations

from dataclasses import replace

from store import AtRest, Store
from tests.store.conftest import NOW, conversation_id, ledger_key, turn

C1, C2 = conversation_id(1), conversation_id(2)
PHOTO = ("a1b2c3d4e5f60718", b"photo-ciphertext")


async def filled(store: Store) -> None:
    await store.commit_turn(replace(turn(C1, 1, draft=b"d1"), attachments_added=(PHOTO,)), NOW)
    await store.commit_turn(turn(C2, 2, draft=b"d2", reply=b"r2"), NOW)


def upper(at_rest: AtRest) -> bytes:
    return at_rest.blob.upper()


async def test_every_blob_is_passed_with_its_row_key_and_replaced(store: Store) -> None:
    await filled(store)
    seen: list[AtRest] = []

    def rewrap(at_rest: AtRest) -> bytes:
        seen.append(at_rest)
        return upper(at_rest)

    counts = await store.rewrap_at_rest(rewrap, apply=True)
    assert {(a.kind, a.key, a.blob, a.file_id) for a in seen} == {
        ("draft", C1, b"d1", None),
        ("draft", C2, b"d2", None),
        ("file", C1, PHOTO[1], PHOTO[0]),
        ("reply", ledger_key(1), b"reply-ciphertext", None),
        ("reply", ledger_key(2), b"r2", None),
    }
    assert counts.rewrapped == {"draft": 2, "file": 1, "reply": 2}
    assert counts.deleted == {"draft": 0, "file": 0, "reply": 0}
    start = await store.begin_turn(C2, ledger_key(2), NOW)
    assert start.ledger_reply == b"R2"
    assert start.draft is not None
    assert start.draft.blob == b"D2"
    assert await store.load_attachments(C1) == [(PHOTO[0], PHOTO[1].upper())]


async def test_a_counting_pass_changes_nothing(store: Store) -> None:
    await filled(store)
    counts = await store.rewrap_at_rest(upper, apply=False)
    assert counts.rewrapped == {"draft": 2, "file": 1, "reply": 2}
    start = await store.begin_turn(C2, ledger_key(2), NOW)
    assert start.ledger_reply == b"r2"


async def test_a_draft_that_cannot_be_opened_goes_with_its_files_and_replies(store: Store) -> None:
    await filled(store)

    def rewrap(at_rest: AtRest) -> bytes | None:
        return None if at_rest.blob == b"d1" else upper(at_rest)

    counts = await store.rewrap_at_rest(rewrap, apply=True)
    assert counts.deleted == {"draft": 1, "file": 0, "reply": 0}
    assert counts.rewrapped == {"draft": 1, "file": 0, "reply": 1}
    start = await store.begin_turn(C1, ledger_key(1), NOW)
    assert (start.draft, start.ledger_reply) == (None, None)
    assert await store.load_attachments(C1) == []
    assert await store.count_drafts() == 1
