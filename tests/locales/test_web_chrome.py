"""The web chat's own words (buttons, labels, the privacy notice) come in the reporter's language.

A real aiohttp server on 127.0.0.1 serves the real web channel over a real
Tipline (SQLite, crypto); the page is fetched the way a browser asking for
Polish or Arabic would fetch it, and its chrome is compared with the catalog.
"""

from __future__ import annotations

import html
import re

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.channels.web import WebChat
from bot.run import channel_context
from dialogs.catalogs import PROJECT_ROOT
from dialogs.extract import build_template
from locales import po_path, read_catalog, translator
from tests.locales.conftest import Env

QUICK_EXIT = re.compile(r'<a id="quick-exit"[^>]*>([^<]*)</a>')
SEND = re.compile(r'<button type="submit" class="send"[^>]*>([^<]*)</button>')
NOTICE = re.compile(r'<details class="notice">\s*<summary>([^<]*)</summary>')
MENU = re.compile(r'<details id="menu" class="menu">\s*<summary>([^<]*)</summary>')
PROGRESS = re.compile(r'<p id="progress" class="progress">([^<]*)</p>')
CHROME = {
    QUICK_EXIT: "Quick exit",
    SEND: "Send",
    NOTICE: "What this web chat can and cannot hide",
    MENU: "More options",
}


async def page_for(env: Env, accept_language: str) -> str:
    app = web.Application()
    WebChat(channel_context(env.app)).mount(app)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.get("/", headers={"Accept-Language": accept_language})
        assert response.status == 200
        return await response.text()


def shown(pattern: re.Pattern[str], page: str) -> str:
    found = pattern.search(page)
    assert found is not None, f"{pattern.pattern} not on the page"
    return html.unescape(found.group(1)).strip()


@pytest.mark.parametrize("code", ["pl", "ar"])
async def test_a_page_in_another_language_has_its_buttons_and_notice_translated(
    env: Env, code: str
) -> None:
    """A Polish or Arabic reporter sees Quick exit, Send and the notice in their language."""
    page = await page_for(env, f"{code},en;q=0.5")
    assert f'<html lang="{code}"' in page
    catalog = read_catalog(po_path(code), code)
    for pattern, english in CHROME.items():
        entry = catalog.get(english)
        assert entry is not None, f"{code}: {english!r} not in the catalog"
        assert entry.string, f"{code}: {english!r} not translated"
        assert shown(pattern, page) == entry.string != english


async def test_an_english_page_keeps_the_english_chrome(env: Env) -> None:
    page = await page_for(env, "en-GB")
    for pattern, english in CHROME.items():
        assert shown(pattern, page) == english
    assert shown(PROGRESS, page) == "Question 1 of about 20"


async def test_the_progress_line_is_translated_with_its_numbers(env: Env) -> None:
    page = await page_for(env, "pl")
    template = read_catalog(po_path("pl"), "pl").get("Question {number} of about {total}")
    assert template is not None
    assert isinstance(template.string, str)
    assert shown(PROGRESS, page) == template.string.format(number=1, total=20)


def test_no_english_words_are_left_in_a_polish_page_s_chrome() -> None:
    """Every web-chat string has a Polish translation the page's translator returns."""
    polish = translator("pl")
    template = build_template(PROJECT_ROOT, [])
    chrome = [m for m in template if any(p.startswith("bot/channels/web/") for p, _ in m.locations)]
    assert len(chrome) >= 35
    same_in_polish = {"Tipline:"}  # the service's name
    untranslated = [
        str(m.id)
        for m in chrome
        if m.id not in same_in_polish and polish.gettext(str(m.id)) == m.id
    ]
    assert not untranslated
