"""Kept-alive HTTP/1.1 POSTs of JSON: the Bot API calls of every turn.

Every turn of the Telegram channel makes one to three Bot API calls (send the
next question, edit the pressed buttons, answer the press). aiohttp's client
spends 120–180 µs of CPU on each (bench/README.md), most of it on what these
calls never need: cookies, redirects, proxies, tracing, compression, multipart.
They have one shape — POST a small JSON body to one origin, read a JSON answer —
so they go over kept-alive connections written straight onto asyncio's
transports, with the response parsed by httptools (Node.js's llhttp parser, as
uvicorn uses it): ~40 µs a call. PTB's `Bot` still uses aiohttp's client for
the rest (files, uploads, set-up), through `telegram_request.AiohttpRequest`.

Errors are PTB's own: `TimedOut` when no answer comes in time, `NetworkError`
for anything else that goes wrong with the connection; neither says the URL,
which holds the bot token. A connection that failed, timed out or was given up
by a cancelled caller is closed, never reused.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import httptools
from telegram.error import NetworkError, TimedOut

__all__ = ["JsonPoster"]

MAX_ANSWER = 16 * 1024 * 1024  # a getUpdates answer of 100 updates is far smaller
IDLE_SECONDS = 15.0  # reuse a connection idle this long at most (aiohttp's default too)


@dataclass(frozen=True, slots=True)
class _Target:
    scheme: str
    host: str
    port: int
    head: bytes  # the request line and headers, up to the Content-Length value


@lru_cache(maxsize=64)
def _target(url: str, headers: str) -> _Target:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NetworkError("the Bot API URL must be http:// or https://")
    default = 443 if parts.scheme == "https" else 80
    port = parts.port or default
    host = parts.hostname if port == default else f"{parts.hostname}:{port}"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\n{headers}"
        "Content-Type: application/json\r\nContent-Length: "
    ).encode()
    return _Target(parts.scheme, parts.hostname, port, head)


class _Connection(asyncio.Protocol):
    """One kept-alive connection: one request at a time, its answer parsed as it comes."""

    def __init__(self) -> None:
        self._parser = httptools.HttpResponseParser(self)
        self._transport: asyncio.Transport | None = None
        self._body: list[bytes] = []
        self._size = 0
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.open = False
        self.idle_since = 0.0

    # -- asyncio.Protocol ---------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)  # noqa: S101 - a stream connection
        self._transport = transport
        self.open = True

    def data_received(self, data: bytes) -> None:
        if self.waiter is None or self.waiter.done():
            self.close()  # nothing was asked: the connection is out of step
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError:
            self._fail(NetworkError("the Bot API sent a malformed HTTP answer"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.open = False
        self._fail(NetworkError("the Bot API closed the connection"))

    # -- httptools callbacks --------------------------------------------------------

    def on_body(self, body: bytes) -> None:
        self._size += len(body)
        if self._size > MAX_ANSWER:
            self._fail(NetworkError("the Bot API's answer is too large"))
        else:
            self._body.append(body)

    def on_message_complete(self) -> None:
        body = b"".join(self._body)
        self._body, self._size = [], 0
        if not self._parser.should_keep_alive():
            self.close()
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((self._parser.get_status_code(), body))

    # -- used by JsonPoster ---------------------------------------------------------

    def send(self, head: bytes, body: bytes) -> asyncio.Future[tuple[int, bytes]]:
        assert self._transport is not None  # noqa: S101 - only open connections are used
        self.waiter = asyncio.get_running_loop().create_future()
        self._transport.write(b"%b%d\r\n\r\n%b" % (head, len(body), body))
        return self.waiter

    def close(self) -> None:
        self.open = False
        if self._transport is not None:
            self._transport.close()

    def _fail(self, error: Exception) -> None:
        self.close()
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(error)


class JsonPoster:
    """POSTs JSON bodies over at most `connections` kept-alive connections per origin,
    with `headers` besides Host, Content-Type and Content-Length on every request.
    `read_timeout`: seconds from sending a request to the end of its answer."""

    def __init__(
        self,
        *,
        connections: int = 256,
        connect_timeout: float | None = 10.0,
        read_timeout: float | None = 10.0,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self._limit = connections
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._headers = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        self._idle: dict[tuple[str, str, int], deque[_Connection]] = {}
        self._count: dict[tuple[str, str, int], int] = {}
        self._waiting: dict[tuple[str, str, int], deque[asyncio.Future[_Connection | None]]] = {}
        self._tls: ssl.SSLContext | None = None
        self._closed = False

    async def post(self, url: str, body: bytes) -> tuple[int, bytes]:
        """The status and body of the answer to POSTing `body` (JSON) to `url`, which
        must come within the read timeout of sending it."""
        target = _target(url, self._headers)
        origin = (target.scheme, target.host, target.port)
        connection = await self._take(origin, target)
        loop = asyncio.get_running_loop()
        waiter = connection.send(target.head, body)
        limit = self._read_timeout
        timer = None if limit is None else loop.call_later(limit, _expire, connection)
        ok = False
        try:
            answer = await waiter
            ok = True
            return answer
        finally:
            if timer is not None:
                timer.cancel()
            connection.waiter = None
            if not ok:
                connection.close()
            self._give_back(origin, connection)

    async def close(self) -> None:
        self._closed = True
        for idle in self._idle.values():
            for connection in idle:
                connection.close()
        self._idle.clear()

    async def _take(self, origin: tuple[str, str, int], target: _Target) -> _Connection:
        """An open connection to `origin`: an idle one, a new one, or — at the limit —
        the next one given back, in the order the calls asked."""
        if self._closed:
            raise NetworkError("the Telegram HTTP client is closed")
        idle = self._idle.setdefault(origin, deque())
        now = time.monotonic()
        while idle:  # a connection is idle only while nobody waits for one
            connection = idle.pop()
            if connection.open and now - connection.idle_since < IDLE_SECONDS:
                return connection
            connection.close()
            self._count[origin] -= 1
        if self._count.get(origin, 0) < self._limit:
            self._count[origin] = self._count.get(origin, 0) + 1
            return await self._open(origin, target)
        handed: asyncio.Future[_Connection | None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(origin, deque()).append(handed)
        try:
            given = await handed
        except asyncio.CancelledError:
            if handed.done() and not handed.cancelled():
                self._hand_on(origin, handed.result())  # given one, then cancelled: pass it on
            raise
        if given is None:  # a place was freed: open a connection in it
            return await self._open(origin, target)
        return given

    async def _open(self, origin: tuple[str, str, int], target: _Target) -> _Connection:
        """A new connection in a place already counted; the place is handed on on failure."""
        try:
            return await self._connect(target)
        except BaseException:
            self._hand_on(origin, None)
            raise

    async def _connect(self, target: _Target) -> _Connection:
        loop = asyncio.get_running_loop()
        tls = None
        if target.scheme == "https":
            if self._tls is None:
                self._tls = ssl.create_default_context()
            tls = self._tls
        try:
            async with asyncio.timeout(self._connect_timeout):
                _, connection = await loop.create_connection(
                    _Connection, target.host, target.port, ssl=tls
                )
        except TimeoutError as exc:
            raise TimedOut("could not connect to the Bot API in time") from exc
        except OSError as exc:  # ssl.SSLError included
            raise NetworkError(f"could not connect to the Bot API ({type(exc).__name__})") from exc
        return connection

    def _give_back(self, origin: tuple[str, str, int], connection: _Connection) -> None:
        if connection.open and not self._closed:
            connection.idle_since = time.monotonic()
            self._hand_on(origin, connection)
        else:
            self._hand_on(origin, None)

    def _hand_on(self, origin: tuple[str, str, int], connection: _Connection | None) -> None:
        """Give `connection` (None: its place) to the first call waiting, else keep it."""
        waiting = self._waiting.get(origin)
        while waiting:
            handed = waiting.popleft()
            if not handed.done():  # a done one: its call was cancelled
                handed.set_result(connection)
                return
        if connection is not None and not self._closed:
            self._idle[origin].append(connection)
        else:
            if connection is not None:
                connection.close()
            self._count[origin] -= 1


def _expire(connection: _Connection) -> None:
    connection.close()
    waiter = connection.waiter
    if waiter is not None and not waiter.done():
        waiter.set_exception(TimedOut("the Telegram Bot API did not answer in time"))
