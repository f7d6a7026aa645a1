"""Running the review app: its own listener on 127.0.0.1, a login to the API, until Ctrl-C."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import aiohttp
from aiohttp import web

from handoff.workstation.client import HttpQueue, Login
from handoff.workstation.keyfile import ReviewerPrivateKey
from handoff.workstation.ui.app import ReviewUi, build_ui
from handoff.workstation.ui.security import Guard

__all__ = ["serve_ui"]


async def serve_ui(
    login: Login,
    key: ReviewerPrivateKey,
    *,
    key_path: Path,
    port: int,
    files: Path,
    clock: Callable[[], datetime],
) -> None:
    """Serve until cancelled; print the one-time address to open."""
    async with aiohttp.ClientSession() as session:
        guard = Guard(port)
        ui = ReviewUi(
            HttpQueue(session, login), key, key_path.with_suffix(".index"), files, guard, clock
        )
        runner = web.AppRunner(build_ui(ui), access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, "127.0.0.1", port).start()
            print(f"The review app is at http://127.0.0.1:{port}/?t={guard.launch}", flush=True)
            print("Open that address in a browser on this computer; Ctrl-C ends it.", flush=True)
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
