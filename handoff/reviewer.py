"""What the `tipline review` commands do, on the reviewer's own workstation.

The private key never leaves this machine: the store hands over a sealed
envelope and it is opened here. Everything talks to the `Store` protocol only.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.errors import QueueError, TamperedError
from handoff.audit import verify_chain
from handoff.envelope import open_sealed, read_header
from handoff.evidence import OpenedFile, matched_files, save_files
from handoff.keys import (
    DEFAULT_SCRYPT_N,
    ReviewerPrivateKey,
    reviewer_key_record,
    save_private_key,
)
from store._types import AuditSigner, QueuedReport, ReviewerKey, Store

# Characters a reporter could use to rewrite the reviewer's terminal or to flip
# the visual order of text: C0/C1 controls (except newline and tab) and the
# explicit bidi embeddings, overrides and isolates.
_UNSAFE_CODES = [c for c in range(0xA0) if (c < 0x20 or c >= 0x7F) and c not in (0x09, 0x0A)]
_UNSAFE = {
    c: f"\\u{c:04x}" for c in [*_UNSAFE_CODES, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
}
_INDENT = "    "


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


async def register_new_key(
    store: Store,
    out: Path,
    passphrase: bytes,
    label: str,
    now: datetime,
    *,
    scrypt_n: int = DEFAULT_SCRYPT_N,
) -> ReviewerKey:
    """Make a key pair, save the private key to `out` (0600), register the public half."""
    key = ReviewerPrivateKey.generate()
    await asyncio.to_thread(save_private_key, out, key, passphrase, label, scrypt_n=scrypt_n)
    record = reviewer_key_record(key, label, now)
    await store.add_reviewer_key(record, now)
    return record


async def claim_next(
    store: Store, key: ReviewerPrivateKey, now: datetime, lease: timedelta
) -> OpenedReport | None:
    """Claim the most urgent, then oldest, report and open it; None if the queue is empty.

    If the envelope cannot be opened (not sealed to this key, or tampered) the
    error is raised and the report stays claimed until its lease runs out, so
    the next call moves on to the next report.
    """
    queued = await store.claim(key.key_id, now, now + lease)
    if queued is None:
        return None
    return _open(queued, key)


async def open_claimed(store: Store, key: ReviewerPrivateKey, reference: str) -> OpenedReport:
    """Open again a report this key holds claimed (e.g. to save its files).

    QueueError if the report is unknown or not claimed by this key.
    """
    queued = await store.report(reference)
    if queued is None:
        raise QueueError(f"no report {reference}", reference)
    if queued.status != "claimed" or queued.claimed_by != key.key_id:
        raise QueueError(f"report {reference} is not claimed by this key", reference)
    return _open(queued, key)


def _open(queued: QueuedReport, key: ReviewerPrivateKey) -> OpenedReport:
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
    files = matched_files(header.reference, report, body.files) if header.format >= 2 else ()
    return OpenedReport(header.reference, header.priority, header.sealed_at, report, files)


async def finish(store: Store, reference: str, reviewer_id: str | None, now: datetime) -> None:
    """Mark a claimed report done; `reviewer_id` None skips the claimant check.

    QueueError if the report is unknown, not claimed, or claimed by someone else.
    """
    await store.finish(reference, reviewer_id, now)


async def release(store: Store, reference: str, reviewer_id: str | None, now: datetime) -> None:
    """Put a claimed report back in the queue; same checks as `finish`."""
    await store.release(reference, reviewer_id, now)


async def verify_audit(
    store: Store, signer: AuditSigner, expected_head: tuple[int, bytes] | None = None
) -> list[str]:
    """Problems in the store's audit chain; an empty list means intact."""
    return verify_chain(await store.audit_log(), signer, expected_head)


def _safe(text: str) -> str:
    return text.translate(_UNSAFE)


def _display(answer: dict[str, Any]) -> str:
    display = answer.get("display")
    if isinstance(display, str):
        return display
    return json.dumps(answer.get("value"), ensure_ascii=False)


def render_text(opened: OpenedReport, saved: list[Path] | None = None) -> str:
    """A plain-text rendering for a terminal; reporter text is neutralised, never interpreted.

    `saved` are the paths the files were saved to (None: not saved).
    """
    report = opened.report
    script = report.get("script") or {}
    urgent = "  [URGENT]" if opened.priority else ""
    lines = [
        f"Report {_safe(opened.reference)}{urgent}",
        f"Sealed:   {opened.sealed_at.isoformat(sep=' ', timespec='seconds')}",
        f"Language: {_safe(str(report.get('locale', '?')))}",
        f"Script:   {_safe(str(script.get('id', '?')))} v{_safe(str(script.get('version', '?')))}",
    ]
    if report.get("flags"):
        lines.append("Flags:    " + ", ".join(_safe(str(f)) for f in report["flags"]))
    if report.get("confirmed_at"):
        lines.append(f"Confirmed: {_safe(str(report['confirmed_at']))}")
    lines.append("")
    for answer in report.get("answers", []):
        label = _safe(str(answer.get("summary") or answer.get("step") or "?"))
        body = _safe(_display(answer)).splitlines() or [""]
        if len(body) == 1:
            lines.append(f"{label}: {body[0]}")
        else:
            lines.append(f"{label}:")
            lines.extend(f"{_INDENT}{line}" if line else "" for line in body)
    lines += _files_text(opened, saved)
    return "\n".join(lines) + "\n"


def _files_text(opened: OpenedReport, saved: list[Path] | None) -> list[str]:
    lines = []
    missing = opened.report.get("attachments_missing")
    if opened.files:
        lines += ["", f"Files: {len(opened.files)}"]
        for item in opened.files:
            where = f"  -> {_safe(str(saved[item.number - 1]))}" if saved else ""
            lines.append(
                f"{_INDENT}{item.number}. {_safe(item.media_type)}, {_size(item.size)},"
                f" sha256 {item.sha256[:16]}…{where}"
            )
        if not saved:
            lines.append(
                f"{_INDENT}Not saved. To save them: tipline review open {opened.reference}"
                " --key KEYFILE --save-files DIR"
            )
        lines.append(
            f"{_INDENT}Photos were cleaned of EXIF/GPS; other files are exactly as sent,"
            " metadata included."
        )
    if isinstance(missing, int) and missing > 0:
        lines.append(f"WARNING: {missing} file(s) the reporter sent could not be sealed.")
    return lines


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 2**20:
        return f"{size / 1024:.0f} KB"
    return f"{size / 2**20:.1f} MB"


def render_json(opened: OpenedReport, saved: list[Path] | None = None) -> str:
    """The report as JSON for tools: the envelope's metadata, the report, the files."""
    document = {
        "reference": opened.reference,
        "priority": opened.priority,
        "sealed_at": opened.sealed_at.isoformat(),
        "report": opened.report,
        "files": [
            {
                "number": f.number,
                "media_type": f.media_type,
                "size": f.size,
                "sha256": f.sha256,
                "saved_as": str(saved[f.number - 1]) if saved else None,
            }
            for f in opened.files
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
