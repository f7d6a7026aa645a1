"""`tipline admin rotate-secret`: a new at-rest key; every draft, file and reply re-encrypted.

Run with Tipline stopped on that data folder (every command that opens it holds
its lock, and this needs it alone). The order survives a crash at any point:

1. the secret file gets the new key and keeps the old one beside it (the blobs
   can be opened with either, so a crash here loses nothing and a second run
   finishes the job);
2. every blob is re-encrypted under the new key in ONE transaction; a blob that
   opens with neither key cannot be kept and its row is deleted (asked first);
3. the secret file drops the old key.

The conversation, audit and receipt keys stay: chats still find their drafts,
the audit chain still verifies, receipts still match. Files encrypted outside
the database (the Telegram channel's list of messages it may delete, kept over
a restart) cannot be opened afterwards and are dropped at the next start.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from bot.evidence import bound_to
from bot.serverkeys import ServerKeys, holding, load_existing, write_secret
from bot.settings import Settings
from handoff import AuditHash
from locales.errors import ConfigError, TamperedError
from store import AtRest, RewrapCounts, SqliteStore

_NAMES = {"draft": ("draft", "drafts"), "file": ("file", "files"), "reply": ("reply", "replies")}


def binding(at_rest: AtRest) -> bytes:
    """What a blob is bound to: its row key (a file: its conversation and id)."""
    if at_rest.kind == "file":
        return bound_to(at_rest.key, at_rest.file_id or "")
    return at_rest.key


def opens(keys: ServerKeys) -> Callable[[AtRest], bytes | None]:
    """The blob unchanged if `keys` open it, else None."""

    def check(at_rest: AtRest) -> bytes | None:
        try:
            keys.open_at_rest(at_rest.blob, binding(at_rest))
        except TamperedError:
            return None
        return at_rest.blob

    return check


def resealed(keys: ServerKeys) -> Callable[[AtRest], bytes | None]:
    """The blob opened with any of `keys` and sealed under the current at-rest key."""

    def reseal(at_rest: AtRest) -> bytes | None:
        bound = binding(at_rest)
        try:
            return keys.seal_at_rest(keys.open_at_rest(at_rest.blob, bound), bound)
        except TamperedError:
            return None

    return reseal


def summary(counts: RewrapCounts, done: bool) -> str:
    """ "re-encrypted: 2 drafts, 1 file, 40 stored replies" and what cannot be kept."""
    kept = ", ".join(_count(n, k) for k, n in counts.rewrapped.items())
    line = f"{'Re-encrypted' if done else 'To re-encrypt'}: {kept}."
    if sum(counts.deleted.values()):
        lost = ", ".join(_count(n, k) for k, n in counts.deleted.items() if n)
        line += (
            f" Cannot be opened with the key, so {'deleted' if done else 'to be DELETED'}: {lost}."
        )
    return line


def _count(n: int, kind: str) -> str:
    singular, plural = _NAMES[kind]
    return f"{n} {'stored ' if kind == 'reply' else ''}{singular if n == 1 else plural}"


async def rotate_secret(
    settings: Settings, now: datetime, confirm: Callable[[str], bool], out: TextIO
) -> int:
    """Rotate the at-rest key of `settings.data_dir`; 1 if the operator said no."""
    path = settings.secret_file
    if not path.is_file() or not settings.database.is_file():
        raise ConfigError(f"there is no Tipline server data in {settings.data_dir}")
    with holding(path, exclusive=True):
        keys = load_existing(path)
        master = path.read_bytes()[:32]
        async with SqliteStore(settings.database, AuditHash()) as store:
            await store.sweep(now)
            survey = await store.rewrap_at_rest(opens(keys), apply=False)
            out.write(f"{summary(survey, done=False)}\n")
            if not keys.retired:  # else a rotation was cut short: finish it
                if not confirm(f"Rotate the at-rest key in {settings.data_dir}?"):
                    out.write("Nothing was changed.\n")
                    return 1
                new, old = secrets.token_bytes(32), keys.draft
                write_secret(path, master, new, old)
                keys = ServerKeys.derive(master, new, (old,))
            elif sum(survey.deleted.values()) and not confirm("Finish the rotation?"):
                out.write("Nothing more was changed.\n")
                return 1
            done = await store.rewrap_at_rest(resealed(keys), apply=True)
            write_secret(path, master, keys.draft)
            await store.sweep(now)
    out.write(f"{summary(done, done=True)}\nThe new key is in {path}.\n")
    return 0
