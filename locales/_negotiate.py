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
# Tags that name a script by their region: Chinese in Taiwan, Hong Kong and Macau
# is written in Traditional characters, elsewhere in Simplified; Punjabi in
# Pakistan in Shahmukhi (Arabic script), whose readers must never be given the
# Gurmukhi catalog. Matched on the start of the lower-case "ll_..." tag.
_SCRIPT_OF = (
    (("zh_hant", "zh_tw", "zh_hk", "zh_mo"), "zh_Hant"),
    (("zh",), "zh_Hans"),
    (("pa_arab", "pa_pk"), "pa_Arab"),
)


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
        tag = _with_script(tag.strip().replace("-", "_"))
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(weighted)]


def _with_script(tag: str) -> str:
    """ "zh_TW" → "zh_Hant", "pa_PK" → "pa_Arab"; other tags as they are."""
    lower = tag.lower()
    for starts, script in _SCRIPT_OF:
        if any(lower == start or lower.startswith(start + "_") for start in starts):
            return script
    return tag


def best_match(hint: str | None, default: str, available: Collection[str]) -> str:
    """The shipped language closest to what the reporter's app or browser asks for.

    `hint` is a language code or an Accept-Language header (None: nothing known);
    `default` is used when nothing fits.
    """
    if hint:
        ours = {code.replace("-", "_").lower(): code for code in available}
        preferences = _preferences(hint)
        # Shahmukhi readers get Shahmukhi or nothing of Punjabi, never Gurmukhi.
        if "pa_arab" not in ours:
            preferences = [tag for tag in preferences if tag != "pa_Arab"]
        found = negotiate_locale(preferences, list(ours), sep="_", aliases={})
        if found is not None:
            return ours[found.lower()]
    return default


@lru_cache(maxsize=64)
def text_direction(locale: str) -> Direction:
    """ "rtl" for languages written right to left (Arabic, Urdu...), else "ltr"."""
    try:
        parsed = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return "ltr"
    return "rtl" if parsed.text_direction == "rtl" else "ltr"
