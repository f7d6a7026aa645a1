"""`python -m bench.webchat`: the web chat's JSON endpoint under load, and the page's weight.

A real `tipline run` server runs in a second process (durable SQLite commits,
real sealing to one reviewer key); this process is the harness: simulated
reporters (bench/reporters.py answers) talk HTTP to it with aiohttp's client.
Both share the machine's cores, so the harness's own cost is in every figure.

    closed  N reporters answer back to back for D seconds: throughput
    open    N conversations, each thinking an exponential time between answers so
            the offered load is R turns/s: latency without self-queueing
    page    bytes a first visit transfers (page, stylesheet, script; headers included)

Each reporter opens the page once (not counted), then every answer is one
POST /api/turn; after a sealed report the same reporter starts another.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp

from bench.reporters import answer, question
from bench.turns import Stats, closed_loop, open_loop
from bot.app import open_store
from bot.messages import reply_from_fields
from bot.review import reviewer_record as reviewer_key_record
from bot.service import utcnow
from bot.settings import Settings
from handoff.workstation import ReviewerPrivateKey

_COOKIE = re.compile(r"tipline_chat=([A-Za-z0-9_-]+)")
_CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    if pid == 0:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@asynccontextmanager
async def tipline_server(data_dir: Path, url: str | None) -> AsyncIterator[tuple[str, int]]:
    """`tipline run` in its own process, with a reviewer key registered first.

    With `url`, a server already running there instead (its process is not measured).
    """
    if url is not None:
        yield url, 0
        return
    settings = replace(Settings(), data_dir=data_dir)
    async with open_store(settings) as (_keys, store):
        key = ReviewerPrivateKey.generate()
        await store.add_reviewer_key(reviewer_key_record(key, "bench", utcnow()), utcnow())
    port = _free_port()
    env = {
        **os.environ,
        "TIPLINE_DATA_DIR": str(data_dir),
        "TIPLINE_PORT": str(port),
        "TIPLINE_LOG_LEVEL": "WARNING",
        # Simulated reporters answer at machine speed: measure the server, not its limit.
        "TIPLINE_WEB_ANSWER_BURST": "1000000000",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", env=env, stdout=asyncio.subprocess.PIPE
    )
    if proc.stdout is None:
        raise RuntimeError("no pipe to the server's output")
    while b"Tipline is running" not in await asyncio.wait_for(proc.stdout.readline(), 60):
        pass
    try:
        yield f"http://127.0.0.1:{port}/", proc.pid
    finally:
        proc.terminate()
        await proc.wait()


class WebReporter:
    """One simulated reporter with its own cookie and CSRF token."""

    def __init__(self, base: str, http: aiohttp.ClientSession, seed: int) -> None:
        self.base = base
        self.http = http
        self.rng = random.Random(seed)
        self.cookie = ""
        self.csrf = ""
        self.pending: str | None = None

    async def open(self) -> None:
        async with self.http.get(self.base) as response:
            page = await response.text()
            found = _COOKIE.search(response.headers.get("Set-Cookie", ""))
        csrf = _CSRF.search(page)
        if found is None or csrf is None:
            raise RuntimeError("the page gave no cookie or CSRF token")
        self.cookie, self.csrf = found.group(1), csrf.group(1)

    async def turn(self, stats: Stats) -> None:
        body: dict[str, Any] = {"mid": self.rng.randbytes(8).hex()}
        if self.pending is not None:
            body["text"] = self.pending
        headers = {
            "Cookie": f"tipline_chat={self.cookie}",
            "X-CSRF-Token": self.csrf,
            "Content-Type": "application/json",
        }
        t0 = time.perf_counter()
        async with self.http.post(
            self.base + "api/turn", data=json.dumps(body), headers=headers
        ) as r:
            raw = await r.read()
            renewed = _COOKIE.search(r.headers.get("Set-Cookie", ""))
            status = r.status
        done = time.perf_counter()
        if status != 200:
            raise RuntimeError(f"turn failed with HTTP {status}: {raw[:200]!r}")
        turn = json.loads(raw)
        if renewed is not None:
            self.cookie = renewed.group(1)
        self.csrf = turn["csrf"]
        stats.record(t0, done, turn["reference"] is not None)
        replies = [reply_from_fields(r) for r in turn["replies"]]
        asked = question(replies)
        self.pending = None if turn["ended"] or asked is None else answer(asked, self.rng)


async def _people(base: str, http: aiohttp.ClientSession, count: int) -> list[WebReporter]:
    people = [WebReporter(base, http, seed) for seed in range(count)]
    for start in range(0, count, 100):
        await asyncio.gather(*(p.open() for p in people[start : start + 100]))
    return people


async def run_loop(base: str, count: int, seconds: float, rate: float | None) -> Stats:
    """bench.turns' closed loop (rate None) or open loop, over HTTP."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        people = await _people(base, http, count)
        if rate is None:
            return await closed_loop(people, seconds)
        return await open_loop(people, rate, seconds)


async def page_weight(base: str) -> str:
    """Bytes of a first visit: status line, headers and body of each of its responses."""
    sizes: dict[str, int] = {}
    async with aiohttp.ClientSession() as http:
        for path in ("", "static/chat.css", "static/chat.js"):
            async with http.get(base + path) as response:
                body = await response.read()
                head = sum(len(k) + len(v) + 4 for k, v in response.raw_headers) + 17
                sizes[path or "page"] = head + len(body)
    total = sum(sizes.values())
    parts = ", ".join(f"{name} {size / 1024:.1f}" for name, size in sizes.items())
    return f"first load: {total / 1024:.1f} KB transferred ({parts} KB), no compression"


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.webchat", description=__doc__)
    parser.add_argument("--reporters", type=int, default=100, help="closed-loop concurrency")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--open-reporters", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=750.0, help="open-loop turns/s offered")
    parser.add_argument("--only", choices=("closed", "open", "page"), default=None)
    parser.add_argument("--url", default=None, help="a running server to measure instead")
    args = parser.parse_args(argv)

    print(f"python {sys.version.split()[0]}; server: `tipline run` in a second process")
    with tempfile.TemporaryDirectory(prefix="tipline-webbench-") as tmp:
        for mode in ("page", "closed", "open"):
            if args.only not in (None, mode):
                continue
            async with tipline_server(Path(tmp) / mode, args.url) as (base, pid):
                if mode == "page":
                    print(await page_weight(base))
                    continue
                cpu, mine = _cpu_seconds(pid), time.process_time()
                if mode == "closed":
                    stats = await run_loop(base, args.reporters, args.seconds, None)
                    label = f"closed loop, {args.reporters} reporters"
                else:
                    stats = await run_loop(base, args.open_reporters, args.seconds, args.rate)
                    label = f"open loop, {args.open_reporters} conversations at {args.rate:.0f}/s"
                wall = stats.ended - stats.started
                busy = (_cpu_seconds(pid) - cpu) / wall
                harness = (time.process_time() - mine) / wall
                per_turn = f"{busy * wall / len(stats.latencies) * 1000:.2f} ms/turn"
                print(
                    f"{stats.summary(label)}; CPU: server {busy:.0%} ({per_turn}), "
                    f"harness {harness:.0%}"
                )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
