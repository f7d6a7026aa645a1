"""Who runs this service, and what it keeps: the about page and the privacy notice."""

from __future__ import annotations

import re

import pytest

from locales import po_path, read_catalog
from tests.web.client import HttpChat
from tests.web.conftest import OPERATOR, Server, in_thread

FOOTER = re.compile(r'<footer class="foot">(.*?)</footer>', re.S)


async def fetch(chat: HttpChat, path: str, lang: str = "en-GB") -> tuple[int, str]:
    headers = {"Accept-Language": lang}
    async with chat.session.get(chat.base + path, headers=headers) as response:
        return response.status, await response.text()


def test_every_page_names_who_runs_it_and_links_the_about_and_privacy_pages(
    server: Server,
) -> None:
    async def go() -> None:
        async with HttpChat.session_for() as session:
            chat = HttpChat(server.url, session)
            await chat.open()
            await chat.turn("no")
            ended = await chat.turn(None, pick="cancel", sure="1")
            assert ended["ended"]
            pages = [await fetch(chat, path) for path in ("", "about", "privacy", "nowhere")]
            response = await chat.form(pick="cancel", sure="1")  # a page after the end, too
            pages.append((response.status, await response.text()))
        assert [status for status, _ in pages] == [200, 200, 200, 404, 200]
        for _status, page in pages:
            footer = FOOTER.search(page)
            assert footer is not None
            assert f"This service is run by {OPERATOR}." in footer.group(1)
            assert 'href="/about"' in footer.group(1)
            assert 'href="/privacy"' in footer.group(1)

    in_thread(go())


def test_the_privacy_notice_says_what_is_kept_for_how_long_and_who_reads_it(
    server: Server,
) -> None:
    async def go() -> tuple[str, str]:
        async with HttpChat.session_for() as session:
            chat = HttpChat(server.url, session)
            _, about = await fetch(chat, "about")
            _, privacy = await fetch(chat, "privacy")
            return about, privacy

    about, privacy = in_thread(go())
    assert f"<p>This service is run by {OPERATOR}.</p>" in about
    assert f"Only the review team of {OPERATOR} can open a report you send." in privacy
    hours = server.settings.draft_ttl.total_seconds() / 3600
    assert f"{hours:.0f} hours after your last answer" in privacy
    assert f"for up to {server.settings.ledger_ttl.total_seconds() / 3600:.0f} hours" in privacy
    assert "Your IP address." in privacy
    assert "What this web chat can and cannot hide" in privacy


@pytest.mark.parametrize("path", ["about", "privacy"])
def test_the_about_and_privacy_pages_come_in_the_reporters_language(
    server: Server, path: str
) -> None:
    async def go() -> str:
        async with HttpChat.session_for() as session:
            status, page = await fetch(HttpChat(server.url, session), path, "ar")
            assert status == 200
            return page

    page = in_thread(go())
    assert '<html lang="ar" dir="rtl">' in page
    catalog = read_catalog(po_path("ar"), "ar")
    title = {"about": "About this service", "privacy": "Privacy notice"}[path]
    translated = catalog.get(title)
    assert translated is not None
    assert translated.string
    assert f"<h1>{translated.string}</h1>" in page
