"""The Telegram channel's own words, and the command menu in every shipped language.

The adapter says a few things the dialog engine does not (why a sticker cannot be
used, the offer to remove the conversation...). They are gettext msgids marked
with `N_`, so `tipline dialogs extract` puts them in the catalogs beside the
engine's.

Telegram shows a bot's commands in a menu, per app language (`setMyCommands`
with `language_code`). The command words are the engine's translatable words
("back", "skip"...), and each description is that command's line of the
engine's translated help text, so the menu needs no strings of its own. A
command must be `[a-z0-9_]{1,32}`: a translated word that is not (Arabic,
Bengali...) falls back to the English word, which the engine always accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.messages import COMMAND_WORDS as WORDS
from bot.messages import COMMANDS_HELP as HELP
from locales import N_, Translator

__all__ = [
    "DONE",
    "EDITED",
    "FETCH_FAILED",
    "FLOOD",
    "GROUPS",
    "PICK_FIRST",
    "STALE",
    "UNUSABLE",
    "WIPED",
    "WIPE_BUTTON",
    "WIPE_FAILED",
    "WIPE_OFFER",
    "CommandMenu",
    "MenuCommand",
]

UNUSABLE = N_(
    "Sorry, I can't use that here. Please type your answer as a message, or tap a button."
)
EDITED = N_(
    "I can't read changes to a message you already sent. To change an answer, type back, "
    "or change it at the end, when your report is read back to you."
)
GROUPS = N_("Tipline only works in a private chat. Please send me a message directly.")
FLOOD = N_("You are sending messages very fast. Please wait a moment, then send your answer again.")
DONE = N_("Done")
PICK_FIRST = N_("Tap the answers that apply first, then Done.")
STALE = N_("These buttons no longer work. Please use the newest message, or type your answer.")
WIPE_OFFER = N_(
    "I can remove this conversation from this device: I will delete my messages and yours "
    "in this chat. If you got a receipt, write it down first."
)
WIPE_BUTTON = N_("Remove this conversation")
WIPED = N_(
    "The messages are deleted. To delete this chat as well, open the menu at the top of the "
    "chat and choose Delete chat."
)
WIPE_FAILED = N_(
    "Messages I could not delete: {failed} of {total}. To remove them from this device, open "
    "the menu at the top of the chat and choose Delete chat. Or press and hold a message and "
    "choose Delete."
)
FETCH_FAILED = N_("I could not get the file you sent, so I did not keep it. Please send it again.")

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_DASHES = " \t:-–—|•"


@dataclass(frozen=True, slots=True)
class MenuCommand:
    """One line of the menu: the word to tap and what it does."""

    command: str
    description: str


class CommandMenu:
    """The menu per language, and every menu word mapped back to the English command."""

    def __init__(self, languages: Iterable[str], translators: Callable[[str], Translator]) -> None:
        self.menus: dict[str, tuple[MenuCommand, ...]] = {}
        self._english: dict[str, str] = {word: word for word in WORDS.values()}
        for code in languages:
            menu = _menu(translators(code))
            self.menus[code] = menu
            for english, item in zip(WORDS.values(), menu, strict=True):
                self._english.setdefault(item.command, english)

    def canonical(self, text: str) -> str:
        """`/atras` → `/back` when some language's menu says so; other text unchanged."""
        stripped = text.strip()
        if not stripped.startswith("/"):
            return text
        word = stripped[1:].split("@", 1)[0].casefold()
        english = self._english.get(word)
        return text if english is None else f"/{english}"


def _menu(tr: Translator) -> tuple[MenuCommand, ...]:
    lines = _help_lines(tr)
    used: set[str] = set()
    menu: list[MenuCommand] = []
    for command, english in WORDS.items():
        word = tr.gettext(english).strip().casefold()
        if not _COMMAND.fullmatch(word) or word in used:
            word = english
        used.add(word)
        description = lines.get(command) or _help_lines(None).get(command) or english
        menu.append(MenuCommand(word, description[:256]))
    return tuple(menu)


def _help_lines(tr: Translator | None) -> dict[str, str]:
    """Each command's line of the help text, without its word: "go back to the previous…"."""
    template = HELP if tr is None else tr.gettext(HELP)
    found: dict[str, str] = {}
    for line in template.splitlines():
        for command in WORDS:
            marker = "{" + command + "}"
            if marker in line:
                rest = line.replace(marker, "").strip(_DASHES)
                if rest:
                    found[command] = rest[0].upper() + rest[1:]
    return found
