"""What the workstation keeps beside the key file: the login token and the last audit head.

`alice.token` holds the server address, the key id, the bearer token and its
expiry (8 hours), mode 0600 like the key; an expired one is deleted when read.
`alice.head` holds the newest audit entry this reviewer verified (seq and
hash): the next `review audit --verify` checks the server's log still holds
it, so a log cut or rewritten since is caught. Neither is a server file.
"""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from handoff.audit import AuditHead
from handoff.workstation.client import Login
from locales.errors import ConfigError

__all__ = ["forget_login", "load_head", "load_login", "save_head", "save_login"]


def _beside(key: Path, suffix: str) -> Path:
    return key.with_suffix(suffix)


def _write_private(path: Path, text: str) -> None:
    """Write `text` to `path` (0600) through a new file renamed over the old one."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    temporary.replace(path)


def _read_private(path: Path) -> dict[str, object] | None:
    try:
        mode = path.stat().st_mode & 0o777
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}") from exc
    if mode & 0o077:
        raise ConfigError(f"{path} is readable by others (mode {mode:o}); delete it, log in again")
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{path} is damaged; delete it and log in again") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path} is damaged; delete it and log in again")
    return data


def save_login(key: Path, login: Login) -> Path:
    path = _beside(key, ".token")
    document = {
        "server": login.server,
        "key_id": login.key_id,
        "token": login.token,
        "expires_at": login.expires_at.isoformat(),
    }
    _write_private(path, json.dumps(document))
    return path


def load_login(key: Path, now: datetime | None = None) -> Login:
    """The live login kept beside `key`; ConfigError saying how to log in if there is none."""
    path = _beside(key, ".token")
    data = _read_private(path)
    hint = f"log in first: tipline review login --server URL --key {key}"
    if data is None:
        raise ConfigError(f"not logged in; {hint}")
    try:
        login = Login(
            str(data["server"]),
            str(data["key_id"]),
            str(data["token"]),
            datetime.fromisoformat(str(data["expires_at"])),
        )
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"{path} is damaged; {hint}") from exc
    if login.expires_at <= (now or datetime.now(UTC)):
        path.unlink(missing_ok=True)
        raise ConfigError(f"the login has expired; {hint}")
    return login


def forget_login(key: Path) -> None:
    _beside(key, ".token").unlink(missing_ok=True)


def save_head(key: Path, server: str, head: AuditHead) -> None:
    document = {"server": server, "seq": head.seq, "hash": base64.b64encode(head.mac).decode()}
    _write_private(_beside(key, ".head"), json.dumps(document))


def load_head(key: Path, server: str) -> AuditHead | None:
    """The head this reviewer last verified on `server`, or None."""
    data = _read_private(_beside(key, ".head"))
    if data is None or data.get("server") != server:
        return None
    try:
        return AuditHead(int(str(data["seq"])), base64.b64decode(str(data["hash"])))
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"{_beside(key, '.head')} is damaged") from exc
