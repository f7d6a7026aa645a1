"""In-order processing per chat, many chats at once, and flood control per chat.

Updates arrive from the webhook (answered at once) or from polling; each chat
gets a lane: a queue and one task that works through it in arrival order, so a
reporter's answers are taken one after another while other chats go on. A
lane's task ends when its queue is empty, so idle chats cost nothing.

Flood control is a token bucket per chat: `burst` messages at once, then
`per_minute` a minute. A chat over its limit is slowed, not served: its extra
updates are dropped and it is told once to wait (`on_flood` makes that item).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

__all__ = ["FloodLimit", "Lanes"]

log = logging.getLogger("tipline.telegram")

T = TypeVar("T")

_MAX_QUEUED = 64  # per chat, whatever the bucket says: memory stays bounded
_PRUNE_EVERY = 4096  # admissions between sweeps of idle buckets


@dataclass(frozen=True, slots=True)
class FloodLimit:
    """At most `burst` messages at once, refilled at `per_minute` a minute."""

    per_minute: float = 60.0
    burst: int = 20


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float
    warned: bool = False


@dataclass(slots=True)
class _Lane(Generic[T]):
    queue: deque[T] = field(default_factory=deque)
    task: asyncio.Task[None] | None = None


class Lanes(Generic[T]):
    """`put(chat, item)` runs `work(chat, item)` after every earlier item of that chat."""

    def __init__(
        self,
        work: Callable[[int, T], Awaitable[None]],
        on_flood: Callable[[int, T], T],
        limit: FloodLimit,
        monotonic: Callable[[], float],
    ) -> None:
        self._work = work
        self._on_flood = on_flood
        self._limit = limit
        self._now = monotonic
        self._lanes: dict[int, _Lane[T]] = {}
        self._buckets: dict[int, _Bucket] = {}
        self._admitted = 0

    def put(self, chat: int, item: T) -> bool:
        """Queue `item` for `chat`; False when the chat is over its limit (dropped)."""
        if not self._admit(chat):
            if self._warn(chat):
                self._enqueue(chat, self._on_flood(chat, item))
            return False
        self._enqueue(chat, item)
        return True

    def _enqueue(self, chat: int, item: T) -> None:
        lane = self._lanes.get(chat)
        if lane is None:
            lane = self._lanes[chat] = _Lane()
        lane.queue.append(item)
        if lane.task is None:
            lane.task = asyncio.get_running_loop().create_task(self._run(chat, lane))

    def _admit(self, chat: int) -> bool:
        now = self._now()
        self._admitted += 1
        if self._admitted % _PRUNE_EVERY == 0:
            self._prune(now)
        limit = self._limit
        bucket = self._buckets.get(chat)
        if bucket is None:
            bucket = self._buckets[chat] = _Bucket(float(limit.burst), now)
        else:
            refill = (now - bucket.stamp) * limit.per_minute / 60.0
            bucket.tokens = min(float(limit.burst), bucket.tokens + refill)
            bucket.stamp = now
        lane = self._lanes.get(chat)
        queued = len(lane.queue) if lane is not None else 0
        if bucket.tokens >= 1.0 and queued < _MAX_QUEUED:
            bucket.tokens -= 1.0
            bucket.warned = False
            return True
        return False

    def _warn(self, chat: int) -> bool:
        """True the first time a chat is over its limit since it was last served."""
        bucket = self._buckets[chat]
        if bucket.warned:
            return False
        bucket.warned = True
        log.info("telegram_flood", extra={"event": "flood"})
        return True

    def _prune(self, now: float) -> None:
        """Forget buckets that have refilled: they say nothing a new bucket would not."""
        rate, burst = self._limit.per_minute / 60.0, self._limit.burst
        full = [
            chat
            for chat, b in self._buckets.items()
            if b.tokens + (now - b.stamp) * rate >= burst and chat not in self._lanes
        ]
        for chat in full:
            del self._buckets[chat]

    async def _run(self, chat: int, lane: _Lane[T]) -> None:
        try:
            while lane.queue:
                item = lane.queue.popleft()
                try:
                    await self._work(chat, item)
                except Exception:
                    # One bad update must not stop the chat's lane or the others.
                    log.exception("telegram_update_failed")
        finally:
            lane.task = None
            if not lane.queue:
                self._lanes.pop(chat, None)

    async def drain(self) -> None:
        """Wait until every lane has worked through what it was given."""
        while self._lanes:
            tasks = [lane.task for lane in self._lanes.values() if lane.task is not None]
            if not tasks:
                return
            await asyncio.gather(*tasks, return_exceptions=True)

    def __contains__(self, chat: object) -> bool:
        """Whether `chat` has work queued or in progress."""
        return chat in self._lanes
