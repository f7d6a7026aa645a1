"""The sealed report: a versioned binary envelope only reviewers can open.

A fresh 32-byte data key encrypts the report with ChaCha20-Poly1305; the data
key is wrapped to every recipient with HPKE (MLKEM768-X25519, HKDF-SHA256,
ChaCha20-Poly1305). The body's AAD is every byte before the body ciphertext
(magic, clear header, every wrapped key, nonce, lengths), so a change anywhere
is detected by any recipient. Since format 2 the encrypted body is a small
container: the report JSON, then the evidence files as length-prefixed bytes
(never base64). Format 1 envelopes (the report JSON alone) still open.
Layout and rationale: handoff/ENVELOPE.md.
"""

from __future__ import annotations

import json
import secrets
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from handoff.keys import PublicKey, Recipient, hpke_public
from locales.errors import SealError, TamperedError

MAGIC = b"TLE1"
FORMAT = 2
READABLE_FORMATS = frozenset({1, 2})
MAX_FILES = 0xFFFF
SUITE_NAME = "MLKEM768-X25519/HKDF-SHA256/ChaCha20-Poly1305"
_SUITE = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
_DATA_KEY = 32
_NONCE = 12
_U16 = struct.Struct(">H")
_U32 = struct.Struct(">I")
_HEADER_KEYS = frozenset(
    {
        "format",
        "reference",
        "sealed_at",
        "priority",
        "script_id",
        "script_version",
        "suite",
        "recipients",
    }
)


@dataclass(frozen=True, slots=True)
class EnvelopeHeader:
    """The clear header. Unauthenticated until the envelope is opened with a key."""

    format: int
    reference: str
    sealed_at: datetime
    priority: int
    script_id: str
    script_version: str
    suite: str
    recipients: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OpenedBody:
    """What an opened envelope holds: the report JSON bytes and the files, in order."""

    report: bytes
    files: tuple[bytes, ...] = ()


@dataclass(frozen=True, slots=True)
class _Parsed:
    header: EnvelopeHeader
    wrapped: tuple[bytes, ...]
    nonce: bytes
    aad: bytes
    body: bytes


def hpke_info(reference: str, script_version: str) -> bytes:
    """The HPKE `info` binding each wrapped key to its report and script version."""
    return b"tipline/v1|" + reference.encode() + b"|" + script_version.encode()


def seal(
    report: bytes,
    recipients: Sequence[PublicKey],
    *,
    reference: str,
    script_id: str,
    script_version: str,
    priority: int,
    sealed_at: datetime,
    files: Sequence[bytes] = (),
) -> bytes:
    """Encrypt `report` and `files` so that each recipient, and nobody else, can open them."""
    if not recipients:
        raise SealError("no reviewer keys to seal to")
    script_version = str(script_version)  # YAML may hand over `version: 3` as an int
    if "|" in reference or not reference:
        raise SealError("a reference must be non-empty and must not contain '|'")
    if sealed_at.tzinfo is None:
        raise SealError("sealed_at must be timezone-aware")
    if priority not in (0, 1):
        raise SealError("priority must be 0 or 1")
    ids = [r.key_id for r in recipients]
    if len(set(ids)) != len(ids):
        raise SealError("a reviewer key is listed twice")
    if len(files) > MAX_FILES:
        raise SealError("too many files for one envelope")
    header = {
        "format": FORMAT,
        "reference": reference,
        "sealed_at": sealed_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "priority": priority,
        "script_id": script_id,
        "script_version": script_version,
        "suite": SUITE_NAME,
        "recipients": ids,
    }
    header_bytes = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
    data_key = ChaCha20Poly1305.generate_key()
    info = hpke_info(reference, script_version)
    parts = [MAGIC, _U32.pack(len(header_bytes)), header_bytes, _U16.pack(len(recipients))]
    for record in recipients:
        wrapped = _SUITE.encrypt(data_key, hpke_public(record), info=info)
        parts += [_U32.pack(len(wrapped)), wrapped]
    body = _container(report, files)
    if len(body) + 16 > 0xFFFFFFFF:
        raise SealError("the report and its files are too large for one envelope")
    nonce = secrets.token_bytes(_NONCE)
    parts += [nonce, _U32.pack(len(body) + 16)]
    aad = b"".join(parts)
    return aad + ChaCha20Poly1305(data_key).encrypt(nonce, body, aad)


def _container(report: bytes, files: Sequence[bytes]) -> bytes:
    """The format 2 body: report length and report, file count, each file length and bytes."""
    parts = [_U32.pack(len(report)), report, _U16.pack(len(files))]
    for data in files:
        parts += [_U32.pack(len(data)), data]
    return b"".join(parts)


def _unpack(body: bytes, header: EnvelopeHeader) -> OpenedBody:
    if header.format == 1:
        return OpenedBody(body)
    reader = _Reader(body)
    report = reader.take(reader.u32())
    files = tuple(reader.take(reader.u32()) for _ in range(reader.u16()))
    if reader.pos != len(body):
        raise TamperedError(f"{header.reference}: the sealed body has trailing bytes")
    return OpenedBody(report, files)


def read_header(envelope: bytes) -> EnvelopeHeader:
    """The clear header, without a key. TamperedError if the envelope is malformed."""
    return _parse(envelope).header


def open_envelope(envelope: bytes, key: Recipient) -> bytes:
    """Decrypt the report JSON. TamperedError on any change; SealError if `key` is not a
    recipient. The files, if any, are left out: see `open_sealed`."""
    return open_sealed(envelope, key).report


def open_sealed(envelope: bytes, key: Recipient) -> OpenedBody:
    """Decrypt the report and its files (format 1 envelopes have none); errors as above."""
    parsed = _parse(envelope)
    header = parsed.header
    info = hpke_info(header.reference, header.script_version)
    private = key.hpke_private()
    if key.key_id in header.recipients:
        candidates = [parsed.wrapped[header.recipients.index(key.key_id)]]
    else:
        # The id may have been altered: try every slot so tampering is not
        # mistaken for "not a recipient".
        candidates = list(parsed.wrapped)
    data_key = None
    for wrapped in candidates:
        try:
            data_key = _SUITE.decrypt(wrapped, private, info=info)
            break
        except (InvalidTag, ValueError):
            continue
    if data_key is None:
        if key.key_id in header.recipients:
            raise TamperedError(f"{header.reference}: the wrapped key does not verify")
        raise SealError(f"this report was not sealed to key {key.key_id}")
    if len(data_key) != _DATA_KEY:
        raise TamperedError(f"{header.reference}: the wrapped key has the wrong length")
    try:
        body = ChaCha20Poly1305(data_key).decrypt(parsed.nonce, parsed.body, parsed.aad)
    except InvalidTag as exc:
        raise TamperedError(f"{header.reference}: the envelope does not verify") from exc
    return _unpack(body, header)


class _Reader:
    """Reads length-prefixed parts; any shortfall is tampering."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise TamperedError("the envelope is truncated or a length is damaged")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def u16(self) -> int:
        value: int = _U16.unpack(self.take(2))[0]
        return value

    def u32(self) -> int:
        value: int = _U32.unpack(self.take(4))[0]
        return value


def _parse(envelope: bytes) -> _Parsed:
    reader = _Reader(envelope)
    if reader.take(len(MAGIC)) != MAGIC:
        raise TamperedError("not a TLE1 envelope, or its first bytes are damaged")
    header = _parse_header(reader.take(reader.u32()))
    count = reader.u16()
    if count != len(header.recipients):
        raise TamperedError("the recipient count does not match the header")
    wrapped = tuple(reader.take(reader.u32()) for _ in range(count))
    nonce = reader.take(_NONCE)
    body_len = reader.u32()
    aad = envelope[: reader.pos]
    body = reader.take(body_len)
    if reader.pos != len(envelope):
        raise TamperedError("the envelope has trailing bytes")
    return _Parsed(header, wrapped, nonce, aad, body)


def _parse_header(raw: bytes) -> EnvelopeHeader:
    try:
        fields: Any = json.loads(raw.decode("utf-8"))
    except ValueError as exc:
        raise TamperedError("the envelope header is not valid JSON") from exc
    if not isinstance(fields, dict) or set(fields) != _HEADER_KEYS:
        raise TamperedError("the envelope header has the wrong fields")
    recipients = fields["recipients"]
    text = ("reference", "sealed_at", "script_id", "script_version", "suite")
    if (
        type(fields["format"]) is not int
        or fields["format"] not in READABLE_FORMATS
        or fields["suite"] != SUITE_NAME
        or fields["priority"] not in (0, 1)
        or type(fields["priority"]) is not int
        or not all(isinstance(fields[k], str) for k in text)
        or not isinstance(recipients, list)
        or not all(isinstance(r, str) for r in recipients)
    ):
        raise TamperedError("the envelope header does not match format TLE1")
    try:
        sealed_at = datetime.fromisoformat(fields["sealed_at"])
    except ValueError as exc:
        raise TamperedError("the envelope header has a damaged time") from exc
    if sealed_at.tzinfo is None:
        raise TamperedError("the envelope header has a damaged time")
    return EnvelopeHeader(
        format=fields["format"],
        reference=fields["reference"],
        sealed_at=sealed_at,
        priority=fields["priority"],
        script_id=fields["script_id"],
        script_version=fields["script_version"],
        suite=SUITE_NAME,
        recipients=tuple(recipients),
    )
