"""Receipts made ahead: each handed out once, each with the hash the store keeps."""

from __future__ import annotations

import asyncio

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
    if pool._making:
        await asyncio.wait(set(pool._making))


async def test_a_closed_pool_forgets_its_receipts() -> None:
    pool = ReceiptPool(KEY, size=4)
    pool.fill()
    await pool.take()
    pool.close()
    assert not pool._ready
