"""The corpus of natural answers, driven through whole conversations in every language.

Each language's answers are spread over a few conversations (one answer per
question in each); every conversation runs from the first question to a
confirmed report. An answer is understood when what is stored (or offered
for "Is that right?") has the meaning the corpus gives, asked again when the
question comes back, and stored wrongly otherwise. Target: at least 95 %
understood and none stored wrongly, per language.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from locales import LANGUAGES
from tests.locales.corpus import CORPUS, Entry
from tests.locales.talk import ON_THE_WAY, Talk

MIN_ANSWERS = 12
UNDERSTOOD = 0.95


def means(stored: Any, meaning: Any) -> bool:
    if isinstance(meaning, dict) and isinstance(stored, dict):
        return all(stored.get(key) == value for key, value in meaning.items())
    return bool(stored == meaning)


def rounds(entries: list[Entry]) -> list[dict[str, tuple[str, Any]]]:
    """The answers spread over conversations, at most one per question in each."""
    out: list[dict[str, tuple[str, Any]]] = []
    for step, typed, meaning in entries:
        free = next((plan for plan in out if step not in plan), None)
        if free is None:
            free = {}
            out.append(free)
        free[step] = (typed, meaning)
    return out


def plainly(talk: Talk) -> None:
    """Answer the question asked now the plain way, and confirm a date."""
    talk.say(ON_THE_WAY[talk.step])
    decline_a_switch(talk)
    if talk.draft is not None and talk.draft.pending is not None:
        talk.say("yes")


def decline_a_switch(talk: Talk) -> None:
    """The English typed on the way may be offered as a language: the reporter stays."""
    if talk.draft is not None and (talk.draft.pending or {}).get("kind") == "switch":
        talk.say("no")


def converse(code: str, plan: dict[str, tuple[str, Any]], tally: Counter[str]) -> list[str]:
    """One whole conversation with the corpus answers in `plan`; what went wrong, said."""
    talk, wrong = Talk(code), []
    for _ in range(60):
        step = talk.step
        if step == "review":
            assert talk.say("yes").outcome == "confirmed", code
            return wrong
        if step not in plan:
            plainly(talk)
            continue
        typed, meaning = plan.pop(step)
        talk.say(typed)
        decline_a_switch(talk)
        assert talk.draft is not None
        pending = talk.draft.pending
        if pending is not None:
            got: Any = pending.get("value")
            talk.say("yes" if means(got, meaning) else "no")
            if not means(got, meaning):
                plainly(talk)
        elif talk.step == step and step not in talk.draft.answers:
            tally["asked again"] += 1
            wrong.append(f"asked again: {step} {typed!r}")
            plainly(talk)
            continue
        else:
            got = talk.draft.answers.get(step)
        if means(got, meaning):
            tally["understood"] += 1
        else:
            tally["stored wrongly"] += 1
            wrong.append(f"STORED WRONGLY: {step} {typed!r} -> {got!r}, not {meaning!r}")
    raise AssertionError(f"{code}: the conversation did not end")


def test_every_language_has_a_corpus_of_at_least_twelve_answers() -> None:
    for code in LANGUAGES:
        assert len(CORPUS.get(code, [])) >= MIN_ANSWERS, code


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_natural_answers_are_understood_and_none_is_stored_wrongly(code: str) -> None:
    tally: Counter[str] = Counter()
    problems: list[str] = []
    for plan in rounds(CORPUS[code]):
        problems += converse(code, dict(plan), tally)
    total = sum(tally.values())
    assert total == len(CORPUS[code])
    assert tally["stored wrongly"] == 0, problems
    assert tally["understood"] / total >= UNDERSTOOD, (code, dict(tally), problems)
