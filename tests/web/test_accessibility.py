"""WCAG 2.2 AA: axe-core finds nothing on any state of the page; it reflows at 320 px."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.web.chat import REPORT, Chat
from tests.web.conftest import Server, axe_violations, opened_page


def clean(page: Page, state: str) -> None:
    found = axe_violations(page)
    assert found == [], f"axe violations on {state}: {found}"


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_axe_finds_no_violations_on_any_state_of_a_whole_report(
    server: Server, browser: Browser, js: bool
) -> None:
    context = browser.new_context(java_script_enabled=True)  # axe itself needs JavaScript
    page = context.new_page()
    if not js:  # the page without its own script: what Tor Browser's "Safest" level shows
        page.route("**/static/chat.js", lambda route: route.fulfill(body="", status=200))
    page.goto(server.url)
    chat = Chat(page, js)
    seen: set[str] = set()
    for _ in range(60):
        if chat.ended:
            break
        kind = chat.expects
        if kind not in seen:
            seen.add(kind)
            clean(page, f"a {kind} question")
        step = chat.step
        key = f"{step}?" if step == "when" and kind == "yesno" else step
        if key == "what_happened" and "rejected" not in seen:
            seen.add("rejected")
            chat.type("Too short")  # a rejected answer and its explanation
            clean(page, "a rejected answer")
        chat.do(REPORT[key])
    assert chat.ended
    assert {"yesno", "text", "choice", "date", "attachment", "confirm"} <= seen
    clean(page, "the end of a report")
    context.close()


def test_axe_finds_no_violations_on_error_pages_and_right_to_left(
    server: Server, browser: Browser
) -> None:
    with opened_page(browser, server.url, locale="ar") as page:
        clean(page, "the Arabic page")
        response = page.goto(server.url + "no-such-page")
        assert response is not None
        assert response.status == 404
        clean(page, "the not-found page")


@pytest.mark.parametrize("width", [320, 640])
def test_the_page_reflows_at_320_px_and_200_percent_zoom(
    server: Server, browser: Browser, width: int
) -> None:
    """320 CSS px is a phone, and 1280 px at 200 % zoom is 640: no sideways scrolling."""
    with opened_page(browser, server.url, viewport={"width": width, "height": 640}) as page:
        Chat(page, js=True).until(
            "category", {"danger": "=no", "what_happened": REPORT["what_happened"]}
        )
        overflow: Any = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width
        assert page.locator("#quick-exit").is_visible()


def test_everything_can_be_done_from_the_keyboard(server: Server, browser: Browser) -> None:
    """Tab reaches the answer buttons, Enter presses them; focus is visible and moves on."""
    with opened_page(browser, server.url) as page:
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.value") == "no":
                break
        assert page.evaluate("document.activeElement.value") == "no"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline == "solid"
        with page.expect_response("**/api/turn"):
            page.keyboard.press("Enter")
        page.wait_for_selector("#answer[aria-busy]", state="detached")
        assert Chat(page, js=True).step == "what_happened"
        assert page.evaluate("document.activeElement.id") == "text"  # focus moved to the answer box
        page.keyboard.type(REPORT["what_happened"])
        page.keyboard.press("Tab")
        with page.expect_response("**/api/turn"):
            page.keyboard.press("Enter")  # on Send
        page.wait_for_selector("#answer[aria-busy]", state="detached")
        assert Chat(page, js=True).step == "category"
