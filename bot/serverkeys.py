"""The server's own secrets: created once in the data directory, never logged.

One 32-byte master secret (file mode 0600, directory 0700) is expanded with HKDF
into a key per purpose, so no key does two jobs:

- `conversation`: HMAC key turning (channel, chat id) into the store's key;
- `draft`: the at-rest key of drafts, their files and stored replies;
- `receipt`: the secret salt of the slow receipt hash.

At rest, every blob gets a key of its own: HKDF(at-rest key, a random 32-byte
salt stored with the blob), so no two blobs share a key and no nonce is ever
reused, however many are written (a random 96-bit nonce under one fixed key
reaches its safe limit after ~2**32 messages). Blobs written before this
format (a random nonce under the at-rest key itself) are still read, never
written; `tipline admin rotate-secret` re-encrypts them.

The secret file holds the master secret, then (after a rotation) the at-rest
key of its own, then (only while a rotation is under way) the key it replaces:
32, 64 or 96 bytes. The conversation, audit and receipt keys never change, so
chats still find their drafts, the audit chain still verifies and receipts
still match after a rotation.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from locales.errors import ConfigError, TamperedError

_KEY = 32
_PURPOSES = ("conversation", "draft", "receipt")
_FORMAT = b"\x01"  # a blob: FORMAT ‖ salt ‖ ChaCha20-Poly1305 ciphertext and tag
_SALT = 32
_TAG = 16
_NONCE = bytes(12)  # each blob's key is used once, so a constant nonce is safe
_LEGACY_NONCE = 12


@dataclass(frozen=True, slots=True)
class ServerKeys:
    """Per-purpose keys derived from the master secret."""

    conversation: bytes
    draft: bytes
    receipt: bytes
    retired: tuple[bytes, ...] = ()  # the at-rest key being replaced, during a rotation only

    @classmethod
    def derive(
        cls, master: bytes, at_rest: bytes | None = None, retired: tuple[bytes, ...] = ()
    ) -> ServerKeys:
        """The keys of a master secret; `at_rest` replaces the derived at-rest key."""
        if len(master) != _KEY:
            raise ConfigError("the server secret must be 32 bytes")
        keys = {p: _hkdf(master, None, b"tipline/" + p.encode()) for p in _PURPOSES}
        if at_rest is not None:
            keys["draft"] = at_rest
        return cls(**keys, retired=retired)

    def key(self, purpose: str) -> bytes:
        """A key for one purpose of a caller's own (a channel's CSRF or webhook secret),
        derived from the conversation key so that no two purposes share one."""
        return _hkdf(self.conversation, None, b"tipline/" + purpose.encode())

    def conversation_id(self, channel: str, chat: str) -> bytes:
        """The store's key for a chat: HMAC-SHA256, so the raw chat id is never stored."""
        return hmac.new(self.conversation, f"{channel}\0{chat}".encode(), hashlib.sha256).digest()

    def ledger_key(self, channel: str, chat: str, message_id: str) -> bytes:
        msg = f"ledger\0{channel}\0{chat}\0{message_id}".encode()
        return hmac.new(self.conversation, msg, hashlib.sha256).digest()

    def seal_at_rest(self, plaintext: bytes, bound_to: bytes) -> bytes:
        """Encrypt a draft, file or stored reply under a key of its own; `bound_to` (its
        row key) is authenticated, so a blob moved to another row fails to open."""
        salt = os.urandom(_SALT)
        return _FORMAT + salt + _blob_cipher(self.draft, salt).encrypt(_NONCE, plaintext, bound_to)

    def open_at_rest(self, blob: bytes, bound_to: bytes) -> bytes:
        """The plaintext of a blob sealed at rest (either format, current or retired key)."""
        for key in (self.draft, *self.retired):
            plain = _open(key, blob, bound_to)
            if plain is not None:
                return plain
        raise TamperedError("a stored draft failed authentication")


def _hkdf(key: bytes, salt: bytes | None, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=_KEY, salt=salt, info=info).derive(key)


def _blob_cipher(key: bytes, salt: bytes) -> ChaCha20Poly1305:
    return ChaCha20Poly1305(_hkdf(key, salt, b"tipline/at-rest/blob"))


def _open(key: bytes, blob: bytes, bound_to: bytes) -> bytes | None:
    if blob[:1] == _FORMAT and len(blob) >= 1 + _SALT + _TAG:
        salt = blob[1 : 1 + _SALT]
        with contextlib.suppress(InvalidTag):
            return _blob_cipher(key, salt).decrypt(_NONCE, blob[1 + _SALT :], bound_to)
    # The format before per-blob keys; a legacy blob may start with the format byte too.
    if len(blob) < _LEGACY_NONCE + _TAG:
        return None
    with contextlib.suppress(InvalidTag):
        nonce, sealed = blob[:_LEGACY_NONCE], blob[_LEGACY_NONCE:]
        return ChaCha20Poly1305(key).decrypt(nonce, sealed, bound_to)
    return None


def load_existing(path: Path) -> ServerKeys:
    """Read the secret file that must already exist (never creating one)."""
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise ConfigError(f"{path} is readable by others (mode {mode:o}); chmod 600 it")
    raw = path.read_bytes()
    if len(raw) not in (_KEY, 2 * _KEY, 3 * _KEY):
        raise ConfigError(f"{path} is not a Tipline server secret (wrong length)")
    master, at_rest, retired = raw[:_KEY], raw[_KEY : 2 * _KEY], raw[2 * _KEY :]
    return ServerKeys.derive(master, at_rest or None, (retired,) if retired else ())


def load_or_create(path: Path) -> ServerKeys:
    """Read the master secret, creating it (0600, in a 0700 directory) on first start."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(_KEY))
            f.flush()
            os.fsync(f.fileno())
    return load_existing(path)


def write_secret(path: Path, master: bytes, at_rest: bytes, retired: bytes = b"") -> None:
    """Replace the secret file atomically (write beside it, fsync, rename, fsync the folder)."""
    tmp = path.with_name(path.name + ".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(master + at_rest + retired)
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


@contextlib.contextmanager
def holding(path: Path, *, exclusive: bool = False) -> Iterator[None]:
    """Hold the data folder's lock while its secret is in use.

    Every command that opens the data folder holds it shared; `tipline admin
    rotate-secret` needs it alone, so nothing writes with the old key meanwhile.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            if exclusive:
                why = f"Tipline is using {path.parent} (run, chat or review): stop it first"
            else:
                why = f"the server secret in {path.parent} is being rotated; try again after"
            raise ConfigError(why) from exc
        yield
    finally:
        os.close(fd)
