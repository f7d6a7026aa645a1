"""`python -m bench.http_client`: CPU per Bot API call, aiohttp's client against `JsonPoster`.

An aiohttp server in a second process answers every POST with a sendMessage-
sized JSON answer; this process makes the same calls (a sendMessage body with a
keyboard) with each client in turn, 50 at a time, and prints this process's CPU
per call: the cost the Telegram channel pays on every Bot API call of a turn.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import time
from collections.abc import Awaitable, Callable

import aiohttp
import orjson
from telegram.error import NetworkError

from bench.telegram import free_port
from bot.channels.telegram.http import JsonPoster

SERVER = """
import sys
import orjson
from aiohttp import web
RESULT = {"message_id": 5, "chat": {"id": 1}, "text": "x" * 200}
ANSWER = orjson.dumps({"ok": True, "result": RESULT})
async def answer(request):
    await request.read()
    return web.Response(body=ANSWER, content_type="application/json")
app = web.Application()
app.router.add_post("/bot{token}/{method}", answer)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""
PARAMS = {
    "chat_id": 12345,
    "text": "In your own words, what happened? " * 5,
    "reply_markup": {"inline_keyboard": [[{"text": "1. Yes", "callback_data": "p0"}]]},
}


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
    url = f"http://127.0.0.1:{port}/bot123:abc/sendMessage"
    session = aiohttp.ClientSession(  # as telegram_request.AiohttpRequest sets it up
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=False,
        skip_auto_headers=("Accept-Encoding",),
    )
    poster = JsonPoster()
    headers = {"Content-Type": "application/json"}

    async def by_aiohttp() -> None:
        body = orjson.dumps(PARAMS)
        async with session.post(url, data=body, headers=headers) as response:
            orjson.loads(await response.read())

    async def by_poster() -> None:
        _, answer = await poster.post(url, orjson.dumps(PARAMS))
        orjson.loads(answer)

    try:
        for _ in range(100):  # until the server listens
            try:
                await by_poster()
                break
            except NetworkError:  # not listening yet
                await asyncio.sleep(0.1)
        for _ in range(args.rounds):
            print(await measure("aiohttp ClientSession", by_aiohttp, args.calls), flush=True)
            print(await measure("JsonPoster", by_poster, args.calls), flush=True)
    finally:
        await session.close()
        await poster.close()
        server.terminate()
        await server.wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
