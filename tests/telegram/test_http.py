"""The Bot API calls of every turn, over `JsonPoster`'s own kept-alive connections,
against real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import orjson
import pytest
from aiohttp import web
from telegram.error import NetworkError, TimedOut

from bot.channels.telegram import http as telegram_http
from bot.channels.telegram.http import JsonPoster

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Server:
    """An aiohttp server that records what it was sent and on which connection."""

    def __init__(self) -> None:
        self.connections: list[int] = []  # per request, the client's port: its connection
        self.bodies: list[bytes] = []
        self.headers: list[dict[str, str]] = []
        self.running = 0
        self.most = 0
        self.url = ""

    def record(self, request: web.Request) -> None:
        assert request.transport is not None
        self.connections.append(request.transport.get_extra_info("peername")[1])
        self.headers.append(dict(request.headers))


@asynccontextmanager
async def serving(handler: Handler, keepalive: float = 75.0) -> AsyncIterator[Server]:
    server = Server()

    async def wrapped(request: web.Request) -> web.StreamResponse:
        server.record(request)
        server.bodies.append(await request.read())
        server.running += 1
        server.most = max(server.most, server.running)
        try:
            return await handler(request)
        finally:
            server.running -= 1

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", wrapped)
    runner = web.AppRunner(app, access_log=None, keepalive_timeout=keepalive)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    server.url = f"http://127.0.0.1:{port}/bot123:SECRET"
    try:
        yield server
    finally:
        await runner.cleanup()


async def echo(request: web.Request) -> web.Response:
    params = orjson.loads(await request.read())
    return web.json_response({"ok": True, "result": {"echo": params}})


async def test_calls_share_one_kept_alive_connection_and_send_exactly_the_body() -> None:
    async with serving(echo) as server:
        poster = JsonPoster(headers={"User-Agent": "Tipline-test", "X-Extra": "1"})
        try:
            for n in range(20):
                body = orjson.dumps({"chat_id": n, "text": "Zoë — ✓"})
                status, answer = await poster.post(f"{server.url}/sendMessage", body)
                assert status == 200
                assert orjson.loads(answer)["result"]["echo"] == {"chat_id": n, "text": "Zoë — ✓"}
        finally:
            await poster.close()
    assert len(set(server.connections)) == 1, "a new connection per call"
    assert server.bodies[0] == orjson.dumps({"chat_id": 0, "text": "Zoë — ✓"})
    headers = server.headers[0]
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == "Tipline-test"
    assert headers["X-Extra"] == "1"
    assert headers["Host"].startswith("127.0.0.1:")


async def test_no_more_connections_than_allowed_and_every_call_answered() -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(0.02)
        return await echo(request)

    async with serving(slow) as server:
        poster = JsonPoster(connections=2)
        try:
            calls = [
                poster.post(f"{server.url}/sendMessage", orjson.dumps({"n": n})) for n in range(12)
            ]
            answers = await asyncio.gather(*calls)
        finally:
            await poster.close()
    assert [orjson.loads(body)["result"]["echo"]["n"] for _, body in answers] == list(range(12))
    assert server.most == 2
    assert len(set(server.connections)) == 2


async def test_a_waiting_call_gets_the_next_connection_given_back() -> None:
    """At the limit, a connection given back goes to the call that waited longest, not to
    the call its last user makes at once (a turn's second message, say)."""

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(0.02)
        return await echo(request)

    async with serving(slow) as server:
        poster = JsonPoster(connections=1)
        url = f"{server.url}/sendMessage"

        async def several() -> None:
            for n in range(4):
                await poster.post(url, orjson.dumps({"who": "several", "n": n}))

        try:
            first = asyncio.create_task(several())
            await asyncio.sleep(0.005)  # its first call has the one connection
            await poster.post(url, orjson.dumps({"who": "waiting"}))
            await first
        finally:
            await poster.close()
    order = [orjson.loads(body)["who"] for body in server.bodies]
    assert order.index("waiting") == 1, order


async def test_a_connection_the_server_closes_is_not_reused() -> None:
    async def closing(request: web.Request) -> web.Response:
        response = await echo(request)
        response.force_close()  # "Connection: close"
        return response

    async with serving(closing) as server:
        poster = JsonPoster()
        try:
            for n in range(3):
                status, _ = await poster.post(f"{server.url}/sendMessage", orjson.dumps({"n": n}))
                assert status == 200
        finally:
            await poster.close()
    assert len(set(server.connections)) == 3


async def test_an_idle_connection_the_server_dropped_is_replaced() -> None:
    async with serving(echo, keepalive=0.05) as server:
        poster = JsonPoster()
        try:
            await poster.post(f"{server.url}/getMe", b"{}")
            await asyncio.sleep(0.3)  # the server closes the idle connection
            status, _ = await poster.post(f"{server.url}/getMe", b"{}")
        finally:
            await poster.close()
    assert status == 200
    assert len(server.connections) == 2


async def late_if_asked(request: web.Request) -> web.Response:
    """Echoes the body; half a second late when it says "late"."""
    params = orjson.loads(await request.read())
    if params.get("late"):
        await asyncio.sleep(0.5)
    return web.json_response({"ok": True, "result": params})


async def test_an_answer_too_late_is_timed_out_and_never_read_by_the_next_call() -> None:
    async with serving(late_if_asked) as server:
        poster = JsonPoster(read_timeout=0.1)
        try:
            with pytest.raises(TimedOut):
                await poster.post(f"{server.url}/sendMessage", b'{"late": true, "n": 1}')
            _, answer = await poster.post(f"{server.url}/sendMessage", b'{"n": 2}')
        finally:
            await poster.close()
    assert orjson.loads(answer)["result"] == {"n": 2}


async def test_a_cancelled_call_leaves_no_answer_behind_for_the_next() -> None:
    async with serving(late_if_asked) as server:
        poster = JsonPoster(connections=1)
        try:
            first = asyncio.ensure_future(
                poster.post(f"{server.url}/sendMessage", b'{"late": true, "n": 1}')
            )
            await asyncio.sleep(0.05)
            first.cancel()
            with pytest.raises(asyncio.CancelledError):
                await first
            _, answer = await poster.post(f"{server.url}/sendMessage", b'{"n": 2}')
        finally:
            await poster.close()
    assert orjson.loads(answer)["result"] == {"n": 2}


@asynccontextmanager
async def raw_server(reply: bytes) -> AsyncIterator[str]:
    """A TCP server that answers any request with `reply`, whatever it is."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(reply)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/bot123:SECRET"
    finally:
        server.close()
        await server.wait_closed()


async def refusal(url: str) -> NetworkError:
    """The error a fresh `JsonPoster` raises for one call to `url`."""
    poster = JsonPoster()
    try:
        with pytest.raises(NetworkError) as caught:
            await poster.post(url, b"{}")
    finally:
        await poster.close()
    return caught.value


async def test_a_malformed_answer_is_a_network_error() -> None:
    async with raw_server(b"HTTP/1.1 abc what\r\n\r\n") as url:
        error = await refusal(f"{url}/sendMessage")
    assert "SECRET" not in str(error)


async def test_a_connection_closed_before_the_answer_is_a_network_error() -> None:
    async with raw_server(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{") as url:
        error = await refusal(f"{url}/sendMessage")
    assert "closed" in str(error)


async def test_an_answer_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(telegram_http, "MAX_ANSWER", 1000)

    async def big(request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "result": "x" * 5000})

    async with serving(big) as server:
        error = await refusal(f"{server.url}/getUpdates")
    assert "too large" in str(error)


async def test_nobody_listening_is_a_network_error_without_the_token() -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    error = await refusal(f"http://127.0.0.1:{port}/bot123:SECRET/getMe")
    assert "SECRET" not in str(error)
    assert "127.0.0.1" not in str(error)
