"""`tipline run`: one aiohttp server for every channel, on the engine from `open_app`."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import signal
import socket

from aiohttp import web

from bot.app import App, open_app
from bot.channels import Channel, ChannelContext
from bot.channels.web import WebChat
from bot.demo import DemoKey, announcement, ensure_demo_key
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
                demo = await ensure_demo_key(app.store, settings, app.clock())
            except OSError as exc:  # a data folder that cannot be written, a full disk...
                raise ConfigError(f"cannot start: {exc}") from exc
            await _serve(app, sock, demo, ready)


async def _serve(
    app: App, sock: socket.socket, demo: DemoKey | None, ready: asyncio.Event | None
) -> None:
    settings = app.settings
    channels = build_channels(app)
    web_app = web.Application(client_max_size=settings.max_upload_bytes + 1024 * 1024)
    for channel in channels:
        channel.mount(web_app)
    runner = web.AppRunner(web_app, access_log=None)  # no IP addresses in logs
    await runner.setup()
    await Site(runner, sock).start()
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
        if demo is not None:
            print(announcement(demo), flush=True)
        print(f"Tipline is running at http://{settings.host}:{settings.port}/", flush=True)
        if ready is not None:
            ready.set()
        await stop.wait()
    finally:
        for channel in reversed(channels):
            await channel.stop()
        await runner.cleanup()
