"""Checkpoints beside the writer: the WAL is copied into the database file off the turn's path.

In WAL mode every commit appends pages to the -wal file; a checkpoint copies them
into the database file and fsyncs it. By default the connection that commits runs
it, every 1,000 pages, inside the COMMIT that crossed the line, so the turns of
that batch (and the ones gathering behind it) waited for ~1,000 page copies and
two fsyncs: 5–15 ms, several times a second at 1,500 turns/s.

`Checkpointer` runs PASSIVE checkpoints on a connection and a thread of its own,
after writes and at most every `interval` seconds: SQLite lets a checkpoint run
while the writer appends, and PASSIVE never waits for a lock. The writer keeps
its automatic checkpoint (it is what restarts the WAL from its start, so the file
stays ~4 MB), which now finds little left to copy.

`paused()` keeps it out while the sweep truncates the WAL (a TRUNCATE checkpoint
cannot start while another checkpoint runs).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger("tipline.store")

_FAILURE_PAUSE_S = 1.0  # after an error (e.g. a full disk), before the next try


class Checkpointer:
    """A thread that folds the WAL into the database file whenever `poke()` says it grew."""

    def __init__(self, path: Path, connect: Callable[[Path], sqlite3.Connection], interval: float):
        self._path = path
        self._connect = connect
        self._interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._running = threading.Lock()  # held while a checkpoint runs; `paused()` takes it
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Connect (errors are raised here, not in the thread) and start the thread."""
        conn = self._connect(self._path)
        self._thread = threading.Thread(
            target=self._run, args=(conn,), name="tipline-checkpoint", daemon=True
        )
        self._thread.start()

    def poke(self) -> None:
        """Pages were committed: checkpoint soon. Cheap; any thread."""
        self._wake.set()

    def close(self) -> None:
        """Stop the thread and close its connection (a checkpoint under way finishes first)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No checkpoint of this thread runs inside the block."""
        with self._running:
            yield

    def _run(self, conn: sqlite3.Connection) -> None:
        try:
            while True:
                self._wake.wait()
                if self._stop.is_set():
                    return
                self._wake.clear()
                pause = self._interval if self._checkpoint(conn) else _FAILURE_PAUSE_S
                if self._stop.wait(pause):
                    return
        finally:
            conn.close()

    def _checkpoint(self, conn: sqlite3.Connection) -> bool:
        try:
            with self._running:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error:
            log.warning("checkpoint_failed")  # the writer's own checkpoint still runs
            return False
        return True
