"""Channel adapters: each turns a platform's events into `Inbound`s and replies back.

A channel gets a `ChannelContext`: the `TurnHandler` (one inbound message in,
the replies out), the settings, and keys derived for it from the server
secret. It never touches the dialogs, the store or sealing (import-linter holds
this), and it never needs to guess how a conversation stands: the `Outbound`
says whether it ended or started afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from aiohttp import web

from bot.messages import TurnHandler
from bot.settings import Settings

__all__ = ["Channel", "ChannelContext", "ChannelSecrets"]


class ChannelSecrets(Protocol):
    """What a channel may have of the server secret: keys of its own, and sealing at rest."""

    def key(self, purpose: str) -> bytes:
        """A 32-byte key for `purpose` alone (e.g. "web-csrf"), derived from the server secret."""
        ...

    def seal_at_rest(self, plaintext: bytes, bound_to: bytes) -> bytes: ...

    def open_at_rest(self, blob: bytes, bound_to: bytes) -> bytes: ...


@dataclass(frozen=True, slots=True)
class ChannelContext:
    """Everything a channel is given."""

    turns: TurnHandler
    settings: Settings
    secrets: ChannelSecrets
    evidence_types: tuple[str, ...] = ()  # file extensions the service takes, for file pickers


class Channel(Protocol):
    """A channel's lifecycle inside `tipline run`.

    `mount` adds the channel's routes (if any) to the one aiohttp application that
    serves every channel; `start` begins receiving (e.g. Telegram polling) once the
    server listens; `stop` ends it and waits for turns in flight.
    """

    name: str

    def mount(self, web_app: web.Application) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...
