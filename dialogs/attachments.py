"""The `attachment` step: evidence files sent one or several messages at a time.

The engine stays pure: it never sees file bytes. The service checks and cleans
each file (bot/media.py), keeps the bytes encrypted beside the draft, and hands
the engine only `FileInfo` — an id, the sniffed media type and the size. The
step's answer is the list of those, in the order they arrived; typing "done"
(or "no", or "I don't know") moves on, with no files if none came.

The reporter's own file name is never kept: names like
"IMG_2031_Sam_Jones.jpg" or "WhatsApp Image … +44 7700 900123" identify people,
and reviewers get safe generated names instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dialogs._text import fold
from dialogs._types import Answer, Draft, Option
from dialogs.loader import Script
from dialogs.parsers import N_, Parsed, clean, is_unknown, parse_yesno
from dialogs.turn import Turn
from locales import Translator

KIND = "attachment"
DONE_ID = "done"
DONE_WORD = N_("done")
DONE_LABEL = N_("Done")

RECEIVED = N_("Got it — files so far: {count}. Send more, or type {done} when you have finished.")
NOT_STRIPPED = N_(
    "We remove hidden details such as location only from photos. Documents, voice notes "
    "and videos are passed on exactly as they are."
)
SEND_FILES = N_(
    "Please send your evidence here as files: photos, PDFs, voice notes or videos. "
    "Type {done} when you have finished, or if you have none."
)
NOT_HERE = N_("Files can only be sent at the evidence question.")
NOT_IN_SCRIPT = N_("Sorry, files can't be sent in this conversation.")
REMOVED = N_("The files you sent for this question have been removed. They will not be sent.")
NO_FILES = N_("No files")
KIND_WORDS = {
    "image": N_("photo"),
    "application/pdf": N_("PDF document"),
    "text/plain": N_("text document"),
    "audio": N_("voice note or audio"),
    "video": N_("video"),
}
OTHER_FILE = N_("file")


@dataclass(frozen=True, slots=True)
class FileInfo:
    """A checked, cleaned evidence file as the engine sees it: never its bytes or name."""

    id: str
    media_type: str
    size: int

    def to_answer(self) -> dict[str, Any]:
        return {"id": self.id, "media_type": self.media_type, "size": self.size}

    @classmethod
    def from_answer(cls, raw: Any) -> FileInfo | None:
        """The file a stored answer item describes; None for anything malformed."""
        if not isinstance(raw, dict):
            return None
        fid, media_type, size = raw.get("id"), raw.get("media_type"), raw.get("size")
        if not isinstance(fid, str) or not isinstance(media_type, str) or type(size) is not int:
            return None
        return cls(fid, media_type, size)

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


def files_in(value: Answer) -> list[FileInfo]:
    """The files an attachment answer lists (an empty list for anything else)."""
    if not isinstance(value, list):
        return []
    return [info for info in map(FileInfo.from_answer, value) if info is not None]


def draft_files(script: Script, draft: Draft) -> list[FileInfo]:
    """Every file a draft refers to, on the path taken or not (what must stay stored)."""
    return [f for step in _file_steps(script) for f in files_in(draft.answers.get(step))]


@lru_cache(maxsize=64)
def _file_steps(script: Script) -> tuple[str, ...]:
    """The ids of a script's file questions (asked twice a turn: once per script version)."""
    return tuple(s.id for s in script.steps if s.kind == KIND)


def accepts_files(script: Script, draft: Draft) -> bool:
    """Whether the draft is at an attachment question, ready to take files."""
    step = script.by_id.get(draft.state)
    return step is not None and step.kind == KIND and draft.pending is None


def options(tr: Translator) -> tuple[Option, ...]:
    """The one button of an attachment question: "Done"."""
    return (Option(DONE_ID, tr.gettext(DONE_LABEL)),)


def kind_word(media_type: str) -> str:
    """The English word for a file's kind ("photo", "video"…), a msgid to translate."""
    return KIND_WORDS.get(media_type) or KIND_WORDS.get(media_type.split("/", 1)[0], OTHER_FILE)


def describe(value: Answer, tr: Translator | None) -> str:
    """An attachment answer for the read-back: "photo, PDF document", or "No files"."""

    def show(msgid: str) -> str:
        return tr.gettext(msgid) if tr is not None else msgid

    files = files_in(value)
    if not files:
        return show(NO_FILES)
    return ", ".join(show(kind_word(f.media_type)) for f in files)


def receive(turn: Turn, infos: Sequence[FileInfo]) -> None:
    """Files arrived: add them to the attachment answer, or explain where files go.

    Text sent with the files (a caption) is not kept.
    """
    draft, step = turn.draft, turn.step
    if not accepts_files(turn.script, draft):
        anywhere = any(s.kind == KIND for s in turn.script.steps)
        turn.reject(NOT_HERE if anywhere else NOT_IN_SCRIPT)
        return
    held = files_in(draft.answers.get(step.id))
    held += infos
    draft.answers[step.id] = [f.to_answer() for f in held]
    draft.rejects = 0
    text = turn.t(RECEIVED, count=str(len(held)), **_done(turn.tr))
    if not all(f.is_image for f in infos):
        text = f"{text}\n\n{turn.t(NOT_STRIPPED)}"
    _ask(turn, text)


def on_text(turn: Turn, text: str) -> None:
    """Text at an attachment question: "done" (or no / don't know) moves on; else explain."""
    draft, step = turn.draft, turn.step
    if is_done(text, turn.tr, draft.locale):
        draft.answers[step.id] = [f.to_answer() for f in files_in(draft.answers.get(step.id))]
        turn.proceed(step)
        return
    turn.reject(SEND_FILES, _done(turn.tr))


def before_skip(turn: Turn) -> None:
    """`skip` on an optional attachment question drops its files: say so plainly."""
    step, draft = turn.step, turn.draft
    held = files_in(draft.answers.get(step.id))
    if step.kind == KIND and step.optional and draft.pending is None and held:
        turn.say(turn.t(REMOVED))


def is_done(text: str, tr: Translator, locale: str) -> bool:
    """True for "done" (any language, or the button), "no" or "don't know"."""
    word = clean(text)
    if word.startswith("/"):
        word = word[1:].split("@", 1)[0]
    said = fold(word)
    if not said:
        return False
    if said in _done_words(tr) or is_unknown(word, locale):
        return True
    answer = parse_yesno(word, locale)
    return isinstance(answer, Parsed) and answer.value == "no" and not said.isdecimal()


@lru_cache(maxsize=256)
def _done_words(tr: Translator) -> frozenset[str]:
    """Every folded word for "done" in English and `tr`'s catalog (built once per catalog).

    "1": the Done button is the only option, and some channels number their buttons.
    """
    labels = (DONE_WORD, DONE_LABEL, tr.gettext(DONE_WORD), tr.gettext(DONE_LABEL))
    return frozenset({DONE_ID, "1", *map(fold, labels)})


def _done(tr: Translator) -> dict[str, str]:
    """The word to type and the button to press when all files are sent."""
    return {"done": tr.gettext(DONE_WORD), "button": tr.gettext(DONE_LABEL)}


def _ask(turn: Turn, text: str) -> None:
    step = turn.step
    turn.say(text, options=options(turn.tr), expects=KIND, step=step.id)
