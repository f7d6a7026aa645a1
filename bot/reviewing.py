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

from bot.settings import Settings
from handoff import AuditHash, CaseState, audit_problems
from handoff.workstation import QueuedEnvelope, ReviewQueue
from locales.errors import ConfigError
from store import QueuedReport, SqliteStore, Store

__all__ = ["LocalQueue", "local_queue"]


class LocalQueue:
    """`ReviewQueue` over a `Store` on this machine."""

    def __init__(
        self,
        store: Store,
        lease: timedelta,
        clock: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._lease = lease
        self._clock = clock

    async def claim(self, reviewer: str) -> QueuedEnvelope | None:
        now = self._clock()
        return _envelope(await self._store.claim(reviewer, now, now + self._lease))

    async def fetch(self, reference: str) -> QueuedEnvelope | None:
        return _envelope(await self._store.report(reference))

    async def finish(self, reference: str, reviewer: str) -> None:
        await self._store.finish(reference, reviewer, self._clock())

    async def release(self, reference: str, reviewer: str) -> None:
        await self._store.release(reference, reviewer, self._clock())

    async def verify_audit(self) -> tuple[int, list[str]]:
        entries = await self._store.audit_log()
        actual = [
            CaseState(
                r.reference,
                r.status,
                r.claimed_by,
                r.case_status,
                r.referred_to,
                r.outcome,
                r.held,
            )
            for r in await self._store.queue()
        ]
        return len(entries), audit_problems(entries, actual)


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
        async with SqliteStore(settings.database, AuditHash()) as store:
            yield LocalQueue(store, settings.lease, clock)

    return connect
