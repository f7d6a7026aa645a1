"""`python -m bench.telegram`: Tipline's Telegram channel over real HTTP, two benchmarks.

The harness (this process) runs the fake Telegram Bot API (tests/fakes) and
simulated reporters. Each reporter POSTs an update to the bot's webhook, as
Telegram would, and waits for the bot's next question to reach the fake API:
a **completed turn** is counted when the replies arrive there, never on the
webhook's 200. Latency is from posting the update to the first `sendMessage`.
Reporters press buttons where there are buttons (`--typing`: type every answer)
and start a new report after each one.

The bot under test runs in its own process: `tipline run` (webhook mode, the
real settings path, durable SQLite, real sealing), or the baseline
(`bench.telegram_baseline`: PTB with a ConversationHandler and
PicklePersistence). Its CPU is read from `/proc/PID/stat` (user + system, all
its threads) at the start and the end of the measured window, so neither its
start-up nor the harness is in the figure.

    ratio  closed loop, N reporters answering back to back: Tipline, then the
           baseline, each in a fresh process against a fresh fake, `--rounds`
           times in turn; turns/s of each and Tipline's ratio, pair by pair
    peak   the realistic peak: 1,000 conversations offered 100 turns/s (each
           thinking an exponential time between turns); first each answers a
           random number of questions at full speed, so the conversations are
           spread over the script and reports are sealed at the steady rate,
           then a warm-up at the offered rate, then the measured window:
           p50/p99 first reply, the bot's share of one core, CPU per turn
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import orjson

from bot.channels.telegram import SECRET_HEADER
from handoff import write_bundle
from handoff.workstation import ReviewerPrivateKey
from tests.fakes.telegram_api import TOKEN, FakeTelegram, FakeUser, Sent
from tests.telegram.driver import step_of

ANSWERS = {
    "danger": "no",
    "what_happened": "He stopped me twice on the way home and asked for money to drop it.",
    "category": "1",
    "who_role": "1",
    "force": "met",
    "officer_name": "PC Dawson",
    "rank": "sergeant",
    "number": "MD 4471",
    "station": "Brixton",
    "description": "Tall, grey beard",
    "when": "last Tuesday evening",
    "where": "Outside the station on the high street",
    "how_contact": "1",
    "duty": "1",
    "how_know": "1",
    "at_risk": "no",
    "reported_before": "no",
    "evidence": "Texts from his phone",
    "evidence_files": "done",
    "anonymity": "1",
    "review": "confirm",
    "echo": "yes",
}
_ENDS = {"w", "new"}  # Tipline's wipe offer, the baseline's "new report" button
_REPORT_TURNS = 25  # about the turns of one report; the peak's spread draws from 0..this


def _buttons(sent: Sent) -> list[dict[str, str]]:
    if sent.reply_markup is None:
        return []
    return [b for row in sent.reply_markup["inline_keyboard"] for b in row]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process `pid`, all its threads, so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    turns: int = 0
    lost: int = 0
    reports: int = 0
    started: float = 0.0
    ended: float = 0.0
    cpu: float = 0.0  # the bot's CPU seconds in the window
    harness_cpu: float = 0.0  # this process's

    @property
    def rate(self) -> float:
        return self.turns / (self.ended - self.started)

    def summary(self, label: str) -> str:
        lat = sorted(self.latencies)
        n, elapsed = len(lat), self.ended - self.started
        if n == 0 or elapsed <= 0:
            return f"{label}: no turns"
        p50, p99 = lat[n // 2] * 1000, lat[min(n - 1, int(n * 0.99))] * 1000
        return (
            f"{label}: {self.turns} turns in {elapsed:.1f} s = {self.rate:,.1f} turns/s; "
            f"first reply p50 {p50:.1f} ms, p99 {p99:.1f} ms; {self.reports} reports; "
            f"{self.lost} lost; bot CPU {self.cpu / elapsed:.1%} of a core, "
            f"{self.cpu / max(self.turns, 1) * 1000:.2f} ms a turn "
            f"(harness {self.harness_cpu / elapsed:.0%} of a core)"
        )


class Reporter:
    """One simulated reporter in one private chat."""

    def __init__(self, harness: Harness, user: FakeUser, buttons: bool) -> None:
        self.harness, self.user, self.buttons = harness, user, buttons
        self.last: Sent | None = None
        self.waiting: asyncio.Future[Sent] | None = None
        self.posted = 0.0
        self.first: float | None = None

    def on_sent(self, sent: Sent) -> None:
        now = time.perf_counter()
        if self.waiting is None or self.waiting.done():
            return
        if self.first is None:
            self.first = now
            if self.posted >= self.harness.stats.started:
                self.harness.stats.latencies.append(now - self.posted)
        datas = {b["callback_data"] for b in _buttons(sent)}
        if datas or step_of(sent.text) not in (None, "review", "echo"):
            if datas & _ENDS and self.posted >= self.harness.stats.started:
                self.harness.stats.reports += 1
            self.waiting.set_result(sent)

    def next_update(self) -> tuple[str, dict[str, Any]]:
        last = self.last
        if last is None or {b["callback_data"] for b in _buttons(last)} & _ENDS:
            return "message", self.user.text_message("/start")
        step = step_of(last.text) or ""
        typed = ANSWERS.get(step, "I don't know")
        if self.buttons:
            for button in _buttons(last):
                label = button["text"].casefold()
                if label.startswith(f"{typed}. ") or label == typed or typed in label:
                    return "callback_query", self.user.callback_query(last, button["callback_data"])
        return "message", self.user.text_message(typed)

    async def turn(self) -> None:
        kind, payload = self.next_update()
        stats = self.harness.stats
        self.waiting, self.first = asyncio.get_running_loop().create_future(), None
        self.posted = time.perf_counter()
        await self.harness.post(kind, payload)
        try:
            self.last = await asyncio.wait_for(self.waiting, 30.0)
            if self.posted >= stats.started:
                stats.turns += 1
        except TimeoutError:
            if self.posted >= stats.started:
                stats.lost += 1
            self.last = None  # start again
        finally:
            self.waiting = None


class Harness:
    """The fake Telegram and the reporters, against one bot's webhook."""

    def __init__(self, fake: FakeTelegram, webhook: str, secret: str, connections: int) -> None:
        self.fake, self.webhook = fake, webhook
        self.by_chat: dict[int, Reporter] = {}
        self.stats = Stats(started=time.perf_counter())
        # Telegram's side of the webhook: a few kept-alive connections, as Telegram keeps.
        connector = aiohttp.TCPConnector(limit=connections)
        self.http = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())
        self.headers = {SECRET_HEADER: secret, "Content-Type": "application/json"}
        self._ids = itertools.count(1)
        fake.listeners.append(self._on_call)

    def _on_call(self, method: str, params: dict[str, Any], result: Any) -> None:
        if method == "sendMessage":
            reporter = self.by_chat.get(params["chat_id"])
            if reporter is not None:
                reporter.on_sent(reporter.user.chat.messages[result["message_id"]])

    def reporters(self, count: int, first_chat: int, buttons: bool) -> list[Reporter]:
        people = []
        for chat_id in range(first_chat, first_chat + count):
            reporter = Reporter(self, self.fake.user(chat_id), buttons)
            self.by_chat[chat_id] = reporter
            people.append(reporter)
        return people

    async def post(self, kind: str, payload: dict[str, Any]) -> None:
        body = orjson.dumps({"update_id": next(self._ids), kind: payload})
        async with self.http.post(self.webhook, data=body, headers=self.headers) as response:
            await response.read()

    def measure(self, pid: int) -> Stats:
        """Start a new measured window: turns posted from now on count."""
        self.stats = Stats(
            started=time.perf_counter(), cpu=cpu_seconds(pid), harness_cpu=time.process_time()
        )
        return self.stats

    def close_window(self, pid: int) -> Stats:
        stats = self.stats
        stats.ended = time.perf_counter()
        stats.cpu = cpu_seconds(pid) - stats.cpu
        stats.harness_cpu = time.process_time() - stats.harness_cpu
        self.stats = Stats(started=float("inf"))  # nothing more is counted
        return stats


async def closed_loop(harness: Harness, people: list[Reporter], seconds: float) -> None:
    deadline = time.perf_counter() + seconds

    async def run(person: Reporter) -> None:
        while time.perf_counter() < deadline:
            await person.turn()

    await asyncio.gather(*(run(p) for p in people))


async def open_loop(people: list[Reporter], rate: float, seconds: float, seed: int) -> None:
    """Each conversation thinks an exponential time (mean: conversations / rate) between
    turns, counted from when its last update was posted: the offered rate stays fixed."""
    mean_think = len(people) / rate
    deadline = time.perf_counter() + seconds
    rng = random.Random(seed)

    async def run(person: Reporter) -> None:
        first = rng.expovariate(1 / mean_think)  # a Poisson process from the start
        await asyncio.sleep(min(first, deadline - time.perf_counter()))
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            await person.turn()
            think = rng.expovariate(1 / mean_think) - (time.perf_counter() - started)
            await asyncio.sleep(max(0.0, min(think, deadline - time.perf_counter())))

    await asyncio.gather(*(run(p) for p in people))


async def spread(people: list[Reporter], rng: random.Random) -> None:
    """Each conversation answers 0..25 questions at full speed (50 at a time)."""
    limit = asyncio.Semaphore(50)

    async def run(person: Reporter) -> None:
        async with limit:
            for _ in range(rng.randrange(_REPORT_TURNS + 1)):
                await person.turn()

    await asyncio.gather(*(run(p) for p in people))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def bot_process(which: str, fake: FakeTelegram, data: Path, port: int) -> Iterator[int]:
    """The bot under test in its own process; its pid."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIPLINE_")}
    if which == "tipline":
        env |= {
            "TIPLINE_DATA_DIR": str(data),
            "TIPLINE_PORT": str(port),
            "TIPLINE_TELEGRAM_TOKEN": TOKEN,
            "TIPLINE_TELEGRAM_API_URL": fake.url,
            "TIPLINE_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "TIPLINE_TELEGRAM_FLOOD_PER_MINUTE": "1000000000",  # reporters here are machines
            "TIPLINE_LOG_LEVEL": "WARNING",
        }
        # Reports are sealed to a real reviewer key, enrolled as an admin does it: with
        # Telegram served, no DEMO key is made and a report without a key is refused.
        data.mkdir(parents=True)
        public = data.parent / f"{data.name}-reviewer.pub"
        write_bundle(public, ReviewerPrivateKey.generate().bundle("bench"))
        argv = ["admin", "reviewers", "add", str(public)]
        enrol = [sys.executable, "-c", f"import bot.cli, sys; sys.exit(bot.cli.main({argv!r}))"]
        subprocess.run(enrol, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        run = "from bot.cli import main; raise SystemExit(main(['run']))"
        if os.environ.get("BENCH_PROFILE"):  # a cProfile dump of the bot, to find hot spots
            out = os.environ["BENCH_PROFILE"]
            profiled = "cProfile.run(\"main(['run'])\", " + repr(out) + ")"
            run = f"import cProfile; from bot.cli import main; {profiled}"
        command = [sys.executable, "-c", run]
    else:
        command = [sys.executable, "-m", "bench.telegram_baseline", "--api", fake.url,
                   "--port", str(port), "--data", str(data), "--token", TOKEN]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
    try:
        yield process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.asynccontextmanager
async def harnessed(
    which: str, args: argparse.Namespace, tmp: Path
) -> AsyncIterator[tuple[Harness, int]]:
    """A fresh fake Bot API, the bot in its own process, and the harness; (harness, pid)."""
    fake = FakeTelegram(record=False)
    await fake.start()
    try:
        with bot_process(which, fake, tmp / f"{which}-{time.monotonic_ns()}", free_port()) as pid:
            await fake.wait_for(lambda: fake.webhook is not None, limit=60)
            webhook = fake.webhook or {}
            harness = Harness(fake, webhook["url"], webhook["secret_token"] or "", args.connections)
            # The harness's own full collections (~100 ms with 1,000 chats' messages held)
            # would count as the bot's latency: its garbage is freed by reference counts.
            gc.collect()
            gc.freeze()
            gc.disable()
            try:
                yield harness, pid
            finally:
                gc.enable()
                await harness.http.close()
    finally:
        await fake.close()


async def closed(which: str, args: argparse.Namespace, tmp: Path) -> Stats:
    async with harnessed(which, args, tmp) as (harness, pid):
        people = harness.reporters(args.reporters, 10_000, not args.typing)
        await closed_loop(harness, people[:10], 1.0)  # warm up
        harness.measure(pid)
        await closed_loop(harness, people, args.seconds)
        stats = harness.close_window(pid)
    print(stats.summary(f"{which}, closed loop, {args.reporters} reporters"), flush=True)
    return stats


async def peak(args: argparse.Namespace, tmp: Path, seed: int) -> Stats:
    async with harnessed("tipline", args, tmp) as (harness, pid):
        people = harness.reporters(args.conversations, 100_000, not args.typing)
        await spread(people, random.Random(seed))
        await open_loop(people, args.rate, args.warmup, seed)
        harness.measure(pid)
        await open_loop(people, args.rate, args.seconds, seed + 1)
        stats = harness.close_window(pid)
    label = f"tipline, peak, {args.conversations} conversations offered {args.rate:.0f} turns/s"
    print(stats.summary(label), flush=True)
    return stats


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.telegram",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("mode", choices=("ratio", "peak"), nargs="?", default="ratio")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each, in turn")
    parser.add_argument("--seconds", type=float, default=None, help="measured (15 / 60)")
    parser.add_argument("--reporters", type=int, default=200, help="ratio: closed-loop reporters")
    parser.add_argument("--conversations", type=int, default=1000, help="peak: conversations")
    parser.add_argument("--rate", type=float, default=100.0, help="peak: turns/s offered")
    parser.add_argument("--warmup", type=float, default=10.0, help="peak: seconds at the rate")
    parser.add_argument("--connections", type=int, default=100, help="harness HTTP connections")
    parser.add_argument("--typing", action="store_true", help="type every answer, no buttons")
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (15.0 if args.mode == "ratio" else 60.0)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; answers by "
          f"{'typing' if args.typing else 'buttons where there are buttons'}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="tipline-bench-tg-") as tmp:
        for round_ in range(args.rounds):
            if args.mode == "peak":
                await peak(args, Path(tmp), seed=7 + 2 * round_)
                continue
            tipline = await closed("tipline", args, Path(tmp))
            baseline = await closed("baseline", args, Path(tmp))
            # Turns/s is what the target names; CPU a turn moves less when others load the box.
            cpu = (baseline.cpu / baseline.turns) / (tipline.cpu / tipline.turns)
            print(
                f"Tipline ÷ baseline: {tipline.rate / baseline.rate:.2f}× the turns/s; "
                f"{cpu:.2f}× less CPU a turn",
                flush=True,
            )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
