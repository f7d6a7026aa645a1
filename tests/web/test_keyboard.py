"""A whole report by keyboard alone, with JavaScript and without; where focus goes after a turn."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.web.chat import REPORT, Chat, KeyboardChat
from tests.web.conftest import PHONE, Server, opened_page, receipt_in_view


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_a_whole_report_can_be_completed_by_keyboard_alone(
    server: Server, browser: Browser, js: bool
) -> None:
    with opened_page(browser, server.url, java_script_enabled=js, viewport=PHONE) as page:
        chat = KeyboardChat(page, js)
        chat.until(None)
        reference = chat.reference()
        assert page.evaluate("document.activeElement.id") == "closing"
        assert receipt_in_view(page)
    answers = {a["step"]: a["value"] for a in server.report(reference)["answers"]}
    assert answers["what_happened"] == REPORT["what_happened"]
    assert answers["category"] == "money"
    assert "officer_name" not in answers  # skipped from the menu


def active(page: Page) -> dict[str, str]:
    return page.evaluate(
        "(() => { const el = document.activeElement;"
        " return {id: el.id, tag: el.tagName, text: el.innerText || ''}; })()"
    )


def test_after_each_answer_focus_is_on_the_new_question_never_on_an_answer(
    server: Server, browser: Browser
) -> None:
    """Yes/no, "I don't know" and typed questions alike: the question has focus, no button does;
    the other replies of the turn are announced once, apart from the question."""
    with opened_page(browser, server.url) as page:
        assert active(page)["tag"] == "BODY"  # nothing is focused on arrival either
        chat = Chat(page, js=True)
        for _ in range(12):
            if chat.step == "rank":
                break
            key = chat.step
            chat.do(REPORT[key])
            focused = active(page)
            assert focused["id"] == "question", f"after {key}: focus on {focused}"
        assert chat.step == "rank"  # a typed question that has an "I don't know" button
        chat.type("Too short?")  # accepted: rank takes any text
        chat.type("x" * 51)  # the collar number is at most 50 characters: rejected
        assert active(page)["id"] == "question"
        page.wait_for_function("() => document.getElementById('announce').textContent !== ''")
        explained = page.inner_text("#announce")
        assert "50" in explained
        assert explained not in page.inner_text("#question")
        assert page.input_value("#text") == "x" * 51  # the answer stays in the box to correct


def test_enter_sends_and_shift_enter_adds_a_line(server: Server, browser: Browser) -> None:
    with opened_page(browser, server.url) as page:
        chat = Chat(page, js=True)
        chat.until("what_happened")
        page.focus("#text")
        page.keyboard.type("He stopped me on Elm Road.")
        page.keyboard.press("Shift+Enter")
        page.keyboard.type("Then he asked for money.")
        assert chat.step == "what_happened"  # Shift+Enter sent nothing
        with page.expect_response("**/api/turn"):
            page.keyboard.press("Enter")
        page.wait_for_selector("#answer[aria-busy]", state="detached")
        assert chat.step == "category"
        sent = page.locator("#log .mine").last.inner_text()
        assert sent.endswith("He stopped me on Elm Road.\nThen he asked for money.")
