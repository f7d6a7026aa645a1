"""The server's own secrets: created once in the data directory, never logged.

One 32-byte master secret (file mode 0600, directory 0700) is expanded with HKDF
into a key per purpose, so no key does two jobs:

- `conversation`: HMAC key turning (channel, chat id) into the store's key;
- `draft`: AEAD key for drafts and stored replies at rest;
- `receipt`: the secret salt of the slow receipt hash.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from locales.errors import ConfigError, TamperedError

_NONCE = 12
_PURPOSES = ("conversation", "draft", "receipt")


@dataclass(frozen=True, slots=True)
class ServerKeys:
    """Per-purpose keys derived from the master secret."""

    conversation: bytes
    draft: bytes
    receipt: bytes
    _aead: ChaCha20Poly1305 = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_aead", ChaCha20Poly1305(self.draft))

    @classmethod
    def derive(cls, master: bytes) -> ServerKeys:
        if len(master) != 32:
            raise ConfigError("the server secret must be 32 bytes")
        keys = {
            purpose: HKDF(
                algorithm=hashes.SHA256(), length=32, salt=None, info=b"tipline/" + purpose.encode()
            ).derive(master)
            for purpose in _PURPOSES
        }
        return cls(**keys)

    def key(self, purpose: str) -> bytes:
        """A key for one purpose of a caller's own (a channel's CSRF or webhook secret),
        derived from the conversation key so that no two purposes share one."""
        hkdf = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"tipline/" + purpose.encode()
        )
        return hkdf.derive(self.conversation)

    def conversation_id(self, channel: str, chat: str) -> bytes:
        """The store's key for a chat: HMAC-SHA256, so the raw chat id is never stored."""
        return hmac.new(self.conversation, f"{channel}\0{chat}".encode(), hashlib.sha256).digest()

    def ledger_key(self, channel: str, chat: str, message_id: str) -> bytes:
        msg = f"ledger\0{channel}\0{chat}\0{message_id}".encode()
        return hmac.new(self.conversation, msg, hashlib.sha256).digest()

    def seal_at_rest(self, plaintext: bytes, bound_to: bytes) -> bytes:
        """Encrypt a draft or stored reply; `bound_to` (its row key) is authenticated."""
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, plaintext, bound_to)

    def open_at_rest(self, blob: bytes, bound_to: bytes) -> bytes:
        try:
            return self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], bound_to)
        except InvalidTag as exc:
            raise TamperedError("a stored draft failed authentication") from exc


def load_existing(path: Path) -> ServerKeys:
    """Read the master secret that must already exist (never creating one)."""
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise ConfigError(f"{path} is readable by others (mode {mode:o}); chmod 600 it")
    return ServerKeys.derive(path.read_bytes())


def load_or_create(path: Path) -> ServerKeys:
    """Read the master secret, creating it (0600, in a 0700 directory) on first start."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(32))
            f.flush()
            os.fsync(f.fileno())
    return load_existing(path)
