"""The SQLite store's operations, as plain functions run on a connection's own thread.

Each function is one whole unit of work (one statement or one transaction), so
`SqliteStore` hands it to its connection's thread (`store._thread`) in a single
call: one round trip per operation, and nothing can interleave with its
transaction.
Datetimes are stored as integer microseconds since the epoch, UTC.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TypeVar, cast

from locales.errors import QueueError, StoreError
from store._types import (
    AuditEntry,
    AuditSigner,
    CaseStatus,
    DraftRow,
    QueuedReport,
    QueueStatus,
    TurnStart,
    UnseenClosing,
)

T = TypeVar("T")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_QUIET = timedelta(days=7)


def to_micros(at: datetime) -> int:
    """A timezone-aware datetime as integer microseconds since the epoch."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise StoreError("the store takes timezone-aware datetimes only")
    return (at - _EPOCH) // _MICROSECOND


def from_micros(micros: int) -> datetime:
    return _EPOCH + micros * _MICROSECOND


def in_write_transaction(conn: sqlite3.Connection, work: Callable[[], T]) -> T:
    """Run `work` inside BEGIN IMMEDIATE … COMMIT; roll back if it raises."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = work()
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return result


def append_audit(
    conn: sqlite3.Connection,
    signer: AuditSigner,
    now: datetime,
    *,
    event: str,
    reference: str | None,
    actor: str | None,
) -> None:
    """Append one chained entry; call inside the transaction of the event it records.

    The one place the audit chain grows: every event (a seal, a queue change, a
    registered key) comes through here, whichever operation records it.
    """
    last = conn.execute("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev_mac = (1, signer.genesis) if last is None else (last[0] + 1, bytes(last[1]))
    at_micros = to_micros(now)
    at = from_micros(at_micros)  # sign exactly what `audit_log` will read back
    mac = signer(seq, at, event, reference, actor, prev_mac)
    conn.execute(
        "INSERT INTO audit (seq, at, event, reference, actor, prev_mac, mac, scheme)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at_micros, event, reference, actor, prev_mac, mac, signer.scheme),
    )


# -- turns --------------------------------------------------------------------

_BEGIN_TURN = """
SELECT (SELECT reply FROM ledger WHERE key = :key AND expires_at > :now),
       d.blob, d.version, d.expires_at, u.reference, u.locale, u.expires_at, u.reissued
FROM (SELECT 1)
LEFT JOIN drafts AS d ON d.conversation = :conversation AND d.expires_at > :now
LEFT JOIN unseen_closings AS u ON u.conversation = :conversation AND u.expires_at > :now
"""


def begin_turn(
    conn: sqlite3.Connection, conversation: bytes, ledger_key: bytes, now: datetime
) -> TurnStart:
    """The live ledger reply, draft and unseen closing, read by ONE statement (one
    consistent snapshot)."""
    row = conn.execute(
        _BEGIN_TURN, {"key": ledger_key, "now": to_micros(now), "conversation": conversation}
    ).fetchone()
    reply, blob, version, expires_at, reference, locale, unseen_expires, reissued = row
    draft = None if blob is None else DraftRow(bytes(blob), version, from_micros(expires_at))
    unseen = None
    if reference is not None:
        unseen = UnseenClosing(reference, locale, from_micros(unseen_expires), reissued)
    return TurnStart(None if reply is None else bytes(reply), draft, unseen)


def closing_seen(conn: sqlite3.Connection, conversation: bytes, reference: str) -> None:
    """Drop the unseen-closing mark of `reference` in `conversation` (if it is there)."""
    in_write_transaction(
        conn,
        lambda: conn.execute(
            "DELETE FROM unseen_closings WHERE conversation = ? AND reference = ?",
            (conversation, reference),
        ),
    )


def sweep(conn: sqlite3.Connection, signer: AuditSigner, now: datetime) -> int:
    """Delete expired drafts with their stored replies, files without a draft and expired
    ledger rows; requeue lapsed leases."""
    at = to_micros(now)

    def work() -> int:
        touched = conn.execute(
            "DELETE FROM ledger WHERE conversation IN"
            " (SELECT conversation FROM drafts WHERE expires_at <= ?)",
            (at,),
        ).rowcount
        touched += conn.execute("DELETE FROM drafts WHERE expires_at <= ?", (at,)).rowcount
        touched += conn.execute(
            "DELETE FROM attachments WHERE conversation NOT IN (SELECT conversation FROM drafts)"
        ).rowcount
        touched += conn.execute("DELETE FROM ledger WHERE expires_at <= ?", (at,)).rowcount
        touched += conn.execute("DELETE FROM unseen_closings WHERE expires_at <= ?", (at,)).rowcount
        # Wrong-receipt counters a week quiet count for nothing any more (bot.followup).
        touched += conn.execute(
            "DELETE FROM receipt_attempts WHERE last_at <= ?", (to_micros(now - _QUIET),)
        ).rowcount
        lapsed = conn.execute(
            "SELECT reference, claimed_by FROM queue"
            " WHERE status = 'claimed' AND lease_until < ? ORDER BY rowid",
            (at,),
        ).fetchall()
        for reference, previous in lapsed:
            _set_status(conn, reference, "queued")
            append_audit(
                conn, signer, now, event="lease_expired", reference=reference, actor=previous
            )
        return touched + len(lapsed)

    touched = in_write_transaction(conn, work)
    # Copy the overwritten pages into the database file and cut the WAL to zero,
    # so deleted drafts do not linger in old WAL frames either.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return touched


def count_drafts(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM drafts").fetchone()[0])


def stored_bytes(conn: sqlite3.Connection) -> int:
    # length() of a blob reads its size from the record header, not the blob's pages.
    files = conn.execute("SELECT coalesce(sum(length(blob)), 0) FROM attachments").fetchone()[0]
    sealed = conn.execute("SELECT coalesce(sum(length(envelope)), 0) FROM queue").fetchone()[0]
    return int(files) + int(sealed)


def load_attachments(conn: sqlite3.Connection, conversation: bytes) -> list[tuple[str, bytes]]:
    rows = conn.execute(
        "SELECT id, blob FROM attachments WHERE conversation = ? ORDER BY rowid", (conversation,)
    ).fetchall()
    return [(str(file_id), bytes(blob)) for file_id, blob in rows]


# -- scripts --------------------------------------------------------------------


def save_script(conn: sqlite3.Connection, script_id: str, version: str, source: str) -> None:
    """Keep a script version; the same version with different source is refused."""

    def work() -> None:
        stored = conn.execute(
            "INSERT INTO scripts (script_id, version, source) VALUES (?, ?, ?)"
            " ON CONFLICT (script_id, version) DO NOTHING",
            (script_id, version, source),
        )
        if stored.rowcount == 0 and load_script(conn, script_id, version) != source:
            raise StoreError(
                f"script {script_id} version {version} is already stored with different "
                "text; give the changed script a new version"
            )

    in_write_transaction(conn, work)


def load_script(conn: sqlite3.Connection, script_id: str, version: str) -> str | None:
    row = conn.execute(
        "SELECT source FROM scripts WHERE script_id = ? AND version = ?", (script_id, version)
    ).fetchone()
    return None if row is None else str(row[0])


# -- the queue ----------------------------------------------------------------------

QUEUE_COLUMNS = (
    "reference, priority, sealed_at, status, claimed_by, lease_until, {envelope}, case_status,"
    " referred_to, outcome, acknowledged_at, closed_at, held, evidence_count,"
    " coalesce((SELECT direction = 'to_reporter' FROM thread"
    " WHERE thread.reference = queue.reference ORDER BY id DESC LIMIT 1), 0)"
)
_QUEUE_COLUMNS = QUEUE_COLUMNS.format(envelope="envelope")
# Sealed to this reviewer: `recipients` is ",id1,id2,".
SEALED_TO = "instr(recipients, ',' || :reviewer || ',') > 0"
# Two index-ordered probes instead of one OR, so claiming stays O(log n) however
# many finished reports the table keeps.
_NEXT_QUEUED = f"""
SELECT {_QUEUE_COLUMNS}, rowid FROM queue WHERE status = 'queued' AND {SEALED_TO}
ORDER BY priority DESC, sealed_at, rowid LIMIT 1
"""  # noqa: S608 -- constant column list, no input
_NEXT_LAPSED = f"""
SELECT {_QUEUE_COLUMNS}, rowid FROM queue
WHERE status = 'claimed' AND lease_until < :now AND {SEALED_TO}
ORDER BY priority DESC, sealed_at, rowid LIMIT 1
"""  # noqa: S608 -- constant column list, no input


def _time(value: object) -> datetime | None:
    return None if value is None else from_micros(cast(int, value))


def report_from_row(row: Sequence[object]) -> QueuedReport:
    """A `QueuedReport` from the columns of `QUEUE_COLUMNS`, in order."""
    reference, priority, sealed_at, status, claimed_by, lease_until, envelope = row[:7]
    case_status, referred_to, outcome, acknowledged_at, closed_at, held, files = row[7:14]
    unanswered = row[14]
    return QueuedReport(
        reference=cast(str, reference),
        priority=cast(int, priority),
        sealed_at=from_micros(cast(int, sealed_at)),
        status=cast(QueueStatus, status),
        claimed_by=cast("str | None", claimed_by),
        lease_until=_time(lease_until),
        envelope=bytes(cast(bytes, envelope)),
        case_status=cast(CaseStatus, case_status),
        referred_to=cast("str | None", referred_to),
        outcome=cast("str | None", outcome),
        acknowledged_at=_time(acknowledged_at),
        closed_at=_time(closed_at),
        held=bool(held),
        evidence_count=cast("int | None", files),
        unanswered=bool(unanswered),
    )


_report = report_from_row


def _set_status(
    conn: sqlite3.Connection,
    reference: str,
    status: QueueStatus,
    claimed_by: str | None = None,
    lease_until: int | None = None,
) -> None:
    conn.execute(
        "UPDATE queue SET status = ?, claimed_by = ?, lease_until = ? WHERE reference = ?",
        (status, claimed_by, lease_until, reference),
    )


def claim(
    conn: sqlite3.Connection,
    signer: AuditSigner,
    *,
    reviewer: str,
    now: datetime,
    lease_until: datetime,
) -> QueuedReport | None:
    at, until = to_micros(now), to_micros(lease_until)

    def work() -> QueuedReport | None:
        params = {"reviewer": reviewer, "now": at}
        rows = [
            conn.execute(_NEXT_QUEUED, params).fetchone(),
            conn.execute(_NEXT_LAPSED, params).fetchone(),
        ]
        candidates = [r for r in rows if r is not None]
        if not candidates:
            return None
        # Urgent first, then oldest, then first inserted: the index order of both probes.
        row = min(candidates, key=lambda r: (-r[1], r[2], r[-1]))
        reference, previous = row[0], row[4]
        if row[3] == "claimed":
            append_audit(
                conn, signer, now, event="lease_expired", reference=reference, actor=previous
            )
        _set_status(conn, reference, "claimed", reviewer, until)
        append_audit(conn, signer, now, event="claim", reference=reference, actor=reviewer)
        return _report((*row[:3], "claimed", reviewer, until, *row[6:15]))

    return in_write_transaction(conn, work)


def _claimed_by(conn: sqlite3.Connection, reference: str, reviewer: str | None) -> None:
    row = conn.execute(
        "SELECT status, claimed_by FROM queue WHERE reference = ?", (reference,)
    ).fetchone()
    if row is None:
        raise QueueError(f"no report {reference}", reference)
    if row[0] != "claimed":
        raise QueueError(f"report {reference} is not claimed (it is {row[0]})", reference)
    if reviewer is not None and row[1] != reviewer:
        raise QueueError(f"report {reference} is claimed by another reviewer", reference)


def finish(
    conn: sqlite3.Connection,
    signer: AuditSigner,
    *,
    reference: str,
    reviewer: str | None,
    now: datetime,
) -> None:
    def work() -> None:
        _claimed_by(conn, reference, reviewer)
        conn.execute(
            "UPDATE queue SET status = 'done', lease_until = NULL WHERE reference = ?",
            (reference,),
        )
        append_audit(conn, signer, now, event="done", reference=reference, actor=reviewer)

    in_write_transaction(conn, work)


def release(
    conn: sqlite3.Connection,
    signer: AuditSigner,
    *,
    reference: str,
    reviewer: str | None,
    now: datetime,
) -> None:
    def work() -> None:
        _claimed_by(conn, reference, reviewer)
        _set_status(conn, reference, "queued")
        append_audit(conn, signer, now, event="release", reference=reference, actor=reviewer)

    in_write_transaction(conn, work)


def queue(conn: sqlite3.Connection) -> list[QueuedReport]:
    rows = conn.execute(
        f"SELECT {_QUEUE_COLUMNS} FROM queue ORDER BY priority DESC, sealed_at, rowid"  # noqa: S608
    ).fetchall()
    return [_report(r) for r in rows]


def report(conn: sqlite3.Connection, reference: str) -> QueuedReport | None:
    row = conn.execute(
        f"SELECT {_QUEUE_COLUMNS} FROM queue WHERE reference = ?",  # noqa: S608
        (reference,),
    ).fetchone()
    return None if row is None else _report(row)


def receipt_exists(conn: sqlite3.Connection, receipt_hash: bytes) -> bool:
    row = conn.execute("SELECT 1 FROM queue WHERE receipt_hash = ?", (receipt_hash,)).fetchone()
    return row is not None


def audit_head(conn: sqlite3.Connection) -> AuditEntry | None:
    last = conn.execute("SELECT max(seq) FROM audit").fetchone()[0]
    return None if last is None else audit_log(conn, last - 1, 1)[0]


def audit_log(conn: sqlite3.Connection, after: int = 0, limit: int = -1) -> list[AuditEntry]:
    """Entries with seq > `after`, by seq; at most `limit` (-1: all)."""
    rows = conn.execute(
        "SELECT seq, at, event, reference, actor, prev_mac, mac, scheme FROM audit"
        " WHERE seq > ? ORDER BY seq LIMIT ?",
        (after, limit),
    ).fetchall()
    return [
        AuditEntry(seq, from_micros(at), event, reference, actor, bytes(prev), bytes(mac), scheme)
        for seq, at, event, reference, actor, prev, mac, scheme in rows
    ]
