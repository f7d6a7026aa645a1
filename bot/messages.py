"""The engine's own message types; channel adapters translate to and from these."""

from __future__ import annotations

from dataclasses import dataclass

from dialogs._types import Option, Reply

__all__ = ["Attachment", "Inbound", "Option", "Outbound", "Reply"]


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the reporter sent (evidence). Held in memory only; never written in clear."""

    media_type: str
    data: bytes
    filename: str | None = None


@dataclass(frozen=True, slots=True)
class Inbound:
    """One message from a reporter, as any channel delivers it.

    `message_id` is the platform's id, used to recognise a redelivery; None for
    events that have none (opening a chat). `text` None means "(re)open the
    conversation": start it, or ask the current question again.
    """

    channel: str
    chat: str
    message_id: str | None
    text: str | None
    locale_hint: str | None = None
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class Outbound:
    """The replies to one inbound message, and how the conversation stands."""

    replies: tuple[Reply, ...]
    ended: bool = False
    reference: str | None = None
