"""A whole report in every shipped language, typed in that language, through the real service.

The reporter's app says which language it uses; every question comes in that
language, answers typed in it (button labels, yes/no words, "don't know",
command words, a date in words) are understood, and the sealed report records
the language with the English questions beside the answers for reviewers.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest

from bot.messages import Inbound, Outbound
from bot.service import Conversations
from dialogs import Reply
from dialogs.commands import WORDS
from dialogs.loader import Script
from dialogs.readback import CONFIRM_LABEL, DONT_KNOW, NO
from locales import LANGUAGES, RIGHT_TO_LEFT, Translator, translator
from tests.locales.conftest import NOW, Env
from tests.locales.phrases import TYPED

_chats = itertools.count()


class Reporter:
    """One reporter whose app sends `hint` as its language."""

    def __init__(self, conversations: Conversations, hint: str) -> None:
        self.conversations = conversations
        self.hint = hint
        self.chat = f"lang-{next(_chats)}"
        self.ids = itertools.count(1)
        self.last: Outbound | None = None
        self.seen: list[Reply] = []

    async def open(self) -> Outbound:
        # Opened as a chat app opens it (Telegram's /start, a message): the draft begins.
        return await self._do(Inbound("test", self.chat, "open", None, self.hint))

    async def send(self, text: str) -> Outbound:
        return await self._do(Inbound("test", self.chat, str(next(self.ids)), text, self.hint))

    async def _do(self, inbound: Inbound) -> Outbound:
        self.last = await self.conversations.handle(inbound)
        self.seen.extend(self.last.replies)
        return self.last

    @property
    def asked(self) -> Reply:
        assert self.last is not None
        return next(r for r in reversed(self.last.replies) if r.expects or r.options)


def answers_in(code: str, script: Script) -> dict[str, list[str]]:
    """What a reporter types at each step, in language `code` (lists: several turns)."""
    tr = translator(code)

    def label(step: str, option: str) -> str:
        english = next(o.label for o in script.step(step).options if o.id == option)
        return tr.pgettext(f"{script.id}:{step}:option.{option}", english)

    word = {command: tr.gettext(english) for command, english in WORDS.items()}
    dont_know = tr.gettext(DONT_KNOW)
    return {
        "danger": [tr.gettext(NO)],
        "what_happened": [TYPED[code]["story"]],
        "category": [label("category", "money").lower()],  # typed, not tapped
        "who_role": [label("who_role", "officer")],
        "force": ["the Met"],
        "officer_name": [word["skip"]],
        "rank": [dont_know],
        "number": [tr.gettext("Don't know")],
        "station": [word["skip"]],
        "description": [word["skip"]],
        "when": [TYPED[code]["evening"], tr.gettext("yes")],  # the date, then "is that right?"
        "where": ["Brixton"],
        "how_contact": [label("how_contact", "in_person")],
        "duty": [label("duty", "on_duty")],
        "how_know": [label("how_know", "to_me")],
        "at_risk": [tr.gettext(NO)],
        "reported_before": [label("reported_before", "no")],
        "evidence": [word["skip"]],
        "evidence_files": [tr.gettext("done")],
        "anonymity": [label("anonymity", "anonymous")],
        "review": [tr.gettext(CONFIRM_LABEL)],
    }


def expected_question(tr: Translator, script: Script, step_id: str) -> str:
    return tr.pgettext(f"{script.id}:{step_id}:say", script.step(step_id).say)


async def converse(env: Env, code: str, hint: str) -> Reporter:
    script = env.app.dialogs.current.script
    tr = translator(code)
    plan = answers_in(code, script)
    reporter = Reporter(env.app.conversations, hint)
    await reporter.open()
    for _ in range(60):
        assert reporter.last is not None
        if reporter.last.ended:
            return reporter
        asked = reporter.asked
        step = asked.step or ""
        pending = plan.get(step)
        assert pending, f"{code}: nothing planned for {step!r}: {asked.text!r}"
        if (asked.expects not in ("yesno",) or step != "when") and step != "review":
            assert asked.text == expected_question(tr, script, step), (code, step)
        await reporter.send(pending.pop(0) if len(pending) > 1 else pending[0])
        assert reporter.last is not None
        refused = [r.text for r in reporter.last.replies if r.step is None and not r.sensitive]
        assert not refused or step in ("force",), f"{code} at {step}: {refused}"
    raise AssertionError(f"{code}: the conversation did not end")


@pytest.mark.parametrize("code", list(LANGUAGES))
async def test_a_whole_report_in_the_reporters_language(env: Env, code: str) -> None:
    hint = {"pt": "pt-PT", "pl": "pl-PL,pl;q=0.9,en;q=0.8", "pt-BR": "pt-br"}.get(code, code)
    reporter = await converse(env, code, hint)
    tr = translator(code)
    texts = [r.text for r in reporter.seen]
    script = env.app.dialogs.current.script
    assert reporter.last is not None
    assert reporter.last.reference
    # The closing words, with the reference filled in, came in the reporter's language.
    closing = tr.pgettext("police-misconduct::closing", script.closing)
    head = closing.split("{reference}")[0]
    assert reporter.last.replies[-1].text.startswith(head)
    assert reporter.last.reference in reporter.last.replies[-1].text
    if code != "en":
        assert head != script.closing.split("{reference}")[0]
        welcome = script.step("welcome").say
        assert welcome not in texts
        assert tr.pgettext("police-misconduct:welcome:say", welcome) in texts
        direction = "rtl" if code in RIGHT_TO_LEFT else "ltr"
        assert all(r.direction == direction for r in reporter.seen)

    [report] = await env.reports()
    assert report["locale"] == code
    answers: dict[str, dict[str, Any]] = {a["step"]: a for a in report["answers"]}
    assert answers["danger"]["value"] == "no"
    assert answers["category"]["value"] == "money"
    assert answers["who_role"]["value"] == "officer"
    assert answers["rank"]["value"] == {"unknown": True}
    assert answers["number"]["value"] == {"unknown": True}
    assert answers["what_happened"]["value"] == TYPED[code]["story"]
    yesterday = (NOW - timedelta(days=1)).date().isoformat()
    assert (answers["when"]["value"]["date"], answers["when"]["value"]["time"]) == (
        yesterday,
        "evening",
    )
    assert answers["anonymity"]["value"] == "anonymous"
    # Reviewers read the script's own (English) question and display beside the answer.
    assert answers["danger"]["question"] == "Is anyone in danger right now?"
    assert answers["danger"]["display"] == "No"
    assert "officer_name" not in answers  # skipped with the translated command word


async def test_switching_language_asks_the_same_question_again_and_keeps_the_answers(
    env: Env,
) -> None:
    script = env.app.dialogs.current.script
    reporter = Reporter(env.app.conversations, "pl-PL")
    await reporter.open()
    await reporter.send("nie")
    await reporter.send(TYPED["pl"]["story"])
    assert reporter.asked.step == "category"
    await reporter.send("język")
    assert [o.label for o in reporter.asked.options] == list(LANGUAGES.values())
    await reporter.send("Español")
    es = translator("es")
    assert reporter.asked.step == "category"
    assert reporter.asked.text == expected_question(es, script, "category")
    assert reporter.last is not None
    assert es.gettext("The language has been changed.") in [r.text for r in reporter.last.replies]
    await reporter.send("atrás")  # back, in Spanish: the earlier answer is still there
    assert reporter.asked.step == "what_happened"
    await reporter.send("idioma")
    await reporter.send("العربية")
    assert reporter.asked.direction == "rtl"
    assert reporter.asked.text == expected_question(translator("ar"), script, "what_happened")


async def test_the_read_back_shows_the_answers_and_the_date_in_the_reporters_language(
    env: Env,
) -> None:
    script = env.app.dialogs.current.script
    plan = answers_in("pl", script)
    plan["review"] = ["1"]  # stop at the read-back: open the first answer instead of sending
    reporter = Reporter(env.app.conversations, "pl")
    await reporter.open()
    for _ in range(40):
        step = reporter.asked.step or ""
        if step == "review":
            break
        pending = plan[step]
        await reporter.send(pending.pop(0) if len(pending) > 1 else pending[0])
    readback = reporter.asked.text
    assert "niedziela, 22 listopada 2026, wieczorem" in readback
    assert "Handel informacjami" in readback
    assert "Nie wiem" in readback
    assert "Sunday" not in readback
    assert "Don't know" not in readback


async def test_an_arabic_reporter_is_given_the_reference_and_receipt_isolated(env: Env) -> None:
    """In right-to-left text the digit groups must not be reordered, or they are miscopied."""
    reporter = await converse(env, "ar", "ar")
    assert reporter.last is not None
    closing = reporter.last.replies[-1].text
    assert f"\u2066{reporter.last.reference}\u2069" in closing
