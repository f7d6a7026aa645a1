"""The attachment step: files acknowledged, "done" moves on, metadata only, files only there."""

from __future__ import annotations

import gettext
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dialogs import Dialog, Draft, TurnResult, load_script
from dialogs.attachments import FileInfo, files_in
from tests.dialogs.test_engine import Tagged, sealed_view

SCRIPT = Path(__file__).parent / "scripts" / "files.yaml"
SMALL = Path(__file__).parent / "scripts" / "small.yaml"
NOW = datetime(2026, 11, 17, 10, 30, tzinfo=UTC)
PHOTO = FileInfo("a1b2c3d4e5f60718", "image/jpeg", 183_211)
PDF = FileInfo("0f1e2d3c4b5a6978", "application/pdf", 40_960)
VOICE = FileInfo("1111222233334444", "audio/ogg", 9_000)


def translators(locale: str) -> gettext.NullTranslations | Tagged:
    return gettext.NullTranslations() if locale == "en" else Tagged(locale)


@pytest.fixture(scope="module")
def dialog() -> Dialog:
    return Dialog(load_script(SCRIPT), translators, {"en": "English", "cy": "Cymraeg"})


class Chat:
    def __init__(self, dialog: Dialog, locale: str = "en") -> None:
        self.dialog = dialog
        self.result = dialog.start(locale, NOW)
        assert self.result.draft is not None
        self.draft: Draft = self.result.draft

    def say(self, text: str = "", *files: FileInfo) -> TurnResult:
        self.result = self.dialog.handle(self.draft, text, NOW, files)
        if self.result.draft is not None:
            self.draft = self.result.draft
        return self.result

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.result.replies]


def at_files(dialog: Dialog, locale: str = "en") -> Chat:
    chat = Chat(dialog, locale)
    chat.say("He took money to drop a case.")
    assert chat.draft.state == "evidence_files"
    return chat


def test_the_question_offers_a_done_button(dialog: Dialog) -> None:
    chat = at_files(dialog)
    question = chat.result.replies[-1]
    assert (question.expects, question.step) == ("attachment", "evidence_files")
    assert [(o.id, o.label) for o in question.options] == [("done", "Done")]


def test_each_message_with_files_is_acknowledged_with_the_count_so_far(dialog: Dialog) -> None:
    chat = at_files(dialog)
    chat.say("", PHOTO)
    assert chat.texts == [
        "Got it — files so far: 1. Send more, or type done when you have finished."
    ]
    assert chat.result.replies[0].expects == "attachment", "the question stays open"
    chat.say("a caption is not kept", FileInfo("9" * 16, "image/png", 10), PHOTO)
    assert chat.texts[0].startswith("Got it — files so far: 3.")
    assert chat.draft.state == "evidence_files"
    assert "caption" not in str(chat.draft.to_json())


def test_done_moves_on_and_the_answer_is_metadata_only(dialog: Dialog) -> None:
    chat = at_files(dialog)
    chat.say("", PHOTO)
    chat.say("", PDF)
    chat.say("Done")
    assert chat.draft.state == "more_files"
    assert chat.draft.answers["evidence_files"] == [
        {"id": PHOTO.id, "media_type": "image/jpeg", "size": 183_211},
        {"id": PDF.id, "media_type": "application/pdf", "size": 40_960},
    ]
    assert chat.draft.flags == ["has_files"]
    assert dialog.files(chat.draft) == [PHOTO, PDF]


@pytest.mark.parametrize("typed", ["done", "/done", "DONE.", "no", "don't know", "1"])
def test_done_no_or_dont_know_without_files_moves_on_with_none(dialog: Dialog, typed: str) -> None:
    chat = at_files(dialog)
    chat.say(typed)
    assert chat.draft.state == "more_files"
    assert chat.draft.answers["evidence_files"] == []


def test_other_text_gets_a_short_explanation_and_the_question_again(dialog: Dialog) -> None:
    chat = at_files(dialog)
    chat.say("I have a video of it on my phone")
    assert chat.texts[0].startswith("Please send your evidence here as files")
    assert chat.texts[-1] == "Send photos or documents now, then type done. Or skip."
    assert chat.draft.state == "evidence_files"
    assert "evidence_files" not in chat.draft.answers


def test_non_photos_come_with_a_warning_that_their_metadata_stays(dialog: Dialog) -> None:
    chat = at_files(dialog)
    chat.say("", PHOTO)
    assert "passed on exactly as they are" not in chat.texts[0]
    chat.say("", VOICE)
    assert "Documents, voice notes and videos are passed on exactly as they are" in chat.texts[0]


def test_files_at_any_other_question_are_refused_and_nothing_is_recorded(dialog: Dialog) -> None:
    chat = Chat(dialog)
    chat.say("He took money", PHOTO)
    assert chat.texts[0] == "Files can only be sent at the evidence question."
    assert chat.texts[-1] == "What happened?"
    assert chat.draft.answers == {}
    assert chat.draft.state == "story"
    assert dialog.files(chat.draft) == []


def test_a_script_without_a_file_question_says_files_cannot_be_sent() -> None:
    small = Dialog(load_script(SMALL), translators, {"en": "English"})
    chat = Chat(small)
    chat.say("", PHOTO)
    assert chat.texts[0] == "Sorry, files can't be sent in this conversation."
    assert not small.accepts_files(chat.draft)


def test_skip_drops_the_files_of_an_optional_question_and_says_so(dialog: Dialog) -> None:
    chat = at_files(dialog)
    chat.say("", PHOTO)
    chat.say("skip")
    assert chat.texts[0].startswith("The files you sent for this question have been removed.")
    assert chat.draft.state == "more_files"
    assert "evidence_files" not in chat.draft.answers
    assert dialog.files(chat.draft) == []


def test_a_required_file_question_cannot_be_skipped(dialog: Dialog) -> None:
    chat = at_files(dialog)
    chat.say("done")
    chat.say("skip")
    assert chat.texts[0] == "This question can't be skipped."
    assert chat.draft.state == "more_files"


def test_restart_forgets_every_file(dialog: Dialog) -> None:
    chat = at_files(dialog)
    chat.say("", PHOTO)
    chat.say("restart")
    assert dialog.files(chat.draft) != [], "nothing is forgotten before the reporter says yes"
    chat.say("yes")
    assert dialog.files(chat.draft) == []


def test_read_back_names_the_kinds_of_file_and_the_report_keeps_the_metadata(
    dialog: Dialog,
) -> None:
    chat = at_files(dialog)
    chat.say("", PHOTO, PDF)
    chat.say("done")
    chat.say("done")
    readback = chat.texts[-1]
    assert "2. Evidence files: photo, PDF document" in readback
    assert "3. Recording: No files" in readback
    chat.say("confirm")
    finished = chat.result.report
    assert finished is not None
    report = sealed_view(finished)
    answer = next(a for a in report["answers"] if a["step"] == "evidence_files")
    assert answer["kind"] == "attachment"
    assert answer["display"] == "photo, PDF document"
    assert files_in(answer["value"]) == [PHOTO, PDF]


def test_files_can_be_added_when_changing_the_answer_at_the_read_back(dialog: Dialog) -> None:
    chat = at_files(dialog)
    chat.say("", PHOTO)
    chat.say("done")
    chat.say("done")
    chat.say("2")
    assert chat.draft.state == "evidence_files"
    chat.say("", VOICE)
    chat.say("done")
    assert chat.draft.state == "review"
    assert dialog.files(chat.draft) == [PHOTO, VOICE]


def test_the_file_words_are_translated(dialog: Dialog) -> None:
    chat = at_files(dialog, "cy")
    assert [o.label for o in chat.result.replies[-1].options] == ["[cy] Done"]
    chat.say("", PHOTO)
    assert chat.texts[0].startswith("[cy] Got it")
    assert "[cy] done" in chat.texts[0]
    chat.say("[cy] done")
    assert chat.draft.state == "more_files"
