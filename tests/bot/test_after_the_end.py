"""Once a report is sealed (or deleted), the data folder and its secret give nothing back.

The attack of issue 13, point 1: with only `server-secret` and `tipline.db`,
compute the store's keys for guessed chat ids × sequential message ids (as
Telegram numbers them) and open every blob whose row key matches. Before the
end it works (a draft in progress is readable by whoever holds the secret and
the chat id: THREAT_MODEL.md); after it, nothing the reporter wrote and no
receipt comes back, and the old ciphertexts are gone from every file.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.evidence import bound_to
from bot.serverkeys import load_existing
from locales.errors import TamperedError
from tests.bot.conftest import Env
from tests.bot.driver import Talk
from tests.bot.test_commands import CONTACT

CHAT = "5551234"
GUESSED_CHATS = [str(n) for n in range(5551200, 5551260)]  # 60 chat ids around the real one
GUESSED_MESSAGES = range(1, 1000)  # message ids 1-999
STORY = "Sergeant Quill took 300 pounds from me outside the Lark Street arcade."
EMAIL = "quill.witness@example.org"
SCRIPT = {**CONTACT, "what_happened": STORY, "contact_how": EMAIL}
RECEIPT = re.compile(r"\d{4} \d{4} \d{4} \d{4}")


def recover(data_dir: Path, channel: str, chats: Iterable[str], messages: range) -> list[str]:
    """Every blob in the database that opens under a row key computed from guesses."""
    keys = load_existing(data_dir / "server-secret")
    guessed: set[bytes] = set()
    for chat in chats:
        guessed.add(keys.conversation_id(channel, chat))
        guessed.update(keys.ledger_key(channel, chat, str(n)) for n in messages)
    found: list[str] = []
    uri = f"file:{data_dir / 'tipline.db'}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in db.execute(f"SELECT * FROM {table}"):  # noqa: S608 -- the file's own names
                values = [bytes(v) if isinstance(v, bytes) else v for v in row]
                keys_here = [v for v in values if isinstance(v, bytes) and v in guessed]
                texts = [v for v in values if isinstance(v, str)]
                for key in keys_here:
                    # Every binding the code uses: the row key itself, or a file's.
                    bindings = [key, key + b"\0sent", *(bound_to(key, t) for t in texts)]
                    for blob in (v for v in values if isinstance(v, bytes) and v is not key):
                        for binding in bindings:
                            with contextlib.suppress(TamperedError):
                                found.append(keys.open_at_rest(blob, binding).decode())
    return found


def blobs(data_dir: Path) -> list[bytes]:
    """The ciphertexts of every draft and stored reply, as they are now."""
    with contextlib.closing(sqlite3.connect(data_dir / "tipline.db")) as db:
        rows = db.execute("SELECT blob FROM drafts UNION ALL SELECT reply FROM ledger").fetchall()
    return [bytes(r[0]) for r in rows]


def raw_files(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(data_dir.iterdir()) if p.is_file())


def attack(env: Env) -> str:
    return "\n".join(recover(env.data_dir, "test", GUESSED_CHATS, GUESSED_MESSAGES))


async def at_the_read_back(env: Env) -> Talk:
    talk = Talk(env.app.conversations, CHAT)
    await talk.until("review", SCRIPT)
    readable = attack(env)
    assert STORY in readable, "the attack works on a draft in progress"
    assert EMAIL in readable
    return talk


async def test_after_sealing_nothing_written_and_no_receipt_can_be_recovered(env: Env) -> None:
    talk = await at_the_read_back(env)
    before = blobs(env.data_dir)
    confirm_id = str(next(talk.messages))
    sealed = await talk.send("confirm", message_id=confirm_id)
    assert sealed.reference is not None
    receipt = RECEIPT.search(talk.text)
    assert receipt is not None

    readable = attack(env)
    assert STORY not in readable
    assert EMAIL not in readable
    assert receipt.group(0) not in readable
    assert "Sam" not in readable  # the contact name
    raw = raw_files(env.data_dir)
    assert not [b for b in before if b in raw], "an old draft or reply is still in a file"

    again = await talk.send("confirm", message_id=confirm_id)
    text = "\n".join(r.text for r in again.replies)
    assert f"Your report {sealed.reference} was sent." in text
    assert not RECEIPT.search(text), "a redelivered confirm never shows a receipt"
    assert STORY not in text
    assert again.ended
    assert len(await env.app.store.queue()) == 1


@pytest.mark.parametrize("command", ["cancel", "restart"])
async def test_after_deleting_nothing_written_can_be_recovered(env: Env, command: str) -> None:
    talk = await at_the_read_back(env)
    before = blobs(env.data_dir)
    await talk.send(command)
    deleting = str(next(talk.messages))
    await talk.send("yes", message_id=deleting)

    readable = attack(env)
    assert STORY not in readable
    assert EMAIL not in readable
    raw = raw_files(env.data_dir)
    assert not [b for b in before if b in raw], "an old draft or reply is still in a file"
    again = await talk.send("yes", message_id=deleting)
    assert STORY not in "\n".join(r.text for r in again.replies)
    assert await env.app.store.queue() == []
