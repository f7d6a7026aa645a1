"""Telegram has a button per answer but typed commands: what the bot says matches that."""

from __future__ import annotations

import re

import pytest

from locales import translator
from tests.telegram.conftest import Tipline
from tests.telegram.driver import Reporter, step_of

# What only the web page has.
WEB_ONLY = re.compile(r"More options|Delete my answers|press “Change”|\bpress\b", re.IGNORECASE)
WHAT_HAPPENED = {"pl": "Wziął pieniądze za przysługę.", "ar": "أخذ الضابط مالًا مقابل خدمة."}
UNCLEAR = "Sorry, I didn't understand. Please tap a button, or type a number from 1 to {count}."


async def test_welcome_and_a_choice_say_tap_for_answers_and_type_for_commands(
    tg: Tipline,
) -> None:
    reporter = Reporter(tg.fake, 2001)
    await reporter.start()
    await reporter.press("No")
    category = await reporter.say("He took money for a favour.")
    assert step_of(category.text) == "category"
    await reporter.say("purple")
    await reporter.say("help")
    said = "\n".join(m.text or "" for m in reporter.user.bot_messages)
    assert "Type cancel to delete everything you told us. Type help if you are stuck." in said
    assert "Please tap a button, or type a number from 1 to 7." in said
    assert not WEB_ONLY.search(said), WEB_ONLY.findall(said)


@pytest.mark.parametrize("language", ["pl", "ar"])
async def test_a_choice_not_understood_is_telegrams_sentence_in_polish_and_arabic(
    tg: Tipline, language: str
) -> None:
    tr = translator(language)
    msgids = (
        UNCLEAR,
        "Sorry, I didn't understand. Please press the button of your answer.",
        "Sorry, I didn't understand. Please type a number from 1 to {count}.",
    )
    assert all(tr.gettext(m) != m for m in msgids), "each sentence is translated"
    web, typed = tr.gettext(msgids[1]), tr.gettext(msgids[2])
    reporter = Reporter(tg.fake, 2002 if language == "pl" else 2003, language)
    first = await reporter.start()
    await reporter.press("#2", first)  # No
    await reporter.say(
        "Wziął pieniądze za przysługę." if language == "pl" else "أخذ الضابط مالًا مقابل خدمة."
    )
    await reporter.say("7777")
    said = "\n".join(m.text or "" for m in reporter.user.bot_messages)
    assert tr.gettext(UNCLEAR).split("{count}")[0] in said
    assert web not in said
    assert typed.split("{count}")[0] not in said
