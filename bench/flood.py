"""`python -m bench.flood`: what a flood leaves behind (issue 13, point 5).

A real `tipline run` in a second process (from `--source`, default this tree,
so the same script measures an older checkout too); the rows are counted in
its SQLite file.

    views    N cookieless GETs of / : drafts and stored replies created
    burst    one session sends N answers back to back: how many were taken (200)
             and how many were told to slow down (429), and how fast
    drafts   N new sessions each send a first answer under TIPLINE_MAX_OPEN_DRAFTS
    uploads  five sessions each upload a 15 MB file at the evidence question under
             TIPLINE_MAX_EVIDENCE_TOTAL_MB: MB added to the database, and how fast
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import sqlite3
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

from bench.reporters import answer, question
from bot.messages import reply_from_fields

_CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
ROOT = Path(__file__).resolve().parents[1]
MB = 2**20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rows(data_dir: Path, table: str) -> int:
    with sqlite3.connect(data_dir / "tipline.db") as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


def db_bytes(data_dir: Path) -> int:
    return sum(p.stat().st_size for p in data_dir.glob("tipline.db*"))


@asynccontextmanager
async def server(source: Path, data_dir: Path, env: Mapping[str, str]) -> AsyncIterator[str]:
    port = _free_port()
    full = {
        **os.environ,
        "TIPLINE_DATA_DIR": str(data_dir),
        "TIPLINE_PORT": str(port),
        "TIPLINE_REVIEW_PORT": str(_free_port()),
        "TIPLINE_LOG_LEVEL": "WARNING",
        **env,
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", env=full, cwd=source,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    if proc.stdout is None:
        raise RuntimeError("no pipe to the server's output")
    while b"Tipline is running" not in await asyncio.wait_for(proc.stdout.readline(), 60):
        pass
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        await proc.wait()


class Session:
    """One browser: its cookie jar, CSRF token and the question it was last asked."""

    def __init__(self, base: str, seed: int) -> None:
        self.base = base
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.rng = random.Random(seed)
        self.csrf = ""
        self.step: str | None = None
        self.pending = "no"

    async def open(self) -> None:
        async with self.http.get(self.base) as r:
            found = _CSRF.search(await r.text())
        if found is None:
            raise RuntimeError("the page gave no CSRF token")
        self.csrf = found.group(1)

    async def turn(self, data: Any = None, *, patient: bool = False) -> int:
        """One answer; with `patient`, a 429 is waited out (Retry-After) and sent again."""
        mid = self.rng.randbytes(8).hex()
        while True:
            body = data if data is not None else json.dumps({"mid": mid, "text": self.pending})
            headers = {"X-CSRF-Token": self.csrf, "Accept": "application/json"}
            if data is None:
                headers["Content-Type"] = "application/json"
            async with self.http.post(self.base + "api/turn", data=body, headers=headers) as r:
                raw, status, wait = await r.read(), r.status, r.headers.get("Retry-After")
            if status == 429 and patient:
                await asyncio.sleep(float(wait or 1))
                continue
            break
        if status == 200:
            turn = json.loads(raw)
            self.csrf = turn["csrf"]
            asked = question([reply_from_fields(r) for r in turn["replies"]])
            self.step = asked.step if asked else None
            if asked is not None:
                self.pending = answer(asked, self.rng)
        return status

    async def close(self) -> None:
        await self.http.close()


async def views(base: str, data_dir: Path, count: int) -> str:
    before = rows(data_dir, "drafts"), rows(data_dir, "ledger")
    async with aiohttp.ClientSession() as http:
        for start in range(0, count, 50):

            async def one() -> None:
                async with http.get(base, headers={"Cookie": ""}) as r:
                    await r.read()
                http.cookie_jar.clear()

            await asyncio.gather(*(one() for _ in range(min(50, count - start))))
    drafts, ledger = rows(data_dir, "drafts") - before[0], rows(data_dir, "ledger") - before[1]
    return f"{count} cookieless GETs of /: {drafts} drafts and {ledger} stored replies created"


async def burst(base: str, count: int) -> str:
    session = Session(base, 1)
    await session.open()
    statuses: dict[int, int] = {}
    t0 = time.perf_counter()
    for _ in range(count):
        status = await session.turn()
        statuses[status] = statuses.get(status, 0) + 1
    took = time.perf_counter() - t0
    await session.close()
    shown = ", ".join(f"{n} × {s}" for s, n in sorted(statuses.items()))
    speed = f"{took:.1f} s ({count / took:.0f}/s)"
    return f"one session, {count} answers back to back in {speed}: {shown}"


async def drafts(base: str, data_dir: Path, count: int, cap: int) -> str:
    before = rows(data_dir, "drafts")
    statuses: dict[int, int] = {}
    for n in range(count):
        session = Session(base, 100 + n)
        await session.open()
        status = await session.turn()
        statuses[status] = statuses.get(status, 0) + 1
        await session.close()
    made = rows(data_dir, "drafts") - before
    shown = ", ".join(f"{n} × {s}" for s, n in sorted(statuses.items()))
    capped = f"TIPLINE_MAX_OPEN_DRAFTS={cap}"
    return f"{count} new sessions' first answers, {capped}: {made} drafts ({shown})"


async def uploads(base: str, data_dir: Path, cap_mb: int) -> str:
    pdf = b"%PDF-1.7\n" + os.urandom(15 * MB) + b"\n%%EOF\n"
    people = [Session(base, 200 + n) for n in range(5)]
    for person in people:
        await person.open()
        for _ in range(60):
            if person.step == "evidence_files":
                break
            await person.turn(patient=True)
        if person.step != "evidence_files":
            raise RuntimeError(f"stuck at {person.step}")
    before = db_bytes(data_dir)

    async def send(person: Session) -> int:
        form = aiohttp.FormData()
        form.add_field("mid", person.rng.randbytes(8).hex())
        form.add_field("csrf", person.csrf)
        form.add_field("text", "")
        form.add_field("files", pdf, filename="a.pdf", content_type="application/pdf")
        return await person.turn(form, patient=True)

    t0 = time.perf_counter()
    await asyncio.gather(*(send(p) for p in people))
    took = time.perf_counter() - t0
    files = rows(data_dir, "attachments")
    added = (db_bytes(data_dir) - before) / MB
    for person in people:
        await person.close()
    return (
        f"5 sessions × 15 MB, TIPLINE_MAX_EVIDENCE_TOTAL_MB={cap_mb}: {files} files kept, "
        f"{added:.0f} MB added to the database in {took:.1f} s"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=ROOT, help="the Tipline tree to run")
    parser.add_argument("--views", type=int, default=5000)
    parser.add_argument("--burst", type=int, default=2000)
    parser.add_argument("--drafts", type=int, default=300)
    parser.add_argument("--draft-cap", type=int, default=100)
    parser.add_argument("--evidence-cap", type=int, default=40, help="MB")
    args = parser.parse_args()
    caps = {
        "TIPLINE_MAX_OPEN_DRAFTS": str(args.draft_cap),
        "TIPLINE_MAX_EVIDENCE_TOTAL_MB": str(args.evidence_cap),
    }
    with tempfile.TemporaryDirectory() as tmp:
        runs: tuple[tuple[str, Callable[[str, Path], Awaitable[str]]], ...] = (
            ("views", lambda base, d: views(base, d, args.views)),
            ("burst", lambda base, d: burst(base, args.burst)),
            ("drafts", lambda base, d: drafts(base, d, args.drafts, args.draft_cap)),
            ("uploads", lambda base, d: uploads(base, d, args.evidence_cap)),
        )
        for name, run in runs:
            data_dir = Path(tmp) / name
            async with server(args.source, data_dir, caps) as base:
                print(await run(base, data_dir), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
