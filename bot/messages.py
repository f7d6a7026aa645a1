"""The seam between the channels and the service: one `Inbound` in, one `Outbound` out.

A channel adapter translates a platform's events into `Inbound`s, hands each to
its `TurnHandler` and renders the `Outbound` it gets back. These types (and the
engine's `Reply`/`Option`, re-exported here) are all a channel knows of Tipline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from dialogs import Controls, Option, Reply
from dialogs.attachments import DONE_ID as FILES_DONE
from dialogs.commands import HELP as COMMANDS_HELP
from dialogs.commands import TOO_LONG
from dialogs.commands import WORDS as COMMAND_WORDS
from dialogs.parsers import MAX_MESSAGE as MAX_ANSWER

__all__ = [
    "COMMANDS_HELP",
    "COMMAND_WORDS",
    "FILES_DONE",
    "MAX_ANSWER",
    "TOO_LONG",
    "Attachment",
    "Controls",
    "Inbound",
    "Option",
    "Outbound",
    "Reply",
    "TurnHandler",
    "reply_fields",
    "reply_from_fields",
    "with_controls",
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
    conversation": start it, or ask the current question again. `controls` is what
    the channel shows besides a text box ("typed": nothing, "choices": a button per
    answer, "buttons": answers and commands), so the bot says "type" or "press" truly.
    """

    channel: str
    chat: str
    message_id: str | None
    text: str | None
    locale_hint: str | None = None
    attachments: tuple[Attachment, ...] = ()
    controls: Controls = "typed"


@dataclass(frozen=True, slots=True)
class Outbound:
    """The replies to one inbound message, and how the conversation stands."""

    replies: tuple[Reply, ...]
    ended: bool = False
    reference: str | None = None
    started: bool = False  # no conversation was going on: this turn began a new one


class TurnHandler(Protocol):
    """Takes one turn: what a channel is given instead of the whole application."""

    async def __call__(self, inbound: Inbound, /) -> Outbound: ...


def with_controls(turns: TurnHandler, controls: Controls) -> TurnHandler:
    """`turns` for a channel that shows `controls`: each of its inbounds says so."""

    async def turn(inbound: Inbound, /) -> Outbound:
        return await turns(replace(inbound, controls=controls))

    return turn


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
        "progress": reply.progress,
        "items": reply.items,
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
        progress=tuple(fields["progress"]) if fields.get("progress") else None,
        items=tuple((label, value) for label, value in fields.get("items", ())),
    )
