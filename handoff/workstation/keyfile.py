"""The reviewer's private key file: the hybrid ML-KEM-768 + X25519 key, on the workstation only.

The hybrid HPKE key classes cannot serialise themselves, so a key is kept as its
two halves and rebuilt on load; since v2 the file also holds the Ed25519 key
that signs the reviewer's logins. Each is an encrypted PKCS#8 PEM block; the
passphrase is first stretched with scrypt (salt and cost in the file), because
PKCS#8's own PBKDF2 is cheap to guess against. File layout (UTF-8 text, one
field a line):

    TIPLINE REVIEWER KEY v2
    label: <one line of text>
    key-id: <16 hex chars>
    kdf: scrypt n=<N> r=<R> p=<P> salt=<base64>
    -----BEGIN ENCRYPTED PRIVATE KEY-----   (ML-KEM-768 half)
    -----BEGIN ENCRYPTED PRIVATE KEY-----   (X25519 half)
    -----BEGIN ENCRYPTED PRIVATE KEY-----   (Ed25519 login key; v2 only)

A v1 file (no login key) still opens reports but cannot log in. The server
never sees this file: it holds only the public bundle (`handoff.bundle`).
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hpke, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, mlkem, x25519
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from handoff.bundle import PublicBundle, login_message
from handoff.keys import key_id_of
from locales.errors import KeyFileError

__all__ = [
    "DEFAULT_SCRYPT_N",
    "MIN_PASSPHRASE",
    "ReviewerPrivateKey",
    "load_private_key",
    "save_private_key",
]

MAGIC_LINE = "TIPLINE REVIEWER KEY v2"
V1_MAGIC_LINE = "TIPLINE REVIEWER KEY v1"
MIN_PASSPHRASE = 12
# scrypt cost for the passphrase: ~0.4 s and 128 MiB here, paid once per command.
DEFAULT_SCRYPT_N = 2**17
_SCRYPT_R = 8
_SCRYPT_P = 1
_MIN_N, _MAX_N = 2**10, 2**20  # refuse files that ask for absurd work

_PEM = re.compile(
    rb"-----BEGIN ENCRYPTED PRIVATE KEY-----\r?\n.+?-----END ENCRYPTED PRIVATE KEY-----\r?\n?",
    re.DOTALL,
)
_KDF_LINE = re.compile(r"kdf: scrypt n=(\d+) r=(\d+) p=(\d+) salt=([A-Za-z0-9+/=]+)")


class ReviewerPrivateKey:
    """A reviewer's private key: both halves of the hybrid HPKE key."""

    __slots__ = ("_ed25519", "_mlkem", "_x25519", "key_id")

    def __init__(
        self,
        mlkem_key: mlkem.MLKEM768PrivateKey,
        x25519_key: x25519.X25519PrivateKey,
        ed25519_key: ed25519.Ed25519PrivateKey | None = None,
    ):
        self._mlkem = mlkem_key
        self._x25519 = x25519_key
        self._ed25519 = ed25519_key
        self.key_id = key_id_of(*self.public())

    @classmethod
    def generate(cls) -> ReviewerPrivateKey:
        return cls(
            mlkem.MLKEM768PrivateKey.generate(),
            x25519.X25519PrivateKey.generate(),
            ed25519.Ed25519PrivateKey.generate(),
        )

    def bundle(self, label: str) -> PublicBundle:
        """The public bundle the admin enrols (`handoff.bundle`)."""
        if self._ed25519 is None:
            raise KeyFileError("this key file (v1) has no login key; make a new one with keygen")
        verify = self._ed25519.public_key().public_bytes_raw()
        return PublicBundle(self.key_id, *self.public(), verify, label)

    def sign_login(self, challenge: bytes) -> bytes:
        """Sign a server's login challenge with the Ed25519 key."""
        if self._ed25519 is None:
            raise KeyFileError("this key file (v1) has no login key; make a new one with keygen")
        return self._ed25519.sign(login_message(self.key_id, challenge))

    def public(self) -> tuple[bytes, bytes]:
        """The raw public halves: (ML-KEM-768 1,184 bytes, X25519 32 bytes)."""
        return (
            self._mlkem.public_key().public_bytes_raw(),
            self._x25519.public_key().public_bytes_raw(),
        )

    def hpke_private(self) -> hpke.MLKEM768X25519PrivateKey:
        return hpke.MLKEM768X25519PrivateKey(self._mlkem, self._x25519)

    def __repr__(self) -> str:
        return f"ReviewerPrivateKey(key_id={self.key_id!r})"


def _stretch(passphrase: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    raw = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase)
    return base64.b64encode(raw)


def _check_label(label: str) -> None:
    if not label.strip() or not label.isprintable():
        raise KeyFileError("the key label must be one line of printable text")


def save_private_key(
    path: Path,
    key: ReviewerPrivateKey,
    passphrase: bytes,
    label: str,
    *,
    scrypt_n: int = DEFAULT_SCRYPT_N,
) -> None:
    """Write `key` to a new file readable only by its owner (0600); never overwrite."""
    try:
        length = len(passphrase.decode("utf-8"))
    except UnicodeDecodeError:
        length = len(passphrase)
    if length < MIN_PASSPHRASE:
        raise KeyFileError(f"the passphrase must be at least {MIN_PASSPHRASE} characters")
    _check_label(label)
    if not _MIN_N <= scrypt_n <= _MAX_N or scrypt_n & (scrypt_n - 1):
        raise KeyFileError("scrypt_n must be a power of two between 2**10 and 2**20")
    salt = secrets.token_bytes(16)
    protection = serialization.BestAvailableEncryption(
        _stretch(passphrase, salt, scrypt_n, _SCRYPT_R, _SCRYPT_P)
    )
    halves = [
        half.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, protection
        )
        for half in (key._mlkem, key._x25519, key._ed25519)
        if half is not None
    ]
    magic = MAGIC_LINE if key._ed25519 is not None else V1_MAGIC_LINE
    head = (
        f"{magic}\nlabel: {label}\nkey-id: {key.key_id}\n"
        f"kdf: scrypt n={scrypt_n} r={_SCRYPT_R} p={_SCRYPT_P} "
        f"salt={base64.b64encode(salt).decode()}\n"
    )
    data = head.encode() + b"".join(halves)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise KeyFileError(f"{path} already exists; refusing to overwrite a key file") from exc
    except OSError as exc:
        raise KeyFileError(f"cannot create {path}: {exc.strerror}") from exc
    with os.fdopen(fd, "wb") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def load_private_key(path: Path, passphrase: bytes) -> ReviewerPrivateKey:
    """Read a key file written by `save_private_key`; KeyFileError says what is wrong."""
    try:
        mode = path.stat().st_mode & 0o777
        data = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read key file {path}: {exc.strerror}") from exc
    if mode & 0o077:  # like the server secret: a private key others can read is refused
        raise KeyFileError(f"{path} is readable by others (mode {mode:o}); chmod 600 it")
    lines = data.split(b"\n", 4)
    try:
        head = [line.decode("utf-8").rstrip("\r") for line in lines[:4]]
    except UnicodeDecodeError as exc:
        raise KeyFileError(f"{path} is not a Tipline reviewer key file") from exc
    if len(lines) < 5 or head[0] not in (MAGIC_LINE, V1_MAGIC_LINE):
        raise KeyFileError(f"{path} is not a Tipline reviewer key file ({MAGIC_LINE})")
    kdf = _KDF_LINE.fullmatch(head[3])
    if not head[1].startswith("label: ") or not head[2].startswith("key-id: ") or kdf is None:
        raise KeyFileError(f"{path} has a damaged header")
    expected_id = head[2].removeprefix("key-id: ")
    n, r, p = (int(kdf.group(i)) for i in (1, 2, 3))
    if not _MIN_N <= n <= _MAX_N or not 1 <= r <= 32 or not 1 <= p <= 16:
        raise KeyFileError(f"{path} asks for unsupported scrypt parameters")
    try:
        salt = base64.b64decode(kdf.group(4), validate=True)
    except binascii.Error as exc:
        raise KeyFileError(f"{path} has a damaged header") from exc
    blocks = _PEM.findall(lines[4])
    wanted = 3 if head[0] == MAGIC_LINE else 2
    if len(blocks) != wanted or _PEM.sub(b"", lines[4]).strip():
        raise KeyFileError(f"{path} is truncated or damaged: expected {wanted} private key blocks")
    password = _stretch(passphrase, salt, n, r, p)
    try:
        mlkem_half = serialization.load_pem_private_key(blocks[0], password)
        x25519_half = serialization.load_pem_private_key(blocks[1], password)
        login_half = (
            serialization.load_pem_private_key(blocks[2], password) if wanted == 3 else None
        )
    except ValueError as exc:
        raise KeyFileError(f"wrong passphrase for {path}, or the file is damaged") from exc
    except (TypeError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"{path} holds keys Tipline cannot use") from exc
    if not isinstance(mlkem_half, mlkem.MLKEM768PrivateKey) or not isinstance(
        x25519_half, x25519.X25519PrivateKey
    ):
        raise KeyFileError(f"{path} holds keys of the wrong kind")
    if login_half is not None and not isinstance(login_half, ed25519.Ed25519PrivateKey):
        raise KeyFileError(f"{path} holds keys of the wrong kind")
    key = ReviewerPrivateKey(mlkem_half, x25519_half, login_half)
    if key.key_id != expected_id:
        raise KeyFileError(f"{path}: the keys do not match the key id {expected_id}")
    return key
