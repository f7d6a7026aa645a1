"""Group commit: the turns waiting at one moment share one durable SQLite COMMIT.

Why it earns its place: every COMMIT waits for an fsync (synchronous=FULL), so
committing one turn at a time falls short of the 10x of real load the design
asks for (1,000 turns/s). Measured (bench/README.md, 2026-12-07, closed loop,
100 reporters, alternating runs on a busy machine): 1,283-1,637 turns/s with
group commit, 421-520 with one turn per COMMIT, which also doubled the CPU a
turn took (0.57-0.62 ms against 1.28-1.35 ms).

`GroupCommitter` keeps a list of pending turns; while the write thread is busy
committing one batch, new turns gather, and the next batch takes all of them at
once. Nothing waits on a timer: a lone turn starts its transaction at once. A
caller's await returns only after COMMIT returned, i.e. after the WAL was
fsynced.

A turn's write rules live in ONE function, `apply_turn`. A batch runs it for
each of its turns inside one transaction, each turn in its own SAVEPOINT, so a
conflicting turn rolls back alone and gets its ConflictError while the others
commit.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from locales.errors import ConflictError, StoreError
from store._followup import add_addition
from store._ops import append_audit, to_micros
from store._types import AuditSigner, TurnCommit

# Primary-key or UNIQUE clash on a fresh reference or receipt: a retry of the
# turn draws new ones, so it is reported as a conflict.
_UNIQUE_CODES = frozenset({1555, 2067})  # SQLITE_CONSTRAINT_PRIMARYKEY, _UNIQUE

T = TypeVar("T")


class Write(Protocol):
    """Runs `work(conn)` on the write connection's thread and returns its result
    (`ConnectionThread.call`); a database error comes back as StoreError."""

    async def __call__(self, work: Callable[[sqlite3.Connection], T], /) -> T: ...


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

    Lives on the event loop: the first turn that finds no batch under way starts a
    task that hands batches to the write thread until none is pending.
    """

    def __init__(self, write: Write, signer: AuditSigner) -> None:
        self._write = write
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
        future = asyncio.get_running_loop().create_future()
        self._pending.append(_Pending(commit, now, future))
        if self._task is None:
            self._task = asyncio.create_task(self._run())
        await future

    async def close(self) -> None:
        """Refuse new turns and wait for the pending ones to commit."""
        self._closed = True
        if self._task is not None:
            await asyncio.shield(self._task)

    async def _run(self) -> None:
        try:
            while self._pending:
                # A caller cancelled before its batch started is simply dropped.
                batch = [p for p in self._pending if not p.future.cancelled()]
                self._pending = []
                if batch:
                    await self._commit(batch)
        finally:
            self._task = None

    async def _commit(self, batch: list[_Pending]) -> None:
        """Write one batch on the write thread, then tell each of its turns how it went."""
        turns = [(p.commit, p.now) for p in batch]

        try:
            outcomes = await self._write(lambda conn: commit_batch(conn, turns, self._signer))
        except Exception as exc:  # the database failed, or a bug: nothing was written
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
    if any(c.draft is None or c.forget_replies for c, _ in turns):
        # A draft ended or started again: its old versions and stored replies are
        # overwritten in the database (secure_delete), but the WAL still holds the
        # pages as they were. Copy it in and cut it to zero now, not at the next sweep.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
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
INSERT INTO ledger (key, reply, expires_at, conversation) VALUES (?, ?, ?, ?)
ON CONFLICT (key) DO UPDATE
SET reply = excluded.reply, expires_at = excluded.expires_at, conversation = excluded.conversation
WHERE ledger.expires_at <= ?
"""
_INSERT_QUEUE = """
INSERT INTO queue (reference, envelope, priority, sealed_at, status, receipt_hash,
                   script_id, script_version, recipients, evidence_count, reporter_public)
VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)
"""


_MARK_UNSEEN = """
INSERT INTO unseen_closings (conversation, reference, locale, reissued, expires_at)
VALUES (?, ?, ?, 0, ?)
ON CONFLICT (conversation) DO UPDATE
SET reference = excluded.reference, locale = excluded.locale, reissued = 0,
    expires_at = excluded.expires_at
"""


def apply_turn(
    conn: sqlite3.Connection, commit: TurnCommit, now: datetime, signer: AuditSigner
) -> None:
    """Write one turn: draft CAS, evidence files, ledger row, queued report and its unseen
    closing (or a receipt issued again), audit entry."""
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
    if commit.forget_replies:
        conn.execute("DELETE FROM ledger WHERE conversation = ?", (commit.conversation,))
    if commit.ledger_key is not None:
        # A reply goes with the draft the turn leaves; the ending's reply outlives it.
        tied = None if commit.draft is None else commit.conversation
        expires = to_micros(commit.ledger_expires_at)
        ledger = conn.execute(
            _INSERT_LEDGER, (commit.ledger_key, commit.ledger_reply, expires, tied, at)
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
                "," + "".join(f"{key_id}," for key_id in sealed.recipients),
                sealed.evidence_count,
                sealed.reporter_public,
            ),
        )
    if commit.unseen is not None:
        if sealed is None or sealed.reference != commit.unseen.reference:
            raise StoreError("an unseen closing belongs to the report sealed in its turn")
        conn.execute(
            _MARK_UNSEEN,
            (
                commit.conversation,
                sealed.reference,
                commit.unseen.locale,
                to_micros(commit.unseen.expires_at),
            ),
        )
    reissued = _reissue(conn, commit, at)
    # Every sealed report is audited, whatever the caller asked: the audit replay
    # (handoff.cases) counts on one "seal" entry per report.
    event, reference = commit.audit_event, None
    changes = (
        (None if sealed is None else sealed.reference, "seal"),
        (reissued, "receipt_reissued"),
    )
    for changed, name in changes:
        if changed is not None:
            if event not in (None, name):
                raise StoreError(f"this turn's audit event is '{name}'")
            event, reference = name, changed
    if event is not None:
        append_audit(conn, signer, now, event=event, reference=reference, actor=None)
    if commit.addition is not None:
        add_addition(conn, signer, commit.addition, now)


def _reissue(conn: sqlite3.Connection, commit: TurnCommit, at: int) -> str | None:
    """Replace an unseen closing's receipt hash, once per read of its mark; its reference."""
    if commit.reissue is None:
        return None
    if commit.sealed is not None:
        raise StoreError("a turn seals a report or reissues a receipt, not both")
    unseen = commit.reissue.unseen
    moved = conn.execute(
        "UPDATE unseen_closings SET reissued = reissued + 1"
        " WHERE conversation = ? AND reference = ? AND reissued = ? AND expires_at > ?",
        (commit.conversation, unseen.reference, unseen.reissued, at),
    )
    if moved.rowcount == 0:
        raise ConflictError("the closing was shown, reissued or expired since it was read")
    conn.execute(
        "UPDATE queue SET receipt_hash = ?, reporter_public = COALESCE(?, reporter_public)"
        " WHERE reference = ?",
        (commit.reissue.receipt_hash, commit.reissue.reporter_public, unseen.reference),
    )
    return unseen.reference


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
