"""Reviewer public keys: what reports are sealed to, on the server and the workstation alike.

A reviewer key is a hybrid ML-KEM-768 + X25519 HPKE key. The server keeps only
the two raw public halves (the private key file is the workstation's:
`handoff.workstation.keyfile`). A key id is the first 16 hex characters of
SHA-256(ML-KEM-768 public key, raw 1,184 bytes || X25519 public key, raw 32
bytes): both halves have fixed lengths, so the concatenation is unambiguous.
"""

from __future__ import annotations

import hashlib
from typing import Protocol

from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519

from locales.errors import SealError

__all__ = [
    "MLKEM768_PUBLIC_LEN",
    "X25519_PUBLIC_LEN",
    "PublicKey",
    "Recipient",
    "hpke_public",
    "key_id_of",
]

MLKEM768_PUBLIC_LEN = 1184
X25519_PUBLIC_LEN = 32


class PublicKey(Protocol):
    """A registered reviewer key as sealing needs it (the store's record fits)."""

    @property
    def key_id(self) -> str: ...
    @property
    def mlkem_public(self) -> bytes: ...
    @property
    def x25519_public(self) -> bytes: ...


class Recipient(Protocol):
    """A private key that can open envelopes (the workstation's key file fits)."""

    @property
    def key_id(self) -> str: ...
    def hpke_private(self) -> hpke.MLKEM768X25519PrivateKey: ...


def key_id_of(mlkem_public: bytes, x25519_public: bytes) -> str:
    """The key id: first 16 hex chars of SHA-256 over both raw public halves."""
    return hashlib.sha256(mlkem_public + x25519_public).hexdigest()[:16]


def hpke_public(record: PublicKey) -> hpke.MLKEM768X25519PublicKey:
    """Rebuild the hybrid public key from a stored record; SealError if it is malformed."""
    if (
        len(record.mlkem_public) != MLKEM768_PUBLIC_LEN
        or len(record.x25519_public) != X25519_PUBLIC_LEN
        or key_id_of(record.mlkem_public, record.x25519_public) != record.key_id
    ):
        raise SealError(f"reviewer key {record.key_id} is malformed or its id does not match")
    try:
        return hpke.MLKEM768X25519PublicKey(
            mlkem.MLKEM768PublicKey.from_public_bytes(record.mlkem_public),
            x25519.X25519PublicKey.from_public_bytes(record.x25519_public),
        )
    except ValueError as exc:
        raise SealError(f"reviewer key {record.key_id} is malformed") from exc
