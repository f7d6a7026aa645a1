"""A web chat server killed after sealing, before the closing is written: the next message
brings the reference and a new receipt (issue 13, point 8).

A real `tipline run` process, SIGKILLed right after the confirming turn committed
(tests/bot/crashrun.py), then started again on the same data folder; the reporter's
browser (here aiohttp's client, keeping the chat cookie) sends its next message.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import aiohttp

from bot.serverkeys import load_existing
from handoff.receipts import receipt_hash
from tests.bot.test_cli import ANSWERS, PASSPHRASE, ROOT, registered_key
from tests.web.client import HttpChat
from tests.web.conftest import free_port, in_thread

RECEIPT = re.compile(r"\d{4} \d{4} \d{4} \d{4}")


@contextmanager
def tipline_run(
    data_dir: Path, port: int, crash: str | None = None
) -> Iterator[subprocess.Popen[str]]:
    """`tipline run` as its own process (SIGKILLed by itself at `crash`), once it listens."""
    module = ["-m", "tests.bot.crashrun", crash] if crash else ["-m", "bot.cli"]
    env = {
        **os.environ,
        "TIPLINE_DATA_DIR": str(data_dir),
        "TIPLINE_PORT": str(port),
        "TIPLINE_REVIEW_PORT": str(free_port()),
        "TIPLINE_REVIEWER_PASSPHRASE": PASSPHRASE,
        "TIPLINE_LOG_LEVEL": "WARNING",
        # A whole report answered back to back: above the web chat's per-session rate limit.
        "TIPLINE_WEB_ANSWERS_PER_SECOND": "1000",
        "TIPLINE_WEB_ANSWER_BURST": "1000",
    }
    with subprocess.Popen(
        [sys.executable, *module, "run"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        while "is running at" not in proc.stdout.readline():
            assert proc.poll() is None, "the server stopped"
            assert time.monotonic() < deadline, "the server did not start"
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            proc.wait(30)


def db_rows(data_dir: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(data_dir / "tipline.db")) as db:
        return db.execute(sql).fetchall()


async def _answer_all(chat: HttpChat) -> None:
    await chat.open()
    for text in ANSWERS:
        await chat.turn(text)


def test_killed_after_sealing_the_next_message_shows_the_reference_and_a_working_receipt(
    tmp_path: Path,
) -> None:
    data_dir, key = tmp_path / "var", tmp_path / "r.key"
    registered_key(key, data_dir)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"

    async def scenario() -> tuple[str, str]:
        async with HttpChat.session_for() as session:
            chat = HttpChat(base, session)
            with tipline_run(data_dir, port, crash="after-seal") as crashed:
                await _answer_all(chat)
                try:
                    await chat.turn("confirm")
                except aiohttp.ClientError:
                    pass
                else:
                    raise AssertionError("the server answered the confirm")
                assert crashed.wait(30) == -signal.SIGKILL
            [(reference, lost)] = db_rows(data_dir, "SELECT reference, receipt_hash FROM queue")
            with tipline_run(data_dir, port):
                turn = await chat.turn("hello? did it go through?")
                assert turn["ended"]
                shown = "\n".join(r["text"] for r in turn["replies"])
                assert str(reference) in shown
                assert "Write the secret code down" in shown
                [receipt] = RECEIPT.findall(shown)
                key_ = load_existing(data_dir / "server-secret").receipt
                stored = db_rows(data_dir, "SELECT receipt_hash FROM queue")
                assert stored == [(receipt_hash(receipt, key_),)], "the receipt shown works"
                assert stored != [(lost,)], "the receipt nobody saw does not"
                deadline = time.monotonic() + 10  # written out, then marked seen
                while db_rows(data_dir, "SELECT * FROM unseen_closings"):
                    assert time.monotonic() < deadline, "the closing was never marked seen"
                    await asyncio.sleep(0.05)
                return str(reference), receipt

    reference, receipt = in_thread(scenario())
    assert db_rows(data_dir, "SELECT count(*) FROM queue") == [(1,)]
    assert reference.startswith("TL-")
    assert receipt
