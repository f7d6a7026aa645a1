"""The web chat has buttons for the answers and the commands: it says "press", not "type".

Over HTTP (the page without JavaScript, and the JSON the page's script gets), in
English, Polish and Arabic: the welcome, help and a choice question name the
page's own buttons, in the words the page labels them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from markupsafe import escape

from dialogs import load_script
from locales import translator
from tests.web.client import HttpChat, asked
from tests.web.conftest import Server, in_thread

# Instructions that are false on the page: its buttons have no numbers, and it has a
# button for each command.
FALSE_HERE = re.compile(
    r"\b(tap|type (cancel|help|skip|done|yes|its number|the number|a number)\b)"
    r"|number from 1 to",
    re.IGNORECASE,
)
WELCOME = "police-misconduct:welcome:say"
_SCRIPT = load_script(Path(__file__).parents[2] / "dialogs/scripts/police-misconduct.yaml")
_WELCOME = _SCRIPT.step("welcome")


def texts(turn: dict[str, Any]) -> str:
    return "\n".join(reply["text"] for reply in turn["replies"])


WHAT_HAPPENED = {
    "en-GB": "He took money for a favour, and lied about it.",
    "pl": "Wziął pieniądze za przysługę i skłamał.",
    "ar": "أخذ الضابط مالًا مقابل خدمة وكذب.",
}


def talk(server: Server, lang: str, unclear: str) -> tuple[str, list[dict[str, Any]]]:
    """The first page, then: no one in danger, what happened, a choice not understood, help."""

    async def go() -> tuple[str, list[dict[str, Any]]]:
        jar = aiohttp.CookieJar(unsafe=True)
        headers = {"Accept-Language": lang}
        async with aiohttp.ClientSession(cookie_jar=jar, headers=headers) as session:
            chat = HttpChat(server.url, session)
            page = await chat.open()
            turns = [await chat.turn(None, pick="no")]
            turns.append(await chat.turn(WHAT_HAPPENED[lang]))
            turns.append(await chat.turn(unclear))
            turns.append(await chat.turn(None, pick="help"))
            return page, turns

    return in_thread(go())


def test_the_page_says_press_for_its_buttons_never_type(server: Server) -> None:
    page, turns = talk(server, "en-GB", "purple")
    assert "Type cancel" not in page
    assert "press “Delete my answers” under “More options”" in page
    assert not FALSE_HERE.search(page)
    assert asked(turns[1])["step"] == "category"
    assert "Please press the button of your answer." in texts(turns[2])
    for turn in turns:
        assert not FALSE_HERE.search(texts(turn)), texts(turn)


@pytest.mark.parametrize("lang", ["pl", "ar"])
def test_the_page_says_the_web_chats_sentence_in_polish_and_arabic(
    server: Server, lang: str
) -> None:
    page, turns = talk(server, lang, "7777")
    tr = translator(lang)
    variant = _WELCOME.variant("say", "buttons")
    assert variant is not None
    english = variant.text
    web = tr.pgettext(f"{WELCOME}.buttons", english)
    typed = tr.pgettext(WELCOME, _WELCOME.say)
    assert web != english, "the web chat's welcome is translated"
    assert str(escape(web.splitlines()[-1])) in page
    assert str(escape(typed.splitlines()[-1])) not in page
    # The buttons the welcome names are the page's own, as the page labels them.
    last = web.splitlines()[-1]
    for label in ("Delete my answers", "More options", "Help"):
        assert tr.gettext(label) in last
    assert asked(turns[1])["step"] == "category"
    unclear = tr.gettext("Please press the button of your answer.")
    assert unclear != "Please press the button of your answer."
    assert unclear in texts(turns[2])
    assert tr.gettext("Please answer with a number from 1 to {count}.")[:12] not in texts(turns[2])
