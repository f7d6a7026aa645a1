"""Dates as people say them, read against a fixed "now": Monday 23 November 2026, 14:00."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialogs.dates import describe_date
from dialogs.parsers import Parsed, Rejected, parse_date

NOW = datetime(2026, 11, 23, 14, 0)  # a Monday


def parsed(text: str, locale: str = "en", allow_future: bool = False) -> Parsed:
    result = parse_date(text, NOW, locale, allow_future)
    assert isinstance(result, Parsed), (text, result)
    return result


def shown(result: Parsed | Rejected) -> str:
    assert isinstance(result, Rejected), result
    return result.message.format(**result.params)


@pytest.mark.parametrize(
    ("text", "iso", "precision", "time"),
    [
        ("yesterday", "2026-11-22", "day", None),
        ("last Tuesday evening", "2026-11-17", "day", "evening"),
        ("12/03", "2026-03-12", "day", None),
        ("12 March 2025", "2025-03-12", "day", None),
        ("March 2024", "2024-03-01", "month", None),
        ("2023", "2023-01-01", "year", None),
        ("this morning", "2026-11-23", "day", "morning"),
        ("today", "2026-11-23", "day", None),
        ("Tuesday", "2026-11-17", "day", None),
        ("2025-03-12", "2025-03-12", "day", None),
        ("12/03/2025", "2025-03-12", "day", None),
        ("12.03.25", "2025-03-12", "day", None),
        ("last night", "2026-11-22", "day", "night"),
        ("yesterday afternoon", "2026-11-22", "day", "afternoon"),
        ("9pm last night", "2026-11-22", "day", "21:00"),
        ("yesterday at 15:30", "2026-11-22", "day", "15:30"),
        ("around 10.30am on Friday", "2026-11-20", "day", "10:30"),
        ("last weekend", "2026-11-21", "day", None),
        ("Christmas", "2025-12-25", "day", None),
        ("mid-March", "2026-03-01", "month", None),
        ("early March 2024", "2024-03-01", "month", None),
        ("sometime last year", "2025-01-01", "year", None),
        ("he stopped me on the 5th", "2026-11-05", "day", None),
    ],
)
def test_dates_as_people_type_them(text: str, iso: str, precision: str, time: str | None) -> None:
    result = parsed(text)
    assert result.value == {
        "text": text,
        "date": iso,
        "precision": precision,
        "time": time,
        "ongoing": False,
    }


@pytest.mark.parametrize(
    ("text", "locale", "precision", "start", "end"),
    [
        ("about 3 weeks ago", "en", "about", "2026-10-30", "2026-11-05"),
        ("a couple of weeks ago", "en", "about", "2026-11-06", "2026-11-12"),
        ("two weeks ago", "en", "about", "2026-11-06", "2026-11-12"),
        ("a few days ago", "en", "about", "2026-11-19", "2026-11-21"),
        ("last week", "en", "week", "2026-11-16", "2026-11-22"),
        ("hace dos semanas", "es", "about", "2026-11-06", "2026-11-12"),
        ("dwa tygodnie temu", "pl", "about", "2026-11-06", "2026-11-12"),
        ("la semana pasada", "es", "week", "2026-11-16", "2026-11-22"),
        ("w zeszlym tygodniu", "pl", "week", "2026-11-16", "2026-11-22"),
        ("bythefnos yn ôl", "cy", "about", "2026-11-06", "2026-11-12"),
        ("geçen hafta", "tr", "week", "2026-11-16", "2026-11-22"),
        ("الأسبوع الماضي", "ar", "week", "2026-11-16", "2026-11-22"),
        ("laba toddobaad ka hor", "so", "about", "2026-11-06", "2026-11-12"),
    ],
)
def test_a_relative_answer_is_kept_as_the_range_it_names_not_a_day(
    text: str, locale: str, precision: str, start: str, end: str
) -> None:
    value = parsed(text, locale).value
    assert (value["precision"], value["from"], value["to"]) == (precision, start, end)


def test_a_range_is_said_back_as_a_range() -> None:
    assert describe_date(parsed("2 weeks ago").value, "en") == (
        "some time between Friday 6 November and Thursday 12 November 2026"
    )
    assert describe_date(parsed("last week").value, "en") == (
        "the week from Monday 16 November to Sunday 22 November 2026"
    )


@pytest.mark.parametrize(
    ("text", "locale", "iso", "precision", "time"),
    [
        ("nos Fawrth diwethaf", "cy", "2026-11-17", "day", "night"),
        ("fis diwethaf", "cy", "2026-10-01", "month", None),
        ("martta", "tr", "2026-03-01", "month", None),
        ("মার্চে", "bn", "2026-03-01", "month", None),
        ("માર્ચમાં", "gu", "2026-03-01", "month", None),
        ("آذار", "ar", "2026-03-01", "month", None),
        ("a marzo", "it", "2026-03-01", "month", None),
        ("il mese scorso", "it", "2026-10-01", "month", None),
        ("l'année dernière", "fr", "2025-01-01", "year", None),
        ("ਪਿਛਲੇ ਸਾਲ", "pa", "2025-01-01", "year", None),
    ],
)
def test_mutated_inflected_and_regional_date_words(
    text: str, locale: str, iso: str, precision: str, time: str | None
) -> None:
    value = parsed(text, locale).value
    assert (value["date"], value["precision"], value["time"]) == (iso, precision, time)


def test_day_first_without_a_year_in_the_future_means_last_year() -> None:
    assert parsed("25/12").value["date"] == "2025-12-25"


@pytest.mark.parametrize(
    "text", ["ongoing", "still happening", "it's ongoing", "It’s still going on"]
)
def test_ongoing_is_recorded_without_a_date(text: str) -> None:
    result = parsed(text)
    assert result.value == {
        "text": text,
        "date": None,
        "precision": None,
        "time": None,
        "ongoing": True,
    }
    assert result.echo == "Ongoing (still happening)"


def test_ongoing_since_a_date_keeps_both() -> None:
    result = parsed("still happening since March 2024")
    assert result.value["ongoing"] is True
    assert result.value["date"] == "2024-03-01"
    assert result.echo == "March 2024, still happening"


def test_every_date_is_confirmed_with_an_unambiguous_echo() -> None:
    assert parsed("last Tuesday evening").echo == "Tuesday 17 November 2026, evening"
    assert parsed("12/03").echo == "Thursday 12 March 2026"
    assert parsed("March 2024").echo == "March 2024"
    assert parsed("2023").echo == "2023"
    assert parsed("yesterday at 15:30").echo == "Sunday 22 November 2026, 15:30"
    assert all(parsed(t).confirm for t in ("yesterday", "2023", "ongoing"))


def test_the_echo_uses_the_reporters_language() -> None:
    assert parsed("last Tuesday", locale="fr").echo == "mardi 17 novembre 2026"


def test_dates_in_the_reporters_language_are_read() -> None:
    assert parsed("hier", locale="fr").value["date"] == "2026-11-22"
    assert parsed("yesterday", locale="fr").value["date"] == "2026-11-22"


def test_an_unknown_locale_falls_back_to_english() -> None:
    assert parsed("yesterday", locale="xx").echo == "Sunday 22 November 2026"


@pytest.mark.parametrize("text", ["tomorrow", "next week", "12/03/2027", "2027"])
def test_a_future_date_is_rejected(text: str) -> None:
    assert shown(parse_date(text, NOW, "en", False)).startswith("That date is in the future.")


def test_a_future_date_is_accepted_when_the_step_allows_it() -> None:
    assert parsed("tomorrow", allow_future=True).value["date"] == "2026-11-24"


@pytest.mark.parametrize("text", ["1949", "12/03/1949", "1 Jan 1900"])
def test_a_date_before_1950_is_rejected(text: str) -> None:
    assert "before 1950" in shown(parse_date(text, NOW, "en", False))


@pytest.mark.parametrize(
    "text",
    ["asdf", "he was rude", "I may have seen him", "we met at the pub", "in the evening",
     "99999 years ago", "", "x" * 300],
)  # fmt: skip
def test_text_that_is_not_a_date_gets_examples_and_the_dont_know_way_out(text: str) -> None:
    message = shown(parse_date(text, NOW, "en", False))
    assert message.startswith("I couldn't read that as a date.")
    assert "don't know" in message


def test_a_timezone_aware_now_is_accepted() -> None:
    result = parse_date("yesterday", NOW.replace(tzinfo=UTC), "en", False)
    assert isinstance(result, Parsed)
    assert result.value["date"] == "2026-11-22"


def test_describe_date_renders_each_precision_in_english() -> None:
    base = {"text": "", "time": None, "ongoing": False}
    assert describe_date(base | {"date": "2026-11-17", "precision": "day"}, "en") == (
        "Tuesday 17 November 2026"
    )
    assert describe_date(base | {"date": "2024-03-01", "precision": "month"}, "en") == "March 2024"
    assert describe_date(base | {"date": "2023-01-01", "precision": "year"}, "en") == "2023"
    ongoing = base | {"date": None, "precision": None, "ongoing": True}
    assert describe_date(ongoing, "en") == "Ongoing (still happening)"
