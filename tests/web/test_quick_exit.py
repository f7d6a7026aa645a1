"""Quick exit: always there, leaves at once for a neutral site, and Back does not return."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.web.chat import Chat
from tests.web.conftest import NEUTRAL_TITLE, Server, opened_page


@pytest.mark.parametrize("how", ["button", "escape"])
def test_quick_exit_replaces_the_chat_so_back_does_not_return(
    server: Server, browser: Browser, how: str
) -> None:
    with opened_page(browser, server.url) as page:
        chat = Chat(page, js=True)
        chat.until("what_happened")
        page.fill("#text", "Something I have started to type")
        visits = len(server.exit_visits)
        if how == "button":
            page.click("#quick-exit")
        else:
            page.focus("#text")
            page.keyboard.press("Escape")
        page.wait_for_url(server.exit_url)
        assert page.title() == NEUTRAL_TITLE
        assert server.exit_visits[visits:] == [None]  # no Referer: the site can't tell where from
        page.go_back()
        assert page.url == "about:blank"  # the chat is gone from this tab's history
        assert "Tipline" not in page.content()


def test_without_javascript_quick_exit_is_a_plain_link_with_a_note(
    server: Server, browser: Browser
) -> None:
    with opened_page(browser, server.url, java_script_enabled=False) as page:
        link = page.locator("#quick-exit")
        assert link.get_attribute("href") == server.exit_url
        assert link.get_attribute("rel") == "noreferrer"
        assert "Back button can still return here" in page.inner_text("body")
        visits = len(server.exit_visits)
        link.click()
        page.wait_for_url(server.exit_url)
        assert server.exit_visits[visits:] == [None]


def test_quick_exit_is_on_every_page_the_chat_shows(server: Server, browser: Browser) -> None:
    """The chat, its end, and its error pages all carry the Quick exit link, at the top."""
    with opened_page(browser, server.url, java_script_enabled=False) as page:
        assert page.locator("header #quick-exit").is_visible()
        page.goto(server.url + "no-such-page")
        assert page.locator("header #quick-exit").is_visible()
        page.goto(server.url)
        chat = Chat(page, js=False)
        chat.press("no")  # the first answer: now there is a draft to delete
        chat.command("cancel")
        assert chat.ended
        assert page.locator("header #quick-exit").is_visible()
