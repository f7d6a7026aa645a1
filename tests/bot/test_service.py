"""The conversation service: redelivery, expiry, script versions, sealing and secrecy."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from bot import logs
from bot.app import open_app
from bot.messages import Inbound
from bot.review import reviewer_record as reviewer_key_record
from bot.settings import Settings
from handoff.envelope import read_header
from handoff.receipts import receipt_hash
from tests.bot.conftest import NOW, Clock, Env
from tests.bot.driver import Talk
from tests.bot.test_paths import ANONYMOUS


async def test_a_redelivered_message_gets_the_same_reply_and_does_not_step(env: Env) -> None:
    talk = Talk(env.app.conversations)
    await talk.until("category", ANONYMOUS)
    first = await talk.send("1", message_id="m-42")
    assert talk.step == "who_role"
    again = await talk.send("1", message_id="m-42")
    assert again == first
    assert again.replies[-1].progress == (4, 20)  # the stored reply keeps every field
    await talk.send("police officer")
    assert talk.step == "force", "the redelivery did not answer who_role with '1'"


async def test_a_redelivered_confirm_seals_exactly_one_report(env: Env) -> None:
    talk = Talk(env.app.conversations)
    await talk.until("review", ANONYMOUS)
    sealed = await talk.send("confirm", message_id="final")
    again = await talk.send("confirm", message_id="final")
    assert sealed.reference is not None
    assert again.ended
    assert [r.text for r in again.replies] == [f"Your report {sealed.reference} was sent."]
    assert len(await env.app.store.queue()) == 1


async def test_concurrent_deliveries_of_one_message_step_once(env: Env) -> None:
    talk = Talk(env.app.conversations)
    await talk.until("category", ANONYMOUS)
    inbound = Inbound("test", talk.chat, "dup", "2")
    outs = await asyncio.gather(*(env.app.conversations.handle(inbound) for _ in range(5)))
    assert all(out == outs[0] for out in outs)
    await talk.send("police staff")
    assert talk.step == "force"


async def test_conversations_do_not_mix(env: Env) -> None:
    alice = Talk(env.app.conversations, "alice")
    bob = Talk(env.app.conversations, "bob")
    await alice.until("category", ANONYMOUS)
    await bob.until("who_role", ANONYMOUS)
    await asyncio.gather(alice.send("2"), bob.send("volunteer"))
    assert alice.step == "who_role"
    assert bob.step == "force"


async def test_an_idle_draft_expires_and_is_swept(env: Env) -> None:
    talk = Talk(env.app.conversations)
    await talk.until("category", ANONYMOUS)
    env.clock.now = NOW + env.app.settings.draft_ttl + timedelta(minutes=1)
    assert await env.app.store.sweep(env.clock.now) >= 1
    assert await env.app.store.count_drafts() == 0
    await talk.send("1")
    assert talk.step == "danger", "an expired conversation starts again from the welcome"


async def test_a_draft_is_kept_while_the_reporter_is_active(env: Env) -> None:
    talk = Talk(env.app.conversations)
    await talk.until("category", ANONYMOUS)
    env.clock.now = NOW + env.app.settings.draft_ttl - timedelta(hours=1)
    await talk.send("1")
    env.clock.now += env.app.settings.draft_ttl - timedelta(hours=1)
    await env.app.store.sweep(env.clock.now)
    await talk.send("police officer")
    assert talk.step == "force", "each turn moves the deadline"


async def test_without_reviewer_keys_confirm_is_refused_and_nothing_lost(
    tmp_path: Path, reviewer_key: object
) -> None:
    settings = replace(Settings(), data_dir=tmp_path / "var")
    async with open_app(settings, Clock()) as app:
        talk = Talk(app.conversations)
        await talk.until("review", ANONYMOUS)
        out = await talk.send("confirm")
        assert not out.ended
        assert out.reference is None
        assert "cannot accept reports right now" in talk.text
        assert await app.store.queue() == []
        assert await app.store.count_drafts() == 1
        await app.store.add_reviewer_key(reviewer_key_record(reviewer_key, "late", NOW), NOW)  # type: ignore[arg-type]
        out = await talk.send("confirm")
        assert out.reference is not None
        assert len(await app.store.queue()) == 1


async def test_a_conversation_finishes_on_the_script_version_it_started_on(
    tmp_path: Path, reviewer_key: object
) -> None:
    script = tmp_path / "script.yaml"
    shipped = Settings().script
    shutil.copy(shipped, script)
    settings = replace(Settings(), data_dir=tmp_path / "var", script=script)
    async with open_app(settings, Clock()) as app:
        await app.store.add_reviewer_key(reviewer_key_record(reviewer_key, "r", NOW), NOW)  # type: ignore[arg-type]
        talk = Talk(app.conversations, "early")
        await talk.until("category", ANONYMOUS)
        old_version = app.dialogs.current.script.version
    edited = script.read_text().replace(
        "Which of these is closest to what happened?", "Which kind of wrong was it?"
    )
    assert edited != script.read_text(), "the edit must change the category question"
    script.write_text(edited)
    async with open_app(settings, Clock()) as app:
        assert app.dialogs.current.script.version != old_version
        late = Talk(app.conversations, "late")
        await late.until("category", ANONYMOUS)
        assert "Which kind of wrong" in late.text
        talk = Talk(app.conversations, "early")
        await talk.open()
        assert talk.step == "category"
        assert "Which of these is closest to what happened?" in talk.text, (
            "the early reporter stays on the old version"
        )
        await talk.until(None, ANONYMOUS)
        [row] = await app.store.queue()
        assert row.envelope  # sealed
        assert read_header(row.envelope).script_version == old_version


async def test_a_canary_appears_in_no_log_and_nowhere_in_the_database(
    tmp_path: Path, reviewer_key: object
) -> None:
    canary = "CANARY-7f3a9c-Zebra-Quartz"
    captured = io.StringIO()
    logs.configure("DEBUG", stream=captured)
    try:
        settings = replace(Settings(), data_dir=tmp_path / "var")
        async with open_app(settings, Clock()) as app:
            await app.store.add_reviewer_key(reviewer_key_record(reviewer_key, "r", NOW), NOW)  # type: ignore[arg-type]
            talk = Talk(app.conversations, "canary-chat")
            script = {
                **ANONYMOUS,
                "what_happened": f"It happened and the word is {canary}.",
                "officer_name": canary,
                "anonymity": "2",
                "contact_name": canary,
                "contact_how": "07911 123456",
            }
            await talk.until("review", script)
            db_files = sorted((tmp_path / "var").glob("tipline.db*"))
            for path in db_files:
                assert canary.encode() not in path.read_bytes(), (
                    f"{path.name} holds a draft in clear"
                )
            sealed = await talk.until(None, script)
            await app.store.sweep(NOW)
            reference = sealed.reference
            assert reference is not None
            row = await app.store.report(reference)
            assert row is not None
            for at in (row.sealed_at, read_header(row.envelope).sealed_at):
                assert (at.minute, at.second, at.microsecond) == (0, 0, 0), "only the hour"
        for path in sorted((tmp_path / "var").iterdir()):
            if path.is_file():
                data = path.read_bytes()
                assert canary.encode() not in data, path.name
                assert b"07911" not in data, path.name
                assert b"canary-chat" not in data, f"{path.name} holds the raw chat id"
    finally:
        logging.getLogger().handlers.clear()
    text = captured.getvalue()
    assert "turn" in text, "the log did record the turns"
    assert canary not in text
    assert "07911" not in text
    assert "canary-chat" not in text
    assert reference not in text, "a log time could be tied to the report"


async def test_reports_sealed_at_once_each_get_their_own_receipt_and_only_its_hash_is_kept(
    env: Env,
) -> None:
    talks = [Talk(env.app.conversations, f"r{n}") for n in range(6)]
    await asyncio.gather(*(talk.until("review", ANONYMOUS) for talk in talks))
    sealed = await asyncio.gather(*(talk.send("confirm") for talk in talks))
    receipts = [re.search(r"\d{4} \d{4} \d{4} \d{4}", talk.text) for talk in talks]
    assert all(out.reference for out in sealed)
    assert all(found is not None for found in receipts)
    digits = {found.group(0) for found in receipts if found is not None}
    assert len(digits) == 6, "every report has a receipt of its own"
    for receipt in digits:
        assert await env.app.store.receipt_exists(receipt_hash(receipt, env.app.keys.receipt))
    raw = b"".join(p.read_bytes() for p in env.data_dir.iterdir() if p.is_file())
    assert not any(receipt.encode() in raw for receipt in digits), "no receipt kept in clear"
