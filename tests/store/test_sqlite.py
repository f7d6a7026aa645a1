"""What only the SQLite store promises: file modes, WAL and durability, secure delete, its
threads, group commit. (Its migrations: test_migrations.py; its checkpointer:
test_checkpoint.py. What every backend promises: the test_contract*.py files.)"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import stat
import sys
import textwrap
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from handoff.audit import verify_chain
from locales.errors import ConflictError, StoreError
from store import SqliteStore, TurnCommit, _cases, _ops
from store.migrate import apply_migrations, load_migrations
from tests.store.conftest import (
    NOW,
    ChainSigner,
    conversation_id,
    ledger_key,
    sealed_report,
    turn,
)

REPO = Path(__file__).resolve().parents[2]
C1 = conversation_id(1)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _world_readable_database(db: Path) -> None:
    sqlite3.connect(db).close()
    db.chmod(0o644)


def _sidecars(db: Path) -> list[Path]:
    return [db, Path(f"{db}-wal"), Path(f"{db}-shm")]


async def test_database_and_wal_files_are_private_whatever_the_umask(
    db_path: Path, signer: ChainSigner
) -> None:
    old = os.umask(0o000)
    try:
        async with SqliteStore(db_path, signer) as store:
            await store.commit_turn(turn(C1, 1), NOW)
            modes = {p.name: _mode(p) for p in _sidecars(db_path)}
    finally:
        os.umask(old)
    assert modes == {p.name: 0o600 for p in _sidecars(db_path)}


async def test_an_existing_world_readable_database_is_made_private(
    db_path: Path, signer: ChainSigner
) -> None:
    _world_readable_database(db_path)
    async with SqliteStore(db_path, signer):
        assert _mode(db_path) == 0o600


async def test_connections_run_durable_private_settings(db_path: Path, signer: ChainSigner) -> None:
    async with SqliteStore(db_path, signer) as store:
        pragmas = ("journal_mode", "synchronous", "foreign_keys", "secure_delete", "busy_timeout")
        # The settings are per connection, so they are read on the store's own writer.
        values = await store._write(
            lambda conn: [conn.execute(f"PRAGMA {p}").fetchone()[0] for p in pragmas]
        )
    assert values == ["wal", 2, 1, 1, 5000]  # synchronous 2 = FULL


async def test_deleted_draft_leaves_no_trace_in_the_files(
    db_path: Path, signer: ChainSigner
) -> None:
    canary = b"CANARY-7f3a9c1e-" * 8
    async with SqliteStore(db_path, signer) as store:
        await store.commit_turn(turn(C1, 1, draft=canary), NOW)
        await store.commit_turn(turn(C1, 2, expected_version=1, draft=None), NOW)
        await store.sweep(NOW)  # checkpoints the WAL into the file and truncates it
        on_disk = [p.read_bytes() for p in _sidecars(db_path) if p.exists()]
    on_disk += [p.read_bytes() for p in _sidecars(db_path) if p.exists()]
    assert on_disk, "no database file was read"
    assert not any(canary[:16] in data for data in on_disk)


async def test_a_cancelled_draft_leaves_no_file_bytes_in_the_database_files(
    db_path: Path, signer: ChainSigner
) -> None:
    canary = b"FILE-CANARY-5e1d-" * 64  # several kilobytes: stored in overflow pages
    async with SqliteStore(db_path, signer) as store:
        await store.commit_turn(replace(turn(C1, 1), attachments_added=(("f1", canary),)), NOW)
        await store.commit_turn(turn(C1, 2, expected_version=1, draft=None), NOW)
        await store.sweep(NOW)  # checkpoints the WAL into the file and truncates it
    files = [db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")]
    on_disk = [p.read_bytes() for p in files if p.exists()]
    assert on_disk, "no database file was read"
    assert not any(canary[:17] in data for data in on_disk)


async def test_acknowledged_turn_survives_a_killed_process(
    db_path: Path, signer: ChainSigner
) -> None:
    child = textwrap.dedent(
        """
        import asyncio, os, sys, traceback
        from store import SqliteStore
        from tests.store.conftest import ChainSigner, NOW, conversation_id, turn

        async def main():
            store = SqliteStore(sys.argv[1], ChainSigner())
            await store.open()
            await store.commit_turn(turn(conversation_id(1), 1, draft=b"survivor"), NOW)
            print("committed", flush=True)
            sys.stdin.read()  # wait here, store still open, until killed

        try:
            asyncio.run(main())
        except BaseException:
            traceback.print_exc()
            os._exit(1)  # the store's threads would otherwise keep this process alive
        """
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        child,
        str(db_path),
        cwd=REPO,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    try:
        line = await proc.stdout.readline()
    finally:
        proc.kill()  # SIGKILL: no close(), no checkpoint, no atexit
        _, err = await proc.communicate()
    assert line == b"committed\n", err.decode()
    assert proc.returncode == -signal.SIGKILL
    async with SqliteStore(db_path, signer) as store:
        start = await store.begin_turn(C1, ledger_key(2), NOW)
    assert start.draft is not None
    assert start.draft.blob == b"survivor"


async def test_concurrent_turns_share_transactions(db_path: Path, signer: ChainSigner) -> None:
    async with SqliteStore(db_path, signer) as store:
        await store.commit_turn(turn(conversation_id(0), 0), NOW)
        assert (store.stats.batches, store.stats.turns) == (1, 1)  # a lone turn: no waiting
        await asyncio.gather(
            *(store.commit_turn(turn(conversation_id(n), n), NOW) for n in range(1, 201))
        )
        assert store.stats.turns == 201
        assert store.stats.batches < 101, "200 concurrent turns took one commit each"


@pytest.mark.parametrize("odd_one", ["stale", "repeated"])
async def test_a_conflict_in_a_shared_batch_fails_alone(
    db_path: Path, signer: ChainSigner, odd_one: str
) -> None:
    """Turns share a transaction; one stale or repeated turn among them must not take
    the others down, nor be written."""
    async with SqliteStore(db_path, signer) as store:
        for n in range(1, 41):
            await store.commit_turn(turn(conversation_id(n), n, draft=b"v1-%d" % n), NOW)
        await store.commit_turn(turn(conversation_id(99), 99), NOW)
        batches = store.stats.batches
        commits = [
            store.commit_turn(
                turn(conversation_id(n), 100 + n, expected_version=1, draft=b"v2-%d" % n), NOW
            )
            for n in range(1, 41)
        ]
        if odd_one == "stale":
            odd = turn(conversation_id(41), 141, expected_version=3)  # no such draft
        else:
            odd = turn(conversation_id(41), 99)  # message 99 was handled already
        results = await asyncio.gather(
            *commits, store.commit_turn(odd, NOW), return_exceptions=True
        )
        assert store.stats.batches - batches < 41, "the turns did not share a transaction"
        assert results[:40] == [None] * 40
        assert isinstance(results[40], ConflictError)
        for n in range(1, 41):
            start = await store.begin_turn(conversation_id(n), ledger_key(1000), NOW)
            assert start.draft is not None
            assert (start.draft.blob, start.draft.version) == (b"v2-%d" % n, 2)
        start = await store.begin_turn(conversation_id(41), ledger_key(1000), NOW)
        assert start.draft is None


@pytest.mark.parametrize("odd_one", [None, "stale", "reference taken"])
async def test_reports_sealed_together_keep_one_audit_chain(
    db_path: Path, signer: ChainSigner, odd_one: str | None
) -> None:
    """Sealing turns of one batch share a transaction; their audit entries chain in
    order, and one bad turn among them fails alone."""
    async with SqliteStore(db_path, signer) as store:
        await store.commit_turn(
            turn(
                conversation_id(0), 0, draft=None, sealed=sealed_report("R-0"), audit_event="seal"
            ),
            NOW,
        )
        for n in range(1, 31):
            await store.commit_turn(turn(conversation_id(n), n), NOW)
        seals = [_sealing(n, f"R-{n}") for n in range(1, 31)]
        if odd_one == "stale":
            seals[7] = _sealing(8, "R-8", expected_version=5)
        elif odd_one == "reference taken":
            seals[7] = _sealing(8, "R-0", envelope=b"x")
        batches = store.stats.batches
        results = await asyncio.gather(
            *(store.commit_turn(s, NOW) for s in seals), return_exceptions=True
        )
        assert store.stats.batches - batches < 30, "the seals did not share a transaction"
        failed = [n for n, r in enumerate(results, 1) if r is not None]
        assert failed == ([] if odd_one is None else [8])
        assert all(isinstance(r, ConflictError) for r in results if r is not None)
        queued = {q.reference for q in await store.queue()}
        expected = {f"R-{n}" for n in range(31) if n not in failed}
        assert queued == expected
        entries = await store.audit_log()
    assert [e.seq for e in entries] == list(range(1, len(expected) + 1))
    assert {e.reference for e in entries} == expected
    assert verify_chain(entries) == []


def _sealing(
    n: int, reference: str, *, expected_version: int = 1, envelope: bytes = b"env"
) -> TurnCommit:
    """Conversation n's sealing turn (message 100 + n)."""
    report = sealed_report(reference, envelope=envelope)
    return turn(
        conversation_id(n),
        100 + n,
        expected_version=expected_version,
        draft=None,
        sealed=report,
        audit_event="seal",
    )


async def test_a_closed_store_refuses_work(db_path: Path, signer: ChainSigner) -> None:
    store = SqliteStore(db_path, signer)
    with pytest.raises(StoreError):
        await store.begin_turn(C1, ledger_key(1), NOW)
    await store.open()
    await store.close()
    with pytest.raises(StoreError):
        await store.commit_turn(turn(C1, 1), NOW)
    with pytest.raises(StoreError):
        await store.audit_log()


async def test_audit_rows_cannot_be_changed_or_deleted(db_path: Path, signer: ChainSigner) -> None:
    async with SqliteStore(db_path, signer) as store:
        await store.commit_turn(turn(C1, 1, draft=None, audit_event="cancel"), NOW)
    raw = sqlite3.connect(db_path)
    try:
        for statement in ("UPDATE audit SET event = 'forged'", "DELETE FROM audit"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                raw.execute(statement)
    finally:
        raw.close()


def test_claiming_reads_the_queue_in_index_order(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "plan.db", isolation_level=None)
    try:
        apply_migrations(conn, load_migrations())
        args = {"reviewer": "k1", "now": 0}
        for query in (_ops._NEXT_QUEUED, _ops._NEXT_LAPSED):
            plan = " ".join(str(r[-1]) for r in conn.execute(f"EXPLAIN QUERY PLAN {query}", args))
            assert "queue_claim_order" in plan
            assert "TEMP B-TREE" not in plan, plan
    finally:
        conn.close()


async def test_the_store_runs_its_own_threads_and_ends_them_on_close(
    db_path: Path, signer: ChainSigner
) -> None:
    def ours() -> set[str]:
        return {t.name.split("_")[0] for t in threading.enumerate() if t.name.startswith("tip")}

    assert ours() == set()
    async with SqliteStore(db_path, signer) as store:
        await store.commit_turn(turn(C1, 1), NOW)
        running = ours()
    assert running >= {"tipline-store-write", "tipline-store-read"}
    assert ours() == set()


def _wal_size(db: Path) -> int | None:
    wal = Path(f"{db}-wal")
    return wal.stat().st_size if wal.exists() else None


async def test_the_wal_stays_small_while_turns_keep_coming(
    db_path: Path, signer: ChainSigner
) -> None:
    """The writer's own checkpoint restarts the WAL; closing removes it."""
    largest = 0
    async with SqliteStore(db_path, signer) as store:
        for n in range(1, 401):  # ~12 pages a turn: ~19 MB of WAL if it never restarted
            await store.commit_turn(turn(conversation_id(n), n, draft=bytes(40_000)), NOW)
            largest = max(largest, _wal_size(db_path) or 0)
    assert 0 < largest < 10_000_000
    assert _wal_size(db_path) is None  # closed last, the writer removes the WAL


def test_a_queue_page_reads_the_open_reports_index_in_order(tmp_path: Path) -> None:
    """Years of finished reports must not be scanned to show a reviewer's first page."""
    conn = sqlite3.connect(tmp_path / "plan.db", isolation_level=None)
    try:
        apply_migrations(conn, load_migrations())
        where = f"{_cases.OPEN} AND {_ops.SEALED_TO}"
        order = "ORDER BY priority DESC, sealed_at, rowid"
        query = f"SELECT reference FROM queue WHERE {where} {order}"  # noqa: S608 -- constants
        plan = " ".join(
            str(r[-1]) for r in conn.execute(f"EXPLAIN QUERY PLAN {query}", {"reviewer": "k"})
        )
        assert "queue_open_order" in plan
        assert "TEMP B-TREE" not in plan, plan
    finally:
        conn.close()
