"""Reviewer key files: round trip, passphrase, permissions, no overwrite, damage."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519

from bot.review import reviewer_record as reviewer_key_record
from handoff.bundle import parse_bundle, verify_login
from handoff.keys import hpke_public, key_id_of
from handoff.workstation import ReviewerPrivateKey, load_private_key, save_private_key
from handoff.workstation.keyfile import MAGIC_LINE
from locales.errors import KeyFileError, SealError

PASS = b"correct horse battery staple"
FAST = 2**10  # the scrypt cost in the file is honoured on load; keep tests quick
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def key() -> ReviewerPrivateKey:
    return ReviewerPrivateKey.generate()


def test_key_id_is_sha256_prefix_over_both_public_halves(key: ReviewerPrivateKey) -> None:
    mlkem_public, x25519_public = key.public()
    assert (len(mlkem_public), len(x25519_public)) == (1184, 32)
    assert key.key_id == key_id_of(mlkem_public, x25519_public)
    assert len(key.key_id) == 16
    assert key.key_id != ReviewerPrivateKey.generate().key_id


def test_round_trip_through_a_file_with_the_default_cost(
    tmp_path: Path, key: ReviewerPrivateKey
) -> None:
    path = tmp_path / "alice.key"
    save_private_key(path, key, PASS, "alice laptop")
    loaded = load_private_key(path, PASS)
    assert loaded.key_id == key.key_id
    assert loaded.public() == key.public()
    text = path.read_text()
    assert text.startswith(f"{MAGIC_LINE}\nlabel: alice laptop\nkey-id: {key.key_id}\n")
    assert "n=131072" in text


def test_key_file_is_readable_by_its_owner_only(tmp_path: Path, key: ReviewerPrivateKey) -> None:
    path = tmp_path / "k.key"
    old = os.umask(0)  # even a permissive umask must not widen the mode
    try:
        save_private_key(path, key, PASS, "k", scrypt_n=FAST)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_existing_file_is_never_overwritten(tmp_path: Path, key: ReviewerPrivateKey) -> None:
    path = tmp_path / "k.key"
    path.write_text("precious")
    with pytest.raises(KeyFileError, match="already exists"):
        save_private_key(path, key, PASS, "k", scrypt_n=FAST)
    assert path.read_text() == "precious"


def test_wrong_passphrase_is_a_clear_key_file_error(
    tmp_path: Path, key: ReviewerPrivateKey
) -> None:
    path = tmp_path / "k.key"
    save_private_key(path, key, PASS, "k", scrypt_n=FAST)
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        load_private_key(path, b"correct horse battery stapler")


def test_passphrase_shorter_than_12_characters_is_refused(
    tmp_path: Path, key: ReviewerPrivateKey
) -> None:
    path = tmp_path / "k.key"
    with pytest.raises(KeyFileError, match="at least 12"):
        save_private_key(path, key, b"short pass!", "k", scrypt_n=FAST)
    assert not path.exists()
    # 12 characters counts characters, not bytes: 11 two-byte letters are too short
    with pytest.raises(KeyFileError):
        save_private_key(path, key, ("é" * 11).encode(), "k", scrypt_n=FAST)


@pytest.mark.parametrize("label", ["", "two\nlines", "tab\there"])
def test_label_must_be_one_printable_line(
    tmp_path: Path, key: ReviewerPrivateKey, label: str
) -> None:
    with pytest.raises(KeyFileError, match="label"):
        save_private_key(tmp_path / "k.key", key, PASS, label, scrypt_n=FAST)


def test_missing_file_is_a_key_file_error(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="cannot read"):
        load_private_key(tmp_path / "nope.key", PASS)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[: len(b) // 2], id="truncated"),
        pytest.param(lambda b: b"", id="empty"),
        pytest.param(lambda b: b.replace(b"KEY v2", b"KEY v9", 1), id="wrong-version"),
        pytest.param(lambda b: b"\xff\xfe" + b, id="not-utf8"),
        pytest.param(lambda b: b.replace(b"key-id: ", b"key-id: 0", 1), id="wrong-key-id"),
        pytest.param(lambda b: b.replace(b"n=1024", b"n=1073741824", 1), id="absurd-cost"),
        pytest.param(lambda b: b + b"junk\n", id="trailing-junk"),
    ],
)
def test_damaged_files_give_key_file_error_not_traceback(
    tmp_path: Path, key: ReviewerPrivateKey, damage: Callable[[bytes], bytes]
) -> None:
    path = tmp_path / "k.key"
    save_private_key(path, key, PASS, "k", scrypt_n=FAST)
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(KeyFileError):
        load_private_key(path, PASS)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_key_file_others_can_read_is_refused_like_the_server_secret(
    tmp_path: Path, key: ReviewerPrivateKey, mode: int
) -> None:
    path = tmp_path / "k.key"
    save_private_key(path, key, PASS, "k", scrypt_n=FAST)
    path.chmod(mode)
    with pytest.raises(KeyFileError, match="readable by others"):
        load_private_key(path, PASS)
    path.chmod(0o600)
    assert load_private_key(path, PASS).key_id == key.key_id


def test_halves_swapped_between_files_are_refused(tmp_path: Path, key: ReviewerPrivateKey) -> None:
    """A file whose key-id line does not match its keys is rejected."""
    other = ReviewerPrivateKey.generate()
    a, b = tmp_path / "a.key", tmp_path / "b.key"
    save_private_key(a, key, PASS, "a", scrypt_n=FAST)
    save_private_key(b, other, PASS, "b", scrypt_n=FAST)
    lines = a.read_bytes().split(b"\n", 4)
    lines[2] = b"key-id: " + other.key_id.encode()
    a.write_bytes(b"\n".join(lines))
    with pytest.raises(KeyFileError, match="do not match"):
        load_private_key(a, PASS)


def test_public_record_rebuilds_the_hpke_key(key: ReviewerPrivateKey) -> None:
    record = reviewer_key_record(key, "alice", NOW)
    assert record.key_id == key.key_id
    assert (record.mlkem_public, record.x25519_public) == key.public()
    assert record.created_at == NOW
    assert record.active
    hpke_public(record)  # does not raise


def test_a_record_whose_id_does_not_match_its_halves_is_refused(key: ReviewerPrivateKey) -> None:
    record = reviewer_key_record(key, "alice", NOW)
    forged = type(record)(
        key_id=ReviewerPrivateKey.generate().key_id,
        mlkem_public=record.mlkem_public,
        x25519_public=record.x25519_public,
        label="alice",
        created_at=NOW,
    )
    with pytest.raises(SealError):
        hpke_public(forged)


def test_a_v2_key_signs_logins_its_public_bundle_verifies(
    tmp_path: Path, key: ReviewerPrivateKey
) -> None:
    path = tmp_path / "alice.key"
    save_private_key(path, key, PASS, "alice", scrypt_n=FAST)
    loaded = load_private_key(path, PASS)
    bundle = parse_bundle(key.bundle("alice").text())
    assert bundle == loaded.bundle("alice")
    assert (bundle.key_id, bundle.label) == (key.key_id, "alice")
    signature = loaded.sign_login(b"challenge")
    assert verify_login(bundle.verify_key, key.key_id, b"challenge", signature)
    assert not verify_login(bundle.verify_key, key.key_id, b"other", signature)
    assert not verify_login(bundle.verify_key, "0" * 16, b"challenge", signature)


def test_a_v1_key_still_opens_reports_but_cannot_log_in(tmp_path: Path) -> None:
    old = ReviewerPrivateKey(
        mlkem.MLKEM768PrivateKey.generate(), x25519.X25519PrivateKey.generate()
    )
    path = tmp_path / "old.key"
    save_private_key(path, old, PASS, "old", scrypt_n=FAST)
    assert path.read_text().startswith("TIPLINE REVIEWER KEY v1\n")
    loaded = load_private_key(path, PASS)
    assert loaded.key_id == old.key_id
    with pytest.raises(KeyFileError, match="no login key"):
        loaded.sign_login(b"challenge")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda t: t.replace("key-id: ", "key-id: 0"), id="wrong-id"),
        pytest.param(lambda t: t.replace("ed25519: ", "ed25519: AAAA"), id="wrong-length"),
        pytest.param(lambda t: t.replace("ml-kem-768: ", "ml-kem-768: *"), id="not-base64"),
        pytest.param(lambda t: t.replace("label: alice", "label: \x1b[2J"), id="label"),
        pytest.param(lambda t: t.replace("PUBLIC KEY v1", "PUBLIC KEY v7"), id="version"),
        pytest.param(lambda t: t + "extra: line\n", id="extra"),
    ],
)
def test_a_damaged_bundle_is_refused_clearly(
    key: ReviewerPrivateKey, damage: Callable[[str], str]
) -> None:
    with pytest.raises(KeyFileError):
        parse_bundle(damage(key.bundle("alice").text()))
