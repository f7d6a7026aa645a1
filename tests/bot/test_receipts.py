"""Receipts made ahead: each handed out once, each with the hash the store keeps."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time

import pytest

from bot import receipts
from bot.receipts import ReceiptPool
from handoff.receipts import normalize_receipt, receipt_hash

KEY = bytes(range(32))


async def test_each_pair_is_fresh_and_its_hash_is_the_receipts_keyed_hash() -> None:
    pool = ReceiptPool(KEY, size=4)
    try:
        pool.fill()
        pairs = [await pool.take() for _ in range(12)]  # more than the stock: it refills
    finally:
        pool.close()
    receipts = [receipt for receipt, _ in pairs]
    assert len(set(receipts)) == 12
    for receipt, digest in pairs:
        assert normalize_receipt(receipt) is not None
        assert digest == receipt_hash(receipt, KEY)


async def test_many_reports_at_once_each_get_their_own_receipt() -> None:
    pool = ReceiptPool(KEY, size=8)
    try:
        pairs = await asyncio.gather(*(pool.take() for _ in range(20)))
    finally:
        pool.close()
    assert len({receipt for receipt, _ in pairs}) == 20


async def test_the_stock_grows_only_when_reports_drain_it() -> None:
    pool = ReceiptPool(KEY, size=32)
    try:
        pool.fill()
        await _refilled(pool)
        await pool.take()  # one report while the stock is there: it stays small
        await _refilled(pool)
        quiet = len(pool._ready)
        for _ in range(40):
            await pool.take()
        await _refilled(pool)
        busy = len(pool._ready)
    finally:
        pool.close()
    assert quiet == 2
    assert 2 < busy <= 32


async def _refilled(pool: ReceiptPool) -> None:
    while making := pool._steady.making | pool._burst.making:  # made one after another
        await asyncio.wait(making)


async def test_a_closed_pool_forgets_its_receipts() -> None:
    pool = ReceiptPool(KEY, size=4)
    pool.fill()
    await pool.take()
    pool.close()
    assert not pool._ready


async def test_reports_waiting_for_receipts_get_them_in_the_order_they_asked() -> None:
    pool = ReceiptPool(KEY, size=4)
    served: list[int] = []

    async def report(number: int) -> None:
        await pool.take()
        served.append(number)

    try:
        waiting = [asyncio.create_task(report(n)) for n in range(10)]  # the pool is empty
        await asyncio.gather(*waiting)
    finally:
        pool.close()
    assert served == list(range(10))


async def test_a_report_cancelled_while_waiting_does_not_take_a_receipt_from_the_next() -> None:
    pool = ReceiptPool(KEY, size=4)
    try:
        first = asyncio.create_task(pool.take())
        second = asyncio.create_task(pool.take())
        await asyncio.sleep(0)
        first.cancel()
        receipt, _ = await asyncio.wait_for(second, 10)
    finally:
        pool.close()
    assert normalize_receipt(receipt) is not None


async def test_while_the_stock_lasts_receipts_are_made_one_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A steady trickle of reports must not take both cores from the turns."""
    running, most = 0, 0
    lock = threading.Lock()
    make = receipts._make

    def slow_make(key: bytes) -> tuple[str, bytes]:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.01)  # long enough for two threads to overlap, if both were used
        try:
            return make(key)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(receipts, "_make", slow_make)
    pool = ReceiptPool(KEY, size=16)
    try:
        for _ in range(40):  # drained again and again: the stock grows to 16
            await pool.take()
        await _refilled(pool)
        assert len(pool._ready) == 16
        most = 0
        for _ in range(4):  # a few reports: the stock stays above half
            await pool.take()
        await _refilled(pool)
    finally:
        pool.close()
    assert most == 1


@pytest.mark.skipif(sys.platform != "linux", reason="a thread's own CPU priority is Linux's")
async def test_receipts_made_ahead_yield_the_cpu_and_receipts_waited_for_do_not() -> None:
    """The steady thread hashes ahead of need at the lowest priority; the burst thread,
    which serves reports that wait, keeps the process's own."""
    if os.getpriority(os.PRIO_PROCESS, 0) >= 19:
        pytest.skip("the process already runs at the lowest priority: nothing to tell apart")
    pool = ReceiptPool(KEY)
    loop = asyncio.get_running_loop()

    def nice() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    try:
        steady = await loop.run_in_executor(pool._steady.thread, nice)
        burst = await loop.run_in_executor(pool._burst.thread, nice)
    finally:
        pool.close()
    assert steady == 19
    assert burst == os.getpriority(os.PRIO_PROCESS, 0)
