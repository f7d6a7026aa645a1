"""Coming back with the secret code on the web chat: each sentence names the page's own buttons.

Over HTTP, the page without JavaScript (aiohttp's client), in English and Polish: a
report sent, then "I have a secret code", the code, what to add, the files and the
read-back. The page really has the buttons the follow-up's sentences name. (The
report itself is answered in English; the follow-up starts in the browser's language.)
"""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from locales import translator
from tests.bot.test_cli import ANSWERS
from tests.web.client import HttpChat, step_in
from tests.web.conftest import Server, in_thread

RECEIPT = re.compile(r"\d{4} \d{4} \d{4} \d{4}")
# Instructions that are false on the page (as tests/web/test_wording.py).
FALSE_HERE = re.compile(
    r"\b(tap|type (cancel|help|skip|done|yes|its number|the number|a number)\b)", re.IGNORECASE
)
CHANGE_BUTTON = re.compile(
    r'<button type="submit" form="answer" name="pick" value="\d+" class="change"'
)


def come_back(server: Server, lang: str) -> dict[str, str]:
    """The pages a reporter sees coming back with their code, by the step they ask."""

    async def go() -> dict[str, str]:
        async with HttpChat.session_for() as session:
            session.headers["Accept-Language"] = "en-GB"  # the report, answered in English
            chat = HttpChat(server.url, session)
            await chat.open()
            for text in ANSWERS:
                await chat.turn(text)
            closing = await chat.turn(None, pick="confirm")
            [receipt] = RECEIPT.findall("\n".join(r["text"] for r in closing["replies"]))
            session.headers["Accept-Language"] = lang  # coming back in the reporter's language
            await chat.open()
            pages = {}
            page = await (await chat.form(pick="receipt")).text()
            pages[step_in(page)] = page
            for answer in (receipt, "The car was a blue Ford.", "done"):
                page = await (await chat.form(text=answer)).text()
                pages[step_in(page)] = page
            pages["help"] = await (await chat.form(pick="help")).text()
            return pages

    return in_thread(go())


@pytest.mark.parametrize("lang", ["en-GB", "pl"])
def test_the_follow_up_names_the_buttons_the_page_has(server: Server, lang: str) -> None:
    pages = come_back(server, lang)
    assert list(pages) == ["receipt", "more", "files", "check", "help"]
    tr = translator(lang)

    def has(text: str) -> bool:
        return str(escape(tr.pgettext(*text.split("|", 1)))) in pages_text

    more, files, check = pages["more"], pages["files"], pages["check"]
    pages_text = more
    assert has(
        "followup:more:say.buttons|What would you like to add or tell the review team? "
        "Or press “Skip this question” under “More options”."
    )
    for label in ("Skip this question", "More options"):
        assert str(escape(tr.gettext(label))) in more, "the buttons it names are on the page"
    pages_text = files
    assert has(
        "followup:files:say.buttons|If you have photos, screenshots or documents, you can send "
        "them now.\nPress “Done” when you have finished, or if you have none."
    ) or all(
        str(escape(line)) in files
        for line in tr.pgettext(
            "followup:files:say.buttons",
            "If you have photos, screenshots or documents, you can send them now.\n"
            "Press “Done” when you have finished, or if you have none.",
        ).splitlines()
    )
    assert f">{escape(tr.gettext('Done'))}</button>" in files
    # The read-back: a Change button by each answer, and a Confirm and send button.
    assert len(CHANGE_BUTTON.findall(check)) >= 2
    assert f">{escape(tr.gettext('Change'))}<" in check
    assert f">{escape(tr.gettext('Confirm and send'))}</button>" in check
    pages_text = pages["help"]
    assert has(
        "followup:check:help.buttons|To change an answer, press “Change” next to it. "
        "When it is all right, press “Confirm and send”."
    )
    if lang == "en-GB":
        for step in ("more", "files", "check", "help"):
            shown = re.sub(r"<[^>]+>", " ", pages[step])
            assert not FALSE_HERE.search(shown), step


WEB_IN_PROGRESS = (
    "You have a report that is not sent yet. Send it first, or press “Delete my answers” "
    "under “More options” to delete it. Then press “Clear the screen and start again”, "
    "and then “I have a secret code”."
)


@pytest.mark.parametrize("lang", ["en-GB", "pl"])
def test_a_secret_code_during_a_report_is_refused_with_the_pages_buttons(
    server: Server, lang: str
) -> None:
    """ "I have a secret code" pressed with a report half answered: what to do, as buttons."""

    async def go() -> str:
        async with HttpChat.session_for() as session:
            session.headers["Accept-Language"] = lang
            chat = HttpChat(server.url, session)
            await chat.open()
            await chat.turn(None, pick="no")
            await chat.turn("He took money for a favour.")
            return await (await chat.form(pick="receipt")).text()

    page = in_thread(go())
    tr = translator(lang)
    said = tr.gettext(WEB_IN_PROGRESS)
    assert said != WEB_IN_PROGRESS or lang == "en-GB"
    assert str(escape(said)) in page
    for label in (
        "Delete my answers",
        "More options",
        "Clear the screen and start again",
        "I have a secret code",
    ):
        assert str(escape(tr.gettext(label))) in said
    assert step_in(page) == "category", "the report goes on where it was"
    if lang == "en-GB":
        assert not FALSE_HERE.search(re.sub(r"<[^>]+>", " ", page))
