"""When the Bot API fails, Tipline keeps running and tells the reporter plainly what happened.

The fake Bot API is made to fail on demand (an error, a 429, nonsense, a poll
answered at once); every test here failed before the channel handled that case.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.channels.telegram import _text as say
from bot.run import serve
from bot.settings import Settings
from locales import translator
from tests.bot.test_media import encode, picture
from tests.fakes.telegram_api import TOKEN, FakeTelegram
from tests.telegram.conftest import Tipline, free_socket, running
from tests.telegram.driver import Reporter, button, step_of
from tests.telegram.test_conversation import ANSWERS

MULTI = Path(__file__).parent / "multi.yaml"


def _events(caplog: pytest.LogCaptureFixture, message: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage() == message]


# -- the command menu at start-up -------------------------------------------------------


@pytest.mark.parametrize(
    "breaks",
    [
        lambda fake: fake.fail("setMyCommands", 500, "Internal Server Error", times=None),
        lambda fake: fake.fail(
            "setMyCommands", 429, "Too Many Requests: retry after 5", 5, times=None
        ),
        lambda fake: fake.garble("setMyCommands", times=None),
        # Held past the client's 10 s read timeout (this case takes that long).
        lambda fake: fake.stall("setMyCommands", 12.0, times=None),
    ],
    ids=["500", "429", "not-json", "timeout"],
)
async def test_tipline_run_starts_and_serves_when_set_my_commands_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, breaks: Callable[[FakeTelegram], None]
) -> None:
    fake = FakeTelegram()
    await fake.start()
    breaks(fake)
    with free_socket() as sock:
        port = sock.getsockname()[1]
    settings = replace(
        Settings.from_env({"TIPLINE_TELEGRAM_TOKEN": TOKEN, "TIPLINE_TELEGRAM_API_URL": fake.url}),
        data_dir=tmp_path / "var",
        port=port,
    )
    ready = asyncio.Event()
    caplog.set_level(logging.INFO)
    server = asyncio.create_task(serve(settings, ready))
    try:
        await asyncio.wait_for(ready.wait(), 30)
        reporter = Reporter(fake, 7101)
        first = await reporter.start()
        assert step_of(first.text) == "danger", "the channel serves without its menu"
    finally:
        server.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await server
        await fake.close()
    failed = _events(caplog, "telegram_menu_failed")
    assert failed, "logged"
    assert all(r.exc_info is None for r in failed), "one line a failure, no traceback"
    assert not [r for r in caplog.records if r.exc_info], "no traceback anywhere"


async def test_a_failed_menu_is_registered_later_with_growing_waits(tmp_path: Path) -> None:
    fake = FakeTelegram()
    await fake.start()
    fake.fail("setMyCommands", 500, "Internal Server Error", times=3)
    fake.fail("setMyCommands", 429, "Too Many Requests: retry after 9", 9)
    try:
        async with running(tmp_path, "polling", fake=fake) as tg:
            reporter = Reporter(fake, 7102)
            assert step_of((await reporter.start()).text) == "danger"
            await fake.wait_for(lambda: "" in fake.commands)
            menus = set(fake.commands)
            assert len(menus) > 20, "every language's menu, in the end"
            waits = [s for s in tg.sleeps if s != 9.0]
            assert waits[:3] == sorted(waits[:3]), "each wait after an error is longer"
            assert waits[0] < waits[2]
            assert 9.0 in tg.sleeps, "a 429 is waited out for its retry_after"
    finally:
        await fake.close()


# -- polling ---------------------------------------------------------------------------


async def test_a_server_answering_every_poll_at_once_is_not_polled_in_a_busy_loop(
    tmp_path: Path,
) -> None:
    fake = FakeTelegram()
    await fake.start()
    fake.long_poll = False  # getUpdates answers [] at once, whatever timeout is asked
    try:
        async with running(tmp_path, "polling", fake=fake, real_sleep=True):
            before = fake.count("getUpdates")
            await asyncio.sleep(1.0)
            polls = fake.count("getUpdates") - before
            assert polls <= 5, f"{polls} polls in one second"
            reporter = Reporter(fake, 7103)
            first = await reporter.start()
            assert step_of(first.text) == "danger", "updates still come"
    finally:
        await fake.close()


@pytest.mark.parametrize(
    "breaks",
    [
        lambda fake: fake.fail("getUpdates", 400, "Bad Request: wrong offset", times=3),
        lambda fake: fake.fail("getUpdates", 500, "Internal Server Error", times=3),
        lambda fake: fake.garble("getUpdates", times=3),
        lambda fake: fake.garble("getUpdates", b'{"ok": true, "result": "x"}', times=3),
    ],
    ids=["400", "500", "not-json", "wrong-shape"],
)
async def test_failed_polls_are_backed_off_and_polling_goes_on(
    tmp_path: Path, breaks: object, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeTelegram()
    await fake.start()
    caplog.set_level(logging.INFO)
    try:
        async with running(tmp_path, "polling", fake=fake) as tg:
            breaks(fake)  # type: ignore[operator]
            reporter = Reporter(fake, 7104)
            first = await reporter.start()
            assert step_of(first.text) == "danger", "polling goes on after failed polls"
            assert len(tg.sleeps) >= 3
            assert tg.sleeps[:3] == sorted(tg.sleeps[:3]), "each wait is longer"
            assert tg.sleeps[0] < tg.sleeps[2]
    finally:
        await fake.close()
    assert not [r for r in caplog.records if r.exc_info], "no traceback"
    assert not [r for r in caplog.records if "7104" in r.getMessage()], "no chat id logged"


# -- the wipe --------------------------------------------------------------------------


async def test_a_wipe_whose_deletions_all_fail_says_so_and_how_to_delete_by_hand(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with running(tmp_path, "polling") as tg:
        reporter = Reporter(tg.fake, 7105)
        offer = await reporter.until(None, ANSWERS, buttons=True)
        total = len(reporter.chat.live)
        tg.fake.fail("deleteMessages", 400, "Bad Request: message can't be deleted", times=None)
        await reporter.user.press(offer, "w")
        await tg.settle()
        told = reporter.user.last.text or ""
    assert "The messages are deleted" not in told
    assert f"{total} of {total}" in told, told
    assert "Delete chat" in told, "how to delete them by hand"
    assert "press and hold" in told
    [wiped] = _events(caplog, "telegram_wiped")
    assert wiped.count == 0, "the log counts real deletions"  # type: ignore[attr-defined]


async def test_a_wipe_with_some_deletions_failing_says_exactly_how_many(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with running(tmp_path, "polling") as tg:
        reporter = Reporter(tg.fake, 7106)
        await reporter.start()
        for _ in range(40):  # over 100 messages: the wipe deletes them 100 at a time
            await reporter.say("help")
        offer = await reporter.until(None, ANSWERS, buttons=True)
        total = len(reporter.chat.live)
        assert total > 100
        tg.fake.fail("deleteMessages", 400, "Bad Request: message can't be deleted")
        await reporter.user.press(offer, "w")
        await tg.settle()
        told = reporter.user.last.text or ""
        left = len(reporter.chat.live)
    assert f"100 of {total}" in told, told
    assert left == 101, "the 100 it could not delete, and what it said about them"
    [wiped] = _events(caplog, "telegram_wiped")
    assert wiped.count == total - 100  # type: ignore[attr-defined]


# -- files -----------------------------------------------------------------------------


async def test_a_photo_telegram_will_not_give_is_asked_again_and_its_caption_read(
    tmp_path: Path,
) -> None:
    """The reporter is told, and the words they wrote with it are not lost: read as typed."""
    async with running(tmp_path, "polling") as tg:
        reporter = Reporter(tg.fake, 7107)
        await reporter.until("category", ANSWERS, buttons=False)
        photo = b"\xff\xd8\xff\xe0 not really a jpeg"
        tg.fake.fail("getFile", 400, "Bad Request: invalid file_id")
        nxt = await reporter.turn(reporter.user.send_file("photo", photo, caption="1"))
        told = [m.text or "" for m in reporter.user.bot_messages]
        assert any("send it again" in t for t in told), tg.fake.describe(7107)
        assert step_of(nxt.text) == "who_role", "the caption answered the question"


async def test_a_file_that_cannot_be_downloaded_is_asked_again_and_taken_when_resent(
    tg: Tipline,
) -> None:
    reporter = Reporter(tg.fake, 7108)
    await reporter.until("evidence_files", ANSWERS, buttons=False)
    photo = encode(picture(), "JPEG")
    tg.fake.fail("getFile", 500, "Internal Server Error", times=None)
    before = reporter.sent_by_bot()
    await reporter.user.send_file("photo", photo)
    await tg.fake.wait_for(lambda: reporter.sent_by_bot() > before)
    assert "send it again" in (reporter.user.last.text or "")
    assert reporter.sent_by_bot() == before + 1, "told once, nothing else"
    tg.fake.heal("getFile")
    await reporter.turn(reporter.user.send_file("photo", photo))
    await reporter.until(None, ANSWERS, buttons=False)
    [opened] = await tg.reports()
    assert len(opened.files) == 1, "the photo sent again is in the report"


# -- language --------------------------------------------------------------------------


async def test_after_language_the_channels_own_words_are_in_the_chosen_language(
    tmp_path: Path,
) -> None:
    polish = translator("pl")
    async with running(tmp_path, "polling", script=MULTI) as tg:
        reporter = Reporter(tg.fake, 7109, language="en")
        await reporter.start()
        listing = await reporter.say("/language")
        question = await reporter.press("Polski", listing)
        done = [b["text"] for row in question.reply_markup["inline_keyboard"] for b in row][-1]  # type: ignore[index]
        assert polish.gettext(say.DONE) in done, done

        before = reporter.sent_by_bot()
        sticker = {"file_id": "s1", "file_unique_id": "us1", "type": "regular", "width": 1,
                   "height": 1, "is_animated": False, "is_video": False}  # fmt: skip
        await reporter.user.send_other(sticker=sticker)
        await tg.fake.wait_for(lambda: reporter.sent_by_bot() > before)
        assert reporter.user.last.text == polish.gettext(say.UNUSABLE)

        await reporter.user.press(question, "t:0")
        readback = await reporter.press(polish.gettext(say.DONE), question)
        await reporter.turn(reporter.user.press(readback, button(readback, "#1")))
        offer = [m for m in reporter.user.bot_messages if m.reply_markup is not None][-1]
        assert offer.text == polish.gettext(say.WIPE_OFFER)
        await reporter.user.press(offer, "w")
        await tg.settle()
        assert reporter.user.last.text == polish.gettext(say.WIPED)


async def test_the_group_refusal_is_in_the_senders_language(tmp_path: Path) -> None:
    async with running(tmp_path, "polling") as tg:
        group = tg.fake.group(-7110)
        group.chat.language_code = "ar"
        await group.send("/start")
        await tg.settle()
        [said] = group.bot_messages
        assert said.text == translator("ar").gettext(say.GROUPS)
        assert group.chat.left


async def test_a_failed_wipe_is_explained_in_the_reporters_language(tmp_path: Path) -> None:
    polish = translator("pl")
    async with running(tmp_path, "webhook", script=MULTI) as tg:
        reporter = Reporter(tg.fake, 7111, language="pl-PL")
        question = await reporter.start()
        await reporter.user.press(question, "t:1")
        readback = await reporter.press(polish.gettext(say.DONE), question)
        await reporter.turn(reporter.user.press(readback, button(readback, "#1")))
        offer = [m for m in reporter.user.bot_messages if m.reply_markup is not None][-1]
        total = len(reporter.chat.live)
        tg.fake.fail("deleteMessages", 500, "Internal Server Error", times=None)
        await reporter.user.press(offer, "w")
        await tg.settle()
        told = reporter.user.last.text
    wanted = polish.gettext(say.WIPE_FAILED)
    assert wanted != say.WIPE_FAILED, "translated"
    assert told == wanted.format(failed=total, total=total)


async def test_a_polled_update_the_bot_cannot_fully_read_does_not_stop_polling(
    tmp_path: Path,
) -> None:
    """A sticker without the fields PTB requires (a Bot API emulator's, say): once the
    whole batch of updates was refused, again and again, and no chat was served."""
    async with running(tmp_path, "polling") as tg:
        reporter = Reporter(tg.fake, 7112)
        await reporter.start()
        before = reporter.sent_by_bot()
        await reporter.user.send_other(sticker={"file_id": "s1"})
        await tg.fake.wait_for(lambda: reporter.sent_by_bot() > before)
        assert reporter.user.last.text == say.UNUSABLE
        nxt = await reporter.say("no")
        assert step_of(nxt.text) == "what_happened"
