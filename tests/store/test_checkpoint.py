"""The WAL is copied into the database file beside the writer (`store._checkpoint`)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from pathlib import Path

import pytest

from store import SqliteStore
from store._checkpoint import Checkpointer
from tests.store.conftest import NOW, HmacSigner, conversation_id, turn

WAIT_S = 10.0  # how long a test waits for the thread before calling it broken


def rows_in_file_alone(db: Path, table: str) -> int | None:
    """Rows of `table` in the database file itself, its WAL ignored (None: unreadable now)."""
    try:
        conn = sqlite3.connect(f"file:{db}?immutable=1", uri=True)
        try:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
        finally:
            conn.close()
    except sqlite3.DatabaseError:  # the file is being written, or has no such table yet
        return None


async def until_in_file(db: Path, table: str, rows: int) -> int | None:
    seen = None
    for _ in range(int(WAIT_S / 0.02)):
        seen = rows_in_file_alone(db, table)
        if seen == rows:
            break
        await asyncio.sleep(0.02)
    return seen


def wal_size(db: Path) -> int | None:
    wal = Path(f"{db}-wal")
    return wal.stat().st_size if wal.exists() else None


def wal_writer(db: Path) -> sqlite3.Connection:
    """A writer that never checkpoints by itself: only the Checkpointer moves pages."""
    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the table itself is in the file
    return conn


def plain_connection(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None, check_same_thread=False)


async def test_committed_turns_reach_the_database_file_long_before_the_wal_fills(
    tmp_path: Path, signer: HmacSigner
) -> None:
    db = tmp_path / "tipline.db"
    async with SqliteStore(db, signer) as store:
        for n in range(1, 4):  # a few pages: the writer's own checkpoint waits for 1,000
            await store.commit_turn(turn(conversation_id(n), n), NOW)
        assert await until_in_file(db, "drafts", 3) == 3
    assert wal_size(db) is None  # closed last, the writer still removes the WAL


async def test_no_checkpoint_runs_while_paused(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    writer = wal_writer(db)
    checkpointer = Checkpointer(db, plain_connection, interval=0.0)
    checkpointer.start()
    try:
        with checkpointer.paused():
            writer.execute("INSERT INTO t VALUES (1)")
            checkpointer.poke()
            await asyncio.sleep(0.3)
            assert rows_in_file_alone(db, "t") == 0
        assert await until_in_file(db, "t", 1) == 1
    finally:
        checkpointer.close()
        writer.close()


async def test_the_wal_stays_small_while_turns_keep_coming(
    tmp_path: Path, signer: HmacSigner
) -> None:
    """The writer's own checkpoint, which restarts the WAL, still gets its turn."""
    db, largest = tmp_path / "tipline.db", 0
    async with SqliteStore(db, signer) as store:
        for n in range(1, 401):  # ~12 pages a turn: ~19 MB of WAL if it never restarted
            await store.commit_turn(turn(conversation_id(n), n, draft=bytes(40_000)), NOW)
            largest = max(largest, wal_size(db) or 0)
    assert 0 < largest < 10_000_000


async def test_a_failing_checkpoint_is_logged_by_name_and_the_thread_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database, " * 512)
    checkpointer = Checkpointer(junk, plain_connection, interval=0.0)
    checkpointer.start()
    try:
        with caplog.at_level(logging.WARNING, logger="tipline.store"):
            checkpointer.poke()
            for _ in range(int(WAIT_S / 0.02)):
                if caplog.records:
                    break
                await asyncio.sleep(0.02)
        assert [r.getMessage() for r in caplog.records] == ["checkpoint_failed"]
        assert "tipline-checkpoint" in {t.name for t in threading.enumerate()}
    finally:
        checkpointer.close()
    assert "tipline-checkpoint" not in {t.name for t in threading.enumerate()}
