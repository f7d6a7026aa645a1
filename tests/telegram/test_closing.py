"""A closing Telegram would not take comes on the reporter's next message (issue 13, point 8).

The Bot API refuses the message with the reference and receipt (the fake fails
its sendMessage calls); the report is sealed all the same. The reporter's next
message brings the reference and a new receipt, and only that receipt works.
"""

from __future__ import annotations

import re

from handoff.receipts import receipt_hash
from tests.telegram.conftest import Tipline
from tests.telegram.driver import Reporter, button
from tests.telegram.test_conversation import ANSWERS

RECEIPT = re.compile(r"\d{4} \d{4} \d{4} \d{4}")
_ATTEMPTS = 5  # the channel's tries of one call (bot/channels/telegram/_send.py)


def bot_texts(reporter: Reporter, after: int = 0) -> str:
    return "\n".join(m.text or "" for m in reporter.user.bot_messages if m.message_id > after)


async def test_a_closing_that_could_not_be_sent_comes_with_a_new_receipt_on_the_next_message(
    tg: Tipline,
) -> None:
    reporter = Reporter(tg.fake, 2201)
    readback = await reporter.until("review", ANSWERS, buttons=True)
    for _ in range(_ATTEMPTS):  # Telegram is down while the closing is sent
        tg.fake.fail("sendMessage", 502, "Bad Gateway")
    await reporter.user.press(readback, button(readback, "Confirm"))
    await tg.settle()
    [row] = await tg.app.store.queue()
    assert row.reference not in bot_texts(reporter), "the closing never reached the chat"
    assert not RECEIPT.search(bot_texts(reporter))

    last = reporter.user.last.message_id
    await reporter.say("hello? did it go through?")
    shown = bot_texts(reporter, after=last)
    assert row.reference in shown
    assert "no longer works" in shown
    [receipt] = RECEIPT.findall(shown)
    digest = receipt_hash(receipt, tg.app.keys.receipt)
    assert await tg.app.store.receipt_exists(digest), "the receipt shown works"
    assert len(await tg.app.store.queue()) == 1

    last = reporter.user.last.message_id
    await reporter.say("thanks")
    assert row.reference not in bot_texts(reporter, after=last), "sent once: not again"
    assert not RECEIPT.search(bot_texts(reporter, after=last))


async def test_a_closing_sent_is_not_sent_again(tg: Tipline) -> None:
    reporter = Reporter(tg.fake, 2202)
    await reporter.until(None, ANSWERS, buttons=True)
    [row] = await tg.app.store.queue()
    [receipt] = RECEIPT.findall(bot_texts(reporter))
    last = reporter.user.last.message_id
    await reporter.say("thanks")
    assert not RECEIPT.search(bot_texts(reporter, after=last))
    assert row.reference not in bot_texts(reporter, after=last)
    assert await tg.app.store.receipt_exists(receipt_hash(receipt, tg.app.keys.receipt))
