"""A real Tipline (SQLite file, real crypto) with its reviewer API on a free port, per test.

The clock is the test's: logins, leases and deadlines move when the test says.
Reviewers are enrolled as the admin does it (a bundle and a TOTP secret), and
reports are sealed to their keys as the service does it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pyotp
import pytest

from bot.app import App, open_app
from bot.review import TotpSecrets, reviewer_record
from bot.review.server import start_review_api
from bot.settings import Settings
from handoff.envelope import seal
from handoff.workstation import ReviewerPrivateKey
from handoff.workstation.client import HttpQueue, log_in
from store import SealedReport, TurnCommit
from tests.bot.conftest import NOW, Clock
from tests.web.conftest import free_port

PREFIX = "/review/api/v1"


@dataclass
class Reviewer:
    key: ReviewerPrivateKey
    totp: str  # the secret the admin printed

    def code(self, clock: Clock) -> str:
        return pyotp.TOTP(self.totp).at(clock.now)


@dataclass
class Harness:
    app: App
    clock: Clock
    url: str
    session: aiohttp.ClientSession
    data_dir: Path

    async def enrol(self, label: str) -> Reviewer:
        key = ReviewerPrivateKey.generate()
        secret = TotpSecrets.new()
        sealed = TotpSecrets(self.app.keys).seal(key.key_id, secret)
        now = self.clock.now
        await self.app.store.add_reviewer_key(reviewer_record(key, label, now), now, sealed)
        return Reviewer(key, secret)

    async def seal(
        self,
        reference: str,
        to: list[Reviewer],
        *,
        priority: int = 0,
        what: str = "He lied.",
        report: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Seal and queue a report as the service does, sealed_at on the hour."""
        sealed_at = self.clock.now.replace(minute=0, second=0, microsecond=0)
        if report is None:
            report = {"format": 2, "reference": reference, "locale": "en", "attachments": [],
                      "answers": [{"step": "what_happened", "summary": "What happened",
                                   "value": what, "display": what}]}  # fmt: skip
        records = [reviewer_record(r.key, "r", sealed_at) for r in to]
        envelope = seal(json.dumps(report).encode(), records, reference=reference,
                        script_id="police-misconduct", script_version="3",
                        priority=priority, sealed_at=sealed_at)  # fmt: skip
        await self.enqueue(reference, envelope, [r.key.key_id for r in to], priority=priority)
        return report

    async def enqueue(
        self, reference: str, envelope: bytes, recipients: list[str], *, priority: int = 0
    ) -> None:
        """Queue any envelope (a tampered one too) as sealed to `recipients`."""
        sealed_at = self.clock.now.replace(minute=0, second=0, microsecond=0)
        row = SealedReport(reference, envelope, priority, sealed_at, reference.encode(),
                           "police-misconduct", "3", tuple(recipients), 0)  # fmt: skip
        commit = TurnCommit(reference.encode(), 0, None, None, b"l-" + reference.encode(),
                            b"reply", sealed_at + timedelta(days=1), row)  # fmt: skip
        await self.app.store.commit_turn(commit, self.clock.now)

    async def queue_for(self, reviewer: Reviewer) -> HttpQueue:
        """The workstation's client, logged in as `reviewer` (a real login)."""
        login = await log_in(self.session, self.url, reviewer.key, reviewer.code(self.clock))
        self.clock.now += timedelta(seconds=30)  # the next login needs the next TOTP step
        return HttpQueue(self.session, login)

    async def call(
        self, method: str, path: str, token: str | None = None, body: object = None, **params: str
    ) -> tuple[int, Any]:
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        async with self.session.request(
            method, self.url + PREFIX + path, json=body, headers=headers, params=params
        ) as response:
            data = await response.json() if response.content_type == "application/json" else None
            return response.status, data

    async def login(self, reviewer: Reviewer, code: str | None = None) -> tuple[int, Any]:
        key_id = reviewer.key.key_id
        status, challenge = await self.call("POST", "/login/challenge", body={"key_id": key_id})
        assert status == 200
        raw = base64.b64decode(challenge["challenge"])
        signature = base64.b64encode(reviewer.key.sign_login(raw)).decode()
        body = {"key_id": key_id, "challenge": challenge["challenge"], "signature": signature,
                "totp": code or reviewer.code(self.clock)}  # fmt: skip
        return await self.call("POST", "/login", body=body)

    async def token(self, reviewer: Reviewer) -> str:
        status, body = await self.login(reviewer)
        assert status == 200, body
        token: str = body["token"]
        return token


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    clock = Clock(NOW)
    port = free_port()
    settings = replace(Settings(), data_dir=tmp_path / "var", review_port=port)
    async with open_app(settings, clock) as app:
        runner = await start_review_api(app.store, app.keys, settings, clock)
        try:
            async with aiohttp.ClientSession() as session:
                yield Harness(app, clock, f"http://127.0.0.1:{port}", session, tmp_path / "var")
        finally:
            await runner.cleanup()
