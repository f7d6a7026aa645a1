"""The DEMO reviewer key only where it belongs (issue 13, point 2).

Its private half sits in the data folder, so: made only when nothing but the
local web chat is served and no key exists; never sealed to while a real key
exists or when more than the local web chat is served; retired by the first
real key (which says so); a loud warning on every start while it is active.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import open_app, open_store
from bot.review import reviewer_record
from bot.review.demo import WARNING, ensure_demo_key, start_notice
from bot.settings import Settings
from handoff.bundle import write_bundle
from handoff.envelope import read_header
from handoff.workstation import ReviewerPrivateKey
from tests.bot.conftest import NOW, Clock
from tests.bot.driver import Talk
from tests.bot.test_cli import tipline
from tests.bot.test_paths import ANONYMOUS

TELEGRAM = "123456:ABC"


def settings_in(tmp_path: Path, **changes: object) -> Settings:
    return replace(Settings(), data_dir=tmp_path / "var", **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "changes",
    [
        {"telegram_token": TELEGRAM},  # the case: Telegram on, host still 127.0.0.1
        {"public_url": "https://tipline.example.org"},
        {"host": "0.0.0.0"},  # noqa: S104 -- the setting under test
        {"review_host": "10.8.0.1"},
    ],
    ids=["telegram", "public-url", "public-host", "public-review-api"],
)
async def test_no_demo_key_unless_only_the_local_web_chat_is_served(
    tmp_path: Path, changes: dict[str, object]
) -> None:
    settings = settings_in(tmp_path, **changes)
    async with open_store(settings) as (keys, store):
        assert await ensure_demo_key(store, settings, keys, NOW) is None
        assert await start_notice(store, settings, keys, NOW) is None
        assert await store.reviewer_keys(active_only=False) == []
    assert not (settings.data_dir / "demo-reviewer.key").exists()


async def test_the_demo_key_is_made_once_and_warned_about_on_every_start(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    async with open_store(settings) as (keys, store):
        first = await start_notice(store, settings, keys, NOW)
        assert first is not None
        assert "DEMO reviewer key created" in first
        assert "otpauth://totp/" in first
        assert first.endswith(WARNING)
        assert await start_notice(store, settings, keys, NOW) == WARNING
        (demo,) = await store.reviewer_keys()
        assert demo.demo
        assert demo.verify_key is not None


async def _seal_one(settings: Settings) -> tuple[str, ...]:
    async with open_app(settings, Clock()) as app:
        talk = Talk(app.conversations)
        await talk.until("review", ANONYMOUS)
        out = await talk.send("confirm")
        if out.reference is None:
            return ()
        (row,) = await app.store.queue()
        return read_header(row.envelope).recipients


async def test_a_report_is_never_sealed_to_a_demo_key_while_a_real_key_exists(
    tmp_path: Path,
) -> None:
    """An old database may hold both active (registered before 0005): only the real one."""
    settings = settings_in(tmp_path)
    real, demo = ReviewerPrivateKey.generate(), ReviewerPrivateKey.generate()
    async with open_store(settings) as (_keys, store):
        await store.add_reviewer_key(reviewer_record(real, "alice", NOW), NOW)
        # Written as an old Tipline did: the store retires DEMO keys only on registration.
        await store.add_reviewer_key(reviewer_record(demo, "DEMO", NOW, demo=True), NOW)
    assert await _seal_one(settings) == (real.key_id,)


async def test_a_telegram_deployment_never_seals_to_a_demo_key(tmp_path: Path) -> None:
    """A DEMO key left from a local trial is not used once Telegram is on."""
    settings = settings_in(tmp_path)
    demo = ReviewerPrivateKey.generate()
    async with open_store(settings) as (_keys, store):
        await store.add_reviewer_key(reviewer_record(demo, "DEMO", NOW, demo=True), NOW)
    assert await _seal_one(replace(settings, telegram_token=TELEGRAM)) == ()
    assert await _seal_one(settings) == (demo.key_id,), "locally it is still the demo"


def test_enrolling_a_real_key_retires_the_demo_key_and_says_so(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)

    async def make_demo() -> str:
        async with open_store(settings) as (keys, store):
            made = await ensure_demo_key(store, settings, keys, NOW)
            assert made is not None
            return made.key_id

    demo_id = asyncio.run(make_demo())
    bundle = tmp_path / "alice.pub"
    alice = ReviewerPrivateKey.generate()
    write_bundle(bundle, alice.bundle("alice"))
    added = tipline(["admin", "reviewers", "add", str(bundle)], settings.data_dir)
    assert added.returncode == 0, added.stderr
    assert f"Registered reviewer key {alice.key_id} (alice)." in added.stdout
    assert f"The DEMO key {demo_id} is retired" in added.stdout
    listing = tipline(["admin", "reviewers", "list"], settings.data_dir).stdout
    assert f"{demo_id}" in listing
    assert "retired" in listing
    assert "DEMO" in listing
    retired = tipline(["admin", "reviewers", "retire", alice.key_id], settings.data_dir)
    assert "no new report is sealed to it" in retired.stdout
    again = tipline(["admin", "reviewers", "retire", alice.key_id], settings.data_dir)
    assert again.returncode == 1
    assert "already retired" in again.stderr
    assert asyncio.run(_seal_one(settings)) == (), "a retired key receives no new report"
