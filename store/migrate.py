"""Versioned schema migrations for the SQLite store.

Migrations are numbered SQL files shipped as package data in store/migrations/
(`NNNN_name.sql`, numbered 1, 2, 3 … without gaps). `apply_migrations` runs the
pending ones in order inside ONE transaction and records each in
`schema_migrations`, so re-running is a no-op, a failure leaves the database as
it was, and two processes opening the same file at once cannot both migrate. A
database migrated by a newer Tipline is refused rather than guessed at.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from locales.errors import StoreError

_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
)
"""

# Microseconds since the epoch from SQLite's own clock (millisecond precision),
# the same unit as every other datetime in the store.
_RECORD = """
INSERT INTO schema_migrations (version, name, applied_at)
VALUES (?, ?, CAST(ROUND((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER) * 1000)
"""


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered schema change."""

    version: int
    name: str
    sql: str


def load_migrations(folder: Traversable | None = None) -> list[Migration]:
    """Read the `NNNN_name.sql` files of `folder` (default: the shipped ones), in order."""
    if folder is None:
        folder = resources.files("store") / "migrations"
    found: list[Migration] = []
    for entry in folder.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        match = _FILE_NAME.match(entry.name)
        if match is None:
            raise StoreError(f"migration file {entry.name!r} is not named NNNN_name.sql")
        found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    expected = list(range(1, len(found) + 1))
    if [m.version for m in found] != expected:
        raise StoreError("migrations must be numbered 1, 2, 3 … without gaps or repeats")
    return found


def split_statements(sql: str) -> list[str]:
    """Split a script into complete statements (semicolons in triggers and strings are kept)."""
    statements: list[str] = []
    start = 0
    for index, char in enumerate(sql):
        if char == ";" and sqlite3.complete_statement(sql[start : index + 1]):
            statements.append(sql[start : index + 1].strip())
            start = index + 1
    rest = sql[start:].strip()
    # Whatever follows the last semicolon may only be comments.
    if rest and any(
        line.strip() and not line.strip().startswith("--") for line in rest.splitlines()
    ):
        raise StoreError("a migration ends with an unterminated statement")
    return statements


def schema_version(conn: sqlite3.Connection) -> int:
    """The highest migration recorded in the database (0 for a new database)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if exists is None:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def _refuse_newer(current: int, latest: int) -> None:
    if current > latest:
        raise StoreError(
            f"the database is at schema version {current}, newer than this "
            f"Tipline knows ({latest}); upgrade Tipline or use a matching database"
        )


def apply_migrations(conn: sqlite3.Connection, migrations: Sequence[Migration]) -> list[int]:
    """Apply the pending migrations in one transaction; return the versions applied.

    `conn` must be in autocommit mode (isolation_level=None): this function owns
    the transaction.
    """
    latest = max((m.version for m in migrations), default=0)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(_CREATE_TABLE)
        current = schema_version(conn)
        _refuse_newer(current, latest)
        applied: list[int] = []
        for migration in sorted(migrations, key=lambda m: m.version):
            if migration.version <= current:
                continue
            for statement in split_statements(migration.sql):
                conn.execute(statement)
            conn.execute(_RECORD, (migration.version, migration.name))
            applied.append(migration.version)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return applied
