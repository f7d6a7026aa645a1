"""Issue 13, point 5, on Telegram: the global draft cap holds for chats too.

Telegram already slows one chat that floods the bot (TIPLINE_TELEGRAM_FLOOD_PER_MINUTE,
test_delivery.py); many chats at once are bounded by TIPLINE_MAX_OPEN_DRAFTS:
past it, a new chat is told in its language to try again later and nothing is
stored for it, while the chats already reporting go on.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.capacity import BUSY
from locales import translator
from tests.telegram.conftest import running
from tests.telegram.driver import Reporter, step_of


async def test_past_the_draft_cap_a_new_chat_is_told_to_try_later_and_others_go_on(
    tmp_path: Path,
) -> None:
    async with running(tmp_path, "polling", max_open_drafts=1) as tg:
        first = Reporter(tg.fake, 7001)
        await first.start()
        late = Reporter(tg.fake, 7002, language="fr")
        await late.user.send("/start")
        await tg.fake.wait_for(lambda: late.sent_by_bot() > 0)
        await tg.settle()
        [said] = late.user.bot_messages
        assert said.text == translator("fr").gettext(BUSY)
        assert await tg.app.store.count_drafts() == 1
        reply = await first.say("no")
        assert step_of(reply.text) == "what_happened", "the first chat goes on"


async def test_start_sent_again_and_again_stores_nothing_more(tmp_path: Path) -> None:
    async with running(tmp_path, "polling") as tg:
        reporter = Reporter(tg.fake, 7003)
        await reporter.start()
        await reporter.say("no")
        before = rows(tg.app.settings.database)
        for _ in range(20):
            again = await reporter.start()
            assert step_of(again.text) == "what_happened", "the same question again"
        assert rows(tg.app.settings.database) == before


def rows(database: Path) -> tuple[int, int]:
    """Drafts and stored replies in the real SQLite file."""
    with sqlite3.connect(database) as db:
        drafts = db.execute("SELECT count(*) FROM drafts").fetchone()[0]
        ledger = db.execute("SELECT count(*) FROM ledger").fetchone()[0]
    return int(drafts), int(ledger)
