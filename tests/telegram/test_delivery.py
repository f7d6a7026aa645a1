"""Getting updates in and replies out: redelivery, the webhook's secret, limits, blocking."""

from __future__ import annotations

import itertools
from pathlib import Path

import aiohttp
import pytest

from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.conftest import Tipline, running, update_json
from tests.telegram.driver import Reporter, prompt, step_of


async def test_the_same_update_delivered_twice_takes_one_step(tmp_path: Path) -> None:
    """Telegram redelivers a webhook update it got no 200 for (by polling, the offset
    confirms updates, so a repeat comes only after a restart: the next test)."""
    async with running(tmp_path, "webhook") as tg:
        await _same_update_twice(tg)


async def _same_update_twice(tg: Tipline) -> None:
    reporter = Reporter(tg.fake, 2001)
    await reporter.start()
    before = reporter.sent_by_bot()
    message = await reporter.user.send("no")
    update_id = max(tg.fake.delivered_ids)
    await tg.settle()
    after_first = reporter.sent_by_bot()
    assert step_of(reporter.user.last.text) == "what_happened"
    await tg.fake.push("message", message, update_id=update_id)  # Telegram sends it again
    await tg.settle()
    assert reporter.sent_by_bot() == after_first > before, "no second reply"
    nxt = await reporter.say("He stopped my car twice and asked for money.")
    assert step_of(nxt.text) == "category", "the redelivered 'no' did not answer a later question"


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_a_message_redelivered_after_a_restart_gets_the_same_reply_and_no_step(
    tmp_path: Path, mode: str
) -> None:
    """The adapter's memory of update ids is gone after a restart; the engine's ledger is not."""
    fake = FakeTelegram()
    await fake.start()
    async with running(tmp_path, mode, fake=fake) as first:
        reporter = Reporter(fake, 2002)
        await reporter.start()
        message = await reporter.user.send("no")
        update_id = max(fake.delivered_ids)
        await first.settle()
    async with running(tmp_path, mode, fake=fake) as second:
        sent = reporter.sent_by_bot()
        await fake.push("message", message, update_id=update_id)
        await second.settle()
        repeated = [m.text for m in reporter.chat.messages.values() if m.from_bot][sent:]
        assert repeated
        assert step_of(repeated[-1]) == "what_happened", "the stored reply again"
        nxt = await reporter.say("He stopped my car twice and asked for money.")
        assert step_of(nxt.text) == "category"
    await fake.close()


@pytest.mark.parametrize("header", [None, "wrong-secret", ""])
async def test_a_webhook_call_without_the_right_secret_is_refused_and_changes_nothing(
    tmp_path: Path, header: str | None
) -> None:
    async with running(tmp_path, "webhook") as tg:
        assert tg.fake.webhook is not None
        assert tg.fake.webhook["secret_token"]
        headers = {"Content-Type": "application/json"}
        if header is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = header
        tg.fake.user(2003)
        async with aiohttp.ClientSession() as http:
            body = update_json(1, 2003, 1, "/start")
            async with http.post(tg.webhook_url, data=body, headers=headers) as response:
                assert response.status == 403
        await tg.channel.lanes.drain()
        assert not [c for c in tg.fake.calls if c.method == "sendMessage"], "nothing was sent"
        assert await tg.app.store.count_drafts() == 0, "no conversation was started"

        good = {**headers, "X-Telegram-Bot-Api-Secret-Token": tg.fake.webhook["secret_token"]}
        async with (
            aiohttp.ClientSession() as http,
            http.post(tg.webhook_url, data=body, headers=good) as response,
        ):
            assert response.status == 200
        await tg.channel.lanes.drain()
        assert await tg.app.store.count_drafts() == 1, "the same update with the secret is taken"


async def test_a_429_is_waited_out_for_retry_after_then_the_reply_is_sent(tg: Tipline) -> None:
    reporter = Reporter(tg.fake, 2004)
    await reporter.start()
    tg.fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    nxt = await reporter.say("no")
    assert step_of(nxt.text) == "what_happened"
    assert tg.sleeps == [1.0], "waited exactly what Telegram said, once"
    sends = [c for c in tg.fake.calls if c.method == "sendMessage"]
    refused = [c for c in sends if not c.ok]
    assert len(refused) == 1
    assert refused[0].description.startswith("Too Many Requests")
    assert sends[-1].ok
    assert sends[-1].params["text"] == nxt.text


async def test_a_blocked_bot_stops_sending_to_that_chat_until_it_writes_again(
    tg: Tipline,
) -> None:
    reporter = Reporter(tg.fake, 2005)
    await reporter.start()
    reporter.chat.blocked = True
    calls = len(tg.fake.calls)
    await reporter.user.send("no")  # what_happened would follow; the first send is refused
    await tg.settle()
    tried = [c for c in tg.fake.calls[calls:] if c.method == "sendMessage"]
    assert len(tried) == 1, "after a 403 nothing more is sent"
    assert not tried[0].ok
    assert tg.channel.sender.is_blocked(2005)

    reporter.chat.blocked = False
    nxt = await reporter.say("He stopped my car twice and asked for money.")
    assert step_of(nxt.text) == "category", "the chat is answered again once it writes"


async def test_a_chat_flooding_the_bot_is_slowed_not_served(tmp_path: Path) -> None:
    frozen = itertools.repeat(100.0).__next__  # no time passes: the bucket never refills
    async with running(tmp_path, "polling", monotonic=frozen, telegram_flood_per_minute=60.0) as tg:
        reporter = Reporter(tg.fake, 2006)
        await reporter.user.send("/start")
        for _ in range(30):
            await reporter.user.send("help")
        await tg.settle()
        texts = [m.text or "" for m in reporter.user.bot_messages]
        asked = [t for t in texts if t == prompt("danger")]
        assert len(asked) == 20, "the burst of 20 is served (the start and 19 helps)"
        slow = [t for t in texts if "sending messages very fast" in t]
        assert len(slow) == 1, "told once to slow down; the other 10 are dropped quietly"


async def test_a_429_on_answering_a_press_is_waited_out_and_the_press_answered(
    tg: Tipline,
) -> None:
    reporter = Reporter(tg.fake, 2007)
    question = await reporter.start()
    tg.fake.fail("answerCallbackQuery", 429, "Too Many Requests: retry after 2", retry_after=2)
    nxt = await reporter.press("No", question)
    await tg.settle()
    assert step_of(nxt.text) == "what_happened"
    assert tg.sleeps == [2.0]
    assert len(tg.fake.answered_queries()) == 1, "answered once the wait was over"


async def test_a_429_while_polling_is_waited_out_then_updates_come_again(tmp_path: Path) -> None:
    async with running(tmp_path, "polling") as tg:
        tg.fake.fail("getUpdates", 429, "Too Many Requests: retry after 3", retry_after=3)
        reporter = Reporter(tg.fake, 2008)
        first = await reporter.start()
        assert step_of(first.text) == "danger"
        assert 3.0 in tg.sleeps


async def test_a_bot_api_failing_for_a_moment_is_tried_again_and_the_reporter_answered(
    tg: Tipline,
) -> None:
    reporter = Reporter(tg.fake, 2009)
    await reporter.start()
    tg.fake.fail("sendMessage", 502, "Bad Gateway")
    tg.fake.fail("sendMessage", 500, "Internal Server Error")
    nxt = await reporter.say("no")
    assert step_of(nxt.text) == "what_happened"
    assert tg.sleeps == [1.0, 2.0], "backed off, then sent"


@pytest.mark.parametrize("body", [b"[1, 2]", b'{"message": {}}', b'{"update_id": "7"}', b"{"])
async def test_a_webhook_body_that_is_not_an_update_is_a_400_and_changes_nothing(
    tmp_path: Path, body: bytes
) -> None:
    async with running(tmp_path, "webhook") as tg:
        assert tg.fake.webhook is not None
        headers = {"X-Telegram-Bot-Api-Secret-Token": tg.fake.webhook["secret_token"]}
        async with (
            aiohttp.ClientSession() as http,
            http.post(tg.webhook_url, data=body, headers=headers) as response,
        ):
            assert response.status == 400
        await tg.channel.lanes.drain()
        assert not [c for c in tg.fake.calls if c.method == "sendMessage"]


async def test_an_update_the_bot_cannot_read_is_taken_and_skipped(tmp_path: Path) -> None:
    """A 200, so that Telegram does not send it again and again; the chat goes on."""
    async with running(tmp_path, "webhook") as tg:
        assert tg.fake.webhook is not None
        headers = {"X-Telegram-Bot-Api-Secret-Token": tg.fake.webhook["secret_token"]}
        broken = b'{"update_id": 5, "message": {"message_id": 1, "text": "no date, no chat"}}'
        async with (
            aiohttp.ClientSession() as http,
            http.post(tg.webhook_url, data=broken, headers=headers) as response,
        ):
            assert response.status == 200
        reporter = Reporter(tg.fake, 2010)
        first = await reporter.start()
        assert step_of(first.text) == "danger"
        assert len(reporter.user.bot_messages) == 2, "the welcome and the question, nothing else"
