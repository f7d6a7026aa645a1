"""The bottom layer: languages (catalogs, lookup, negotiation, direction) and the error tree.

Catalogs live in locales/<lang>/LC_MESSAGES/tipline.po and are read directly
(see `_catalogs`). `translator(locale, default)` gives the engine a catalog
whose missing entries fall back to the deployment default and then to the
script's own text. `tipline dialogs extract` and `tipline dialogs coverage`
(`dialogs.extract`, `dialogs.coverage`) are the translators' and admins' tools,
above this layer because they read scripts. Tipline's one exception tree
(`locales.errors`) lives here too, at the bottom, so every package — the
reviewer's workstation included — raises from it without importing upwards.
"""

from __future__ import annotations

from locales._catalogs import (
    DOMAIN,
    LOCALE_DIR,
    SOURCE_LANGUAGE,
    TEMPLATE,
    catalog_for,
    catalog_name,
    chain,
    language_of,
    po_path,
    read_catalog,
)
from locales._gettext import N_, Translator, fill
from locales._negotiate import Direction, best_match, text_direction
from locales.errors import (
    ConfigError,
    ConflictError,
    KeyFileError,
    QueueError,
    ScriptError,
    ScriptIssue,
    SealError,
    StoreError,
    TamperedError,
    TiplineError,
)

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "RIGHT_TO_LEFT",
    "SOURCE_LANGUAGE",
    "TEMPLATE",
    "ConfigError",
    "ConflictError",
    "Direction",
    "KeyFileError",
    "QueueError",
    "ScriptError",
    "ScriptIssue",
    "SealError",
    "StoreError",
    "TamperedError",
    "TiplineError",
    "Translator",
    "catalog_for",
    "catalog_name",
    "fill",
    "language_of",
    "negotiate",
    "po_path",
    "read_catalog",
    "text_direction",
    "translator",
]

# The shipped languages, each named in its own language and script: the most
# spoken languages in England and Wales, and those of people most likely to avoid
# the police. Each has a complete catalog (tests/locales). A code with a region
# or script ("pt-BR", "zh-Hant", "pa-Arab") has a catalog of its own.
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
    "pt-BR": "Português (Brasil)",
    "ru": "Русский",
    "uk": "Українська",
    "bg": "Български",
    "sk": "Slovenčina",
    "hu": "Magyar",
    "sq": "Shqip",
    "vi": "Tiếng Việt",
    "zh-Hans": "简体中文",
    "zh-Hant": "繁體中文",
    "fa": "فارسی",
    "ps": "پښتو",
    "ckb": "کوردی",
    "pa-Arab": "پنجابی (شاہ مکھی)",
    "ta": "தமிழ்",
    "ti": "ትግርኛ",
}

# Languages written right to left (their replies carry direction "rtl").
RIGHT_TO_LEFT = frozenset(code for code in LANGUAGES if text_direction(code) == "rtl")


def translator(locale: str, default: str | None = None) -> Translator:
    """The catalog for `locale`; what it lacks comes from `default`'s, then the source text."""
    return chain(locale, default)


def negotiate(hint: str | None, default: str) -> str:
    """The language a new conversation starts in: the shipped language that best fits
    `hint` (a language code or an Accept-Language header), else `default`."""
    return best_match(hint, default, LANGUAGES)
