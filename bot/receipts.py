"""Receipts made ahead: each with its slow hash, ready before a report is sealed.

A receipt's scrypt hash costs ~4 ms of CPU (handoff/receipts.py). Made at the
moment of sealing, it would add those 4 ms — and any wait behind other reports'
hashes — to the reporter's last turn. `ReceiptPool` keeps a few dozen fresh
(receipt, hash) pairs in memory, made one at a time on a thread of its own
while the stock lasts (a steady stream of reports never takes more than one
core from the turns), and on two threads when it runs low or a report waits (a
burst takes two cores at most; they keep up with ~500 reports a second here).
Reports waiting for a receipt get them in the order they asked. The stock
starts small and doubles (up to 64) each time it runs dry, so a quiet instance
makes few hashes it does not need.

On Linux the steady thread runs at the lowest CPU priority (nice 19): its work
is ahead of need, and the turns' threads (the event loop, the store's writer),
waking from I/O, then take the core from it at once instead of queueing behind
a 4 ms hash (at 1,500 turns/s a report is sealed ~50 times a second, a fifth
of a core of hashing; open-loop p99 ~10–18 → ~8–9 ms in alternating runs, see
bench/README.md). The burst thread keeps the normal priority: when reports
wait, their hashes must not starve (both threads niced was tried: under a full
load sealing waited seconds for its receipt).
A pair is handed out once and forgotten; nothing is written anywhere until the
report it goes with is committed. When the pool runs dry, `take` waits for the
next hash.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from handoff.receipts import new_receipt, receipt_hash
from locales.errors import SealError

_SIZE = 64
_QUEUED = 3  # hashes queued on a thread at most
_FIRST_STOCK = 2
_BACKGROUND_NICE = 19  # the lowest CPU priority: the steady thread's hashes are ahead of need


class ReceiptPool:
    """Fresh (receipt, hash) pairs, made ahead; `take` hands out each pair once."""

    def __init__(self, key: bytes, size: int = _SIZE) -> None:
        self._key = key
        self._size = size
        self._stock = min(_FIRST_STOCK, size)
        self._ready: deque[tuple[str, bytes]] = deque()
        self._takers: deque[asyncio.Future[tuple[str, bytes]]] = deque()  # first come, first served
        # Two threads, each with a short queue of its own so it never idles between
        # hashes waiting for the event loop: `steady` always, `burst` only when low.
        self._steady = _Lane("tipline-receipts", background=True)
        self._burst = _Lane("tipline-receipts-burst", background=False)
        self._closed = False

    async def take(self) -> tuple[str, bytes]:
        """A receipt never handed out before, and its stored hash."""
        if self._closed:
            raise SealError("the receipt pool is closed")
        if self._ready and not self._takers:
            pair = self._ready.popleft()
            self._fill()
            return pair
        self._stock = min(self._size, self._stock * 2)  # it ran dry: keep more from now on
        waiter: asyncio.Future[tuple[str, bytes]] = asyncio.get_running_loop().create_future()
        self._takers.append(waiter)
        self._fill()
        return await waiter

    def fill(self) -> None:
        """Start making the first pairs (at start-up, so the first report does not wait)."""
        self._fill()

    def close(self) -> None:
        """Forget the pairs not handed out; wait for the hash in progress (a few ms).
        On the event loop's thread: it fails the futures of reports still waiting."""
        self._closed = True
        self._ready.clear()
        for waiter in self._takers:
            if not waiter.done():
                waiter.set_exception(SealError("the receipt pool is closed"))
        self._takers.clear()
        for lane in (self._steady, self._burst):
            lane.thread.shutdown(wait=True, cancel_futures=True)

    def _fill(self) -> None:
        """Make what the stock and the waiting reports lack: on one thread while the
        stock lasts, so a steady stream of reports takes one core at most; on both
        when it runs low or a report waits."""
        if self._closed:
            return
        making = len(self._steady.making) + len(self._burst.making)
        lacking = self._stock + len(self._takers) - len(self._ready) - making
        low = bool(self._takers) or len(self._ready) < self._stock // 2
        for lane in (self._steady, self._burst) if low else (self._steady,):
            start = min(lacking, _QUEUED - len(lane.making))
            lacking -= max(0, start)
            for _ in range(start):
                future = asyncio.get_running_loop().run_in_executor(lane.thread, _make, self._key)
                lane.making.add(future)
                future.add_done_callback(self._made)

    def _made(self, future: asyncio.Future[tuple[str, bytes]]) -> None:
        self._steady.making.discard(future)
        self._burst.making.discard(future)
        if future.cancelled() or self._closed:
            return
        failure = future.exception()
        if failure is not None:  # hashing itself is broken: every waiting report fails
            for waiter in self._takers:
                if not waiter.done():
                    waiter.set_exception(failure)
            self._takers.clear()
            return
        while self._takers:
            waiter = self._takers.popleft()
            if not waiter.done():  # a done one: its report was cancelled
                waiter.set_result(future.result())
                break
        else:
            self._ready.append(future.result())
        self._fill()


class _Lane:
    """One receipt thread and the hashes queued on it."""

    def __init__(self, name: str, background: bool) -> None:
        start = _lower_priority if background else None
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name, initializer=start)
        self.making: set[asyncio.Future[tuple[str, bytes]]] = set()


def _lower_priority() -> None:
    """Run the calling thread at the lowest CPU priority, on Linux, where a priority
    is per thread; elsewhere it would be the whole process's, so nothing is done."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError):  # a sandbox may forbid it: the normal priority
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _BACKGROUND_NICE)


def _make(key: bytes) -> tuple[str, bytes]:
    receipt = new_receipt()
    return receipt, receipt_hash(receipt, key)
