"""PTB's HTTP layer on aiohttp's client: one connection pool, no per-request logging.

python-telegram-bot sends every Bot API call through a `BaseRequest`. Its default
(`HTTPXRequest`) costs 1–2 ms of CPU per call and httpx logs each request URL at
INFO, and a Bot API URL contains the bot token. aiohttp is already Tipline's web
server, so its client does the job here: JSON bodies, keep-alive connections, and
errors translated into PTB's own exceptions without the URL in their message, and a
429 raised as `FloodWait` carrying how long to wait.

The calls of every turn skip PTB and aiohttp both: `call` posts plain Bot API JSON
through `telegram_http.JsonPoster`, a few kept-alive connections of its own.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import orjson
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    TelegramError,
    TimedOut,
)
from telegram.request import BaseRequest, RequestData

from bot.channels.telegram.http import JsonPoster

__all__ = ["AiohttpRequest", "FloodWait"]


class FloodWait(TelegramError):
    """HTTP 429: wait `retry_after` seconds before calling again.

    PTB's own `RetryAfter` warns (a deprecation of its int field) every time one is
    made, so a 429 is raised as this instead; PTB passes TelegramErrors through.
    """

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"Flood control exceeded. Retry in {retry_after} seconds")
        self.retry_after = retry_after


_JSON = {"Content-Type": "application/json", "User-Agent": BaseRequest.USER_AGENT}
_PLAIN = {"User-Agent": BaseRequest.USER_AGENT}


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` on one `aiohttp.ClientSession`, opened by `initialize`."""

    def __init__(
        self,
        *,
        connections: int = 256,
        read_timeout: float | None = 10.0,
        connect_timeout: float | None = 10.0,
        media_timeout: float | None = 60.0,
    ) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._media_timeout = media_timeout
        self._session: aiohttp.ClientSession | None = None
        self._poster: JsonPoster | None = None
        self._timeout = aiohttp.ClientTimeout(
            total=None, connect=connect_timeout, sock_read=read_timeout
        )

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections, ttl_dns_cache=300)
            # trust_env off: proxies come from settings, never from the environment. The Bot
            # API sets no cookies and is asked for no compression: skipping both halves
            # aiohttp's CPU per request (measured: ~230 → ~130 µs with the server's side).
            self._session = aiohttp.ClientSession(
                connector=connector,
                trust_env=False,
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=False,
                skip_auto_headers=("Accept-Encoding",),
            )
        if self._poster is None:
            self._poster = JsonPoster(
                connections=self._connections,
                connect_timeout=self._connect_timeout,
                read_timeout=self._read_timeout,
                headers={"User-Agent": BaseRequest.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
        if self._poster is not None:
            await self._poster.close()
        self._poster = None

    async def do_request(  # noqa: PLR0917 - PTB's signature
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        write_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        uploads = request_data is not None and request_data.contains_files
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=_seconds(connect_timeout, self._connect_timeout),
            sock_read=_seconds(
                read_timeout, self._media_timeout if uploads else self._read_timeout
            ),
        )
        body: bytes | aiohttp.FormData | None = None
        headers = _PLAIN
        if request_data is not None and uploads:
            body = _form(request_data)
        elif request_data is not None:
            body, headers = request_data.json_payload, _JSON
        return await self._send(method, url, body, headers, timeout)

    async def _send(
        self,
        method: str,
        url: str,
        body: bytes | aiohttp.FormData | None,
        headers: dict[str, str],
        limits: aiohttp.ClientTimeout | None,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise NetworkError("the Telegram HTTP client is not initialised")
        try:
            async with session.request(
                method, url, data=body, headers=headers, timeout=limits or self._timeout
            ) as response:
                payload = await response.read()
        except TimeoutError as exc:
            raise TimedOut("the Telegram Bot API did not answer in time") from exc
        except aiohttp.ClientError as exc:
            # The exception's own text may hold the URL, and so the token: keep only its type.
            raise NetworkError(f"aiohttp.{type(exc).__name__}") from exc
        if response.status == 429:
            raise FloodWait(_retry_after(payload))
        return response.status, payload

    async def call(self, url: str, params: dict[str, Any]) -> Any:
        """POST `params` as JSON to a Bot API method URL; the raw `result`.

        The fast lane for the calls of every turn (sendMessage, edits, answers): PTB's
        `Bot` methods would build a `Message` object from each answer (~60-100 µs of
        CPU) only for the adapter to read its `message_id`, and aiohttp's client costs
        three times what `JsonPoster` does. Errors are PTB's own."""
        if self._poster is None:
            raise NetworkError("the Telegram HTTP client is not initialised")
        status, payload = await self._poster.post(url, orjson.dumps(params))
        if status == 429:
            raise FloodWait(_retry_after(payload))
        try:
            answer = orjson.loads(payload)
        except ValueError as exc:
            raise NetworkError(f"the Bot API answered {status} with no JSON") from exc
        if 200 <= status <= 299:
            return answer.get("result")
        description = str(answer.get("description") or status)
        if status == 400:
            raise BadRequest(description)
        if status == 403:
            raise Forbidden(description)
        if status in (401, 404):
            raise InvalidToken(description)
        if status == 409:
            raise Conflict(description)
        raise NetworkError(description)


def _retry_after(payload: bytes) -> float:
    try:
        value = json.loads(payload)["parameters"]["retry_after"]
        return max(0.0, float(value))
    except (ValueError, KeyError, TypeError):
        return 1.0


def _seconds(given: float | object | None, default: float | None) -> float | None:
    if given is BaseRequest.DEFAULT_NONE:
        return default
    return given if isinstance(given, float | int) else None


def _form(request_data: RequestData) -> aiohttp.FormData:
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, part in request_data.multipart_data.items():
        filename, content, *rest = part
        content_type = rest[0] if rest else "application/octet-stream"
        form.add_field(name, content, filename=filename, content_type=content_type)
    return form
