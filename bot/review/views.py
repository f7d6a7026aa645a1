"""The reviewer API's JSON: what a report, a note, an audit entry look like on the wire.

Binary values (envelopes, hashes, keys) are base64; times are ISO 8601 UTC.
A report's metadata never includes content: reference, priority, claim,
status, deadlines, evidence count and the hour it was sealed.
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

from store import AuditEntry, Note, QueuedReport, ReviewerKey, Thread, ThreadMessage

JSON = dict[str, object]


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def when(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def report_meta(
    row: QueuedReport, acknowledge_within: timedelta, feedback_within: timedelta
) -> JSON:
    """A report as a reviewer's queue shows it, with its deadlines."""
    feedback_by = (
        None if row.acknowledged_at is None else when(row.acknowledged_at + feedback_within)
    )
    return {
        "reference": row.reference,
        "priority": row.priority,
        "sealed_at": when(row.sealed_at),
        "claim": row.status,
        "claimed_by": row.claimed_by,
        "lease_until": when(row.lease_until),
        "status": row.case_status,
        "referred_to": row.referred_to,
        "outcome": row.outcome,
        "held": row.held,
        "evidence_count": row.evidence_count,
        "acknowledged_at": when(row.acknowledged_at),
        "closed_at": when(row.closed_at),
        "acknowledge_by": when(row.sealed_at + acknowledge_within),
        "feedback_by": feedback_by,
        "unanswered": row.unanswered,
    }


def case_state(row: QueuedReport) -> JSON:
    """The fields the audit replay covers (handoff.cases.CaseState)."""
    return {
        "reference": row.reference,
        "claim": row.status,
        "claimed_by": row.claimed_by,
        "status": row.case_status,
        "referred_to": row.referred_to,
        "outcome": row.outcome,
        "held": row.held,
    }


def note(row: Note) -> JSON:
    return {
        "id": row.note_id,
        "author": row.author,
        "at": when(row.at),
        "envelope": b64(row.envelope),
    }


def message(row: ThreadMessage) -> JSON:
    return {
        "id": row.message_id,
        "direction": row.direction,
        "author": row.author,
        "created_at": when(row.created_at),
        "read_at": when(row.read_at),
        "envelope": b64(row.envelope),
    }


def thread(row: Thread) -> JSON:
    return {
        "reference": row.reference,
        "reporter_key": None if row.reporter_public is None else b64(row.reporter_public),
        "unanswered": row.unanswered,
        "messages": [message(m) for m in row.messages],
    }


def audit_entry(entry: AuditEntry) -> JSON:
    return {
        "seq": entry.seq,
        "at": when(entry.at),
        "event": entry.event,
        "reference": entry.reference,
        "actor": entry.actor,
        "prev": b64(entry.prev_mac),
        "hash": b64(entry.mac),
        "scheme": entry.scheme,
    }


def reviewer(key: ReviewerKey) -> JSON:
    return {
        "key_id": key.key_id,
        "label": key.label,
        "ml_kem_768": b64(key.mlkem_public),
        "x25519": b64(key.x25519_public),
    }
