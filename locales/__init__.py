"""Languages: gettext catalogs, translation lookup, negotiation and text direction.

Catalogs live in locales/<lang>/LC_MESSAGES/tipline.po and are read directly
(see `_catalogs`). `translator(locale, default)` gives the engine a catalog
whose missing entries fall back to the deployment default and then to the
script's own text. `tipline dialogs extract` and `tipline dialogs coverage`
(modules `extract` and `coverage`) are the translators' and admins' tools.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from locales._catalogs import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE, TEMPLATE, chain, language_of
from locales._negotiate import Direction, best_match, text_direction

if TYPE_CHECKING:  # the engine imports this package; keep the import one-way at run time
    from dialogs._types import Translator

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "SOURCE_LANGUAGE",
    "TEMPLATE",
    "Direction",
    "language_of",
    "negotiate",
    "text_direction",
    "translator",
]

# The shipped languages, each named in its own language and script: the most
# spoken languages in London and Wales. Each has a complete catalog (tests/locales).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "cy": "Cymraeg",
    "pl": "Polski",
    "ro": "Română",
    "pt": "Português",
    "es": "Español",
    "fr": "Français",
    "it": "Italiano",
    "lt": "Lietuvių",
    "tr": "Türkçe",
    "ar": "العربية",
    "ur": "اردو",
    "bn": "বাংলা",
    "pa": "ਪੰਜਾਬੀ",
    "gu": "ગુજરાતી",
    "so": "Soomaali",
}


def translator(locale: str, default: str | None = None) -> Translator:
    """The catalog for `locale`; what it lacks comes from `default`'s, then the source text."""
    return chain(locale, default)


def negotiate(hint: str | None, default: str) -> str:
    """The language a new conversation starts in: the shipped language that best fits
    `hint` (a language code or an Accept-Language header), else `default`."""
    return best_match(hint, default, LANGUAGES)
