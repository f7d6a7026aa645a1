"""The one interface every store implements (SQLite now, PostgreSQL later).

The store sees only opaque, already-encrypted blobs and keyed hashes: it never
holds a chat id, a message text or a reviewer's private key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

Priority = Literal[0, 1]  # 1 = urgent; the queue serves higher first

QueueStatus = Literal["queued", "claimed", "done"]

CaseStatus = Literal["received", "acknowledged", "in_review", "referred", "closed"]


@dataclass(frozen=True, slots=True)
class DraftRow:
    """An encrypted draft and the version used to detect concurrent writers."""

    blob: bytes
    version: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class UnseenClosing:
    """A sealed report whose closing message (reference and receipt) the channel has not
    yet said it showed: the reference, the conversation's language, when the mark
    expires, and how many times a new receipt was issued for it. Never the receipt."""

    reference: str
    locale: str
    expires_at: datetime
    reissued: int = 0


@dataclass(frozen=True, slots=True)
class Reissue:
    """A new receipt for an unseen closing: its hash replaces the report's receipt hash
    only while the mark still stands as `unseen` was read, so it happens once per read
    (two turns cannot both issue one) and the old receipt stops working."""

    unseen: UnseenClosing
    receipt_hash: bytes
    # The public half of the key derived from the new receipt (handoff.reporter): replaced
    # with the hash, or reviewers' messages would be sealed to a code the reporter never saw.
    reporter_public: bytes | None = None


@dataclass(frozen=True, slots=True)
class TurnStart:
    """What `begin_turn` found: a stored reply (redelivery) and/or the current draft, and a
    sealed report of this conversation whose closing was never shown."""

    ledger_reply: bytes | None
    draft: DraftRow | None
    unseen: UnseenClosing | None = None


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
    recipients: tuple[str, ...] = ()  # the key ids it is sealed to: only they may claim it
    evidence_count: int | None = None  # files inside the envelope (None: not recorded)
    reporter_public: bytes | None = None  # the receipt-derived public key (handoff.reporter)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One hash-chained audit record. `mac` (the entry's hash) covers every field and
    `prev_mac`; `scheme` says how (handoff.audit: "sha256-v1", or "hmac-v1" before 0005)."""

    seq: int
    at: datetime
    event: str  # seal, claim, done, release, lease_expired, status:…, key_registered, …
    reference: str | None
    actor: str | None  # reviewer key id, never a person's name
    prev_mac: bytes
    mac: bytes
    scheme: str = "sha256-v1"


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
    a report; with it, `unseen` marks its closing as not yet shown (cleared by
    `closing_seen`). `reissue` replaces an unseen closing's receipt hash (audit
    "receipt_reissued"); ConflictError if the mark moved since it was read.
    `audit` is the audit event to append (e.g. "seal") in the same transaction.
    `attachments_added` stores evidence files as (file id, ciphertext);
    `attachments_removed` deletes files by id. A turn that starts a new draft
    (`expected_version` 0) first deletes any files left from an expired one.
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
    unseen: UnseenClosing | None = None
    reissue: Reissue | None = None
    addition: ThreadAddition | None = None


@dataclass(frozen=True, slots=True)
class ThreadAddition:
    """What a reporter added on follow-up, sealed to the reviewers: it joins the thread of
    `reference` (audited "message:from_reporter") in the turn's transaction."""

    reference: str
    envelope: bytes
    created_at: datetime  # to the minute


Direction = Literal["to_reporter", "from_reporter"]


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    """A sealed message of a case's thread; `read_at` is when the reporter read a reviewer's
    message (None: not yet, or a message from the reporter)."""

    message_id: int
    reference: str
    direction: Direction
    author: str | None  # reviewer key id; None for the reporter
    created_at: datetime
    read_at: datetime | None
    envelope: bytes


@dataclass(frozen=True, slots=True)
class Thread:
    """A case's thread for reviewers: the reporter's public key (None: sealed before
    follow-up existed, so nobody can write to the reporter) and every message, oldest first."""

    reference: str
    reporter_public: bytes | None
    messages: tuple[ThreadMessage, ...]

    @property
    def unanswered(self) -> bool:
        return bool(self.messages) and self.messages[-1].direction == "to_reporter"


@dataclass(frozen=True, slots=True)
class FollowupCase:
    """The case a receipt opens: where it stands, in the words a reporter is told."""

    reference: str
    case_status: CaseStatus
    referred_to: str | None
    reporter_public: bytes | None


@dataclass(frozen=True, slots=True)
class ReceiptAttempts:
    """Wrong receipts in one scope (a conversation, or all): how many since `first_at`."""

    failures: int
    first_at: datetime
    last_at: datetime


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
    case_status: CaseStatus = "received"
    referred_to: str | None = None
    outcome: str | None = None
    acknowledged_at: datetime | None = None
    closed_at: datetime | None = None
    held: bool = False
    evidence_count: int | None = None
    unanswered: bool = False  # the newest message of its thread is a reviewer's question


@dataclass(frozen=True, slots=True)
class NoticeCounts:
    """What reviewers are told without content: reports queued after row `after` (and how
    many urgent), the newest row, and how many reports have missed a deadline."""

    last_row: int
    new: int
    urgent: int
    overdue: int


@dataclass(frozen=True, slots=True)
class Note:
    """A reviewer's note on a report: sealed on the workstation to every reviewer key."""

    note_id: int
    reference: str
    author: str  # key id
    at: datetime
    envelope: bytes


@dataclass(frozen=True, slots=True)
class ReviewerKey:
    """A registered reviewer: both halves of the hybrid HPKE key (raw), the Ed25519 key
    that verifies its logins (None: enrolled before logins existed), and whether it is
    the DEMO key or retired."""

    key_id: str
    mlkem_public: bytes
    x25519_public: bytes
    label: str
    created_at: datetime
    active: bool = True
    verify_key: bytes | None = None
    demo: bool = False
    retired_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LoginRecord:
    """What a login is checked against: the key, its TOTP secret (ciphertext made by the
    caller) and the last TOTP time step used (a code is good once)."""

    key: ReviewerKey
    totp_secret: bytes | None
    last_step: int


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
    """Computes the hash (MAC) of an audit entry; the store appends, the signer chains.

    `genesis` is the `prev_mac` of the first entry (seq 1): the chain's start
    belongs to whoever verifies it, so the store takes it from the signer.
    """

    @property
    def genesis(self) -> bytes: ...

    @property
    def scheme(self) -> str:
        """The name of the construction, stored with each entry (handoff.audit.SCHEME)."""
        ...

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

    async def closing_seen(self, conversation: bytes, reference: str) -> None:
        """The channel showed the closing of `reference` in `conversation`: drop its mark."""

    async def sweep(self, now: datetime) -> int:
        """Delete expired drafts (with their files and stored replies), expired ledger
        rows and expired unseen-closing marks; expire queue leases.

        Returns rows touched.
        """

    async def delete_closed(self, closed_before: datetime, now: datetime) -> int:
        """Retention: delete reports closed before `closed_before` and not held, each with
        a "deleted" audit entry (actor "retention"); the number deleted."""

    async def count_drafts(self) -> int: ...

    async def stored_bytes(self) -> int:
        """Bytes held for reporters' evidence: files of drafts plus sealed reports queued
        (their envelopes carry the files); what TIPLINE_MAX_EVIDENCE_TOTAL_MB caps."""

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
    async def add_reviewer_key(
        self, key: ReviewerKey, now: datetime, totp_secret: bytes | None = None
    ) -> list[str]:
        """Register a key (audit "key_registered"). A real key retires every DEMO key in
        the same transaction ("key_retired"); their ids are returned. A key id registered
        before logins existed (no verify key) is completed instead; any other is refused."""

    async def reviewer_keys(self, active_only: bool = True) -> list[ReviewerKey]: ...

    async def retire_reviewer(self, key_id: str, now: datetime) -> ReviewerKey:
        """Retire a key: no new report is sealed to it, it cannot log in, its sessions end."""

    async def login_record(self, key_id: str) -> LoginRecord | None:
        """An active key's login data, or None."""

    async def record_login(
        self, key_id: str, step: int, token_hash: bytes, expires_at: datetime, now: datetime
    ) -> bool:
        """Use TOTP step `step` and open a session; False (nothing written) if that step or
        a later one was used already, or the key is not active."""

    async def record_login_failure(self, key_id: str, now: datetime) -> None: ...

    async def session(self, token_hash: bytes, now: datetime) -> str | None:
        """The active key id a live session token belongs to, or None."""

    async def end_session(self, token_hash: bytes) -> None: ...

    async def claim(
        self, reviewer: str, now: datetime, lease_until: datetime
    ) -> QueuedReport | None:
        """Claim the most urgent, then oldest, report sealed to `reviewer` that is queued or
        whose lease ran out."""

    async def finish(self, reference: str, reviewer: str | None, now: datetime) -> None:
        """Mark a claimed report done. QueueError if unknown or not claimed."""

    async def release(self, reference: str, reviewer: str | None, now: datetime) -> None:
        """Return a claimed report to the queue. QueueError if unknown or not claimed."""

    async def queue(self) -> list[QueuedReport]:
        """Every report, for listing and tests (envelopes included)."""

    async def queue_page(
        self, reviewer: str, after: str | None, limit: int, open_only: bool = True
    ) -> list[QueuedReport]:
        """Open reports (not both done and closed) sealed to `reviewer` in claim order, after
        the one with reference `after` (a page; envelopes left empty). With `open_only`
        False: every report sealed to `reviewer`, by reference."""

    async def report_states(self, after: str | None, limit: int) -> list[QueuedReport]:
        """Every report by reference, after `after` (envelopes left empty): what the audit
        replay is compared with."""

    async def set_status(
        self, reference: str, reviewer: str, status: CaseStatus, detail: str | None, now: datetime
    ) -> QueuedReport:
        """Change a case status (audited). QueueError if unknown, not sealed to `reviewer` or
        claimed by another reviewer."""

    async def set_hold(self, reference: str, reviewer: str, held: bool, now: datetime) -> None:
        """Place or lift a retention hold (audited). QueueError as for `set_status`."""

    async def delete_report(self, reference: str, reviewer: str, now: datetime) -> None:
        """Delete a closed, unheld report now (audited). QueueError otherwise."""

    async def add_note(self, reference: str, reviewer: str, envelope: bytes, now: datetime) -> Note:
        """Keep a sealed note (audited). QueueError as for `set_status`."""

    async def notes(self, reference: str) -> list[Note]: ...

    async def fetch(self, reference: str, reviewer: str) -> QueuedReport | None:
        """One report with its envelope if it is sealed to `reviewer`, else None."""

    async def audit_event(
        self, event: str, reference: str | None, actor: str | None, now: datetime
    ) -> None:
        """Append an audit entry for an action that changes nothing else (a fetch)."""

    async def notice_counts(
        self, after_row: int, acknowledge_before: datetime, feedback_before: datetime
    ) -> NoticeCounts:
        """Counts for a notification: reports queued after `after_row`, and open reports not
        acknowledged though sealed before `acknowledge_before`, or acknowledged before
        `feedback_before` and neither referred nor closed."""

    async def audit_head(self) -> AuditEntry | None:
        """The newest audit entry, or None for an empty log."""

    async def audit_page(self, after: int, limit: int) -> list[AuditEntry]:
        """Audit entries with seq > `after`, by seq, at most `limit`."""

    async def report(self, reference: str) -> QueuedReport | None:
        """One report by reference (envelope included), or None."""

    async def receipt_exists(self, receipt_hash: bytes) -> bool: ...

    # -- follow-up ------------------------------------------------------------
    async def followup_case(self, receipt_hash: bytes, used_since: datetime) -> FollowupCase | None:
        """The case a receipt hash opens, if its receipt was used (or the case sealed) at or
        after `used_since`; None for no such case or an expired receipt."""

    async def reporter_returned(self, reference: str, now: datetime) -> list[ThreadMessage]:
        """The reporter opened the case: mark the receipt used and the reviewers' messages
        read (to the minute), and return those messages, oldest first."""

    async def thread(self, reference: str) -> Thread | None:
        """A case's thread, or None if there is no such case."""

    async def add_reviewer_message(
        self, reference: str, reviewer: str, envelope: bytes, now: datetime
    ) -> ThreadMessage:
        """Keep a reviewer's sealed message to the reporter (audited "message:to_reporter").
        QueueError as for `set_status`, or if the case has no reporter key."""

    async def receipt_attempts(self, scope: bytes) -> ReceiptAttempts | None:
        """Wrong receipts counted in `scope` (b"" = every conversation), or None."""

    async def record_receipt_failure(
        self, scopes: Mapping[bytes, timedelta], now: datetime
    ) -> list[ReceiptAttempts]:
        """Count a wrong receipt in each scope (a count older than its window starts again)
        and audit "receipt_failed", naming nothing, in one transaction; the new counts."""

    async def clear_receipt_attempts(self, scope: bytes) -> None: ...

    # -- audit ----------------------------------------------------------------
    async def audit_log(self) -> list[AuditEntry]: ...
