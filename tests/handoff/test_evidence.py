"""Evidence files in sealed reports: sealed with the report, checked, saved; old reports open."""

from __future__ import annotations

import hashlib
import json
import secrets
import stat
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from bot.review import reviewer_record as reviewer_key_record
from handoff.envelope import hpke_info, open_envelope, open_sealed, read_header, seal
from handoff.keys import hpke_public
from handoff.workstation import (
    OpenedFile,
    ReviewerPrivateKey,
    matched_files,
    save_files,
)
from locales.errors import TamperedError, TiplineError
from store import ReviewerKey

LEASE = timedelta(minutes=30)
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
REF = "TL-7KQ2-M9XD"
PHOTO = b"\xff\xd8 pretend jpeg bytes \xff\xd9"
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


@pytest.fixture(scope="module")
def key() -> ReviewerPrivateKey:
    return ReviewerPrivateKey.generate()


@pytest.fixture(scope="module")
def record(key: ReviewerPrivateKey) -> ReviewerKey:
    return reviewer_key_record(key, "alice", T0)


def entry(data: bytes, media_type: str) -> dict[str, Any]:
    digest = hashlib.sha256(data).hexdigest()
    return {
        "id": secrets.token_hex(8),
        "media_type": media_type,
        "size": len(data),
        "sha256": digest,
    }


def report(reference: str = REF, files: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "format": 2,
        "reference": reference,
        "script": {"id": "police-misconduct", "version": "3"},
        "locale": "en",
        "flags": [],
        "answers": [],
        "attachments": files or [],
    }


def sealed(record: ReviewerKey, body: dict[str, Any], files: tuple[bytes, ...] = ()) -> bytes:
    return seal(
        json.dumps(body).encode(),
        [record],
        reference=body["reference"],
        script_id="police-misconduct",
        script_version="3",
        priority=0,
        sealed_at=T0,
        files=files,
    )


def hand_sealed(record: ReviewerKey, plaintext: bytes, fmt: int) -> bytes:
    """An envelope written from ENVELOPE.md alone: format 1 as Tipline 0.1 sealed it."""
    header = {
        "format": fmt,
        "reference": REF,
        "sealed_at": T0.isoformat(timespec="microseconds"),
        "priority": 0,
        "script_id": "police-misconduct",
        "script_version": "3",
        "suite": "MLKEM768-X25519/HKDF-SHA256/ChaCha20-Poly1305",
        "recipients": [record.key_id],
    }
    suite = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
    data_key = ChaCha20Poly1305.generate_key()
    wrapped = suite.encrypt(data_key, hpke_public(record), info=hpke_info(REF, "3"))
    head = json.dumps(header).encode()
    nonce = secrets.token_bytes(12)
    aad = b"".join(
        [
            b"TLE1",
            struct.pack(">I", len(head)),
            head,
            struct.pack(">H", 1),
            struct.pack(">I", len(wrapped)),
            wrapped,
            nonce,
            struct.pack(">I", len(plaintext) + 16),
        ]
    )
    return aad + ChaCha20Poly1305(data_key).encrypt(nonce, plaintext, aad)


# -- the envelope ---------------------------------------------------------------


def test_files_are_sealed_in_the_same_body_and_open_byte_for_byte(
    key: ReviewerPrivateKey, record: ReviewerKey
) -> None:
    body = report(files=[entry(PHOTO, "image/jpeg"), entry(PDF, "application/pdf")])
    envelope = sealed(record, body, (PHOTO, PDF))
    assert read_header(envelope).format == 2
    opened = open_sealed(envelope, key)
    assert json.loads(opened.report) == body
    assert opened.files == (PHOTO, PDF)
    assert open_envelope(envelope, key) == opened.report, "callers wanting the report only"
    assert len(envelope) < len(PDF) + 5000, "files are not base64-encoded"
    assert PDF[:64] not in envelope, "file bytes are encrypted"


def test_a_report_without_files_seals_and_opens(
    key: ReviewerPrivateKey, record: ReviewerKey
) -> None:
    envelope = sealed(record, report())
    opened = open_sealed(envelope, key)
    assert (json.loads(opened.report)["reference"], opened.files) == (REF, ())


def test_a_format_1_envelope_from_before_files_still_opens(
    key: ReviewerPrivateKey, record: ReviewerKey
) -> None:
    old = json.dumps({"format": 1, "reference": REF, "answers": []}).encode()
    envelope = hand_sealed(record, old, fmt=1)
    assert read_header(envelope).format == 1
    opened = open_sealed(envelope, key)
    assert (opened.report, opened.files) == (old, ())


def test_a_damaged_container_inside_a_valid_envelope_is_tampering(
    key: ReviewerPrivateKey, record: ReviewerKey
) -> None:
    """Whoever sealed it, a file count or length that does not add up is refused."""
    good = struct.pack(">I", 2) + b"{}" + struct.pack(">H", 1) + struct.pack(">I", 3) + b"abc"
    assert open_sealed(hand_sealed(record, good, fmt=2), key).files == (b"abc",)
    for bad in (good + b"x", good[:-1], good[:6] + struct.pack(">H", 2) + good[8:]):
        with pytest.raises(TamperedError):
            open_sealed(hand_sealed(record, bad, fmt=2), key)


def test_a_changed_byte_in_a_sealed_file_is_detected(
    key: ReviewerPrivateKey, record: ReviewerKey
) -> None:
    envelope = bytearray(sealed(record, report(files=[entry(PDF, "application/pdf")]), (PDF,)))
    envelope[-500] ^= 1
    with pytest.raises(TamperedError):
        open_sealed(bytes(envelope), key)


# -- checking and saving ----------------------------------------------------------


def test_files_that_do_not_match_the_report_list_are_tampering() -> None:
    listed = report(files=[entry(PHOTO, "image/jpeg")])
    assert matched_files(REF, listed, [PHOTO])[0].sha256 == hashlib.sha256(PHOTO).hexdigest()
    with pytest.raises(TamperedError):
        matched_files(REF, listed, [PHOTO + b"x"])
    with pytest.raises(TamperedError):
        matched_files(REF, listed, [PHOTO, PDF])
    with pytest.raises(TamperedError):
        matched_files(REF, report(), [PHOTO])


def test_saved_files_get_safe_generated_names_and_private_modes(tmp_path: Path) -> None:
    files = [
        OpenedFile(1, "image/jpeg", len(PHOTO), "", PHOTO),
        OpenedFile(2, "application/pdf", len(PDF), "", PDF),
        OpenedFile(3, "application/x-msdownload", 3, "", b"MZ!"),
    ]
    folder = tmp_path / "evidence" / "new"
    paths = save_files(REF, files, folder)
    assert [p.name for p in paths] == [f"{REF}-1.jpg", f"{REF}-2.pdf", f"{REF}-3.bin"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path, item in zip(paths, files, strict=True):
        assert path.parent == folder
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_bytes() == item.data


def test_a_strange_reference_never_becomes_part_of_a_path(tmp_path: Path) -> None:
    item = OpenedFile(1, "image/jpeg", 1, "", b"x")
    assert item.file_name("../../etc/passwd") == "report-1.jpg"
    assert item.file_name(REF) == f"{REF}-1.jpg"


def test_saving_twice_is_harmless_but_other_files_are_never_overwritten(tmp_path: Path) -> None:
    item = OpenedFile(1, "image/jpeg", len(PHOTO), "", PHOTO)
    first = save_files(REF, [item], tmp_path)
    assert save_files(REF, [item], tmp_path) == first
    first[0].write_bytes(b"the reviewer's notes")
    with pytest.raises(TiplineError, match="already exists"):
        save_files(REF, [item], tmp_path)
    assert first[0].read_bytes() == b"the reviewer's notes"


def test_a_symlink_in_the_folder_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_bytes(b"keep me")
    (tmp_path / f"{REF}-1.jpg").symlink_to(target)
    with pytest.raises(TiplineError):
        save_files(REF, [OpenedFile(1, "image/jpeg", 1, "", b"x")], tmp_path)
    assert target.read_bytes() == b"keep me"
