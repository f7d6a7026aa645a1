"""The reviewer's tools against a real SQLite store: keygen, claim, open, render, audit."""

from __future__ import annotations

import json
import sqlite3
import stat
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.review import reviewer_record as reviewer_key_record
from bot.reviewing import LocalQueue
from handoff.audit import AuditHash
from handoff.envelope import seal
from handoff.workstation import (
    OpenedReport,
    ReviewerPrivateKey,
    claim_next,
    load_private_key,
    render_json,
    render_text,
    save_private_key,
)
from locales.errors import QueueError, TamperedError
from store import ReviewerKey, SealedReport, SqliteStore, TurnCommit

PASS = b"correct horse battery staple"
FAST = 2**10
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=30)
SIGNER = AuditHash()


def _report(
    reference: str, *, urgent: bool = False, what: str = "He took the money."
) -> dict[str, Any]:
    return {
        "format": 1,
        "reference": reference,
        "script": {"id": "police-misconduct", "version": "3"},
        "locale": "en",
        "flags": ["urgent"] if urgent else [],
        "confirmed_at": "2026-03-01T08:59:00+00:00",
        "answers": [
            {
                "step": "category",
                "kind": "choice",
                "question": "What is it about?",
                "summary": "Category",
                "value": "money",
                "display": "Information or influence traded for money or favours",
            },
            {
                "step": "what_happened",
                "kind": "text",
                "question": "Tell us what happened.",
                "summary": "What happened",
                "value": what,
                "display": what,
            },
        ],
    }


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    async with SqliteStore(tmp_path / "tipline.db", SIGNER) as opened:
        yield opened


async def _queue(
    store: SqliteStore,
    recipients: list[ReviewerKey],
    report: dict[str, Any],
    *,
    priority: int,
    sealed_at: datetime,
) -> bytes:
    reference = report["reference"]
    envelope = seal(
        json.dumps(report, ensure_ascii=False).encode(),
        recipients,
        reference=reference,
        script_id="police-misconduct",
        script_version="3",
        priority=priority,
        sealed_at=sealed_at,
    )
    sealed = SealedReport(
        reference,
        envelope,
        priority,
        sealed_at,
        reference.encode().ljust(32, b"\0"),
        "police-misconduct",
        "3",
        recipients=tuple(r.key_id for r in recipients),
    )
    commit = TurnCommit(
        conversation=b"conv-" + reference.encode(),
        expected_version=0,
        draft=None,
        expires_at=None,
        ledger_key=b"ledger-" + reference.encode(),
        ledger_reply=b"reply",
        ledger_expires_at=sealed_at + timedelta(days=1),
        sealed=sealed,
        audit_event="seal",
    )
    await store.commit_turn(commit, sealed_at)
    return envelope


async def test_keygen_seal_claim_decrypts_exactly(store: SqliteStore, tmp_path: Path) -> None:
    path = tmp_path / "alice.key"
    generated = ReviewerPrivateKey.generate()
    save_private_key(path, generated, PASS, "alice", scrypt_n=FAST)
    record = reviewer_key_record(generated, "alice", T0)
    await store.add_reviewer_key(record, T0)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    registered = await store.reviewer_keys()
    assert [k.key_id for k in registered] == [record.key_id]
    key = load_private_key(path, PASS)
    assert key.key_id == record.key_id

    report = _report("TL-AAAA-AAAA", what="Line one\nLine two — ünïcode ✓")
    await _queue(store, registered, report, priority=0, sealed_at=T0)
    opened = await claim_next(LocalQueue(store, LEASE, lambda: T0 + timedelta(minutes=1)), key)
    assert opened == OpenedReport("TL-AAAA-AAAA", 0, T0, report)
    queued = await store.queue()
    assert (queued[0].status, queued[0].claimed_by) == ("claimed", key.key_id)


async def test_urgent_is_served_before_an_older_normal_report(
    store: SqliteStore, tmp_path: Path
) -> None:
    key = ReviewerPrivateKey.generate()
    await store.add_reviewer_key(reviewer_key_record(key, "r", T0), T0)
    keys = await store.reviewer_keys()
    await _queue(store, keys, _report("TL-0LD0-0000"), priority=0, sealed_at=T0)
    await _queue(
        store,
        keys,
        _report("TL-NEW0-0000", urgent=True),
        priority=1,
        sealed_at=T0 + timedelta(hours=1),
    )
    now = T0 + timedelta(hours=2)
    first = await claim_next(LocalQueue(store, LEASE, lambda: now), key)
    second = await claim_next(LocalQueue(store, LEASE, lambda: now), key)
    assert first is not None
    assert second is not None
    assert (first.reference, first.priority) == ("TL-NEW0-0000", 1)
    assert first.report["flags"] == ["urgent"]
    assert second.reference == "TL-0LD0-0000"
    assert await claim_next(LocalQueue(store, LEASE, lambda: now), key) is None


async def test_empty_queue_gives_none(store: SqliteStore) -> None:
    assert (
        await claim_next(LocalQueue(store, LEASE, lambda: T0), ReviewerPrivateKey.generate())
        is None
    )


async def test_a_report_not_sealed_to_my_key_is_never_handed_to_me(store: SqliteStore) -> None:
    alice, bob = ReviewerPrivateKey.generate(), ReviewerPrivateKey.generate()
    record = reviewer_key_record(alice, "alice", T0)
    await _queue(store, [record], _report("TL-AAAA-AAAA"), priority=0, sealed_at=T0)
    assert await claim_next(LocalQueue(store, LEASE, lambda: T0), bob) is None


async def test_an_envelope_moved_to_another_queue_row_is_tampering(
    store: SqliteStore, tmp_path: Path
) -> None:
    key = ReviewerPrivateKey.generate()
    record = reviewer_key_record(key, "r", T0)
    await _queue(store, [record], _report("TL-AAAA-AAAA"), priority=0, sealed_at=T0)
    other = await _queue(store, [record], _report("TL-BBBB-BBBB"), priority=0, sealed_at=T0)
    with sqlite3.connect(tmp_path / "tipline.db") as conn:
        conn.execute("UPDATE queue SET envelope = ? WHERE reference = 'TL-AAAA-AAAA'", (other,))
    conn.close()
    with pytest.raises(TamperedError, match="another report"):
        await claim_next(LocalQueue(store, LEASE, lambda: T0 + timedelta(minutes=1)), key)


async def test_finish_and_release_change_the_queue(store: SqliteStore) -> None:
    key = ReviewerPrivateKey.generate()
    record = reviewer_key_record(key, "r", T0)
    await _queue(store, [record], _report("TL-AAAA-AAAA"), priority=0, sealed_at=T0)
    await claim_next(LocalQueue(store, LEASE, lambda: T0), key)
    await LocalQueue(store, LEASE, lambda: T0).release("TL-AAAA-AAAA", key.key_id)
    assert (await store.queue())[0].status == "queued"
    again = await claim_next(LocalQueue(store, LEASE, lambda: T0), key)
    assert again is not None
    await LocalQueue(store, LEASE, lambda: T0).finish("TL-AAAA-AAAA", key.key_id)
    assert (await store.queue())[0].status == "done"
    with pytest.raises(QueueError):
        await LocalQueue(store, LEASE, lambda: T0).finish("TL-AAAA-AAAA", key.key_id)


async def test_the_real_store_audit_log_verifies_and_a_rewrite_is_caught(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tipline.db"
    key = ReviewerPrivateKey.generate()
    record = reviewer_key_record(key, "r", T0)
    async with SqliteStore(path, SIGNER) as store:
        await store.add_reviewer_key(record, T0)
        await _queue(store, [record], _report("TL-AAAA-AAAA"), priority=0, sealed_at=T0)
        await claim_next(
            LocalQueue(store, LEASE, lambda: T0 + timedelta(seconds=1, microseconds=7)), key
        )
        await LocalQueue(store, LEASE, lambda: T0 + timedelta(minutes=5)).finish(
            "TL-AAAA-AAAA", key.key_id
        )
        assert len(await store.audit_log()) == 4
        assert (await LocalQueue(store, LEASE, lambda: T0).verify_audit())[1] == []
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit SET actor = 'someone-else' WHERE seq = 3")
    conn.close()
    async with SqliteStore(path, SIGNER) as store:
        problems = (await LocalQueue(store, LEASE, lambda: T0).verify_audit())[1]
    assert problems[0] == "seq 3: the hash does not match (entry changed)"


def _opened(**report_changes: Any) -> OpenedReport:
    report = _report("TL-AAAA-AAAA", urgent=True) | report_changes
    return OpenedReport("TL-AAAA-AAAA", 1, T0, report)


def test_render_text_shows_header_and_indents_multiline_answers() -> None:
    opened = _opened()
    opened.report["answers"][1]["display"] = "First line\nSecond line"
    text = render_text(opened)
    lines = text.splitlines()
    assert lines[0] == "Report TL-AAAA-AAAA  [URGENT]"
    assert "Sealed:   2026-03-01 09:00:00+00:00" in lines
    assert "Language: en" in lines
    assert "Script:   police-misconduct v3" in lines
    assert "Category: Information or influence traded for money or favours" in lines
    i = lines.index("What happened:")
    assert lines[i + 1 : i + 3] == ["    First line", "    Second line"]


def test_render_text_has_no_urgent_marker_for_normal_reports() -> None:
    opened = OpenedReport("TL-AAAA-AAAA", 0, T0, _report("TL-AAAA-AAAA"))
    assert "URGENT" not in render_text(opened)


def test_render_text_neutralises_terminal_escapes_and_bidi_overrides() -> None:
    """A reporter cannot clear the reviewer's screen or reverse displayed text."""
    opened = _opened()
    opened.report["answers"][1]["display"] = "ok\x1b[2J\x07 \u202egnp.exe\r"
    text = render_text(opened)
    for raw in ("\x1b", "\x07", "\u202e", "\r"):
        assert raw not in text
    assert "ok\\u001b[2J\\u0007 \\u202egnp.exe\\u000d" in text


def test_render_json_round_trips_the_report() -> None:
    opened = _opened()
    document = json.loads(render_json(opened))
    assert document == {
        "reference": "TL-AAAA-AAAA",
        "priority": 1,
        "sealed_at": "2026-03-01T09:00:00+00:00",
        "report": opened.report,
        "files": [],
    }
