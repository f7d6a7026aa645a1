"""Follow-up on SQLite: the receipt's case, the sealed thread, and counting wrong receipts.

Functions run on a connection's own thread (`store._thread`), each one whole
unit of work. Thread times are kept to the minute: a finer time would tie a
message to a platform's or a proxy's records. The policy (how many wrong
receipts lock a conversation out, and for how long) is the caller's
(`bot.followup`); the store only counts.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import cast

from locales.errors import QueueError
from store._cases import may_act
from store._ops import append_audit, from_micros, in_write_transaction, to_micros
from store._types import (
    AuditSigner,
    CaseStatus,
    Direction,
    FollowupCase,
    ReceiptAttempts,
    Thread,
    ThreadAddition,
    ThreadMessage,
)

_MINUTE = 60_000_000  # microseconds
_MESSAGE_COLUMNS = "id, reference, direction, author, created_at, read_at, envelope"


def minute(at: datetime) -> int:
    """`at` as stored in the thread: microseconds, floored to the minute."""
    micros = to_micros(at)
    return micros - micros % _MINUTE


def _message(row: Sequence[object]) -> ThreadMessage:
    message_id, reference, direction, author, created_at, read_at, envelope = row
    return ThreadMessage(
        message_id=cast(int, message_id),
        reference=cast(str, reference),
        direction=cast(Direction, direction),
        author=cast("str | None", author),
        created_at=from_micros(cast(int, created_at)),
        read_at=None if read_at is None else from_micros(cast(int, read_at)),
        envelope=bytes(cast(bytes, envelope)),
    )


def followup_case(
    conn: sqlite3.Connection, receipt_hash: bytes, used_since: datetime
) -> FollowupCase | None:
    row = conn.execute(
        "SELECT reference, case_status, referred_to, reporter_public FROM queue"
        " WHERE receipt_hash = ? AND coalesce(receipt_used_at, sealed_at) >= ?",
        (receipt_hash, to_micros(used_since)),
    ).fetchone()
    if row is None:
        return None
    reference, status, referred_to, public = row
    return FollowupCase(
        reference=reference,
        case_status=cast(CaseStatus, status),
        referred_to=referred_to,
        reporter_public=None if public is None else bytes(public),
    )


def reporter_returned(
    conn: sqlite3.Connection, reference: str, now: datetime
) -> list[ThreadMessage]:
    at = minute(now)

    def work() -> list[ThreadMessage]:
        conn.execute("UPDATE queue SET receipt_used_at = ? WHERE reference = ?", (at, reference))
        conn.execute(
            "UPDATE thread SET read_at = ? WHERE reference = ? AND direction = 'to_reporter'"
            " AND read_at IS NULL",
            (at, reference),
        )
        rows = conn.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM thread"  # noqa: S608 -- constant columns
            " WHERE reference = ? AND direction = 'to_reporter' ORDER BY id",
            (reference,),
        ).fetchall()
        return [_message(r) for r in rows]

    return in_write_transaction(conn, work)


def thread(conn: sqlite3.Connection, reference: str) -> Thread | None:
    case = conn.execute(
        "SELECT reporter_public FROM queue WHERE reference = ?", (reference,)
    ).fetchone()
    if case is None:
        return None
    rows = conn.execute(
        f"SELECT {_MESSAGE_COLUMNS} FROM thread WHERE reference = ? ORDER BY id",  # noqa: S608
        (reference,),
    ).fetchall()
    public = None if case[0] is None else bytes(case[0])
    return Thread(reference, public, tuple(_message(r) for r in rows))


def _insert(
    conn: sqlite3.Connection,
    *,
    reference: str,
    direction: Direction,
    author: str | None,
    envelope: bytes,
    created_at: datetime,
) -> ThreadMessage:
    at = minute(created_at)
    cursor = conn.execute(
        "INSERT INTO thread (reference, direction, author, created_at, envelope)"
        " VALUES (?, ?, ?, ?, ?)",
        (reference, direction, author, at, envelope),
    )
    message_id = int(cursor.lastrowid or 0)
    return ThreadMessage(message_id, reference, direction, author, from_micros(at), None, envelope)


def add_reviewer_message(
    conn: sqlite3.Connection,
    signer: AuditSigner,
    *,
    reference: str,
    reviewer: str,
    envelope: bytes,
    now: datetime,
) -> ThreadMessage:
    def work() -> ThreadMessage:
        may_act(conn, reference, reviewer, now)
        row = conn.execute(
            "SELECT reporter_public IS NOT NULL FROM queue WHERE reference = ?", (reference,)
        ).fetchone()
        if not row[0]:
            raise QueueError(f"report {reference} was sealed before replies existed", reference)
        message = _insert(
            conn,
            reference=reference,
            direction="to_reporter",
            author=reviewer,
            envelope=envelope,
            created_at=now,
        )
        append_audit(
            conn, signer, now, event="message:to_reporter", reference=reference, actor=reviewer
        )
        return message

    return in_write_transaction(conn, work)


def add_addition(
    conn: sqlite3.Connection, signer: AuditSigner, addition: ThreadAddition, now: datetime
) -> None:
    """Inside a turn's transaction: the reporter's addition joins the thread, audited."""
    found = conn.execute(
        "UPDATE queue SET receipt_used_at = ? WHERE reference = ?",
        (minute(now), addition.reference),
    ).rowcount
    if not found:
        raise QueueError(f"no report {addition.reference}", addition.reference)
    _insert(
        conn,
        reference=addition.reference,
        direction="from_reporter",
        author=None,
        envelope=addition.envelope,
        created_at=addition.created_at,
    )
    append_audit(
        conn, signer, now, event="message:from_reporter", reference=addition.reference, actor=None
    )


def _attempts(row: Sequence[object] | None) -> ReceiptAttempts | None:
    if row is None:
        return None
    failures, first_at, last_at = row
    return ReceiptAttempts(
        cast(int, failures), from_micros(cast(int, first_at)), from_micros(cast(int, last_at))
    )


def receipt_attempts(conn: sqlite3.Connection, scope: bytes) -> ReceiptAttempts | None:
    return _attempts(
        conn.execute(
            "SELECT failures, first_at, last_at FROM receipt_attempts WHERE scope = ?", (scope,)
        ).fetchone()
    )


def record_receipt_failure(
    conn: sqlite3.Connection,
    signer: AuditSigner,
    scopes: Mapping[bytes, timedelta],
    now: datetime,
) -> list[ReceiptAttempts]:
    at = to_micros(now)

    def work() -> list[ReceiptAttempts]:
        counts: list[ReceiptAttempts] = []
        for scope, window in scopes.items():
            since = to_micros(now - window)
            conn.execute(
                "INSERT INTO receipt_attempts (scope, failures, first_at, last_at)"
                " VALUES (:scope, 1, :at, :at) ON CONFLICT (scope) DO UPDATE SET"
                " failures = CASE WHEN first_at < :since THEN 1 ELSE failures + 1 END,"
                " first_at = CASE WHEN first_at < :since THEN :at ELSE first_at END,"
                " last_at = :at",
                {"scope": scope, "at": at, "since": since},
            )
            found = receipt_attempts(conn, scope)
            if found is not None:
                counts.append(found)
        append_audit(conn, signer, now, event="receipt_failed", reference=None, actor=None)
        return counts

    return in_write_transaction(conn, work)


def clear_receipt_attempts(conn: sqlite3.Connection, scope: bytes) -> None:
    in_write_transaction(
        conn, lambda: conn.execute("DELETE FROM receipt_attempts WHERE scope = ?", (scope,))
    )
