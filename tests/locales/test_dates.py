"""Dates typed in the reporter's language, and said back the way their locale writes dates."""

from __future__ import annotations

from datetime import datetime

import pytest

from dialogs.dates import describe_date, parse_date
from locales import LANGUAGES, translator
from tests.locales.phrases import TYPED

NOW = datetime(2026, 11, 23, 14, 0)  # a Monday


def value(text: str, code: str) -> dict[str, object]:
    parsed = parse_date(text, NOW, code, allow_future=False)
    assert hasattr(parsed, "value"), (code, text, parsed)
    result: dict[str, object] = parsed.value
    return result


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_yesterday_evening_in_the_reporters_words_is_read(code: str) -> None:
    got = value(TYPED[code]["evening"], code)
    assert (got["date"], got["time"]) == ("2026-11-22", "evening")


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_today_and_still_happening_are_read(code: str) -> None:
    assert value(TYPED[code]["today"], code)["date"] == "2026-11-23"
    assert value(TYPED[code]["ongoing"], code)["ongoing"] is True


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_numeric_dates_work_in_every_language(code: str) -> None:
    assert value("12/03/2025", code)["date"] == "2025-03-12"


@pytest.mark.parametrize(
    ("code", "text", "day"),
    [
        ("pl", "w zeszły wtorek", "2026-11-17"),
        ("cy", "dydd Mawrth diwethaf", "2026-11-17"),
        ("es", "el martes pasado", "2026-11-17"),
        ("tr", "geçen salı", "2026-11-17"),
        ("ar", "الثلاثاء الماضي", "2026-11-17"),
        ("pa", "ਪਿਛਲੇ ਮੰਗਲਵਾਰ", "2026-11-17"),
        ("so", "Talaadadii hore", "2026-11-17"),
        ("lt", "prieš 3 savaites", "2026-11-02"),
        ("bn", "প্রায় ৩ সপ্তাহ আগে", "2026-11-02"),
        ("gu", "12 માર્ચ", "2026-03-12"),
        ("tr", "12 Mart", "2026-03-12"),
        ("ur", "کل رات", "2026-11-22"),
    ],
)
def test_the_examples_the_prompts_give_are_understood(code: str, text: str, day: str) -> None:
    assert value(text, code)["date"] == day


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "Sunday 22 November 2026, evening"),
        ("pl", "niedziela, 22 listopada 2026, wieczorem"),
        ("fr", "dimanche 22 novembre 2026, le soir"),
        ("cy", "Dydd Sul, 22 Tachwedd 2026, gyda'r nos"),
    ],
)
def test_a_date_is_said_back_in_the_reporters_locale(code: str, expected: str) -> None:
    stored = {"date": "2026-11-22", "precision": "day", "time": "evening", "ongoing": False}
    assert describe_date(stored, code, translator(code)) == expected


def test_still_happening_is_said_in_the_reporters_language() -> None:
    stored = {"date": None, "text": "trwa", "time": None, "ongoing": True}
    assert describe_date(stored, "pl", translator("pl")) == "Trwa (wciąż się dzieje)"
    assert describe_date(stored, "en") == "Ongoing (still happening)"
