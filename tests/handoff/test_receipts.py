"""References and receipts: format, randomness, and the keyed receipt hash."""

from __future__ import annotations

import re

import pytest

from handoff.receipts import (
    REFERENCE_ALPHABET,
    new_receipt,
    new_reference,
    normalize_receipt,
    receipt_hash,
)
from locales.errors import ConfigError

KEY_A = b"a" * 32
KEY_B = b"b" * 32


def test_reference_alphabet_is_crockford_without_ambiguous_letters() -> None:
    assert len(REFERENCE_ALPHABET) == len(set(REFERENCE_ALPHABET)) == 32
    assert not set("ILOU") & set(REFERENCE_ALPHABET)


def test_reference_format_and_uniqueness_over_1000() -> None:
    refs = [new_reference() for _ in range(1000)]
    pattern = re.compile(f"TL-[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}")
    assert all(pattern.fullmatch(r) for r in refs)
    assert len(set(refs)) == 1000
    # every symbol turns up: the alphabet is really used, not a subset
    assert set("".join(r[3:].replace("-", "") for r in refs)) == set(REFERENCE_ALPHABET)


def test_receipt_format_and_uniqueness_over_1000() -> None:
    receipts = [new_receipt() for _ in range(1000)]
    assert all(re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", r) for r in receipts)
    assert len(set(receipts)) == 1000


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1234 5678 9012 3456", "1234567890123456"),
        ("1234567890123456", "1234567890123456"),
        (" 1234-5678-9012-3456\n", "1234567890123456"),
        ("١٢٣٤ ٥٦٧٨ ٩٠١٢ ٣٤٥٦", "1234567890123456"),  # Arabic-Indic digits
        ("1234 5678 9012 345", None),
        ("1234 5678 9012 34567", None),
        ("1234 5678 9012 345x", None),
        ("", None),
    ],
)
def test_normalize_receipt_accepts_typed_forms_only(typed: str, expected: str | None) -> None:
    assert normalize_receipt(typed) == expected


def test_receipt_hash_is_deterministic_per_key_and_differs_across_keys() -> None:
    receipt = new_receipt()
    first = receipt_hash(receipt, KEY_A)
    assert len(first) == 32
    assert receipt_hash(receipt, KEY_A) == first
    assert receipt_hash(receipt.replace(" ", ""), KEY_A) == first  # typed without spaces
    assert receipt_hash(receipt, KEY_B) != first
    other = "0000 0000 0000 0000" if receipt != "0000 0000 0000 0000" else "1" * 16
    assert receipt_hash(other, KEY_A) != first


def test_receipt_hash_refuses_short_keys_and_non_receipts() -> None:
    with pytest.raises(ConfigError):
        receipt_hash(new_receipt(), b"short")
    with pytest.raises(ValueError, match="16-digit"):
        receipt_hash("not a receipt", KEY_A)
