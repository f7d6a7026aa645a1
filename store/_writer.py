"""Group commit: the turns waiting at one moment share one durable SQLite COMMIT.

A durable commit costs an fsync (~0.4 ms here), which would cap a one-turn-per-
transaction store near 2,000 turns/s. `GroupCommitter` keeps a list of pending
turns; while the write thread is busy committing one batch, new turns gather,
and the next batch takes all of them at once. Nothing waits on a timer: a lone
turn starts its transaction at once. A caller's await returns only after COMMIT
returned, i.e. after the WAL was fsynced (synchronous=FULL).

Most turns only replace a draft and add a ledger row. Those of a batch are
written by two multi-row statements whose WHERE clauses are the version check
and the ledger check; if either touched fewer rows than it had, one of them
conflicts and they go one by one instead. Statement count matters more than
SQLite's own work here: every statement the write thread runs must take the GIL
back from the event loop afterwards, and under load each such hand-over waits
(measured: a batch of 51 turns took 1.6 ms alone and 11.5 ms beside a busy
event loop when written statement by statement). Every other turn (sealing,
files, an ended or expired draft) runs in its own SAVEPOINT, so a conflicting
turn rolls back alone and gets its ConflictError while the others commit.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from bot.errors import ConflictError, StoreError
from store._ops import append_audit, to_micros
from store._types import AuditSigner, TurnCommit

# Primary-key or UNIQUE clash on a fresh reference or receipt: a retry of the
# turn draws new ones, so it is reported as a conflict.
_UNIQUE_CODES = frozenset({1555, 2067})  # SQLITE_CONSTRAINT_PRIMARYKEY, _UNIQUE

T = TypeVar("T")


class Runner(Protocol):
    """Runs a function on the write connection's thread and awaits its result."""

    def __call__(self, work: Callable[[sqlite3.Connection], T], /) -> Awaitable[T]: ...


@dataclass(frozen=True, slots=True)
class WriterStats:
    """How many transactions the writer committed and how many turns they held."""

    batches: int
    turns: int


@dataclass(slots=True)
class _Pending:
    commit: TurnCommit
    now: datetime
    future: asyncio.Future[None]


class GroupCommitter:
    """Single writer for `commit_turn`: batches whatever is pending into one transaction."""

    def __init__(self, run: Runner, signer: AuditSigner) -> None:
        self._run = run
        self._signer = signer
        self._pending: list[_Pending] = []
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._batches = 0
        self._turns = 0

    @property
    def stats(self) -> WriterStats:
        return WriterStats(self._batches, self._turns)

    async def commit(self, commit: TurnCommit, now: datetime) -> None:
        """Queue one turn and wait until the transaction holding it is durable."""
        if self._closed:
            raise StoreError("the store is closed")
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append(_Pending(commit, now, future))
        if self._task is None:
            self._task = asyncio.create_task(self._drain(), name="tipline-group-commit")
        await future

    async def close(self) -> None:
        """Refuse new turns and wait for the pending ones to commit."""
        self._closed = True
        if self._task is not None:
            await asyncio.shield(self._task)

    def _work(
        self, turns: list[tuple[TurnCommit, datetime]]
    ) -> Callable[[sqlite3.Connection], list[BaseException | None]]:
        # A closure, not functools.partial: aiosqlite's debug log prints the callable,
        # and a partial's repr would print the turns' keys and ciphertext.
        signer = self._signer
        return lambda conn: commit_batch(conn, turns, signer)

    async def _drain(self) -> None:
        batch: list[_Pending] = []
        try:
            while self._pending:
                # A caller cancelled before its batch started is simply dropped.
                batch = [p for p in self._pending if not p.future.cancelled()]
                self._pending = []
                if not batch:
                    continue
                try:
                    outcomes = await self._run(self._work([(p.commit, p.now) for p in batch]))
                except Exception as exc:  # the whole batch failed: tell every caller
                    outcomes = [_batch_failure(exc) for _ in batch]
                else:
                    self._batches += 1
                    self._turns += len(batch)
                for pending, outcome in zip(batch, outcomes, strict=True):
                    if pending.future.done():
                        continue
                    if outcome is None:
                        pending.future.set_result(None)
                    else:
                        pending.future.set_exception(outcome)
                batch = []
        finally:
            # Only reached with work left if this task itself failed or was cancelled.
            for pending in (*batch, *self._pending):
                if not pending.future.done():
                    pending.future.set_exception(StoreError("the store stopped writing"))
            self._pending = []
            self._task = None


def _batch_failure(exc: Exception) -> StoreError:
    failure = StoreError("the turn could not be committed; nothing was written")
    failure.__cause__ = exc
    return failure


def commit_batch(
    conn: sqlite3.Connection, turns: list[tuple[TurnCommit, datetime]], signer: AuditSigner
) -> list[BaseException | None]:
    """Commit every turn that applies cleanly in ONE transaction; the outcome of each."""
    outcomes: list[BaseException | None] = [None] * len(turns)
    conn.execute("BEGIN IMMEDIATE")
    try:
        plain = _plain(turns)
        if plain and not _apply_plain(conn, [turns[i] for i in plain]):
            plain = []  # one of them conflicts: each goes on its own below
        written = set(plain)
        for index, (commit, now) in enumerate(turns):
            if index in written:
                continue
            conn.execute("SAVEPOINT turn")
            try:
                apply_turn(conn, commit, now, signer)
            except Exception as exc:  # delivered to that turn's caller
                conn.execute("ROLLBACK TO turn")
                conn.execute("RELEASE turn")
                outcomes[index] = _translate(exc)
            else:
                conn.execute("RELEASE turn")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


_ROWS_PER_STATEMENT = 400  # 4 parameters a row, far under SQLite's 32,766


def _plain(turns: list[tuple[TurnCommit, datetime]]) -> list[int]:
    """The turns that only replace a draft and add a ledger row, if they can share statements.

    A conversation (or message) twice in one batch must be written in order: then
    none is written together.
    """
    conversations = {c.conversation for c, _now in turns}
    ledger_keys = {c.ledger_key for c, _now in turns}
    if len(conversations) < len(turns) or len(ledger_keys) < len(turns):
        return []
    return [
        index
        for index, (c, _now) in enumerate(turns)
        if c.draft is not None
        and c.expires_at is not None
        and c.sealed is None
        and c.audit_event is None
        and not c.attachments_added
        and not c.attachments_removed
    ]


def _apply_plain(conn: sqlite3.Connection, turns: list[tuple[TurnCommit, datetime]]) -> bool:
    """Write plain turns with multi-row statements; False (nothing written) on any conflict.

    A draft row is replaced only if it is live (for every turn: the latest `now`)
    at the version the turn read; a ledger row only if it has expired (for every
    turn: the earliest `now`). A new draft over an expired row is not plain: it
    must drop the old row's files, so it conflicts here and goes on its own.
    """
    latest = to_micros(max(now for _c, now in turns))
    earliest = to_micros(min(now for _c, now in turns))
    conn.execute("SAVEPOINT plain")
    written = True
    for start in range(0, len(turns), _ROWS_PER_STATEMENT):
        chunk = [commit for commit, _now in turns[start : start + _ROWS_PER_STATEMENT]]
        drafts: list[object] = []
        ledger: list[object] = []
        for c in chunk:
            expires = to_micros(c.expires_at) if c.expires_at is not None else 0
            drafts += (c.conversation, c.draft, c.expected_version + 1, expires)
            ledger += (c.ledger_key, c.ledger_reply, to_micros(c.ledger_expires_at))
        rows = len(chunk)
        if (
            conn.execute(_upsert_drafts(rows), (*drafts, latest)).rowcount != rows
            or conn.execute(_insert_ledger(rows), (*ledger, earliest)).rowcount != rows
        ):
            written = False
            break
    if not written:
        conn.execute("ROLLBACK TO plain")
    conn.execute("RELEASE plain")
    return written


@functools.lru_cache(maxsize=64)
def _upsert_drafts(rows: int) -> str:
    # A row is inserted only for a turn that expects no draft (version 1); otherwise
    # it must replace the live row at the version the turn read.
    values = ", ".join(["(?, ?, ?, ?)"] * rows)
    return (
        "INSERT INTO drafts (conversation, blob, version, expires_at)"  # noqa: S608 (placeholders only)
        f" SELECT * FROM (VALUES {values}) AS v"
        " WHERE v.column3 = 1 OR EXISTS (SELECT 1 FROM drafts WHERE conversation = v.column1)"
        " ON CONFLICT (conversation) DO UPDATE"
        " SET blob = excluded.blob, version = excluded.version, expires_at = excluded.expires_at"
        " WHERE drafts.version = excluded.version - 1 AND drafts.expires_at > ?"
    )


@functools.lru_cache(maxsize=64)
def _insert_ledger(rows: int) -> str:
    values = ", ".join(["(?, ?, ?)"] * rows)
    return (
        f"INSERT INTO ledger (key, reply, expires_at) VALUES {values}"  # noqa: S608 (placeholders only)
        " ON CONFLICT (key) DO UPDATE SET reply = excluded.reply, expires_at = excluded.expires_at"
        " WHERE ledger.expires_at <= ?"
    )


def _translate(exc: Exception) -> BaseException:
    if isinstance(exc, sqlite3.IntegrityError) and exc.sqlite_errorcode in _UNIQUE_CODES:
        error: StoreError = ConflictError("the sealed report's reference or receipt is taken")
    elif isinstance(exc, sqlite3.Error):
        error = StoreError("the turn could not be written")
    else:
        return exc  # a TiplineError, or a bug in the caller or the signer
    error.__cause__ = exc
    return error


_UPSERT_DRAFT = """
INSERT INTO drafts (conversation, blob, version, expires_at) VALUES (?, ?, ?, ?)
ON CONFLICT (conversation) DO UPDATE
SET blob = excluded.blob, version = excluded.version, expires_at = excluded.expires_at
"""
# A ledger row that has expired counts as absent, like in `begin_turn`.
_INSERT_LEDGER = """
INSERT INTO ledger (key, reply, expires_at) VALUES (?, ?, ?)
ON CONFLICT (key) DO UPDATE SET reply = excluded.reply, expires_at = excluded.expires_at
WHERE ledger.expires_at <= ?
"""
_INSERT_QUEUE = """
INSERT INTO queue (reference, envelope, priority, sealed_at, status, receipt_hash,
                   script_id, script_version)
VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)
"""


def apply_turn(
    conn: sqlite3.Connection, commit: TurnCommit, now: datetime, signer: AuditSigner
) -> None:
    """Write one turn: draft CAS, evidence files, ledger row, queued report, audit entry."""
    at = to_micros(now)
    row = conn.execute(
        "SELECT version, expires_at FROM drafts WHERE conversation = ?", (commit.conversation,)
    ).fetchone()
    stored = 0 if row is None else int(row[0])
    live = stored if row is not None and row[1] > at else 0  # an expired draft is absent
    if live != commit.expected_version:
        raise ConflictError("the draft changed since this turn read it")
    if row is not None and (live == 0 or commit.draft is None):
        # A new draft starts with no files (an expired one may have left some); an
        # ended draft (sealed, cancelled) keeps none. Files only exist beside a
        # draft row (both go in one transaction), so with no row there is none.
        conn.execute("DELETE FROM attachments WHERE conversation = ?", (commit.conversation,))
    if commit.draft is None:
        if row is not None:
            conn.execute("DELETE FROM drafts WHERE conversation = ?", (commit.conversation,))
    else:
        if commit.expires_at is None:
            raise StoreError("a draft needs expires_at")
        # Versions keep counting past an expired row, so a stale writer cannot match.
        conn.execute(
            _UPSERT_DRAFT,
            (commit.conversation, commit.draft, stored + 1, to_micros(commit.expires_at)),
        )
        _write_attachments(conn, commit)
    ledger = conn.execute(
        _INSERT_LEDGER,
        (commit.ledger_key, commit.ledger_reply, to_micros(commit.ledger_expires_at), at),
    )
    if ledger.rowcount == 0:
        raise ConflictError("this message was already handled")
    sealed = commit.sealed
    if sealed is not None:
        conn.execute(
            _INSERT_QUEUE,
            (
                sealed.reference,
                sealed.envelope,
                sealed.priority,
                to_micros(sealed.sealed_at),
                sealed.receipt_hash,
                sealed.script_id,
                sealed.script_version,
            ),
        )
    if commit.audit_event is not None:
        reference = None if sealed is None else sealed.reference
        append_audit(conn, signer, now, event=commit.audit_event, reference=reference, actor=None)


def _write_attachments(conn: sqlite3.Connection, commit: TurnCommit) -> None:
    # Most turns carry no files: skip the statements rather than run them empty.
    if commit.attachments_removed:
        conn.executemany(
            "DELETE FROM attachments WHERE conversation = ? AND id = ?",
            [(commit.conversation, file_id) for file_id in commit.attachments_removed],
        )
    if commit.attachments_added:
        conn.executemany(
            "INSERT INTO attachments (conversation, id, blob) VALUES (?, ?, ?)",
            [(commit.conversation, file_id, blob) for file_id, blob in commit.attachments_added],
        )
