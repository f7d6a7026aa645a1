"""Persistence behind one interface: the `Store` protocol and its SQLite implementation.

Import the public API from here; the underscored modules are the implementation.
"""

from store._types import (
    AtRest,
    AtRestKind,
    AuditEntry,
    AuditSigner,
    CaseStatus,
    DraftRow,
    LoginRecord,
    Note,
    NoticeCounts,
    Priority,
    QueuedReport,
    QueueStatus,
    Reissue,
    ReviewerKey,
    Rewrap,
    RewrapCounts,
    SealedReport,
    Store,
    TurnCommit,
    TurnStart,
    UnseenClosing,
)
from store._writer import WriterStats
from store.sqlite import SqliteStore

__all__ = [
    "AtRest",
    "AtRestKind",
    "AuditEntry",
    "AuditSigner",
    "CaseStatus",
    "DraftRow",
    "LoginRecord",
    "Note",
    "NoticeCounts",
    "Priority",
    "QueueStatus",
    "QueuedReport",
    "Reissue",
    "ReviewerKey",
    "Rewrap",
    "RewrapCounts",
    "SealedReport",
    "SqliteStore",
    "Store",
    "TurnCommit",
    "TurnStart",
    "UnseenClosing",
    "WriterStats",
]
