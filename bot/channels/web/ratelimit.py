"""How fast one web chat session may send answers: a token bucket per session.

Each session may send `burst` answers at once, then `rate` a second. The clock
is passed in (monotonic seconds), so tests step time instead of sleeping.

Memory stays bounded. A bucket left alone for `burst / rate` seconds is full
again, exactly as if it had never been seen, so it is forgotten: the buckets
are kept in least-recently-used order and the stale ones at the front are
dropped on every call. A flood of new sessions (each must first fetch a page
for its token) can still fill the table faster than buckets go stale, so it
also holds at most `max_sessions`; past that the least recently used bucket
is dropped. Dropping one only gives that session a fresh burst back, and an
attacker would need `max_sessions` other sessions' answers to win one burst.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """`wait(key)`: 0 and one answer taken, or the seconds until one is allowed."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        max_sessions: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._max = max_sessions
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def wait(self, key: str) -> float:
        now = self._clock()
        self._forget_stale(now)
        bucket = self._buckets.pop(key, None) or _Bucket(self._burst, now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.at) * self._rate)
        bucket.at = now
        self._buckets[key] = bucket  # now the most recently used
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self._rate

    def _forget_stale(self, now: float) -> None:
        full_after = self._burst / self._rate
        buckets = self._buckets
        while buckets:
            key, oldest = next(iter(buckets.items()))
            if now - oldest.at < full_after and len(buckets) < self._max:
                return
            del buckets[key]
