"""The workstation's queue client (HttpQueue) against the live reviewer API: claiming,
opening, evidence files, tampering, finishing — what `bot/reviewing.py` did locally."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.review import reviewer_record
from handoff.workstation import OpenedReport, claim_next, open_reference, open_report
from handoff.workstation.export import export_pdf
from locales.errors import ConfigError, QueueError, TamperedError
from tests.handoff.test_evidence import PDF, PHOTO, entry, hand_sealed, report, sealed
from tests.review.conftest import Harness

REF = "TL-7KQ2-M9XD"


async def test_a_claim_decrypts_exactly_what_was_sealed(harness: Harness) -> None:
    alice = await harness.enrol("alice")
    text = "Line one\nLine two — ünïcode ✓"
    sent = await harness.seal("TL-AAAA-AAAA", [alice], what=text)
    queue = await harness.queue_for(alice)
    opened = await claim_next(queue, alice.key)
    assert opened is not None
    assert opened.report == sent
    assert opened.reference == "TL-AAAA-AAAA"
    (row,) = await harness.app.store.queue()
    assert (row.status, row.claimed_by) == ("claimed", alice.key.key_id)


async def test_urgent_is_served_before_an_older_normal_report(harness: Harness) -> None:
    alice = await harness.enrol("alice")
    await harness.seal("TL-0LD0-0000", [alice])
    harness.clock.now = harness.clock.now.replace(hour=harness.clock.now.hour + 1)
    await harness.seal("TL-NEW0-0000", [alice], priority=1)
    queue = await harness.queue_for(alice)
    first, second = await claim_next(queue, alice.key), await claim_next(queue, alice.key)
    assert first is not None
    assert second is not None
    assert (first.reference, first.priority, second.reference) == (
        "TL-NEW0-0000",
        1,
        "TL-0LD0-0000",
    )
    assert await claim_next(queue, alice.key) is None


async def test_a_report_not_sealed_to_my_key_is_never_handed_to_me(harness: Harness) -> None:
    alice, bob = await harness.enrol("alice"), await harness.enrol("bob")
    await harness.seal("TL-AAAA-AAAA", [alice])
    queue = await harness.queue_for(bob)
    assert await claim_next(queue, bob.key) is None
    with pytest.raises(QueueError, match="no report TL-AAAA-AAAA"):
        await open_reference(queue, bob.key, "TL-AAAA-AAAA")


async def test_an_envelope_moved_to_another_queue_row_is_tampering(harness: Harness) -> None:
    alice = await harness.enrol("alice")
    await harness.seal("TL-AAAA-AAAA", [alice])
    await harness.seal("TL-BBBB-BBBB", [alice])
    other = (await harness.app.store.report("TL-BBBB-BBBB")).envelope  # type: ignore[union-attr]
    with sqlite3.connect(harness.data_dir / "tipline.db") as conn:
        conn.execute("UPDATE queue SET envelope = ? WHERE reference = 'TL-AAAA-AAAA'", (other,))
    conn.close()
    queue = await harness.queue_for(alice)
    with pytest.raises(TamperedError, match="another report"):
        await claim_next(queue, alice.key)


async def test_finish_and_release_change_the_queue(harness: Harness) -> None:
    alice = await harness.enrol("alice")
    await harness.seal("TL-AAAA-AAAA", [alice])
    queue = await harness.queue_for(alice)
    await claim_next(queue, alice.key)
    assert (await queue.release("TL-AAAA-AAAA")).claim == "queued"
    assert await claim_next(queue, alice.key) is not None
    assert (await queue.finish("TL-AAAA-AAAA")).claim == "done"
    with pytest.raises(QueueError, match="not claimed"):
        await queue.finish("TL-AAAA-AAAA")


async def test_a_report_with_files_opens_them_in_order(harness: Harness) -> None:
    alice = await harness.enrol("alice")
    record = reviewer_record(alice.key, "alice", harness.clock.now)
    body = report(REF, files=[entry(PHOTO, "image/jpeg"), entry(PDF, "application/pdf")])
    await harness.enqueue(REF, sealed(record, body, (PHOTO, PDF)), [alice.key.key_id])
    queue = await harness.queue_for(alice)
    opened = await claim_next(queue, alice.key)
    assert opened is not None
    assert [(f.number, f.media_type, f.data) for f in opened.files] == [
        (1, "image/jpeg", PHOTO),
        (2, "application/pdf", PDF),
    ]
    again = await open_reference(queue, alice.key, REF)
    assert again.files[0].data == PHOTO


async def test_an_old_format_report_opens_with_no_files(harness: Harness) -> None:
    alice = await harness.enrol("alice")
    record = reviewer_record(alice.key, "alice", harness.clock.now)
    old = {"format": 1, "reference": REF, "answers": []}
    await harness.enqueue(REF, hand_sealed(record, json.dumps(old).encode(), fmt=1),
                          [alice.key.key_id])  # fmt: skip
    queued = await (await harness.queue_for(alice)).fetch(REF)
    assert queued is not None
    opened = open_report(queued, alice.key)
    assert opened == OpenedReport(REF, 0, opened.sealed_at, old)


async def test_an_ended_login_is_a_clear_error(harness: Harness) -> None:
    alice = await harness.enrol("alice")
    queue = await harness.queue_for(alice)
    await queue.logout()
    with pytest.raises(ConfigError, match="log in again"):
        await queue.page()


async def test_a_pdf_for_referral_leaves_contact_details_out_unless_asked(
    harness: Harness, tmp_path: Path
) -> None:
    alice = await harness.enrol("alice")
    answers = [
        {
            "step": "what_happened",
            "kind": "text",
            "summary": "What happened",
            "value": "He took money.",
            "display": "He took money.",
        },
        {
            "step": "when",
            "kind": "date",
            "summary": "When",
            "value": {"text": "last Tuesday evening", "date": "2026-11-17", "precision": "day"},
            "display": "Tuesday 17 November 2026, evening",
        },
        {
            "step": "contact_how",
            "kind": "contact",
            "summary": "Phone or e-mail",
            "value": {"type": "email", "value": "me@example.org"},
            "display": "me@example.org",
        },
        {
            "step": "officer_name",
            "kind": "text",
            "summary": "Name",
            "value": "Wójcik — وليد",
            "display": "Wójcik — وليد",
        },
    ]
    body = {"format": 2, "reference": REF, "locale": "en", "attachments": [], "answers": answers}
    await harness.seal(REF, [alice], report=body)
    opened = await open_reference(await harness.queue_for(alice), alice.key, REF)
    plain = export_pdf(opened, tmp_path / "referral.pdf")
    full = export_pdf(opened, tmp_path / "full.pdf", include_contact=True)
    text = _pdf_text(plain)
    assert "Tipline report TL-7KQ2-M9XD" in text
    assert 'said: "last Tuesday evening"' in text
    assert "understood as: Tuesday 17 November 2026, evening" in text
    assert "Wójcik" in text
    assert "me@example.org" not in text
    assert "contact details (1 answer) are left out" in text
    assert "وليد" in text, "Arabic is shaped and kept in reading order"
    assert "me@example.org" in _pdf_text(full)
    assert oct(plain.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(FileExistsError):
        export_pdf(opened, plain)


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)
