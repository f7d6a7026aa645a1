"""Issue 13, point 5, in the service: no draft until the first answer, and global caps.

Past `TIPLINE_MAX_OPEN_DRAFTS`, `TIPLINE_MAX_EVIDENCE_TOTAL_MB` or the free-disk
floor, a new conversation or a file is refused with words that say so, nothing
is stored, the drafts already going on keep working, and one event is logged
(no content, no ids). The disk's free space is passed in, so a full disk is
simulated without filling one.
"""

from __future__ import annotations

import asyncio
import io
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, open_app
from bot.capacity import BUSY, FILES_FULL
from bot.channels.terminal import run_chat
from bot.messages import Attachment, Inbound
from bot.review import reviewer_record as reviewer_key_record
from bot.service import Conversations
from bot.settings import Settings
from handoff.workstation import ReviewerPrivateKey
from locales import translator
from tests.bot.conftest import NOW, Clock
from tests.bot.driver import Talk
from tests.bot.test_evidence import FileTalk, photo_with_gps
from tests.bot.test_paths import ANONYMOUS

GB = 2**30


def drafts_in(data_dir: Path) -> int:
    """Draft rows in the real SQLite file, counted beside the server."""
    with sqlite3.connect(data_dir / "tipline.db") as db:
        return int(db.execute("SELECT count(*) FROM drafts").fetchone()[0])


def files_in(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "tipline.db") as db:
        return int(db.execute("SELECT count(*) FROM attachments").fetchone()[0])


class Disk:
    """Free space the test sets: the data folder's disk, as the service measures it."""

    def __init__(self, free: int = 100 * GB) -> None:
        self.free = free
        self.asked: list[Path] = []

    def __call__(self, path: Path, /) -> int:
        self.asked.append(path)
        return self.free


@asynccontextmanager
async def tipline(
    tmp_path: Path, disk: Disk | None = None, **changes: Any
) -> AsyncIterator[tuple[App, Conversations]]:
    settings = replace(Settings(), data_dir=tmp_path / "var", **changes)
    async with open_app(settings, Clock()) as app:
        key = ReviewerPrivateKey.generate()
        await app.store.add_reviewer_key(reviewer_key_record(key, "test", NOW), NOW)
        free: Callable[[Path], int] = disk or Disk()
        conversations = Conversations(
            app.store, app.dialogs, app.keys, settings, clock=app.clock, free_space=free
        )
        yield app, conversations


async def test_opening_the_chat_stores_nothing_until_the_first_answer(tmp_path: Path) -> None:
    async with tipline(tmp_path) as (app, conversations):
        for n in range(50):
            opened = await conversations.handle(Inbound("web", f"visitor-{n}", None, None))
            assert opened.started
            assert "danger" in opened.replies[-1].text
        assert drafts_in(app.settings.data_dir) == 0
        talk = Talk(conversations)
        await talk.open()
        await talk.send("no")  # the first answer: the draft begins
        assert drafts_in(app.settings.data_dir) == 1


async def test_past_the_draft_cap_new_reporters_are_told_to_try_later_and_others_go_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with tipline(tmp_path, max_open_drafts=2) as (app, conversations):
        alice, bob, carol = Talk(conversations), Talk(conversations), Talk(conversations)
        await alice.until("category", ANONYMOUS)
        await bob.until("category", ANONYMOUS)
        with caplog.at_level(logging.INFO):
            for _ in range(3):
                refused = await carol.send("hello")
                assert refused.refused
                assert not refused.started
                assert carol.text == BUSY
                assert "try again later" in carol.text
        assert drafts_in(app.settings.data_dir) == 2, "nothing stored for the refused reporter"
        events = [r for r in caplog.records if r.name == "tipline.capacity"]
        assert [r.getMessage() for r in events] == ["draft_cap_reached"], "one, not three"
        assert not events[0].args, "nothing but the event's name"
        await alice.send("1")
        assert alice.step == "who_role", "an existing draft keeps working"
        await bob.until(None, ANONYMOUS)  # bob's report is sealed: his draft is gone
        await carol.send("hello")
        assert carol.step == "danger", "room again: the new reporter starts"


async def test_the_refusal_is_in_the_reporters_language(tmp_path: Path) -> None:
    async with tipline(tmp_path, max_open_drafts=1) as (_app, conversations):
        await Talk(conversations).until("category", ANONYMOUS)
        refused = await conversations.handle(Inbound("test", "fr-1", "m1", "bonjour", "fr"))
        [said] = refused.replies
        assert said.text == translator("fr").gettext(BUSY)
        assert said.text != BUSY


async def test_a_nearly_full_disk_refuses_new_drafts_and_files_but_text_answers_go_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    disk = Disk()
    async with tipline(tmp_path, disk) as (app, conversations):
        talk = FileTalk(conversations)
        await talk.until("evidence_files", ANONYMOUS)
        disk.free = 100 * 2**20  # under the 512 MB floor
        with caplog.at_level(logging.INFO):
            newcomer = await conversations.handle(Inbound("test", "new", "m1", "hello"))
            await talk.send_files(Attachment("image/jpeg", photo_with_gps(), "a.jpg"))
        assert newcomer.refused
        assert newcomer.replies[0].text == BUSY
        assert FILES_FULL in talk.text
        assert talk.step == "evidence_files", "the same question again"
        assert files_in(app.settings.data_dir) == 0
        assert drafts_in(app.settings.data_dir) == 1
        assert disk.asked[-1] == app.settings.data_dir
        assert "disk_low_refused" in [r.getMessage() for r in caplog.records]
        await talk.send("done")
        assert talk.step != "evidence_files", "text answers still go on"
        await talk.until(None, ANONYMOUS)
        assert talk.last is not None
        assert talk.last.reference is not None, "the report is still sent"


async def test_past_the_evidence_cap_files_are_refused_and_the_draft_is_untouched(
    tmp_path: Path,
) -> None:
    photo = photo_with_gps()
    async with tipline(tmp_path, max_evidence_total_bytes=len(photo) + 10) as (
        app,
        conversations,
    ):
        first = FileTalk(conversations)
        await first.until("evidence_files", ANONYMOUS)
        await first.send_files(Attachment("image/jpeg", photo, "a.jpg"))
        assert "files so far: 1" in first.text
        assert files_in(app.settings.data_dir) == 1
        second = FileTalk(conversations)
        await second.until("evidence_files", ANONYMOUS)
        await second.send_files(Attachment("image/jpeg", photo, "b.jpg"))
        assert FILES_FULL in second.text
        assert "files so far" not in second.text
        assert files_in(app.settings.data_dir) == 1, "the first reporter's file is kept"
        await second.send("done")
        await second.until(None, ANONYMOUS)
        assert second.last is not None
        assert second.last.reference is not None


async def test_uploads_at_the_same_moment_cannot_pass_the_evidence_cap_together(
    tmp_path: Path,
) -> None:
    photo = photo_with_gps()
    cap = 2 * len(photo) + 10
    async with tipline(tmp_path, max_evidence_total_bytes=cap) as (app, conversations):
        talks = [FileTalk(conversations) for _ in range(4)]
        for talk in talks:
            await talk.until("evidence_files", ANONYMOUS)
        await asyncio.gather(
            *(t.send_files(Attachment("image/jpeg", photo, "a.jpg")) for t in talks)
        )
        kept = [t for t in talks if "files so far: 1" in t.text]
        refused = [t for t in talks if FILES_FULL in t.text]
        assert (len(kept), len(refused)) == (2, 2)
        assert files_in(app.settings.data_dir) == 2


async def test_the_terminal_takes_the_first_answer_and_says_when_it_is_full(
    tmp_path: Path,
) -> None:
    async with tipline(tmp_path) as (app, conversations):
        out = io.StringIO()
        await run_chat(conversations, "term-1", "en", io.StringIO("no\n"), out)
        assert out.getvalue().count("danger") == 1, "the welcome once; 'no' answered it"
        assert drafts_in(app.settings.data_dir) == 1
    async with tipline(tmp_path / "full", Disk(0)) as (app, conversations):
        out = io.StringIO()
        await run_chat(conversations, "term-2", "en", io.StringIO("no\n"), out)
        assert BUSY in out.getvalue()
        assert drafts_in(app.settings.data_dir) == 0


def test_cap_settings_are_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "TIPLINE_MAX_OPEN_DRAFTS": "250",
            "TIPLINE_MAX_EVIDENCE_TOTAL_MB": "64",
            "TIPLINE_MIN_FREE_DISK_MB": "1024",
            "TIPLINE_WEB_ANSWERS_PER_SECOND": "2",
            "TIPLINE_WEB_ANSWER_BURST": "8",
        }
    )
    assert settings.max_open_drafts == 250
    assert settings.max_evidence_total_bytes == 64 * 2**20
    assert settings.min_free_disk_bytes == 1024 * 2**20
    assert (settings.web_answers_per_second, settings.web_answer_burst) == (2.0, 8)
    defaults = Settings.from_env({})
    assert defaults.max_open_drafts == 10_000
    assert defaults.max_evidence_total_bytes == 2048 * 2**20
    assert defaults.min_free_disk_bytes == 512 * 2**20
