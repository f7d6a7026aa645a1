"""The reviewer commands' way to the queue while there is no reviewer API: the local store.

`tipline review` is workstation code (`handoff.workstation`) and reaches the
queue only through its `ReviewQueue` protocol. Until the reviewer API serves
that protocol over HTTP, this adapter serves it from a server's data folder on
the same machine. It opens only what exists: in a folder with no server data it
refuses, and never creates a server secret or a database.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta

from bot.serverkeys import holding, load_existing
from bot.settings import Settings
from handoff import AuditMac, verify_chain
from handoff.workstation import QueuedEnvelope, ReviewerPrivateKey, ReviewQueue
from locales.errors import ConfigError
from store import QueuedReport, ReviewerKey, SqliteStore, Store

__all__ = ["LocalQueue", "local_queue", "reviewer_record"]


class LocalQueue:
    """`ReviewQueue` over a `Store` on this machine."""

    def __init__(
        self,
        store: Store,
        lease: timedelta,
        clock: Callable[[], datetime],
        audit: AuditMac | None = None,
    ) -> None:
        self._store = store
        self._lease = lease
        self._clock = clock
        self._audit = audit

    async def claim(self, reviewer: str) -> QueuedEnvelope | None:
        now = self._clock()
        return _envelope(await self._store.claim(reviewer, now, now + self._lease))

    async def fetch(self, reference: str) -> QueuedEnvelope | None:
        return _envelope(await self._store.report(reference))

    async def finish(self, reference: str, reviewer: str) -> None:
        await self._store.finish(reference, reviewer, self._clock())

    async def release(self, reference: str, reviewer: str) -> None:
        await self._store.release(reference, reviewer, self._clock())

    async def register_key(self, key_id: str, public: tuple[bytes, bytes], label: str) -> None:
        now = self._clock()
        await self._store.add_reviewer_key(ReviewerKey(key_id, *public, label, now), now)

    async def verify_audit(self) -> tuple[int, list[str]]:
        if self._audit is None:
            raise ConfigError("the audit log can only be checked with the server's audit key")
        entries = await self._store.audit_log()
        return len(entries), verify_chain(entries, self._audit)


def reviewer_record(key: ReviewerPrivateKey, label: str, now: datetime) -> ReviewerKey:
    """The store's record of a reviewer key: its id and public halves, never the private key."""
    return ReviewerKey(key.key_id, *key.public(), label, now)


def _envelope(row: QueuedReport | None) -> QueuedEnvelope | None:
    if row is None:
        return None
    return QueuedEnvelope(row.reference, row.status, row.claimed_by, row.envelope)


def local_queue(
    settings: Settings, clock: Callable[[], datetime]
) -> Callable[[], contextlib.AbstractAsyncContextManager[ReviewQueue]]:
    """Opens the local server's queue for one command; ConfigError where there is none."""

    @contextlib.asynccontextmanager
    async def connect() -> AsyncIterator[ReviewQueue]:
        if not settings.database.is_file() or not settings.secret_file.is_file():
            raise ConfigError(
                f"there is no Tipline server data in {settings.data_dir} "
                "(set TIPLINE_DATA_DIR to the server's data folder)"
            )
        with holding(settings.secret_file):
            keys = load_existing(settings.secret_file)
            async with SqliteStore(settings.database, AuditMac(keys.audit)) as store:
                yield LocalQueue(store, settings.lease, clock, AuditMac(keys.audit))

    return connect
