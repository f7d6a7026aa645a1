"""Contact details: phone numbers and e-mail addresses a reviewer can actually use."""

from __future__ import annotations

import pytest

from dialogs.contact import format_contact
from dialogs.parsers import Parsed, Rejected, parse_contact

BOTH = ("phone", "email")


def shown(result: Parsed | Rejected) -> str:
    assert isinstance(result, Rejected), result
    return result.message.format(**result.params)


@pytest.mark.parametrize(
    "typed",
    ["07911 123456", "07911-123-456", "(07911) 123456", "+44 7911 123456", "0044 7911 123456",
     "my number is 07911 123456"],
)  # fmt: skip
def test_a_uk_mobile_is_stored_in_international_form(typed: str) -> None:
    assert parse_contact(typed, BOTH) == Parsed(
        {"type": "phone", "value": "+447911123456"}, echo="Noted: +44 7911 123456"
    )


def test_an_international_number_keeps_its_country() -> None:
    result = parse_contact("+33 6 12 34 56 78", BOTH)
    assert isinstance(result, Parsed)
    assert result.value == {"type": "phone", "value": "+33612345678"}


def test_the_default_region_can_be_changed() -> None:
    result = parse_contact("06 12 34 56 78", ("phone",), region="FR")
    assert isinstance(result, Parsed)
    assert result.value["value"] == "+33612345678"


@pytest.mark.parametrize("typed", ["07911 12345", "12345", "999", "+44 0000 000000"])
def test_an_invalid_phone_number_says_to_check_it_and_give_the_area_code(typed: str) -> None:
    assert "phone number doesn't look right" in shown(parse_contact(typed, BOTH))


def test_two_phone_numbers_ask_for_just_one() -> None:
    result = parse_contact("07911 123456 or 07400 123456", BOTH)
    assert shown(result) == "Please type just one phone number or e-mail address."


def test_an_email_address_is_normalised() -> None:
    assert parse_contact(" Someone@Example.COM ", BOTH) == Parsed(
        {"type": "email", "value": "Someone@example.com"}, echo="Noted: Someone@example.com"
    )


def test_an_email_address_inside_a_sentence_is_found() -> None:
    result = parse_contact("email me at sam@example.org please", BOTH)
    assert isinstance(result, Parsed)
    assert result.value == {"type": "email", "value": "sam@example.org"}


@pytest.mark.parametrize("typed", ["bad@", "@example.org", "sam@localhost", "sam@@example.org"])
def test_an_invalid_email_address_says_what_one_looks_like(typed: str) -> None:
    assert "e-mail address doesn't look right" in shown(parse_contact(typed, BOTH))


def test_text_that_is_neither_says_what_is_accepted() -> None:
    assert shown(parse_contact("call me", BOTH)) == (
        "Please type a phone number or an e-mail address."
    )
    assert "phone number" in shown(parse_contact("sam@example.org", ("phone",)))
    assert "e-mail address" in shown(parse_contact("07911 123456", ("email",)))


def test_format_contact_reads_well_for_people() -> None:
    assert format_contact({"type": "phone", "value": "+447911123456"}) == "+44 7911 123456"
    assert format_contact({"type": "email", "value": "sam@example.org"}) == "sam@example.org"
