"""`tipline admin rotate-secret`, run for real on a data folder with a draft in progress."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from bot.serverkeys import ServerKeys, holding, load_existing, write_secret
from locales.errors import TamperedError
from tests.bot.test_cli import ANSWERS, lines, registered_key, tipline
from tests.bot.test_crash import sealed_answers


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "var"


@pytest.fixture
def key_file(data_dir: Path, tmp_path: Path) -> Path:
    return registered_key(tmp_path / "r.key", data_dir)


def rows(data_dir: Path) -> list[tuple[str, bytes, bytes]]:
    """(kind, row key, blob) of every draft and stored reply."""
    with contextlib.closing(sqlite3.connect(data_dir / "tipline.db")) as db:
        found = db.execute(
            "SELECT 'draft', conversation, blob FROM drafts"
            " UNION ALL SELECT 'reply', key, reply FROM ledger"
        ).fetchall()
    return [(kind, bytes(key), bytes(blob)) for kind, key, blob in found]


def opens(keys: ServerKeys, key: bytes, blob: bytes) -> bool:
    try:
        keys.open_at_rest(blob, key)
    except TamperedError:
        return False
    return True


def half_way(data_dir: Path) -> None:
    done = tipline(["chat"], data_dir, lines(*ANSWERS[:5]))
    assert done.returncode == 0, done.stderr


def test_every_blob_is_re_encrypted_and_the_report_goes_on(data_dir: Path, key_file: Path) -> None:
    half_way(data_dir)
    secret = data_dir / "server-secret"
    master = secret.read_bytes()
    old = load_existing(secret)
    before = rows(data_dir)
    assert before
    assert all(opens(old, key, blob) for _, key, blob in before)

    rotated = tipline(["admin", "rotate-secret", "--yes"], data_dir)
    assert rotated.returncode == 0, rotated.stderr
    replies = len(before) - 1
    assert f"Re-encrypted: 1 draft, 0 files, {replies} stored replies." in rotated.stdout
    assert secret.read_bytes()[:32] == master, "the master secret stays"
    assert len(secret.read_bytes()) == 64, "the new at-rest key, and no old one"
    new = load_existing(secret)
    after = rows(data_dir)
    assert len(after) == len(before)
    for _, key, blob in after:
        assert opens(new, key, blob)
        assert not opens(old, key, blob), "the old key opens nothing any more"

    rest = tipline(["chat"], data_dir, lines(*ANSWERS[5:], "confirm"))
    assert "Your report is sent and locked" in rest.stdout, "the draft went on where it was"
    assert sealed_answers(data_dir, key_file)["what_happened"] == ANSWERS[1]


def test_an_old_format_blob_is_read_and_re_encrypted(data_dir: Path, key_file: Path) -> None:
    """A draft written before per-blob keys (a random nonce under the key) still opens."""
    half_way(data_dir)
    keys = load_existing(data_dir / "server-secret")
    with contextlib.closing(sqlite3.connect(data_dir / "tipline.db")) as db:
        conversation, blob = db.execute("SELECT conversation, blob FROM drafts").fetchone()
        plain = keys.open_at_rest(bytes(blob), bytes(conversation))
        nonce = os.urandom(12)
        legacy = nonce + ChaCha20Poly1305(keys.draft).encrypt(nonce, plain, bytes(conversation))
        db.execute("UPDATE drafts SET blob = ?", (legacy,))
        db.commit()

    rotated = tipline(["admin", "rotate-secret", "--yes"], data_dir)
    assert rotated.returncode == 0, rotated.stderr
    [(_, key, blob)] = [row for row in rows(data_dir) if row[0] == "draft"]
    assert blob[:1] == b"\x01", "now in the per-blob format"
    assert load_existing(data_dir / "server-secret").open_at_rest(blob, key) == plain


def test_a_blob_that_cannot_be_opened_is_named_and_deleted_only_when_asked(
    data_dir: Path, key_file: Path
) -> None:
    half_way(data_dir)
    with contextlib.closing(sqlite3.connect(data_dir / "tipline.db")) as db:
        db.execute(
            "UPDATE ledger SET reply = x'00112233' WHERE rowid = (SELECT min(rowid) FROM ledger)"
        )
        db.commit()
    secret = data_dir / "server-secret"
    before = secret.read_bytes()

    unasked = tipline(["admin", "rotate-secret"], data_dir)  # not a terminal: nobody to ask
    assert unasked.returncode == 1
    assert "Cannot be opened with the key, so to be DELETED: 1 stored reply." in unasked.stdout
    assert "add --yes" in unasked.stderr
    assert secret.read_bytes() == before, "nothing was changed"
    stored = len(rows(data_dir))

    rotated = tipline(["admin", "rotate-secret", "--yes"], data_dir)
    assert rotated.returncode == 0, rotated.stderr
    assert "Cannot be opened with the key, so deleted: 1 stored reply." in rotated.stdout
    assert len(rows(data_dir)) == stored - 1


def test_a_rotation_cut_short_is_finished_by_the_next_run(data_dir: Path, key_file: Path) -> None:
    """Killed after the new key was written beside the old one: nothing is lost."""
    half_way(data_dir)
    secret = data_dir / "server-secret"
    master = secret.read_bytes()
    old = load_existing(secret)
    new_key = bytes(range(32, 64))
    write_secret(secret, master, new_key, old.draft)

    finished = tipline(["admin", "rotate-secret"], data_dir)  # no question: it was asked
    assert finished.returncode == 0, finished.stderr
    assert secret.read_bytes() == master + new_key
    new = load_existing(secret)
    assert all(
        opens(new, key, blob) and not opens(old, key, blob) for _, key, blob in rows(data_dir)
    )


def test_nothing_is_rotated_while_tipline_uses_the_folder(data_dir: Path, key_file: Path) -> None:
    half_way(data_dir)
    secret = data_dir / "server-secret"
    before = secret.read_bytes()
    with holding(secret):  # as `tipline run` holds it
        refused = tipline(["admin", "rotate-secret", "--yes"], data_dir)
    assert refused.returncode == 1
    assert "stop it first" in refused.stderr
    assert secret.read_bytes() == before
