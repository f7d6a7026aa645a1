"""Answer parsers: turn what a reporter typed into a stored answer, or say kindly why not.

Each `parse_*` takes raw text, cleans it, and returns `Parsed` or `Rejected`.
Rejections carry an English msgid template (marked with `N_` so the extractor
finds it) and its parameters; the engine translates and fills them in.
`display` renders a stored answer as English text for the read-back and report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dialogs import _words
from dialogs._choice import Close, choose, option_words
from dialogs._text import MAX_MESSAGE, N_, Parsed, Rejected, clean, fold, has_words
from dialogs._types import Answer, Option
from dialogs.conditions import UNKNOWN
from dialogs.contact import format_contact, parse_contact
from dialogs.dates import describe_date, parse_date
from dialogs.lookups import local_name, match_lookup

__all__ = [
    "MAX_MESSAGE",
    "N_",
    "Parsed",
    "Rejected",
    "bare_yes_or_no",
    "clean",
    "confirms",
    "display",
    "is_unknown",
    "option_words",
    "parse_choice",
    "parse_contact",
    "parse_date",
    "parse_multi",
    "parse_text",
    "parse_yesno",
]

CHOICE_RANGE = N_("Please answer with a number from 1 to {count}, or tap a button.")
CHOICE_UNCLEAR = N_(
    "Sorry, I didn't understand. Please tap a button, or type a number from 1 to {count}."
)
CHOICE_WHICH = N_(
    "Did you mean “{first}” ({first_number}) or “{second}” ({second_number})? "
    "Please tap one, or type its number."
)
MULTI_UNCLEAR = N_("Please type the numbers of your answers, like 1, 3. Or tap the buttons.")
MULTI_TOO_FEW = N_("Please choose at least {min}.")
MULTI_TOO_MANY = N_("Please choose no more than {max}.")
YESNO_UNCLEAR = N_("Please answer yes or no.")
TEXT_EMPTY = N_("Please type your answer.")
TEXT_SHORT = N_("Please tell us a little more (at least {min} characters).")
TEXT_LONG = N_("That's {length} characters. Please keep it to {max} characters or fewer.")
TEXT_NO_WORDS = N_("Please answer in words.")
TEXT_PATTERN = N_("That doesn't look right. Please check it and try again.")
TEXT_MATCHED = N_("Noted: {name}")
TEXT_NOT_YESNO = N_("Please type the answer itself, not just yes or no.")
TEXT_YES_UNKNOWN = N_("Please type it. If you don't know, type “don't know”.")
TEXT_YESNO_SKIP = N_(
    "Please type the answer itself. If you would rather leave this question out, type skip."
)
SHOWN_YES = N_("Yes")
SHOWN_NO = N_("No")
SHOWN_UNKNOWN = N_("Don't know")

_NUMBER = re.compile(r"#?\s*(\d{1,3})\s*[.)]?")
_MULTI_SEPARATORS = re.compile(r"\s*(?:[,;/&+\n]|\band\b)\s*", re.IGNORECASE)
_QUESTION_MARKS = frozenset("?？؟¿")  # question marks of other scripts
_SKIN_TONES = re.compile("[\U0001f3fb-\U0001f3ff\ufe0f]")


def is_unknown(text: str, locale: str) -> bool:
    """True when the reporter says they don't know ("don't know", "not sure", "?", "idk"...)."""
    text = clean(text)
    if not text or len(text) > 60:
        return False
    if all(ch in _QUESTION_MARKS for ch in text):
        return True
    key = fold(text)
    return key in _words.words_for(_words.UNKNOWN, locale) or _words.starts_unknown(key, locale)


def _pick(text: str, options: Sequence[Option], locale: str = "en") -> Option | Rejected:
    """One option from an id, a 1-based number, a label, its words or a yes/no (`_choice`)."""
    count = {"count": str(len(options))}
    if number := _NUMBER.fullmatch(text):
        index = int(number.group(1))
        if 1 <= index <= len(options):
            return options[index - 1]
        return Rejected(CHOICE_RANGE, count)
    for option in options:
        if text == option.id or text.casefold() == option.id:
            return option
    key = fold(text)
    if not key:
        return Rejected(CHOICE_UNCLEAR, count)
    picked = choose(key, options, locale)
    if isinstance(picked, Close):
        first, second = picked.options[:2]
        numbers = {o.id: str(i) for i, o in enumerate(options, 1)}
        return Rejected(
            CHOICE_WHICH,
            {
                "first": first.label,
                "second": second.label,
                "first_number": numbers[first.id],
                "second_number": numbers[second.id],
            },
        )
    return picked or Rejected(CHOICE_UNCLEAR, count)


def parse_choice(text: str, options: Sequence[Option], locale: str) -> Parsed | Rejected:
    """A single choice by button id, number ("2", "2.", "#2") or label text."""
    picked = _pick(clean(text), options, locale)
    if isinstance(picked, Rejected):
        return picked
    return Parsed(picked.id)


def parse_multi(
    text: str, options: Sequence[Option], locale: str, min_count: int, max_count: int | None
) -> Parsed | Rejected:
    """Several choices: "1, 3", "1 3", "1 and 3", ids or labels; stored in option order."""
    text = clean(text)
    chosen = _pick_each(text, options, locale)
    if isinstance(chosen, Rejected):
        whole = _pick(text, options, locale)  # one label may hold a comma or "and"
        if not isinstance(whole, Option):
            return chosen
        chosen = {whole.id}
    if len(chosen) < min_count:
        return Rejected(MULTI_TOO_FEW, {"min": str(min_count)})
    if max_count is not None and len(chosen) > max_count:
        return Rejected(MULTI_TOO_MANY, {"max": str(max_count)})
    return Parsed([option.id for option in options if option.id in chosen])


def _pick_each(text: str, options: Sequence[Option], locale: str) -> set[str] | Rejected:
    """The options named by each part of "1, 3", "1 3" or "phone and online"."""
    chosen: set[str] = set()
    for part in filter(None, _MULTI_SEPARATORS.split(text)):
        pieces = part.split() if all(p.isdigit() for p in part.split()) else [part]
        for piece in pieces:
            picked = _pick(piece, options, locale)
            if isinstance(picked, Rejected):
                if picked.message in (CHOICE_RANGE, CHOICE_WHICH):
                    return picked
                return Rejected(MULTI_UNCLEAR)
            chosen.add(picked.id)
    return chosen or Rejected(MULTI_UNCLEAR)


def parse_yesno(text: str, locale: str) -> Parsed | Rejected:
    """Yes or no, in the reporter's words ("yep", "nope", "1"/"2" for the buttons, 👍/👎),
    also with a few more words ("no, not right now", "creo que no")."""
    text = clean(text)
    bare = _SKIN_TONES.sub("", text)
    key = fold(text)
    if bare in _words.YES_EMOJI:
        return Parsed("yes")
    if bare in _words.NO_EMOJI:
        return Parsed("no")
    said = _words.leads_with_yes_or_no(key, locale)  # "no, not right now"
    return Parsed(said) if said else Rejected(YESNO_UNCLEAR)


def confirms(text: str, locale: str, *labels: str) -> bool:
    """At the read-back: the reporter says to send ("Confirm and send", "yes", "potwierdź")."""
    key = fold(clean(text))
    return bool(key) and (key in {fold(label) for label in labels} or _words.confirms(key, locale))


def bare_yes_or_no(text: str, locale: str) -> str | None:
    """ "yes" or "no" when the whole answer is only a yes or no word in words (not "1", "2")."""
    key = fold(clean(text))
    if any(ch.isdigit() for ch in key):
        return None
    return _words.yes_or_no(key, locale)


def parse_text(  # noqa: PLR0917 - the engine's agreed call shape
    text: str,
    min_length: int,
    max_length: int,
    pattern: str | None,
    pattern_error: str | None,
    match: str | None,
    *,
    locale: str = "en",
    unknown: bool = False,
    optional: bool = False,
) -> Parsed | Rejected:
    """Free text within length limits; optionally a pattern, optionally matched to a lookup.

    A bare yes or no is never kept as the text: it answers "Do you know …?", not
    the question. "No" means "I don't know" where that is an answer (`unknown`);
    otherwise, and for "yes", the reporter is asked for the answer itself (or to
    skip, where the question may be left out).
    """
    text = clean(text)
    if not text:
        return Rejected(TEXT_EMPTY)
    if not has_words(text):
        return Rejected(TEXT_NO_WORDS)
    if said := bare_yes_or_no(text, locale):
        if unknown:
            return Parsed(UNKNOWN) if said == "no" else Rejected(TEXT_YES_UNKNOWN)
        return Rejected(TEXT_YESNO_SKIP if optional else TEXT_NOT_YESNO)
    if len(text) < min_length:
        return Rejected(TEXT_SHORT, {"min": str(min_length)})
    if len(text) > max_length:
        return Rejected(TEXT_LONG, {"length": str(len(text)), "max": str(max_length)})
    if pattern is not None and re.fullmatch(pattern, text) is None:
        return Rejected(pattern_error or TEXT_PATTERN)
    if match is None:
        return Parsed(text)
    canonical = match_lookup(match, text)
    if not canonical:
        return Parsed({"text": text, "match": None})
    said = local_name(match, canonical, locale)  # "Heddlu Gwent" to a Welsh reporter
    echo, params = TEXT_MATCHED.format(name=said), {"name": said}
    return Parsed({"text": text, "match": canonical}, echo, note=TEXT_MATCHED, params=params)


def _label(options: Sequence[Option], option_id: str) -> str:
    return next((option.label for option in options if option.id == option_id), option_id)


def display(kind: str, value: Answer, options: Sequence[Option]) -> str:
    """An answer as English text for the read-back and the report."""
    if isinstance(value, dict) and value.get("unknown") is True:
        return SHOWN_UNKNOWN
    if kind == "choice" and isinstance(value, str):
        return _label(options, value)
    if kind == "multi" and isinstance(value, list):
        return ", ".join(_label(options, str(item)) for item in value)
    if kind == "yesno":
        return {"yes": SHOWN_YES, "no": SHOWN_NO}.get(str(value), str(value))
    if kind == "date" and isinstance(value, dict):
        return describe_date(value, "en")
    if kind == "contact" and isinstance(value, dict):
        return format_contact(value)
    if kind == "text" and isinstance(value, dict):
        typed, canonical = str(value.get("text", "")), str(value.get("match") or "")
        if not canonical:
            return typed
        return canonical if fold(typed) == fold(canonical) else f"{canonical} ({typed})"
    return "" if value is None else str(value)
