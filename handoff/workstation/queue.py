"""The reviewer's work on the queue: claim, open, finish, release — with the key kept here.

The workstation reaches the queue only through `ReviewQueue`, a small client
protocol: it is handed sealed envelopes and opens them with the private key,
which never leaves this machine. (Today `tipline review` is given an adapter
over a local server's store; the reviewer API replaces it with HTTP.)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from handoff.envelope import open_sealed, read_header
from handoff.workstation.files import OpenedFile, matched_files, save_files
from handoff.workstation.keyfile import ReviewerPrivateKey
from locales.errors import QueueError, TamperedError

__all__ = [
    "OpenedReport",
    "QueuedEnvelope",
    "ReviewQueue",
    "claim_next",
    "open_claimed",
    "open_report",
]


@dataclass(frozen=True, slots=True)
class QueuedEnvelope:
    """A report in the queue as a reviewer receives it: metadata and the sealed envelope."""

    reference: str
    status: str
    claimed_by: str | None
    envelope: bytes


class ReviewQueue(Protocol):
    """What the workstation asks of the server's queue."""

    async def claim(self, reviewer: str) -> QueuedEnvelope | None:
        """Claim the most urgent, then oldest, report for `reviewer`; None when none waits."""
        ...

    async def fetch(self, reference: str) -> QueuedEnvelope | None: ...

    async def finish(self, reference: str, reviewer: str) -> None: ...

    async def release(self, reference: str, reviewer: str) -> None: ...

    async def verify_audit(self) -> tuple[int, list[str]]:
        """The audit log's entry count and every problem found in it."""
        ...


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

    If the envelope cannot be opened (not sealed to this key, or tampered) the
    error is raised and the report stays claimed until its lease runs out, so
    the next call moves on to the next report.
    """
    queued = await queue.claim(key.key_id)
    return None if queued is None else open_report(queued, key)


async def open_claimed(queue: ReviewQueue, key: ReviewerPrivateKey, reference: str) -> OpenedReport:
    """Open again a report this key holds claimed (e.g. to save its files).

    QueueError if the report is unknown or not claimed by this key.
    """
    queued = await queue.fetch(reference)
    if queued is None:
        raise QueueError(f"no report {reference}", reference)
    if queued.status != "claimed" or queued.claimed_by != key.key_id:
        raise QueueError(f"report {reference} is not claimed by this key", reference)
    return open_report(queued, key)


def open_report(queued: QueuedEnvelope, key: ReviewerPrivateKey) -> OpenedReport:
    """Decrypt a queued envelope and check it is the report the queue says it is."""
    header = read_header(queued.envelope)
    if header.reference != queued.reference:
        raise TamperedError(f"{queued.reference}: the queue row holds another report's envelope")
    body = open_sealed(queued.envelope, key)
    try:
        report = json.loads(body.report.decode("utf-8"))
    except ValueError as exc:
        raise TamperedError(f"{queued.reference}: the sealed report is not JSON") from exc
    if not isinstance(report, dict) or report.get("reference") != header.reference:
        raise TamperedError(f"{queued.reference}: the sealed report names another reference")
    files: Sequence[OpenedFile] = ()
    if header.format >= 2:
        files = matched_files(header.reference, report, body.files)
    return OpenedReport(header.reference, header.priority, header.sealed_at, report, tuple(files))
