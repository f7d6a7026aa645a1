"""Date answers: read a date the way people say it, and say it back unmistakably.

"yesterday evening", "last Tuesday", "about 3 weeks ago", "12/03" (day first,
UK style), "March 2024", "2023", "it's still happening". Fillers, part of day,
holidays and weekends are handled here; `dateparser` reads what is left, in
the reporter's language and English. Date words of other languages are first
put into English (`_datewords`: "wczoraj wieczorem" → "yesterday evening").
The engine always asks "Is that right?", so the echo names weekday, day, month
and year in full, written the way the reporter's locale writes dates (Babel).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from dateparser.data import language_order
from dateparser.date import DateDataParser
from dateparser.search import search_dates

from dialogs._datewords import normalise, to_english
from dialogs._text import N_, Parsed, Rejected, clean, fill
from locales import Translator, language_of

DATE_UNREADABLE = N_(
    'I couldn\'t read that as a date. Try something like "last Tuesday", "12 March" '
    'or "about 3 weeks ago". If you\'re not sure, type "don\'t know".'
)
DATE_FUTURE = N_('That date is in the future. Please check it, or type "don\'t know".')
DATE_TOO_OLD = N_('That date is before 1950. Please check the year, or type "don\'t know".')
SHOWN_ONGOING = N_("Ongoing (still happening)")
SHOWN_STILL = N_("{date}, still happening")
SHOWN_WEEK = N_("the week from {start} to {end}")
SHOWN_ABOUT = N_("some time between {start} and {end}")
# TRANSLATORS: parts of the day, shown after a date: "Tuesday 17 November 2026, evening".
PART_NAMES = {
    "morning": N_("morning"),
    "afternoon": N_("afternoon"),
    "evening": N_("evening"),
    "night": N_("night"),
}

EARLIEST = date(1950, 1, 1)
PARTS_OF_DAY = ("morning", "afternoon", "evening", "night")
_MAX_DATE_TEXT = 200  # longer text is not a date; it also keeps dateparser fast

# Letters, digits and marks stay (Indic vowel signs and Arabic vowel marks are not \w).
_NOT_DATE_CHARS = re.compile(r"[^\w\s/.:\-\u0300-\u036f\u064b-\u065f\u0670\u0900-\u0dff]")
_ONGOING = re.compile(
    r"\b(?:on-?going|on going|still (?:happening|going on|going|continuing|now)"
    r"|happening now|continuing|all the time|every ?day|to this day|until now)\b"
)
_HOLIDAYS = (
    (re.compile(r"\b(?:christmas|xmas) eve\b"), "24 december"),
    (re.compile(r"\b(?:christmas day|christmas|xmas)\b"), "25 december"),
    (re.compile(r"\bboxing day\b"), "26 december"),
    (re.compile(r"\b(?:new years eve|hogmanay)\b"), "31 december"),
    (re.compile(r"\bnew years? day\b"), "1 january"),
    (re.compile(r"\bvalentines(?: day)?\b"), "14 february"),
    (re.compile(r"\bhalloween\b"), "31 october"),
    (re.compile(r"\b(?:bonfire|guy fawkes) night\b"), "5 november"),
)
_QUANTITIES = (
    (re.compile(r"\b(?:a )?couple(?: of)?\b"), "2"),
    (re.compile(r"\b(?:a few|few|several)\b"), "3"),
    (re.compile(r"\b(?:a )?fortnight\b"), "2 weeks"),
)
_CLOCK_12 = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m\b\.?")
_CLOCK_24 = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")
_NAMED_TIMES = (
    (re.compile(r"\b(?:noon|midday)\b"), "12:00"),
    (re.compile(r"\bmidnight\b"), "00:00"),
)
_RELATIVE_PARTS = (  # (phrase, the day it names, its part of day; None: the phrase says)
    (re.compile(r"\bthis (morning|afternoon|evening)\b"), "today", None),
    (re.compile(r"\b(?:tonight|this night)\b"), "today", "night"),
    (re.compile(r"\blast night\b"), "yesterday", "night"),
)
_PART = re.compile(
    r"\b(?:(?:early|late) )?(?:(?:in|during) the |at |in |during )?"
    r"(morning|afternoon|evening|night|overnight|lunchtime|lunch time|teatime)s?\b"
)
_PART_NAMES = {
    "overnight": "night",
    "lunchtime": "afternoon",
    "lunch time": "afternoon",
    "teatime": "evening",
}
_WEEKEND = re.compile(r"\b(last |this |the )?weekend\b")
_FILLERS = re.compile(
    r"\b(?:about|around|roughly|approximately|approx|circa|maybe|perhaps|probably|possibly"
    r"|sometime|some time|i think|i believe|i guess|i reckon|or so|give or take|or something"
    r"|it was|it is|its|it|was|is|happened|started|began|since|from|on|at|in|during|the"
    r"|just gone|gone|just|early|mid|late|start of|beginning of|end of|middle of|of|and)\b"
    r"|(?<=\d)ish\b|-ish\b|\bish\b"
)
_ONE_WORD_DATES = frozenset(
    {
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "june", "july", "august", "september"),
        *("october", "november", "december", "yesterday", "today"),
    }
)
_DATEPARSER_LANGUAGES = frozenset(language_order)
_THIS_OR_LAST_WEEK = re.compile(r"\b(last|this) week\b")


def _span(work: str, day: date, today: date, shifts: bool) -> tuple[str, date, date] | None:
    """The range a relative answer names, and its kind; None when it names a day.

    "last week" is that calendar week, Monday to Sunday. An answer that moves
    with the day it is read on (`shifts`: "2 weeks ago", "hace 5 días", not
    "last Tuesday" or "12 March") names a day or a few either side: three
    days for a week or more ago, one for three to six days, none for two.
    """
    if found := _THIS_OR_LAST_WEEK.search(work):
        monday = today - timedelta(days=today.weekday() + (7 if found.group(1) == "last" else 0))
        return "week", monday, min(monday + timedelta(days=6), today)
    ago = (today - day).days
    if not shifts or ago < 3:
        return None
    slack = timedelta(days=3 if ago >= 7 else 1)
    return "about", day - slack, min(day + slack, today)


def _normalise(text: str) -> str:
    return " ".join(_NOT_DATE_CHARS.sub(" ", normalise(text)).split())


def _take_time(work: str) -> tuple[str, str | None]:
    """Remove the time of day from the text; return what is left and the time found."""
    clock: str | None = None
    if found := _CLOCK_12.search(work):
        hour, minute = int(found.group(1)), int(found.group(2) or 0)
        if 1 <= hour <= 12 and minute < 60:
            clock = f"{hour % 12 + (12 if found.group(3) == 'p' else 0):02d}:{minute:02d}"
            work = work[: found.start()] + " " + work[found.end() :]
    elif found := _CLOCK_24.search(work):
        clock = f"{int(found.group(1)):02d}:{found.group(2)}"
        work = work[: found.start()] + " " + work[found.end() :]
    for named, value in _NAMED_TIMES:
        if named.search(work):
            clock, work = clock or value, named.sub(" ", work)
    part: str | None = None
    for relative, day, named_part in _RELATIVE_PARTS:
        if found := relative.search(work):
            part = named_part or found.group(1)
            work = relative.sub(day, work)
    if found := _PART.search(work):
        part = part or _PART_NAMES.get(found.group(1), found.group(1))
        work = _PART.sub(" ", work)
    return work, clock or part


def _rewrite(work: str, today: date) -> str:
    """Turn weekends and vague quantities into words dateparser knows; drop fillers."""
    for pattern, replacement in _QUANTITIES:
        work = pattern.sub(replacement, work)
    if found := _WEEKEND.search(work):
        saturday = today - timedelta(days=(today.weekday() - 5) % 7)
        if found.group(1) == "last " and today.weekday() >= 5:
            saturday -= timedelta(days=7)
        work = _WEEKEND.sub(saturday.isoformat(), work)
    work = _FILLERS.sub(" ", work)
    words = [w for w in work.split() if any(ch.isalnum() for ch in w)]
    return " ".join(words).strip(" .-/:")


def _languages(locale: str) -> list[str]:
    language = locale.replace("-", "_").split("_", 1)[0].lower()
    return [language, "en"] if language != "en" and language in _DATEPARSER_LANGUAGES else ["en"]


def _plausible(phrase: str) -> bool:
    """A date found inside a sentence counts only if it is clearly a date, not "we" or "may"."""
    words = phrase.split()
    return any(ch.isdigit() for ch in phrase) or len(words) > 1 or phrase in _ONE_WORD_DATES


def _read(work: str, languages: list[str], settings: Mapping[str, Any]) -> tuple[date, str] | None:
    """The date and dateparser's period ("day", "week", "month", "year") or None."""
    parser = DateDataParser(languages=languages, settings=dict(settings))
    try:
        data = parser.get_date_data(work)
        if data.date_obj is None:
            found = search_dates(work, languages=languages, settings=dict(settings)) or []
            phrases = [phrase for phrase, _ in found if _plausible(phrase)]
            data = parser.get_date_data(phrases[0]) if phrases else data
    except (ValueError, OverflowError):  # absurd numbers ("99999 years ago")
        return None
    if data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


def _moves(work: str, locale: str, settings: Mapping[str, Any]) -> bool:
    """Whether `work` names a day counted back from today ("3 weeks ago"): read a day later,
    it moves by a day. (A weekday moves by 0 or 7 days, a date not at all.)"""
    base: datetime = settings["RELATIVE_BASE"]
    later = _read(work, _languages(locale), {**settings, "RELATIVE_BASE": base + timedelta(days=1)})
    first = _read(work, _languages(locale), settings)
    return later is not None and first is not None and (later[0] - first[0]).days == 1


def parse_date(text: str, now: datetime, locale: str, allow_future: bool) -> Parsed | Rejected:
    """When something happened; the reporter is asked to confirm the echo before it is kept."""
    typed = clean(text)
    base = now.replace(tzinfo=None)
    if not typed or len(typed) > _MAX_DATE_TEXT:
        return Rejected(DATE_UNREADABLE)
    work = to_english(_normalise(typed), language_of(locale))
    ongoing = _ONGOING.search(work) is not None
    work = _ONGOING.sub(" ", work)
    for holiday, day_and_month in _HOLIDAYS:  # before the time: "bonfire night" is a day
        work = holiday.sub(day_and_month, work)
    work, when = _take_time(work)
    work = _rewrite(work, base.date())
    value: dict[str, Any] = {
        "text": typed,
        "date": None,
        "precision": None,
        "time": when,
        "ongoing": ongoing,
    }
    settings = {
        "PREFER_DATES_FROM": "current_period" if allow_future else "past",
        "DATE_ORDER": "DMY",
        "RELATIVE_BASE": base,
        "RETURN_AS_TIMEZONE_AWARE": False,
        # Dates as people say them; not Unix timestamps or "20150705"-style digit runs,
        # whose parsers cost a reading of "tuesday" 1.3 ms instead of 0.4 ms.
        "PARSERS": ["relative-time", "absolute-time"],
    }
    found = _read(work, _languages(locale), settings) if work else None
    if found is None:
        if ongoing:
            return Parsed(value, echo=describe_date(value, locale), confirm=True)
        return Rejected(DATE_UNREADABLE)
    day, period = found
    today = base.date()
    precision = {"month": "month", "year": "year"}.get(period, "day")
    if precision == "month":
        day, today = day.replace(day=1), today.replace(day=1)
    elif precision == "year":
        day, today = date(day.year, 1, 1), date(today.year, 1, 1)
    if day > today and not allow_future:
        return Rejected(DATE_FUTURE)
    if day < EARLIEST:
        return Rejected(DATE_TOO_OLD)
    value |= {"date": day.isoformat(), "precision": precision}
    if precision == "day" and (span := _span(work, day, today, _moves(work, locale, settings))):
        kind, start, end = span
        value |= {"precision": kind, "from": start.isoformat(), "to": end.isoformat()}
    return Parsed(value, echo=describe_date(value, locale), confirm=True)


@lru_cache(maxsize=64)
def _babel_locale(locale: str) -> Locale:
    """The Babel locale for formatting; plain "en" is written the UK way."""
    try:
        parsed = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")
    return Locale.parse("en_GB") if parsed.language == "en" and not parsed.territory else parsed


def _day_words(day: date, babel: Locale, year: bool = True) -> str:
    """ "Monday 2 November 2026" the way `babel` writes it (English: the year only once)."""
    if babel.language != "en":
        return format_date(day, "full", locale=babel)
    return format_date(day, "EEEE d MMMM y" if year else "EEEE d MMMM", locale=babel)


def describe_date(value: Mapping[str, Any], locale: str, tr: Translator | None = None) -> str:
    """A stored date answer as words: "Tuesday 17 November 2026, evening", "March 2024",
    "some time between Monday 2 November and Sunday 8 November 2026".

    With `tr`, the words around the date ("evening", "still happening") are in
    the reporter's language too; without it they are English.
    """

    def t(msgid: str) -> str:
        return msgid if tr is None else tr.gettext(msgid)

    iso = value.get("date")
    if not iso:
        return t(SHOWN_ONGOING) if value.get("ongoing") else str(value.get("text", ""))
    day = date.fromisoformat(str(iso))
    babel = _babel_locale(locale)
    precision = value.get("precision") or "day"
    if precision in ("week", "about") and value.get("from") and value.get("to"):
        start, end = date.fromisoformat(str(value["from"])), date.fromisoformat(str(value["to"]))
        template = SHOWN_WEEK if precision == "week" else SHOWN_ABOUT
        shown = fill(
            t(template),
            template,
            start=_day_words(start, babel, year=start.year != end.year),
            end=_day_words(end, babel),
        )
    elif precision == "year":
        shown = str(day.year)
    elif precision == "month":
        shown = format_skeleton("yMMMM", datetime(day.year, day.month, 1), locale=babel)
    else:
        pattern = "EEEE d MMMM y" if babel.language == "en" else "full"
        shown = format_date(day, pattern, locale=babel)
        when = value.get("time")
        if isinstance(when, str) and when in PART_NAMES and (babel.language == "en" or tr):
            shown = f"{shown}, {t(PART_NAMES[when])}"
        elif isinstance(when, str) and re.fullmatch(r"\d\d:\d\d", when):
            clock = time(int(when[:2]), int(when[3:]))
            shown = f"{shown}, {format_time(clock, 'short', locale=babel)}"
    if not value.get("ongoing"):
        return shown
    return fill(t(SHOWN_STILL), SHOWN_STILL, date=shown)


def warm_up() -> None:
    """Load dateparser's language data now (~0.1 s) rather than on a reporter's first date."""
    parse_date("last tuesday", datetime(2026, 1, 1), "en", allow_future=False)
