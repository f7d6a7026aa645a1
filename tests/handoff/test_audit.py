"""The keyless audit chain: intact logs verify; every kind of tampering is reported."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from handoff.audit import (
    GENESIS,
    AuditHash,
    AuditHead,
    audit_head,
    canonical_entry,
    legacy_count,
    verify_chain,
)
from store import AuditEntry

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SIGNER = AuditHash()
EVENTS = [
    ("key_registered", None, "a1b2c3d4e5f60718"),
    ("seal", "TL-AAAA-AAAA", None),
    ("seal", "TL-BBBB-BBBB", None),
    ("claim", "TL-BBBB-BBBB", "a1b2c3d4e5f60718"),
    ("done", "TL-BBBB-BBBB", "a1b2c3d4e5f60718"),
    ("claim", "TL-AAAA-AAAA", "a1b2c3d4e5f60718"),
]


def _chain(signer: AuditHash = SIGNER) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    prev = GENESIS
    for seq, (event, reference, actor) in enumerate(EVENTS, start=1):
        at = T0 + timedelta(minutes=seq)
        mac = signer(seq, at, event, reference, actor, prev)
        entries.append(AuditEntry(seq, at, event, reference, actor, prev, mac))
        prev = mac
    return entries


def test_an_intact_chain_verifies() -> None:
    entries = _chain()
    assert verify_chain(entries) == []
    assert verify_chain(entries, audit_head(entries)) == []
    assert verify_chain([]) == []


def test_a_grown_log_still_matches_an_older_head() -> None:
    entries = _chain()
    assert verify_chain(entries, AuditHead(4, entries[3].mac)) == []


@pytest.mark.parametrize(
    "change",
    [
        {"event": "release"},
        {"reference": "TL-ZZZZ-ZZZZ"},
        {"reference": None},
        {"actor": "0000000000000000"},
        {"at": T0 + timedelta(minutes=3, microseconds=1)},
    ],
)
def test_a_changed_field_is_detected(change: dict[str, object]) -> None:
    entries = _chain()
    entries[2] = dataclasses.replace(entries[2], **change)  # type: ignore[arg-type]
    problems = verify_chain(entries)
    assert problems
    assert any("seq 3" in p for p in problems)


def test_a_removed_middle_entry_is_detected() -> None:
    entries = _chain()
    del entries[2]
    assert any("removed" in p for p in verify_chain(entries))


def test_a_removed_first_entry_is_detected() -> None:
    assert any("starts at seq 2" in p for p in verify_chain(_chain()[1:]))


def test_swapped_entries_are_detected() -> None:
    entries = _chain()
    entries[2], entries[3] = entries[3], entries[2]
    assert verify_chain(entries)


def test_swapped_contents_with_seqs_kept_in_order_are_detected() -> None:
    """Rewriting rows so seqs stay 1..n but the events trade places breaks the MACs."""
    entries = _chain()
    a, b = entries[2], entries[3]
    entries[2] = dataclasses.replace(b, seq=a.seq, prev_mac=a.prev_mac)
    entries[3] = dataclasses.replace(a, seq=b.seq, prev_mac=b.prev_mac)
    assert verify_chain(entries)


def test_anyone_can_check_the_chain_without_a_secret() -> None:
    """The hash is SHA-256 over the canonical entry: no server key is involved."""
    entry = _chain()[0]
    canonical = canonical_entry(
        seq=1, at=entry.at, event=entry.event, reference=None, actor=entry.actor, prev_mac=GENESIS
    )
    assert entry.mac == hashlib.sha256(canonical).digest()


def test_a_rewritten_history_is_caught_only_by_a_kept_head() -> None:
    """Whoever writes the database can recompute every hash; the head kept elsewhere
    is what catches it."""
    entries = _chain()
    head = audit_head(entries)
    assert head is not None
    forged: list[AuditEntry] = []
    prev = GENESIS
    for e in entries:
        event = "release" if e.seq == 5 else e.event
        mac = SIGNER(e.seq, e.at, event, e.reference, e.actor, prev)
        forged.append(dataclasses.replace(e, event=event, prev_mac=prev, mac=mac))
        prev = mac
    assert verify_chain(forged) == []
    assert any("not in the log" in p for p in verify_chain(forged, head.mac))
    assert verify_chain(entries, head.mac) == []


def test_entries_from_before_the_keyless_chain_are_link_checked_and_counted() -> None:
    old = [
        AuditEntry(1, T0, "seal", "TL-A", None, GENESIS, b"\x01" * 32, "hmac-v1"),
        AuditEntry(2, T0, "claim", "TL-A", "k", b"\x01" * 32, b"\x02" * 32, "hmac-v1"),
    ]
    new = SIGNER(3, T0, "done", "TL-A", "k", b"\x02" * 32)
    entries = [*old, AuditEntry(3, T0, "done", "TL-A", "k", b"\x02" * 32, new)]
    assert verify_chain(entries) == []
    assert legacy_count(entries) == 2
    broken = [old[0], dataclasses.replace(old[1], prev_mac=b"\x09" * 32), entries[2]]
    assert any("does not link" in p for p in verify_chain(broken))
    late = [*entries, dataclasses.replace(old[0], seq=4, prev_mac=new)]
    assert any("out-of-place" in p for p in verify_chain(late))


def test_a_truncated_tail_passes_alone_but_fails_against_the_kept_head() -> None:
    entries = _chain()
    head = audit_head(entries)
    assert head is not None
    cut = entries[:-2]
    assert verify_chain(cut) == []  # the store alone cannot tell
    assert any("cut off" in p for p in verify_chain(cut, head))
    assert verify_chain([], head)


def test_a_rewritten_tail_fails_against_the_kept_head() -> None:
    entries = _chain()
    head = audit_head(entries)
    assert head is not None
    entries[-1] = dataclasses.replace(entries[-1], mac=b"\x00" * 32)
    assert any("not in the log" in p for p in verify_chain(entries, head))


def test_none_and_empty_string_are_signed_differently() -> None:
    assert SIGNER(1, T0, "seal", None, None, b"") != SIGNER(1, T0, "seal", "", None, b"")
    assert SIGNER(1, T0, "seal", "ab", "c", b"") != SIGNER(1, T0, "seal", "a", "bc", b"")


def test_naive_and_utc_times_sign_alike() -> None:
    """A store that hands back naive UTC times still verifies."""
    assert SIGNER(1, T0, "seal", None, None, b"") == SIGNER(
        1, T0.replace(tzinfo=None), "seal", None, None, b""
    )
