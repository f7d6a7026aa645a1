"""The reporter's key pair, derived from the receipt: how reviewers write to an anonymous reporter.

At sealing the server derives a hybrid ML-KEM-768 + X25519 key pair from the
receipt and a server pepper, keeps only the public half with the case, and
forgets the receipt. A reviewer's message is sealed (on the workstation) to
that public key and to the reviewers' keys; when the reporter types the
receipt again, the server derives the private half for the length of that one
turn, opens the messages and forgets it. Nothing stored opens them: neither
the data folder nor the server secret holds the receipt, and guessing it
means a slow derivation per guess (below) after the slow receipt hash
(`handoff.receipts`) — or this derivation alone against the public key.

Cost: scrypt n=2**14, r=8, p=1, 16 MiB — about 0.1-0.25 s a derivation here
(measured 0.23 s on a loaded 2-core machine). That is paid once per sealed
report and once per successful return, a few a day, off the event loop; a
guesser with the server's files and secret pays it 10**16 times (≈ 70 million
core-years). n=2**15 doubled the time and memory for a factor of two that
changes nothing at that scale, and would make a burst of sealing (a media
campaign, ~1 report/s) cost a core.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from handoff.keys import MLKEM768_PUBLIC_LEN, X25519_PUBLIC_LEN, key_id_of
from handoff.receipts import normalize_receipt
from locales.errors import ConfigError, SealError

__all__ = [
    "REPORTER_PUBLIC_LEN",
    "REPORTER_SCRYPT_N",
    "ReporterKey",
    "ReporterPublic",
    "reporter_key",
]

REPORTER_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1
_SALT_LABEL = b"tipline/reporter-key/v1|"
_MLKEM_SEED = 64
_X25519_PRIVATE = 32
REPORTER_PUBLIC_LEN = MLKEM768_PUBLIC_LEN + X25519_PUBLIC_LEN


@dataclass(frozen=True, slots=True)
class ReporterPublic:
    """The public half kept with a case; it fits `handoff.keys.PublicKey`."""

    key_id: str
    mlkem_public: bytes
    x25519_public: bytes

    def to_bytes(self) -> bytes:
        """ML-KEM-768 public (1,184 bytes) ‖ X25519 public (32 bytes): fixed lengths."""
        return self.mlkem_public + self.x25519_public

    @classmethod
    def from_bytes(cls, raw: bytes) -> ReporterPublic:
        if len(raw) != REPORTER_PUBLIC_LEN:
            raise SealError("a reporter public key is 1,216 bytes")
        mlkem_public, x25519_public = raw[:MLKEM768_PUBLIC_LEN], raw[MLKEM768_PUBLIC_LEN:]
        return cls(key_id_of(mlkem_public, x25519_public), mlkem_public, x25519_public)


class ReporterKey:
    """The private key a receipt opens; fits `handoff.keys.Recipient`. Never stored."""

    def __init__(self, mlkem_private: mlkem.MLKEM768PrivateKey, x_private: x25519.X25519PrivateKey):
        self._mlkem = mlkem_private
        self._x25519 = x_private
        self.public = ReporterPublic.from_bytes(
            mlkem_private.public_key().public_bytes_raw()
            + x_private.public_key().public_bytes_raw()
        )

    @property
    def key_id(self) -> str:
        return self.public.key_id

    def hpke_private(self) -> hpke.MLKEM768X25519PrivateKey:
        return hpke.MLKEM768X25519PrivateKey(self._mlkem, self._x25519)

    def __repr__(self) -> str:
        return f"ReporterKey({self.key_id})"


def reporter_key(receipt: str, pepper: bytes, *, n: int = REPORTER_SCRYPT_N) -> ReporterKey:
    """The key pair of `receipt` (any layout) under the server's `pepper`; slow on purpose.

    ValueError if `receipt` is not a receipt. `n` is lowered only by tests and benches.
    """
    if len(pepper) < 16:
        raise ConfigError("the reporter key pepper must be at least 16 bytes")
    digits = normalize_receipt(receipt)
    if digits is None:
        raise ValueError("not a 16-digit receipt")
    kdf = Scrypt(
        salt=_SALT_LABEL + pepper,
        length=_MLKEM_SEED + _X25519_PRIVATE,
        n=n,
        r=_SCRYPT_R,
        p=_SCRYPT_P,
    )
    seed = kdf.derive(digits.encode("ascii"))
    return ReporterKey(
        mlkem.MLKEM768PrivateKey.from_seed_bytes(seed[:_MLKEM_SEED]),
        x25519.X25519PrivateKey.from_private_bytes(seed[_MLKEM_SEED:]),
    )
