"""A sealed report's case on SQLite: statuses, holds, notes, deletion; pages for reviewers.

Functions run on a connection's own thread (`store._thread`), each one whole
unit of work; every change writes its audit entry in the same transaction, with
the event names `handoff.cases` replays ("status:referred:iopc", "hold",
"deleted", …). A reviewer acts only on reports sealed to their key and not
claimed by someone else (`may_act`: the one rule).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from locales.errors import QueueError
from store._ops import (
    QUEUE_COLUMNS,
    SEALED_TO,
    append_audit,
    from_micros,
    in_write_transaction,
    report_from_row,
    to_micros,
)
from store._types import AuditSigner, CaseStatus, Note, NoticeCounts, QueuedReport

_LIGHT_COLUMNS = QUEUE_COLUMNS.format(envelope="x''")
# Word for word the WHERE of the partial index queue_open_order (migration 0005).
OPEN = "(status <> 'done' OR case_status <> 'closed')"
_FULL_COLUMNS = QUEUE_COLUMNS.format(envelope="envelope")


def may_act(conn: sqlite3.Connection, reference: str, reviewer: str, now: datetime) -> None:
    """QueueError unless `reference` exists, is sealed to `reviewer`, and nobody else
    holds a live claim on it."""
    row = conn.execute(
        f"SELECT status, claimed_by, lease_until, {SEALED_TO} FROM queue"  # noqa: S608
        " WHERE reference = :reference",
        {"reference": reference, "reviewer": reviewer},
    ).fetchone()
    if row is None or not row[3]:
        raise QueueError(f"no report {reference} for this key", reference)
    status, claimed_by, lease_until = row[:3]
    if status == "claimed" and claimed_by != reviewer and lease_until >= to_micros(now):
        raise QueueError(f"report {reference} is claimed by another reviewer", reference)


def set_status(
    conn: sqlite3.Connection,
    signer: AuditSigner,
    *,
    reference: str,
    reviewer: str,
    status: CaseStatus,
    detail: str | None,
    now: datetime,
) -> QueuedReport:
    at = to_micros(now)

    def work() -> QueuedReport:
        may_act(conn, reference, reviewer, now)
        # The same rule as handoff.cases.apply_status, which replays it from the log.
        conn.execute(
            "UPDATE queue SET case_status = :status,"
            " referred_to = CASE WHEN :status = 'referred' THEN :detail ELSE referred_to END,"
            " outcome = CASE WHEN :status = 'closed' THEN :detail END,"
            " acknowledged_at = coalesce(acknowledged_at,"
            "   CASE WHEN :status <> 'received' THEN :at END),"
            " closed_at = CASE WHEN :status = 'closed' THEN :at END"
            " WHERE reference = :reference",
            {"status": status, "detail": detail, "at": at, "reference": reference},
        )
        event = f"status:{status}" if detail is None else f"status:{status}:{detail}"
        append_audit(conn, signer, now, event=event, reference=reference, actor=reviewer)
        row = conn.execute(
            f"SELECT {_LIGHT_COLUMNS} FROM queue WHERE reference = ?",  # noqa: S608
            (reference,),
        ).fetchone()
        return report_from_row(row)

    return in_write_transaction(conn, work)


def set_hold(
    conn: sqlite3.Connection,
    signer: AuditSigner,
    *,
    reference: str,
    reviewer: str,
    held: bool,
    now: datetime,
) -> None:
    def work() -> None:
        may_act(conn, reference, reviewer, now)
        conn.execute("UPDATE queue SET held = ? WHERE reference = ?", (int(held), reference))
        event = "hold" if held else "unhold"
        append_audit(conn, signer, now, event=event, reference=reference, actor=reviewer)

    in_write_transaction(conn, work)


def _delete(
    conn: sqlite3.Connection, signer: AuditSigner, reference: str, actor: str, now: datetime
) -> None:
    conn.execute("DELETE FROM queue WHERE reference = ?", (reference,))  # notes cascade
    append_audit(conn, signer, now, event="deleted", reference=reference, actor=actor)


def delete_report(
    conn: sqlite3.Connection, signer: AuditSigner, *, reference: str, reviewer: str, now: datetime
) -> None:
    def work() -> None:
        may_act(conn, reference, reviewer, now)
        row = conn.execute(
            "SELECT case_status, held FROM queue WHERE reference = ?", (reference,)
        ).fetchone()
        if row[0] != "closed" or row[1]:
            state = "held" if row[1] else row[0]
            raise QueueError(f"only a closed report without a hold is deleted ({state})", reference)
        _delete(conn, signer, reference, reviewer, now)

    in_write_transaction(conn, work)


def delete_closed(
    conn: sqlite3.Connection, signer: AuditSigner, closed_before: datetime, now: datetime
) -> int:
    """Retention: every closed, unheld report closed before `closed_before`, audited."""

    def work() -> int:
        rows = conn.execute(
            "SELECT reference FROM queue WHERE case_status = 'closed' AND closed_at < ?"
            " AND held = 0 ORDER BY closed_at, rowid",
            (to_micros(closed_before),),
        ).fetchall()
        for (reference,) in rows:
            _delete(conn, signer, reference, "retention", now)
        return len(rows)

    return in_write_transaction(conn, work)


def add_note(
    conn: sqlite3.Connection,
    signer: AuditSigner,
    *,
    reference: str,
    reviewer: str,
    envelope: bytes,
    now: datetime,
) -> Note:
    at = to_micros(now)

    def work() -> Note:
        may_act(conn, reference, reviewer, now)
        cursor = conn.execute(
            "INSERT INTO notes (reference, author, at, envelope) VALUES (?, ?, ?, ?)",
            (reference, reviewer, at, envelope),
        )
        append_audit(conn, signer, now, event="note", reference=reference, actor=reviewer)
        return Note(int(cursor.lastrowid or 0), reference, reviewer, from_micros(at), envelope)

    return in_write_transaction(conn, work)


def notes(conn: sqlite3.Connection, reference: str) -> list[Note]:
    rows = conn.execute(
        "SELECT id, reference, author, at, envelope FROM notes WHERE reference = ? ORDER BY id",
        (reference,),
    ).fetchall()
    return [Note(n, r, a, from_micros(at), bytes(e)) for n, r, a, at, e in rows]


def queue_page(
    conn: sqlite3.Connection, reviewer: str, after: str | None, limit: int, open_only: bool = True
) -> list[QueuedReport]:
    """Open reports sealed to `reviewer` (not both done and closed), urgent first then oldest,
    after `after` (keyset paging)."""
    params: dict[str, object] = {"reviewer": reviewer, "limit": limit}
    if not open_only:  # every report sealed to `reviewer`, by reference (the unique index)
        rows = conn.execute(
            f"SELECT {_LIGHT_COLUMNS} FROM queue WHERE reference > :after AND {SEALED_TO}"  # noqa: S608
            " ORDER BY reference LIMIT :limit",
            params | {"after": after or ""},
        ).fetchall()
        return [report_from_row(r) for r in rows]
    where = f"{OPEN} AND {SEALED_TO}"
    if after is not None:
        cursor = conn.execute(
            "SELECT priority, sealed_at, rowid FROM queue WHERE reference = ?", (after,)
        ).fetchone()
        if cursor is None:
            raise QueueError(f"no report {after}", after)
        params |= {"p": cursor[0], "s": cursor[1], "r": cursor[2]}
        where += (
            " AND (priority < :p OR (priority = :p AND"
            " (sealed_at > :s OR (sealed_at = :s AND rowid > :r))))"
        )
    rows = conn.execute(
        f"SELECT {_LIGHT_COLUMNS} FROM queue WHERE {where}"  # noqa: S608 -- constant parts
        " ORDER BY priority DESC, sealed_at, rowid LIMIT :limit",
        params,
    ).fetchall()
    return [report_from_row(r) for r in rows]


def report_states(conn: sqlite3.Connection, after: str | None, limit: int) -> list[QueuedReport]:
    rows = conn.execute(
        f"SELECT {_LIGHT_COLUMNS} FROM queue WHERE reference > ?"  # noqa: S608
        " ORDER BY reference LIMIT ?",
        (after or "", limit),
    ).fetchall()
    return [report_from_row(r) for r in rows]


def fetch(conn: sqlite3.Connection, reference: str, reviewer: str) -> QueuedReport | None:
    """One report with its envelope, if it is sealed to `reviewer`."""
    row = conn.execute(
        f"SELECT {_FULL_COLUMNS} FROM queue WHERE reference = :reference"  # noqa: S608
        f" AND {SEALED_TO}",
        {"reference": reference, "reviewer": reviewer},
    ).fetchone()
    return None if row is None else report_from_row(row)


def audit_event(
    conn: sqlite3.Connection,
    signer: AuditSigner,
    *,
    event: str,
    reference: str | None,
    actor: str | None,
    now: datetime,
) -> None:
    in_write_transaction(
        conn,
        lambda: append_audit(conn, signer, now, event=event, reference=reference, actor=actor),
    )


_NOTICE = """
SELECT (SELECT coalesce(max(rowid), 0) FROM queue),
       (SELECT count(*) FROM queue WHERE rowid > :after),
       (SELECT count(*) FROM queue WHERE rowid > :after AND priority = 1),
       (SELECT count(*) FROM queue WHERE case_status NOT IN ('referred', 'closed') AND (
            (acknowledged_at IS NULL AND sealed_at < :ack)
            OR acknowledged_at < :feedback))
"""


def notice_counts(
    conn: sqlite3.Connection,
    after_row: int,
    acknowledge_before: datetime,
    feedback_before: datetime,
) -> NoticeCounts:
    params = {
        "after": after_row,
        "ack": to_micros(acknowledge_before),
        "feedback": to_micros(feedback_before),
    }
    last, new, urgent, overdue = conn.execute(_NOTICE, params).fetchone()
    return NoticeCounts(int(last), int(new), int(urgent), int(overdue))
