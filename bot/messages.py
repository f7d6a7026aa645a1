"""The engine's own message types; channel adapters translate to and from these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dialogs._types import Option, Reply

__all__ = [
    "Attachment",
    "Inbound",
    "Option",
    "Outbound",
    "Reply",
    "reply_fields",
    "reply_from_fields",
]


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


def reply_fields(reply: Reply) -> dict[str, Any]:
    """A reply as plain JSON-ready fields; `reply_from_fields` reverses it."""
    return {
        "text": reply.text,
        "options": [{"id": o.id, "label": o.label} for o in reply.options],
        "multi": reply.multi,
        "expects": reply.expects,
        "sensitive": reply.sensitive,
        "step": reply.step,
        "direction": reply.direction,
    }


def reply_from_fields(fields: Mapping[str, Any]) -> Reply:
    """The reply `reply_fields` gave (other keys beside them, like the web chat's, are ignored)."""
    return Reply(
        text=fields["text"],
        options=tuple(Option(o["id"], o["label"]) for o in fields["options"]),
        multi=fields["multi"],
        expects=fields["expects"],
        sensitive=fields["sensitive"],
        step=fields["step"],
        direction=fields["direction"],
    )
