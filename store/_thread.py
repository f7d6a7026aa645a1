"""One SQLite connection and the one thread that uses it.

SQLite calls block, so the store runs them off the event loop: each connection
is made on, and only ever used by, the one thread of its own single-worker
`ThreadPoolExecutor`, and its jobs run in the order they were given, one at a
time. A job is a whole unit of work (one statement, or one whole transaction),
so nothing can interleave with a transaction and each operation is one hop to
the thread and one back (`run_in_executor` hands the result to the event loop
with `call_soon_threadsafe`).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from locales.errors import StoreError

T = TypeVar("T")


class ConnectionThread:
    """A connection owned by one thread; `call(work)` runs `work(connection)` there."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None

    async def open(self, connect: Callable[[], sqlite3.Connection]) -> None:
        """Start the thread and connect on it (connection errors are raised here)."""
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self._name)
        try:
            conn = await asyncio.get_running_loop().run_in_executor(executor, connect)
        except BaseException as exc:
            executor.shutdown(wait=False)
            if isinstance(exc, sqlite3.Error):
                raise StoreError("cannot open the database") from exc
            raise
        self._executor, self._conn = executor, conn

    async def call(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` on the connection's thread after the jobs given before it."""
        executor, conn = self._executor, self._conn
        if executor is None or conn is None:
            raise StoreError("the store is not open")
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, work, conn)
        except sqlite3.Error as exc:
            raise StoreError("the database failed") from exc

    async def close(self) -> None:
        """Let the jobs given so far run, close the connection, and end the thread."""
        executor, conn = self._executor, self._conn
        self._executor = self._conn = None
        if executor is None or conn is None:
            return
        try:
            await asyncio.get_running_loop().run_in_executor(executor, conn.close)
        finally:
            executor.shutdown()  # idle now: its thread ends at once
