"""The reporter's receipt-derived key and the sealed thread: who can open what.

The server derives the reporter key pair from the receipt and its pepper and keeps
only the public half; a reviewer's message sealed to it opens with the receipt
and with a reviewer's key, never with anything the server keeps.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from bot.review import reviewer_record
from bot.serverkeys import ServerKeys
from handoff.envelope import read_header
from handoff.reporter import ReporterPublic, reporter_key
from handoff.thread import open_message, seal_message
from handoff.workstation import ReviewerPrivateKey
from locales.errors import SealError, TamperedError
from store import ReviewerKey

NOW = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
RECEIPT = "1234 5678 9012 3456"
REF = "TL-7KQ2-M9XD"
CANARY = "canary-question-7f3a9c"
FAST = 2**10  # the derivation's cost is not what these tests are about


@pytest.fixture(scope="module")
def server() -> ServerKeys:
    return ServerKeys.derive(os.urandom(32))


@pytest.fixture(scope="module")
def reviewer() -> ReviewerPrivateKey:
    return ReviewerPrivateKey.generate()


@pytest.fixture(scope="module")
def record(reviewer: ReviewerPrivateKey) -> ReviewerKey:
    return reviewer_record(reviewer, "r", NOW)


def test_the_receipt_in_any_layout_gives_the_same_key_and_the_public_half_round_trips(
    server: ServerKeys,
) -> None:
    pepper = server.key("reporter-key")
    a = reporter_key(RECEIPT, pepper, n=FAST)
    b = reporter_key("1234-5678-9012-3456", pepper, n=FAST)
    c = reporter_key("١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦", pepper, n=FAST)
    assert a.key_id == b.key_id == c.key_id
    assert ReporterPublic.from_bytes(a.public.to_bytes()) == a.public


def test_another_receipt_or_another_servers_pepper_gives_another_key(server: ServerKeys) -> None:
    pepper = server.key("reporter-key")
    base = reporter_key(RECEIPT, pepper, n=FAST).key_id
    assert reporter_key("1234 5678 9012 3457", pepper, n=FAST).key_id != base
    assert reporter_key(RECEIPT, os.urandom(32), n=FAST).key_id != base


def test_not_a_receipt_is_refused(server: ServerKeys) -> None:
    with pytest.raises(ValueError, match="16-digit"):
        reporter_key("1234", server.key("reporter-key"), n=FAST)


def test_a_reviewer_message_opens_with_the_receipt_and_the_reviewer_key_only(
    server: ServerKeys, reviewer: ReviewerPrivateKey, record: ReviewerKey
) -> None:
    """Canary: the server's secret and what it stores cannot open a reviewer's message."""
    reporter = reporter_key(RECEIPT, server.key("reporter-key"), n=FAST)
    stored_public = ReporterPublic.from_bytes(reporter.public.to_bytes())  # what the case keeps
    envelope = seal_message(
        f"Which station? {CANARY}",
        [record, stored_public],
        reference=REF,
        direction="to_reporter",
        written_at=NOW,
    )
    assert CANARY.encode() not in envelope
    assert read_header(envelope).recipients == (record.key_id, stored_public.key_id)
    # The reporter, coming back with the receipt:
    again = reporter_key(RECEIPT.replace(" ", ""), server.key("reporter-key"), n=FAST)
    assert CANARY in open_message(envelope, again, REF).text
    assert CANARY in open_message(envelope, reviewer, REF).text
    # Everything the server holds: its secret's keys used as receipts' peppers, a wrong receipt.
    for pepper in (server.conversation, server.draft, server.receipt, server.key("other")):
        with pytest.raises(SealError):
            open_message(envelope, reporter_key(RECEIPT, pepper, n=FAST), REF)
    with pytest.raises(SealError):
        open_message(envelope, reporter_key("0" * 16, server.key("reporter-key"), n=FAST), REF)


def test_the_reporters_addition_is_sealed_to_reviewers_and_carries_its_photo(
    server: ServerKeys, reviewer: ReviewerPrivateKey, record: ReviewerKey
) -> None:
    photo = b"\xff\xd8\xff\xe0" + os.urandom(200)
    envelope = seal_message(
        "The van was blue.",
        [record],
        reference=REF,
        direction="from_reporter",
        written_at=NOW,
        files=[(photo, "image/jpeg")],
    )
    opened = open_message(envelope, reviewer, REF)
    assert (opened.direction, opened.text, opened.files) == (
        "from_reporter",
        "The van was blue.",
        ((photo, "image/jpeg"),),
    )
    reporter = reporter_key(RECEIPT, server.key("reporter-key"), n=FAST)
    with pytest.raises(SealError):
        open_message(envelope, reporter, REF)


def test_a_message_moved_to_another_case_is_refused(
    reviewer: ReviewerPrivateKey, record: ReviewerKey
) -> None:
    envelope = seal_message(
        "hello", [record], reference=REF, direction="to_reporter", written_at=NOW
    )
    with pytest.raises(TamperedError):
        open_message(envelope, reviewer, "TL-0000-0000")
