"""The reviewer's work on the queue, with the key kept here: the `ReviewQueue` protocol.

The workstation reaches the server only through `ReviewQueue` (served over
HTTP by `handoff.workstation.client.HttpQueue`): it is handed sealed envelopes
and metadata, and opens envelopes with the private key, which never leaves
this machine. The server knows who is asking from the login token, so no
method names the reviewer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from handoff.audit import AuditRecord
from handoff.cases import CaseState
from handoff.envelope import open_sealed, read_header
from handoff.keys import PublicKey
from handoff.workstation.files import OpenedFile, matched_files, save_files
from handoff.workstation.keyfile import ReviewerPrivateKey
from locales.errors import QueueError, TamperedError

__all__ = [
    "OpenedReport",
    "QueuedEnvelope",
    "ReportMeta",
    "ReviewQueue",
    "SealedMessage",
    "SealedNote",
    "SealedThread",
    "claim_next",
    "open_reference",
    "open_report",
    "open_sealed_report",
]


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """A report as the queue lists it: no content, only where it stands and its deadlines."""

    reference: str
    priority: int
    sealed_at: datetime
    claim: str  # queued | claimed | done
    claimed_by: str | None
    status: str  # received | acknowledged | in_review | referred | closed
    referred_to: str | None
    outcome: str | None
    held: bool
    evidence_count: int | None
    acknowledged_at: datetime | None
    closed_at: datetime | None
    acknowledge_by: datetime
    feedback_by: datetime | None
    unanswered: bool = False  # the newest message of its thread is a reviewer's question


@dataclass(frozen=True, slots=True)
class QueuedEnvelope:
    """A report as a reviewer receives it: metadata and the sealed envelope."""

    meta: ReportMeta
    envelope: bytes

    @property
    def reference(self) -> str:
        return self.meta.reference


@dataclass(frozen=True, slots=True)
class SealedNote:
    note_id: int
    author: str
    at: datetime
    envelope: bytes


@dataclass(frozen=True, slots=True)
class SealedMessage:
    """A message of a case's thread as the server keeps it: sealed, with who and when."""

    message_id: int
    direction: str  # to_reporter | from_reporter
    author: str | None  # reviewer key id; None for the reporter
    created_at: datetime
    read_at: datetime | None  # when the reporter read a reviewer's message
    envelope: bytes


@dataclass(frozen=True, slots=True)
class SealedThread:
    """A case's thread: the reporter's receipt-derived public key (None: the report was
    sealed before replies existed) and every message, oldest first."""

    reference: str
    reporter_key: bytes | None
    unanswered: bool
    messages: tuple[SealedMessage, ...]


class ReviewQueue(Protocol):
    """What the workstation asks of the server, as the reviewer whose token it holds."""

    @property
    def key_id(self) -> str: ...

    async def claim(self) -> QueuedEnvelope | None:
        """Claim the most urgent, then oldest, report sealed to me; None when none waits."""

    async def fetch(self, reference: str) -> QueuedEnvelope | None:
        """A report sealed to me, with its envelope; None if there is none."""

    async def page(
        self, after: str | None = None, limit: int = 100, *, every: bool = False
    ) -> list[ReportMeta]:
        """Open reports sealed to me, urgent first then oldest; `every`: all, by reference."""

    async def finish(self, reference: str) -> ReportMeta: ...

    async def release(self, reference: str) -> ReportMeta: ...

    async def set_status(self, reference: str, status: str, detail: str | None) -> ReportMeta: ...

    async def set_hold(self, reference: str, held: bool) -> ReportMeta: ...

    async def delete(self, reference: str) -> None: ...

    async def add_note(self, reference: str, envelope: bytes) -> None: ...

    async def notes(self, reference: str) -> list[SealedNote]: ...

    async def reviewers(self) -> list[PublicKey]:
        """The keys a note is sealed to (every active reviewer)."""

    async def thread(self, reference: str) -> SealedThread:
        """A case's thread; QueueError if the report is not sealed to me."""

    async def add_message(self, reference: str, envelope: bytes) -> None:
        """Keep a message to the reporter, sealed here (`handoff.workstation.thread`)."""

    async def audit_entries(self) -> list[AuditRecord]: ...

    async def report_states(self) -> list[CaseState]: ...

    async def logout(self) -> None:
        """End this login on the server."""


@dataclass(frozen=True, slots=True)
class OpenedReport:
    """A decrypted report as the reviewer reads it."""

    reference: str
    priority: int
    sealed_at: datetime
    report: dict[str, Any]
    files: tuple[OpenedFile, ...] = ()

    def save_files(self, folder: Path) -> list[Path]:
        """Write the evidence files into `folder` (0700) as 0600 files with safe names."""
        return save_files(self.reference, self.files, folder)


async def claim_next(queue: ReviewQueue, key: ReviewerPrivateKey) -> OpenedReport | None:
    """Claim the most urgent, then oldest, report and open it; None if the queue is empty.

    If the envelope cannot be opened (tampered) the error is raised and the
    report stays claimed until its lease runs out, so the next call moves on.
    """
    queued = await queue.claim()
    return None if queued is None else open_report(queued, key)


async def open_reference(
    queue: ReviewQueue, key: ReviewerPrivateKey, reference: str
) -> OpenedReport:
    """Open again a report sealed to this key (e.g. to save its files). QueueError if none."""
    queued = await queue.fetch(reference)
    if queued is None:
        raise QueueError(f"no report {reference} for this key", reference)
    return open_report(queued, key)


def open_report(queued: QueuedEnvelope, key: ReviewerPrivateKey) -> OpenedReport:
    """Decrypt a queued envelope and check it is the report the queue says it is."""
    return open_sealed_report(queued.reference, queued.envelope, key)


def open_sealed_report(reference: str, envelope: bytes, key: ReviewerPrivateKey) -> OpenedReport:
    """Decrypt `envelope`, checking it is report `reference`; TamperedError otherwise."""
    header = read_header(envelope)
    if header.reference != reference:
        raise TamperedError(f"{reference}: the queue row holds another report's envelope")
    body = open_sealed(envelope, key)
    try:
        report = json.loads(body.report.decode("utf-8"))
    except ValueError as exc:
        raise TamperedError(f"{reference}: the sealed report is not JSON") from exc
    if not isinstance(report, dict) or report.get("reference") != header.reference:
        raise TamperedError(f"{reference}: the sealed report names another reference")
    files: Sequence[OpenedFile] = ()
    if header.format >= 2:
        files = matched_files(header.reference, report, body.files)
    return OpenedReport(header.reference, header.priority, header.sealed_at, report, tuple(files))
