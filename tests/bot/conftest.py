"""An opened Tipline (real SQLite file, real crypto) with one reviewer key, per test."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, open_app
from bot.review import reviewer_record as reviewer_key_record
from bot.settings import Settings
from handoff.envelope import open_envelope
from handoff.workstation import OpenedReport, ReviewerPrivateKey, open_sealed_report
from store import Store

NOW = datetime(2026, 11, 23, 14, 7, 31, 123456, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Env:
    app: App
    key: ReviewerPrivateKey
    clock: Clock
    data_dir: Path

    async def reports(self) -> list[dict[str, Any]]:
        """Every sealed report in the queue, decrypted with the reviewer's key."""
        return [
            json.loads(open_envelope(row.envelope, self.key))
            for row in await self.app.store.queue()
        ]


async def claimed_reports(store: Store, key: ReviewerPrivateKey) -> list[OpenedReport]:
    """Every unclaimed report sealed to `key`, claimed and decrypted as a workstation would."""
    opened = []
    while (row := await store.claim(key.key_id, NOW, NOW + timedelta(minutes=30))) is not None:
        opened.append(open_sealed_report(row.reference, row.envelope, key))
    return opened


@pytest.fixture
def reviewer_key() -> ReviewerPrivateKey:
    return ReviewerPrivateKey.generate()


@pytest.fixture
async def env(tmp_path: Path, reviewer_key: ReviewerPrivateKey) -> AsyncIterator[Env]:
    clock = Clock()
    settings = replace(Settings(), data_dir=tmp_path / "var")
    async with open_app(settings, clock) as app:
        await app.store.add_reviewer_key(reviewer_key_record(reviewer_key, "test", NOW), NOW)
        yield Env(app, reviewer_key, clock, tmp_path / "var")
