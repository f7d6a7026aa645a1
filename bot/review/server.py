"""The reviewer API's own listener, started by `tipline run` beside the channels.

It listens on TIPLINE_REVIEW_HOST:TIPLINE_REVIEW_PORT (default 127.0.0.1:8081),
never on the reporters' address, so a deployment can expose it only over a VPN
or a Tor onion service.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from bot.review.accounts import TotpSecrets
from bot.review.api import ReviewApi, build_app
from bot.review.login import Logins
from bot.serverkeys import ServerKeys
from bot.settings import Settings
from store import Store

__all__ = ["start_review_api"]


async def start_review_api(
    store: Store, keys: ServerKeys, settings: Settings, clock: Callable[[], datetime]
) -> web.AppRunner:
    """Serve the reviewer API; the caller cleans the returned runner up."""
    api = ReviewApi(store, Logins(store, TotpSecrets(keys), clock), settings, clock)
    runner = web.AppRunner(build_app(api), access_log=None)  # no IP addresses in logs
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.review_host, settings.review_port).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner
