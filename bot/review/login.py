"""Reviewer logins: a signed challenge plus a TOTP code gives an 8-hour bearer token.

1. The workstation asks for a challenge (32 random bytes, good for 2 minutes,
   once). Unknown key ids get one too, so nobody learns which keys exist.
2. It signs `handoff.bundle.login_message(key id, challenge)` with the
   reviewer's Ed25519 key and sends the signature and a current TOTP code.
3. Both check out, and that TOTP step was not used before → a random token;
   the store keeps only its SHA-256, with the key id and the expiry.

Failed logins are slowed down: each failure locks that key id out for 2, 4, 8 …
seconds (at most 15 minutes); a try while locked gets 429 with Retry-After.
Failures of a registered key are audited ("login_failed"); successes too.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.review.accounts import TotpSecrets
from handoff.bundle import verify_login
from store import Store

__all__ = ["Issued", "LoginRefused", "Logins", "token_hash"]

TOKEN_LIFETIME = timedelta(hours=8)
CHALLENGE_LIFETIME = timedelta(minutes=2)
MAX_CHALLENGES = 10_000  # outstanding at once: bounded memory under a flood
_MAX_LOCK = timedelta(minutes=15)


def token_hash(token: str) -> bytes:
    """What the store keeps of a session token."""
    return hashlib.sha256(token.encode()).digest()


@dataclass(frozen=True, slots=True)
class Issued:
    token: str
    key_id: str
    expires_at: datetime


class LoginRefused(Exception):
    """A login that is refused; `retry_after` seconds when it was throttled."""

    def __init__(self, reason: str, retry_after: int | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Logins:
    """Challenges, throttling and sessions for the reviewer API (one per server process)."""

    def __init__(self, store: Store, totp: TotpSecrets, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._totp = totp
        self._clock = clock
        self._challenges: dict[bytes, tuple[str, datetime]] = {}
        self._failures: dict[str, tuple[int, datetime]] = {}

    def challenge(self, key_id: str) -> tuple[bytes, datetime]:
        now = self._clock()
        if len(self._challenges) >= MAX_CHALLENGES:
            self._challenges = {c: v for c, v in self._challenges.items() if v[1] > now}
            if len(self._challenges) >= MAX_CHALLENGES:
                raise LoginRefused("too many logins at once", retry_after=60)
        challenge = secrets.token_bytes(32)
        expires = now + CHALLENGE_LIFETIME
        self._challenges[challenge] = (key_id, expires)
        return challenge, expires

    async def login(self, key_id: str, challenge: bytes, signature: bytes, code: str) -> Issued:
        """A session for a good signature and TOTP code; LoginRefused otherwise."""
        now = self._clock()
        self._throttle(key_id, now)
        issued = self._challenges.pop(challenge, None)
        record = await self._store.login_record(key_id)
        step = None
        if (
            record is not None
            and record.key.verify_key is not None
            and record.totp_secret is not None
            and issued is not None
            and issued[0] == key_id
            and issued[1] > now
            and verify_login(record.key.verify_key, key_id, challenge, signature)
        ):
            secret = self._totp.open(key_id, record.totp_secret)
            step = TotpSecrets.matching_step(secret, code, now)
        if step is not None:
            token = secrets.token_urlsafe(32)
            expires = now + TOKEN_LIFETIME
            if await self._store.record_login(key_id, step, token_hash(token), expires, now):
                self._failures.pop(key_id, None)
                return Issued(token, key_id, expires)
        await self._failed(key_id, now, audited=record is not None)
        raise LoginRefused("the key, signature or code is not right")

    async def session(self, token: str) -> str | None:
        """The key id of a live session, or None (expired, unknown, retired)."""
        return await self._store.session(token_hash(token), self._clock())

    async def logout(self, token: str) -> None:
        await self._store.end_session(token_hash(token))

    def _throttle(self, key_id: str, now: datetime) -> None:
        until = self._failures.get(key_id, (0, now))[1]
        if until > now:
            raise LoginRefused("too many failed logins", int((until - now).total_seconds()) + 1)

    async def _failed(self, key_id: str, now: datetime, *, audited: bool) -> None:
        count = self._failures.get(key_id, (0, now))[0] + 1
        lock = min(timedelta(seconds=2**count), _MAX_LOCK)
        if len(self._failures) >= MAX_CHALLENGES:
            self._failures = {k: v for k, v in self._failures.items() if v[1] > now}
        self._failures[key_id] = (count, now + lock)
        if audited:
            await self._store.record_login_failure(key_id, now)
