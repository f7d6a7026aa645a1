"""The real `tipline run` server (in a thread, on a random port) and real headless Chromium.

One server serves the whole web suite: a temporary data directory, a reviewer
key registered by the test (so every sealed report can be opened and checked),
and a stand-in "neutral site" on another local port for Quick exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiohttp import web
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from bot.app import open_store
from bot.review import reviewer_record as reviewer_key_record
from bot.run import serve
from bot.service import utcnow
from bot.settings import Settings
from handoff.envelope import OpenedBody, open_sealed
from handoff.workstation import ReviewerPrivateKey

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parents[2] / ".cache/node/node_modules/axe-core/axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
NEUTRAL_TITLE = "Weather forecast"
OPERATOR = "Example Police Accountability Trust"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
T = TypeVar("T")


def in_thread(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro` on its own event loop in another thread.

    Sync Playwright keeps an event loop in the test thread for the whole session,
    so the suite's HTTP-level tests run their aiohttp clients beside it, not in it.
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    exit_url: str
    settings: Settings
    key: ReviewerPrivateKey
    exit_visits: list[str | None]  # the Referer header of each visit to the neutral site

    async def opened_async(self) -> dict[str, OpenedBody]:
        """Every sealed report in the queue by reference, opened with the reviewer's key."""
        async with open_store(self.settings) as (_keys, store):
            rows = await store.queue()
        return {row.reference: open_sealed(row.envelope, self.key) for row in rows}

    def opened(self, reference: str) -> OpenedBody:
        return in_thread(self.opened_async())[reference]

    def report(self, reference: str) -> dict[str, Any]:
        report: dict[str, Any] = json.loads(self.opened(reference).report)
        return report


async def _run(
    settings: Settings, neutral_port: int, ready: threading.Event, visits: list[str | None]
) -> None:
    neutral = web.Application()

    async def weather(request: web.Request) -> web.Response:
        visits.append(request.headers.get("Referer"))
        page = f"<!doctype html><title>{NEUTRAL_TITLE}</title><h1>{NEUTRAL_TITLE}</h1>"
        return web.Response(text=page, content_type="text/html")

    neutral.router.add_get("/", weather)
    runner = web.AppRunner(neutral, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", neutral_port).start()
    started = asyncio.Event()
    task = asyncio.create_task(serve(settings, started))
    await started.wait()
    ready.set()
    try:
        await task
    finally:
        await runner.cleanup()


@contextlib.contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """Another real `tipline run` (its own settings) in a thread, for as long as needed."""
    ready = threading.Event()
    box: dict[str, Any] = {}

    async def main() -> None:
        box["loop"], box["task"] = asyncio.get_running_loop(), asyncio.current_task()
        started = asyncio.Event()
        running = asyncio.create_task(serve(settings, started))
        await started.wait()
        ready.set()
        await running

    def run() -> None:
        with contextlib.suppress(asyncio.CancelledError):
            asyncio.run(main())

    thread = threading.Thread(target=run, name="tipline-web-extra", daemon=True)
    thread.start()
    assert ready.wait(30), "the server did not start"
    try:
        yield f"http://127.0.0.1:{settings.port}/"
    finally:
        box["loop"].call_soon_threadsafe(box["task"].cancel)
        thread.join(30)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("web") / "var"
    neutral_port = free_port()
    exit_url = f"http://127.0.0.1:{neutral_port}/"
    settings = replace(
        Settings(),
        data_dir=data_dir,
        port=free_port(),
        review_port=free_port(),
        quick_exit_url=exit_url,
        onion_address="tiplineexampleonionaddressxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion",
        max_upload_bytes=5 * 2**20,
        log_level="WARNING",
        operator_name=OPERATOR,
        # Test reporters answer at machine speed; tests/web/test_flood.py sets its own limit.
        web_answer_burst=1_000_000,
    )
    key = ReviewerPrivateKey.generate()

    async def register() -> None:
        async with open_store(settings) as (_keys, store):
            await store.add_reviewer_key(reviewer_key_record(key, "web-tests", utcnow()), utcnow())

    asyncio.run(register())
    ready = threading.Event()
    box: dict[str, Any] = {}
    visits: list[str | None] = []

    async def main() -> None:
        box["loop"], box["task"] = asyncio.get_running_loop(), asyncio.current_task()
        await _run(settings, neutral_port, ready, visits)

    def run() -> None:
        # asyncio.run also cancels whatever the server left running (open connections).
        with contextlib.suppress(asyncio.CancelledError):
            asyncio.run(main())

    thread = threading.Thread(target=run, name="tipline-web", daemon=True)
    thread.start()
    assert ready.wait(30), "the server did not start"
    yield Server(f"http://127.0.0.1:{settings.port}/", exit_url, settings, key, visits)
    box["loop"].call_soon_threadsafe(box["task"].cancel)
    thread.join(30)


# Module scope, not session: Playwright's sync API keeps an event loop running
# while it is open, and async tests in other folders must not run inside it.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@contextlib.contextmanager
def opened_page(browser: Browser, url: str, **options: Any) -> Iterator[Page]:
    """`url` in a fresh browser context (its own cookies), closed afterwards even on failure."""
    context = browser.new_context(**options)
    try:
        page = context.new_page()
        page.goto(url)
        yield page
    finally:
        context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0-2.2 A and AA, and best practices) on the page as it is now."""
    # evaluate() is not subject to the page's CSP; an injected <script> tag would be.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: "tag", values:
             ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})"""
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]
    ]


def receipt_in_view(page: Page) -> bool:
    """The reference and receipt box is wholly on the screen, not under the sticky top bar."""
    return bool(
        page.evaluate(
            """() => {
              const box = document.getElementById("codes").getBoundingClientRect();
              const bar = document.querySelector("header.bar").getBoundingClientRect();
              return box.top >= bar.bottom && box.bottom <= window.innerHeight;
            }"""
        )
    )


def shot(page: Page, name: str) -> None:
    """What the screen shows now, kept as a test artifact: test-artifacts/web/<name>.png."""
    path = ARTIFACTS / "web" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path)
