"""A whole report in real Chromium, with JavaScript and without, then opened as a reviewer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.web.chat import REPORT, Chat
from tests.web.conftest import Server, opened_page


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_a_whole_report_typed_in_the_browser_is_sealed_exactly_as_typed(
    server: Server, browser: Browser, js: bool
) -> None:
    with opened_page(browser, server.url, java_script_enabled=js) as page:
        chat = Chat(page, js)
        assert chat.step == "danger"
        chat.until(None)
        reference = chat.reference()
        assert "Secret code" in chat.log_text()
        if js:  # the answers went without a reload: the whole exchange is still on the screen
            assert REPORT["what_happened"] in chat.log_text()

    report = server.report(reference)
    answers = {a["step"]: a["value"] for a in report["answers"]}
    for step in ("what_happened", "rank", "number", "description", "where", "evidence"):
        assert answers[step] == REPORT[step]
    assert answers["category"] == "money"
    assert answers["duty"] == "on_duty"
    assert answers["anonymity"] == "anonymous"
    assert "officer_name" not in answers  # skipped
    assert report["locale"] == "en"


def test_without_javascript_the_page_shows_the_last_exchange(
    server: Server, browser: Browser
) -> None:
    """Each plain form post re-renders the page: the reporter's answer, then the bot's replies."""
    with opened_page(browser, server.url, java_script_enabled=False) as page:
        chat = Chat(page, js=False)
        chat.until("what_happened")
        chat.type("Too short")
        mine = page.locator("#log .mine")
        assert mine.inner_text().endswith("Too short")
        assert chat.step == "what_happened"  # rejected, asked again, nothing lost
        chat.type(REPORT["what_happened"])
        assert chat.step == "category"
        assert page.locator("#answer button[name=pick]").count() == 7
        chat.press("money")
        assert (
            page.locator("#log .mine")
            .inner_text()
            .endswith("Traded information or influence for money or favours")
        )


def test_reloading_the_page_continues_the_same_conversation(
    server: Server, browser: Browser
) -> None:
    with opened_page(browser, server.url) as page:
        chat = Chat(page, js=True)
        chat.until("category")
        page.reload()
        assert chat.step == "category"
        assert "Earlier messages are not shown again" in page.inner_text("main")
