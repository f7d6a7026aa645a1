"""Contact answers: a phone number or an e-mail address, checked and normalised.

Phone numbers are read with `phonenumbers` (UK by default, so "07911 123456"
works) and stored in E.164 ("+447911123456"); e-mail addresses are checked
for form only with `email_validator` (no DNS lookup: the engine is pure).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from dialogs._text import N_, Parsed, Rejected, clean
from dialogs._types import JSON

CONTACT_EITHER = N_("Please type a phone number or an e-mail address.")
CONTACT_PHONE_ONLY = N_("Please type a phone number, like 07911 123456.")
CONTACT_EMAIL_ONLY = N_("Please type an e-mail address, like name@example.com.")
PHONE_INVALID = N_(
    "That phone number doesn't look right. Please check it and include the area code, "
    "like 07911 123456 or +44 7911 123456."
)
CONTACT_ONE = N_("Please type just one phone number or e-mail address.")
CONTACT_NOTED = N_("Noted: {contact}")
EMAIL_INVALID = N_(
    "That e-mail address doesn't look right. Please check it, like name@example.com."
)

_MAX_CONTACT_TEXT = 320  # the longest possible e-mail address is 254 characters
_PHONE_CHARS = re.compile(r"[\d\s+().\-/]*\d[\d\s+().\-/]*")
_EMAIL_TOKEN = re.compile(r"\S+@\S+")


def _ask_for(accept: Sequence[str]) -> Rejected:
    if "phone" in accept and "email" in accept:
        return Rejected(CONTACT_EITHER)
    return Rejected(CONTACT_PHONE_ONLY if "phone" in accept else CONTACT_EMAIL_ONLY)


def _email(text: str) -> Parsed | Rejected:
    candidates = [text] if " " not in text else _EMAIL_TOKEN.findall(text)
    if len(candidates) != 1:
        return Rejected(CONTACT_ONE if candidates else EMAIL_INVALID)
    try:
        checked = validate_email(candidates[0].strip(".,;:()<>"), check_deliverability=False)
    except EmailNotValidError:
        return Rejected(EMAIL_INVALID)
    return _noted({"type": "email", "value": checked.normalized}, checked.normalized)


def _phone(text: str, region: str) -> Parsed | Rejected | None:
    """A phone number, a rejection for a wrong one, or None when the text holds no number."""
    if _PHONE_CHARS.fullmatch(text):
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            return Rejected(PHONE_INVALID)
    else:  # "my number is 07911 123456"
        found = [m.number for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=0)]
        if len(found) > 1:
            return Rejected(CONTACT_ONE)
        if not found:
            return Rejected(PHONE_INVALID) if any(ch.isdigit() for ch in text) else None
        number = found[0]
    if not phonenumbers.is_valid_number(number):
        return Rejected(PHONE_INVALID)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return _noted({"type": "phone", "value": e164}, shown)


def _noted(value: dict[str, JSON], shown: str) -> Parsed:
    """The accepted contact, with "Noted: …" to say back (translated by the engine)."""
    echo = CONTACT_NOTED.format(contact=shown)
    return Parsed(value, echo, note=CONTACT_NOTED, params={"contact": shown})


def parse_contact(text: str, accept: Sequence[str], region: str = "GB") -> Parsed | Rejected:
    """A phone number or e-mail address, as the step accepts; normalised for storing."""
    text = clean(text)
    if not text or len(text) > _MAX_CONTACT_TEXT:
        return _ask_for(accept)
    if "@" in text:
        return _email(text) if "email" in accept else _ask_for(accept)
    if "phone" not in accept:
        return _ask_for(accept)
    return _phone(text, region) or _ask_for(accept)


def format_contact(value: Mapping[str, Any]) -> str:
    """A stored contact for people to read: "+44 7911 123456" or the e-mail address."""
    stored = str(value.get("value", ""))
    if value.get("type") != "phone":
        return stored
    try:
        number = phonenumbers.parse(stored, None)
    except phonenumbers.NumberParseException:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
