"""`tipline run` starts the Telegram channel when a token is set, on the real settings path."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace
from pathlib import Path

from bot.run import serve
from bot.settings import Settings
from tests.fakes.telegram_api import TOKEN, FakeTelegram
from tests.telegram.conftest import free_socket
from tests.telegram.driver import Reporter, step_of


async def test_tipline_run_with_a_token_answers_on_telegram_by_polling(tmp_path: Path) -> None:
    fake = FakeTelegram()
    await fake.start()
    with free_socket() as sock:
        port = sock.getsockname()[1]
    settings = replace(
        Settings.from_env({"TIPLINE_TELEGRAM_TOKEN": TOKEN, "TIPLINE_TELEGRAM_API_URL": fake.url}),
        data_dir=tmp_path / "var",
        port=port,
    )
    ready = asyncio.Event()
    server = asyncio.create_task(serve(settings, ready))
    try:
        await asyncio.wait_for(ready.wait(), 30)
        assert fake.webhook is None, "no public URL: polling"
        assert fake.commands, "the command menu was registered"
        reporter = Reporter(fake, 7001)
        first = await reporter.start()
        assert step_of(first.text) == "danger"
    finally:
        server.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await server
        await fake.close()
