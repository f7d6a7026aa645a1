"""The language a new conversation starts in, and which way the text runs."""

from __future__ import annotations

import pytest

from locales import LANGUAGES, RIGHT_TO_LEFT, negotiate, text_direction


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("pl", "pl"),  # Telegram's language_code
        ("pt-br", "pt-BR"),
        ("pt-PT", "pt"),
        ("pl-PL,pl;q=0.9,en-GB;q=0.8,en;q=0.7", "pl"),  # a browser's Accept-Language
        ("de-DE,de;q=0.9,ro;q=0.5", "ro"),  # the first shipped language in the list
        ("fr;q=0.2, ur;q=0.8", "ur"),  # quality, not order, decides
        ("cy-GB", "cy"),
        ("pa-Guru-IN", "pa"),
        ("pa-Arab-PK,ur;q=0.5", "pa-Arab" if "pa-Arab" in LANGUAGES else "ur"),  # never Gurmukhi
        ("de-DE", "en"),  # nothing shipped fits: the deployment default
        ("*", "en"),
        ("xx;q=nonsense", "en"),
        (None, "en"),
        ("", "en"),
    ],
)
def test_the_reporters_app_or_browser_language_is_negotiated(
    hint: str | None, expected: str
) -> None:
    assert negotiate(hint, "en") == expected


def test_a_deployment_default_other_than_english_is_used_when_nothing_fits() -> None:
    assert negotiate("de", "cy") == "cy"
    assert negotiate(None, "cy") == "cy"


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_arabic_script_languages_run_right_to_left_and_the_others_left_to_right(code: str) -> None:
    rtl = {"ar", "ur", "fa", "ps", "ckb", "pa-Arab"}
    assert text_direction(code) == ("rtl" if code in rtl else "ltr")
    assert (code in RIGHT_TO_LEFT) == (code in rtl)


def test_an_unknown_locale_runs_left_to_right() -> None:
    assert text_direction("zz") == "ltr"
    assert text_direction("not a locale!") == "ltr"
