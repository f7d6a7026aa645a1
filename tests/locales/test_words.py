"""Reporters answer in their own language: yes/no words, "don't know", labels and commands."""

from __future__ import annotations

import pytest

from dialogs import load_script
from dialogs._text import fold
from dialogs.catalogs import SCRIPTS_DIR
from dialogs.commands import WORDS, command_in
from dialogs.parsers import is_unknown, parse_yesno
from dialogs.readback import DONT_KNOW, NO, YES, options_for
from locales import LANGUAGES, Translator, translator
from tests.locales.phrases import TYPED

SCRIPT = load_script(SCRIPTS_DIR / "police-misconduct.yaml")
NOT_SURE = "Not sure"


def label(tr: Translator, step: str, option: str, english: str) -> str:
    return tr.pgettext(f"{SCRIPT.id}:{step}:option.{option}", english)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_the_yes_and_no_buttons_are_understood_when_typed(code: str) -> None:
    tr = translator(code)
    for shown, value in ((tr.gettext(YES), "yes"), (tr.gettext(NO), "no")):
        for typed in (shown, shown.lower(), shown.upper()):
            parsed = parse_yesno(typed, code)
            assert getattr(parsed, "value", None) == value, (code, typed)
    assert getattr(parse_yesno(tr.gettext("yes"), code), "value", None) == "yes"


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_dont_know_in_the_reporters_words_is_understood(code: str) -> None:
    tr = translator(code)
    said = [tr.gettext(DONT_KNOW), tr.gettext("Don't know")]
    said.append(label(tr, "category", "not_sure", NOT_SURE))
    for typed in said:
        assert is_unknown(typed, code), (code, typed)
    assert not is_unknown(TYPED[code]["story"], code)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_command_words_work_in_the_reporters_language_and_in_english(code: str) -> None:
    tr = translator(code)
    for command, english in WORDS.items():
        word = tr.gettext(english)
        for typed in (word, word.upper(), f"/{word}", english, f"/{english}@TiplineBot"):
            assert command_in(typed, tr, code) == command, (code, typed)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_no_command_word_is_also_an_answer_a_reporter_might_give(code: str) -> None:
    """A command word that is also a yes/no word or a button label would hijack the answer."""
    tr = translator(code)
    commands = {fold(tr.gettext(english)) for english in WORDS.values()}
    answers = {fold(tr.gettext(w)) for w in (YES, NO, DONT_KNOW, "yes", "Don't know")}
    for step in SCRIPT.steps:
        if step.is_question:
            answers |= {fold(option.label) for option in options_for(SCRIPT, step, tr)}
    assert not commands & answers, code


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_prompts_that_name_a_word_to_type_use_the_translated_word(code: str) -> None:
    """ "Type skip", "type cancel", "type help": the word in the prompt is the one that works."""
    tr = translator(code)
    word = {command: tr.gettext(english) for command, english in WORDS.items()}
    welcome = tr.pgettext(f"{SCRIPT.id}:welcome:say", SCRIPT.step("welcome").say)
    assert word["cancel"] in welcome
    assert word["help"] in welcome
    for step in ("officer_name", "contact_name", "safe_times"):
        said = tr.pgettext(f"{SCRIPT.id}:{step}:say", SCRIPT.step(step).say)
        assert word["skip"] in said, (code, step)
    yes_word = tr.gettext("yes")
    assert (
        yes_word.casefold()
        in tr.gettext(
            "Sorry, Tipline cannot accept reports right now. Your answers are kept for now. "
            "Please try again later by sending confirm."
        ).casefold()
    )


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_no_word_of_an_option_is_also_a_word_of_another_option_or_a_command(code: str) -> None:
    """A word listed for two options could only be asked about; a command word never arrives."""
    tr = translator(code)
    commands = {fold(tr.gettext(english)) for english in WORDS.values()} | set(WORDS.values())
    for step in SCRIPT.steps:
        seen: dict[str, str] = {}
        for option in options_for(SCRIPT, step, tr):
            for word in {fold(option.label), *option.words}:
                assert seen.setdefault(word, option.id) == option.id, (code, step.id, word)
                assert word not in commands, (code, step.id, word)


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "en"])
def test_every_option_with_words_has_them_in_the_reporters_language(code: str) -> None:
    tr = translator(code)
    for step in SCRIPT.steps:
        for option in step.options:
            if option.words:
                context = f"{SCRIPT.id}:{step.id}:words.{option.id}"
                assert tr.pgettext(context, option.words) != option.words, (code, context)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_each_yes_no_question_has_its_own_buttons_and_they_are_understood_typed(code: str) -> None:
    tr = translator(code)
    for step in SCRIPT.steps:
        if step.kind == "yesno":
            for option in options_for(SCRIPT, step, tr)[:2]:
                said = parse_yesno(option.label, code)
                assert getattr(said, "value", None) == option.id, (code, step.id, option)


def test_welsh_answers_each_question_with_its_own_verb() -> None:
    tr = translator("cy")
    labels = {
        step.id: [o.label for o in options_for(SCRIPT, step, tr)[:2]]
        for step in SCRIPT.steps
        if step.kind == "yesno"
    }
    assert labels == {
        "danger": ["Oes", "Nac oes"],
        "at_risk": ["Gallai", "Na allai"],
        "leave_message": ["Cewch", "Na chewch"],
    }
    assert tr.gettext("skip") == "hepgor"
