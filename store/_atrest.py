"""Re-encrypting every blob kept at rest, in one transaction (`tipline admin rotate-secret`).

Rows are visited one at a time by rowid, so a table of large evidence files is
never held in memory at once, and updating a row cannot disturb the walk. When a
blob cannot be opened its row goes; a draft takes its files and stored replies
with it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from store._ops import in_write_transaction
from store._types import AtRest, AtRestKind, Rewrap, RewrapCounts

# kind: (table, blob column, the key columns: the row key and a file id)
_TABLES: dict[AtRestKind, tuple[str, str, str]] = {
    "draft": ("drafts", "blob", "conversation, NULL"),
    "file": ("attachments", "blob", "conversation, id"),
    "reply": ("ledger", "reply", "key, NULL"),
}


class _DryRun(Exception):
    """Raised to roll a counting pass back."""


def rewrap_at_rest(conn: sqlite3.Connection, rewrap: Rewrap, *, apply: bool) -> RewrapCounts:
    """Replace each blob by `rewrap`'s, or delete its row; roll back unless `apply`."""
    rewrapped: dict[AtRestKind, int] = dict.fromkeys(_TABLES, 0)
    deleted: dict[AtRestKind, int] = dict.fromkeys(_TABLES, 0)

    def work() -> None:
        for kind, (table, column, _keys) in _TABLES.items():
            for rowid, at_rest in _walk(conn, kind):
                new = rewrap(at_rest)
                if new is None:
                    _delete(conn, kind, rowid, at_rest.key)
                    deleted[kind] += 1
                else:
                    sql = f"UPDATE {table} SET {column} = ? WHERE rowid = ?"  # noqa: S608 -- constants
                    conn.execute(sql, (new, rowid))
                    rewrapped[kind] += 1
        if not apply:
            raise _DryRun

    try:
        in_write_transaction(conn, work)
    except _DryRun:
        pass
    else:
        # The old ciphertexts leave the WAL now, not at the next sweep.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return RewrapCounts(rewrapped, deleted)


def _walk(conn: sqlite3.Connection, kind: AtRestKind) -> Iterator[tuple[int, AtRest]]:
    """The rows of one kind, fetched one by one in rowid order."""
    table, blob, keys = _TABLES[kind]
    query = f"SELECT rowid, {keys}, {blob} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1"  # noqa: S608
    last = 0
    while (row := conn.execute(query, (last,)).fetchone()) is not None:
        last, key, file_id, data = row
        yield last, AtRest(kind, bytes(key), bytes(data), file_id)


def _delete(conn: sqlite3.Connection, kind: AtRestKind, rowid: int, key: bytes) -> None:
    table, _column, _keys = _TABLES[kind]
    conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))  # noqa: S608 -- constants
    if kind == "draft":
        conn.execute("DELETE FROM attachments WHERE conversation = ?", (key,))
        conn.execute("DELETE FROM ledger WHERE conversation = ?", (key,))
