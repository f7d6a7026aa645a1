"""Deadlines a reviewer must meet (the EU Whistleblowing Directive's, set on the server).

A report must be acknowledged within 7 days of sealing, and the reporter given
feedback within 3 months of acknowledging (taken as met once the case is
referred or closed). `due_items` lists what is overdue or due within 48 hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from handoff.workstation.queue import ReportMeta

__all__ = ["SOON", "Due", "due_items"]

SOON = timedelta(hours=48)


@dataclass(frozen=True, slots=True)
class Due:
    reference: str
    what: str  # "acknowledge" | "feedback"
    by: datetime
    overdue: bool
    priority: int


def next_deadline(row: ReportMeta) -> tuple[str, datetime] | None:
    """The deadline a report has yet to meet, or None."""
    if row.status == "closed":
        return None
    if row.acknowledged_at is None:
        return "acknowledge", row.acknowledge_by
    if row.status != "referred" and row.feedback_by is not None:
        return "feedback", row.feedback_by
    return None


def due_items(rows: Sequence[ReportMeta], now: datetime, within: timedelta = SOON) -> list[Due]:
    """Overdue first, then by deadline: every deadline passed or due within `within`."""
    found = []
    for row in rows:
        deadline = next_deadline(row)
        if deadline is not None and deadline[1] <= now + within:
            what, by = deadline
            found.append(Due(row.reference, what, by, by < now, row.priority))
    return sorted(found, key=lambda d: (not d.overdue, d.by, -d.priority))
