"""Replies as Telegram messages: text split to Telegram's limit, options as inline buttons.

A question's options become one button per row (numbered for choices, so typing
the number works too); a multi-choice gets toggle buttons (☐/☑) and Done. The
button data is short (`p:2`, `t:0`, `d`): the adapter keeps the question's
options beside the message id (`Keyboard`), so the data never carries report
content and always fits Telegram's 64 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messages import Option

__all__ = [
    "DONE_DATA",
    "MAX_TEXT",
    "PRESS",
    "TOGGLE",
    "WIPE",
    "Keyboard",
    "chunks",
    "keyboard_markup",
    "wipe_markup",
]

MAX_TEXT = 4096  # Telegram's limit for one message, in UTF-16 code units
PRESS, TOGGLE, DONE_DATA, WIPE = "p:", "t:", "d", "w"
_NUMBERED = frozenset({"choice", "multi"})


@dataclass(slots=True)
class Keyboard:
    """The question whose buttons are live in a chat: only its presses are taken."""

    message_id: int
    text: str
    options: tuple[Option, ...]
    expects: str | None
    multi: bool
    done_label: str
    selected: set[int] = field(default_factory=set)

    def answer_for(self, indexes: list[int]) -> str:
        """What the reporter would have typed: numbers for choices, option ids otherwise."""
        if self.expects in _NUMBERED:
            return ", ".join(str(i + 1) for i in sorted(indexes))
        return self.options[indexes[0]].id

    def toggle(self, index: int) -> None:
        """Select or unselect; "I don't know" excludes every other answer."""
        if index in self.selected:
            self.selected.discard(index)
            return
        unknown = {i for i, o in enumerate(self.options) if o.id == "unknown"}
        if index in unknown:
            self.selected = {index}
        else:
            self.selected -= unknown
            self.selected.add(index)

    def markup(self) -> InlineKeyboardMarkup:
        return keyboard_markup(
            self.options, self.expects, self.multi, self.done_label, self.selected
        )

    def chosen_text(self, indexes: list[int]) -> str:
        """The question with the answer shown under it, for the pressed keyboard's message."""
        labels = ", ".join(self.options[i].label for i in sorted(indexes))
        shown = f"{self.text}\n\n→ {labels}"
        return shown if _units(shown) <= MAX_TEXT else self.text


def keyboard_markup(
    options: tuple[Option, ...],
    expects: str | None,
    multi: bool,
    done_label: str,
    selected: set[int] | None = None,
) -> InlineKeyboardMarkup:
    numbered = expects in _NUMBERED
    rows: list[list[InlineKeyboardButton]] = []
    for index, option in enumerate(options):
        label = f"{index + 1}. {option.label}" if numbered else option.label
        if multi:
            mark = "☑" if selected and index in selected else "☐"
            rows.append([InlineKeyboardButton(f"{mark} {label}", callback_data=f"{TOGGLE}{index}")])
        else:
            rows.append([InlineKeyboardButton(label, callback_data=f"{PRESS}{index}")])
    if multi:
        rows.append([InlineKeyboardButton(f"✔ {done_label}", callback_data=DONE_DATA)])
    return InlineKeyboardMarkup(rows)


def wipe_markup(label: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=WIPE)]])


def chunks(text: str) -> list[str]:
    """`text` in pieces Telegram accepts, split at line breaks where possible."""
    if _units(text) <= MAX_TEXT:
        return [text or "…"]
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if _units(candidate) <= MAX_TEXT:
            current = candidate
            continue
        if current:
            pieces.append(current)
        rest = line
        while _units(rest) > MAX_TEXT:
            cut = _cut(rest)
            pieces.append(rest[:cut])
            rest = rest[cut:]
        current = rest
    if current:
        pieces.append(current)
    return pieces


def _units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _cut(line: str) -> int:
    """The longest prefix of `line` within the limit, ending at a space if there is one."""
    units, end = 0, 0
    for end, ch in enumerate(line):  # noqa: B007 - `end` is used after the loop
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > MAX_TEXT:
            break
    space = line.rfind(" ", 0, end)
    return space + 1 if space > MAX_TEXT // 2 else end
