"""Group commit: the turns waiting at one moment share one durable SQLite COMMIT.

A durable commit costs an fsync (~0.4 ms here), which would cap a one-turn-per-
transaction store near 2,000 turns/s. `GroupCommitter` keeps a list of pending
turns; while the write thread is busy committing one batch, new turns gather,
and the next batch takes all of them at once. Nothing waits on a timer: a lone
turn starts its transaction at once. A caller's await returns only after COMMIT
returned, i.e. after the WAL was fsynced (synchronous=FULL).

A turn's write rules live in ONE function, `apply_turn`. A batch runs it for
each of its turns inside one transaction, each turn in its own SAVEPOINT, so a
conflicting turn rolls back alone and gets its ConflictError while the others
commit.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from locales.errors import ConflictError, StoreError
from store._ops import append_audit, to_micros
from store._types import AuditSigner, TurnCommit

# Primary-key or UNIQUE clash on a fresh reference or receipt: a retry of the
# turn draws new ones, so it is reported as a conflict.
_UNIQUE_CODES = frozenset({1555, 2067})  # SQLITE_CONSTRAINT_PRIMARYKEY, _UNIQUE


class Submit(Protocol):
    """Queues `job(conn)` to run on the write connection's thread, after the jobs queued
    before it. Safe to call from any thread, the write thread included."""

    def __call__(self, job: Callable[[sqlite3.Connection], None], /) -> None: ...


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
    """Single writer for `commit_turn`: batches whatever is pending into one transaction.

    The write thread starts the next batch itself, as soon as one is durable, from the
    turns that gathered meanwhile; the event loop only hears how each batch went (one
    callback a batch), and the write thread never waits for the loop, busy with other
    turns, to hand it the next batch.
    """

    def __init__(
        self, submit: Submit, signer: AuditSigner, written: Callable[[], None] = lambda: None
    ) -> None:
        self._submit = submit
        self._written = written  # told on the write thread after each batch (the checkpointer)
        self._signer = signer
        self._lock = threading.Lock()  # guards _pending and _busy: both threads use them
        self._pending: list[_Pending] = []
        self._busy = False  # a batch is queued or being written
        self._loop: asyncio.AbstractEventLoop | None = None
        self._idle: asyncio.Future[None] | None = None
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
        self._loop = loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            self._pending.append(_Pending(commit, now, future))
            start = not self._busy
            self._busy = True
        if start:
            self._queue_batch()
        await future

    async def close(self) -> None:
        """Refuse new turns and wait for the pending ones to commit."""
        self._closed = True
        with self._lock:
            busy = self._busy
        if busy:
            if self._idle is None:
                self._idle = asyncio.get_running_loop().create_future()
            await asyncio.shield(self._idle)

    def _queue_batch(self) -> None:
        """Queue the next batch on the write thread (called on either thread)."""
        try:
            self._submit(self._write_batch)
        except Exception as exc:  # the writer is gone: nothing was written
            with self._lock:
                batch, self._pending, self._busy = self._pending, [], False
            self._report(batch, exc, idle=True)

    def _write_batch(self, conn: sqlite3.Connection) -> None:
        """On the write thread: commit the turns pending now; queue the next batch."""
        with self._lock:
            # A caller cancelled before its batch started is simply dropped.
            batch = [p for p in self._pending if not p.future.cancelled()]
            self._pending = []
        result: list[BaseException | None] | BaseException = []
        if batch:
            turns = [(p.commit, p.now) for p in batch]
            try:
                result = commit_batch(conn, turns, self._signer)
            except sqlite3.Error as exc:
                result = StoreError("the database failed")
                result.__cause__ = exc
            except Exception as exc:  # a bug: the callers are told, nothing is lost
                result = exc
            self._written()
        with self._lock:
            more = bool(self._pending)
            self._busy = more
        if more:
            self._queue_batch()  # the turns that gathered meanwhile, at once
        self._report(batch, result, idle=not more)

    def _report(
        self,
        batch: list[_Pending],
        result: list[BaseException | None] | BaseException,
        idle: bool,
    ) -> None:
        if self._loop is not None and (batch or idle):
            self._loop.call_soon_threadsafe(self._finished, batch, result, idle)

    def _finished(
        self,
        batch: list[_Pending],
        result: list[BaseException | None] | BaseException,
        idle: bool,
    ) -> None:
        """On the event loop: tell each turn of `batch` how its commit went."""
        if isinstance(result, BaseException):  # the whole batch failed: tell every caller
            outcomes: list[BaseException | None] = [_batch_failure(result) for _ in batch]
        else:
            outcomes = result
            if batch:
                self._batches += 1
                self._turns += len(batch)
        for pending, outcome in zip(batch, outcomes, strict=True):
            if pending.future.done():
                continue
            if outcome is None:
                pending.future.set_result(None)
            else:
                pending.future.set_exception(outcome)
        if idle and self._idle is not None and not self._idle.done():
            self._idle.set_result(None)


def _batch_failure(exc: BaseException) -> StoreError:
    failure = StoreError("the turn could not be committed; nothing was written")
    failure.__cause__ = exc
    return failure


def commit_batch(
    conn: sqlite3.Connection, turns: list[tuple[TurnCommit, datetime]], signer: AuditSigner
) -> list[BaseException | None]:
    """Commit every turn that applies cleanly in ONE durable transaction; the outcome of each.

    Each turn runs `apply_turn` in its own SAVEPOINT, so a conflicting turn rolls
    back alone and gets its ConflictError while the others commit.
    """
    outcomes: list[BaseException | None] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for commit, now in turns:
            conn.execute("SAVEPOINT turn")
            try:
                apply_turn(conn, commit, now, signer)
            except Exception as exc:  # delivered to that turn's caller
                conn.execute("ROLLBACK TO turn")
                outcomes.append(_translate(exc))
            else:
                outcomes.append(None)
            conn.execute("RELEASE turn")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return outcomes


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
