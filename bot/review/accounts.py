"""Reviewer accounts on the server: store records from bundles, and the TOTP second factor.

A reviewer is enrolled from their public bundle (`handoff.bundle`); the server
makes a TOTP secret for their authenticator app and keeps it encrypted with a
key derived from the server secret (`ServerKeys.key("reviewer-totp")`), bound
to the key id. A code is accepted for the current 30-second step or the one
before (clock drift), and each step only once (the store records the last).
"""

from __future__ import annotations

import os
from datetime import datetime

import pyotp
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from bot.serverkeys import ServerKeys
from handoff.bundle import PublicBundle
from handoff.workstation import ReviewerPrivateKey
from locales.errors import TamperedError
from store import ReviewerKey

__all__ = ["TotpSecrets", "bundle_record", "provisioning_uri", "reviewer_record"]

ISSUER = "Tipline"
_NONCE = 12
_STEP_SECONDS = 30


def bundle_record(bundle: PublicBundle, now: datetime, *, demo: bool = False) -> ReviewerKey:
    """The store's record of an enrolled reviewer: public keys and label only."""
    return ReviewerKey(
        key_id=bundle.key_id,
        mlkem_public=bundle.mlkem_public,
        x25519_public=bundle.x25519_public,
        label=bundle.label,
        created_at=now,
        verify_key=bundle.verify_key,
        demo=demo,
    )


def reviewer_record(
    key: ReviewerPrivateKey, label: str, now: datetime, *, demo: bool = False
) -> ReviewerKey:
    """The store's record of a key whose private half is at hand (the DEMO key, tests)."""
    return bundle_record(key.bundle(label), now, demo=demo)


def provisioning_uri(secret: str, label: str) -> str:
    """The otpauth:// URI an authenticator app reads (as a QR code or typed)."""
    return pyotp.TOTP(secret).provisioning_uri(name=label, issuer_name=ISSUER)


class TotpSecrets:
    """Makes, seals and checks reviewers' TOTP secrets with the server's key."""

    def __init__(self, keys: ServerKeys) -> None:
        self._aead = ChaCha20Poly1305(keys.key("reviewer-totp"))

    @staticmethod
    def new() -> str:
        return pyotp.random_base32()

    def seal(self, key_id: str, secret: str) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, secret.encode(), key_id.encode())

    def open(self, key_id: str, blob: bytes) -> str:
        try:
            return self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], key_id.encode()).decode()
        except InvalidTag as exc:
            raise TamperedError("a reviewer's TOTP secret failed authentication") from exc

    @staticmethod
    def matching_step(secret: str, code: str, now: datetime) -> int | None:
        """The time step `code` is valid for (now or the step before), or None."""
        totp = pyotp.TOTP(secret)
        step = int(now.timestamp()) // _STEP_SECONDS
        for candidate in (step, step - 1):
            if totp.verify(code, for_time=candidate * _STEP_SECONDS):
                return candidate
        return None
