"""A case's thread on the workstation: asking the reporter, and reading both ways.

A question to the reporter is sealed here, to the reporter's receipt-derived
public key (`handoff.reporter`, fetched with the thread) and to every reviewer
key: the reporter opens it with their secret code, the other reviewers with
their keys, and the server with nothing it holds. What the reporter added is
opened here with the reviewer's key, photos and files included.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from handoff.reporter import ReporterPublic
from handoff.thread import OpenedMessage, open_message, seal_message
from handoff.workstation.files import OpenedFile, save_files
from handoff.workstation.keyfile import ReviewerPrivateKey
from handoff.workstation.queue import ReviewQueue, SealedMessage
from locales.errors import QueueError, SealError, TamperedError

__all__ = [
    "NUDGE",
    "Nudge",
    "ThreadEntry",
    "ask_reporter",
    "nudge_for",
    "read_thread",
    "save_message_files",
]

# What a contactable reporter may be sent: nothing about the report, no name of the service.
NUDGE = "Hello. There is a new message for you. Please use your secret code to read it."


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    """One message as the reviewer reads it: who, when, whether the reporter read it, and
    its text and files (None, with `problem`, if it could not be opened)."""

    sealed: SealedMessage
    opened: OpenedMessage | None
    problem: str | None = None

    @property
    def who(self) -> str:
        if self.sealed.direction == "from_reporter":
            return "reporter (added on follow-up)"
        return f"reviewer {self.sealed.author}"


async def ask_reporter(
    queue: ReviewQueue, reference: str, text: str, now: datetime | None = None
) -> None:
    """Seal `text` to the reporter's key and every reviewer key, and hand it to the server."""
    thread = await queue.thread(reference)
    if thread.reporter_key is None:
        raise QueueError(
            f"{reference} was sealed before replies existed: its reporter cannot be written to",
            reference,
        )
    reporter = ReporterPublic.from_bytes(thread.reporter_key)
    reviewers = await queue.reviewers()
    written = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    envelope = seal_message(
        text,
        [*reviewers, reporter],
        reference=reference,
        direction="to_reporter",
        written_at=written,
    )
    await queue.add_message(reference, envelope)


async def read_thread(
    queue: ReviewQueue, key: ReviewerPrivateKey, reference: str
) -> list[ThreadEntry]:
    """Every message of the case, oldest first, opened with this reviewer's key."""
    thread = await queue.thread(reference)
    entries = []
    for sealed in thread.messages:
        try:
            entries.append(ThreadEntry(sealed, open_message(sealed.envelope, key, reference)))
        except (SealError, TamperedError) as exc:
            entries.append(ThreadEntry(sealed, None, str(exc)))
    return entries


def save_message_files(reference: str, entry: ThreadEntry, folder: Path) -> list[Path]:
    """Write a message's files into `folder` (0700) as 0600 files with safe names."""
    if entry.opened is None:
        return []
    files = [
        OpenedFile(n, media, len(data), hashlib.sha256(data).hexdigest(), data)
        for n, (data, media) in enumerate(entry.opened.files, 1)
    ]
    # "TL-7KQ2-M9XD-m3-1.jpg": the case, the message, the file.
    return save_files(f"{reference}-m{entry.sealed.message_id}", files, folder)


@dataclass(frozen=True, slots=True)
class Nudge:
    """How to tell a reporter a message waits: their contact, and the words to send."""

    kind: str  # phone | email
    address: str
    text: str = NUDGE

    @property
    def link(self) -> str:
        """A link the reviewer's own phone or mail program opens, with the text filled in."""
        body = quote(self.text)
        return (
            f"sms:{self.address}?body={body}"
            if self.kind == "phone"
            else (f"mailto:{self.address}?body={body}")
        )


def nudge_for(report: dict[str, object]) -> Nudge | None:
    """The nudge a report allows: only if the reporter left a phone number or e-mail address
    and said a message may be left (`leave_message` yes); None otherwise.

    Sent by the reviewer from their own phone or mail, never through the server: the
    contact details are sealed, and the server must not learn them to pass a message on.
    """
    answers = report.get("answers")
    if not isinstance(answers, list):
        return None
    by_step = {a.get("step"): a.get("value") for a in answers if isinstance(a, dict)}
    contact, leave = by_step.get("contact_how"), by_step.get("leave_message")
    if leave != "yes" or not isinstance(contact, dict):
        return None
    kind, address = contact.get("type"), contact.get("value")
    if kind not in ("phone", "email") or not isinstance(address, str) or not address:
        return None
    return Nudge(str(kind), address)
