"""`python -m bench.telegram`: Tipline's Telegram channel over real HTTP, against the baseline.

The harness (this process) runs the fake Telegram Bot API (tests/fakes) and N
simulated reporters. Each reporter POSTs an update to the bot's webhook, as
Telegram would, and waits for the bot's next question to reach the fake API:
a **completed turn** is counted when the replies arrive there, never on the
webhook's 200. Latency is from posting the update to the first `sendMessage`.

The bot under test runs in its own process: `tipline run` (webhook mode, the
real settings path), or the baseline (`bench.telegram_baseline`: PTB with a
ConversationHandler and PicklePersistence), with the same harness, one after
the other in the same run. Reporters press buttons where there are buttons
(`--typing`: type every answer) and start a new report after each one.

    closed  N reporters, each posting its next answer as soon as the last is answered
    open    N conversations, each thinking a random (exponential) time between turns,
            so the offered load is fixed at R turns/s: latency without self-queueing
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bot.channels.telegram.channel import SECRET_HEADER
from bot.channels.telegram.http import JsonPoster
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


def _buttons(sent: Sent) -> list[dict[str, str]]:
    if sent.reply_markup is None:
        return []
    return [b for row in sent.reply_markup["inline_keyboard"] for b in row]


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    turns: int = 0
    lost: int = 0
    reports: int = 0
    started: float = 0.0
    ended: float = 0.0

    def summary(self, label: str) -> str:
        lat = sorted(self.latencies)
        n, elapsed = len(lat), self.ended - self.started
        if n == 0 or elapsed <= 0:
            return f"{label}: no turns"
        p50, p99 = lat[n // 2] * 1000, lat[min(n - 1, int(n * 0.99))] * 1000
        return (
            f"{label}: {self.turns} completed turns in {elapsed:.1f} s = "
            f"{self.turns / elapsed:,.0f} turns/s; first reply p50 {p50:.1f} ms, "
            f"p99 {p99:.1f} ms; {self.reports} reports; {self.lost} turns lost"
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
            self.harness.stats.latencies.append(now - self.posted)
        datas = {b["callback_data"] for b in _buttons(sent)}
        if datas or step_of(sent.text) not in (None, "review", "echo"):
            if datas & _ENDS:
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
        loop = asyncio.get_running_loop()
        self.waiting, self.first = loop.create_future(), None
        self.posted = time.perf_counter()
        await self.harness.post(kind, payload)
        try:
            self.last = await asyncio.wait_for(self.waiting, 30.0)
            self.harness.stats.turns += 1
        except TimeoutError:
            self.harness.stats.lost += 1
            self.last = None  # start again
        finally:
            self.waiting = None


class Harness:
    """The fake Telegram and the reporters, against one bot's webhook."""

    def __init__(self, fake: FakeTelegram, webhook: str, secret: str, connections: int) -> None:
        self.fake, self.webhook = fake, webhook
        self.by_chat: dict[int, Reporter] = {}
        self.stats = Stats()
        # Telegram's side of the webhook, posting as cheaply as the bot calls the API.
        self.poster = JsonPoster(
            connections=connections, read_timeout=30.0, headers={SECRET_HEADER: secret}
        )
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
        status, reply = await self.poster.post(self.webhook, body)
        if status == 200:
            await self.fake.webhook_reply(reply)  # a method in the response, as Telegram runs it


async def closed_loop(harness: Harness, people: list[Reporter], seconds: float) -> Stats:
    harness.stats = stats = Stats()
    deadline = time.perf_counter() + seconds

    async def run(person: Reporter) -> None:
        while time.perf_counter() < deadline:
            await person.turn()

    stats.started = time.perf_counter()
    await asyncio.gather(*(run(p) for p in people))
    stats.ended = time.perf_counter()
    return stats


async def open_loop(harness: Harness, people: list[Reporter], rate: float, seconds: float) -> Stats:
    harness.stats = stats = Stats()
    mean_think = len(people) / rate
    deadline = time.perf_counter() + seconds
    rng = random.Random(7)

    async def run(person: Reporter) -> None:
        await asyncio.sleep(rng.uniform(0, mean_think))
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            await person.turn()
            # Think from when the update was posted, so the offered rate stays fixed.
            think = rng.expovariate(1 / mean_think) - (time.perf_counter() - started)
            await asyncio.sleep(max(0.0, min(think, deadline - time.perf_counter())))

    stats.started = time.perf_counter()
    await asyncio.gather(*(run(p) for p in people))
    stats.ended = max(deadline, time.perf_counter() - 0.0)
    return stats


def _cpu() -> tuple[float, float]:
    """CPU seconds (user + system) of this process, and of its finished children."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def bot_process(which: str, fake: FakeTelegram, data: Path, port: int) -> Iterator[None]:
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
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def measure(which: str, args: argparse.Namespace, tmp: Path) -> list[str]:
    fake = FakeTelegram(record=False)
    await fake.start()
    port = free_port()
    lines: list[str] = []
    cpu_before = _cpu()
    try:
        with bot_process(which, fake, tmp / which, port):
            await fake.wait_for(lambda: fake.webhook is not None, limit=60)
            webhook = fake.webhook or {}
            secret = webhook["secret_token"] or ""
            harness = Harness(fake, webhook["url"], secret, args.connections)
            # The harness's own full collections (~100 ms with 1,000 chats' messages held)
            # would count as the bot's latency: its garbage is freed by reference counts.
            gc.collect()
            gc.freeze()
            gc.disable()
            try:
                buttons = not args.typing
                if args.only in (None, "closed"):
                    people = harness.reporters(args.reporters, 10_000, buttons)
                    await closed_loop(harness, people[:10], 1.0)  # warm up
                    stats = await closed_loop(harness, people, args.seconds)
                    lines.append(stats.summary(f"{which}, closed loop, {args.reporters} reporters"))
                if args.only in (None, "open"):
                    people = harness.reporters(args.open_reporters, 100_000, buttons)
                    stats = await open_loop(harness, people, args.rate, args.seconds)
                    label = f"{which}, open loop, {args.open_reporters} conversations"
                    lines.append(stats.summary(f"{label} at {args.rate:.0f}/s"))
            finally:
                gc.enable()
                await harness.poster.close()
    finally:
        await fake.close()
    harness_cpu, bot_cpu = (
        after - before for after, before in zip(_cpu(), cpu_before, strict=True)
    )
    lines.append(f"{which}: CPU used, whole run: bot {bot_cpu:.1f} s, harness {harness_cpu:.1f} s")
    for line in lines:
        print(line, flush=True)
    return lines


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.telegram", description=__doc__)
    parser.add_argument("--reporters", type=int, default=200, help="closed-loop concurrency")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--open-reporters", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=750.0, help="open-loop turns/s offered")
    parser.add_argument("--connections", type=int, default=100, help="harness HTTP connections")
    parser.add_argument("--typing", action="store_true", help="type every answer, no buttons")
    parser.add_argument("--only", choices=("closed", "open"), default=None)
    parser.add_argument("--bots", default="tipline,baseline", help="which bots, in order")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; answers by "
          f"{'typing' if args.typing else 'buttons where there are buttons'}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="tipline-bench-tg-") as tmp:
        for which in args.bots.split(","):
            await measure(which, args, Path(tmp))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
