"""PTB's HTTP transport on aiohttp's client: every Bot API call the channel makes.

python-telegram-bot sends every call through a `BaseRequest`; PTB turns the
answer into a result or one of its `TelegramError`s. Its default transport
(`HTTPXRequest`) logs each request URL at INFO, and a Bot API URL holds the bot
token; aiohttp is already Tipline's web server, so its client carries the calls
here. Errors never say the URL: a failed connection is a `NetworkError` naming
only the exception's type, no answer in time is `TimedOut`.

HTTP 429 is turned into `FloodWait` here and nowhere else, carrying how long
Telegram asks us to wait; PTB passes a `TelegramError` raised by the transport
through unchanged. (PTB's own `RetryAfter` emits a deprecation warning each time
one is made, about the type of its field.) A 2xx answer to a Bot API call
(PTB POSTs them all; a file is a GET) that is not the Bot API's JSON envelope
is a `NetworkError` too, like a proxy's error page: the
caller backs off and tries again, as after any failure of the server.
"""

from __future__ import annotations

import aiohttp
import orjson
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = ["AiohttpRequest", "FloodWait"]


class FloodWait(TelegramError):
    """HTTP 429: wait `retry_after` seconds before calling again."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"Flood control exceeded. Retry in {retry_after} seconds")
        self.retry_after = retry_after


_JSON = {"Content-Type": "application/json", "User-Agent": BaseRequest.USER_AGENT}
_PLAIN = {"User-Agent": BaseRequest.USER_AGENT}


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` on one `aiohttp.ClientSession` of at most `connections`
    kept-alive connections, opened by `initialize`."""

    def __init__(
        self,
        *,
        connections: int = 100,
        read_timeout: float | None = 10.0,
        connect_timeout: float | None = 10.0,
    ) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # Proxies come from settings, never from the environment (trust_env off). The
            # Bot API sets no cookies and is asked for no compression, so neither is kept.
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections, ttl_dns_cache=300),
                trust_env=False,
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=False,
                skip_auto_headers=("Accept-Encoding",),
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

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
        session = self._session
        if session is None or session.closed:
            raise NetworkError("the Telegram HTTP client is not initialised")
        if request_data is not None and request_data.contains_files:
            raise TelegramError("the Telegram channel uploads no files")  # and has no form code
        body, headers = (
            (None, _PLAIN) if request_data is None else (request_data.json_payload, _JSON)
        )
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=_seconds(connect_timeout, self._connect_timeout),
            sock_read=_seconds(read_timeout, self._read_timeout),
        )
        try:
            async with session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                payload = await response.read()
        except TimeoutError as exc:
            raise TimedOut("the Telegram Bot API did not answer in time") from exc
        except aiohttp.ClientError as exc:
            # The exception's own text may hold the URL, and so the token: keep only its type.
            raise NetworkError(f"aiohttp.{type(exc).__name__}") from exc
        if response.status == 429:
            raise FloodWait(_retry_after(payload))
        if method == "POST" and 200 <= response.status < 300 and not _is_answer(payload):
            # PTB would log the body (what a reporter wrote, maybe) and fail in its own ways.
            raise NetworkError("the Telegram Bot API's answer could not be read")
        return response.status, payload


def _is_answer(payload: bytes) -> bool:
    """Whether a 2xx body is the Bot API's envelope, `{"ok": true, "result": ...}`."""
    try:
        answer = orjson.loads(payload)
    except ValueError:
        return False
    return isinstance(answer, dict) and answer.get("ok") is True and "result" in answer


def _retry_after(payload: bytes) -> float:
    """Seconds to wait, from a 429's `parameters.retry_after` (1 when it is missing)."""
    try:
        return max(0.0, float(orjson.loads(payload)["parameters"]["retry_after"]))
    except (ValueError, KeyError, TypeError):
        return 1.0


def _seconds(given: float | object | None, default: float | None) -> float | None:
    if given is BaseRequest.DEFAULT_NONE:
        return default
    return given if isinstance(given, float | int) else None
