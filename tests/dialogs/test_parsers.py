"""The answer parsers: what a reporter may type for each kind of question."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from dialogs._text import _clean_unicode, _fold_unicode, fold
from dialogs._types import Option
from dialogs._words import NO, UNKNOWN, YES
from dialogs.parsers import (
    Parsed,
    Rejected,
    clean,
    display,
    is_unknown,
    option_words,
    parse_choice,
    parse_date,
    parse_multi,
    parse_text,
    parse_yesno,
)

HOW = (
    Option("in_person", "In person"),
    Option("online", "Online"),
    Option("phone", "By phone or message"),
)
ROLE = (
    Option("officer", "Police officer"),
    Option("staff", "Police staff"),
    Option("dont_know", "Don't know"),
)
MONDAY = datetime(2026, 11, 23, 14, 0)


def shown(result: Parsed | Rejected) -> str:
    """The rejection as the reporter reads it (English), placeholders filled in."""
    assert isinstance(result, Rejected), result
    return result.message.format(**result.params)


def value(result: Parsed | Rejected) -> object:
    assert isinstance(result, Parsed), result
    return result.value


# --- clean -------------------------------------------------------------------


def test_clean_removes_control_characters_but_keeps_lines_and_tabs() -> None:
    assert clean("  one\x00two\x07\r\nthree\tfour\x1b  ") == "onetwo\nthree\tfour"


def test_clean_removes_bidi_overrides_and_invisible_tags() -> None:
    assert clean("abc\u202edcba\u2066x\u2069\ufeff\U000e0041") == "abcdcbax"


def test_clean_keeps_right_to_left_text_and_joiners() -> None:
    arabic = "ضربني الشرطي"  # "the officer hit me"
    persian = "می\u200cخواهم"  # zero-width non-joiner is part of the spelling
    assert clean(f" {arabic} ") == arabic
    assert clean(persian) == persian


def test_clean_composes_accents_nfc() -> None:
    assert clean("Cafe\u0301") == "Café"


def test_fold_ignores_case_accents_apostrophes_and_punctuation() -> None:
    assert fold("  Don’t   KNOW!! ") == fold("dont know") == "dont know"
    assert fold("Éire-Police") == "eire police"


# --- is_unknown --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["don't know", "Don’t Know!", "dont know", "do not know", "Not sure.", "unknown",
     "No idea", "?", "??", "idk", "IDK", "I don't know", "dunno"],
)  # fmt: skip
def test_dont_know_is_understood_in_its_usual_spellings(text: str) -> None:
    assert is_unknown(text, "en")


@pytest.mark.parametrize(
    "text",
    ["I don't know his name", "dont know the number", "nie wiem jak sie nazywa"],
)
def test_dont_know_with_a_few_words_more_is_dont_know(text: str) -> None:
    assert is_unknown(text, "pl" if "nie" in text else "en")


@pytest.mark.parametrize(
    "text",
    ["no", "", "sure", "known", "I don't know his name but he was tall", "not sure, maybe Smith",
     "don't know, PC 4512"],
)  # fmt: skip
def test_a_real_answer_is_never_taken_for_dont_know(text: str) -> None:
    assert not is_unknown(text, "en")


def test_dont_know_in_the_reporters_language_counts_as_well_as_english() -> None:
    assert is_unknown("Nie wiem", "pl")
    assert is_unknown("don't know", "pl")
    assert not is_unknown("nie wiem", "en")
    assert is_unknown("لا أعرف", "ar")


def test_word_tables_are_stored_folded_so_they_can_match() -> None:
    for table in (YES, NO, UNKNOWN):
        for words in table.values():
            assert all(word == fold(word) for word in words), words


# --- choice ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["online", "2", "2.", "#2", " 2 ", "٢", "ONLINE", "Online!"])
def test_a_choice_is_taken_by_id_number_or_label(text: str) -> None:
    assert value(parse_choice(text, HOW, "en")) == "online"


def test_a_choice_label_matches_whatever_the_case_and_accents() -> None:
    options = (Option("present", "En présence"), Option("distance", "À distance"))
    assert value(parse_choice("EN PRESENCE", options, "fr")) == "present"
    assert value(parse_choice("a distance", options, "fr")) == "distance"


def test_a_choice_may_be_an_unambiguous_part_of_a_label() -> None:
    assert value(parse_choice("phone", HOW, "en")) == "phone"
    assert value(parse_choice("in pers", HOW, "en")) == "in_person"


def test_a_number_out_of_range_is_rejected_with_the_count() -> None:
    assert shown(parse_choice("4", HOW, "en")) == (
        "Please answer with a number from 1 to 3, or tap a button."
    )
    assert "1 to 3" in shown(parse_choice("0", HOW, "en"))


def test_a_part_of_several_labels_asks_which_one_was_meant() -> None:
    assert shown(parse_choice("police", ROLE, "en")) == (
        "Did you mean “Police officer” (1) or “Police staff” (2)? "
        "Please tap one, or type its number."
    )


# Options with the words people type for them, as the engine gives them (folded).
DUTY = (
    Option("on_duty", "On duty", option_words("working, at work, in uniform"), "yes"),
    Option("off_duty", "Off duty", option_words("not working, wasn't working, day off"), "no"),
    Option("not_sure", "Not sure"),
)
CATEGORY = (
    Option("money", "Traded information for money", option_words("bribe, łapówka, رشوة")),
    Option("discrimination", "Racist behaviour", option_words("racism, racismo, rasizm")),
)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Łapówka", "money"),
        ("lapowka", "money"),  # typed on a phone without the Polish letters
        ("رشوة", "money"),
        ("it was a bribe", "money"),
        ("racismo", "discrimination"),
        ("Rasizm!", "discrimination"),
        ("brieb", "money"),  # a small typo
        ("racsim", "discrimination"),
    ],
)
def test_an_option_is_picked_by_its_words_without_accents_and_with_a_typo(
    typed: str, meant: str
) -> None:
    assert value(parse_choice(typed, CATEGORY, "pl")) == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("yes", "on_duty"),
        ("yeah", "on_duty"),
        ("nope", "off_duty"),
        ("he was working, in uniform", "on_duty"),
        ("he wasn't working", "off_duty"),  # the longer phrase wins over "working"
        ("no, it was his day off", "off_duty"),
    ],
)
def test_yes_or_no_and_phrases_answer_a_question_with_a_yes_no_reading(
    typed: str, meant: str
) -> None:
    assert value(parse_choice(typed, DUTY, "en")) == meant


@pytest.mark.parametrize("typed", ["he was never at work", "not in uniform, I think at work"])
def test_a_negation_outside_the_words_found_is_asked_again_not_guessed(typed: str) -> None:
    assert isinstance(parse_choice(typed, DUTY, "en"), Rejected)


def test_a_typo_near_two_options_asks_which_one() -> None:
    options = (Option("on", "On duty"), Option("off", "Off duty"))
    assert "Did you mean" in shown(parse_choice("of duty", options, "en"))


def test_an_unrecognised_choice_says_what_to_type() -> None:
    assert "number from 1 to 3" in shown(parse_choice("bicycle", HOW, "en"))
    assert isinstance(parse_choice("in", HOW, "en"), Rejected)  # too short to guess from


def test_the_dont_know_option_matches_typed_variants() -> None:
    assert value(parse_choice("dont know", ROLE, "en")) == "dont_know"


# --- multi -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1, 3", "1 3", "1 and 3", "3,1", "1; 3; 1", "in person & phone"])
def test_several_choices_are_stored_in_option_order_once_each(text: str) -> None:
    assert value(parse_multi(text, HOW, "en", 1, None)) == ["in_person", "phone"]


def test_a_single_label_with_spaces_is_one_choice_in_a_multi() -> None:
    assert value(parse_multi("by phone or message", HOW, "en", 1, None)) == ["phone"]


def test_multi_limits_say_how_many_may_be_chosen() -> None:
    assert shown(parse_multi("1, 2, 3", HOW, "en", 1, 2)) == "Please choose no more than 2."
    assert shown(parse_multi("1", HOW, "en", 2, None)) == "Please choose at least 2."


def test_multi_rejects_an_out_of_range_number_and_unknown_words() -> None:
    assert "1 to 3" in shown(parse_multi("1, 7", HOW, "en", 1, None))
    assert "numbers of your answers" in shown(parse_multi("1, bicycle", HOW, "en", 1, None))


# --- yes/no ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["yes", "Y", "yeah", "Yep!", "ok", "true", "1", "👍", "👍🏽"])
def test_yes_in_everyday_words(text: str) -> None:
    assert value(parse_yesno(text, "en")) == "yes"


@pytest.mark.parametrize("text", ["no", "N", "nope", "Nah.", "false", "2", "👎"])
def test_no_in_everyday_words(text: str) -> None:
    assert value(parse_yesno(text, "en")) == "no"


def test_yes_and_no_in_the_reporters_language() -> None:
    assert value(parse_yesno("Tak", "pl")) == "yes"
    assert value(parse_yesno("não", "pt-BR")) == "no"


@pytest.mark.parametrize("text", ["maybe", "please", "yes and no", ""])
def test_anything_else_asks_for_yes_or_no(text: str) -> None:
    assert shown(parse_yesno(text, "en")) == "Please answer yes or no."


# --- text --------------------------------------------------------------------


def text(answer: str, min_length: int = 1, max_length: int = 4000) -> Parsed | Rejected:
    return parse_text(answer, min_length, max_length, None, None, None)


def test_text_is_stored_cleaned() -> None:
    assert value(text("  he hit me\x00\u202e  ")) == "he hit me"


def test_right_to_left_text_is_kept_as_typed() -> None:
    assert value(text("ضربني الشرطي في الشارع")) == "ضربني الشرطي في الشارع"


def test_text_too_short_says_the_minimum() -> None:
    assert shown(text("hit me", min_length=10)) == (
        "Please tell us a little more (at least 10 characters)."
    )


def test_text_too_long_says_the_limit_and_the_length() -> None:
    assert shown(text("x" * 21, max_length=20)) == (
        "That's 21 characters. Please keep it to 20 characters or fewer."
    )


@pytest.mark.parametrize("answer", ["😢😢😢", "...", "?!", "👍🏽"])
def test_emoji_or_punctuation_alone_asks_for_words(answer: str) -> None:
    assert shown(text(answer)) == "Please answer in words."


def test_empty_text_asks_for_an_answer() -> None:
    assert shown(text(" \x00 ")) == "Please type your answer."


def test_a_pattern_mismatch_uses_the_scripts_explanation_or_a_generic_one() -> None:
    custom = parse_text("12", 1, 50, r"[A-Z]{2}\d+", "Type two letters, then digits.", None)
    generic = parse_text("12", 1, 50, r"[A-Z]{2}\d+", None, None)
    assert shown(custom) == "Type two letters, then digits."
    assert "doesn't look right" in shown(generic)
    assert value(parse_text("AB12", 1, 50, r"[A-Z]{2}\d+", None, None)) == "AB12"


def test_text_matched_to_a_lookup_stores_both_and_says_the_canonical_name() -> None:
    result = parse_text("the met", 1, 200, None, None, "uk-police-forces")
    assert result == Parsed(
        {"text": "the met", "match": "Metropolitan Police Service"},
        echo="Noted: Metropolitan Police Service",
    )


def test_text_not_found_in_a_lookup_is_kept_without_a_match() -> None:
    result = parse_text("the one near my house", 1, 200, None, None, "uk-police-forces")
    assert result == Parsed({"text": "the one near my house", "match": None})


# --- display -----------------------------------------------------------------


def test_display_shows_choice_and_multi_labels() -> None:
    assert display("choice", "online", HOW) == "Online"
    assert display("multi", ["in_person", "phone"], HOW) == "In person, By phone or message"


def test_display_shows_yes_no_and_dont_know() -> None:
    assert display("yesno", "yes", ()) == "Yes"
    assert display("yesno", "no", ()) == "No"
    for kind in ("choice", "text", "date", "contact", "yesno"):
        assert display(kind, {"unknown": True}, HOW) == "Don't know"


def test_display_shows_a_date_as_confirmed() -> None:
    parsed = parse_date("last Tuesday evening", MONDAY, "en", allow_future=False)
    assert display("date", value(parsed), ()) == "Tuesday 17 November 2026, evening"


def test_display_shows_contact_details_readably() -> None:
    assert display("contact", {"type": "phone", "value": "+447911123456"}, ()) == (
        "+44 7911 123456"
    )
    assert display("contact", {"type": "email", "value": "a@example.org"}, ()) == "a@example.org"


def test_display_shows_the_matched_force_and_what_was_typed_when_different() -> None:
    met = "Metropolitan Police Service"
    assert display("text", {"text": "the met", "match": met}, ()) == f"{met} (the met)"
    assert display("text", {"text": "metropolitan police service", "match": met}, ()) == met
    assert display("text", {"text": "my local lot", "match": None}, ()) == "my local lot"
    assert display("text", "he hit me", ()) == "he hit me"


def test_the_ascii_fast_paths_of_clean_and_fold_agree_with_the_general_ones() -> None:
    rng = random.Random(3)  # noqa: S311 -- reproducible samples, not secrets
    alphabet = [chr(c) for c in range(128)]
    samples = ["Don't Know!", "  I DON`T know  ", "a\x00b\r\nc\td", "12/03, about 3-ish"]
    samples += ["".join(rng.choices(alphabet, k=rng.randint(0, 40))) for _ in range(3000)]
    for text in samples:
        assert clean(text) == _clean_unicode(text), repr(text)
        assert fold(text) == _fold_unicode(text), repr(text)


# --- a bare yes or no to a text question ---------------------------------------


@pytest.mark.parametrize("said", ["no", "No.", "nope", "NAH"])
def test_a_bare_no_to_a_text_question_with_dont_know_is_unknown(said: str) -> None:
    assert value(parse_text(said, 1, 200, None, None, None, unknown=True)) == {"unknown": True}


def test_a_bare_no_in_the_reporters_language_is_read_in_that_language() -> None:
    assert value(parse_text("nie", 1, 200, None, None, None, locale="pl", unknown=True)) == {
        "unknown": True
    }
    # Elsewhere "nie" is just text (a reporter may well type Polish words in English).
    assert value(parse_text("nie", 1, 200, None, None, None, locale="en", unknown=True)) == "nie"


def test_a_bare_yes_or_no_is_never_stored_as_the_text() -> None:
    yes = parse_text("yes", 1, 200, None, None, None, unknown=True)
    assert "If you don't know" in shown(yes)
    assert shown(parse_text("no", 1, 200, None, None, None)) == (
        "Please type the answer itself, not just yes or no."
    )
    assert "type skip" in shown(parse_text("yeah", 1, 200, None, None, None, optional=True))


@pytest.mark.parametrize("said", ["2", "1", "Nolan", "no 23", "Yesilova", "not him, his partner"])
def test_numbers_and_longer_answers_are_text(said: str) -> None:
    assert value(parse_text(said, 1, 200, None, None, None, unknown=True)) == said


@pytest.mark.parametrize(
    ("text", "locale", "said"),
    [("no not right now", "en", "no"), ("No, I don't think so", "en", "no"),
     ("yes I did", "en", "yes"), ("creo que no", "es", "no"), ("nie ma", "pl", "no")],
)  # fmt: skip
def test_yes_or_no_with_a_few_words_more(text: str, locale: str, said: str) -> None:
    assert value(parse_yesno(text, locale)) == said


@pytest.mark.parametrize("text", ["no idea", "no idea really", "yes and no", "no, yes", "well"])
def test_dont_know_or_both_is_not_read_as_yes_or_no(text: str) -> None:
    assert isinstance(parse_yesno(text, "en"), Rejected)
