"""SqliteStore: the embedded default `Store`, one SQLite file.

Two connections, each owned by a thread of its own (`store._thread`):

- the write connection runs every write as ONE function call holding one whole
  transaction (turn commits go through the `GroupCommitter`), so nothing can
  interleave with a transaction and each write is one round trip;
- the read connection serves every read, `begin_turn` (the one read on every
  turn) included. WAL lets it read the last committed state while the writer
  waits on an fsync.

The writer's connection also copies the WAL into the database file (SQLite's
automatic checkpoint, every 1,000 pages, inside the COMMIT that crosses the
line). A checkpointer thread of its own used to do that beside the writer, to
keep that copy off a turn's path at 1,500 turns/s; at real load it made no
difference measured (bench/README.md, 2026-12-07: commit p99 at 100 turns/s
113-179 ms with it, 83-188 without, on a machine whose fsyncs dominated).

Durability and privacy: journal_mode=WAL, synchronous=FULL (an acknowledged turn
survives power loss), secure_delete=ON (deleted drafts are overwritten, and
`sweep` truncates the WAL), and the file is created 0600 (SQLite gives its -wal
and -shm files the database file's mode). Only event names are ever logged.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar

from locales.errors import StoreError
from store import _atrest, _cases, _followup, _ops, _reviewers
from store._thread import ConnectionThread
from store._types import (
    AuditEntry,
    AuditSigner,
    CaseStatus,
    FollowupCase,
    LoginRecord,
    Note,
    NoticeCounts,
    QueuedReport,
    ReceiptAttempts,
    ReviewerKey,
    Rewrap,
    RewrapCounts,
    Thread,
    ThreadMessage,
    TurnCommit,
    TurnStart,
)
from store._writer import GroupCommitter, WriterStats
from store.migrate import apply_migrations, load_migrations

T = TypeVar("T")

_BUSY_TIMEOUT_MS = 5000
_COMMON_PRAGMAS = (
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}",
)


class SqliteStore:
    """The `Store` protocol on one SQLite file; use `async with SqliteStore(path, signer)`."""

    def __init__(self, path: Path, signer: AuditSigner) -> None:
        self._path = Path(path)
        self._signer = signer
        self._writer = ConnectionThread("tipline-store-write")
        self._reader = ConnectionThread("tipline-store-read")
        self._committer = GroupCommitter(self._writer.call, signer)
        self._open = False

    @property
    def path(self) -> Path:
        return self._path

    @property
    def stats(self) -> WriterStats:
        """Turn transactions committed so far and the turns they held (for benchmarks)."""
        return self._committer.stats

    # -- lifecycle ---------------------------------------------------------------

    async def open(self) -> None:
        """Create the file (0600) if needed, connect, and run pending migrations."""
        if self._open:
            return
        try:
            await asyncio.to_thread(_create_private_file, self._path)
        except OSError as exc:
            raise StoreError("cannot create the database file") from exc
        migrations = await asyncio.to_thread(load_migrations)
        try:
            await self._writer.open(lambda: _connect(self._path, _configure_writer))
            await self._writer.call(lambda conn: apply_migrations(conn, migrations))
            await self._reader.open(lambda: _connect(self._path, _configure_reader))
            await asyncio.to_thread(_tighten_modes, self._path)
        except BaseException:
            await self._shut()
            raise
        self._committer = GroupCommitter(self._writer.call, self._signer)
        self._open = True

    async def close(self) -> None:
        """Let pending turns commit, then close the connections (the WAL is folded in)."""
        if not self._open:
            return
        self._open = False
        try:
            await self._committer.close()
        finally:
            await self._shut()

    async def _shut(self) -> None:
        try:
            await self._reader.close()
        finally:
            # Closed last, the writer checkpoints the WAL into the file and removes it.
            await self._writer.close()

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _write(self, work: Callable[[sqlite3.Connection], T], /) -> T:
        return await self._writer.call(work)

    async def _read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await self._reader.call(work)

    # -- turns ---------------------------------------------------------------------

    async def begin_turn(self, conversation: bytes, ledger_key: bytes, now: datetime) -> TurnStart:
        """The stored reply for this message (if seen) and the live draft, in one SELECT."""
        return await self._read(lambda c: _ops.begin_turn(c, conversation, ledger_key, now))

    async def commit_turn(self, commit: TurnCommit, now: datetime) -> None:
        """Write the turn in one transaction, shared with the turns pending at that moment.

        ConflictError (nothing written): the draft version moved, the message was
        already handled, or the sealed report's reference or receipt is taken.
        """
        if not self._open:
            raise StoreError("the store is not open")
        await self._committer.commit(commit, now)

    async def closing_seen(self, conversation: bytes, reference: str) -> None:
        """The closing of `reference` was shown: drop its unseen mark."""
        await self._write(lambda c: _ops.closing_seen(c, conversation, reference))

    async def sweep(self, now: datetime) -> int:
        """Delete expired drafts, their files and ledger rows, expired unseen-closing marks;
        requeue lapsed leases."""
        return await self._write(lambda c: _ops.sweep(c, self._signer, now))

    async def count_drafts(self) -> int:
        """Drafts stored, expired or not (`sweep` removes the expired ones)."""
        return await self._read(_ops.count_drafts)

    async def stored_bytes(self) -> int:
        """Bytes of evidence files held for drafts plus sealed reports in the queue."""
        return await self._read(_ops.stored_bytes)

    async def rewrap_at_rest(self, rewrap: Rewrap, *, apply: bool) -> RewrapCounts:
        """Re-encrypt (or delete) every blob at rest in one transaction; count only unless
        `apply`."""
        return await self._write(lambda c: _atrest.rewrap_at_rest(c, rewrap, apply=apply))

    async def load_attachments(self, conversation: bytes) -> list[tuple[str, bytes]]:
        """The (file id, ciphertext) of a draft's stored files, in the order stored."""
        return await self._read(lambda c: _ops.load_attachments(c, conversation))

    # -- scripts -----------------------------------------------------------------

    async def save_script(self, script_id: str, version: str, source: str) -> None:
        """Keep a script version; StoreError if that version is stored with other text."""
        await self._write(lambda c: _ops.save_script(c, script_id, version, source))

    async def load_script(self, script_id: str, version: str) -> str | None:
        return await self._read(lambda c: _ops.load_script(c, script_id, version))

    # -- reviewers and the queue ---------------------------------------------------

    async def add_reviewer_key(
        self, key: ReviewerKey, now: datetime, totp_secret: bytes | None = None
    ) -> list[str]:
        """Register a key (a real one retires the DEMO keys); StoreError if the id exists."""
        return await self._write(
            lambda c: _reviewers.add_reviewer_key(c, self._signer, key, now, totp_secret)
        )

    async def reviewer_keys(self, active_only: bool = True) -> list[ReviewerKey]:
        return await self._read(lambda c: _reviewers.reviewer_keys(c, active_only))

    async def retire_reviewer(self, key_id: str, now: datetime) -> ReviewerKey:
        return await self._write(lambda c: _reviewers.retire_reviewer(c, self._signer, key_id, now))

    async def login_record(self, key_id: str) -> LoginRecord | None:
        return await self._read(lambda c: _reviewers.login_record(c, key_id))

    async def record_login(
        self, key_id: str, step: int, token_hash: bytes, expires_at: datetime, now: datetime
    ) -> bool:
        return await self._write(
            lambda c: _reviewers.record_login(
                c,
                self._signer,
                key_id=key_id,
                step=step,
                token_hash=token_hash,
                expires_at=expires_at,
                now=now,
            )
        )

    async def record_login_failure(self, key_id: str, now: datetime) -> None:
        await self._write(lambda c: _reviewers.record_login_failure(c, self._signer, key_id, now))

    async def session(self, token_hash: bytes, now: datetime) -> str | None:
        return await self._read(lambda c: _reviewers.session(c, token_hash, now))

    async def end_session(self, token_hash: bytes) -> None:
        await self._write(lambda c: _reviewers.end_session(c, token_hash))

    async def claim(
        self, reviewer: str, now: datetime, lease_until: datetime
    ) -> QueuedReport | None:
        """Claim the most urgent, then oldest, report that is queued or whose lease ran out."""
        return await self._write(
            lambda c: _ops.claim(
                c, self._signer, reviewer=reviewer, now=now, lease_until=lease_until
            )
        )

    async def finish(self, reference: str, reviewer: str | None, now: datetime) -> None:
        """Mark a claimed report done. QueueError if unknown, not claimed, or someone else's."""
        await self._write(
            lambda c: _ops.finish(c, self._signer, reference=reference, reviewer=reviewer, now=now)
        )

    async def release(self, reference: str, reviewer: str | None, now: datetime) -> None:
        """Return a claimed report to the queue. QueueError as for `finish`."""
        await self._write(
            lambda c: _ops.release(c, self._signer, reference=reference, reviewer=reviewer, now=now)
        )

    async def queue(self) -> list[QueuedReport]:
        """Every report in claim order (envelopes included)."""
        return await self._read(_ops.queue)

    async def queue_page(
        self, reviewer: str, after: str | None, limit: int, open_only: bool = True
    ) -> list[QueuedReport]:
        return await self._read(lambda c: _cases.queue_page(c, reviewer, after, limit, open_only))

    async def report_states(self, after: str | None, limit: int) -> list[QueuedReport]:
        return await self._read(lambda c: _cases.report_states(c, after, limit))

    async def report(self, reference: str) -> QueuedReport | None:
        """One report by reference (envelope included), or None."""
        return await self._read(lambda c: _ops.report(c, reference))

    async def fetch(self, reference: str, reviewer: str) -> QueuedReport | None:
        """One report with its envelope if it is sealed to `reviewer`, else None."""
        return await self._read(lambda c: _cases.fetch(c, reference, reviewer))

    async def set_status(
        self, reference: str, reviewer: str, status: CaseStatus, detail: str | None, now: datetime
    ) -> QueuedReport:
        return await self._write(
            lambda c: _cases.set_status(
                c,
                self._signer,
                reference=reference,
                reviewer=reviewer,
                status=status,
                detail=detail,
                now=now,
            )
        )

    async def set_hold(self, reference: str, reviewer: str, held: bool, now: datetime) -> None:
        await self._write(
            lambda c: _cases.set_hold(
                c, self._signer, reference=reference, reviewer=reviewer, held=held, now=now
            )
        )

    async def delete_report(self, reference: str, reviewer: str, now: datetime) -> None:
        await self._write(
            lambda c: _cases.delete_report(
                c, self._signer, reference=reference, reviewer=reviewer, now=now
            )
        )

    async def delete_closed(self, closed_before: datetime, now: datetime) -> int:
        return await self._write(
            lambda c: _cases.delete_closed(c, self._signer, closed_before, now)
        )

    async def add_note(self, reference: str, reviewer: str, envelope: bytes, now: datetime) -> Note:
        return await self._write(
            lambda c: _cases.add_note(
                c, self._signer, reference=reference, reviewer=reviewer, envelope=envelope, now=now
            )
        )

    async def notes(self, reference: str) -> list[Note]:
        return await self._read(lambda c: _cases.notes(c, reference))

    async def audit_event(
        self, event: str, reference: str | None, actor: str | None, now: datetime
    ) -> None:
        await self._write(
            lambda c: _cases.audit_event(
                c, self._signer, event=event, reference=reference, actor=actor, now=now
            )
        )

    async def notice_counts(
        self, after_row: int, acknowledge_before: datetime, feedback_before: datetime
    ) -> NoticeCounts:
        return await self._read(
            lambda c: _cases.notice_counts(c, after_row, acknowledge_before, feedback_before)
        )

    async def audit_head(self) -> AuditEntry | None:
        return await self._read(_ops.audit_head)

    async def audit_page(self, after: int, limit: int) -> list[AuditEntry]:
        return await self._read(lambda c: _ops.audit_log(c, after, limit))

    async def receipt_exists(self, receipt_hash: bytes) -> bool:
        return await self._read(lambda c: _ops.receipt_exists(c, receipt_hash))

    # -- follow-up -------------------------------------------------------------------

    async def followup_case(self, receipt_hash: bytes, used_since: datetime) -> FollowupCase | None:
        return await self._read(lambda c: _followup.followup_case(c, receipt_hash, used_since))

    async def reporter_returned(self, reference: str, now: datetime) -> list[ThreadMessage]:
        return await self._write(lambda c: _followup.reporter_returned(c, reference, now))

    async def thread(self, reference: str) -> Thread | None:
        return await self._read(lambda c: _followup.thread(c, reference))

    async def add_reviewer_message(
        self, reference: str, reviewer: str, envelope: bytes, now: datetime
    ) -> ThreadMessage:
        return await self._write(
            lambda c: _followup.add_reviewer_message(
                c, self._signer, reference=reference, reviewer=reviewer, envelope=envelope, now=now
            )
        )

    async def receipt_attempts(self, scope: bytes) -> ReceiptAttempts | None:
        return await self._read(lambda c: _followup.receipt_attempts(c, scope))

    async def record_receipt_failure(
        self, scopes: Mapping[bytes, timedelta], now: datetime
    ) -> list[ReceiptAttempts]:
        return await self._write(
            lambda c: _followup.record_receipt_failure(c, self._signer, scopes, now)
        )

    async def clear_receipt_attempts(self, scope: bytes) -> None:
        await self._write(lambda c: _followup.clear_receipt_attempts(c, scope))

    # -- audit -----------------------------------------------------------------------

    async def audit_log(self) -> list[AuditEntry]:
        """Every audit entry, by seq."""
        return await self._read(_ops.audit_log)


def _connect(path: Path, configure: Callable[[sqlite3.Connection], None]) -> sqlite3.Connection:
    """A connection for a `ConnectionThread`, made on its thread."""
    # isolation_level=None: the store issues BEGIN/COMMIT itself.
    conn = sqlite3.connect(path, isolation_level=None, timeout=_BUSY_TIMEOUT_MS / 1000)
    try:
        configure(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _configure_writer(conn: sqlite3.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise StoreError(f"the database cannot use WAL (journal mode {mode})")
    for pragma in _COMMON_PRAGMAS:
        conn.execute(pragma)


def _configure_reader(conn: sqlite3.Connection) -> None:
    for pragma in _COMMON_PRAGMAS:
        conn.execute(pragma)
    conn.execute("PRAGMA query_only = ON")


def _create_private_file(path: Path) -> None:
    """Create the database file with mode 0600 before SQLite does it with the umask's."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    os.close(fd)


def _tighten_modes(path: Path) -> None:
    """Make the database, -wal and -shm files 0600 if anything left them wider."""
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(name.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            name.chmod(mode & 0o700)
