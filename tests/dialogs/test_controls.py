"""Each sentence that tells the reporter what to do is true on the channel that shows it.

A terminal has only typing ("typed"); Telegram has a button per answer but typed
commands ("choices"); the web chat has buttons for the answers and the commands
("buttons"). The shipped scripts (the report and the follow-up with the secret
code) and the shipped catalogs, in English, Polish and Arabic: each channel gets
its own whole sentence, translated.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dialogs import Controls, Dialog, Draft, Script, load_script
from dialogs.controls import VARIANTS
from locales import LANGUAGES, translator

SCRIPTS = Path(__file__).parents[2] / "dialogs" / "scripts"
SCRIPT = load_script(SCRIPTS / "police-misconduct.yaml")
FOLLOWUP = load_script(SCRIPTS / "followup.yaml")
NOW = datetime(2026, 11, 17, 10, 30, tzinfo=UTC)
CONTROLS: tuple[Controls, ...] = ("typed", "choices", "buttons")

# Instructions that are false where the channel has no such thing. "press 55" is the
# phone's keypad (Silent Solution), not a button of ours.
FALSE_ON: dict[Controls, re.Pattern[str]] = {
    "typed": re.compile(r"\b(press(?! 55)|tap|button|choose “|More options)", re.IGNORECASE),
    "choices": re.compile(r"More options|Delete my answers|press “Change”", re.IGNORECASE),
    "buttons": re.compile(
        r"\b(tap|type (cancel|help|skip|done|yes|its number|the number|a number)\b)",
        re.IGNORECASE,
    ),
}


@pytest.fixture(scope="module")
def dialog() -> Dialog:
    return Dialog(SCRIPT, lambda locale: translator(locale, "en"), LANGUAGES)


@pytest.fixture(scope="module")
def followup() -> Dialog:
    return Dialog(FOLLOWUP, lambda locale: translator(locale, "en"), LANGUAGES)


def welcome(dialog: Dialog, locale: str, controls: Controls) -> str:
    return dialog.start(locale, NOW, controls).replies[0].text


def at(step: str, locale: str = "en", script: Script = SCRIPT) -> Draft:
    return Draft(script.id, script.version, locale, step)


def said(dialog: Dialog, step: str, text: str, controls: Controls, locale: str = "en") -> str:
    """Everything the bot says to `text` at `step`, as one string."""
    result = dialog.handle(at(step, locale, dialog.script), text, NOW, controls=controls)
    return "\n".join(reply.text for reply in result.replies)


def asked(dialog: Dialog, step: str, controls: Controls, locale: str = "en") -> str:
    """The question at `step` as the channel shows it."""
    result = dialog.resume(at(step, locale, dialog.script), NOW, controls)
    return "\n".join(reply.text for reply in result.replies)


def questions(script: Script) -> list[str]:
    return [s.id for s in script.steps if s.is_question or s.kind == "confirm"]


@pytest.mark.parametrize("controls", CONTROLS)
def test_no_question_or_help_says_what_the_channel_does_not_have(
    dialog: Dialog, controls: Controls
) -> None:
    texts = [welcome(dialog, "en", controls)]
    for step in questions(SCRIPT):
        texts.append(said(dialog, step, "help", controls))
        texts.append("\n".join(r.text for r in dialog.resume(at(step), NOW, controls).replies))
    false = [t for t in texts if FALSE_ON[controls].search(t)]
    assert false == []


@pytest.mark.parametrize("controls", CONTROLS)
def test_no_follow_up_question_or_help_says_what_the_channel_does_not_have(
    followup: Dialog, controls: Controls
) -> None:
    texts = [asked(followup, step, controls) for step in questions(FOLLOWUP)]
    texts += [said(followup, step, "help", controls) for step in questions(FOLLOWUP)]
    false = [t for t in texts if FALSE_ON[controls].search(t)]
    assert false == []


def test_the_follow_up_says_how_each_channel_skips_finishes_files_and_sends(
    followup: Dialog,
) -> None:
    assert "Or type skip." in asked(followup, "more", "typed")
    assert asked(followup, "more", "choices") == asked(followup, "more", "typed")
    assert "Or press “Skip this question” under “More options”." in asked(
        followup, "more", "buttons"
    )
    assert "Type done when you have finished, or skip." in asked(followup, "files", "typed")
    assert "Choose “Done” when you have finished, or type skip." in asked(
        followup, "files", "choices"
    )
    assert "Press “Done” when you have finished, or if you have none." in asked(
        followup, "files", "buttons"
    )
    assert "type yes" in said(followup, "check", "help", "typed")
    assert "tap Confirm and send" in said(followup, "check", "help", "choices")
    web = said(followup, "check", "help", "buttons")
    assert "press “Change” next to it" in web
    assert "press “Confirm and send”" in web


# (step, field) of the follow-up whose sentence differs per channel, and the page's own
# labels the web chat's sentence names.
FOLLOWUP_BUTTONS = {
    ("more", "say"): ("Skip this question", "More options"),
    ("files", "say"): ("Done",),
    ("check", "help"): ("Change", "Confirm and send"),
}


@pytest.mark.parametrize("locale", ["pl", "ar"])
def test_the_follow_up_says_each_channels_sentence_translated(
    followup: Dialog, locale: str
) -> None:
    tr = translator(locale)
    for (step, field), labels in FOLLOWUP_BUTTONS.items():
        text = {
            c: asked(followup, step, c, locale)
            if field == "say"
            else said(followup, step, "help", c, locale)
            for c in CONTROLS
        }
        english = {
            c: asked(followup, step, c) if field == "say" else said(followup, step, "help", c)
            for c in CONTROLS
        }
        for controls in CONTROLS:
            assert text[controls] != english[controls], f"{step} {controls}: not translated"
        assert text["buttons"] != text["typed"], f"{step}: the web chat says the typed one"
        for label in labels:
            assert tr.gettext(label) != label
            assert tr.gettext(label) in text["buttons"], f"{step}: {label} as the page says it"
    assert said(followup, "check", "help", "choices", locale) != said(
        followup, "check", "help", "typed", locale
    )
    assert asked(followup, "files", "choices", locale) != asked(followup, "files", "typed", locale)


def test_the_terminal_says_type_and_the_web_chat_names_its_buttons(dialog: Dialog) -> None:
    typed = welcome(dialog, "en", "typed")
    assert "Type cancel to delete everything you told us. Type help if you are stuck." in typed
    assert welcome(dialog, "en", "choices") == typed, "Telegram's commands are typed too"
    web = welcome(dialog, "en", "buttons")
    assert "Type cancel" not in web
    assert "press “Delete my answers” under “More options”" in web
    assert "press “Help”" in web


@pytest.mark.parametrize("locale", ["pl", "ar"])
def test_the_web_chat_welcome_names_its_buttons_in_the_reporters_language(
    dialog: Dialog, locale: str
) -> None:
    tr = translator(locale)
    typed, web = welcome(dialog, locale, "typed"), welcome(dialog, locale, "buttons")
    assert web != typed
    assert web != welcome(dialog, "en", "buttons"), "the web sentence is translated"
    # The page's own buttons, as the page labels them in this language ("Help" is often
    # also the word to type, so only the web's own labels are missing from the typed one).
    for label in ("Delete my answers", "More options", "Help"):
        assert tr.gettext(label) != label
        assert tr.gettext(label) in web
    for label in ("Delete my answers", "More options"):
        assert tr.gettext(label) not in typed


def test_a_choice_not_understood_is_asked_for_as_the_channel_takes_it(dialog: Dialog) -> None:
    typed = said(dialog, "category", "purple", "typed")
    assert "Please type a number from 1 to" in typed
    assert not FALSE_ON["typed"].search(typed)
    telegram = said(dialog, "category", "purple", "choices")
    assert "Please tap a button, or type a number from 1 to" in telegram
    web = said(dialog, "category", "purple", "buttons")
    assert "Please press the button of your answer." in web
    assert "number" not in web, "the page's buttons have no numbers"


@pytest.mark.parametrize("locale", ["pl", "ar"])
def test_a_choice_not_understood_is_translated_for_each_channel(
    dialog: Dialog, locale: str
) -> None:
    texts = {c: said(dialog, "category", "purple", c, locale) for c in CONTROLS}
    english = {c: said(dialog, "category", "purple", c) for c in CONTROLS}
    assert len(set(texts.values())) == 3, "three channels, three sentences"
    for controls in CONTROLS:
        first = texts[controls].split("\n")[0]
        assert first not in english[controls], f"{controls}: not translated"


def test_help_at_the_read_back_says_how_each_channel_changes_an_answer(dialog: Dialog) -> None:
    assert "type yes" in said(dialog, "review", "help", "typed")
    assert "tap Confirm and send" in said(dialog, "review", "help", "choices")
    web = said(dialog, "review", "help", "buttons")
    assert "press “Change” next to it" in web
    assert "type its number" not in web


def test_the_list_of_commands_is_words_to_type_or_buttons_to_press(dialog: Dialog) -> None:
    draft = dialog.handle(at("category"), "language", NOW).draft
    assert draft is not None
    for controls, expected in (
        ("typed", "You can type these words at any time."),
        ("choices", "You can type these words at any time."),
        ("buttons", "You can use these buttons at any time."),
    ):
        result = dialog.handle(draft, "help", NOW, controls=controls)
        assert expected in result.replies[0].text


def test_every_variant_of_an_engine_sentence_keeps_its_placeholders_or_fewer() -> None:
    fields = re.compile(r"\{(\w+)\}")
    for base, variants in VARIANTS.items():
        for controls, msgid in variants.items():
            assert msgid != base, controls
            extra = set(fields.findall(msgid)) - set(fields.findall(base)) - {"button"}
            assert not extra, f"{msgid!r} needs {extra}, which the engine does not fill"
