"""`python -m bench.turns`: turns/s, latency and memory of the engine + SQLite store.

No channel: simulated reporters call the conversation service in-process, with
durable (fsync'd) SQLite commits and real sealing to one reviewer key.

    closed  N reporters answer at once, for D seconds: throughput
    open    N conversations, each waiting a random (exponential) think time so the
            offered load is fixed at R turns/s: latency without self-queueing;
            measured after a warm-up (--warmup, 20 s), once the conversations are
            spread over the whole script and reports are sealed at a steady rate
            (in the first ~15 s of a run none or few are: a fifth less CPU a turn)
    drafts  fill the store with K open drafts, then run the open loop: memory

Everything measured is printed; bench/README.md records the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import math
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from bench.reporters import answer, question
from bot.app import App, open_app
from bot.messages import Inbound
from bot.review import reviewer_record as reviewer_key_record
from bot.service import utcnow
from bot.settings import Settings
from handoff.workstation import ReviewerPrivateKey


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    reports: int = 0
    started: float = 0.0
    ended: float = 0.0
    cpu: tuple[float, float] = (0.0, 0.0)  # process, event-loop thread: CPU seconds used

    def record(self, begun: float, ended: float, sealed: bool) -> None:
        """One turn (perf_counter times); one begun before `start()`, in a warm-up, is
        not counted."""
        if begun < self.started:
            return
        self.latencies.append(ended - begun)
        if sealed:
            self.reports += 1

    def start(self) -> None:
        self.started = time.perf_counter()
        self.cpu = (time.process_time(), time.thread_time())

    def stop(self) -> None:
        self.ended = time.perf_counter()
        process, thread = self.cpu
        self.cpu = (time.process_time() - process, time.thread_time() - thread)

    def summary(self, label: str) -> str:
        lat = sorted(self.latencies)
        n = len(lat)
        elapsed = self.ended - self.started
        if n == 0:
            return f"{label}: no turns"
        p50 = lat[n // 2] * 1000
        p99 = lat[min(n - 1, int(n * 0.99))] * 1000
        return (
            f"{label}: {n} turns in {elapsed:.1f} s = {n / elapsed:,.0f} turns/s; "
            f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, mean {statistics.fmean(lat) * 1000:.2f} ms; "
            f"{self.reports} reports sealed; peak RSS {peak_rss_mb():.0f} MB; CPU per turn "
            f"{self.cpu[0] / n * 1000:.3f} ms (event-loop thread {self.cpu[1] / n * 1000:.3f} ms)"
        )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@asynccontextmanager
async def bench_app(data_dir: Path) -> AsyncIterator[App]:
    settings = replace(Settings(), data_dir=data_dir, log_level="WARNING")
    async with open_app(settings) as app:
        key = ReviewerPrivateKey.generate()
        await app.store.add_reviewer_key(reviewer_key_record(key, "bench", utcnow()), utcnow())

        yield app


class Reporter:
    """One simulated reporter; starts a new report after each sealed one."""

    ids = itertools.count()

    def __init__(self, app: App, seed: int) -> None:
        self.app = app
        self.chat = f"bench-{next(self.ids)}"
        self.rng = random.Random(seed)
        self.messages = itertools.count()
        self.pending: str | None = None

    async def turn(self, stats: Stats) -> None:
        text = self.pending
        inbound = Inbound("bench", self.chat, str(next(self.messages)), text)
        t0 = time.perf_counter()
        out = await self.app.conversations.handle(inbound)
        stats.record(t0, time.perf_counter(), out.reference is not None)
        # As a channel does once it has shown the replies: a closing seen is not given again.
        await self.app.conversations.delivered("bench", self.chat, out)
        asked = question(out.replies)
        self.pending = None if out.ended or asked is None else answer(asked, self.rng)


class Turner(Protocol):
    """A simulated reporter of any channel: takes one turn, records it in `stats`."""

    rng: random.Random

    async def turn(self, stats: Stats) -> None: ...


async def closed_loop(people: Sequence[Turner], seconds: float) -> Stats:
    """Every reporter answers at once, again and again, for `seconds`."""
    stats = Stats()
    deadline = time.perf_counter() + seconds

    async def run(person: Turner) -> None:
        while time.perf_counter() < deadline:
            await person.turn(stats)

    stats.start()
    await asyncio.gather(*(run(p) for p in people))
    stats.stop()
    return stats


async def open_loop(
    people: Sequence[Turner], rate: float, seconds: float, warmup: float = 0.0
) -> Stats:
    """Each reporter thinks for an exponential time with mean len(people)/rate; turns
    begun in the first `warmup` seconds are not counted."""
    stats = Stats(started=math.inf)  # nothing counts before `start()`
    mean_think = len(people) / rate
    deadline = time.perf_counter() + warmup + seconds

    async def run(person: Turner) -> None:
        await asyncio.sleep(person.rng.uniform(0, mean_think))
        while time.perf_counter() < deadline:
            await person.turn(stats)
            await asyncio.sleep(person.rng.expovariate(1 / mean_think))

    tasks = [asyncio.create_task(run(p)) for p in people]
    await asyncio.sleep(warmup)
    stats.start()
    # Stop at the deadline: reporters still thinking then are not waited for.
    await asyncio.wait(tasks, timeout=seconds)
    stats.stop()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return stats


def reporters(app: App, count: int) -> list[Reporter]:
    return [Reporter(app, i) for i in range(count)]


async def fill_drafts(app: App, count: int) -> None:
    """Open `count` conversations (one turn each) and leave them as drafts."""
    stats = Stats()
    batch = 500
    for start in range(0, count, batch):
        people = [Reporter(app, start + i) for i in range(min(batch, count - start))]
        await asyncio.gather(*(p.turn(stats) for p in people))
    del stats
    gc.collect()


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.turns", description=__doc__)
    parser.add_argument("--reporters", type=int, default=100, help="closed-loop concurrency")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--open-reporters", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=1500.0, help="open-loop turns/s offered")
    parser.add_argument("--warmup", type=float, default=20.0, help="open-loop seconds not counted")
    parser.add_argument("--drafts", type=int, default=100_000, help="open drafts for the RSS run")
    parser.add_argument("--only", choices=("closed", "open", "drafts"), default=None)
    args = parser.parse_args(argv)

    print(f"python {sys.version.split()[0]}, durable SQLite commits (synchronous=FULL)")
    with tempfile.TemporaryDirectory(prefix="tipline-bench-") as tmp:
        if args.only in (None, "closed"):
            async with bench_app(Path(tmp) / "closed") as app:
                stats = await closed_loop(reporters(app, args.reporters), args.seconds)
                print(stats.summary(f"closed loop, {args.reporters} reporters"))
        if args.only in (None, "open"):
            async with bench_app(Path(tmp) / "open") as app:
                people = reporters(app, args.open_reporters)
                stats = await open_loop(people, args.rate, args.seconds, args.warmup)
                label = (
                    f"open loop, {args.open_reporters} conversations at {args.rate:.0f}/s, "
                    f"after {args.warmup:.0f} s"
                )
                print(stats.summary(label))
        if args.only in (None, "drafts"):
            async with bench_app(Path(tmp) / "drafts") as app:
                await fill_drafts(app, args.drafts)
                drafts = await app.store.count_drafts()
                people = reporters(app, args.open_reporters)
                stats = await open_loop(people, args.rate, args.seconds, args.warmup)
                print(stats.summary(f"{drafts:,} open drafts in the store, then open loop"))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
