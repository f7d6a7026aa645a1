"""`tipline review ui` in real Chromium: the queue, a report with its photo, notes, status,
matching, the PDF; no page has an axe-core violation; no one but its opener gets in."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from playwright.sync_api import Browser, Page

from bot.app import open_app
from bot.review import reviewer_record
from bot.review.server import start_review_api
from bot.settings import Settings
from handoff.envelope import seal
from handoff.reporter import reporter_key
from handoff.thread import open_message
from handoff.workstation.client import HttpQueue, log_in
from handoff.workstation.ui import Guard, ReviewUi, build_ui
from store import SealedReport, TurnCommit
from tests.bot.conftest import NOW, Clock
from tests.bot.test_media import encode, picture
from tests.handoff.test_evidence import entry
from tests.review.conftest import Harness
from tests.web.conftest import axe_violations, browser, free_port, playwright

__all__ = ["browser", "playwright"]  # the browser fixtures, shared with tests/web

PHOTO = encode(picture((64, 48)), "JPEG")
# The key a reporter's secret code derives (cost lowered: what is tested is who opens what).
REPORTER = reporter_key("1111 2222 3333 4444", b"p" * 32, n=2**10)
OFFICER = [
    {
        "step": "force",
        "kind": "text",
        "summary": "Police force",
        "value": {"text": "the met", "match": "Metropolitan Police Service"},
        "display": "Metropolitan Police Service",
    },
    {
        "step": "officer_name",
        "kind": "text",
        "summary": "Their name",
        "value": "PC Dawson",
        "display": "PC Dawson",
    },
]


@dataclass
class Ui:
    url: str
    launch: str
    files: Path
    data_dir: Path


def _report(reference: str, what: str, files: list[dict[str, Any]]) -> dict[str, Any]:
    answers = [
        {
            "step": "what_happened",
            "kind": "text",
            "summary": "What happened",
            "value": what,
            "display": what,
        },
        *OFFICER,
    ]
    return {
        "format": 2,
        "reference": reference,
        "locale": "en",
        "answers": answers,
        "attachments": files,
    }


@pytest.fixture(scope="module")
def ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ui]:
    root = tmp_path_factory.mktemp("ui")
    port, api_port = free_port(), free_port()
    ready, stop = threading.Event(), threading.Event()
    box: dict[str, Any] = {}

    async def main() -> None:
        clock = Clock(NOW)
        settings = replace(Settings(), data_dir=root / "var", review_port=api_port)
        async with open_app(settings, clock) as app:
            api = await start_review_api(app.store, app.keys, settings, clock)
            async with aiohttp.ClientSession() as session:
                harness = Harness(app, clock, f"http://127.0.0.1:{api_port}", session, root)
                alice, bob = await harness.enrol("alice"), await harness.enrol("bob")
                record = reviewer_record(alice.key, "alice", NOW)
                bob_record = reviewer_record(bob.key, "bob", NOW)
                body = _report(
                    "TL-PH0T-0001", "He hit me; the photo shows it.", [entry(PHOTO, "image/jpeg")]
                )
                envelope = seal(
                    json.dumps(body).encode(),
                    [record, bob_record],
                    reference="TL-PH0T-0001",
                    script_id="police-misconduct",
                    script_version="3",
                    priority=1,
                    sealed_at=NOW,
                    files=(PHOTO,),
                )
                await harness.enqueue(
                    "TL-PH0T-0001", envelope, [alice.key.key_id, bob.key.key_id], priority=1
                )
                await harness.seal(
                    "TL-SAME-0002",
                    [alice, bob],
                    report=_report("TL-SAME-0002", "Same officer again.", []),
                )
                asking = _report("TL-ASK0-0003", "He followed me home.", [])
                sealed = seal(
                    json.dumps(asking).encode(),
                    [record, bob_record],
                    reference="TL-ASK0-0003",
                    script_id="police-misconduct",
                    script_version="3",
                    priority=0,
                    sealed_at=NOW,
                )
                row = SealedReport("TL-ASK0-0003", sealed, 0, NOW, b"receipt-3",
                                   "police-misconduct", "3", (alice.key.key_id, bob.key.key_id),
                                   0, REPORTER.public.to_bytes())  # fmt: skip
                commit = TurnCommit(b"c3", 0, None, None, b"l3", b"reply",
                                    NOW + timedelta(days=1), row)  # fmt: skip
                await app.store.commit_turn(commit, NOW)
                login = await log_in(session, harness.url, alice.key, alice.code(clock))
                guard = Guard(port)
                view = ReviewUi(
                    HttpQueue(session, login),
                    alice.key,
                    root / "alice.index",
                    root / "evidence",
                    guard,
                    clock,
                )
                runner = web.AppRunner(build_ui(view), access_log=None)  # as serve.py runs it
                await runner.setup()
                await web.TCPSite(runner, "127.0.0.1", port).start()
                box["ui"] = Ui(
                    f"http://127.0.0.1:{port}", guard.launch, root / "evidence", root / "var"
                )
                ready.set()
                await asyncio.to_thread(stop.wait)
                await runner.cleanup()
            await api.cleanup()

    thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
    thread.start()
    assert ready.wait(60), "the review UI did not start"
    yield box["ui"]
    stop.set()
    thread.join(30)


@pytest.fixture
def page(browser: Browser, ui: Ui) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(f"{ui.url}/?t={ui.launch}")
    yield page
    context.close()


def test_the_queue_lists_urgent_first_with_deadlines_and_no_axe_violation(page: Page) -> None:
    rows = page.locator("tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).inner_text().startswith("TL-PH0T-0001\tUrgent")
    assert "acknowledge by 2026-11-30 14:00" in rows.nth(1).inner_text()
    assert axe_violations(page) == []


def test_a_report_shows_its_photo_notes_matches_and_takes_a_status(page: Page, ui: Ui) -> None:
    page.click("text=TL-PH0T-0001")
    assert "He hit me; the photo shows it." in page.inner_text("main")
    width = page.evaluate("document.querySelector('figure img').naturalWidth")
    assert width == 64, "the photo is decrypted here and shown"
    assert axe_violations(page) == []
    page.fill("#note", "Photo checked; bruising visible.")
    page.click("text=Add the note")
    assert "Note added, sealed to every reviewer" in page.inner_text("main")
    assert "Photo checked; bruising visible." in page.inner_text("main")
    page.select_option("#status", "acknowledged")
    page.click("text=Set the status")
    assert "Status: acknowledged" in page.inner_text("main")
    page.goto(f"{ui.url}/report/TL-SAME-0002")
    assert "TL-PH0T-0001: same force and a close match of the name" in page.inner_text("main")
    with page.expect_download() as download:
        page.click("text=Download the PDF")
    assert download.value.suggested_filename == "TL-SAME-0002.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    assert axe_violations(page) == []
    database = (ui.data_dir / "tipline.db").read_bytes()
    assert b"bruising" not in database, "the note left this machine sealed"


def test_a_question_to_the_reporter_is_sealed_here_and_shown_unanswered(page: Page, ui: Ui) -> None:
    page.goto(f"{ui.url}/report/TL-ASK0-0003")
    assert "No messages yet." in page.inner_text("main")
    page.fill("#ask", "Which road was it? canary-ui-31")
    page.click("text=Send the question")
    main = page.inner_text("main")
    assert "Question sent, sealed to the reporter's secret code" in main
    assert "Which road was it? canary-ui-31" in main
    assert "not read yet" in main
    assert "The reporter has not answered the last question yet." in main
    assert axe_violations(page) == []
    page.goto(f"{ui.url}/")
    row = page.locator("tbody tr", has_text="TL-ASK0-0003")
    assert "question unanswered" in row.inner_text()
    with sqlite3.connect(ui.data_dir / "tipline.db") as db:
        [(envelope,)] = db.execute("SELECT envelope FROM thread").fetchall()
    assert b"canary-ui-31" not in envelope
    assert "canary-ui-31" in open_message(envelope, REPORTER, "TL-ASK0-0003").text


def test_evidence_is_saved_with_safe_names_only_when_asked(page: Page, ui: Ui) -> None:
    page.goto(f"{ui.url}/report/TL-PH0T-0001")
    assert not ui.files.exists()
    page.click("text=Save the files to this computer")
    assert [p.name for p in ui.files.iterdir()] == ["TL-PH0T-0001-1.jpg"]
    assert (ui.files / "TL-PH0T-0001-1.jpg").read_bytes() == PHOTO


def _status(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def test_nobody_but_the_opener_gets_in(page: Page, ui: Ui) -> None:
    assert _status(f"{ui.url}/") == 403, "no session cookie"
    assert _status(f"{ui.url}/?t=guessed") == 403
    cookie = page.context.cookies()[0]
    assert (cookie["httpOnly"], cookie["sameSite"]) == (True, "Strict")
    session = {"Cookie": f"{cookie['name']}={cookie['value']}"}
    assert _status(f"{ui.url}/", headers=session) == 200
    rebound = {**session, "Host": "evil.example:80"}
    assert _status(f"{ui.url}/", headers=rebound) == 421, "a DNS-rebound page is refused"
    forged = _status(f"{ui.url}/report/TL-PH0T-0001/release", b"csrf=nope", session)
    assert forged == 403, "a form without the page's CSRF token"
    response = page.goto(f"{ui.url}/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src" not in policy
    assert "default-src 'none'" in policy
