"""Load the gettext catalogs straight from their `.po` files, with a fallback chain.

The `.po` files are what translators edit and what ships; there are no compiled
`.mo` files to forget to rebuild. Each catalog is read once with Babel, turned
into an in-memory `.mo` and opened with the standard library's
`gettext.GNUTranslations`, so lookups cost what gettext costs. Fuzzy entries
are left out, as `msgfmt` does: a translation of an older English text is never
shown in place of the current one.

The chain for a reporter is their language, then the deployment's default,
then the script's own text (the msgids).
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "tipline"
LOCALE_DIR = Path(__file__).parent
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
SOURCE_LANGUAGE = "en"  # the language of the msgids: engine strings and the shipped script


def language_of(locale: str) -> str:
    """The language part of a locale code: "pt-BR" and "pt_BR" give "pt"."""
    return locale.replace("-", "_").split("_", 1)[0].lower()


def catalog_name(code: str) -> str:
    """The folder of a shipped code's catalog: "pl", "pt_BR", "zh_Hant", "pa_Arab"."""
    language, _, rest = code.replace("-", "_").partition("_")
    if not rest:
        return language.lower()
    return f"{language.lower()}_{rest.title() if len(rest) == 4 else rest.upper()}"


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / catalog_name(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_for(locale: str, locale_dir: Path = LOCALE_DIR) -> str:
    """The catalog a locale reads: its own where one ships ("pt-BR", "zh-Hant", "pa-Arab"),
    else its language's ("pl-PL" reads "pl")."""
    own = catalog_name(locale)
    return own if "_" in own and po_path(own, locale_dir).is_file() else language_of(locale)


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    """A `.po` or `.pot` file as a Babel catalog."""
    with path.open("rb") as fp:
        return read_po(fp, locale=language and catalog_name(language), domain=DOMAIN)


@lru_cache(maxsize=32)
def _compiled(language: str, locale_dir: Path) -> bytes | None:
    """The catalog of `language` as `.mo` bytes (fuzzy entries left out), or None."""
    path = po_path(language, locale_dir)
    if not path.is_file():
        return None
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(path, language), use_fuzzy=False)
    return buffer.getvalue()


def _open(language: str, locale_dir: Path) -> gettext.NullTranslations | None:
    data = _compiled(language, locale_dir)
    return None if data is None else gettext.GNUTranslations(io.BytesIO(data))


@lru_cache(maxsize=64)
def chain(
    locale: str, default: str | None = None, locale_dir: Path = LOCALE_DIR
) -> gettext.NullTranslations:
    """The reporter's catalog → the deployment default's → the source text.

    Each call builds its own objects: `add_fallback` changes the catalog it is
    called on, so a catalog is never shared between two chains.
    """
    if language_of(locale) == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    languages = dict.fromkeys(catalog_for(code, locale_dir) for code in (locale, default) if code)
    links = [_open(language, locale_dir) for language in languages]
    found = [link for link in links if link is not None]
    if not found:
        return gettext.NullTranslations()
    head = found[0]
    for link in found[1:]:
        head.add_fallback(link)
    return head
