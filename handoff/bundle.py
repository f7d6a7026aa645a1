"""A reviewer's public bundle (`alice.pub`): what the server needs to enrol a reviewer.

`tipline review keygen` writes it beside the private key file; the admin gives
it to `tipline admin reviewers add`. It holds only public keys: the two halves
of the HPKE key reports are sealed to, and the Ed25519 key that verifies the
reviewer's login signatures. Text, one field a line:

    TIPLINE REVIEWER PUBLIC KEY v1
    label: <one line of text>
    key-id: <16 hex chars: handoff.keys.key_id_of over the HPKE halves>
    ml-kem-768: <base64, 1,184 bytes>
    x25519: <base64, 32 bytes>
    ed25519: <base64, 32 bytes>

A login signs `login_message(key id, challenge)` with the Ed25519 key.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from handoff.keys import MLKEM768_PUBLIC_LEN, X25519_PUBLIC_LEN, key_id_of
from locales.errors import KeyFileError

__all__ = ["PublicBundle", "login_message", "read_bundle", "verify_login", "write_bundle"]

MAGIC_LINE = "TIPLINE REVIEWER PUBLIC KEY v1"
ED25519_LEN = 32
_FIELDS = ("label", "key-id", "ml-kem-768", "x25519", "ed25519")


@dataclass(frozen=True, slots=True)
class PublicBundle:
    """A reviewer's public keys and label (fits `handoff.keys.PublicKey`)."""

    key_id: str
    mlkem_public: bytes
    x25519_public: bytes
    verify_key: bytes
    label: str

    def text(self) -> str:
        def b64(raw: bytes) -> str:
            return base64.b64encode(raw).decode()

        return (
            f"{MAGIC_LINE}\nlabel: {self.label}\nkey-id: {self.key_id}\n"
            f"ml-kem-768: {b64(self.mlkem_public)}\nx25519: {b64(self.x25519_public)}\n"
            f"ed25519: {b64(self.verify_key)}\n"
        )


def login_message(key_id: str, challenge: bytes) -> bytes:
    """The bytes a reviewer signs to log in: bound to this protocol, this key and challenge."""
    return b"tipline-review-login/v1\0" + key_id.encode() + b"\0" + challenge


def verify_login(verify_key: bytes, key_id: str, challenge: bytes, signature: bytes) -> bool:
    """True if `signature` is the reviewer's over `login_message(key_id, challenge)`."""
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(verify_key).verify(
            signature, login_message(key_id, challenge)
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def parse_bundle(text: str, where: str = "the bundle") -> PublicBundle:
    """Read a bundle's text; KeyFileError says what is wrong with it."""
    lines = text.strip("\n").split("\n")
    if not lines or lines[0].rstrip("\r") != MAGIC_LINE or len(lines) != 1 + len(_FIELDS):
        raise KeyFileError(f"{where} is not a Tipline reviewer public key ({MAGIC_LINE})")
    values: dict[str, str] = {}
    for name, line in zip(_FIELDS, lines[1:], strict=True):
        prefix = f"{name}: "
        if not line.startswith(prefix):
            raise KeyFileError(f"{where}: expected a {name!r} line")
        values[name] = line.removeprefix(prefix).rstrip("\r")
    try:
        mlkem_public, x25519_public, verify_key = (
            base64.b64decode(values[n], validate=True) for n in ("ml-kem-768", "x25519", "ed25519")
        )
    except binascii.Error as exc:
        raise KeyFileError(f"{where}: a key is not valid base64") from exc
    label = values["label"]
    if (
        len(mlkem_public) != MLKEM768_PUBLIC_LEN
        or len(x25519_public) != X25519_PUBLIC_LEN
        or len(verify_key) != ED25519_LEN
    ):
        raise KeyFileError(f"{where}: a key has the wrong length")
    if key_id_of(mlkem_public, x25519_public) != values["key-id"]:
        raise KeyFileError(f"{where}: the keys do not match the key id {values['key-id']}")
    if not label.strip() or not label.isprintable():
        raise KeyFileError(f"{where}: the label must be one line of printable text")
    return PublicBundle(values["key-id"], mlkem_public, x25519_public, verify_key, label)


def read_bundle(path: Path) -> PublicBundle:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"cannot read {path}") from exc
    return parse_bundle(text, str(path))


def write_bundle(path: Path, bundle: PublicBundle) -> None:
    """Write a new bundle file (public: 0644); never overwrite one."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError as exc:
        raise KeyFileError(f"{path} already exists; refusing to overwrite it") from exc
    except OSError as exc:
        raise KeyFileError(f"cannot create {path}: {exc.strerror}") from exc
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(bundle.text())
