"""`HttpQueue`: the `ReviewQueue` over the reviewer API, and logging in to it.

Everything the server sends is checked before it is used: a malformed answer
is an error naming the server, never a traceback. Refusals come back as
QueueError with the server's reason; an ended or expired login as
ConfigError saying to log in again.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp

from handoff.audit import AuditRecord
from handoff.cases import CaseState
from handoff.keys import PublicKey
from handoff.workstation.keyfile import ReviewerPrivateKey
from handoff.workstation.queue import (
    QueuedEnvelope,
    ReportMeta,
    SealedMessage,
    SealedNote,
    SealedThread,
)
from locales.errors import ConfigError, QueueError

__all__ = ["PREFIX", "AuditLine", "HttpQueue", "Login", "PublicRecord", "log_in"]

PREFIX = "/review/api/v1"
_TIMEOUT = aiohttp.ClientTimeout(total=120)


@dataclass(frozen=True, slots=True)
class Login:
    server: str
    key_id: str
    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class PublicRecord:
    """A reviewer key as the server lists it (fits `handoff.keys.PublicKey`)."""

    key_id: str
    mlkem_public: bytes
    x25519_public: bytes
    label: str


@dataclass(frozen=True, slots=True)
class AuditLine:
    """An audit entry as the server sends it (fits `handoff.audit.AuditRecord`)."""

    seq: int
    at: datetime
    event: str
    reference: str | None
    actor: str | None
    prev_mac: bytes
    mac: bytes
    scheme: str


def _bytes(value: object) -> bytes:
    if not isinstance(value, str):
        raise TypeError("expected base64")
    return base64.b64decode(value, validate=True)


def _time(value: object) -> datetime:
    if not isinstance(value, str):
        raise TypeError("expected a time")
    return datetime.fromisoformat(value)


def _opt_time(value: object) -> datetime | None:
    return None if value is None else _time(value)


def _opt_str(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _meta(raw: Any) -> ReportMeta:
    return ReportMeta(
        reference=str(raw["reference"]),
        priority=int(raw["priority"]),
        sealed_at=_time(raw["sealed_at"]),
        claim=str(raw["claim"]),
        claimed_by=_opt_str(raw["claimed_by"]),
        status=str(raw["status"]),
        referred_to=_opt_str(raw["referred_to"]),
        outcome=_opt_str(raw["outcome"]),
        held=bool(raw["held"]),
        evidence_count=None if raw["evidence_count"] is None else int(raw["evidence_count"]),
        acknowledged_at=_opt_time(raw["acknowledged_at"]),
        closed_at=_opt_time(raw["closed_at"]),
        acknowledge_by=_time(raw["acknowledge_by"]),
        feedback_by=_opt_time(raw["feedback_by"]),
        unanswered=bool(raw.get("unanswered", False)),
    )


async def _call(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    token: str | None = None,
    body: object = None,
    params: dict[str, str] | None = None,
) -> tuple[int, Any]:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    try:
        async with session.request(
            method, url, json=body, headers=headers, params=params, timeout=_TIMEOUT
        ) as response:
            data = await response.json() if response.content_type == "application/json" else None
            status = response.status
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise ConfigError(
            f"cannot reach the reviewer API at {url.split(PREFIX, maxsplit=1)[0]}"
        ) from exc
    if status == 401:
        if token is None:
            return status, data  # a refused login: the caller says what it means
        raise ConfigError("the login has expired or was ended: log in again (tipline review login)")
    if status == 429:
        raise QueueError("too many tries: wait a minute and try again")
    if status >= 500:
        raise QueueError("the server failed; try again later")
    if status >= 400 and status != 404:
        reason = data.get("error") if isinstance(data, dict) else None
        raise QueueError(str(reason or f"the server refused ({status})"))
    return status, data


async def log_in(
    session: aiohttp.ClientSession, server: str, key: ReviewerPrivateKey, code: str
) -> Login:
    """Sign the server's challenge with the key's login key and send the TOTP code."""
    base = server.rstrip("/") + PREFIX
    _, challenge = await _call(
        session, "POST", base + "/login/challenge", body={"key_id": key.key_id}
    )
    try:
        raw = _bytes(challenge["challenge"])
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise ConfigError(f"{server} did not send a login challenge") from exc
    signature = base64.b64encode(key.sign_login(raw)).decode()
    body = {
        "key_id": key.key_id,
        "challenge": challenge["challenge"],
        "signature": signature,
        "totp": code.strip().replace(" ", ""),
    }
    status, answer = await _call(session, "POST", base + "/login", body=body)
    if status == 401:
        raise ConfigError("login refused: the key is not enrolled, retired, or the code is wrong")
    try:
        return Login(server, key.key_id, str(answer["token"]), _time(answer["expires_at"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{server} sent a malformed login answer") from exc


class HttpQueue:
    """The reviewer API as a `ReviewQueue`, for the reviewer whose login it holds."""

    def __init__(self, session: aiohttp.ClientSession, login: Login) -> None:
        self._session = session
        self._login = login
        self._base = login.server.rstrip("/") + PREFIX

    @property
    def key_id(self) -> str:
        return self._login.key_id

    async def _do(
        self, method: str, path: str, body: object = None, **params: str
    ) -> tuple[int, Any]:
        return await _call(
            self._session,
            method,
            self._base + path,
            token=self._login.token,
            body=body,
            params=params or None,
        )

    async def _parsed(
        self, method: str, path: str, parse: Any, body: object = None, **params: str
    ) -> Any:
        status, data = await self._do(method, path, body, **params)
        if status == 404:
            return None
        try:
            return parse(data)
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise QueueError(f"{self._login.server} sent a malformed answer") from exc

    async def _meta_of(self, method: str, path: str, body: object = None) -> ReportMeta:
        meta = await self._parsed(method, path, lambda d: _meta(d["report"]), body)
        if meta is None:
            raise QueueError(f"no report {path.split('/')[2]} for this key")
        return meta  # type: ignore[no-any-return]

    async def claim(self) -> QueuedEnvelope | None:
        def parse(data: Any) -> QueuedEnvelope | None:
            if data["report"] is None:
                return None
            return QueuedEnvelope(_meta(data["report"]), _bytes(data["envelope"]))

        return await self._parsed("POST", "/claim", parse)  # type: ignore[no-any-return]

    async def fetch(self, reference: str) -> QueuedEnvelope | None:
        return await self._parsed(  # type: ignore[no-any-return]
            "GET",
            f"/reports/{reference}",
            lambda d: QueuedEnvelope(_meta(d["report"]), _bytes(d["envelope"])),
        )

    async def page(
        self, after: str | None = None, limit: int = 100, *, every: bool = False
    ) -> list[ReportMeta]:
        params = {"limit": str(limit), "all": "true" if every else "false"}
        params |= {} if after is None else {"after": after}
        rows = await self._parsed(
            "GET", "/queue", lambda d: [_meta(r) for r in d["reports"]], **params
        )
        return rows or []

    async def finish(self, reference: str) -> ReportMeta:
        return await self._meta_of("POST", f"/reports/{reference}/done")

    async def release(self, reference: str) -> ReportMeta:
        return await self._meta_of("POST", f"/reports/{reference}/release")

    async def set_status(self, reference: str, status: str, detail: str | None) -> ReportMeta:
        body = {"status": status, "detail": detail}
        return await self._meta_of("POST", f"/reports/{reference}/status", body)

    async def set_hold(self, reference: str, held: bool) -> ReportMeta:
        return await self._meta_of("POST", f"/reports/{reference}/hold", {"held": held})

    async def delete(self, reference: str) -> None:
        status, _ = await self._do("DELETE", f"/reports/{reference}")
        if status == 404:
            raise QueueError(f"no report {reference} for this key", reference)

    async def add_note(self, reference: str, envelope: bytes) -> None:
        body = {"envelope": base64.b64encode(envelope).decode()}
        status, _ = await self._do("POST", f"/reports/{reference}/notes", body)
        if status == 404:
            raise QueueError(f"no report {reference} for this key", reference)

    async def notes(self, reference: str) -> list[SealedNote]:
        def parse(data: Any) -> list[SealedNote]:
            return [
                SealedNote(int(n["id"]), str(n["author"]), _time(n["at"]), _bytes(n["envelope"]))
                for n in data["notes"]
            ]

        return await self._parsed("GET", f"/reports/{reference}/notes", parse) or []

    async def thread(self, reference: str) -> SealedThread:
        def parse(data: Any) -> SealedThread:
            key = data["reporter_key"]
            return SealedThread(
                str(data["reference"]),
                None if key is None else _bytes(key),
                bool(data["unanswered"]),
                tuple(
                    SealedMessage(
                        int(m["id"]),
                        str(m["direction"]),
                        _opt_str(m["author"]),
                        _time(m["created_at"]),
                        _opt_time(m["read_at"]),
                        _bytes(m["envelope"]),
                    )
                    for m in data["messages"]
                ),
            )

        found: SealedThread | None = await self._parsed(
            "GET", f"/reports/{reference}/thread", parse
        )
        if found is None:
            raise QueueError(f"no report {reference} for this key", reference)
        return found

    async def add_message(self, reference: str, envelope: bytes) -> None:
        body = {"envelope": base64.b64encode(envelope).decode()}
        status, _ = await self._do("POST", f"/reports/{reference}/thread", body)
        if status == 404:
            raise QueueError(f"no report {reference} for this key", reference)

    async def reviewers(self) -> list[PublicKey]:
        def parse(data: Any) -> list[PublicKey]:
            return [
                PublicRecord(
                    str(r["key_id"]), _bytes(r["ml_kem_768"]), _bytes(r["x25519"]), str(r["label"])
                )
                for r in data["reviewers"]
            ]

        return await self._parsed("GET", "/reviewers", parse) or []

    async def audit_entries(self) -> list[AuditRecord]:
        def parse(data: Any) -> list[AuditLine]:
            return [
                AuditLine(
                    int(e["seq"]),
                    _time(e["at"]),
                    str(e["event"]),
                    _opt_str(e["reference"]),
                    _opt_str(e["actor"]),
                    _bytes(e["prev"]),
                    _bytes(e["hash"]),
                    str(e["scheme"]),
                )
                for e in data["entries"]
            ]

        entries: list[AuditRecord] = []
        while True:
            after = str(entries[-1].seq) if entries else "0"
            page = await self._parsed("GET", "/audit", parse, after=after, limit="5000") or []
            entries += page
            if len(page) < 5000:
                return entries

    async def report_states(self) -> list[CaseState]:
        def parse(data: Any) -> list[CaseState]:
            return [
                CaseState(
                    str(r["reference"]),
                    str(r["claim"]),
                    _opt_str(r["claimed_by"]),
                    str(r["status"]),
                    _opt_str(r["referred_to"]),
                    _opt_str(r["outcome"]),
                    bool(r["held"]),
                )
                for r in data["reports"]
            ]

        states: list[CaseState] = []
        while True:
            params = {"limit": "500"} | ({"after": states[-1].reference} if states else {})
            page = await self._parsed("GET", "/audit/reports", parse, **params) or []
            states += page
            if len(page) < 500:
                return states

    async def logout(self) -> None:
        await self._do("POST", "/logout")
