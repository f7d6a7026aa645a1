"""`python -m bench.http_client`: CPU per Bot API call, by each way the channel could call.

An aiohttp server in a second process answers every POST with a sendMessage
answer (the sent message, as the Bot API returns it); this process makes the
same call (a sendMessage with a keyboard) by each client in turn, 50 at a time,
and prints this process's CPU per call: the cost the Telegram channel pays on
every Bot API call of a turn.

- `JsonPoster`: the hand-written HTTP/1.1 client (httptools), raw JSON out and in;
- aiohttp's `ClientSession`, set up as `AiohttpRequest` sets it up, raw JSON;
- PTB `Bot.send_message` on `AiohttpRequest`: typed, the answer read into a `Message`;
- PTB `Bot.do_api_request("sendMessage")` on `AiohttpRequest`: the raw `result`.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import time
import warnings
from collections.abc import Awaitable, Callable

import aiohttp
import orjson
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError
from telegram.warnings import PTBUserWarning

from bench.telegram import free_port
from bot.channels.telegram.http import JsonPoster
from bot.channels.telegram.request import AiohttpRequest

SERVER = """
import sys
import orjson
from aiohttp import web
BOT = {"id": 1, "is_bot": True, "first_name": "Tipline", "username": "tipline_bot"}
CHAT = {"id": 12345, "type": "private", "first_name": "Alex"}
MARKUP = {"inline_keyboard": [[{"text": "1. Yes", "callback_data": "p:0"}],
                              [{"text": "2. No", "callback_data": "p:1"}]]}
RESULT = {"message_id": 5, "date": 1700000000, "chat": CHAT, "from": BOT,
          "text": "In your own words, what happened? " * 5, "reply_markup": MARKUP}
ANSWER = orjson.dumps({"ok": True, "result": RESULT})
GETME = orjson.dumps({"ok": True, "result": BOT})
async def answer(request):
    await request.read()
    body = GETME if request.match_info["method"] == "getMe" else ANSWER
    return web.Response(body=body, content_type="application/json")
app = web.Application()
app.router.add_post("/bot{token}/{method}", answer)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""
TEXT = "In your own words, what happened? " * 5
PARAMS = {
    "chat_id": 12345,
    "text": TEXT,
    "reply_markup": {
        "inline_keyboard": [
            [{"text": "1. Yes", "callback_data": "p:0"}],
            [{"text": "2. No", "callback_data": "p:1"}],
        ]
    },
}
MARKUP = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("1. Yes", callback_data="p:0")],
        [InlineKeyboardButton("2. No", callback_data="p:1")],
    ]
)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def measure(name: str, call: Callable[[], Awaitable[None]], calls: int) -> str:
    async def worker(count: int) -> None:
        for _ in range(count):
            await call()

    await asyncio.gather(*(worker(20) for _ in range(50)))  # warm: connections open
    cpu, started = _cpu(), time.perf_counter()
    await asyncio.gather(*(worker(calls // 50) for _ in range(50)))
    cpu, elapsed = _cpu() - cpu, time.perf_counter() - started
    return f"{name}: {calls / elapsed:,.0f} calls/s, client CPU {cpu / calls * 1e6:.0f} µs a call"


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.http_client", description=__doc__)
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    port = free_port()
    server = await asyncio.create_subprocess_exec(sys.executable, "-c", SERVER, str(port))
    base = f"http://127.0.0.1:{port}/bot123:abc"
    url = f"{base}/sendMessage"
    session = aiohttp.ClientSession(  # as AiohttpRequest sets it up
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=False,
        skip_auto_headers=("Accept-Encoding",),
    )
    poster = JsonPoster()
    headers = {"Content-Type": "application/json"}
    bot = Bot("123:abc", base_url=f"http://127.0.0.1:{port}/bot", request=AiohttpRequest())

    async def by_aiohttp() -> None:
        body = orjson.dumps(PARAMS)
        async with session.post(url, data=body, headers=headers) as response:
            orjson.loads(await response.read())

    async def by_poster() -> None:
        _, answer = await poster.post(url, orjson.dumps(PARAMS))
        orjson.loads(answer)

    async def by_bot_method() -> None:
        await bot.send_message(12345, TEXT, reply_markup=MARKUP)

    async def by_do_api_request() -> None:
        await bot.do_api_request("sendMessage", api_kwargs=PARAMS)

    try:
        for _ in range(100):  # until the server listens
            try:
                await by_poster()
                break
            except NetworkError:  # not listening yet
                await asyncio.sleep(0.1)
        await bot.initialize()
        # do_api_request warns when PTB has a method of that name; measured all the same.
        warnings.filterwarnings("ignore", category=PTBUserWarning)
        for _ in range(args.rounds):
            print(await measure("JsonPoster", by_poster, args.calls), flush=True)
            print(await measure("aiohttp ClientSession", by_aiohttp, args.calls), flush=True)
            print(await measure("PTB Bot.send_message", by_bot_method, args.calls), flush=True)
            print(await measure("PTB do_api_request", by_do_api_request, args.calls), flush=True)
    finally:
        await session.close()
        await poster.close()
        await bot.shutdown()
        server.terminate()
        await server.wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
