"""Channel adapters: each turns a platform's events into `Inbound`s and replies back.

An adapter never touches the store or the dialog; it calls
`Conversations.handle()` and renders the `Outbound` it gets.
"""

from __future__ import annotations

from typing import Protocol

from aiohttp import web


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
