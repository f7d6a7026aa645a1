"""`tipline run`: one aiohttp server for every channel, on the engine from `open_app`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from aiohttp import web

from bot.app import App, open_app
from bot.channels import Channel, ChannelContext
from bot.channels.web import WebChat
from bot.review.demo import start_notice
from bot.review.server import start_review_api
from bot.settings import Settings
from handoff import EXTENSIONS

log = logging.getLogger("tipline.run")


def channel_context(app: App) -> ChannelContext:
    """What every channel is given: the service as a `TurnHandler`, settings, its keys."""
    return ChannelContext(
        turns=app.conversations,
        settings=app.settings,
        secrets=app.keys,
        evidence_types=tuple(EXTENSIONS.values()),
    )


def build_channels(app: App) -> list[Channel]:
    """The channels this deployment runs, from its settings."""
    # The web chat is always on; Telegram when TIPLINE_TELEGRAM_TOKEN is set.
    context = channel_context(app)
    channels: list[Channel] = [WebChat(context)]
    if app.settings.telegram_token:
        from bot.channels.telegram import TelegramChannel  # noqa: PLC0415 - loads PTB only when used

        channels.append(TelegramChannel(context))
    return channels


async def serve(settings: Settings, ready: asyncio.Event | None = None) -> None:
    """Run until SIGINT or SIGTERM; `ready` is set once the server listens."""
    async with open_app(settings) as app:
        notice = await start_notice(app.store, settings, app.keys, app.clock())
        channels = build_channels(app)
        web_app = web.Application(client_max_size=settings.max_upload_bytes + 1024 * 1024)
        for channel in channels:
            channel.mount(web_app)
        runner = web.AppRunner(web_app, access_log=None)  # no IP addresses in logs
        await runner.setup()
        site = web.TCPSite(runner, settings.host, settings.port)
        await site.start()
        review = await start_review_api(app.store, app.keys, settings, app.clock)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            # Not in the main thread (tests run the server in one): no signals, cancel instead.
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        try:
            for channel in channels:
                await channel.start()
            log.info("serving", extra={"event": ",".join(c.name for c in channels)})
            if notice is not None:
                print(notice, flush=True)
            print(f"Tipline is running at http://{settings.host}:{settings.port}/", flush=True)
            if ready is not None:
                ready.set()
            await stop.wait()
        finally:
            for channel in reversed(channels):
                await channel.stop()
            await review.cleanup()
            await runner.cleanup()
