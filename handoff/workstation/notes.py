"""Reviewers' notes: sealed here, to every reviewer key, so the server keeps only ciphertext.

A note is a small JSON document (reference, author key id, when, text) sealed
with the same envelope as a report (`handoff.envelope.seal`, script id "note"),
bound to the report's reference. The server checks only that the clear header
names that report; it cannot read the note.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from handoff.envelope import open_sealed, read_header, seal
from handoff.keys import PublicKey, Recipient
from locales.errors import TamperedError

__all__ = ["NOTE_SCRIPT", "OpenedNote", "open_note", "seal_note"]

NOTE_SCRIPT = "note"
MAX_NOTE = 20_000  # characters


@dataclass(frozen=True, slots=True)
class OpenedNote:
    reference: str
    author: str
    written_at: str
    text: str


def seal_note(
    reference: str, text: str, author: str, recipients: Sequence[PublicKey], now: datetime
) -> bytes:
    """A note on `reference`, sealed to `recipients` (every reviewer key)."""
    if not text.strip() or len(text) > MAX_NOTE:
        raise ValueError(f"a note is 1 to {MAX_NOTE} characters")
    body = {"reference": reference, "author": author, "written_at": now.isoformat(), "text": text}
    return seal(
        json.dumps(body, ensure_ascii=False).encode(),
        recipients,
        reference=reference,
        script_id=NOTE_SCRIPT,
        script_version="1",
        priority=0,
        sealed_at=now,
    )


def open_note(envelope: bytes, key: Recipient, reference: str) -> OpenedNote:
    """Decrypt a note and check it belongs to `reference`; TamperedError otherwise."""
    header = read_header(envelope)
    if header.reference != reference or header.script_id != NOTE_SCRIPT:
        raise TamperedError(f"{reference}: a note belongs to another report")
    try:
        body = json.loads(open_sealed(envelope, key).report)
    except ValueError as exc:
        raise TamperedError(f"{reference}: a note is not JSON") from exc
    if not isinstance(body, dict) or body.get("reference") != reference:
        raise TamperedError(f"{reference}: a note names another report")
    return OpenedNote(
        reference, str(body.get("author")), str(body.get("written_at")), str(body.get("text"))
    )
