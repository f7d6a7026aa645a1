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
    conversation": start it, or ask the current question again. Without a
    `message_id` too (a page view), nothing is stored: a conversation's draft
    begins with its first answer, so a flood of page views fills no table.
    `controls` is what the channel shows besides a text box ("typed": nothing,
    "choices": a button per answer, "buttons": answers and commands), so the bot
    says "type" or "press" truly.
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
    reference: str | None = None  # set with a closing: the report's reference
    started: bool = False  # no conversation was going on: this turn began a new one
    # The conversation's language after the turn (it may have just changed), for the words a
    # channel adds of its own; None when the service could not say (an old ledger entry).
    locale: str | None = None
    # Nothing was taken or stored (the server is full): the reply says so, and the same
    # message may be sent again later.
    refused: bool = False


class TurnHandler(Protocol):
    """Takes one turn: what a channel is given instead of the whole application.

    After showing an `Outbound` in full (sent, printed, served), the channel says
    so with `delivered`: a closing (its `reference` set) not known to be shown is
    given again, with a new receipt, on the conversation's next message.
    """

    async def __call__(self, inbound: Inbound, /) -> Outbound: ...

    async def delivered(self, channel: str, chat: str, outbound: Outbound, /) -> None: ...


def with_controls(turns: TurnHandler, controls: Controls) -> TurnHandler:
    """`turns` for a channel that shows `controls`: each of its inbounds says so."""
    return _WithControls(turns, controls)


class _WithControls:
    def __init__(self, turns: TurnHandler, controls: Controls) -> None:
        self._turns = turns
        self._controls = controls

    async def __call__(self, inbound: Inbound, /) -> Outbound:
        return await self._turns(replace(inbound, controls=self._controls))

    async def delivered(self, channel: str, chat: str, outbound: Outbound, /) -> None:
        await self._turns.delivered(channel, chat, outbound)


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
