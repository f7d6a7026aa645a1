"""Translation lookup: gettext catalogs in locales/<lang>/LC_MESSAGES/tipline.mo.

The engine asks for a `Translator` per locale; a locale without a catalog falls
back to the script's base language (the source strings).
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

from dialogs._types import Translator

__all__ = ["DOMAIN", "LANGUAGES", "LOCALE_DIR", "translator"]

DOMAIN = "tipline"
LOCALE_DIR = Path(__file__).parent

# Languages a reporter can pick, each named in its own language.
LANGUAGES: dict[str, str] = {"en": "English"}


@lru_cache(maxsize=64)
def translator(locale: str) -> Translator:
    """The catalog for `locale`, or the source strings when there is none."""
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[locale], fallback=True)
