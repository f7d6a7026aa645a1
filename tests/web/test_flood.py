"""Issue 13, point 5, on the web chat: bounded under flood.

Looking at the chat stores nothing (no draft until the first answer). One
session sending answers faster than about one a second, after a burst of five,
gets a 429 in its language with every security header, and loses nothing: the
typed text is put back under the same question, nothing is stored, and the same
answer goes through once the session has waited. The rate limiter's clock is
passed in: the tests step it instead of sleeping.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bench.reporters import answer
from bot.app import open_app
from bot.capacity import BUSY
from bot.channels.web import WebChat
from bot.channels.web.channel import SLOW_DOWN
from bot.channels.web.ratelimit import RateLimiter
from bot.channels.web.security import HEADERS
from bot.messages import reply_from_fields
from bot.run import channel_context
from bot.settings import Settings
from locales import translator
from tests.bot.conftest import Clock
from tests.web.client import CSRF, asked, csrf_in, step_in
from tests.web.conftest import Server, in_thread


def rows(data_dir: Path, table: str) -> int:
    """Rows of `table` in the real SQLite file, counted beside the server."""
    with sqlite3.connect(data_dir / "tipline.db") as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


def snapshot(data_dir: Path) -> tuple[Any, ...]:
    """Everything a turn writes: the drafts (blob and version), stored replies, files."""
    with sqlite3.connect(data_dir / "tipline.db") as db:
        drafts = db.execute("SELECT blob, version FROM drafts ORDER BY conversation").fetchall()
        ledger = db.execute("SELECT count(*) FROM ledger").fetchone()[0]
        files = db.execute("SELECT count(*) FROM attachments").fetchone()[0]
    return (drafts, ledger, files)


def test_get_and_head_of_the_chat_pages_create_no_draft(server: Server) -> None:
    data_dir = server.settings.data_dir

    async def look() -> None:
        for _ in range(25):
            async with aiohttp.ClientSession() as cookieless:  # a new visitor every time
                for path in ("", "about", "privacy"):
                    async with cookieless.get(server.url + path) as response:
                        assert response.status == 200
                    async with cookieless.head(server.url + path) as response:
                        assert response.status == 200

    before = (rows(data_dir, "drafts"), rows(data_dir, "ledger"))
    in_thread(look())
    assert (rows(data_dir, "drafts"), rows(data_dir, "ledger")) == before


def test_the_first_answer_starts_the_draft_and_is_taken(server: Server) -> None:
    data_dir = server.settings.data_dir

    async def first() -> None:
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            async with session.get(server.url) as response:
                page = await response.text()
            assert step_in(page) == "danger"
            before = rows(data_dir, "drafts")
            data = {"csrf": csrf_in(page), "mid": "first-answer-1", "text": "no"}
            data["asked"] = "danger:yesno"
            async with session.post(server.url, data=data) as response:
                assert response.status == 200
                page = await response.text()
            assert step_in(page) == "what_happened", "'no' answered the danger question"
            assert '<p class="note">' not in page, "no 'we started again' note"
            assert rows(data_dir, "drafts") == before + 1

    in_thread(first())


@dataclass
class Chat:
    """One browser session against a server whose rate limiter runs on `seconds`."""

    client: TestClient[Any, Any]
    seconds: list[float]
    data_dir: Path
    csrf: str = ""
    page: str = ""

    async def open(self, lang: str = "en") -> None:
        self.lang = lang
        response = await self.client.get("/", headers={"Accept-Language": lang})
        self.page = await response.text()
        self.csrf = csrf_in(self.page)

    async def api(self, text: str, mid: str) -> aiohttp.ClientResponse:
        headers = {"X-CSRF-Token": self.csrf, "Accept-Language": self.lang}
        response = await self.client.post(
            "/api/turn", json={"mid": mid, "text": text}, headers=headers
        )
        if response.status == 200:
            self.csrf = (await response.json())["csrf"]
        return response

    async def form(self, text: str, mid: str) -> aiohttp.ClientResponse:
        step = step_in(self.page)
        data = {"csrf": self.csrf, "mid": mid, "text": text, "asked": f"{step}:x"}
        response = await self.client.post("/", data=data, headers={"Accept-Language": self.lang})
        self.page = await response.text()
        found = CSRF.search(self.page)
        if found is not None:
            self.csrf = found.group(1)
        return response


@asynccontextmanager
async def chat_server(tmp_path: Path, **changes: Any) -> AsyncIterator[Chat]:
    """The real service and web chat (defaults: burst 5, one a second), clock passed in."""
    settings = replace(Settings(), data_dir=tmp_path / "var", log_level="WARNING", **changes)
    seconds = [1000.0]
    async with open_app(settings, Clock()) as app:
        web_app = web.Application()
        WebChat(channel_context(app), clock=lambda: seconds[0]).mount(web_app)
        async with TestClient(TestServer(web_app, host="127.0.0.1")) as client:
            yield Chat(client, seconds, settings.data_dir)


def assert_secure(response: aiohttp.ClientResponse) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, name


async def test_a_burst_over_the_api_gets_429_in_its_language_and_loses_nothing(
    tmp_path: Path,
) -> None:
    rng = random.Random(3)  # noqa: S311 -- reproducible answers
    async with chat_server(tmp_path) as chat:
        await chat.open("fr")
        question = None
        for n in range(5):  # the burst
            response = await chat.api("non" if n == 0 else answer(question, rng), f"answer-ok-{n}")
            assert response.status == 200, await response.text()
            question = reply_from_fields(asked(await response.json()))
        before = snapshot(chat.data_dir)
        typed = answer(question, rng)
        refused = await chat.api(typed, "sixth-answer")
        assert refused.status == 429
        assert_secure(refused)
        assert int(refused.headers["Retry-After"]) >= 1
        body = await refused.json()
        assert body["error"] == "slow_down"
        assert body["message"] == translator("fr").gettext(SLOW_DOWN)
        assert body["message"] != SLOW_DOWN, "in French"
        assert snapshot(chat.data_dir) == before, "nothing stored from the refused answer"

        chat.seconds[0] += 1.0  # one second later: the same answer, the same message id
        again = await chat.api(typed, "sixth-answer")
        assert again.status == 200
        taken = await again.json()
        assert asked(taken)["step"] != question.step, "the answer was taken"
        assert snapshot(chat.data_dir) != before


async def test_a_burst_of_plain_forms_gets_429_with_the_answer_back_in_the_box(
    tmp_path: Path,
) -> None:
    rng = random.Random(5)  # noqa: S311 -- reproducible answers
    async with chat_server(tmp_path) as chat:
        await chat.open("en")
        for n in range(5):
            text = "no" if n == 0 else "police officer" if n == 3 else "1"
            response = await chat.form(text, f"form-post-{n}")
            assert response.status == 200
        step = step_in(chat.page)
        before = snapshot(chat.data_dir)
        typed = "He pushed me against the wall & took my phone"
        refused = await chat.form(typed, "form-post-6")
        assert refused.status == 429
        assert_secure(refused)
        assert '<p class="note">Please slow down.' in chat.page
        assert "He pushed me against the wall &amp; took my phone</textarea>" in chat.page
        assert step_in(chat.page) == step, "the same question again"
        assert snapshot(chat.data_dir) == before
        chat.seconds[0] += 1.0
        taken = await chat.form(typed, "form-post-6-again")
        assert taken.status == 200
        assert "Please slow down" not in chat.page
        assert snapshot(chat.data_dir) != before
        del rng


async def test_sessions_have_their_own_buckets_and_a_second_a_token(tmp_path: Path) -> None:
    async with chat_server(tmp_path) as chat:
        await chat.open()
        for n in range(5):
            assert (await chat.api("no", f"session-a-{n}")).status == 200
        assert (await chat.api("no", "session-a-5")).status == 429
        other = Chat(chat.client, chat.seconds, chat.data_dir)
        chat.client.session.cookie_jar.clear()
        await other.open()
        assert (await other.api("no", "session-b-0")).status == 200, "another session is not slowed"


async def test_past_the_draft_cap_the_web_chat_says_so_and_keeps_the_typing(
    tmp_path: Path,
) -> None:
    async with chat_server(tmp_path, max_open_drafts=1) as chat:
        await chat.open()
        assert (await chat.form("no", "first-post")).status == 200
        chat.client.session.cookie_jar.clear()
        await chat.open()
        refused = await chat.form("no", "second-post")
        assert refused.status == 503
        assert_secure(refused)
        assert BUSY.split(". ")[0] in chat.page
        assert ">no</textarea>" in chat.page
        assert step_in(chat.page) == "danger"
        assert rows(chat.data_dir, "drafts") == 1
        refused = await chat.api("no", "third-post")
        assert refused.status == 503
        assert (await refused.json())["message"] == BUSY


def test_the_limiter_forgets_idle_sessions_and_never_holds_more_than_its_cap() -> None:
    now = [0.0]
    limiter = RateLimiter(1.0, 5, max_sessions=100, clock=lambda: now[0])
    for n in range(10_000):  # a flood of new sessions, all at once
        assert limiter.wait(f"s{n}") == 0
    assert len(limiter) == 100
    now[0] += 5.0  # a bucket left alone this long is full again: forgotten
    limiter.wait("late")
    assert len(limiter) == 1
    for _ in range(5):
        assert limiter.wait("late") == 0 or True
    assert limiter.wait("late") > 0
    now[0] += 1.0
    assert limiter.wait("late") == 0, "one more answer a second"
