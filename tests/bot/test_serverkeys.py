"""The server's secrets: a key of its own for every blob at rest, old blobs still read."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.serverkeys import ServerKeys, holding, load_existing, load_or_create, write_secret
from locales.errors import ConfigError, TamperedError

MASTER = bytes(range(32))


def legacy_blob(key: bytes, plaintext: bytes, bound_to: bytes) -> bytes:
    """A blob as Tipline wrote them before per-blob keys: a random nonce under the key."""
    nonce = os.urandom(12)
    return nonce + ChaCha20Poly1305(key).encrypt(nonce, plaintext, bound_to)


def test_every_blob_has_a_key_of_its_own_derived_from_a_random_salt() -> None:
    keys = ServerKeys.derive(MASTER)
    first = keys.seal_at_rest(b"same draft", b"row")
    second = keys.seal_at_rest(b"same draft", b"row")
    assert first[0] == second[0] == 1  # the format byte
    salts = first[1:33], second[1:33]
    assert salts[0] != salts[1]
    for blob, salt in zip((first, second), salts, strict=True):
        key = HKDF(hashes.SHA256(), 32, salt, b"tipline/at-rest/blob").derive(keys.draft)
        assert ChaCha20Poly1305(key).decrypt(bytes(12), blob[33:], b"row") == b"same draft"
        with pytest.raises(InvalidTag):  # not the at-rest key itself, as it used to be
            ChaCha20Poly1305(keys.draft).decrypt(blob[:12], blob[12:], b"row")


def test_a_blob_opens_only_where_it_belongs() -> None:
    keys = ServerKeys.derive(MASTER)
    blob = keys.seal_at_rest(b"draft", b"conversation-1")
    assert keys.open_at_rest(blob, b"conversation-1") == b"draft"
    with pytest.raises(TamperedError):
        keys.open_at_rest(blob, b"conversation-2")
    with pytest.raises(TamperedError):
        keys.open_at_rest(blob[:-1] + bytes([blob[-1] ^ 1]), b"conversation-1")
    with pytest.raises(TamperedError):
        ServerKeys.derive(bytes(32)).open_at_rest(blob, b"conversation-1")


def test_blobs_written_before_per_blob_keys_are_still_read() -> None:
    keys = ServerKeys.derive(MASTER)
    for _ in range(50):  # some legacy nonces start with the format byte too
        old = legacy_blob(keys.draft, b"an old draft", b"row")
        assert keys.open_at_rest(old, b"row") == b"an old draft"


def test_during_a_rotation_both_keys_open_and_the_new_one_seals() -> None:
    old = ServerKeys.derive(MASTER)
    new_key = secrets.token_bytes(32)
    moving = ServerKeys.derive(MASTER, new_key, (old.draft,))
    assert moving.open_at_rest(old.seal_at_rest(b"x", b"r"), b"r") == b"x"
    assert moving.open_at_rest(legacy_blob(old.draft, b"y", b"r"), b"r") == b"y"
    fresh = moving.seal_at_rest(b"z", b"r")
    with pytest.raises(TamperedError):
        old.open_at_rest(fresh, b"r")
    assert (moving.conversation, moving.receipt) == (
        old.conversation,
        old.receipt,
    ), "only the at-rest key changes"


def test_the_secret_file_holds_the_master_then_the_at_rest_keys(tmp_path: Path) -> None:
    path = tmp_path / "server-secret"
    first = load_or_create(path)
    master = path.read_bytes()
    new_key = secrets.token_bytes(32)
    write_secret(path, master, new_key, first.draft)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    during = load_existing(path)
    assert (during.draft, during.retired) == (new_key, (first.draft,))
    write_secret(path, master, new_key)
    after = load_existing(path)
    assert (after.draft, after.retired, after.conversation) == (new_key, (), first.conversation)
    path.write_bytes(master + b"short")
    with pytest.raises(ConfigError, match="wrong length"):
        load_existing(path)


def test_a_rotation_and_a_running_tipline_exclude_each_other(tmp_path: Path) -> None:
    path = tmp_path / "server-secret"
    shared = contextlib.ExitStack()
    shared.enter_context(holding(path))  # run, chat and review share the folder
    shared.enter_context(holding(path))
    with shared, pytest.raises(ConfigError, match="stop it first"), holding(path, exclusive=True):
        pass
    alone = contextlib.ExitStack()
    alone.enter_context(holding(path, exclusive=True))
    with alone, pytest.raises(ConfigError, match="being rotated"), holding(path):
        pass
