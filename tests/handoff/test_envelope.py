"""Sealed envelopes: only recipients open them, and any changed byte is detected."""

from __future__ import annotations

import json
import struct
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from bot.review import reviewer_record as reviewer_key_record
from handoff.envelope import MAGIC, SUITE_NAME, open_envelope, read_header, seal
from handoff.workstation import ReviewerPrivateKey
from locales.errors import SealError, TamperedError
from store import ReviewerKey

SEALED_AT = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
REPORT = json.dumps({"format": 1, "answers": [{"step": "what", "value": "x" * 300}]}).encode()


@pytest.fixture(scope="module")
def keys() -> list[ReviewerPrivateKey]:
    return [ReviewerPrivateKey.generate() for _ in range(3)]


@pytest.fixture(scope="module")
def records(keys: list[ReviewerPrivateKey]) -> list[ReviewerKey]:
    return [reviewer_key_record(k, f"r{i}", SEALED_AT) for i, k in enumerate(keys)]


def _seal(recipients: list[ReviewerKey], report: bytes = REPORT, **kw: object) -> bytes:
    args: dict[str, object] = {
        "reference": "TL-7KQ2-M9XD",
        "script_id": "police-misconduct",
        "script_version": "3",
        "priority": 1,
        "sealed_at": SEALED_AT,
    } | kw
    return seal(report, recipients, **args)  # type: ignore[arg-type]


def _regions(envelope: bytes) -> dict[str, range]:
    """Byte ranges of each part, from the documented layout (ENVELOPE.md)."""
    pos = 4
    (hlen,) = struct.unpack_from(">I", envelope, pos)
    regions = {"magic": range(4), "header": range(pos, pos + 4 + hlen)}
    pos += 4 + hlen
    (count,) = struct.unpack_from(">H", envelope, pos)
    wrapped_start = pos
    pos += 2
    for _ in range(count):
        (wlen,) = struct.unpack_from(">I", envelope, pos)
        pos += 4 + wlen
    regions["wrapped key"] = range(wrapped_start, pos)
    regions["nonce"] = range(pos, pos + 12)
    regions["ciphertext"] = range(pos + 12, len(envelope) - 16)
    regions["tag"] = range(len(envelope) - 16, len(envelope))
    return regions


def test_seal_then_open_gives_exactly_the_report(
    keys: list[ReviewerPrivateKey], records: list[ReviewerKey]
) -> None:
    envelope = _seal(records[:1])
    assert envelope.startswith(MAGIC)
    assert REPORT not in envelope
    assert open_envelope(envelope, keys[0]) == REPORT


def test_an_empty_report_round_trips(
    keys: list[ReviewerPrivateKey], records: list[ReviewerKey]
) -> None:
    assert open_envelope(_seal(records[:1], b""), keys[0]) == b""


def test_each_of_three_recipients_can_open(
    keys: list[ReviewerPrivateKey], records: list[ReviewerKey]
) -> None:
    envelope = _seal(records)
    for key in keys:
        assert open_envelope(envelope, key) == REPORT


def test_a_non_recipient_gets_seal_error_naming_their_key(
    keys: list[ReviewerPrivateKey], records: list[ReviewerKey]
) -> None:
    envelope = _seal(records[:2])
    with pytest.raises(SealError, match=f"not sealed to key {keys[2].key_id}") as caught:
        open_envelope(envelope, keys[2])
    assert not isinstance(caught.value, TamperedError)


def test_sealing_to_nobody_is_refused() -> None:
    with pytest.raises(SealError, match="no reviewer keys"):
        _seal([])


def test_sealing_twice_gives_different_envelopes(records: list[ReviewerKey]) -> None:
    assert _seal(records[:1]) != _seal(records[:1])


def test_header_is_readable_without_a_key(records: list[ReviewerKey]) -> None:
    header = read_header(_seal(records, priority=0))
    assert header.reference == "TL-7KQ2-M9XD"
    assert header.sealed_at == SEALED_AT
    assert header.priority == 0
    assert (header.script_id, header.script_version) == ("police-misconduct", "3")
    assert header.suite == SUITE_NAME
    assert header.recipients == tuple(r.key_id for r in records)


@pytest.mark.parametrize("region", ["magic", "header", "wrapped key", "nonce", "ciphertext", "tag"])
def test_any_flipped_byte_is_detected_by_every_recipient(
    keys: list[ReviewerPrivateKey], records: list[ReviewerKey], region: str
) -> None:
    """Flip one bit at sampled positions of each part: every recipient must refuse."""
    envelope = _seal(records)
    positions = list(_regions(envelope)[region])
    sample = positions if len(positions) <= 400 else positions[:: len(positions) // 400]
    assert sample
    for pos in sample:
        for bit in (0x01, 0x80):
            damaged = bytearray(envelope)
            damaged[pos] ^= bit
            for key in keys:
                with pytest.raises(TamperedError):
                    open_envelope(bytes(damaged), key)


def test_every_byte_of_a_small_envelope_is_protected(
    keys: list[ReviewerPrivateKey], records: list[ReviewerKey]
) -> None:
    """Exhaustive: flipping any single byte of a one-recipient envelope is detected."""
    envelope = _seal(records[:1], b"short")
    for pos in range(len(envelope)):
        damaged = bytearray(envelope)
        damaged[pos] ^= 0xFF
        with pytest.raises(TamperedError):
            open_envelope(bytes(damaged), keys[0])


def test_truncated_or_extended_envelopes_are_tampered(
    keys: list[ReviewerPrivateKey], records: list[ReviewerKey]
) -> None:
    envelope = _seal(records[:1])
    for cut in (0, 3, 10, len(envelope) // 2, len(envelope) - 1):
        with pytest.raises(TamperedError):
            open_envelope(envelope[:cut], keys[0])
    with pytest.raises(TamperedError):
        open_envelope(envelope + b"\x00", keys[0])


def test_a_changed_reference_in_the_header_does_not_open(
    keys: list[ReviewerPrivateKey], records: list[ReviewerKey]
) -> None:
    """Still valid JSON and the same length, but the report id no longer matches."""
    envelope = _seal(records[:1])
    changed = envelope.replace(b"TL-7KQ2-M9XD", b"TL-7KQ2-M9XE", 1)
    assert read_header(changed).reference == "TL-7KQ2-M9XE"
    with pytest.raises(TamperedError):
        open_envelope(changed, keys[0])


def test_documented_layout_opens_with_plain_hpke_and_info_binds_the_report(
    keys: list[ReviewerPrivateKey], records: list[ReviewerKey]
) -> None:
    """An independent reader following ENVELOPE.md opens it; other `info` values fail."""
    envelope = _seal(records[:1])
    regions = _regions(envelope)
    slot = envelope[regions["wrapped key"].start + 6 : regions["wrapped key"].stop]
    suite = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
    private = keys[0].hpke_private()
    data_key = suite.decrypt(slot, private, info=b"tipline/v1|TL-7KQ2-M9XD|3")
    nonce = envelope[regions["nonce"].start : regions["nonce"].stop]
    body_start = regions["nonce"].stop + 4
    aad = envelope[:body_start]
    body = ChaCha20Poly1305(data_key).decrypt(nonce, envelope[body_start:], aad)
    # Format 2: report length, report, file count (no files here).
    assert body == len(REPORT).to_bytes(4, "big") + REPORT + b"\x00\x00"
    for info in (b"tipline/v1|TL-7KQ2-M9XE|3", b"tipline/v1|TL-7KQ2-M9XD|4", b""):
        with pytest.raises(InvalidTag):
            suite.decrypt(slot, private, info=info)


def test_changed_recipient_id_is_tampering_not_a_stranger(
    keys: list[ReviewerPrivateKey], records: list[ReviewerKey]
) -> None:
    envelope = _seal(records[:1])
    own = keys[0].key_id.encode()
    changed = envelope.replace(own, own[:-1] + (b"0" if own[-1:] != b"0" else b"1"), 1)
    with pytest.raises(TamperedError):
        open_envelope(changed, keys[0])


def test_non_utc_sealed_at_is_stored_as_utc(records: list[ReviewerKey]) -> None:
    local = SEALED_AT.astimezone(timezone(timedelta(hours=5, minutes=30)))
    header = read_header(_seal(records[:1], sealed_at=local))
    assert header.sealed_at == SEALED_AT
    assert header.sealed_at.utcoffset() == timedelta(0)


def test_naive_time_duplicate_key_and_bad_reference_are_refused(
    records: list[ReviewerKey],
) -> None:
    with pytest.raises(SealError):
        _seal(records[:1], sealed_at=SEALED_AT.replace(tzinfo=None))
    with pytest.raises(SealError):
        _seal([records[0], records[0]])
    with pytest.raises(SealError):
        _seal(records[:1], reference="TL|X")


def test_an_integer_script_version_is_sealed_as_text(
    keys: list[ReviewerPrivateKey], records: list[ReviewerKey]
) -> None:
    """YAML gives `version: 3` as an int; the envelope still seals and opens."""
    envelope = _seal(records[:1], script_version=3)
    assert read_header(envelope).script_version == "3"
    assert open_envelope(envelope, keys[0]) == REPORT
