"""The audit log's MAC and its verifier.

Each entry's MAC is HMAC-SHA256 (server audit key) over a canonical encoding of
(seq, at, event, reference, actor, prev_mac), and `prev_mac` is the previous
entry's MAC, so entries form a chain: a changed, forged, removed or reordered
entry breaks it. Removing the *last* entries leaves a shorter but intact chain;
to catch that, keep an `AuditHead` (seq, mac of the newest entry) somewhere the
store's owner cannot rewrite, and pass it to `verify_chain`.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import NamedTuple, Protocol

from locales.errors import ConfigError

GENESIS_MAC = bytes(32)  # prev_mac of the first entry (seq 1)
_DOMAIN = b"tipline-audit/v1"
_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")


class AuditRecord(Protocol):
    """One audit entry as the chain covers it (the store's rows, the API's JSON, fit)."""

    @property
    def seq(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def event(self) -> str: ...
    @property
    def reference(self) -> str | None: ...
    @property
    def actor(self) -> str | None: ...
    @property
    def prev_mac(self) -> bytes: ...
    @property
    def mac(self) -> bytes: ...


class AuditHead(NamedTuple):
    """The newest entry's seq and MAC, kept outside the store to detect a cut tail."""

    seq: int
    mac: bytes


def _field(value: bytes | None) -> bytes:
    # A presence byte keeps None and "" apart; the length prefix keeps fields apart.
    if value is None:
        return b"\x00"
    return b"\x01" + _U32.pack(len(value)) + value


def canonical_time(at: datetime) -> str:
    """`at` as ISO 8601 UTC with microseconds; a naive time is taken as UTC."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_entry(
    *,
    seq: int,
    at: datetime,
    event: str,
    reference: str | None,
    actor: str | None,
    prev_mac: bytes,
) -> bytes:
    """The exact bytes an audit MAC covers."""
    return b"".join(
        (
            _DOMAIN,
            _U64.pack(seq),
            _field(canonical_time(at).encode()),
            _field(event.encode()),
            _field(None if reference is None else reference.encode()),
            _field(None if actor is None else actor.encode()),
            _field(prev_mac),
        )
    )


class AuditMac:
    """The store's audit signer: HMAC-SHA256 over `canonical_entry` with the audit key."""

    __slots__ = ("_key",)
    genesis = GENESIS_MAC

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ConfigError("the audit key must be at least 16 bytes")
        self._key = key

    def __call__(  # noqa: PLR0917 -- the AuditSigner protocol is positional
        self,
        seq: int,
        at: datetime,
        event: str,
        reference: str | None,
        actor: str | None,
        prev_mac: bytes,
    ) -> bytes:
        message = canonical_entry(
            seq=seq, at=at, event=event, reference=reference, actor=actor, prev_mac=prev_mac
        )
        return hmac.new(self._key, message, hashlib.sha256).digest()

    def __repr__(self) -> str:
        return "AuditMac(<key hidden>)"


def audit_head(entries: Sequence[AuditRecord]) -> AuditHead | None:
    """The head to keep for a later `verify_chain`; None for an empty log."""
    return AuditHead(entries[-1].seq, entries[-1].mac) if entries else None


def verify_chain(
    entries: Sequence[AuditRecord],
    signer: AuditMac,
    expected_head: tuple[int, bytes] | None = None,
) -> list[str]:
    """Every problem found in the chain, in order; an empty list means intact.

    `entries` are in the order the store returned them (by seq). With
    `expected_head`, the log must still contain that entry unchanged.
    """
    problems: list[str] = []
    prev: AuditRecord | None = None
    for entry in entries:
        mac = signer(entry.seq, entry.at, entry.event, entry.reference, entry.actor, entry.prev_mac)
        if not hmac.compare_digest(mac, entry.mac):
            problems.append(f"seq {entry.seq}: the MAC does not verify (changed or forged)")
        if prev is None:
            if entry.seq != 1:
                problems.append(f"the log starts at seq {entry.seq}, not 1: entries removed")
            elif not hmac.compare_digest(entry.prev_mac, signer.genesis):
                problems.append("seq 1: does not start the chain")
        else:
            if entry.seq != prev.seq + 1:
                problems.append(
                    f"seq {entry.seq} follows seq {prev.seq}: entries removed or reordered"
                )
            if not hmac.compare_digest(entry.prev_mac, prev.mac):
                problems.append(
                    f"seq {entry.seq}: does not link to seq {prev.seq} (removed or reordered)"
                )
        prev = entry
    if expected_head is not None:
        problems += _check_head(entries, AuditHead(*expected_head))
    return problems


def _check_head(entries: Sequence[AuditRecord], head: AuditHead) -> list[str]:
    last = entries[-1].seq if entries else 0
    if last < head.seq:
        return [f"the log ends at seq {last} but the kept head is seq {head.seq}: tail removed"]
    kept = [e for e in entries if e.seq == head.seq]
    if not kept or not hmac.compare_digest(kept[0].mac, head.mac):
        return [f"seq {head.seq}: does not match the kept head (log rewritten)"]
    return []
