"""Every state of the page, phone and desktop, English and Arabic, with and without JavaScript:
axe-core finds nothing (WCAG 2.2 AA and best practice), and a screenshot of each is kept in
test-artifacts/web/ for people to look at. The page reflows at 320 px."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.locales.phrases import TYPED
from tests.web.chat import REPORT, Chat
from tests.web.conftest import (
    DESKTOP,
    PHONE,
    Server,
    axe_violations,
    opened_page,
    receipt_in_view,
    shot,
)

DEVICES = {"phone": PHONE, "desktop": DESKTOP}
SHORT = {"en": "Too short", "ar": "قصير جدا"}


def answers(lang: str) -> dict[str, str]:
    """The whole report in `lang`: options pressed, words typed in that language."""
    return {
        **REPORT,
        "what_happened": TYPED[lang]["story"] + " " + TYPED[lang]["story"],
        "force": "=unknown",
        "rank": "=unknown",
        "number": "/skip",
        "description": "/skip",
        "when": TYPED[lang]["evening"],
        "where": "=unknown",
        "evidence": "/skip",
    }


class Tour:
    """Walks the page, checking and photographing each state the first time it appears."""

    def __init__(self, page: Page, name: str) -> None:
        self.page = page
        self.name = name
        self.count = 0

    def state(self, what: str) -> None:
        self.count += 1
        found = axe_violations(self.page)
        assert found == [], f"{self.name}, {what}: axe violations {found}"
        shot(self.page, f"{self.name}/{self.count:02d}-{what}")


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_every_state_passes_axe_and_is_photographed(
    server: Server, browser: Browser, device: str, lang: str, js: bool
) -> None:
    name = f"{lang}-{device}-{'js' if js else 'no-js'}"
    # axe itself needs JavaScript: "without" is the page with its own script emptied,
    # which is what Tor Browser's "Safest" level shows.
    with opened_page(browser, "about:blank", viewport=DEVICES[device], locale=lang) as page:
        if not js:
            page.route("**/static/chat.js", lambda route: route.fulfill(body="", status=200))
        page.goto(server.url)
        tour, chat, script = Tour(page, name), Chat(page, js), answers(lang)
        extra: dict[str, Callable[[], None]] = {
            "what_happened": lambda: (chat.type(SHORT[lang]), tour.state("rejected-answer")),
            "category": lambda: (chat.open_menu(), tour.state("menu-open")),
            "station": lambda: (chat.ask("cancel"), tour.state("confirm-delete"), keep(chat)),
            "when?": lambda: None,  # the date read back: "Is that right?"
        }
        seen: set[str] = set()
        for _ in range(60):
            if chat.ended:
                break
            step, kind = chat.step, chat.expects
            key = f"{step}?" if step == "when" and kind == "yesno" else step
            if kind not in seen or key in extra:
                seen.add(kind)
                tour.state(f"{key.strip('?')}-{kind}")
                extra.pop(key, lambda: None)()
            chat.do(script[key])
        assert chat.ended
        assert receipt_in_view(page)
        tour.state("sent")
        for path in ("about", "privacy", "no-such-page"):
            page.goto(server.url + path)
            tour.state(path)
    assert tour.count >= 14


def keep(chat: Chat) -> None:
    """ "No, keep my answers": back to the question, nothing deleted."""
    step = chat.step
    if chat.js:
        chat.page.click("#confirm-cancel .keep")
    else:
        with chat.page.expect_navigation():
            chat.page.click("#confirm-cancel .keep")
    assert chat.step == step


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
        assert page.locator(".send").is_visible()  # the answer bar stays on the screen
