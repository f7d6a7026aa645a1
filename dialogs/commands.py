"""The global commands a reporter can type on every step, and the engine's own words.

A message that is exactly a command word (trimmed, any case, accents and
apostrophes ignored, with or without a leading `/`, a Telegram `@botname`
suffix ignored) is the command. Words are matched in English, as the
reporter's catalog translates them ("wstecz" for back in Polish), and as the
other everyday words for them in `_words.COMMANDS`; so `/back` always works.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from dialogs import _words
from dialogs._text import fold
from dialogs._types import Draft, TurnResult
from dialogs._words import Command
from dialogs.parsers import N_, Rejected, parse_choice, parse_yesno
from dialogs.turn import Turn
from locales import Translator

# The command words, translatable: a catalog may give "nôl" for "back".
WORDS: dict[Command, str] = {
    "back": N_("back"),
    "skip": N_("skip"),
    "restart": N_("restart"),
    "cancel": N_("cancel"),
    "help": N_("help"),
    "language": N_("language"),
}

HELP = N_(
    "You can type these words at any time.\n"
    "{back} – go back to the last question.\n"
    "{skip} – leave out a question you don't have to answer.\n"
    "{restart} – start again from the beginning.\n"
    "{cancel} – delete your draft. Nothing is sent.\n"
    "{language} – choose another language.\n"
    "{help} – show this message."
)
NO_EARLIER = N_("This is the first question; there is nothing to go back to.")
CANNOT_SKIP = N_("This question can't be skipped.")
NOTHING_TO_SKIP = N_("There is nothing to skip here.")
RESTARTED = N_("Starting again. Your answers so far have been deleted.")
CONFIRM_CANCEL = N_("Delete everything you told us? Nothing will be sent to anyone.")
CONFIRM_RESTART = N_(
    "Start again from the beginning? Everything you told us so far will be deleted."
)
NOTHING_DELETED = N_("Nothing was deleted.")
CANCELLED = N_("Your draft has been deleted. Nothing was sent.")
WHICH_LANGUAGE = N_("Which language would you like to use?")
LANGUAGE_CHANGED = N_("The language has been changed.")
HINT_SKIP = N_("You can type {skip} to leave this question out.")
HINT_HELP = N_("Type {help} if you are stuck.")
TOO_LONG = N_("That message is too long. Please keep it under {max} characters.")
IS_THAT_RIGHT = N_("I understood: {echo}. Is that right?")
DATE_AGAIN = N_("All right, let's try again.")
MULTI_UNKNOWN = N_("Choose “I don't know” on its own, or only the answers you know.")
NO_SUCH_NUMBER = N_("There is no answer number {number}. Type a number from 1 to {count}.")
YES_WORD = N_("yes")
# What a reporter types to come back with their secret code (bot/followup.py); not a
# command of the engine, since it leaves the report in progress for another script.
RECEIPT_WORDS = (N_("receipt"), N_("secret code"), N_("code"))
READBACK_UNCLEAR = N_("Type the number of an answer to change it, or choose “Confirm and send”.")


def command_in(text: str, tr: Translator, locale: str = "en") -> Command | None:
    """The command `text` is, if it is exactly one."""
    word = text.strip()
    if word.startswith("/"):
        word = word[1:].split("@", 1)[0]
    key = fold(word)
    if not key or len(key) > 40:
        return None
    return _command_table(tr, locale).get(key)


@lru_cache(maxsize=256)
def _command_table(tr: Translator, locale: str) -> dict[str, Command]:
    """Every folded command word of a catalog and locale → its command (built once)."""
    table: dict[str, Command] = {}
    for command, msgid in reversed(WORDS.items()):  # earlier commands win a clash
        for key in (msgid, fold(tr.gettext(msgid)), *_words.command_words(command, locale)):
            table[key] = command
    return table


def asks_for_receipt(text: str, translators: tuple[Translator, ...]) -> bool:
    """Whether `text` is exactly the word for coming back with a secret code ("receipt",
    "/receipt"), in English or as any of `translators` translates it."""
    word = text.strip()
    if word.startswith("/"):
        word = word[1:].split("@", 1)[0]
    key = fold(word)
    return bool(key) and len(key) <= 40 and key in _receipt_words(translators)


@lru_cache(maxsize=8)
def _receipt_words(translators: tuple[Translator, ...]) -> frozenset[str]:
    return frozenset(
        fold(tr.gettext(msgid)) for tr in translators for msgid in RECEIPT_WORDS
    ) | frozenset(fold(msgid) for msgid in RECEIPT_WORDS)


def word(tr: Translator, command: Command) -> str:
    """The command word in the reporter's language, for hints."""
    return tr.gettext(WORDS[command])


def help_text(tr: Translator, msgid: str = HELP) -> str:
    """The commands, in words: `HELP`, or its sentence for the channel (`msgid`)."""
    words = {command: word(tr, command) for command in WORDS}
    try:
        return tr.gettext(msgid).format(**words)
    except (KeyError, IndexError, ValueError):  # a broken translation must not break a turn
        return msgid.format(**WORDS)


def run(turn: Turn, command: Command) -> TurnResult:
    """Carry out `command` on the current step."""
    draft, step = turn.draft, turn.step
    choosing = draft.pending is not None and draft.pending.get("kind") == "language"
    if command in ("cancel", "restart"):
        # Deleting cannot be undone, and a command word can be typed by accident (Somali
        # "jooji" is both cancel and stop): ask first; the answer is taken by `confirm_delete`.
        draft.pending = {"kind": "delete", "command": command, "then": _before_delete(draft)}
        turn.again()
    elif command == "help":
        if step.help and draft.pending is None:
            turn.say(turn.text(step, "help", step.help))
        else:
            turn.say(help_text(turn.tr, turn.for_channel(HELP)))
        turn.again()
    elif command == "language":
        draft.pending = {"kind": "language"}
        turn.again()
    elif command == "skip":
        if step.is_question and step.optional and not choosing:
            draft.answers.pop(step.id, None)
            turn.proceed(step)
        else:
            turn.say(turn.t(CANNOT_SKIP if step.is_question else NOTHING_TO_SKIP))
            turn.again()
    elif draft.pending is not None:  # back out of a date check, the language list, a deletion
        draft.pending = _before_delete(draft) if draft.pending.get("kind") == "delete" else None
        turn.again()
    elif draft.editing:
        turn.readback()
    elif draft.history:
        draft.state, draft.rejects = draft.history.pop(), 0
        turn.ask(turn.step)
    else:
        turn.say(turn.t(NO_EARLIER))
        turn.again()
    return turn.result()


def delete_question(turn: Turn) -> str:
    """The yes/no question asked before cancel or restart deletes the answers."""
    pending = turn.draft.pending or {}
    return turn.t(CONFIRM_RESTART if pending.get("command") == "restart" else CONFIRM_CANCEL)


def confirm_delete(turn: Turn, text: str) -> TurnResult:
    """The answer to "Delete everything you told us?": yes carries the command out, no
    keeps everything and asks the question of before; anything else asks again."""
    draft = turn.draft
    command = (draft.pending or {}).get("command")
    parsed = parse_yesno(text, draft.locale)
    if isinstance(parsed, Rejected):
        turn.reject(parsed.message, parsed.params)
        return turn.result()
    if parsed.value == "no":
        draft.pending = _before_delete(draft)
        turn.say(turn.t(NOTHING_DELETED))
        turn.again()
        return turn.result()
    if command == "restart":
        script = turn.script
        turn.draft = Draft(script.id, script.version, draft.locale, script.start)
        turn.say(turn.t(RESTARTED))
        turn.enter(script.start)
        return turn.result()
    turn.say(turn.t(CANCELLED))
    return turn.result("cancelled")


def _before_delete(draft: Draft) -> dict[str, Any] | None:
    """What was being asked before "Delete everything?" (a date to confirm, say), if anything."""
    pending = draft.pending
    if pending is not None and pending.get("kind") == "delete":
        then = pending.get("then")
        return then if isinstance(then, dict) else None
    return pending


def choose_language(turn: Turn, text: str) -> None:
    """The answer to the language list: switch and ask the current question again."""
    parsed = parse_choice(text, turn.languages(), turn.draft.locale)
    if isinstance(parsed, Rejected):
        turn.reject(parsed.message, parsed.params)
        return
    turn.draft.locale = str(parsed.value)
    turn.draft.pending = None
    turn.say(turn.t(LANGUAGE_CHANGED))
    turn.again()
