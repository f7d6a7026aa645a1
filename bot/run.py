"""`tipline run`: one aiohttp server for every channel, on the engine from `open_app`."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import gc
import logging
import os
import signal
import socket

from aiohttp import web

from bot.app import App, open_app
from bot.channels import Channel, ChannelContext
from bot.channels.web import WebChat
from bot.review.demo import start_notice
from bot.review.server import start_review_api
from bot.settings import Settings
from bot.site import Site
from handoff import EXTENSIONS
from locales.errors import ConfigError

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


def listen(settings: Settings) -> socket.socket:
    """The server's listening socket, bound before anything is written to the data folder.

    A busy port (or any other refusal) is a ConfigError: one line, not a traceback.
    """
    where = f"{settings.host}:{settings.port}"
    try:
        return socket.create_server((settings.host, settings.port), backlog=128)
    except OSError as exc:
        why = os.strerror(exc.errno) if exc.errno else str(exc)
        if exc.errno == errno.EADDRINUSE:
            why += " (is Tipline already running? set TIPLINE_PORT)"
        raise ConfigError(f"cannot listen on {where}: {why}") from exc


async def serve(settings: Settings, ready: asyncio.Event | None = None) -> None:
    """Run until SIGINT or SIGTERM; `ready` is set once the server listens."""
    with listen(settings) as sock:
        async with contextlib.AsyncExitStack() as stack:
            try:
                app = await stack.enter_async_context(open_app(settings))
                notice = await start_notice(app.store, settings, app.keys, app.clock())
            except OSError as exc:  # a data folder that cannot be written, a full disk...
                raise ConfigError(f"cannot start: {exc}") from exc
            await _serve(app, sock, notice, ready)


async def _serve(
    app: App, sock: socket.socket, notice: str | None, ready: asyncio.Event | None
) -> None:
    settings = app.settings
    channels = build_channels(app)
    web_app = web.Application(client_max_size=settings.max_upload_bytes + 1024 * 1024)
    for channel in channels:
        channel.mount(web_app)
    runner = web.AppRunner(web_app, access_log=None)  # no IP addresses in logs
    await runner.setup()
    await Site(runner, sock).start()
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
        # What start-up built (32 catalogs, compiled scripts, the date and language tables,
        # PTB's objects) lives as long as the server: kept out of the collector's full
        # passes. Measured at the realistic peak (bench.telegram peak, 1,000 conversations
        # offered 100 turns/s): full collections of 80-187 ms stalled every conversation,
        # 18 in 40 s; with the heap frozen here they took 28-81 ms and p99 fell to 85 ms.
        gc.collect()
        gc.freeze()
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
