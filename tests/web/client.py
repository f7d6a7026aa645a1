"""A reporter over plain HTTP (aiohttp's client): the page's forms and its JSON endpoint."""

from __future__ import annotations

import re
import secrets
from typing import Any

import aiohttp

CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
STEP = re.compile(r'data-step="([a-z_]*)"')


class HttpChat:
    def __init__(self, base: str, session: aiohttp.ClientSession) -> None:
        self.base = base
        self.session = session
        self.csrf = ""

    @classmethod
    def session_for(cls) -> aiohttp.ClientSession:
        # unsafe=True: keep cookies from an IP-address host (the test server is 127.0.0.1).
        return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def open(self) -> str:
        async with self.session.get(self.base) as response:
            assert response.status == 200
            page = await response.text()
        self.csrf = csrf_in(page)
        return page

    async def turn(self, text: str | None = None, **fields: Any) -> dict[str, Any]:
        body = {"mid": fields.pop("mid", None) or secrets.token_hex(8), "text": text, **fields}
        headers = {"X-CSRF-Token": self.csrf}
        async with self.session.post(self.base + "api/turn", json=body, headers=headers) as r:
            assert r.status == 200, await r.text()
            turn: dict[str, Any] = await r.json()
        self.csrf = turn["csrf"]
        return turn

    async def form(self, **fields: str) -> aiohttp.ClientResponse:
        data = aiohttp.FormData({"csrf": self.csrf, "mid": secrets.token_hex(8), **fields})
        response = await self.session.post(self.base, data=data)
        found = CSRF.search(await response.text())
        if found is not None:  # the page answering it carries the token for the next post
            self.csrf = found.group(1)
        return response


def csrf_in(page: str) -> str:
    found = CSRF.search(page)
    assert found is not None, "no CSRF token in the page"
    return found.group(1)


def step_in(page: str) -> str:
    found = STEP.search(page)
    assert found is not None, "no question on the page"
    return found.group(1)


def asked(turn: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in reversed(turn["replies"]) if r["expects"] is not None)
