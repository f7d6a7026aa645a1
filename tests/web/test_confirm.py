"""Nothing is deleted without a "yes" on the page: "Delete my answers" and "Start again"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser

from tests.web.chat import Chat
from tests.web.client import HttpChat, step_in
from tests.web.conftest import Server, in_thread, opened_page


def keep(chat: Chat, word: str) -> None:
    link = f"#confirm-{word} .keep"
    if chat.js:
        chat.page.click(link)
    else:
        with chat.page.expect_navigation():
            chat.page.click(link)


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_delete_my_answers_asks_first_and_no_keeps_everything(
    server: Server, browser: Browser, js: bool
) -> None:
    with opened_page(browser, server.url, java_script_enabled=js) as page:
        chat = Chat(page, js)
        chat.until("category")
        chat.ask("cancel")
        panel = page.locator("#confirm-cancel")
        assert "Delete your answers?" in panel.inner_text()
        assert "Nothing will be sent" in panel.inner_text()
        assert page.evaluate("document.activeElement.id") == "confirm-cancel"
        assert page.locator("#answer").is_hidden()
        keep(chat, "cancel")
        assert page.locator("#confirm-cancel").is_hidden()
        assert chat.step == "category"
        page.reload()
        assert chat.step == "category"  # the draft is still there
        chat.command("cancel")  # asked again, and this time: yes
        assert chat.ended
        assert "Your draft has been deleted" in page.inner_text("#closing")


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_start_again_asks_first_then_starts_from_the_first_question(
    server: Server, browser: Browser, js: bool
) -> None:
    with opened_page(browser, server.url, java_script_enabled=js) as page:
        chat = Chat(page, js)
        chat.until("category")
        chat.ask("restart")
        assert "Start again from the first question?" in page.inner_text("#confirm-restart")
        assert chat.step == "category"  # nothing sent yet
        chat.submit("confirm-restart-form", "#confirm-restart button[name=pick]")
        assert chat.step == "danger"
        assert page.locator("#answer").is_visible()
        assert "He stopped me" not in page.inner_text("main")  # the old answers left the screen


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_typing_cancel_asks_first_too(server: Server, browser: Browser, js: bool) -> None:
    with opened_page(browser, server.url, java_script_enabled=js) as page:
        chat = Chat(page, js)
        chat.until("what_happened")
        chat.type("cancel")
        assert page.locator("#confirm-cancel").is_visible()
        keep(chat, "cancel")
        assert chat.step == "what_happened"


def test_a_post_of_cancel_without_the_yes_deletes_nothing(server: Server) -> None:
    """A stale page or a forged form sends the command without "sure": it is only asked about."""

    async def go() -> None:
        async with HttpChat.session_for() as session:
            chat = HttpChat(server.url, session)
            await chat.open()
            await chat.turn("no")
            for fields in ({"pick": "cancel"}, {"ask": "cancel"}, {"text": "/cancel"}):
                response = await chat.form(**fields)
                assert response.status == 200
                page = await response.text()
                shown = re.search(r'<section id="confirm-cancel"[^>]*>', page)
                assert shown is not None
                assert " hidden" not in shown.group(0)
                assert step_in(await chat.open()) == "what_happened"
            turn = await chat.turn(None, pick="cancel")
            assert turn["confirm"] == "cancel"
            assert turn["replies"] == []
            turn = await chat.turn(None, pick="cancel", sure="1")
            assert turn["ended"] is True

    in_thread(go())
