"""PTB's `Bot` on `AiohttpRequest`, against real HTTP servers on 127.0.0.1: what the
Bot API's answers, failures and silences become for the channel."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import orjson
import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut

from bot.channels.telegram import AiohttpRequest, FloodWait

TOKEN = "123:SECRET"
BOT_USER = {"id": 123, "is_bot": True, "first_name": "Tipline", "username": "tipline_bot"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def sent_message(params: dict[str, object]) -> dict[str, object]:
    chat = {"id": int(str(params["chat_id"])), "type": "private", "first_name": "Alex"}
    return {"message_id": 5, "date": 1, "chat": chat, "from": BOT_USER, "text": params["text"]}


async def echo(request: web.Request) -> web.Response:
    """getMe as the Bot API answers it; any other method: the message it would send."""
    if request.match_info["method"] == "getMe":
        return web.json_response({"ok": True, "result": BOT_USER})
    params = orjson.loads(await request.read())
    if params.get("late"):
        await asyncio.sleep(0.5)
    return web.json_response({"ok": True, "result": sent_message(params)})


class Server:
    """An aiohttp server that records what it was sent and on which connection."""

    def __init__(self) -> None:
        self.connections: list[int] = []  # per request, the client's port: its connection
        self.bodies: list[bytes] = []
        self.headers: list[dict[str, str]] = []
        self.api = ""


@asynccontextmanager
async def serving(handler: Handler) -> AsyncIterator[Server]:
    server = Server()

    async def recorded(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        server.connections.append(request.transport.get_extra_info("peername")[1])
        server.headers.append(dict(request.headers))
        server.bodies.append(await request.read())
        return await handler(request)

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", recorded)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server.api = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield server
    finally:
        await runner.cleanup()


def bot_for(api: str, read_timeout: float = 10.0) -> Bot:
    return Bot(TOKEN, base_url=f"{api}/bot", request=AiohttpRequest(read_timeout=read_timeout))


async def test_calls_go_as_json_over_one_kept_alive_connection() -> None:
    async with serving(echo) as server, bot_for(server.api) as bot:
        for n in range(5):
            sent = await bot.send_message(n, "Zoë — ✓")
            assert (sent.chat_id, sent.text) == (n, "Zoë — ✓")
    assert len(set(server.connections)) == 1, "a new connection per call"
    assert orjson.loads(server.bodies[-1]) == {"chat_id": "4", "text": "Zoë — ✓"}  # PTB's way
    assert server.headers[-1]["Content-Type"] == "application/json"
    assert server.headers[-1]["User-Agent"].startswith("python-telegram-bot")


async def refuse(status: int, body: bytes) -> TelegramError:
    """What `send_message` raises when the Bot API answers it with `status` and `body`."""

    async def answer(request: web.Request) -> web.Response:
        if request.match_info["method"] == "getMe":
            return await echo(request)
        return web.Response(status=status, body=body, content_type="application/json")

    async with serving(answer) as server, bot_for(server.api) as bot:
        with pytest.raises(TelegramError) as caught:
            await bot.send_message(1, "hello")
    return caught.value


async def test_a_429_is_a_flood_wait_for_as_long_as_telegram_says() -> None:
    body = b'{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7",'
    error = await refuse(429, body + b'"parameters":{"retry_after":7}}')
    assert isinstance(error, FloodWait)
    assert error.retry_after == 7.0


async def test_a_429_without_retry_after_waits_one_second() -> None:
    error = await refuse(429, b"Too Many Requests")
    assert isinstance(error, FloodWait)
    assert error.retry_after == 1.0


@pytest.mark.parametrize(
    ("status", "kind"), [(400, BadRequest), (403, Forbidden), (500, NetworkError)]
)
async def test_other_refusals_are_ptbs_errors_with_telegrams_description(
    status: int, kind: type[TelegramError]
) -> None:
    said = "message to edit not found"
    error = await refuse(status, orjson.dumps({"ok": False, "description": said}))
    assert type(error) is kind
    assert error.message.casefold() == said


async def test_an_answer_too_late_is_timed_out_and_never_read_by_the_next_call() -> None:
    async with serving(echo) as server, bot_for(server.api, read_timeout=0.1) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(1, "first", api_kwargs={"late": True})
        second = await bot.send_message(2, "second")
    assert (second.chat_id, second.text) == (2, "second")


async def test_a_cancelled_call_leaves_no_answer_behind_for_the_next() -> None:
    async with serving(echo) as server, bot_for(server.api) as bot:
        first = asyncio.ensure_future(bot.send_message(1, "first", api_kwargs={"late": True}))
        await asyncio.sleep(0.05)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        second = await bot.send_message(2, "second")
    assert (second.chat_id, second.text) == (2, "second")


@asynccontextmanager
async def raw_server(reply: bytes) -> AsyncIterator[str]:
    """A TCP server that answers any request with `reply`, whatever it is."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(reply)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        server.close()
        await server.wait_closed()


async def network_error(api: str) -> NetworkError:
    bot = bot_for(api)
    await bot.request.initialize()  # getMe would fail the same way
    try:
        with pytest.raises(NetworkError) as caught:
            await bot.send_message(1, "hello")
    finally:
        await bot.request.shutdown()
    return caught.value


@pytest.mark.parametrize(
    "reply",
    [
        b"HTTP/1.1 abc what\r\n\r\n",  # malformed
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{",  # closed before the end
    ],
)
async def test_a_broken_answer_is_a_network_error_without_the_token(reply: bytes) -> None:
    async with raw_server(reply) as api:
        error = await network_error(api)
    assert "SECRET" not in str(error)
    assert "127.0.0.1" not in str(error)


async def test_nobody_listening_is_a_network_error_without_the_token() -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    error = await network_error(f"http://127.0.0.1:{port}")
    assert "SECRET" not in str(error)
    assert "127.0.0.1" not in str(error)
