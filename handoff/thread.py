"""A case's thread: messages between the reviewers and the anonymous reporter, always sealed.

A message is a TLE1 envelope (`handoff.envelope`, see ENVELOPE.md, "Thread
messages") whose `script_id` says its direction and whose `script_version` is
its message id, so the HPKE `info` binds every wrapped key to the case's
reference, the direction and the message:

- "thread:to-reporter": a reviewer's message, sealed on the workstation to the
  reporter's receipt-derived public key (`handoff.reporter`) and to every
  reviewer key, so the server can open it with neither its files nor its secret;
- "thread:from-reporter": what the reporter added (text and files), sealed on
  the server to the reviewers' keys only, like a report.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from handoff.envelope import EnvelopeHeader, open_sealed, read_header, seal
from handoff.keys import PublicKey, Recipient
from locales.errors import SealError, TamperedError

__all__ = [
    "MAX_MESSAGE",
    "Direction",
    "OpenedMessage",
    "message_direction",
    "new_message_id",
    "open_message",
    "seal_message",
]

Direction = Literal["to_reporter", "from_reporter"]
_SCRIPTS: dict[Direction, str] = {
    "to_reporter": "thread:to-reporter",
    "from_reporter": "thread:from-reporter",
}
MAX_MESSAGE = 4000  # characters: what a reporter reads on a phone


@dataclass(frozen=True, slots=True)
class OpenedMessage:
    """A decrypted thread message: its text, its files (bytes, media type) and its header."""

    reference: str
    message_id: str
    direction: Direction
    written_at: datetime
    text: str
    files: tuple[tuple[bytes, str], ...] = ()


def new_message_id() -> str:
    return secrets.token_hex(8)


def seal_message(
    text: str,
    recipients: Sequence[PublicKey],
    *,
    reference: str,
    direction: Direction,
    written_at: datetime,
    message_id: str | None = None,
    files: Sequence[tuple[bytes, str]] = (),
) -> bytes:
    """Seal a message on `reference`'s thread. `written_at` should already be coarse
    (the minute): it is in the clear header."""
    if len(text) > MAX_MESSAGE or not (text.strip() or files):
        raise SealError(f"a message is 1 to {MAX_MESSAGE} characters, or files")
    message_id = message_id or new_message_id()
    body = {
        "kind": "message",
        "direction": direction,
        "text": text,
        "files": [
            {"media_type": media, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for data, media in files
        ],
    }
    return seal(
        json.dumps(body, ensure_ascii=False).encode(),
        recipients,
        reference=reference,
        script_id=_SCRIPTS[direction],
        script_version=message_id,
        priority=0,
        sealed_at=written_at,
        files=[data for data, _ in files],
    )


def message_direction(header: EnvelopeHeader) -> Direction | None:
    """The direction a clear header names, or None if it is not a thread message."""
    for direction, script in _SCRIPTS.items():
        if header.script_id == script:
            return direction
    return None


def open_message(envelope: bytes, key: Recipient, reference: str) -> OpenedMessage:
    """Decrypt a thread message of `reference`; TamperedError if it is not one, SealError
    if `key` cannot open it."""
    header = read_header(envelope)
    direction = message_direction(header)
    if header.reference != reference or direction is None:
        raise TamperedError(f"{reference}: a thread message belongs to another case")
    opened = open_sealed(envelope, key)
    try:
        body: Any = json.loads(opened.report)
    except ValueError as exc:
        raise TamperedError(f"{reference}: a thread message is not JSON") from exc
    if (
        not isinstance(body, dict)
        or body.get("direction") != direction
        or not isinstance(body.get("text"), str)
        or not isinstance(body.get("files"), list)
        or len(body["files"]) != len(opened.files)
    ):
        raise TamperedError(f"{reference}: a thread message is damaged")
    files: list[tuple[bytes, str]] = []
    for entry, data in zip(body["files"], opened.files, strict=True):
        if (
            not isinstance(entry, dict)
            or entry.get("size") != len(data)
            or entry.get("sha256") != hashlib.sha256(data).hexdigest()
        ):
            raise TamperedError(f"{reference}: a file of a thread message does not match")
        files.append((data, str(entry.get("media_type"))))
    return OpenedMessage(
        reference=reference,
        message_id=header.script_version,
        direction=direction,
        written_at=header.sealed_at,
        text=body["text"],
        files=tuple(files),
    )
