"""Every shipped language is complete: the check that fails when a translation is missing."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from dialogs.catalogs import PROJECT_ROOT, shipped_scripts
from dialogs.coverage import MACHINE_MARK, Coverage, check, placeholders
from dialogs.extract import build_template
from locales import LANGUAGES, SOURCE_LANGUAGE, po_path, read_catalog, translator

SHIPPED = [code for code in LANGUAGES if code != SOURCE_LANGUAGE]
NATIVE_NAMES = {
    "en": "English", "cy": "Cymraeg", "pl": "Polski", "ro": "Română", "pt": "Português",
    "es": "Español", "fr": "Français", "it": "Italiano", "lt": "Lietuvių", "tr": "Türkçe",
    "ar": "العربية", "ur": "اردو", "bn": "বাংলা", "pa": "ਪੰਜਾਬੀ", "gu": "ગુજરાતી",
    "so": "Soomaali", "pt-BR": "Português (Brasil)",
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
}  # fmt: skip


@cache
def template() -> Catalog:
    """Every string the code and the shipped scripts say, extracted now (not the .pot)."""
    return build_template(PROJECT_ROOT, shipped_scripts())


@cache
def catalog(code: str) -> Catalog:
    return read_catalog(po_path(code), code)


def test_the_languages_are_offered_in_their_own_names() -> None:
    assert LANGUAGES == NATIVE_NAMES


@pytest.mark.parametrize("code", SHIPPED)
def test_every_string_is_translated_with_no_fuzzy_entry_and_every_placeholder_kept(
    code: str,
) -> None:
    result = check(template(), catalog(code), code)
    assert not result.missing, f"{code}: untranslated {list(result.missing)}"
    assert not result.fuzzy, f"{code}: fuzzy {list(result.fuzzy)}"
    assert not result.mismatched, f"{code}: placeholders {list(result.mismatched)}"
    assert result.complete
    assert result.percent == 100.0


@pytest.mark.parametrize("code", SHIPPED)
def test_each_catalog_says_honestly_whether_a_native_speaker_reviewed_it(code: str) -> None:
    header = catalog(code).header_comment or ""
    assert MACHINE_MARK in header or "Reviewed by" in header


@pytest.mark.parametrize("code", SHIPPED)
def test_the_catalog_is_used_at_run_time(code: str) -> None:
    """A translated prompt comes out of the translator the engine is given."""
    english = "Is anyone in danger right now?"
    said = translator(code).pgettext("police-misconduct:danger:say", english)
    assert said != english
    assert said == catalog(code).get(english, "police-misconduct:danger:say").string


def test_coverage_counts_missing_fuzzy_and_placeholder_mismatches() -> None:
    template = Catalog(locale="en")
    template.add("Hello {name}")
    template.add("Bye")
    template.add("Skip", context="s:x:say")
    partial = Catalog(locale="pl")
    partial.add("Hello {name}", "Cześć {imie}")
    partial.add("Bye", "Pa", flags=["fuzzy"])
    result = check(template, partial, "pl")
    assert (result.translated, len(result.fuzzy), len(result.missing)) == (0, 1, 1)
    assert len(result.mismatched) == 1
    assert "name" in result.mismatched[0]
    assert not result.complete
    assert check(template, None, "pl").missing
    assert not Coverage("pl", 0, 0).fuzzy


def test_placeholders_are_read_as_format_fields() -> None:
    assert placeholders("{count} files, {max} at most") == {"count", "max"}
    assert placeholders("no fields") == frozenset()
    assert placeholders("a { stray brace") is None


def test_the_shipped_template_file_exists_for_translation_tools() -> None:
    pot = Path(po_path("pl")).parents[2] / "tipline.pot"
    assert "msgctxt" in pot.read_text(encoding="utf-8")
