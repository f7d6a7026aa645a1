"""The one place that wires Tipline together: settings → secrets → store → dialogs → service."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from bot.registry import DialogRegistry
from bot.review.notify import Notifier
from bot.serverkeys import ServerKeys, holding, load_or_create
from bot.service import Conversations, utcnow
from bot.settings import Settings
from dialogs.dates import warm_up
from handoff.audit import AuditHash
from locales import LANGUAGES, translator
from store import SqliteStore, Store

log = logging.getLogger("tipline.app")


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
    """Server secrets and the store only, the data folder's lock held shared meanwhile."""
    with holding(settings.secret_file):
        keys = load_or_create(settings.secret_file)
        async with SqliteStore(settings.database, AuditHash()) as store:
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
        await registry.load_followup(settings.followup_script)
        # dateparser loads its language data on first use (~0.1 s): do it now, not
        # on a reporter's turn, where it would stall every conversation behind it.
        await asyncio.to_thread(warm_up)
        conversations = Conversations(store, registry, keys, settings, clock=clock)
        app = App(settings, keys, store, registry, conversations, clock)
        sweeper = asyncio.create_task(_sweep_forever(app))
        try:
            yield app
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper


async def sweep_once(app: App, notifier: Notifier | None = None) -> int:
    """Delete expired drafts and stored replies, and closed reports past retention (unless
    held); then tell reviewers of news, without content. Returns rows removed."""
    now = app.clock()
    removed = await app.store.sweep(now)
    removed += await app.store.delete_closed(now - app.settings.retention, now)
    if removed:
        log.info("swept", extra={"count": removed})
    if notifier is not None and notifier.enabled:
        await notifier.check()
    return removed


async def _sweep_forever(app: App) -> None:
    notifier = Notifier(app.store, app.settings, app.clock)
    while True:
        await sweep_once(app, notifier)
        await asyncio.sleep(app.settings.sweep_every.total_seconds())
