"""The one interface every store implements (SQLite now, PostgreSQL later).

The store sees only opaque, already-encrypted blobs and keyed hashes: it never
holds a chat id, a message text or a reviewer's private key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

Priority = Literal[0, 1]  # 1 = urgent; the queue serves higher first

QueueStatus = Literal["queued", "claimed", "done"]


@dataclass(frozen=True, slots=True)
class DraftRow:
    """An encrypted draft and the version used to detect concurrent writers."""

    blob: bytes
    version: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class TurnStart:
    """What `begin_turn` found: a stored reply (redelivery) and/or the current draft."""

    ledger_reply: bytes | None
    draft: DraftRow | None


@dataclass(frozen=True, slots=True)
class SealedReport:
    """A sealed report ready to queue; `envelope` is the versioned sealed blob."""

    reference: str
    envelope: bytes
    priority: int
    sealed_at: datetime
    receipt_hash: bytes
    script_id: str
    script_version: str


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One hash-chained audit record. `mac` covers every other field and `prev_mac`."""

    seq: int
    at: datetime
    event: str  # seal, claim, done, release, lease_expired, key_registered
    reference: str | None
    actor: str | None  # reviewer key id, never a person's name
    prev_mac: bytes
    mac: bytes


@dataclass(frozen=True, slots=True)
class TurnCommit:
    """Everything one turn writes, committed in ONE transaction.

    `expected_version` is the draft version read by `begin_turn` (0 = no draft);
    the commit fails with ConflictError when someone else wrote in between.
    `draft` None deletes the draft (sealed, cancelled) and every file stored for
    it. The ledger row (`ledger_key`; None writes none: a message without a
    platform id cannot come again) goes with the draft the turn leaves; a turn
    that leaves none (the ending) writes a row that outlives it, so its reply must
    hold nothing the reporter wrote. `forget_replies` first deletes every stored
    reply of the conversation (the draft ended or started again). `sealed` queues
    a report. `audit` is the audit event to append (e.g.
    "seal") in the same transaction. `attachments_added` stores evidence files as
    (file id, ciphertext); `attachments_removed` deletes files by id. A turn that
    starts a new draft (`expected_version` 0) first deletes any files left from
    an expired one.
    """

    conversation: bytes
    expected_version: int
    draft: bytes | None
    expires_at: datetime | None
    ledger_key: bytes | None
    ledger_reply: bytes
    ledger_expires_at: datetime
    sealed: SealedReport | None = None
    audit_event: str | None = None
    attachments_added: tuple[tuple[str, bytes], ...] = ()
    attachments_removed: tuple[str, ...] = ()
    forget_replies: bool = False


@dataclass(frozen=True, slots=True)
class QueuedReport:
    """A queue row as a reviewer sees it (envelope included after a claim)."""

    reference: str
    priority: int
    sealed_at: datetime
    status: QueueStatus
    claimed_by: str | None
    lease_until: datetime | None
    envelope: bytes


@dataclass(frozen=True, slots=True)
class ReviewerKey:
    """A registered reviewer public key (both halves of the hybrid key, raw)."""

    key_id: str
    mlkem_public: bytes
    x25519_public: bytes
    label: str
    created_at: datetime
    active: bool = True


AtRestKind = Literal["draft", "file", "reply"]


@dataclass(frozen=True, slots=True)
class AtRest:
    """One blob the server encrypted at rest, and the row key it is bound to.

    `key` is the conversation for a draft or a file (whose `file_id` is set), the
    ledger key for a stored reply.
    """

    kind: AtRestKind
    key: bytes
    blob: bytes
    file_id: str | None = None


# The blob re-encrypted, or None when it cannot be opened (its row is deleted).
Rewrap = Callable[[AtRest], bytes | None]


@dataclass(frozen=True, slots=True)
class RewrapCounts:
    """Blobs re-encrypted and rows deleted, by kind."""

    rewrapped: Mapping[AtRestKind, int]
    deleted: Mapping[AtRestKind, int]


class AuditSigner(Protocol):
    """Computes the MAC of an audit entry; the store appends, the signer authenticates.

    `genesis` is the `prev_mac` of the first entry (seq 1): the chain's start
    belongs to whoever verifies it, so the store takes it from the signer.
    """

    @property
    def genesis(self) -> bytes: ...

    def __call__(  # noqa: PLR0917 -- positional by design; every signer implements this
        self,
        seq: int,
        at: datetime,
        event: str,
        reference: str | None,
        actor: str | None,
        prev_mac: bytes,
    ) -> bytes: ...


class Store(Protocol):
    """Persistence for drafts, the ledger, the queue, reviewer keys, scripts and audit."""

    async def open(self) -> None:
        """Connect and run pending migrations."""

    async def close(self) -> None: ...

    # -- turns --------------------------------------------------------------
    async def begin_turn(self, conversation: bytes, ledger_key: bytes, now: datetime) -> TurnStart:
        """The stored reply for this message (if it was handled) and the live draft.

        Always read from the database, in one snapshot: the dedupe check comes
        before the service does any work, so a redelivered message (a second
        "confirm") is answered from the ledger and never steps, takes a receipt or
        seals again. An expired draft or ledger row is reported as absent.
        """

    async def commit_turn(self, commit: TurnCommit, now: datetime) -> None:
        """Write the turn atomically; raise ConflictError if the draft version moved or
        the message was handled already."""

    async def sweep(self, now: datetime) -> int:
        """Delete expired drafts (with their files and stored replies) and expired ledger
        rows; expire queue leases.

        Returns rows touched.
        """

    async def count_drafts(self) -> int: ...

    async def rewrap_at_rest(self, rewrap: Rewrap, *, apply: bool) -> RewrapCounts:
        """Pass every blob encrypted at rest through `rewrap` in ONE transaction.

        A returned blob replaces the old one; None deletes the row (a draft with its
        files and stored replies). `apply` False counts only and changes nothing.
        """

    async def load_attachments(self, conversation: bytes) -> list[tuple[str, bytes]]:
        """The (file id, ciphertext) of every file stored for a draft, in the order stored."""

    # -- scripts ------------------------------------------------------------
    async def save_script(self, script_id: str, version: str, source: str) -> None:
        """Keep a script version's source so conversations can finish on it."""

    async def load_script(self, script_id: str, version: str) -> str | None: ...

    # -- reviewers and the queue --------------------------------------------
    async def add_reviewer_key(self, key: ReviewerKey, now: datetime) -> None: ...

    async def reviewer_keys(self, active_only: bool = True) -> list[ReviewerKey]: ...

    async def claim(
        self, reviewer: str, now: datetime, lease_until: datetime
    ) -> QueuedReport | None:
        """Claim the most urgent, then oldest, report that is queued or whose lease ran out."""

    async def finish(self, reference: str, reviewer: str | None, now: datetime) -> None:
        """Mark a claimed report done. QueueError if unknown or not claimed."""

    async def release(self, reference: str, reviewer: str | None, now: datetime) -> None:
        """Return a claimed report to the queue. QueueError if unknown or not claimed."""

    async def queue(self) -> list[QueuedReport]:
        """Every report, for listing and tests (envelopes included)."""

    async def report(self, reference: str) -> QueuedReport | None:
        """One report by reference (envelope included), or None."""

    async def receipt_exists(self, receipt_hash: bytes) -> bool: ...

    # -- audit ----------------------------------------------------------------
    async def audit_log(self) -> list[AuditEntry]: ...
