"""The web chat over HTTP: headers on every response, cookies, CSRF, sizes and clean errors."""

from __future__ import annotations

import io
import json
import logging
import re
import secrets
from collections.abc import Awaitable, Callable

import aiohttp
import pytest
from yarl import URL

from tests.web.client import HttpChat, asked, step_in
from tests.web.conftest import Server, in_thread


def with_chat(server: Server, test: Callable[[HttpChat], Awaitable[None]]) -> None:
    """Run `test` with a fresh reporter's HTTP client (beside sync Playwright's loop)."""

    async def go() -> None:
        async with HttpChat.session_for() as session:
            await test(HttpChat(server.url, session))

    in_thread(go())


def assert_secure_headers(response: aiohttp.ClientResponse) -> None:
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "aiohttp" not in response.headers.get("Server", "")


def test_every_response_carries_the_security_headers(server: Server) -> None:
    async def go(chat: HttpChat) -> None:
        base = chat.base
        page = await chat.open()
        assert '<script src="/static/chat.js"' in page
        assert "<script>" not in page
        assert " style=" not in page  # no inline styles either: the CSP allows none
        requests = [
            ("GET", base, None),
            ("GET", base + "static/chat.js", None),
            ("GET", base + "static/chat.css", None),
            ("GET", base + "static/missing.js", None),
            ("GET", base + "favicon.ico", None),
            ("GET", base + "about", None),
            ("GET", base + "privacy", None),
            ("GET", base + "no-such-page", None),
            ("PUT", base, None),
            ("POST", base, {"text": "no csrf"}),
            ("POST", base + "api/turn", {"mid": "x"}),
        ]
        statuses = []
        for method, url, data in requests:
            async with chat.session.request(method, url, data=data) as response:
                await response.read()
                assert_secure_headers(response)
                statuses.append(response.status)
        assert statuses == [200, 200, 200, 404, 204, 200, 200, 404, 405, 400, 400]
        turn_headers = None
        async with chat.session.post(
            base + "api/turn",
            json={"mid": secrets.token_hex(8), "text": "no"},
            headers={"X-CSRF-Token": chat.csrf},
        ) as response:
            assert response.status == 200
            turn_headers = response
        assert_secure_headers(turn_headers)

    with_chat(server, go)


def test_the_chat_cookie_is_a_random_httponly_strict_session_cookie(server: Server) -> None:
    async def go() -> None:
        tokens = set()
        for _ in range(2):
            async with HttpChat.session_for() as session, session.get(server.url) as response:
                cookie = response.cookies["tipline_chat"]
                assert cookie["httponly"] is True
                assert cookie["samesite"] == "Strict"
                assert cookie["path"] == "/"
                assert not cookie["expires"]
                assert not cookie["max-age"]
                assert re.fullmatch(r"[A-Za-z0-9_-]{65}", cookie.value)  # 256 bits and a MAC
                tokens.add(cookie.value)
        assert len(tokens) == 2

    in_thread(go())


def test_a_form_post_without_the_csrf_token_is_refused_and_changes_nothing(server: Server) -> None:
    async def go(chat: HttpChat) -> None:
        page = await chat.open()
        assert step_in(page) == "danger"
        data = aiohttp.FormData({"mid": secrets.token_hex(8), "pick": "no"})
        async with chat.session.post(chat.base, data=data) as response:
            assert response.status == 403
            text = await response.text()
        assert "not sent" in text
        assert "Traceback" not in text
        async with chat.session.post(
            chat.base + "api/turn", json={"mid": secrets.token_hex(8), "text": "no"}
        ) as response:
            assert response.status == 403
            assert (await response.json())["error"] == "csrf"
        forged = aiohttp.FormData({"csrf": "0" * 64, "mid": secrets.token_hex(8), "pick": "no"})
        async with chat.session.post(chat.base, data=forged) as response:
            assert response.status == 403
        assert step_in(await chat.open()) == "danger"  # still the same question

    with_chat(server, go)


def test_a_50_mb_upload_is_refused_cleanly_and_the_draft_is_intact(server: Server) -> None:
    async def go(chat: HttpChat) -> None:
        await chat.open()
        await chat.turn("no")
        turn = await chat.turn("Somebody took money from me to make a fine go away.")
        assert asked(turn)["step"] == "category"
        big = b"\xff\xd8\xff" + bytes(50 * 2**20)
        for path, accept in (("", "text/html"), ("api/turn", "application/json")):
            data = aiohttp.FormData({"csrf": chat.csrf, "mid": secrets.token_hex(8), "text": "1"})
            data.add_field("files", io.BytesIO(big), filename="big.jpg", content_type="image/jpeg")
            async with chat.session.post(
                chat.base + path, data=data, headers={"Accept": accept}
            ) as response:
                assert response.status == 413
                body = await response.text()
            assert "too large" in body
            assert "Traceback" not in body
            if accept == "application/json":
                assert json.loads(body)["error"] == "too_large"
        page = await chat.open()
        assert step_in(page) == "category"  # the draft is where it was
        turn = await chat.turn("money")
        assert asked(turn)["step"] == "who_role"

    with_chat(server, go)


def test_an_unknown_or_malformed_token_gets_a_fresh_start(server: Server) -> None:
    async def go() -> None:
        for token in (secrets.token_urlsafe(32), "not a token; <script>"):
            async with HttpChat.session_for() as session:
                session.cookie_jar.update_cookies({"tipline_chat": token})
                chat = HttpChat(server.url, session)
                page = await chat.open()
                assert step_in(page) == "danger"  # the first question, not an error
                assert "Tipline lets you report" in page

    in_thread(go())


def test_an_answer_to_an_expired_conversation_starts_afresh_and_keeps_the_text(
    server: Server,
) -> None:
    """The cookie outlived its draft (expired or deleted): a new start, the typing kept."""

    async def go(chat: HttpChat) -> None:
        await chat.open()
        await chat.turn("no")
        ended = await chat.turn(None, pick="cancel", sure="1")
        assert ended["ended"] is True
        # The cookie now names no draft, as after expiry: an answer sent with it starts afresh.
        chat.csrf = ended["csrf"]
        # The page it was typed on asked the second question (the form says so).
        typed = "What I typed before it expired"
        response = await chat.form(text=typed, asked="what_happened:text")
        page = await response.text()
        assert response.status == 200
        assert step_in(page) == "danger"
        assert "we started again" in page
        assert ">What I typed before it expired</textarea>" in page

    with_chat(server, go)


def test_malformed_requests_get_a_clear_error_not_a_traceback(server: Server) -> None:
    async def go(chat: HttpChat) -> None:
        await chat.open()
        headers = {"X-CSRF-Token": chat.csrf, "Content-Type": "application/json"}
        for body in (b"{not json", b"[1, 2]", b'{"mid": 5}', b'{"mid": "short"}'):
            async with chat.session.post(chat.base + "api/turn", data=body, headers=headers) as r:
                assert r.status == 400
                assert (await r.json())["error"] == "malformed"
        broken = b"--xyz\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--xyz--\r\n"
        headers = {"Content-Type": "multipart/form-data; boundary=xyz"}
        async with chat.session.post(chat.base, data=broken, headers=headers) as response:
            assert response.status == 400
            text = await response.text()
        assert "nothing was changed" in text
        assert "Traceback" not in text
        async with chat.session.post(
            chat.base, data=b"a=1", headers={"Content-Type": "text/plain"}
        ) as response:
            assert response.status == 415

    with_chat(server, go)


def test_a_retried_post_is_one_answer(server: Server) -> None:
    """The same message id and content (a retry, a refresh) is taken once; the reply repeats."""

    async def go(chat: HttpChat) -> None:
        await chat.open()
        first = await chat.turn("no", mid="retry-0001")
        again = await chat.turn("no", mid="retry-0001")
        assert first["replies"] == again["replies"]
        assert asked(again)["step"] == "what_happened"  # not a second answer to anything

    with_chat(server, go)


def test_a_sealed_or_deleted_conversation_gets_a_new_token(server: Server) -> None:
    """So a shared browser's Back button cannot replay the end of a report."""

    async def go(chat: HttpChat) -> None:
        await chat.open()
        before = chat.session.cookie_jar.filter_cookies(URL(chat.base))["tipline_chat"].value
        turn = await chat.turn(None, pick="cancel", sure="1")
        assert turn["ended"] is True
        after = chat.session.cookie_jar.filter_cookies(URL(chat.base))["tipline_chat"].value
        assert after != before

    with_chat(server, go)


def test_nothing_logged_holds_an_ip_address_or_what_was_typed(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    async def go(chat: HttpChat) -> None:
        secret = "Sergeant Plum took my money on Elm Road"
        with caplog.at_level(logging.DEBUG):
            await chat.open()
            await chat.turn("no")
            await chat.turn(secret)
            posted = await chat.form(pick="money")  # the plain form post too
            await chat.session.get(chat.base + "nowhere")
        assert posted.status == 200
        assert caplog.records
        for record in caplog.records:
            line = f"{record.getMessage()} {record.args} {vars(record)}"
            assert "127.0.0.1" not in line
            assert secret not in line

    with_chat(server, go)
