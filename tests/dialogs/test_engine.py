"""The dialog engine over a small script with every step kind, a branch and flags."""

from __future__ import annotations

import gettext
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from dialogs import Dialog, Draft, Report, Script, TurnResult, load_script
from dialogs import parsers as p
from locales import Translator
from locales.errors import ScriptError

SCRIPT_PATH = Path(__file__).parent / "scripts" / "small.yaml"
NOW = datetime(2026, 11, 17, 10, 30, tzinfo=UTC)
LANGUAGES = {"en": "English", "cy": "Cymraeg"}
EMAIL = "reporter@example.org"

# One way through the script; `at()` stops on the way at each position.
PLAY = ["no", "1", "He took money for a favour.", "yesterday", "yes", "1, 3", "AB1234", "no", EMAIL]
POSITIONS = [
    "danger", "category", "details", "when", "when?", "evidence", "officer", "anonymous",
    "contact", "review",
]  # fmt: skip
COMMANDS = ["back", "skip", "restart", "cancel", "help", "language"]
BAD_INPUTS = [
    "",
    "   ",
    "x" * 10_000,
    "😀🔥👮",
    "\x00\x1b[31m\x07\x7f",
    "\u202eكلمة مرور\u202c",
    "שלום עולם",
    "99",
    "-1",
    "0",
    "1,,,,,",
    "{reference} {0} %s",
]


def sealed_view(report: Report) -> dict[str, Any]:
    """The report as reviewers get it: its sealed JSON (the reference and files added there)."""
    fields: dict[str, Any] = json.loads(report.sealed_json("TL-TEST-TEST", []))
    return fields


class Tagged:
    """A made-up catalog: every string comes back tagged with its language code."""

    def __init__(self, tag: str) -> None:
        self.tag = tag

    def gettext(self, message: str, /) -> str:
        return f"[{self.tag}] {message}"

    def pgettext(self, context: str, message: str, /) -> str:
        return f"[{self.tag}] {message}"


def translators(locale: str) -> Translator:
    return gettext.NullTranslations() if locale == "en" else Tagged(locale)


@pytest.fixture(scope="module")
def script() -> Script:
    return load_script(SCRIPT_PATH)


@pytest.fixture
def dialog(script: Script) -> Dialog:
    return Dialog(script, translators, LANGUAGES)


class Chat:
    """A reporter talking to the dialog; keeps the latest draft and result."""

    def __init__(self, dialog: Dialog, locale: str = "en") -> None:
        self.dialog = dialog
        self.result = dialog.start(locale, NOW)
        self.draft = self.result.draft

    def say(self, text: str) -> TurnResult:
        assert self.draft is not None
        self.result = self.dialog.handle(self.draft, text, NOW)
        if self.result.draft is not None:
            self.draft = self.result.draft
        return self.result

    @property
    def d(self) -> Draft:
        assert self.draft is not None
        return self.draft

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.result.replies]

    @property
    def position(self) -> str:
        return self.d.state + ("?" if self.d.pending else "")


def at(dialog: Dialog, position: str, play: list[str] = PLAY) -> Chat:
    chat = Chat(dialog)
    for text in play:
        if chat.position == position:
            break
        chat.say(text)
    assert chat.position == position
    return chat


def readback_lines(chat: Chat) -> list[str]:
    return [line for line in chat.texts[-1].splitlines() if line[:1].isdigit()]


# -- asking -------------------------------------------------------------------


def test_start_says_the_information_then_asks_the_first_question(dialog: Dialog) -> None:
    result = dialog.start("en", NOW)
    assert [r.text for r in result.replies] == [
        "Welcome to the test.",
        "Is anyone in danger right now?",
    ]
    info, question = result.replies
    assert (info.expects, info.options) == (None, ())
    assert (question.expects, question.step) == ("yesno", "danger")
    assert result.draft is not None
    assert result.draft.state == "danger"


def test_information_steps_are_said_on_the_way_to_the_next_question(dialog: Dialog) -> None:
    chat = Chat(dialog)
    chat.say("yes")
    assert chat.texts == ["Call 999 now.", "What is it about?"]
    assert chat.d.flags == ["urgent"]


@pytest.mark.parametrize(
    ("position", "ids", "expects", "multi"),
    [
        ("danger", ["yes", "no"], "yesno", False),
        ("category", ["money", "abuse", "unknown"], "choice", False),
        ("details", [], "text", False),
        ("when", ["unknown"], "date", False),
        ("when?", ["yes", "no"], "yesno", False),
        ("evidence", ["photo", "messages", "witness"], "multi", True),
        ("officer", [], "text", False),
        ("contact", [], "contact", False),
        ("review", ["confirm"], "confirm", False),
    ],
)
def test_each_question_carries_its_buttons(
    dialog: Dialog, position: str, ids: list[str], expects: str, multi: bool
) -> None:
    question = at(dialog, position).result.replies[-1]
    assert [o.id for o in question.options] == ids
    assert (question.expects, question.multi) == (expects, multi)
    assert question.step == position.rstrip("?")


def test_dont_know_has_a_button_and_is_stored_as_unknown(dialog: Dialog) -> None:
    chat = at(dialog, "category")
    assert chat.result.replies[-1].options[-1].label == "I don't know"
    chat.say("unknown")
    assert chat.d.answers["category"] == {"unknown": True}
    chat.say("He took money for a favour.")
    chat.say("I don't know")
    assert chat.d.answers["when"] == {"unknown": True}


# -- rejections ---------------------------------------------------------------


def test_a_rejected_answer_is_explained_and_asked_again_and_nothing_is_lost(dialog: Dialog) -> None:
    chat = at(dialog, "evidence")
    before = dict(chat.d.answers)
    chat.say("7")
    # The engine's default is a channel with nothing but typing: no buttons to tap.
    assert chat.texts == ["Please answer with a number from 1 to 3.", "What evidence is there?"]
    assert chat.d.answers == before
    assert (chat.d.state, chat.d.rejects) == ("evidence", 1)


def test_a_pattern_error_uses_the_scripts_own_explanation(dialog: Dialog) -> None:
    chat = at(dialog, "officer")
    chat.say("not a number")
    assert chat.texts[0] == "A collar number is letters and digits, like AB1234."


@pytest.mark.parametrize(
    ("position", "bad", "hint"),
    [
        ("details", "Hi", "Type help if you are stuck."),
        ("officer", "zzz", "You can type skip to leave this question out."),
    ],
)
def test_the_third_rejection_in_a_row_adds_a_hint(
    dialog: Dialog, position: str, bad: str, hint: str
) -> None:
    chat = at(dialog, position)
    for _ in range(2):
        chat.say(bad)
        assert hint not in chat.texts[0]
    chat.say(bad)
    assert chat.texts[0].endswith(hint)
    assert chat.d.rejects == 3


def test_a_good_answer_resets_the_rejection_count(dialog: Dialog) -> None:
    chat = at(dialog, "details")
    chat.say("Hi")
    chat.say("Hi")
    chat.say("Something happened at the station.")
    assert (chat.d.state, chat.d.rejects) == ("when", 0)


def test_too_long_a_message_is_rejected_with_its_own_explanation(dialog: Dialog) -> None:
    chat = at(dialog, "details")
    chat.say("x" * 10_000)
    assert chat.texts == [
        "That message is too long. Please keep it under 4000 characters.",
        "Tell us what happened.",
    ]
    assert "details" not in chat.d.answers


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("text", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
def test_bad_input_never_raises_and_loses_nothing(dialog: Dialog, position: str, text: str) -> None:
    chat = at(dialog, position)
    before = dict(chat.d.answers)
    result = chat.say(text)
    assert result.outcome == "continue"
    assert all(chat.d.answers.get(k) == v for k, v in before.items())
    assert result.replies[-1].expects is not None


# -- dates ----------------------------------------------------------------------


def test_a_date_is_read_back_and_recorded_only_after_yes(dialog: Dialog) -> None:
    chat = at(dialog, "when")
    chat.say("yesterday")
    assert chat.texts == ["I understood: Monday 16 November 2026. Is that right?"]
    assert "when" not in chat.d.answers
    chat.say("no")
    assert chat.texts == ["All right, let's try again.", "When did it happen?"]
    assert chat.d.pending is None
    chat.say("yesterday")
    chat.say("yes")
    assert chat.d.answers["when"]["date"] == "2026-11-16"
    assert chat.texts == ["What evidence is there?"]


def test_an_unclear_reply_to_is_that_right_asks_again(dialog: Dialog) -> None:
    chat = at(dialog, "when?")
    pending = chat.d.pending
    chat.say("perhaps")
    assert chat.texts == [p.YESNO_UNCLEAR, "I understood: Monday 16 November 2026. Is that right?"]
    assert chat.d.pending == pending


# -- commands -------------------------------------------------------------------


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_works_on_every_step(dialog: Dialog, position: str, command: str) -> None:
    chat = at(dialog, position)
    before = dict(chat.d.answers)
    result = chat.say(command)
    if command in ("cancel", "restart"):
        result = chat.say("yes")  # both ask first (test_cancel_and_restart_ask_before_deleting)
    if command == "cancel":
        assert (result.outcome, result.draft) == ("cancelled", None)
        return
    assert result.outcome == "continue"
    assert result.replies[-1].expects is not None
    if command == "restart":
        assert chat.d.answers == {}
    else:
        assert all(chat.d.answers.get(k) == v for k, v in before.items())


def test_back_goes_to_the_previous_question_across_information_and_keeps_the_answer(
    dialog: Dialog,
) -> None:
    chat = Chat(dialog)
    chat.say("yes")
    assert chat.d.state == "category"
    chat.say("back")
    assert chat.texts == ["Is anyone in danger right now?"]
    assert chat.d.answers == {"danger": "yes"}
    chat.say("no")
    assert chat.texts == ["What is it about?"]
    assert chat.d.flags == []


def test_back_on_the_first_question_says_there_is_nothing_before(dialog: Dialog) -> None:
    chat = Chat(dialog)
    chat.say("back")
    assert chat.texts == [
        "This is the first question; there is nothing to go back to.",
        "Is anyone in danger right now?",
    ]


def test_back_from_is_that_right_asks_for_the_date_again(dialog: Dialog) -> None:
    chat = at(dialog, "when?")
    chat.say("back")
    assert chat.texts == ["When did it happen?"]
    assert chat.d.pending is None


def test_skip_leaves_out_an_optional_question(dialog: Dialog) -> None:
    chat = at(dialog, "evidence")
    chat.say("skip")
    assert chat.texts == ["The officer's collar number, if you know it."]
    assert "evidence" not in chat.d.answers
    chat.say("skip")
    chat.say("yes")
    assert [line.split(":")[0] for line in readback_lines(chat)] == [
        "1. Danger", "2. Category", "3. What happened", "4. When", "5. Anonymous",
    ]  # fmt: skip


def test_skip_on_a_required_question_explains_and_asks_again(dialog: Dialog) -> None:
    chat = at(dialog, "details")
    chat.say("skip")
    assert chat.texts == ["This question can't be skipped.", "Tell us what happened."]


def test_restart_starts_a_fresh_draft_in_the_same_language(dialog: Dialog) -> None:
    chat = Chat(dialog, "cy")
    chat.say("no")
    chat.say("/restart")
    chat.say("yes")
    assert chat.texts == [
        "[cy] Starting again. Your answers so far have been deleted.",
        "[cy] Welcome to the test.",
        "[cy] Is anyone in danger right now?",
    ]
    assert (chat.d.answers, chat.d.locale, chat.d.history) == ({}, "cy", [])


@pytest.mark.parametrize("position", POSITIONS)
def test_cancel_deletes_the_draft_and_says_nothing_was_sent(dialog: Dialog, position: str) -> None:
    chat = at(dialog, position)
    chat.say("cancel")
    result = chat.say("yes")
    assert (result.outcome, result.draft, result.report) == ("cancelled", None, None)
    assert [r.text for r in result.replies] == ["Your draft has been deleted. Nothing was sent."]


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("command", ["cancel", "restart", "/cancel", "RESTART"])
def test_cancel_and_restart_ask_before_deleting_and_no_keeps_everything(
    dialog: Dialog, position: str, command: str
) -> None:
    chat = at(dialog, position)
    before = chat.d.to_json()
    asked = chat.say(command)
    assert asked.outcome == "continue"
    assert asked.draft is not None
    question = asked.replies[-1]
    assert question.text.startswith(("Delete everything you told us?", "Start again"))
    assert "deleted" in question.text or "Delete" in question.text
    assert (question.expects, [o.id for o in question.options]) == ("yesno", ["yes", "no"])
    assert asked.draft.answers == chat.d.answers
    kept = chat.say("no")
    assert kept.outcome == "continue"
    assert chat.texts[0] == "Nothing was deleted."
    assert chat.d.to_json() == before, "the same question, nothing lost"


def test_an_unclear_answer_to_delete_everything_deletes_nothing_and_asks_again(
    dialog: Dialog,
) -> None:
    chat = at(dialog, "details")
    chat.say("cancel")
    result = chat.say("stop")  # Somali "jooji" means both stop and cancel
    assert result.outcome == "continue"
    assert chat.texts[-1].startswith("Delete everything you told us?")
    chat.say("back")  # backs out of the question, like every other
    assert chat.texts == ["Tell us what happened."]
    assert chat.d.pending is None


def test_help_gives_the_steps_own_help_then_the_question(dialog: Dialog) -> None:
    chat = Chat(dialog)
    chat.say("help")
    assert chat.texts == [
        "Say yes if someone could be hurt soon.",
        "Is anyone in danger right now?",
    ]


def test_help_without_step_help_lists_the_commands(dialog: Dialog) -> None:
    chat = at(dialog, "details")
    chat.say("help")
    assert chat.texts[-1] == "Tell us what happened."
    assert all(word in chat.texts[0] for word in COMMANDS)


@pytest.mark.parametrize("typed", ["HELP", "  help  ", "/help", "/Help@tipline_bot"])
def test_commands_are_exact_words_in_any_case_with_or_without_a_slash(
    dialog: Dialog, typed: str
) -> None:
    chat = at(dialog, "details")
    chat.say(typed)
    assert chat.texts[-1] == "Tell us what happened."
    assert "back" in chat.texts[0]


def test_a_sentence_containing_a_command_word_is_an_answer(dialog: Dialog) -> None:
    chat = at(dialog, "details")
    chat.say("I need help, he went back to cancel it")
    assert chat.d.answers["details"] == "I need help, he went back to cancel it"


def test_language_switch_keeps_answers_and_asks_again_in_the_new_language(dialog: Dialog) -> None:
    chat = at(dialog, "details")
    before = dict(chat.d.answers)
    chat.say("language")
    (question,) = chat.result.replies
    assert question.text == "Which language would you like to use?"
    assert [(o.id, o.label) for o in question.options] == [("en", "English"), ("cy", "Cymraeg")]
    chat.say("Klingon")
    assert chat.texts[-1] == "Which language would you like to use?"
    chat.say("Cymraeg")
    assert chat.texts == ["[cy] The language has been changed.", "[cy] Tell us what happened."]
    assert (chat.d.locale, chat.d.answers, chat.d.state) == ("cy", before, "details")


# -- read-back and confirm --------------------------------------------------------------


def test_the_readback_numbers_every_answer_on_the_path(dialog: Dialog) -> None:
    chat = at(dialog, "review")
    readback = chat.result.replies[-1]
    assert readback.sensitive
    assert readback.text.startswith("Here is what you told us.\n")
    assert readback.text.endswith("To change an answer, type its number.")
    assert [(o.id, o.label) for o in readback.options] == [("confirm", "Confirm and send")]
    lines = readback_lines(chat)
    assert lines[:3] == [
        "1. Danger: No",
        "2. Category: Money or favours",
        "3. What happened: He took money for a favour.",
    ]
    assert lines[4:] == [
        "5. Evidence: Photos, Witnesses",
        "6. Collar number: AB1234",
        "7. Anonymous: No",
        f"8. Contact: {EMAIL}",
    ]


def test_the_readback_also_carries_its_answers_as_items_numbered_as_in_the_text(
    dialog: Dialog,
) -> None:
    """A channel drawing a "Change" control per answer gets the same pairs the text numbers."""
    chat = at(dialog, "review")
    readback = chat.result.replies[-1]
    assert readback.items[1] == ("Category", "Money or favours")
    numbered = [f"{n}. {label}: {value}" for n, (label, value) in enumerate(readback.items, 1)]
    assert numbered == readback_lines(chat)
    assert "\n".join(numbered) in readback.text
    assert all(not r.items for r in at(dialog, "category").result.replies)


def test_each_question_says_its_number_of_about_how_many_on_the_path(dialog: Dialog) -> None:
    """The count follows the path: leaving contact details adds a question."""
    chat = Chat(dialog)
    seen = []
    for text in PLAY:
        (asked,) = [r for r in chat.result.replies if r.expects is not None]
        seen.append((chat.position, asked.progress))
        chat.say(text)
    assert seen == [
        ("danger", (1, 7)),
        ("category", (2, 7)),
        ("details", (3, 7)),
        ("when", (4, 7)),
        ("when?", None),  # "Is that right?" is not a question of the script
        ("evidence", (5, 7)),
        ("officer", (6, 7)),
        ("anonymous", (7, 7)),
        ("contact", (8, 8)),
    ]


def test_a_number_changes_that_answer_and_returns_to_the_readback(dialog: Dialog) -> None:
    chat = at(dialog, "review")
    chat.say("6")
    assert chat.texts == ["The officer's collar number, if you know it."]
    assert chat.d.editing
    chat.say("CD99")
    assert "6. Collar number: CD99" in readback_lines(chat)
    assert (chat.d.state, chat.d.editing) == ("review", False)


def test_editing_into_anonymity_drops_the_contact_details_from_the_report(dialog: Dialog) -> None:
    chat = at(dialog, "review")
    chat.say("7")
    chat.say("yes")
    assert readback_lines(chat)[-1] == "7. Anonymous: Yes"
    assert "contact" not in chat.d.answers
    finished = chat.say("confirm").report
    assert finished is not None
    report = sealed_view(finished)
    assert "contact" not in [a["step"] for a in report["answers"]]
    assert EMAIL not in str(report)
    assert "contactable" not in report["flags"]


def test_editing_into_a_new_branch_asks_only_the_new_questions(dialog: Dialog) -> None:
    chat = at(dialog, "review", play=[*PLAY[:7], "yes"])
    assert len(readback_lines(chat)) == 7
    chat.say("7")
    chat.say("no")
    assert chat.texts == ["How can we contact you?"]
    chat.say(EMAIL)
    assert readback_lines(chat)[-1] == f"8. Contact: {EMAIL}"


def test_back_while_editing_returns_to_the_readback_unchanged(dialog: Dialog) -> None:
    chat = at(dialog, "review")
    before = dict(chat.d.answers)
    chat.say("2")
    chat.say("back")
    assert (chat.d.state, chat.d.editing, chat.d.answers) == ("review", False, before)


def test_a_number_out_of_range_at_the_readback_is_explained(dialog: Dialog) -> None:
    chat = at(dialog, "review")
    chat.say("42")
    assert chat.texts[0] == "There is no answer number 42. Type a number from 1 to 8."
    assert chat.result.replies[-1].sensitive


@pytest.mark.parametrize("typed", ["confirm", "Confirm and send", "yes"])
def test_confirming_ends_with_the_report_of_the_path_taken(dialog: Dialog, typed: str) -> None:
    chat = at(dialog, "review")
    result = chat.say(typed)
    assert (result.outcome, result.draft, result.replies) == ("confirmed", None, ())
    finished = result.report
    assert finished is not None
    report = sealed_view(finished)
    assert report["format"] == 2
    assert report["script"] == {"id": "small-test", "version": dialog.script.version}
    assert (report["locale"], report["flags"]) == ("en", ["contactable", "has_photos"])
    assert report["confirmed_at"] == "2026-11-17T10:30:00+00:00"
    assert [a["step"] for a in report["answers"]] == [
        "danger", "category", "details", "when", "evidence", "officer", "anonymous", "contact",
    ]  # fmt: skip
    assert report["answers"][0] == {
        "step": "danger",
        "kind": "yesno",
        "question": "Is anyone in danger right now?",
        "summary": "Danger",
        "value": "no",
        "display": "No",
    }
    assert report["answers"][4]["value"] == ["photo", "witness"]


def test_the_report_is_in_the_scripts_language_whatever_the_reporters(dialog: Dialog) -> None:
    chat = at(dialog, "review")
    chat.say("language")
    chat.say("cy")
    assert readback_lines(chat)[0] == "1. [cy] Danger: [cy] No"
    finished = chat.say("confirm").report
    assert finished is not None
    report = sealed_view(finished)
    assert report["locale"] == "cy"
    assert report["answers"][0]["display"] == "No"


def test_flags_follow_the_final_answers(dialog: Dialog) -> None:
    chat = at(dialog, "review", play=["yes", *PLAY[1:]])
    assert "urgent" in chat.d.flags
    chat.say("1")
    chat.say("no")
    finished = chat.say("confirm").report
    assert finished is not None
    report = sealed_view(finished)
    assert "urgent" not in report["flags"]


# -- the engine's contract ------------------------------------------------------


def test_resume_asks_the_current_question_again_and_changes_nothing(dialog: Dialog) -> None:
    chat = at(dialog, "when?")
    draft = chat.d.to_json()
    result = dialog.resume(chat.d, NOW)
    assert [r.text for r in result.replies] == chat.texts
    assert result.draft is not None
    assert result.draft.to_json() == draft


@pytest.mark.parametrize(
    ("where", "said"),
    [
        ("review", "7"),
        ("review", "restart"),
        ("review", "confirm"),
        ("when?", "last tuesday"),
        ("when?", "back"),
        ("when?", "cancel"),
        ("details", "restart"),
        ("when?", "language"),
    ],
)
def test_a_turn_never_changes_the_draft_it_was_given(dialog: Dialog, where: str, said: str) -> None:
    chat = at(dialog, where)
    draft = chat.d.to_json()
    dialog.handle(chat.d, said, NOW)
    assert chat.d.to_json() == draft


def test_drafts_survive_a_json_round_trip_between_turns(dialog: Dialog) -> None:
    chat = Chat(dialog)
    for text in PLAY:
        chat.draft = Draft.from_json(chat.d.to_json())
        chat.say(text)
    assert chat.d.state == "review"


def test_a_draft_from_another_version_is_refused(dialog: Dialog) -> None:
    draft = Draft("small-test", "0-000000000000", "en", "danger")
    with pytest.raises(ScriptError):
        dialog.handle(draft, "yes", NOW)


def test_the_compiled_machine_is_shared_by_every_conversation_on_a_version(script: Script) -> None:
    first = Dialog(script, translators, LANGUAGES)
    second = Dialog(load_script(SCRIPT_PATH), translators, LANGUAGES)
    assert second.compiled is first.compiled
    # Interleaved conversations on the one machine do not disturb each other.
    urgent, calm = Chat(first), Chat(second)
    urgent.say("yes")
    calm.say("no")
    assert urgent.texts == ["Call 999 now.", "What is it about?"]
    assert calm.texts == ["What is it about?"]


def test_closing_fills_in_the_reference_and_receipt(dialog: Dialog) -> None:
    reply = dialog.closing("en", "TL-7K2M", "1234 5678 9012 3456")
    assert reply.text == "Sealed. Reference: TL-7K2M. Receipt: 1234 5678 9012 3456."
    assert reply.sensitive
    assert dialog.closing("cy", "R", "S").text == "[cy] Sealed. Reference: R. Receipt: S."


# -- the reporter's language, as typed -------------------------------------------

WELSH = "Fe wnaeth y swyddog heddlu fy mygwth i tu allan i'r orsaf neithiwr"


def test_an_answer_in_another_shipped_language_offers_a_switch_and_loses_nothing(
    dialog: Dialog,
) -> None:
    chat = at(dialog, "details")
    offer = chat.say(WELSH).replies[-1]
    assert offer.expects == "yesno"
    assert offer.text.startswith("[cy] It looks like you are writing in"), "asked in Welsh"
    assert "Cymraeg" in offer.text
    assert chat.d.locale == "en", "never switched silently"
    assert "details" not in chat.d.answers
    chat.say("yes")
    assert chat.d.locale == "cy"
    assert chat.d.answers["details"] == WELSH, "the answer that was typed is kept"
    assert chat.d.switches == [{"from": "en", "to": "cy", "step": "details"}]
    assert chat.texts[-1].startswith("[cy]"), "the next question in Welsh"


def test_no_keeps_the_language_takes_the_answer_and_is_not_asked_again(dialog: Dialog) -> None:
    chat = at(dialog, "details")
    chat.say(WELSH)
    chat.say("no")
    assert (chat.d.locale, chat.d.answers["details"]) == ("en", WELSH)
    assert chat.d.switches == []
    chat.say("back")
    chat.say(WELSH + " eto")
    assert chat.d.answers["details"] == WELSH + " eto", "no second offer for the same language"


def test_the_sealed_report_records_switches_and_words_typed_for_choices(dialog: Dialog) -> None:
    chat = at(dialog, "category")
    chat.say("money or favours")  # typed, not pressed
    chat.say(WELSH)
    chat.say("yes")
    for text in PLAY[3:]:
        chat.say(text)
    assert chat.d.state == "review"
    finished = chat.say("confirm").report
    assert finished is not None
    report = sealed_view(finished)
    assert report["languages"] == [{"from": "en", "to": "cy", "step": "details"}]
    category = next(a for a in report["answers"] if a["step"] == "category")
    assert (category["value"], category["typed"]) == ("money", "money or favours")
    pressed = Chat(dialog)
    pressed.say("no")
    pressed.say("money")  # the option's id, as a button sends it
    assert "category" not in pressed.d.typed
