"""Right-to-left languages render right to left; every shipped language is in the picker."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from locales import LANGUAGES, text_direction
from tests.web.chat import Chat
from tests.web.conftest import ARTIFACTS, Server, opened_page

ARABIC_ACCOUNT = "أوقفني الضابط في الشارع وطلب مني مالاً حتى لا يكتب مخالفة."


def test_an_arabic_conversation_renders_right_to_left(server: Server, browser: Browser) -> None:
    """A browser asking for Arabic gets the page and every bot message right to left."""
    with opened_page(
        browser, server.url, locale="ar-EG", viewport={"width": 420, "height": 900}
    ) as page:
        html = page.locator("html")
        assert html.get_attribute("lang") == "ar"
        assert html.get_attribute("dir") == "rtl"
        chat = Chat(page, js=True)
        chat.until("what_happened", {"danger": "=no"})
        chat.type(ARABIC_ACCOUNT)
        assert chat.step == "category"
        assert html.get_attribute("dir") == "rtl"
        bot = page.locator("#log .bot")
        assert bot.count() >= 3
        assert {bot.nth(i).get_attribute("dir") for i in range(bot.count())} == {"rtl"}
        assert ARABIC_ACCOUNT in chat.log_text()
        # The reporter's own bubble sits on the inline end: the left, in Arabic.
        mine = page.locator("#log .mine").last.bounding_box()
        first_bot = bot.first.bounding_box()
        assert mine is not None
        assert first_bot is not None
        assert mine["x"] < first_bot["x"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "webchat-arabic.png", full_page=True)


def test_picking_arabic_on_the_page_switches_to_right_to_left_without_javascript(
    server: Server, browser: Browser
) -> None:
    with opened_page(browser, server.url, java_script_enabled=False, locale="en-GB") as page:
        assert page.get_attribute("html", "dir") == "ltr"
        chat = Chat(page, js=False)
        chat.until("what_happened", {"danger": "=no"})
        chat.pick_language("ar")
        assert page.get_attribute("html", "lang") == "ar"
        assert page.get_attribute("html", "dir") == "rtl"
        assert chat.step == "what_happened"  # the same question again, in Arabic
        page.reload()  # the choice is remembered for this browser session
        assert page.get_attribute("html", "dir") == "rtl"


def test_the_picker_lists_every_shipped_language_in_its_own_name_and_script(
    server: Server, browser: Browser
) -> None:
    with opened_page(browser, server.url, java_script_enabled=False) as page:
        options = page.locator("#locale option")
        found = {
            options.nth(i).get_attribute("value"): (
                options.nth(i).inner_text(),
                options.nth(i).get_attribute("lang"),
                options.nth(i).get_attribute("dir"),
            )
            for i in range(options.count())
        }
        assert found == {
            code: (name, code, text_direction(code)) for code, name in LANGUAGES.items()
        }
        assert len(found) == len(LANGUAGES) >= 2


@pytest.mark.parametrize("code", [c for c in LANGUAGES if text_direction(c) == "rtl"])
def test_every_right_to_left_language_opens_right_to_left(
    server: Server, browser: Browser, code: str
) -> None:
    with opened_page(browser, server.url, java_script_enabled=False, locale=code) as page:
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.get_attribute("html", "lang") == code
