"""The audit chain: intact logs verify; every kind of tampering is reported."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from handoff.audit import GENESIS_MAC, AuditHead, AuditMac, audit_head, verify_chain
from locales.errors import ConfigError
from store import AuditEntry

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SIGNER = AuditMac(b"k" * 32)
EVENTS = [
    ("key_registered", None, "a1b2c3d4e5f60718"),
    ("seal", "TL-AAAA-AAAA", None),
    ("seal", "TL-BBBB-BBBB", None),
    ("claim", "TL-BBBB-BBBB", "a1b2c3d4e5f60718"),
    ("done", "TL-BBBB-BBBB", "a1b2c3d4e5f60718"),
    ("claim", "TL-AAAA-AAAA", "a1b2c3d4e5f60718"),
]


def _chain(signer: AuditMac = SIGNER) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    prev = GENESIS_MAC
    for seq, (event, reference, actor) in enumerate(EVENTS, start=1):
        at = T0 + timedelta(minutes=seq)
        mac = signer(seq, at, event, reference, actor, prev)
        entries.append(AuditEntry(seq, at, event, reference, actor, prev, mac))
        prev = mac
    return entries


def test_an_intact_chain_verifies() -> None:
    entries = _chain()
    assert verify_chain(entries, SIGNER) == []
    assert verify_chain(entries, SIGNER, audit_head(entries)) == []
    assert verify_chain([], SIGNER) == []


def test_a_grown_log_still_matches_an_older_head() -> None:
    entries = _chain()
    assert verify_chain(entries, SIGNER, AuditHead(4, entries[3].mac)) == []


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
    problems = verify_chain(entries, SIGNER)
    assert problems
    assert any("seq 3" in p for p in problems)


def test_a_removed_middle_entry_is_detected() -> None:
    entries = _chain()
    del entries[2]
    assert any("removed" in p for p in verify_chain(entries, SIGNER))


def test_a_removed_first_entry_is_detected() -> None:
    assert any("starts at seq 2" in p for p in verify_chain(_chain()[1:], SIGNER))


def test_swapped_entries_are_detected() -> None:
    entries = _chain()
    entries[2], entries[3] = entries[3], entries[2]
    assert verify_chain(entries, SIGNER)


def test_swapped_contents_with_seqs_kept_in_order_are_detected() -> None:
    """Rewriting rows so seqs stay 1..n but the events trade places breaks the MACs."""
    entries = _chain()
    a, b = entries[2], entries[3]
    entries[2] = dataclasses.replace(b, seq=a.seq, prev_mac=a.prev_mac)
    entries[3] = dataclasses.replace(a, seq=b.seq, prev_mac=b.prev_mac)
    assert verify_chain(entries, SIGNER)


def test_a_forged_entry_needs_the_key() -> None:
    entries = _chain()
    forger = AuditMac(b"x" * 32)
    last = entries[-1]
    at = last.at + timedelta(minutes=1)
    mac = forger(last.seq + 1, at, "done", "TL-AAAA-AAAA", None, last.mac)
    entries.append(AuditEntry(last.seq + 1, at, "done", "TL-AAAA-AAAA", None, last.mac, mac))
    assert verify_chain(entries, SIGNER) == [
        f"seq {last.seq + 1}: the MAC does not verify (changed or forged)"
    ]


def test_a_truncated_tail_passes_alone_but_fails_against_the_kept_head() -> None:
    entries = _chain()
    head = audit_head(entries)
    assert head is not None
    cut = entries[:-2]
    assert verify_chain(cut, SIGNER) == []  # the store alone cannot tell
    assert any("tail removed" in p for p in verify_chain(cut, SIGNER, head))
    assert verify_chain([], SIGNER, head)


def test_a_rewritten_tail_fails_against_the_kept_head() -> None:
    entries = _chain()
    head = audit_head(entries)
    assert head is not None
    entries[-1] = dataclasses.replace(entries[-1], mac=b"\x00" * 32)
    assert any("kept head" in p for p in verify_chain(entries, SIGNER, head))


def test_none_and_empty_string_are_signed_differently() -> None:
    assert SIGNER(1, T0, "seal", None, None, b"") != SIGNER(1, T0, "seal", "", None, b"")
    assert SIGNER(1, T0, "seal", "ab", "c", b"") != SIGNER(1, T0, "seal", "a", "bc", b"")


def test_naive_and_utc_times_sign_alike() -> None:
    """A store that hands back naive UTC times still verifies."""
    assert SIGNER(1, T0, "seal", None, None, b"") == SIGNER(
        1, T0.replace(tzinfo=None), "seal", None, None, b""
    )


def test_audit_key_must_not_be_short() -> None:
    with pytest.raises(ConfigError):
        AuditMac(b"short")
