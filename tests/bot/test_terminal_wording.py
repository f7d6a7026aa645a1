"""The terminal has nothing to press: what `tipline chat` says never asks for a button."""

from __future__ import annotations

import io
import re

import pytest

from bot.channels.terminal import run_chat
from locales import translator
from tests.bot.conftest import Env

# "press 55" is the phone's keypad (Silent Solution), not a button of ours.
PRESS = re.compile(r"\b(press(?! 55)|tap|button|choose “|More options)", re.IGNORECASE)


async def chat(env: Env, locale: str, *lines: str) -> str:
    out = io.StringIO()
    stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    await run_chat(env.app.conversations, "s1", locale, stdin, out)
    return out.getvalue()


async def test_welcome_help_and_a_choice_say_type_not_press(env: Env) -> None:
    # danger: no → what happened → category, not understood twice, then help there.
    said = await chat(env, "en", "no", "He took money.", "purple", "purple", "help")
    assert "Type cancel to delete everything you told us. Type help if you are stuck." in said
    assert "Please type a number from 1 to" in said
    assert not PRESS.search(said), PRESS.findall(said)


@pytest.mark.parametrize("locale", ["pl", "ar"])
async def test_a_choice_not_understood_is_the_typed_sentence_in_polish_and_arabic(
    env: Env, locale: str
) -> None:
    tr = translator(locale)
    typed = tr.gettext("Sorry, I didn't understand. Please type a number from 1 to {count}.")
    tapped = tr.gettext(
        "Sorry, I didn't understand. Please tap a button, or type a number from 1 to {count}."
    )
    assert typed != tapped
    assert typed != "Sorry, I didn't understand. Please type a number from 1 to {count}."
    said = await chat(env, locale, "no", "He took money.", "purple")
    assert typed.split("{count}")[0] in said
    assert tapped.split("{count}")[0] not in said
