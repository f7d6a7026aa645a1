"""A newcomer's first minute: `tipline run`, a report in the browser, `tipline review next`."""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pyotp

from bench.reporters import answer
from bot.app import open_store
from bot.messages import reply_from_fields
from bot.review.demo import ensure_demo_key
from bot.service import utcnow
from bot.settings import Settings
from tests.web.client import HttpChat, asked
from tests.web.conftest import free_port, in_thread

TIPLINE = [sys.executable, "-m", "bot.cli"]
ACCOUNT = "The desk sergeant told me my complaint would vanish unless I paid him."


def test_first_run_makes_a_labelled_demo_key_that_opens_a_web_report(tmp_path: Path) -> None:
    in_thread(first_run(tmp_path))


async def first_run(tmp_path: Path) -> None:
    port, review_port = free_port(), free_port()
    env = {
        **os.environ,
        "TIPLINE_DATA_DIR": str(tmp_path / "var"),
        "TIPLINE_PORT": str(port),
        "TIPLINE_REVIEW_PORT": str(review_port),
        "TIPLINE_WEB_ANSWER_BURST": "1000",  # this reporter answers at machine speed
    }
    env.pop("TIPLINE_REVIEWER_PASSPHRASE", None)
    server = await asyncio.create_subprocess_exec(
        *TIPLINE, "run", env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
    )
    assert server.stdout is not None
    printed = ""
    try:
        while "Tipline is running at" not in printed:
            line = await asyncio.wait_for(server.stdout.readline(), 60)
            assert line, f"tipline run stopped: {printed}"
            printed += line.decode()
        assert "DEMO reviewer key" in printed
        assert "NOT for real reports" in printed
        assert f"http://127.0.0.1:{port}/" in printed
        passphrase = re.search(r"passphrase: (\S+)", printed)
        assert passphrase is not None

        async with HttpChat.session_for() as session:
            chat = HttpChat(f"http://127.0.0.1:{port}/", session)
            await chat.open()
            await chat.turn("no")
            turn = await chat.turn(ACCOUNT)
            rng = random.Random(1)  # noqa: S311 -- reproducible answers
            while not turn["ended"]:
                question = reply_from_fields(asked(turn))
                text = "done" if question.expects == "attachment" else answer(question, rng)
                turn = await chat.turn(text)
            assert turn["reference"] is not None

        # The walk-through `tipline run` printed: log in to the reviewer API, read it.
        totp = re.search(r"otpauth://totp/\S+", printed)
        assert totp is not None
        key = str(tmp_path / "var" / "demo-reviewer.key")
        reviewer = {
            **env,
            "TIPLINE_REVIEWER_PASSPHRASE": passphrase.group(1),
            "TIPLINE_SERVER_URL": f"http://127.0.0.1:{review_port}",
            "TIPLINE_REVIEWER_TOTP": pyotp.parse_uri(totp.group(0)).now(),
        }
        for command in (["login"], ["next"]):
            review = await asyncio.create_subprocess_exec(
                *TIPLINE,
                "review",
                *command,
                "--key",
                key,
                env=reviewer,
                stdout=asyncio.subprocess.PIPE,
            )
            out, _ = await asyncio.wait_for(review.communicate(), 60)
            assert review.returncode == 0, out
        # The README's next step: the report just sent, opened again by its reference.
        again = await asyncio.create_subprocess_exec(
            *TIPLINE, "review", "open", turn["reference"], "--key", key,
            env=reviewer,
            stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        reopened, _ = await asyncio.wait_for(again.communicate(), 60)
        assert again.returncode == 0, reopened
        assert ACCOUNT in reopened.decode()
    finally:
        server.send_signal(signal.SIGTERM)
        await asyncio.wait_for(server.wait(), 30)
    assert ACCOUNT in out.decode()
    assert turn["reference"] in out.decode()
    assert "WARNING: a DEMO reviewer key is active" in printed


def test_no_demo_key_for_a_server_that_listens_beyond_this_machine(tmp_path: Path) -> None:
    in_thread(no_demo_key(tmp_path))


async def no_demo_key(tmp_path: Path) -> None:
    settings = replace(Settings(), data_dir=tmp_path / "var", host="0.0.0.0")  # noqa: S104
    async with open_store(settings) as (keys, store):
        assert await ensure_demo_key(store, settings, keys, utcnow()) is None
        local = replace(settings, host="127.0.0.1")
        made = await ensure_demo_key(store, local, keys, utcnow())
        assert made is not None
        assert made.key_file.exists()
        assert await ensure_demo_key(store, local, keys, utcnow()) is None  # once only
        (record,) = await store.reviewer_keys()
        assert "DEMO" in record.label


def start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TIPLINE, "run"], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_a_busy_port_is_one_line_and_exit_1_and_nothing_is_written(tmp_path: Path) -> None:
    """No traceback, and no data folder, server secret or DEMO key for a server that never ran."""
    data_dir = tmp_path / "var"
    with socket.create_server(("127.0.0.1", 0)) as taken:
        env = {**os.environ, "TIPLINE_DATA_DIR": str(data_dir)}
        env["TIPLINE_PORT"] = str(taken.getsockname()[1])
        done = start(env)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("error: cannot listen on 127.0.0.1:")
    assert "Address already in use" in done.stderr
    assert not data_dir.exists()


def test_a_data_folder_that_cannot_be_made_is_one_line_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    env = {**os.environ, "TIPLINE_DATA_DIR": str(tmp_path / "a-file" / "var")}
    env["TIPLINE_PORT"] = str(free_port())
    done = start(env)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("error: cannot start:")
    assert "Traceback" not in done.stderr
