"""What the bot does with each kind of chat and message, the menu, the wipe and its logs."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from bot import logs
from bot.channels.telegram import CommandMenu
from dialogs.commands import WORDS
from locales import LANGUAGES, translator
from tests.fakes.telegram_api import TOKEN, FakeTelegram
from tests.telegram.conftest import MODES, Tipline, running
from tests.telegram.driver import Reporter, prompt, step_of
from tests.telegram.test_conversation import ANSWERS


async def test_in_a_group_the_bot_says_it_works_only_in_private_and_leaves(tg: Tipline) -> None:
    group = tg.fake.group(-5001)
    await group.send("/start")
    await tg.settle()
    assert group.chat.left
    [said] = group.bot_messages
    assert "private chat" in (said.text or "")
    assert await tg.app.store.count_drafts() == 0, "no conversation is started in a group"


async def test_added_to_a_group_or_channel_the_bot_leaves_at_once(tg: Tipline) -> None:
    channel = tg.fake.group(-5002, kind="channel")
    await channel.add_bot()
    await tg.settle()
    assert channel.chat.left
    assert channel.bot_messages == [], "nothing is posted in a channel"


async def test_a_sticker_a_location_and_a_contact_get_a_clear_reply_and_change_nothing(
    tg: Tipline,
) -> None:
    reporter = Reporter(tg.fake, 5003)
    await reporter.start()
    sticker = {"file_id": "s1", "file_unique_id": "us1", "type": "regular", "width": 1,
               "height": 1, "is_animated": False, "is_video": False}  # fmt: skip
    for content in (
        {"sticker": sticker},
        {"location": {"latitude": 51.5, "longitude": -0.1}},
        {"contact": {"phone_number": "+447700900123", "first_name": "Sam"}},
    ):
        reply = await _reply_to(reporter, reporter.user.send_other(**content))
        assert "can't use that" in reply
    nxt = await reporter.say("no")
    assert step_of(nxt.text) == "what_happened", "the question was still the danger question"


async def test_an_edited_message_is_not_read_and_the_reporter_is_told_how_to_change_it(
    tg: Tipline,
) -> None:
    reporter = Reporter(tg.fake, 5004)
    await reporter.until("category", ANSWERS, buttons=False)
    [what] = [m for m in reporter.chat.messages.values() if m.text == ANSWERS["what_happened"]]
    original = {"message_id": what.message_id, "date": 1, "chat": reporter.chat.json(),
                "from": reporter.chat.user(), "text": what.text}  # fmt: skip
    reply = await _reply_to(reporter, reporter.user.edit(original, "Something else entirely"))
    assert "back" in reply
    nxt = await reporter.say("1")
    assert step_of(nxt.text) == "who_role"


async def _reply_to(reporter: Reporter, action: object) -> str:
    before = reporter.sent_by_bot()
    await action  # type: ignore[misc]
    await reporter.fake.wait_for(lambda: reporter.sent_by_bot() > before)
    return reporter.user.last.text or ""


async def test_after_sealing_the_wipe_deletes_every_message_of_the_chat(tg: Tipline) -> None:
    reporter = Reporter(tg.fake, 5005)
    offer = await reporter.until(None, ANSWERS, buttons=True)
    assert "remove this conversation" in (offer.text or "")
    live = reporter.chat.live
    assert len(live) > 20
    assert any(not m.from_bot for m in live), "the reporter's own messages are there too"
    await reporter.user.press(offer, "w")
    await tg.settle()
    [left] = reporter.chat.live
    assert left.from_bot
    assert "Delete chat" in (left.text or ""), "it says how to delete the chat itself"
    assert not tg.channel.messages.count(5005), "the list of message ids is gone"


async def test_the_message_list_survives_a_restart_encrypted_and_the_file_is_then_deleted(
    tmp_path: Path,
) -> None:
    fake = FakeTelegram()
    await fake.start()
    reporter = Reporter(fake, 5006)
    async with running(tmp_path, "polling", fake=fake):
        await reporter.until("category", ANSWERS, buttons=False)
    saved = tmp_path / "var" / "telegram-messages.bin"
    assert saved.stat().st_mode & 0o777 == 0o600
    assert b"5006" not in saved.read_bytes(), "chat ids are not stored in clear"
    async with running(tmp_path, "polling", fake=fake) as tg:
        assert not saved.exists(), "read back and deleted at start"
        offer = await reporter.until(None, ANSWERS, buttons=True)
        await reporter.user.press(offer, "w")
        await tg.settle()
        assert len(reporter.chat.live) == 1, "messages from before the restart are deleted too"
    await fake.close()


async def test_the_command_menu_is_registered_in_every_shipped_language(tg: Tipline) -> None:
    registered = tg.fake.commands
    # Telegram takes two-letter codes: one menu a language, the first shipped code's
    # ("pt" for pt and pt-BR, "zh" for zh-Hans); a three-letter one (ckb) gets English.
    first: dict[str, str] = {}
    for code in LANGUAGES:
        language = code.split("-")[0]
        if len(language) == 2:
            first.setdefault(language, code)
    assert set(registered) == set(first) | {""}
    menu = CommandMenu(LANGUAGES, translator)
    for language, code in first.items():
        words = [c["command"] for c in registered[language]]
        assert len(words) == len(WORDS)
        assert words == [item.command for item in menu.menus[code]]
    english = [c["command"] for c in registered[""]]
    assert english == list(WORDS.values())


async def test_a_menu_command_works_whatever_language_the_conversation_is_in(
    tg: Tipline,
) -> None:
    reporter = Reporter(tg.fake, 5007)
    await reporter.until("category", ANSWERS, buttons=False)
    nxt = await reporter.say("/back@tipline_test_bot")
    assert step_of(nxt.text) == "what_happened"
    translated = {item.command for menu in tg.channel.menu.menus.values() for item in menu[:1]} - {
        "back"
    }
    assert translated, "some shipped language has an ASCII word for back"
    nxt = await reporter.say(f"/{min(translated)}")
    assert step_of(nxt.text) == "danger"


@pytest.mark.parametrize("mode", MODES)
async def test_the_reporters_telegram_language_picks_the_starting_language(
    tmp_path: Path, mode: str
) -> None:
    by_number = {
        **ANSWERS,
        **dict.fromkeys(("who_role", "how_contact", "duty", "how_know"), "#1"),
        **dict.fromkeys(("danger", "at_risk", "reported_before"), "#2"),
        "evidence_files": "#1",
        "review": "#1",
        "echo": "#1",
    }
    async with running(tmp_path, mode) as tg:
        polish = Reporter(tg.fake, 5008, language="pl-PL")
        unknown = Reporter(tg.fake, 5009, language="xx")
        first = await polish.start()
        welcome = translator("pl").pgettext("police-misconduct:welcome:say", prompt("welcome"))
        assert polish.user.bot_messages[0].text == welcome
        assert first.reply_markup is not None
        for reporter in (polish, unknown):
            await reporter.until(None, by_number, buttons=True)
        locales = sorted(opened.report["locale"] for opened in await tg.reports())
    assert locales == ["en", "pl"], "Telegram's pl-PL starts in Polish; an unknown code in English"


async def test_logs_hold_no_text_names_chat_ids_or_token_even_at_debug(tmp_path: Path) -> None:
    stream = io.StringIO()
    logs.configure("DEBUG", stream=stream)
    try:
        async with running(tmp_path, "polling") as tg:
            reporter = Reporter(tg.fake, 987654321)
            await reporter.until(None, ANSWERS, buttons=True)
            await tg.fake.group(-5009).send("hello group")
            await tg.settle()
    finally:
        logging.getLogger().handlers.clear()
    written = stream.getvalue()
    assert "telegram" in written, "the channel does log its events"
    for secret in ("987654321", "Alex", TOKEN, TOKEN.split(":")[1], "Dawson", "Brixton", "£200"):
        assert secret not in written, secret
