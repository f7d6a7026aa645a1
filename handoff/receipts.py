"""Report references and reporter receipts.

A reference ("TL-7KQ2-M9XD") names a report for reviewers and the reporter; a
receipt (16 digits) is the reporter's secret to come back later. Only a slow,
keyed hash of a receipt is stored: the server key is the scrypt salt, so the
hash is deterministic (a follow-up can be looked up by it) yet useless to guess
against without the key.

Cost: scrypt n=2**11, r=8, p=1 — about 4 ms and 2 MiB per hash here. A receipt
is not a password: it has 53 bits from `secrets`, and the hash is keyed with a
256-bit server secret that is not in the database, so a stolen database alone
allows no guessing at all; with the key too, trying every receipt costs
10**16 × 4 ms ≈ 1.3 million core-years. n=2**14 (≈ 40 ms) would add nothing
that matters and would cost a core at 25 reports/s, capping intake throughput
(measured: closed-loop turns/s fell from ~2,600 to ~950). It releases the GIL,
so the service runs it on a thread of its own, off the event loop.
"""

from __future__ import annotations

import secrets
import unicodedata

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from locales.errors import ConfigError

# Crockford base32 without I, L, O, U: nothing to misread or to spell a word.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_DIGITS = 16
SCRYPT_N = 2**11
SCRYPT_R = 8
SCRYPT_P = 1
_SEPARATORS = frozenset("-._/")


def new_reference() -> str:
    """A fresh report reference "TL-XXXX-XXXX" carrying 40 random bits."""
    bits = int.from_bytes(secrets.token_bytes(5))  # one read, 5 bits per character
    chars = "".join(REFERENCE_ALPHABET[(bits >> (5 * i)) & 31] for i in range(8))
    return f"TL-{chars[:4]}-{chars[4:]}"


def new_receipt() -> str:
    """A fresh 16-digit receipt, grouped by four: "1234 5678 9012 3456"."""
    digits = f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"
    return " ".join(digits[i : i + 4] for i in range(0, RECEIPT_DIGITS, 4))


def normalize_receipt(text: str) -> str | None:
    """The 16 ASCII digits of a typed receipt, or None if it is not one.

    Spaces, dashes, dots and slashes are ignored; digits of any script
    (e.g. Arabic-Indic) count, since reporters type on their own keyboards.
    """
    digits: list[str] = []
    for ch in text:
        if ch.isspace() or ch in _SEPARATORS:
            continue
        value = unicodedata.decimal(ch, None)
        if value is None:
            return None
        digits.append(str(value))
    return "".join(digits) if len(digits) == RECEIPT_DIGITS else None


def receipt_hash(receipt: str, key: bytes) -> bytes:
    """The stored form of a receipt: scrypt(receipt digits, salt = server key), 32 bytes.

    ValueError if `receipt` is not a receipt (callers normalize user input first).
    """
    if len(key) < 16:
        raise ConfigError("the receipt key must be at least 16 bytes")
    digits = normalize_receipt(receipt)
    if digits is None:
        raise ValueError("not a 16-digit receipt")
    kdf = Scrypt(salt=key, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(digits.encode("ascii"))
