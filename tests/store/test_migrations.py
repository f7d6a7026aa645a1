"""Schema migrations: applied once, in order, all-or-nothing, and never downgraded."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.review import reviewer_record
from handoff import legacy_count, seal, verify_chain
from handoff.workstation import ReviewerPrivateKey
from locales.errors import StoreError
from store import SqliteStore
from store.migrate import (
    apply_migrations,
    load_migrations,
    schema_version,
    split_statements,
)
from tests.store.conftest import NOW, ChainSigner, conversation_id, ledger_key, turn


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    yield connection
    connection.close()


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, sql in files.items():
        (folder / name).write_text(sql, encoding="utf-8")
    return folder


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {r[0] for r in rows}


def test_shipped_migrations_load_as_package_data() -> None:
    migrations = load_migrations()
    assert [m.version for m in migrations][:1] == [1]
    assert migrations[0].name == "initial"
    assert "CREATE TABLE drafts" in migrations[0].sql


async def test_opening_a_new_database_records_every_migration(
    db_path: Path, signer: ChainSigner
) -> None:
    async with SqliteStore(db_path, signer):
        pass
    raw = sqlite3.connect(db_path)
    try:
        rows = raw.execute(
            "SELECT version, name FROM schema_migrations ORDER BY version"
        ).fetchall()
        tables = _tables(raw)
    finally:
        raw.close()
    assert rows == [(m.version, m.name) for m in load_migrations()]
    assert {"drafts", "ledger", "scripts", "reviewer_keys", "queue", "audit"} <= tables


async def test_reopening_runs_no_migration_again(db_path: Path, signer: ChainSigner) -> None:
    async with SqliteStore(db_path, signer):
        pass
    async with SqliteStore(db_path, signer):
        pass
    raw = sqlite3.connect(db_path, isolation_level=None)
    try:
        assert apply_migrations(raw, load_migrations()) == []
        count = raw.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
    finally:
        raw.close()
    assert count == len(load_migrations())


def test_pending_migrations_apply_in_order(conn: sqlite3.Connection, tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "m",
        {
            "0002_add_b.sql": "ALTER TABLE a ADD COLUMN b TEXT;",
            "0001_create_a.sql": "CREATE TABLE a (x INTEGER);",
        },
    )
    assert apply_migrations(conn, load_migrations(folder)) == [1, 2]
    _write(folder, {"0003_create_c.sql": "CREATE TABLE c (y INTEGER);"})
    assert apply_migrations(conn, load_migrations(folder)) == [3]
    assert schema_version(conn) == 3
    assert {"a", "c", "schema_migrations"} <= _tables(conn)


def test_a_failing_migration_leaves_the_database_untouched(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    folder = _write(
        tmp_path / "m",
        {
            "0001_good.sql": "CREATE TABLE a (x INTEGER);",
            "0002_bad.sql": "CREATE TABLE b (y INTEGER);\nINSERT INTO missing VALUES (1);",
        },
    )
    with pytest.raises(sqlite3.OperationalError):
        apply_migrations(conn, load_migrations(folder))
    assert _tables(conn) == set()
    assert not conn.in_transaction


def test_a_database_newer_than_the_code_is_refused(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    folder = _write(
        tmp_path / "m",
        {"0001_a.sql": "CREATE TABLE a (x INTEGER);", "0002_b.sql": "CREATE TABLE b (y INTEGER);"},
    )
    apply_migrations(conn, load_migrations(folder))
    (folder / "0002_b.sql").unlink()
    with pytest.raises(StoreError, match="schema version 2, newer"):
        apply_migrations(conn, load_migrations(folder))


async def test_store_refuses_to_open_a_newer_database(db_path: Path, signer: ChainSigner) -> None:
    async with SqliteStore(db_path, signer):
        pass
    raw = sqlite3.connect(db_path)
    with raw:
        raw.execute("INSERT INTO schema_migrations VALUES (999, 'future', 0)")
    raw.close()
    with pytest.raises(StoreError, match="newer than this Tipline"):
        await SqliteStore(db_path, signer).open()


@pytest.mark.parametrize(
    "names",
    [["1_short.sql"], ["0001_a.sql", "0003_c.sql"], ["0001_a.sql", "0001_b.sql"], ["0002_b.sql"]],
)
def test_misnamed_or_misnumbered_migrations_are_refused(tmp_path: Path, names: list[str]) -> None:
    folder = _write(tmp_path / "m", dict.fromkeys(names, "SELECT 1;"))
    with pytest.raises(StoreError):
        load_migrations(folder)


def test_statements_split_whole_with_triggers_strings_and_comments() -> None:
    sql = (
        "-- a comment; with a semicolon\n"
        "CREATE TABLE t (x TEXT DEFAULT 'a;b');\n"
        "CREATE TRIGGER g BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no;'); END;\n"
        "-- trailing comment\n"
    )
    statements = split_statements(sql)
    assert len(statements) == 2
    assert statements[1].startswith("CREATE TRIGGER")
    assert statements[1].endswith("END;")


def test_an_unterminated_statement_is_refused() -> None:
    with pytest.raises(StoreError):
        split_statements("CREATE TABLE t (x INTEGER);\nCREATE TABLE u (y INTEGER)")


async def test_a_database_at_schema_3_loses_the_turn_writes_view(
    db_path: Path, signer: ChainSigner
) -> None:
    """Migration 0004 drops the SQL copy of the turn's write rules; turns still commit."""
    raw = sqlite3.connect(db_path, isolation_level=None)
    try:
        apply_migrations(raw, load_migrations()[:3])
        names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
        assert {"turn_writes", "turn_writes_insert"} <= names
    finally:
        raw.close()
    async with SqliteStore(db_path, signer) as store:
        await store.commit_turn(turn(conversation_id(1), 1), NOW)
        assert await store.count_drafts() == 1
    raw = sqlite3.connect(db_path)
    try:
        names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
        version = schema_version(raw)
    finally:
        raw.close()
    assert version == len(load_migrations())
    assert not names & {"turn_writes", "turn_writes_insert"}


async def test_a_database_at_schema_4_keeps_its_reports_keys_and_audit_honestly(
    db_path: Path, signer: ChainSigner
) -> None:
    """0005: recipients come from each envelope's clear header, the DEMO key is marked,
    and HMAC entries stay as they were ("hmac-v1"): the keyless chain links on to them."""
    key = ReviewerPrivateKey.generate()
    envelope = seal(
        b"{}",
        [reviewer_record(key, "r", NOW)],
        reference="TL-AAAA-AAAA",
        script_id="s",
        script_version="1",
        priority=0,
        sealed_at=NOW,
    )
    raw = sqlite3.connect(db_path, isolation_level=None)
    try:
        apply_migrations(raw, load_migrations()[:4])
        raw.execute(
            "INSERT INTO queue (reference, envelope, priority, sealed_at, receipt_hash,"
            " script_id, script_version) VALUES ('TL-AAAA-AAAA', ?, 0, 0, x'01', 's', '1'),"
            " ('TL-BBBB-BBBB', x'00', 0, 0, x'02', 's', '1')",
            (envelope,),
        )
        raw.execute(
            "INSERT INTO reviewer_keys (key_id, mlkem_public, x25519_public, label, created_at)"
            " VALUES ('d', x'', x'', 'DEMO key - for trying Tipline only, not for real reports',"
            " 0)"
        )
        raw.execute(
            "INSERT INTO audit (seq, at, event, reference, actor, prev_mac, mac)"
            " VALUES (1, 0, 'seal', 'TL-AAAA-AAAA', NULL, ?, ?)",
            (bytes(32), b"\x07" * 32),
        )
    finally:
        raw.close()
    async with SqliteStore(db_path, signer) as store:
        assert (await store.claim("someone-else", NOW, NOW)) is None
        claimed = await store.claim(key.key_id, NOW, NOW + timedelta(minutes=5))
        assert claimed is not None
        assert claimed.reference == "TL-AAAA-AAAA"
        (demo,) = await store.reviewer_keys()
        assert demo.demo
        entries = await store.audit_log()
    assert [e.scheme for e in entries] == ["hmac-v1", "sha256-v1"]
    assert entries[1].prev_mac == b"\x07" * 32
    assert verify_chain(entries) == []
    assert legacy_count(entries) == 1


async def test_replies_stored_before_schema_6_are_deleted_on_upgrade(
    db_path: Path, signer: ChainSigner
) -> None:
    """They name no draft, so nothing could delete them when it ends (issue 13, point 1)."""
    raw = sqlite3.connect(db_path, isolation_level=None)
    try:
        apply_migrations(raw, load_migrations()[:5])
        raw.execute("INSERT INTO ledger (key, reply, expires_at) VALUES (x'01', x'02', 9e15)")
    finally:
        raw.close()
    async with SqliteStore(db_path, signer) as store:
        await store.commit_turn(turn(conversation_id(1), 1), NOW)
    raw = sqlite3.connect(db_path)
    try:
        rows = raw.execute("SELECT key, conversation FROM ledger").fetchall()
    finally:
        raw.close()
    assert rows == [(ledger_key(1), conversation_id(1))]
