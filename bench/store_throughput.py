"""Store throughput with durable commits: turns/s and commit latency by concurrency.

Each committer is one conversation taking turns back to back (begin_turn, then
commit_turn with the version it read), like the service does. Run:

    .venv/bin/python -m bench.store_throughput [--dir DIR] [--turns N]

Prints the fsync cost of the directory's disk for reference, then one line per
concurrency level: turns/s, commit_turn latency (p50/p99) and turns per COMMIT.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from store import SqliteStore, TurnCommit

DRAFT = os.urandom(2048)  # a typical encrypted draft
REPLY = os.urandom(512)


class Signer:
    """A cheap stand-in for `handoff.AuditHash` (turns here write no audit entries)."""

    genesis = bytes(32)
    scheme = "bench"

    def __call__(  # noqa: PLR0917 -- the AuditSigner protocol is positional
        self, seq: int, at: datetime, event: str, ref: str | None, actor: str | None, prev: bytes
    ) -> bytes:
        message = f"{seq}{at}{event}{ref}{actor}".encode() + prev
        return hmac.new(b"bench", message, "sha256").digest()


def fsync_ms(folder: Path, rounds: int = 200) -> float:
    path = folder / "fsync.probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        start = time.perf_counter()
        for _ in range(rounds):
            os.write(fd, b"x" * 4096)
            os.fsync(fd)
        return (time.perf_counter() - start) / rounds * 1000
    finally:
        os.close(fd)
        path.unlink()


async def committer(store: SqliteStore, worker: int, turns: int, latencies: list[float]) -> None:
    conversation = hashlib.sha256(b"conv%d" % worker).digest()
    for n in range(turns):  # turn n reads draft version n and writes n + 1
        now = datetime.now(UTC)
        key = hashlib.sha256(b"msg%d:%d" % (worker, n)).digest()
        start = await store.begin_turn(conversation, key, now)
        if start.ledger_reply is not None:
            raise RuntimeError("a fresh message was reported as seen")
        commit = TurnCommit(
            conversation=conversation,
            expected_version=n,
            draft=DRAFT,
            expires_at=now + timedelta(days=7),
            ledger_key=key,
            ledger_reply=REPLY,
            ledger_expires_at=now + timedelta(days=2),
        )
        began = time.perf_counter()
        await store.commit_turn(commit, now)
        latencies.append(time.perf_counter() - began)


async def level(folder: Path, concurrency: int, total: int) -> None:
    per_worker = max(1, total // concurrency)
    latencies: list[float] = []
    async with SqliteStore(folder / f"bench-{concurrency}.db", Signer()) as store:
        start = time.perf_counter()
        await asyncio.gather(
            *(committer(store, w, per_worker, latencies) for w in range(concurrency))
        )
        elapsed = time.perf_counter() - start
        stats = store.stats
    turns = per_worker * concurrency
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{concurrency:>4} committers: {turns / elapsed:>7.0f} turns/s"
        f"  commit p50 {cuts[49] * 1000:.2f} ms  p99 {cuts[98] * 1000:.2f} ms"
        f"  {stats.turns / stats.batches:.1f} turns/COMMIT  ({turns} turns, {elapsed:.2f} s)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="where to put the databases (default: a temp dir)")
    parser.add_argument("--turns", type=int, default=20000, help="turns per concurrency level")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        print(f"fsync of a 4 KiB write: {fsync_ms(folder):.2f} ms")
        for concurrency in (1, 10, 100):
            await level(folder, concurrency, args.turns if concurrency > 1 else args.turns // 4)


if __name__ == "__main__":
    asyncio.run(main())
