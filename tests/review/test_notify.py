"""Deadlines, retention and notifications: counts and a link, never a reference or content."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from email import message_from_bytes
from email.policy import default
from typing import Any

import pytest
from aiohttp import web
from aiosmtpd.controller import Controller

from bot.app import sweep_once
from bot.review.notify import Notifier
from handoff.workstation.due import due_items
from tests.review.conftest import Harness
from tests.web.conftest import free_port


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"


@pytest.fixture
def smtp() -> Any:
    inbox = Inbox()
    # aiosmtpd logs every connection (with the client's address) to "mail.log": not here.
    quiet = logging.getLogger("mail.log")
    quiet.disabled = True
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()
        quiet.disabled = False


def _notifier(harness: Harness, **settings: Any) -> Notifier:
    config = replace(harness.app.settings, **settings)
    return Notifier(harness.app.store, config, harness.clock)


async def test_new_and_overdue_reports_are_told_by_mail_as_counts_only(
    harness: Harness, smtp: Any
) -> None:
    inbox, port = smtp
    url = f"smtp://127.0.0.1:{port}?from=tipline@example.org&to=team@example.org"
    notifier = _notifier(harness, smtp_url=url)
    alice = await harness.enrol("alice")
    await harness.seal("TL-OLD0-0000", [alice])
    assert not await notifier.check(), "reports from before the server started are not news"
    await harness.seal("TL-AAAA-AAAA", [alice], what="PC Dawson took £200.")
    await harness.seal("TL-BBBB-BBBB", [alice], priority=1)
    assert await notifier.check()
    assert not await notifier.check(), "told once"
    (first,) = inbox.messages
    body = first.get_content().replace("\r\n", "\n")
    assert first["To"] == "team@example.org"
    assert (
        body == "Tipline: 2 new reports (1 urgent). Open your review app: http://127.0.0.1:8090/\n"
    )
    harness.clock.now += timedelta(days=8)
    assert await notifier.check()
    assert "3 reports past a deadline" in inbox.messages[-1].get_content()
    assert not await notifier.check(), "overdue reports are told at most once a day"
    for message in inbox.messages:
        text = message.as_string() + message.get_content()
        assert "TL-" not in text
        assert "Dawson" not in text


async def test_a_failing_webhook_is_tried_again_with_the_same_news(harness: Harness) -> None:
    received: list[Any] = []
    failing = [True]

    async def hook(request: web.Request) -> web.Response:
        if failing[0]:
            return web.Response(status=503)
        received.append(await request.json())
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        notifier = _notifier(harness, notify_webhook=f"http://127.0.0.1:{port}/hook")
        assert not await notifier.check()
        alice = await harness.enrol("alice")
        await harness.seal("TL-AAAA-AAAA", [alice])
        assert not await notifier.check(), "the webhook failed"
        failing[0] = False
        assert await notifier.check()
        assert received == [
            {
                "new": 1,
                "urgent": 0,
                "overdue": 0,
                "link": "http://127.0.0.1:8090/",
                "text": "Tipline: 1 new report. Open your review app: http://127.0.0.1:8090/",
            }
        ]
    finally:
        await runner.cleanup()


async def test_deadlines_are_listed_when_due_within_48_hours_or_overdue(harness: Harness) -> None:
    alice = await harness.enrol("alice")
    await harness.seal("TL-AAAA-AAAA", [alice])
    await harness.seal("TL-BBBB-BBBB", [alice], priority=1)
    queue = await harness.queue_for(alice)
    assert due_items(await queue.page(), harness.clock.now) == []
    harness.clock.now += timedelta(days=5, hours=1)
    queue = await harness.queue_for(alice)  # a login lasts 8 hours
    soon = due_items(await queue.page(), harness.clock.now)
    assert [(d.reference, d.what, d.overdue) for d in soon] == [
        ("TL-BBBB-BBBB", "acknowledge", False),
        ("TL-AAAA-AAAA", "acknowledge", False),
    ]
    await queue.set_status("TL-AAAA-AAAA", "acknowledged", None)
    harness.clock.now += timedelta(days=3)
    queue = await harness.queue_for(alice)
    late = due_items(await queue.page(), harness.clock.now)
    assert [(d.reference, d.overdue) for d in late] == [("TL-BBBB-BBBB", True)]
    harness.clock.now += timedelta(days=88)
    queue = await harness.queue_for(alice)
    late = due_items(await queue.page(), harness.clock.now)
    assert [(d.reference, d.what) for d in late] == [
        ("TL-BBBB-BBBB", "acknowledge"),
        ("TL-AAAA-AAAA", "feedback"),
    ]
    await queue.set_status("TL-AAAA-AAAA", "referred", "psd")
    assert [d.reference for d in due_items(await queue.page(), harness.clock.now)] == [
        "TL-BBBB-BBBB"
    ]


async def test_retention_deletes_a_closed_report_after_its_days_unless_held(
    harness: Harness,
) -> None:
    alice = await harness.enrol("alice")
    for ref in ("TL-AAAA-AAAA", "TL-BBBB-BBBB"):
        await harness.seal(ref, [alice])
    queue = await harness.queue_for(alice)
    for ref in ("TL-AAAA-AAAA", "TL-BBBB-BBBB"):
        await queue.set_status(ref, "closed", "spam")
    await queue.set_hold("TL-BBBB-BBBB", True)
    harness.clock.now += timedelta(days=89)
    await sweep_once(harness.app)
    assert len(await harness.app.store.queue()) == 2
    harness.clock.now += timedelta(days=2)
    await sweep_once(harness.app)
    assert [r.reference for r in await harness.app.store.queue()] == ["TL-BBBB-BBBB"]
    deleted = [e for e in await harness.app.store.audit_log() if e.event == "deleted"]
    assert [(e.reference, e.actor) for e in deleted] == [("TL-AAAA-AAAA", "retention")]


async def test_a_burst_of_wrong_secret_codes_is_told_once_without_content(
    harness: Harness, smtp: Any
) -> None:
    inbox, port = smtp
    url = f"smtp://127.0.0.1:{port}?from=tipline@example.org&to=team@example.org"
    notifier = _notifier(harness, smtp_url=url)
    assert not await notifier.check()
    store, now = harness.app.store, harness.clock.now
    windows = {b"": timedelta(hours=1)}
    for n in range(19):
        await store.record_receipt_failure({bytes([n]) * 32: timedelta(days=1)} | windows, now)
    assert not await notifier.check(), "19 wrong codes in an hour are not a burst"
    await store.record_receipt_failure(windows, now)
    assert await notifier.check()
    assert not await notifier.check(), "one burst is told once"
    (message,) = inbox.messages
    assert "20 wrong secret codes tried within the hour" in message.get_content()
