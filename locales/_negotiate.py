"""Which shipped language a new conversation starts in, and which way its text runs.

A channel passes what the platform says about the reporter: Telegram's
`language_code` ("pt-br"), or a browser's whole `Accept-Language` header
("pl-PL,pl;q=0.9,en;q=0.8"). `best_match` picks the best shipped language with
`babel.negotiate_locale`; when none fits, the deployment's default.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from typing import Literal

from babel import Locale, UnknownLocaleError, negotiate_locale

Direction = Literal["ltr", "rtl"]

_MAX_TAGS = 20  # an Accept-Language header is short; ignore the rest of a long one
# Punjabi in Shahmukhi (Pakistan) is written in Arabic script; the Gurmukhi
# catalog would be unreadable, so such a reporter is not given it.
_NOT_GURMUKHI = ("pa_arab", "pa_pk")


def _preferences(hint: str) -> list[str]:
    """Language tags from a header or a single code, best first, as "ll_CC"."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(hint.split(",")[:_MAX_TAGS]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        tag = tag.strip().replace("-", "_")
        if tag and tag != "*" and quality > 0 and not tag.lower().startswith(_NOT_GURMUKHI):
            weighted.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(weighted)]


def best_match(hint: str | None, default: str, available: Collection[str]) -> str:
    """The shipped language closest to what the reporter's app or browser asks for.

    `hint` is a language code or an Accept-Language header (None: nothing known);
    `default` is used when nothing fits.
    """
    if hint:
        found = negotiate_locale(_preferences(hint), list(available), sep="_", aliases={})
        if found is not None:
            # negotiate_locale answers in the caller's spelling; give ours.
            key = found.lower()
            return next(code for code in available if code.lower() == key)
    return default


@lru_cache(maxsize=64)
def text_direction(locale: str) -> Direction:
    """ "rtl" for languages written right to left (Arabic, Urdu...), else "ltr"."""
    try:
        parsed = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return "ltr"
    return "rtl" if parsed.text_direction == "rtl" else "ltr"
