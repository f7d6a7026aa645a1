"""A whole report in real Chromium, with JavaScript and without, then opened as a reviewer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.web.chat import REPORT, Chat
from tests.web.conftest import PHONE, Server, opened_page, receipt_in_view


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_a_whole_report_typed_in_the_browser_is_sealed_exactly_as_typed(
    server: Server, browser: Browser, js: bool
) -> None:
    with opened_page(browser, server.url, java_script_enabled=js) as page:
        chat = Chat(page, js)
        assert chat.step == "danger"
        chat.until(None)
        reference = chat.reference()
        assert "Secret code" in page.inner_text("#codes")
        assert REPORT["what_happened"] not in page.inner_text("main")  # the report left the screen

    report = server.report(reference)
    answers = {a["step"]: a["value"] for a in report["answers"]}
    for step in ("what_happened", "rank", "number", "description", "where", "evidence"):
        assert answers[step] == REPORT[step]
    assert answers["category"] == "money"
    assert answers["duty"] == "on_duty"
    assert answers["anonymity"] == "anonymous"
    assert "officer_name" not in answers  # skipped
    assert report["locale"] == "en"


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_on_a_phone_the_receipt_is_in_view_with_focus_on_the_closing_words(
    server: Server, browser: Browser, js: bool
) -> None:
    """Large, boxed, on the screen without scrolling; the wipe button is after it, unfocused."""
    with opened_page(browser, server.url, java_script_enabled=js, viewport=PHONE) as page:
        chat = Chat(page, js)
        chat.until(None)
        assert receipt_in_view(page)
        assert page.evaluate("document.activeElement.id") == "closing"
        codes = page.locator("#codes .code")
        assert codes.count() == 2
        assert chat.reference() == codes.first.inner_text()
        font = "parseFloat(getComputedStyle(document.querySelector('{}')).fontSize)"
        size = page.evaluate(font.format(".code"))
        body = page.evaluate(font.format("body"))
        assert size >= 1.5 * body
        wipe = page.locator("#wipe").bounding_box()
        box = page.locator("#codes").bounding_box()
        assert wipe is not None
        assert box is not None
        assert wipe["y"] > box["y"] + box["height"]  # after the receipt, never before it
        assert page.locator("#copy").is_visible() is js  # copying needs the page's script


def test_the_copy_button_puts_the_reference_and_receipt_on_the_clipboard(
    server: Server, browser: Browser
) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(server.url)
        chat = Chat(page, js=True)
        chat.until(None)
        page.click("#copy")
        page.wait_for_selector("#status:has-text('Copied')")
        copied = page.evaluate("navigator.clipboard.readText()")
        receipt = page.locator("#codes .code").last.inner_text()
        assert copied == f"Reference {chat.reference()}\nSecret code {receipt}"
    finally:
        context.close()


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_a_rejected_answer_is_explained_and_put_back_in_the_box(
    server: Server, browser: Browser, js: bool
) -> None:
    with opened_page(browser, server.url, java_script_enabled=js) as page:
        chat = Chat(page, js)
        chat.until("what_happened")
        chat.type("Too short")
        assert page.locator("#log .mine").last.inner_text().endswith("Too short")
        assert "at least 10 characters" in chat.log_text()
        assert chat.step == "what_happened"  # asked again, nothing lost
        assert page.input_value("#text") == "Too short"
        chat.type(REPORT["what_happened"])
        assert chat.step == "category"
        assert page.input_value("#text") == ""  # taken: the box is empty for the next answer
        assert page.locator("#answer button[name=pick]").count() == 7
        chat.press("money")
        mine = page.locator("#log .mine").last.inner_text()
        assert mine.endswith("Traded information or influence for money or favours")


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_each_read_back_answer_has_its_own_change_button(
    server: Server, browser: Browser, js: bool
) -> None:
    """The page says "press Change", not "type its number"; Confirm and send is the primary."""
    with opened_page(browser, server.url, java_script_enabled=js) as page:
        chat = Chat(page, js)
        chat.until("review")
        items = page.locator("#question .readback li")
        assert items.count() >= 15
        assert "type its number" not in page.inner_text("main")
        assert "Press Change next to an answer" in page.inner_text("#question")
        assert page.locator("#text").is_hidden()  # nothing to type at the read-back
        confirm = page.locator("#options button.primary")
        assert confirm.inner_text() == "Confirm and send"
        where = items.filter(has_text="Where")
        assert "Elm Road, Salford" in where.inner_text()
        chat.submit("answer", "", act=lambda: where.locator("button.change").click())
        assert chat.step == "where"
        chat.type("Salford Quays")
        assert chat.step == "review"
        assert "Salford Quays" in page.locator("#question .readback").inner_text()


def test_the_progress_line_counts_the_questions(server: Server, browser: Browser) -> None:
    with opened_page(browser, server.url) as page:
        assert page.inner_text("#progress") == "Question 1 of about 20"
        chat = Chat(page, js=True)
        chat.until("category")
        assert page.inner_text("#progress") == "Question 3 of about 20"


def test_reloading_the_page_continues_the_same_conversation(
    server: Server, browser: Browser
) -> None:
    with opened_page(browser, server.url) as page:
        chat = Chat(page, js=True)
        chat.until("category")
        page.reload()
        assert chat.step == "category"
        assert "Earlier messages are not shown again" in page.inner_text("main")
