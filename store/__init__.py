"""Persistence behind one interface: the `Store` protocol and its SQLite implementation.

Import the public API from here; the underscored modules are the implementation.
"""

from store._types import (
    AtRest,
    AtRestKind,
    AuditEntry,
    AuditSigner,
    CaseStatus,
    Direction,
    DraftRow,
    FollowupCase,
    LoginRecord,
    Note,
    NoticeCounts,
    Priority,
    QueuedReport,
    QueueStatus,
    ReceiptAttempts,
    ReviewerKey,
    Rewrap,
    RewrapCounts,
    SealedReport,
    Store,
    Thread,
    ThreadAddition,
    ThreadMessage,
    TurnCommit,
    TurnStart,
)
from store._writer import WriterStats
from store.sqlite import SqliteStore

__all__ = [
    "AtRest",
    "AtRestKind",
    "AuditEntry",
    "AuditSigner",
    "CaseStatus",
    "Direction",
    "DraftRow",
    "FollowupCase",
    "LoginRecord",
    "Note",
    "NoticeCounts",
    "Priority",
    "QueueStatus",
    "QueuedReport",
    "ReceiptAttempts",
    "ReviewerKey",
    "Rewrap",
    "RewrapCounts",
    "SealedReport",
    "SqliteStore",
    "Store",
    "Thread",
    "ThreadAddition",
    "ThreadMessage",
    "TurnCommit",
    "TurnStart",
    "WriterStats",
]
