"""What an answer parser returns, and the text clean-up every parser shares.

A parser either accepts an answer (`Parsed`) or explains kindly what was wrong
(`Rejected`, an English msgid template the engine translates and fills in).
`clean` makes typed text safe to store and show; `fold` makes it comparable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from dialogs._types import Answer
from locales import N_, fill

__all__ = ["MAX_MESSAGE", "N_", "Parsed", "Rejected", "clean", "fill", "fold", "has_words"]

# The longest message a parser looks at; longer text is rejected before parsing.
MAX_MESSAGE = 4000


@dataclass(frozen=True)
class Rejected:
    """The answer cannot be used; `message` says why and what to type instead."""

    message: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Parsed:
    """An accepted answer: the value to store, text to show back, and whether to ask first.

    `note` and `params` are the echo as a msgid and its values, so the engine can
    say it in the reporter's language (`echo` is the same in English).
    """

    value: Answer
    echo: str | None = None
    confirm: bool = False
    note: str | None = field(default=None, compare=False)
    params: Mapping[str, str] = field(default_factory=dict, compare=False)


# Zero-width joiners are part of correct spelling in Persian, Urdu and Indic
# scripts and of emoji sequences; LRM/RLM/ALM are ordinary marks in RTL typing.
# Every other format character (bidi overrides and isolates, BOM, tag
# characters that can hide text) is removed.
_KEEP_FORMAT = frozenset("\u200c\u200d\u200e\u200f\u061c")
_LINE_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"})
_APOSTROPHES = str.maketrans("", "", "'’‘ʼ`´")  # typed apostrophe variants
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


def clean(text: str) -> str:
    """NFC-normalise, drop control and invisible format characters, and trim.

    Newlines and tabs stay; letters of every script (RTL included) stay.
    """
    if text.isascii() and text.isprintable():  # most answers: nothing to drop or compose
        return text.strip()
    return _clean_unicode(text)


def _clean_unicode(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").translate(_LINE_BREAKS))
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs") and ch not in "\n\t":
            continue
        if category == "Cf" and ch not in _KEEP_FORMAT:
            continue
        kept.append(ch)
    return "".join(kept).strip()


def fold(text: str) -> str:
    """A comparison key: case, accents, apostrophes and punctuation ignored (the vowel
    signs of Indic scripts are kept: they are letters there).

    "Don’t Know!" and "dont know" fold alike, and so do "HAYIR" and "hayır"; letters
    and digits of any script are kept, everything else becomes single spaces.
    """
    if text.isascii():  # ASCII letters and digits are its only L and N characters
        return " ".join(_NOT_ASCII_ALNUM.sub(" ", text.lower().translate(_APOSTROPHES)).split())
    return _fold_unicode(text)


# Latin letters with no decomposition, which phones let people type plainly:
# "łapówka" as "lapowka"; Turkish dotless ı as i ("YARDIM" and "yardım" alike).
_PLAIN_LETTERS = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ß": "ss", "æ": "ae", "œ": "oe"}
)


def _fold_unicode(text: str) -> str:
    folded = text.casefold().translate(_APOSTROPHES).translate(_PLAIN_LETTERS)
    decomposed = unicodedata.normalize("NFKD", folded)
    out = []
    for ch in decomposed:
        major = unicodedata.category(ch)[0]
        # Indic vowel signs are letters of the word, not accents: "பின்" (back) and
        # "போன்" (phone) must stay apart.
        if major in "LN" or (major == "M" and "\u0900" <= ch <= "\u0dff"):
            out.append(ch)
        elif major != "M":
            out.append(" ")
    return " ".join("".join(out).split())


def has_words(text: str) -> bool:
    """True when the text holds at least one letter or digit of any script."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
