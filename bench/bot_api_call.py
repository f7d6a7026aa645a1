"""`python -m bench.bot_api_call`: what one Bot API call costs the bot, in CPU.

The floor under the Telegram channel's CPU per turn. A turn answered by a button
press makes about four Bot API calls (answerCallbackQuery, editMessageText for the
chosen answer, one or two sendMessage), each a request through python-telegram-bot
on aiohttp. The fake Bot API runs in another process (tests.fakes), so only the
bot's side is counted: CPU time of this process per call, for

    aiohttp   a bare `ClientSession.post` of the same JSON body, answer read
    ptb       `Bot.send_message` through the channel's `AiohttpRequest`
              (PTB builds the request and turns the answer into a `Message`)
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

import aiohttp
from telegram import Bot

from bot.channels.telegram import AiohttpRequest
from tests.fakes.telegram_api import TOKEN

_SERVE = """
import asyncio, sys
from tests.fakes.telegram_api import FakeTelegram
async def main():
    fake = FakeTelegram(record=False)
    await fake.start()
    fake.user(1)
    print(fake.url, flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
"""


async def measure(url: str, calls: int) -> None:
    body = b'{"chat_id": 1, "text": "What happened? Tell us in your own words."}'
    async with aiohttp.ClientSession() as session:

        async def bare() -> None:
            async with session.post(
                f"{url}/bot{TOKEN}/sendMessage",
                data=body,
                headers={"Content-Type": "application/json"},
            ) as answer:
                await answer.read()

        await report("aiohttp", bare, calls)
    request = AiohttpRequest()
    bot = Bot(TOKEN, base_url=f"{url}/bot", request=request, get_updates_request=request)
    async with bot:

        async def ptb() -> None:
            await bot.send_message(1, "What happened? Tell us in your own words.")

        await report("ptb", ptb, calls)


async def report(name: str, call: Callable[[], Awaitable[None]], calls: int) -> None:
    for _ in range(200):  # connections open, code warm
        await call()
    begun = time.process_time()
    for _ in range(calls):
        await call()
    cpu = (time.process_time() - begun) / calls * 1000
    print(f"{name:8} {cpu:.3f} ms CPU a call (mean of {calls})")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bot_api_call", description=__doc__)
    parser.add_argument("--calls", type=int, default=3000)
    args = parser.parse_args()
    fake = subprocess.Popen([sys.executable, "-c", _SERVE], stdout=subprocess.PIPE, text=True)  # noqa: S603
    try:
        url = fake.stdout.readline().strip() if fake.stdout else ""
        asyncio.run(measure(url, args.calls))
    finally:
        fake.terminate()
        fake.wait()


if __name__ == "__main__":
    main()
