"""Receipts made ahead: each with its slow hash, ready before a report is sealed.

A receipt's scrypt hash costs ~4 ms of CPU (handoff/receipts.py). Made at the
moment of sealing, it would add those 4 ms — and any wait behind other reports'
hashes — to the reporter's last turn. `ReceiptPool` keeps a few dozen fresh
(receipt, hash) pairs in memory, made on two threads of their own, so a burst
of reports takes two cores at most (they keep up with ~500 reports a second
here). The stock starts small and doubles (up to 64) each time it runs dry, so
a quiet instance makes few hashes it does not need. (Threads of lower CPU
priority were tried: under a full load they starved, and sealing waited
seconds for its receipt.) A pair is handed out once and forgotten; nothing is
written anywhere until the report it goes with is committed. When the pool
runs dry, `take` waits for the next hash.
"""

from __future__ import annotations

import asyncio
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from bot.errors import SealError
from handoff.receipts import new_receipt, receipt_hash

_SIZE = 64
_THREADS = 2
_FIRST_STOCK = 2


class ReceiptPool:
    """Fresh (receipt, hash) pairs, made ahead; `take` hands out each pair once."""

    def __init__(self, key: bytes, size: int = _SIZE) -> None:
        self._key = key
        self._size = size
        self._stock = min(_FIRST_STOCK, size)
        self._ready: deque[tuple[str, bytes]] = deque()
        self._making: set[asyncio.Future[tuple[str, bytes]]] = set()
        self._thread = ThreadPoolExecutor(
            max_workers=_THREADS, thread_name_prefix="tipline-receipts"
        )
        self._closed = False

    async def take(self) -> tuple[str, bytes]:
        """A receipt never handed out before, and its stored hash."""
        if self._closed:
            raise SealError("the receipt pool is closed")
        if not self._ready:
            self._stock = min(self._size, self._stock * 2)
        while not self._ready:
            self._fill(at_least=1)
            done, _ = await asyncio.wait(set(self._making), return_when=asyncio.FIRST_COMPLETED)
            for future in done:
                if not future.cancelled() and (failure := future.exception()) is not None:
                    raise failure
        pair = self._ready.popleft()
        self._fill()
        return pair

    def fill(self) -> None:
        """Start making the first pairs (at start-up, so the first report does not wait)."""
        self._fill()

    def close(self) -> None:
        """Forget the pairs not handed out; wait for the hash in progress."""
        self._closed = True
        self._ready.clear()
        self._thread.shutdown(wait=True, cancel_futures=True)

    def _fill(self, at_least: int = 0) -> None:
        loop = asyncio.get_running_loop()
        wanted = max(at_least, self._stock - len(self._ready)) - len(self._making)
        for _ in range(wanted):
            future = loop.run_in_executor(self._thread, _make, self._key)
            self._making.add(future)
            future.add_done_callback(self._made)

    def _made(self, future: asyncio.Future[tuple[str, bytes]]) -> None:
        self._making.discard(future)
        if future.cancelled() or future.exception() is not None or self._closed:
            return
        self._ready.append(future.result())


def _make(key: bytes) -> tuple[str, bytes]:
    receipt = new_receipt()
    return receipt, receipt_hash(receipt, key)
