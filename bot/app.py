"""The one place that wires Tipline together: settings → secrets → store → dialogs → service."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from bot.receipts import ReceiptPool
from bot.registry import DialogRegistry
from bot.serverkeys import ServerKeys, load_or_create
from bot.service import Conversations, utcnow
from bot.settings import Settings
from dialogs.dates import warm_up
from handoff.audit import AuditMac
from locales import LANGUAGES, translator
from store import SqliteStore
from store._types import Store

log = logging.getLogger("tipline.app")

_SWITCH_INTERVAL = 0.001  # seconds; see settle_runtime


@dataclass(frozen=True, slots=True)
class App:
    """Everything a command needs, opened and ready."""

    settings: Settings
    keys: ServerKeys
    store: Store
    dialogs: DialogRegistry
    conversations: Conversations
    clock: Callable[[], datetime]


@contextlib.asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[tuple[ServerKeys, Store]]:
    """Server secrets and the store only: what the reviewer commands need."""
    keys = load_or_create(settings.secret_file)
    async with SqliteStore(settings.database, AuditMac(keys.audit)) as store:
        yield keys, store


@contextlib.asynccontextmanager
async def open_app(
    settings: Settings, clock: Callable[[], datetime] = utcnow
) -> AsyncIterator[App]:
    """Open the whole engine; the sweeper runs while the app is open."""
    async with open_store(settings) as (keys, store):
        catalogs = partial(translator, default=settings.default_locale)
        registry = DialogRegistry(store, catalogs, LANGUAGES)
        await registry.load_current(settings.script)
        # dateparser loads its language data on first use (~0.1 s): do it now, not
        # on a reporter's turn, where it would stall every conversation behind it.
        await asyncio.to_thread(warm_up)
        receipts = ReceiptPool(keys.receipt)
        receipts.fill()
        conversations = Conversations(
            store, registry, keys, settings, receipts=receipts, clock=clock
        )
        app = App(settings, keys, store, registry, conversations, clock)
        sweeper = asyncio.create_task(_sweep_forever(app))
        try:
            yield app
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            receipts.close()  # on the loop: it fails waiting reports' futures


async def _sweep_forever(app: App) -> None:
    """Delete expired drafts and stored replies now and then; the deadline is in the store."""
    while True:
        removed = await app.store.sweep(app.clock())
        if removed:
            log.info("swept", extra={"count": removed})
        await asyncio.sleep(app.settings.sweep_every.total_seconds())


def settle_runtime() -> None:
    """Tune the interpreter for a long-running server, once start-up is done.

    What start-up built (modules, compiled scripts, catalogs) lives as long as
    the server: it is kept out of full garbage collections, which otherwise
    stall turns (one took ~47 ms). And a thread coming back from SQLite or a
    receipt hash gets the GIL within 1 ms instead of Python's default 5 ms: under
    full load the event loop never lets go of it by itself, and each of those
    threads needs it back after every call (measured, 1,000 reporters at once:
    receipts waited up to 10 s for their hashes at 5 ms, 5.8 s at 1 ms).
    """
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(_SWITCH_INTERVAL)
