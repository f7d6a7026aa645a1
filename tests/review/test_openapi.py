"""The OpenAPI document is true: schemathesis against the live reviewer API.

Every operation is called with generated input, logged in and not; every
response must be documented (status, headers, body schema) and none may be a
server error.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from bot.app import open_app
from bot.review.openapi import document
from bot.review.server import start_review_api
from bot.settings import Settings
from tests.review.conftest import PREFIX, Harness
from tests.web.conftest import free_port


class WallClock:
    """The real time, in the shape of the tests' Clock."""

    @property
    def now(self) -> datetime:
        return datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


class Live:
    url: str = ""
    token: str = ""


LIVE = Live()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A real server on a thread of its own, with one reviewer logged in and two reports."""
    port = free_port()
    data = tmp_path_factory.mktemp("openapi") / "var"
    config = replace(Settings(), data_dir=data, review_port=port, log_level="WARNING")
    ready, stop = threading.Event(), threading.Event()

    clock = WallClock()

    async def main() -> None:
        import aiohttp  # noqa: PLC0415

        async with open_app(config, clock) as app:
            runner = await start_review_api(app.store, app.keys, config, clock)
            async with aiohttp.ClientSession() as session:
                harness = Harness(app, clock, f"http://127.0.0.1:{port}", session, data)  # type: ignore[arg-type]
                alice = await harness.enrol("alice")
                await harness.seal("TL-AAAA-AAAA", [alice])
                await harness.seal("TL-BBBB-BBBB", [alice], priority=1)
                LIVE.token = await harness.token(alice)
            LIVE.url = f"http://127.0.0.1:{port}"
            ready.set()
            await asyncio.to_thread(stop.wait)
            await runner.cleanup()

    thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
    thread.start()
    assert ready.wait(30)
    yield LIVE
    stop.set()
    thread.join(30)


def test_every_documented_response_is_what_the_server_sends(live: Live) -> None:
    loaded = schemathesis.openapi.from_dict(document())
    loaded.config.update(base_url=live.url + PREFIX)
    headers = {"Authorization": f"Bearer {live.token}"}
    operations = [result.ok() for result in loaded.get_all_operations()]
    assert len(operations) >= 17

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            # A schema-valid body may still be refused with 400 for what a schema cannot say
            # (random base64 is not a sealed note): every other check applies.
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        check()


def test_the_document_is_served_without_a_token(live: Live, tmp_path: Path) -> None:
    import urllib.request  # noqa: PLC0415

    with urllib.request.urlopen(live.url + PREFIX + "/openapi.json") as response:  # noqa: S310
        assert response.status == 200
        assert b'"openapi":"3.1.0"' in response.read()
