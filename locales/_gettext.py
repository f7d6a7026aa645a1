"""What every layer needs to speak the reporter's language: the catalog seam and two helpers.

`Translator` is what code needs of a catalog (`gettext.NullTranslations` fits);
`N_` marks an English message for extraction without translating it; `fill`
puts values into a translated template without ever breaking a turn.
"""

from __future__ import annotations

from typing import Protocol


class Translator(Protocol):
    """What code needs of a gettext catalog (gettext.NullTranslations fits)."""

    def gettext(self, message: str, /) -> str: ...
    def pgettext(self, context: str, message: str, /) -> str: ...
    def __hash__(self) -> int: ...  # catalogs are cached per locale; lookups key on them


def N_(message: str) -> str:
    """Mark a message for translation without translating it (the caller does that)."""
    return message


def fill(translated: str, source: str, /, **params: str) -> str:
    """A translated template with `params` filled in; a broken translation (a missing
    or mistyped placeholder) falls back to the source template, never breaking a turn.

    In right-to-left text each value is isolated (U+2066 LRI or U+2068 FSI … U+2069
    PDI), so a reference, a receipt's digit groups or a number keep their order and
    are copied as they are, whatever the Arabic or Urdu around them.
    """
    if not params:
        return translated
    if _has_rtl(translated):
        params = {name: _isolated(value) for name, value in params.items()}
    try:
        return translated.format(**params)
    except (KeyError, IndexError, ValueError):
        return source.format(**params)


def _has_rtl(text: str) -> bool:
    return any("\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufeff" for ch in text)


def _isolated(value: str) -> str:
    """`value` isolated: left to right when it holds no right-to-left letter, else by its
    first strong letter."""
    return ("\u2068" if _has_rtl(value) else "\u2066") + value + "\u2069"
