"""The audit log's hash chain and its verifier: checkable anywhere, with no secret.

Each entry's hash is SHA-256 over a canonical encoding of (seq, at, event,
reference, actor, prev_hash), and `prev_hash` is the previous entry's hash, so
entries form a chain: a changed, removed or reordered entry breaks it. The
chain has no key (THREAT_MODEL.md, "Audit"): a reviewer's workstation, which
holds no server secret, verifies it. Whoever can write the database can also
rewrite the whole chain, or cut its tail, so the newest hash — the *head* — is
kept outside the server (the workstation keeps the last head it verified and
`--head HASH` takes one recorded elsewhere); `verify_chain` then checks that
the log still contains that entry unchanged.

Entries written before the keyless chain (migration 0005, scheme "hmac-v1")
carry an HMAC under the server's old audit key: their links are checked, their
contents cannot be without that key, and `legacy_count` says how many there are.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import NamedTuple, Protocol

GENESIS = bytes(32)  # prev_hash of the first entry (seq 1)
SCHEME = "sha256-v1"
LEGACY_SCHEME = "hmac-v1"
_DOMAIN = b"tipline-audit/v2"
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
    @property
    def scheme(self) -> str: ...


class AuditHead(NamedTuple):
    """The newest entry's seq and hash, kept outside the store to detect a cut tail."""

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
    """The exact bytes an entry's hash covers."""
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


class AuditHash:
    """The store's audit signer: SHA-256 over `canonical_entry`. No key: anyone can check it."""

    __slots__ = ()
    genesis = GENESIS
    scheme = SCHEME

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
        return hashlib.sha256(message).digest()


def audit_head(entries: Sequence[AuditRecord]) -> AuditHead | None:
    """The head to keep for a later `verify_chain`; None for an empty log."""
    return AuditHead(entries[-1].seq, entries[-1].mac) if entries else None


def legacy_count(entries: Sequence[AuditRecord]) -> int:
    """How many entries predate the keyless chain (their contents need the old server key)."""
    return sum(1 for e in entries if e.scheme == LEGACY_SCHEME)


def verify_chain(
    entries: Sequence[AuditRecord], expected_head: bytes | AuditHead | None = None
) -> list[str]:
    """Every problem found in the chain, in order; an empty list means intact.

    `entries` are in the order the store returned them (by seq). With
    `expected_head` (a hash, or an `AuditHead`), the log must still contain that
    entry unchanged.
    """
    problems: list[str] = []
    prev: AuditRecord | None = None
    chained = AuditHash()
    keyless_seen = False
    for entry in entries:
        if entry.scheme == SCHEME:
            keyless_seen = True
            digest = chained(
                entry.seq, entry.at, entry.event, entry.reference, entry.actor, entry.prev_mac
            )
            if not hmac.compare_digest(digest, entry.mac):
                problems.append(f"seq {entry.seq}: the hash does not match (entry changed)")
        elif entry.scheme != LEGACY_SCHEME or keyless_seen:
            problems.append(f"seq {entry.seq}: unknown or out-of-place scheme {entry.scheme!r}")
        if prev is None:
            if entry.seq != 1:
                problems.append(f"the log starts at seq {entry.seq}, not 1: entries removed")
            elif not hmac.compare_digest(entry.prev_mac, GENESIS):
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
        problems += _check_head(entries, expected_head)
    return problems


def _check_head(entries: Sequence[AuditRecord], head: bytes | AuditHead) -> list[str]:
    wanted = head.mac if isinstance(head, AuditHead) else head
    for entry in reversed(entries):
        if hmac.compare_digest(entry.mac, wanted):
            if isinstance(head, AuditHead) and entry.seq != head.seq:
                return [f"the kept head moved from seq {head.seq} to seq {entry.seq}"]
            return []
    last = entries[-1].seq if entries else 0
    return [
        f"the kept head {wanted.hex()[:16]}… is not in the log (ends at seq {last}):"
        " entries were cut off or rewritten"
    ]
