"""A running Tipline Telegram channel against the fake Bot API, in polling and in webhook mode.

Everything is real: the fake Bot API is an HTTP server on 127.0.0.1, PTB talks
to it over aiohttp, the webhook is served by an aiohttp app on its own port,
the store is a SQLite file and sealing uses a real reviewer key. Only waiting
is injected (`sleeps` records what the channel asked to wait, then yields), so
a 429's retry_after is checked exactly and costs no time; `real_sleep=True`
waits for real, for tests that count calls over time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.app import App, open_app
from bot.channels.telegram import TelegramChannel
from bot.review import reviewer_record as reviewer_key_record
from bot.run import channel_context
from bot.settings import Settings
from handoff.workstation import OpenedReport, ReviewerPrivateKey
from tests.bot.conftest import NOW, Clock, claimed_reports
from tests.fakes.telegram_api import TOKEN, FakeTelegram

MODES = ("polling", "webhook")


@dataclass
class Tipline:
    """The channel under test, the fake Telegram it talks to, and the reviewer's key."""

    fake: FakeTelegram
    app: App
    channel: TelegramChannel
    key: ReviewerPrivateKey
    mode: str
    port: int
    sleeps: list[float] = field(default_factory=list)

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram/webhook"

    async def reports(self) -> list[OpenedReport]:
        """Every sealed report, claimed and decrypted as a reviewer would."""
        return await claimed_reports(self.app.store, self.key)

    async def settle(self) -> None:
        """Wait until every update pushed to the fake was taken and handled."""
        await self.fake.wait_for(self.fake.delivered)
        await self.channel.lanes.drain()


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.asynccontextmanager
async def running(
    tmp_path: Path,
    mode: str,
    *,
    fake: FakeTelegram | None = None,
    monotonic: Callable[[], float] | None = None,
    real_sleep: bool = False,
    **settings_changes: Any,
) -> AsyncIterator[Tipline]:
    """Tipline with its Telegram channel up, on a fresh fake (or `fake`), until the block ends."""
    own_fake = fake is None
    if fake is None:
        fake = FakeTelegram()
        await fake.start()
    sock = free_socket()
    port = sock.getsockname()[1]
    settings = replace(
        Settings(),
        data_dir=tmp_path / "var",
        telegram_token=TOKEN,
        telegram_api_url=fake.url,
        public_url=f"http://127.0.0.1:{port}" if mode == "webhook" else None,
        # Test reporters answer at machine speed; the flood test sets its own limit.
        **{"telegram_flood_per_minute": 1e6, **settings_changes},
    )
    key = ReviewerPrivateKey.generate()
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        await asyncio.sleep(seconds if real_sleep else 0)

    try:
        async with open_app(settings, Clock()) as app:
            await app.store.add_reviewer_key(reviewer_key_record(key, "test", NOW), NOW)
            extra: dict[str, Any] = {"monotonic": monotonic} if monotonic else {}
            channel = TelegramChannel(channel_context(app), poll_timeout=5, sleep=sleep, **extra)
            web_app = web.Application()
            channel.mount(web_app)
            runner = web.AppRunner(web_app, access_log=None)
            await runner.setup()
            await web.SockSite(runner, sock).start()
            await channel.start()
            try:
                yield Tipline(fake, app, channel, key, mode, port, sleeps)
            finally:
                await channel.stop()
                await runner.cleanup()
    finally:
        if own_fake:
            await fake.close()


@pytest.fixture(params=MODES)
async def tg(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Tipline]:
    async with running(tmp_path, request.param) as tipline:
        yield tipline


def update_json(update_id: int, chat_id: int, message_id: int, text: str) -> bytes:
    """A message update as Telegram would POST it to the webhook."""
    user = {"id": chat_id, "is_bot": False, "first_name": "Alex", "language_code": "en"}
    message = {
        "message_id": message_id,
        "date": 1,
        "chat": {"id": chat_id, "type": "private", "first_name": "Alex"},
        "from": user,
        "text": text,
    }
    return json.dumps({"update_id": update_id, "message": message}).encode()
