"""Reviewer-side targets (issue 14): a million sealed reports, many keys, a workstation.

    .venv/bin/python -m bench.review --only store      # 1,000,000 reports: claim p99, a page
    .venv/bin/python -m bench.review --only seal       # sealing a 4 KB report to 20 keys
    .venv/bin/python -m bench.review --only decrypt    # a workstation opens 1,000 reports

`store` fills a SQLite file (migrated like any other) with 1,000,000 reports
as years of use leave them: 99 % done and closed, the rest open (queued,
claimed, done but not closed), each sealed to 5 of 20 reviewer keys, with
1,000,000 audit entries; then times `SqliteStore.claim` (the real method:
thread hop, transaction, audit entry, fsync) and the first page of a
reviewer's queue, in the store and through the reviewer API over HTTP. The
envelopes are 512 random bytes (their size does not change the indexes used).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pyotp

from bot.app import open_app
from bot.review import TotpSecrets, reviewer_record
from bot.review.server import start_review_api
from bot.settings import Settings
from handoff.audit import AuditHash
from handoff.envelope import seal
from handoff.workstation import ReviewerPrivateKey, open_sealed_report
from handoff.workstation.client import HttpQueue, log_in
from handoff.workstation.matching import MatchIndex
from store import SqliteStore
from store.migrate import apply_migrations, load_migrations

REPORTS = 1_000_000
NAMES = ["Dawson", "Patel", "Okafor", "Nowak", "Evans", "Khan", "Murphy", "Silva"]
KEYS = [f"{i:016x}" for i in range(20)]
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def micros(at: datetime) -> int:
    return (at - EPOCH) // timedelta(microseconds=1)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def fill(path: Path, reports: int, me: str) -> None:
    """`reports` rows as years leave them; `me` is a recipient of a fifth of them."""
    rng = random.Random(7)
    conn = sqlite3.connect(path, isolation_level=None)
    apply_migrations(conn, load_migrations())
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")  # filling only; the timed store runs FULL
    envelope = os.urandom(512)
    start = micros(NOW - timedelta(days=5 * 365))
    step = (micros(NOW) - start) // reports
    batch: list[tuple[object, ...]] = []
    audit: list[tuple[object, ...]] = []
    for n in range(reports):
        sealed_at = start + n * step
        recipients = "," + ",".join(rng.sample([*KEYS, me], 5)) + ","
        open_ = n >= reports - reports // 100
        status, case = ("queued", "received") if open_ else ("done", "closed")
        if open_ and n % 3 == 1:
            status, case = "done", "referred"
        batch.append(
            (
                f"TL-{n:09d}",
                envelope,
                int(rng.random() < 0.05),
                sealed_at,
                status,
                "k" if status == "done" else None,
                os.urandom(16),
                recipients,
                case,
            )
        )
        audit.append((n + 1, sealed_at, "seal", f"TL-{n:09d}", None, bytes(32), bytes(32)))
        if len(batch) == 50_000:
            _write(conn, batch, audit)
            batch, audit = [], []
    _write(conn, batch, audit)
    conn.close()


def _write(
    conn: sqlite3.Connection, batch: list[tuple[object, ...]], audit: list[tuple[object, ...]]
) -> None:
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO queue (reference, envelope, priority, sealed_at, status, claimed_by,"
        " receipt_hash, script_id, script_version, recipients, case_status)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, 'police-misconduct', '3', ?, ?)",
        batch,
    )
    conn.executemany(
        "INSERT INTO audit (seq, at, event, reference, actor, prev_mac, mac, scheme)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, 'sha256-v1')",
        audit,
    )
    conn.execute("COMMIT")


async def store_bench(folder: Path, reports: int, claims: int) -> None:
    settings = replace(Settings(), data_dir=folder, review_port=0)
    me = ReviewerPrivateKey.generate()
    began = time.perf_counter()
    await asyncio.to_thread(fill, settings.database, reports, me.key_id)
    size = settings.database.stat().st_size / 2**20
    print(f"filled {reports:,} reports in {time.perf_counter() - began:.0f} s ({size:.0f} MB)")

    async with SqliteStore(settings.database, AuditHash()) as store:
        claim_ms = []
        for _ in range(claims):
            t0 = time.perf_counter()
            claimed = await store.claim(me.key_id, NOW, NOW + timedelta(minutes=30))
            claim_ms.append((time.perf_counter() - t0) * 1000)
            if claimed is None:
                raise SystemExit("the queue ran dry: fill more open reports")
        page_ms = []
        for _ in range(50):
            t0 = time.perf_counter()
            page = await store.queue_page(me.key_id, None, 100)
            page_ms.append((time.perf_counter() - t0) * 1000)
        if len(page) != 100:
            raise SystemExit("a page should hold 100 reports")
    print(
        f"claim ({claims}): p50 {statistics.median(claim_ms):.2f} ms, "
        f"p99 {percentile(claim_ms, 0.99):.2f} ms, max {max(claim_ms):.2f} ms  [target p99 < 20]"
    )
    print(
        f"queue page, store (100 rows, 50 runs): p50 {statistics.median(page_ms):.2f} ms, "
        f"p99 {percentile(page_ms, 0.99):.2f} ms"
    )
    await http_page(settings, me)


async def http_page(settings: Settings, me: ReviewerPrivateKey) -> None:
    port = _free_port()
    settings = replace(settings, review_port=port)
    clock = lambda: datetime.now(UTC)  # noqa: E731 -- the API's clock
    async with open_app(settings, clock) as app:
        secret = TotpSecrets.new()
        sealed = TotpSecrets(app.keys).seal(me.key_id, secret)
        await app.store.add_reviewer_key(reviewer_record(me, "bench", NOW), NOW, sealed)
        runner = await start_review_api(app.store, app.keys, settings, clock)
        try:
            async with aiohttp.ClientSession() as session:
                login = await log_in(
                    session, f"http://127.0.0.1:{port}", me, pyotp.TOTP(secret).now()
                )
                queue = HttpQueue(session, login)
                times = []
                for _ in range(50):
                    t0 = time.perf_counter()
                    rows = await queue.page(None, 100)
                    times.append((time.perf_counter() - t0) * 1000)
                if len(rows) != 100:
                    raise SystemExit("a page should hold 100 reports")
        finally:
            await runner.cleanup()
    print(
        f"queue page, HTTP API (100 rows, 50 runs): p50 {statistics.median(times):.2f} ms, "
        f"p99 {percentile(times, 0.99):.2f} ms  [target < 200]"
    )


def _free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def report_of(reference: str) -> bytes:
    text = "He took money to drop the case. " * 55  # shown twice (value, display): 4 KB
    answers = [
        {"step": "what_happened", "kind": "text", "value": text, "display": text},
        {"step": "force", "value": {"text": "met", "match": "Metropolitan Police Service"}},
        {"step": "officer_name", "value": f"PC {NAMES[int(reference[3:]) % len(NAMES)]}"},
    ]
    return json.dumps(
        {"format": 2, "reference": reference, "answers": answers, "attachments": []}
    ).encode()


def seal_bench(rounds: int) -> None:
    keys = [ReviewerPrivateKey.generate() for _ in range(20)]
    records = [reviewer_record(k, f"r{i}", NOW) for i, k in enumerate(keys)]
    times = []
    cpu = time.process_time()
    for n in range(rounds):
        body = report_of(f"TL-{n:09d}")
        t0 = time.perf_counter()
        seal(
            body,
            records,
            reference=f"TL-{n:09d}",
            script_id="s",
            script_version="3",
            priority=0,
            sealed_at=NOW,
        )
        times.append((time.perf_counter() - t0) * 1000)
    cpu_ms = (time.process_time() - cpu) * 1000 / rounds
    print(
        f"seal a {len(body) / 1024:.1f} KB report to 20 keys ({rounds} reports): "
        f"mean {statistics.mean(times):.2f} ms, p50 {statistics.median(times):.2f} ms, "
        f"p99 {percentile(times, 0.99):.2f} ms; CPU {cpu_ms:.2f} ms a report  [target < 5]"
    )


def decrypt_bench(count: int) -> None:
    key = ReviewerPrivateKey.generate()
    others = [reviewer_record(ReviewerPrivateKey.generate(), "o", NOW) for _ in range(4)]
    records = [reviewer_record(key, "me", NOW), *others]
    envelopes = [
        (
            f"TL-{n:09d}",
            seal(
                report_of(f"TL-{n:09d}"),
                records,
                reference=f"TL-{n:09d}",
                script_id="s",
                script_version="3",
                priority=0,
                sealed_at=NOW,
            ),
        )
        for n in range(count)
    ]
    index = MatchIndex()
    t0 = time.perf_counter()
    for reference, envelope in envelopes:
        opened = open_sealed_report(reference, envelope, key)
        index.add(reference, opened.report)
    opened_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as folder:
        index.save(Path(folder) / "me.index", key)
    total = time.perf_counter() - t0
    print(
        f"workstation: {count} reports (4 KB, sealed to 5 keys) opened and indexed in "
        f"{opened_s:.2f} s, {total:.2f} s with the sealed index saved  [target < 10 s]"
    )


async def index_bench(folder: Path, count: int) -> None:
    """`tipline review index` end to end: page the queue, fetch (audited) and open each."""
    port = _free_port()
    settings = replace(Settings(), data_dir=folder, review_port=port)
    me = ReviewerPrivateKey.generate()
    clock = lambda: datetime.now(UTC)  # noqa: E731 -- the API's clock
    async with open_app(settings, clock) as app:
        secret = TotpSecrets.new()
        sealed = TotpSecrets(app.keys).seal(me.key_id, secret)
        await app.store.add_reviewer_key(reviewer_record(me, "bench", NOW), NOW, sealed)
        records = [reviewer_record(me, "me", NOW)]
        rows = []
        for n in range(count):
            reference = f"TL-{n:09d}"
            envelope = seal(
                report_of(reference),
                records,
                reference=reference,
                script_id="s",
                script_version="3",
                priority=0,
                sealed_at=NOW,
            )
            rows.append((reference, envelope))
        await asyncio.to_thread(_insert_sealed, settings.database, rows, me.key_id)
        runner = await start_review_api(app.store, app.keys, settings, clock)
        try:
            async with aiohttp.ClientSession() as session:
                login = await log_in(
                    session, f"http://127.0.0.1:{port}", me, pyotp.TOTP(secret).now()
                )
                queue = HttpQueue(session, login)
                index, opened = MatchIndex(), 0
                t0 = time.perf_counter()
                page = await queue.page(None, 500)
                while page:
                    for row in page:
                        fetched = await queue.fetch(row.reference)
                        if fetched is not None:
                            opened += 1
                            index.add(
                                row.reference,
                                open_sealed_report(row.reference, fetched.envelope, me).report,
                            )
                    page = await queue.page(page[-1].reference, 500)
                took = time.perf_counter() - t0
        finally:
            await runner.cleanup()
    print(
        f"workstation over the API: {opened} of {count} reports paged, fetched "
        f"(each fetch audited, one fsync) and opened in {took:.1f} s  [target < 10 s]"
    )


def _insert_sealed(path: Path, rows: list[tuple[str, bytes]], key_id: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO queue (reference, envelope, priority, sealed_at, receipt_hash, script_id,"
        " script_version, recipients) VALUES (?, ?, 0, ?, ?, 's', '3', ?)",
        [(ref, env, micros(NOW), os.urandom(16), f",{key_id},") for ref, env in rows],
    )
    conn.execute("COMMIT")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["store", "seal", "decrypt", "index"], default=None)
    parser.add_argument("--reports", type=int, default=REPORTS)
    parser.add_argument("--claims", type=int, default=1000)
    args = parser.parse_args()
    if args.only in (None, "seal"):
        seal_bench(200)
    if args.only in (None, "decrypt"):
        decrypt_bench(1000)
    if args.only in (None, "index"):
        with tempfile.TemporaryDirectory(prefix="tipline-bench-") as folder:
            asyncio.run(index_bench(Path(folder), 1000))
    if args.only in (None, "store"):
        with tempfile.TemporaryDirectory(prefix="tipline-bench-") as folder:
            asyncio.run(store_bench(Path(folder), args.reports, args.claims))


if __name__ == "__main__":
    main()
