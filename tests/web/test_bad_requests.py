"""Issue 13, point 4, against the real server: bad requests get a 4xx, never a 500 or a leak.

Each request below gave a 500 and an ERROR log line (anyone could flood the
logs), or came back from aiohttp's own HTTP parser as a bare `HTTP/1.0 400`
naming Python's and aiohttp's versions, without the security headers, with the
start of the offending header echoed in the body.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import aiohttp
import pytest
from yarl import URL

from bot.channels.web.security import HEADERS
from tests.web.client import HttpChat, step_in
from tests.web.conftest import Server, free_port, in_thread, serving

DEEP = b"[" * 30_000 + b"]" * 30_000


@pytest.fixture
def errors(caplog: pytest.LogCaptureFixture) -> Iterator[list[logging.LogRecord]]:
    """The ERROR (and worse) lines logged meanwhile, by any logger, the server's included."""
    with caplog.at_level(logging.INFO):
        yield caplog.records
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def post(server: Server, path: str, body: bytes, content_type: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            server.url + path, data=body, headers={"Content-Type": content_type}
        ) as response,
    ):
        return response.status, await response.text()


MALFORMED = {
    "multipart-header-without-colon": (
        "api/turn",
        b"--ZZ\r\nNoColonHere\r\n\r\nx\r\n--ZZ--\r\n",
        "multipart/form-data; boundary=ZZ",
        400,
    ),
    "not-utf-8": ("", b"mid=abcdefgh44&text=\xff", "application/x-www-form-urlencoded", 400),
    "unknown-charset": (
        "api/turn",
        b"mid=abcdefgh45&text=x",
        "application/x-www-form-urlencoded; charset=nope-42",
        400,
    ),
    # Read as no labels at all; then refused for want of a CSRF token.
    "deep-labels": (
        "",
        b"mid=abcdefgh46&pick=x&labels=" + DEEP,
        "application/x-www-form-urlencoded",
        403,
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_body_is_a_4xx_and_logs_no_error(
    server: Server, errors: list[logging.LogRecord], case: str
) -> None:
    path, body, content_type, status = MALFORMED[case]
    got, text = in_thread(post(server, path, body, content_type))
    assert got == status
    assert "Traceback" not in text
    assert "not sent" in text if status == 403 else "nothing was changed" in text


def test_deep_labels_from_a_real_session_are_read_as_none(
    server: Server, errors: list[logging.LogRecord]
) -> None:
    async def go() -> None:
        async with HttpChat.session_for() as session:
            chat = HttpChat(server.url, session)
            await chat.open()
            body = f"csrf={chat.csrf}&mid={secrets.token_hex(8)}&pick=no&labels=".encode() + DEEP
            form = {"Content-Type": "application/x-www-form-urlencoded"}
            async with session.post(chat.base, data=body, headers=form) as response:
                assert response.status == 200
                assert step_in(await response.text()) == "what_happened"

    in_thread(go())


async def raw(server: Server, request: bytes) -> bytes:
    """Send bytes as they are (no client would) and read the whole answer."""
    url = URL(server.url)
    assert url.host is not None
    reader, writer = await asyncio.open_connection(url.host, url.port)
    try:
        writer.write(request)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET / HTTP/1.1\r\nHost: x\r\nCookie: a=" + b"Q" * 9_000 + b"\r\n\r\n",
        b"GET /\x00secret HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ],
    ids=["9000-byte-cookie", "nul-in-path", "length-and-chunked"],
)
def test_what_the_http_parser_refuses_gets_every_pages_headers_and_no_echo(
    server: Server, errors: list[logging.LogRecord], request_bytes: bytes
) -> None:
    answer = in_thread(raw(server, request_bytes))
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    assert status_line.split()[1] == "400"
    headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines)}
    for name, value in HEADERS.items():
        assert headers.get(name.lower()) == value, name
    assert b"aiohttp" not in answer
    assert b"Python" not in answer
    for echoed in (b"QQQQ", b"secret", b"chunked", b"Transfer-Encoding", b"Content-Length: 5"):
        assert echoed not in body


def test_a_session_token_the_client_made_up_is_never_taken(server: Server) -> None:
    """Session fixation: a token planted in a browser must not become its conversation."""

    async def go() -> None:
        planted = secrets.token_urlsafe(32)  # any 43 characters, as the cookie used to be
        async with HttpChat.session_for() as session:
            session.cookie_jar.update_cookies({"tipline_chat": planted})
            victim = HttpChat(server.url, session)
            await victim.open()
            issued = session.cookie_jar.filter_cookies(URL(server.url))["tipline_chat"].value
            assert issued != planted, "the server issues its own token"
            await victim.turn("no")
            await victim.turn("Somebody took money from me to make a fine go away.")
        async with HttpChat.session_for() as session:  # the one who planted it looks
            session.cookie_jar.update_cookies({"tipline_chat": planted})
            assert step_in(await HttpChat(server.url, session).open()) == "danger"

    in_thread(go())


def test_a_100000_character_answer_is_refused_with_the_real_limit(server: Server) -> None:
    async def go() -> None:
        async with HttpChat.session_for() as session:
            chat = HttpChat(server.url, session)
            await chat.open()
            await chat.turn("no")
            long = "x" * 100_000
            form = aiohttp.FormData({"csrf": chat.csrf, "mid": secrets.token_hex(8), "text": long})
            async with session.post(chat.base, data=form) as response:
                assert response.status == 413
                page = await response.text()
            assert "4000 characters" in page
            assert " MB" not in page
            assert step_in(await chat.open()) == "what_happened", "nothing was taken"

    in_thread(go())


def test_the_cookie_is_secure_whenever_the_public_url_is_https(
    server: Server, tmp_path: Path
) -> None:
    settings = replace(
        server.settings,
        data_dir=tmp_path / "var",
        port=free_port(),
        review_port=free_port(),  # the first server holds its own review listener
        public_url="HTTPS://tipline.example.org/",
    )

    async def cookies(url: str) -> list[str]:
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            return response.headers.getall("Set-Cookie")

    with serving(settings) as url:
        [chat_cookie] = in_thread(cookies(url))
    assert chat_cookie.startswith("tipline_chat=")
    assert "Secure" in chat_cookie.split("; ")
    [plain] = in_thread(cookies(server.url))  # http: a browser would drop a Secure cookie
    assert "Secure" not in plain.split("; ")
