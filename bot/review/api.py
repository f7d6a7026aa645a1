"""The reviewer API: JSON under /review/api/v1/, on a listener of its own.

Every request but the OpenAPI document and the two login steps needs
`Authorization: Bearer <token>` (401 otherwise). Every action is audited with
the reviewer's key id, in the store's transaction for the change it makes. A
reviewer only ever sees, claims or fetches reports sealed to their own key.
Bad input gets a 4xx JSON error with the same headers as every response,
never a 500 and never a stack trace. The document at openapi.json is kept true
by tests/review/test_openapi.py (schemathesis against the live server).
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

import orjson
from aiohttp import web
from aiohttp.typedefs import Middleware

from bot.review import views
from bot.review.demo import sealing_keys
from bot.review.login import LoginRefused, Logins
from bot.review.openapi import document
from bot.settings import Settings
from handoff import CASE_STATUSES, OUTCOMES, REFERRALS, read_header
from handoff.reporter import ReporterPublic
from handoff.thread import message_direction
from locales.errors import QueueError, StoreError, TamperedError
from store import QueuedReport, Store

__all__ = ["PREFIX", "ReviewApi", "build_app"]

log = logging.getLogger("tipline.review")
PREFIX = "/review/api/v1"
MAX_BODY = 1024 * 1024  # a sealed note to 20 reviewers is ~25 KB
_REFERENCE = re.compile(r"[A-Za-z0-9-]{1,40}")
_KEY_ID = re.compile(r"[0-9a-f]{16}")
_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
REVIEWER = web.RequestKey("reviewer", str)


def _error(status: int, message: str, **headers: str) -> web.Response:
    return web.json_response(
        {"error": message}, status=status, headers=headers, dumps=lambda o: orjson.dumps(o).decode()
    )


def _json(body: object, status: int = 200) -> web.Response:
    return web.json_response(body, status=status, dumps=lambda o: orjson.dumps(o).decode())


class BadRequest(Exception):
    """The request is malformed; the message says how."""


@dataclass(frozen=True, slots=True)
class ReviewApi:
    """The API's handlers over the store, the login service, settings and a clock."""

    store: Store
    logins: Logins
    settings: Settings
    clock: Callable[[], datetime]

    # -- helpers ---------------------------------------------------------------

    def _meta(self, row: QueuedReport) -> views.JSON:
        return views.report_meta(
            row, self.settings.acknowledge_within, self.settings.feedback_within
        )

    @staticmethod
    async def _body(request: web.Request) -> dict[str, object]:
        try:
            body = orjson.loads(await request.read())
        except orjson.JSONDecodeError as exc:
            raise BadRequest("the body must be a JSON object") from exc
        if not isinstance(body, dict):
            raise BadRequest("the body must be a JSON object")
        return body

    @staticmethod
    def _text(body: dict[str, object], name: str, pattern: re.Pattern[str] | None = None) -> str:
        value = body.get(name)
        if not isinstance(value, str) or (pattern is not None and not pattern.fullmatch(value)):
            raise BadRequest(f"{name!r} is missing or malformed")
        return value

    @staticmethod
    def _bytes(body: dict[str, object], name: str, limit: int = MAX_BODY) -> bytes:
        value = body.get(name)
        if not isinstance(value, str) or len(value) > limit * 2:
            raise BadRequest(f"{name!r} must be base64")
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BadRequest(f"{name!r} must be base64") from exc

    @staticmethod
    def _reference(request: web.Request) -> str:
        reference = request.match_info["reference"]
        if not _REFERENCE.fullmatch(reference):
            raise BadRequest("a reference is letters, digits and dashes")
        return reference

    @staticmethod
    def _page(request: web.Request) -> tuple[str | None, int]:
        after = request.query.get("after") or None
        raw = request.query.get("limit", "100")
        if not raw.isdigit() or not 1 <= int(raw) <= 500 or (after and len(after) > 40):
            raise BadRequest("limit is 1 to 500; after is a reference")
        return after, int(raw)

    async def _mine(self, reference: str, reviewer: str) -> QueuedReport:
        row = await self.store.fetch(reference, reviewer)
        if row is None:
            raise web.HTTPNotFound()
        return row

    # -- login -------------------------------------------------------------------

    async def challenge(self, request: web.Request) -> web.Response:
        key_id = self._text(await self._body(request), "key_id", _KEY_ID)
        try:
            challenge, expires = self.logins.challenge(key_id)
        except LoginRefused as exc:
            return _error(429, str(exc), **{"Retry-After": str(exc.retry_after or 60)})
        return _json({"challenge": views.b64(challenge), "expires_at": views.when(expires)})

    async def login(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        key_id = self._text(body, "key_id", _KEY_ID)
        code = self._text(body, "totp", re.compile(r"[0-9]{6,8}"))
        challenge = self._bytes(body, "challenge", 64)
        signature = self._bytes(body, "signature", 128)
        try:
            issued = await self.logins.login(key_id, challenge, signature, code)
        except LoginRefused as exc:
            log.info("review_login_refused")
            if exc.retry_after is not None:
                return _error(429, str(exc), **{"Retry-After": str(exc.retry_after)})
            return _error(401, str(exc))
        log.info("review_login")
        return _json(
            {
                "token": issued.token,
                "key_id": issued.key_id,
                "expires_at": views.when(issued.expires_at),
            }
        )

    async def logout(self, request: web.Request) -> web.Response:
        await self.logins.logout(_bearer(request) or "")
        return web.Response(status=204)

    # -- the queue ----------------------------------------------------------------

    async def queue(self, request: web.Request) -> web.Response:
        after, limit = self._page(request)
        every = request.query.get("all", "false")
        if every not in ("true", "false"):
            raise BadRequest("all is true or false")
        rows = await self.store.queue_page(request[REVIEWER], after, limit, every == "false")
        return _json({"reports": [self._meta(r) for r in rows]})

    async def claim(self, request: web.Request) -> web.Response:
        now = self.clock()
        row = await self.store.claim(request[REVIEWER], now, now + self.settings.lease)
        if row is None:
            return _json({"report": None, "envelope": None})
        return _json({"report": self._meta(row), "envelope": views.b64(row.envelope)})

    async def fetch(self, request: web.Request) -> web.Response:
        reviewer, reference = request[REVIEWER], self._reference(request)
        row = await self._mine(reference, reviewer)
        await self.store.audit_event("fetch", reference, reviewer, self.clock())
        return _json({"report": self._meta(row), "envelope": views.b64(row.envelope)})

    async def finishing(self, request: web.Request) -> web.Response:
        reviewer, reference = request[REVIEWER], self._reference(request)
        await self._mine(reference, reviewer)
        if request.match_info["action"] == "done":
            await self.store.finish(reference, reviewer, self.clock())
        else:
            await self.store.release(reference, reviewer, self.clock())
        return _json({"report": self._meta(await self._mine(reference, reviewer))})

    async def status(self, request: web.Request) -> web.Response:
        reviewer, reference = request[REVIEWER], self._reference(request)
        body = await self._body(request)
        status = self._text(body, "status")
        detail = body.get("detail")
        allowed = {"referred": REFERRALS, "closed": OUTCOMES}.get(status, (None,))
        if status not in CASE_STATUSES or detail not in allowed:
            raise BadRequest(
                "status is one of "
                + ", ".join(CASE_STATUSES)
                + "; referred takes detail "
                + "/".join(REFERRALS)
                + ", closed takes "
                + "/".join(OUTCOMES)
            )
        await self._mine(reference, reviewer)
        row = await self.store.set_status(
            reference, reviewer, status, detail if isinstance(detail, str) else None, self.clock()
        )
        return _json({"report": self._meta(row)})

    async def hold(self, request: web.Request) -> web.Response:
        reviewer, reference = request[REVIEWER], self._reference(request)
        held = (await self._body(request)).get("held")
        if not isinstance(held, bool):
            raise BadRequest("'held' must be true or false")
        await self._mine(reference, reviewer)
        await self.store.set_hold(reference, reviewer, held, self.clock())
        return _json({"report": self._meta(await self._mine(reference, reviewer))})

    async def delete(self, request: web.Request) -> web.Response:
        reviewer, reference = request[REVIEWER], self._reference(request)
        await self._mine(reference, reviewer)
        await self.store.delete_report(reference, reviewer, self.clock())
        return web.Response(status=204)

    async def notes(self, request: web.Request) -> web.Response:
        reviewer, reference = request[REVIEWER], self._reference(request)
        await self._mine(reference, reviewer)
        return _json({"notes": [views.note(n) for n in await self.store.notes(reference)]})

    async def add_note(self, request: web.Request) -> web.Response:
        reviewer, reference = request[REVIEWER], self._reference(request)
        envelope = self._bytes(await self._body(request), "envelope")
        try:
            header = read_header(envelope)
        except TamperedError as exc:
            raise BadRequest("the note must be a sealed envelope") from exc
        if header.reference != reference:
            raise BadRequest("the note is sealed for another report")
        await self._mine(reference, reviewer)
        note = await self.store.add_note(reference, reviewer, envelope, self.clock())
        return _json(views.note(note), status=201)

    async def thread(self, request: web.Request) -> web.Response:
        reviewer, reference = request[REVIEWER], self._reference(request)
        await self._mine(reference, reviewer)
        thread = await self.store.thread(reference)
        if thread is None:
            raise QueueError(f"no report {reference}", reference)
        return _json(views.thread(thread))

    async def add_message(self, request: web.Request) -> web.Response:
        """A reviewer's message to the reporter: refused unless the reporter's key can open
        it (the server cannot check more: it cannot open it)."""
        reviewer, reference = request[REVIEWER], self._reference(request)
        envelope = self._bytes(await self._body(request), "envelope")
        try:
            header = read_header(envelope)
        except TamperedError as exc:
            raise BadRequest("the message must be a sealed envelope") from exc
        if header.reference != reference or message_direction(header) != "to_reporter":
            raise BadRequest("the message is sealed for another report, or is not to the reporter")
        await self._mine(reference, reviewer)
        thread = await self.store.thread(reference)
        if thread is None or thread.reporter_public is None:
            raise QueueError(f"report {reference} was sealed before replies existed", reference)
        if ReporterPublic.from_bytes(thread.reporter_public).key_id not in header.recipients:
            raise BadRequest("the message is not sealed to the reporter's key")
        row = await self.store.add_reviewer_message(reference, reviewer, envelope, self.clock())
        return _json(views.message(row), status=201)

    async def reviewers(self, request: web.Request) -> web.Response:
        keys = sealing_keys(await self.store.reviewer_keys(), self.settings)
        return _json({"reviewers": [views.reviewer(k) for k in keys]})

    # -- the audit log ---------------------------------------------------------------

    async def audit(self, request: web.Request) -> web.Response:
        after, limit = request.query.get("after", "0"), request.query.get("limit", "1000")
        if not after.isdigit() or not limit.isdigit() or not 1 <= int(limit) <= 5000:
            raise BadRequest("after is a seq; limit is 1 to 5000")
        entries = await self.store.audit_page(min(int(after), 2**62), int(limit))
        return _json({"entries": [views.audit_entry(e) for e in entries]})

    async def audit_head(self, request: web.Request) -> web.Response:
        head = await self.store.audit_head()
        if head is None:
            return _json({"seq": None, "hash": None})
        return _json({"seq": head.seq, "hash": views.b64(head.mac)})

    async def audit_reports(self, request: web.Request) -> web.Response:
        after, limit = self._page(request)
        rows = await self.store.report_states(after, limit)
        return _json({"reports": [views.case_state(r) for r in rows]})

    async def openapi(self, request: web.Request) -> web.Response:
        return _json(document())


def _bearer(request: web.Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" and token else None


_OPEN = frozenset({f"{PREFIX}/openapi.json", f"{PREFIX}/login/challenge", f"{PREFIX}/login"})


def _middleware(api: ReviewApi) -> Middleware:
    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            if request.path not in _OPEN:
                token = _bearer(request)
                reviewer = None if token is None else await api.logins.session(token)
                if reviewer is None:
                    return _error(401, "log in first", **{"WWW-Authenticate": "Bearer"})
                request[REVIEWER] = reviewer
            return await handler(request)
        except BadRequest as exc:
            return _error(400, str(exc))
        except QueueError as exc:
            return _error(409, str(exc))
        except web.HTTPException as exc:
            return _error(exc.status, exc.reason)
        except StoreError:
            log.exception("review_store_failed")
            return _error(503, "the store failed; try again")

    return guard


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(_HEADERS)
    response.headers["Server"] = "Tipline"


def build_app(api: ReviewApi) -> web.Application:
    """The aiohttp application of the reviewer API."""
    app = web.Application(client_max_size=MAX_BODY * 2, middlewares=[_middleware(api)])
    app.on_response_prepare.append(_headers)
    ref = f"{PREFIX}/reports/{{reference}}"
    app.router.add_get(f"{PREFIX}/openapi.json", api.openapi)
    app.router.add_post(f"{PREFIX}/login/challenge", api.challenge)
    app.router.add_post(f"{PREFIX}/login", api.login)
    app.router.add_post(f"{PREFIX}/logout", api.logout)
    app.router.add_get(f"{PREFIX}/queue", api.queue)
    app.router.add_post(f"{PREFIX}/claim", api.claim)
    app.router.add_get(ref, api.fetch)
    app.router.add_delete(ref, api.delete)
    app.router.add_post(f"{ref}/{{action:done|release}}", api.finishing)
    app.router.add_post(f"{ref}/status", api.status)
    app.router.add_post(f"{ref}/hold", api.hold)
    app.router.add_get(f"{ref}/notes", api.notes)
    app.router.add_post(f"{ref}/notes", api.add_note)
    app.router.add_get(f"{ref}/thread", api.thread)
    app.router.add_post(f"{ref}/thread", api.add_message)
    app.router.add_get(f"{PREFIX}/reviewers", api.reviewers)
    app.router.add_get(f"{PREFIX}/audit", api.audit)
    app.router.add_get(f"{PREFIX}/audit/head", api.audit_head)
    app.router.add_get(f"{PREFIX}/audit/reports", api.audit_reports)
    return app
