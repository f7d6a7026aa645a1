"""Reviewer accounts on SQLite: enrolment, retirement, logins and sessions.

Functions run on a connection's own thread (`store._thread`), each one whole
unit of work. The store keeps only public keys, ciphertext made by the caller
(the TOTP secret) and hashes of session tokens. Every change is audited in its
own transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from locales.errors import StoreError
from store._ops import append_audit, from_micros, in_write_transaction, to_micros
from store._types import AuditSigner, LoginRecord, ReviewerKey

_COLUMNS = (
    "key_id, mlkem_public, x25519_public, label, created_at, active, verify_key, demo, retired_at"
)


def _key(row: Sequence[Any]) -> ReviewerKey:
    key_id, mlkem, x25519, label, created, active, verify, demo, retired = row
    return ReviewerKey(
        key_id=key_id,
        mlkem_public=bytes(mlkem),
        x25519_public=bytes(x25519),
        label=label,
        created_at=from_micros(created),
        active=bool(active),
        verify_key=None if verify is None else bytes(verify),
        demo=bool(demo),
        retired_at=None if retired is None else from_micros(retired),
    )


def add_reviewer_key(
    conn: sqlite3.Connection,
    signer: AuditSigner,
    key: ReviewerKey,
    now: datetime,
    totp_secret: bytes | None,
) -> list[str]:
    def work() -> list[str]:
        row = conn.execute(
            "SELECT verify_key, mlkem_public, x25519_public, active FROM reviewer_keys"
            " WHERE key_id = ?",
            (key.key_id,),
        ).fetchone()
        if row is None:
            conn.execute(
                f"INSERT INTO reviewer_keys ({_COLUMNS}, totp_secret)"  # noqa: S608 -- constant
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                (
                    key.key_id,
                    key.mlkem_public,
                    key.x25519_public,
                    key.label,
                    to_micros(key.created_at),
                    int(key.active),
                    key.verify_key,
                    int(key.demo),
                    totp_secret,
                ),
            )
        elif row[0] is None and row[3] and key.verify_key is not None:
            # Registered before logins existed: enrol its login key now.
            conn.execute(
                "UPDATE reviewer_keys SET verify_key = ?, totp_secret = ?, label = ?"
                " WHERE key_id = ?",
                (key.verify_key, totp_secret, key.label, key.key_id),
            )
        else:
            raise StoreError(f"reviewer key {key.key_id} is already registered")
        append_audit(conn, signer, now, event="key_registered", reference=None, actor=key.key_id)
        retired: list[str] = []
        if not key.demo:
            demos = conn.execute(
                "SELECT key_id FROM reviewer_keys WHERE demo = 1 AND active = 1 ORDER BY key_id"
            ).fetchall()
            for (demo_id,) in demos:
                _retire(conn, signer, demo_id, now)
                retired.append(str(demo_id))
        return retired

    return in_write_transaction(conn, work)


def _retire(conn: sqlite3.Connection, signer: AuditSigner, key_id: str, now: datetime) -> None:
    conn.execute(
        "UPDATE reviewer_keys SET active = 0, retired_at = ? WHERE key_id = ?",
        (to_micros(now), key_id),
    )
    conn.execute("DELETE FROM reviewer_sessions WHERE key_id = ?", (key_id,))
    append_audit(conn, signer, now, event="key_retired", reference=None, actor=key_id)


def retire_reviewer(
    conn: sqlite3.Connection, signer: AuditSigner, key_id: str, now: datetime
) -> ReviewerKey:
    def work() -> ReviewerKey:
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM reviewer_keys WHERE key_id = ?",  # noqa: S608 -- constant
            (key_id,),
        ).fetchone()
        if row is None:
            raise StoreError(f"no reviewer key {key_id}")
        if not row[5]:
            raise StoreError(f"reviewer key {key_id} is already retired")
        _retire(conn, signer, key_id, now)
        return _key(
            conn.execute(
                f"SELECT {_COLUMNS} FROM reviewer_keys WHERE key_id = ?",  # noqa: S608 -- constant
                (key_id,),
            ).fetchone()
        )

    return in_write_transaction(conn, work)


def reviewer_keys(conn: sqlite3.Connection, active_only: bool) -> list[ReviewerKey]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM reviewer_keys"  # noqa: S608 -- constant column list
        " WHERE active = 1 OR NOT ? ORDER BY created_at, key_id",
        (active_only,),
    ).fetchall()
    return [_key(row) for row in rows]


def login_record(conn: sqlite3.Connection, key_id: str) -> LoginRecord | None:
    row = conn.execute(
        f"SELECT {_COLUMNS}, totp_secret, totp_last_step FROM reviewer_keys"  # noqa: S608
        " WHERE key_id = ? AND active = 1",
        (key_id,),
    ).fetchone()
    if row is None:
        return None
    secret = row[9]
    return LoginRecord(_key(row[:9]), None if secret is None else bytes(secret), int(row[10]))


def record_login(
    conn: sqlite3.Connection,
    signer: AuditSigner,
    *,
    key_id: str,
    step: int,
    token_hash: bytes,
    expires_at: datetime,
    now: datetime,
) -> bool:
    def work() -> bool:
        used = conn.execute(
            "UPDATE reviewer_keys SET totp_last_step = ?"
            " WHERE key_id = ? AND active = 1 AND totp_last_step < ?",
            (step, key_id, step),
        )
        if used.rowcount == 0:
            return False
        conn.execute("DELETE FROM reviewer_sessions WHERE expires_at <= ?", (to_micros(now),))
        conn.execute(
            "INSERT INTO reviewer_sessions (token_hash, key_id, expires_at) VALUES (?, ?, ?)",
            (token_hash, key_id, to_micros(expires_at)),
        )
        append_audit(conn, signer, now, event="login", reference=None, actor=key_id)
        return True

    return in_write_transaction(conn, work)


def record_login_failure(
    conn: sqlite3.Connection, signer: AuditSigner, key_id: str, now: datetime
) -> None:
    in_write_transaction(
        conn,
        lambda: append_audit(conn, signer, now, event="login_failed", reference=None, actor=key_id),
    )


def session(conn: sqlite3.Connection, token_hash: bytes, now: datetime) -> str | None:
    row = conn.execute(
        "SELECT s.key_id FROM reviewer_sessions AS s JOIN reviewer_keys AS k USING (key_id)"
        " WHERE s.token_hash = ? AND s.expires_at > ? AND k.active = 1",
        (token_hash, to_micros(now)),
    ).fetchone()
    return None if row is None else str(row[0])


def end_session(conn: sqlite3.Connection, token_hash: bytes) -> None:
    conn.execute("DELETE FROM reviewer_sessions WHERE token_hash = ?", (token_hash,))
