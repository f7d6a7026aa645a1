"""Issue 15, end to end: a report on Telegram, a question through the reviewer API, the
reporter back on the web chat with the secret code, an answer with a photo, read on the
workstation. The canaries in the question and the answer are in no server file, and
nothing the server's secret opens holds them. Wrong codes are limited, audited, locked out.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.channels.web import WebChat
from bot.review import TotpSecrets, reviewer_record
from bot.review.server import start_review_api
from bot.run import channel_context
from handoff.reporter import reporter_key
from handoff.thread import open_message
from handoff.workstation import ReviewerPrivateKey
from handoff.workstation.client import HttpQueue, log_in
from handoff.workstation.thread import ask_reporter, read_thread
from locales.errors import SealError
from store import AtRest
from tests.bot.test_evidence import photo_with_gps
from tests.bot.test_paths import ANONYMOUS
from tests.review.conftest import Reviewer
from tests.telegram.conftest import running
from tests.telegram.driver import Reporter
from tests.web.client import HttpChat
from tests.web.conftest import free_port

QUESTION_CANARY = "canary-question-" + secrets.token_hex(6)
ANSWER_CANARY = "canary-answer-" + secrets.token_hex(6)
_CODE = re.compile(r"\d{4} \d{4} \d{4} \d{4}")


def _texts(turn: dict[str, object]) -> str:
    replies = turn["replies"]
    assert isinstance(replies, list)
    return "\n".join(line for r in replies for line in r["lines"])


async def _web_turn(chat: HttpChat, text: str | None = None, photo: bytes | None = None) -> str:
    """One turn on the web chat's JSON endpoint (with a photo: as the page's form posts it)."""
    if photo is None:
        return _texts(await chat.turn(text))
    data = aiohttp.FormData()
    data.add_field("mid", secrets.token_hex(8))
    data.add_field("files", photo, filename="IMG_0042.jpg", content_type="image/jpeg")
    headers = {"X-CSRF-Token": chat.csrf, "Accept": "application/json"}
    async with chat.session.post(chat.base + "api/turn", data=data, headers=headers) as response:
        assert response.status == 200, await response.text()
        turn = await response.json()
    chat.csrf = turn["csrf"]
    return _texts(turn)


async def test_a_question_and_its_answer_with_a_photo_across_channels_stay_sealed(
    tmp_path: Path,
) -> None:
    async with running(tmp_path, "polling") as tg:
        app = tg.app
        # A reviewer enrolled as the admin does it, before the report: it is sealed to them.
        key = ReviewerPrivateKey.generate()
        totp = TotpSecrets.new()
        now = app.clock()
        await app.store.add_reviewer_key(
            reviewer_record(key, "alice", now), now, TotpSecrets(app.keys).seal(key.key_id, totp)
        )
        reviewer = Reviewer(key, totp)
        web_port, review_port = free_port(), free_port()
        site = web.Application()
        # The reporter and the guesser answer at machine speed: above the web chat's
        # per-session rate limit (tests/web/test_flood.py tests that limit).
        fast = replace(app.settings, web_answer_burst=1_000_000)
        WebChat(replace(channel_context(app), settings=fast)).mount(site)
        runner = web.AppRunner(site, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", web_port).start()
        settings = replace(app.settings, review_port=review_port)
        review = await start_review_api(app.store, app.keys, settings, app.clock)
        try:
            # 1. A report on Telegram; the closing gives the secret code.
            telegram = Reporter(tg.fake, 4242)
            await telegram.until(None, {**ANONYMOUS, "review": "confirm"}, buttons=False)
            closing = "\n".join(m.text or "" for m in telegram.user.bot_messages)
            found = _CODE.search(closing)
            assert found is not None
            code = found.group(0)
            [row] = await app.store.queue()
            reference = row.reference

            async with aiohttp.ClientSession() as http:
                # 2. The reviewer asks a question through the API, sealed on the workstation.
                login = await log_in(
                    http, f"http://127.0.0.1:{review_port}", key, reviewer.code(tg.app.clock)
                )
                queue = HttpQueue(http, login)
                await ask_reporter(queue, reference, f"Which station? {QUESTION_CANARY}")
                [meta] = await queue.page()
                assert meta.unanswered

            base = f"http://127.0.0.1:{web_port}/"
            async with HttpChat.session_for() as session:
                # 3. Someone guessing codes on the web chat: limited, then locked out.
                guesser = HttpChat(base, session)
                await guesser.open()
                await _web_turn(guesser, "receipt")
                said = ""
                for n in range(4):
                    said = await _web_turn(guesser, f"9999 9999 9999 999{n}")
                assert "Please wait" in said
                said = await _web_turn(guesser, code)  # the right code, while locked out
                assert "Please wait" in said
                assert QUESTION_CANARY not in said

            async with HttpChat.session_for() as session:
                # 4. The reporter comes back on the web chat, reads the question, answers.
                chat = HttpChat(base, session)
                page = await chat.open()
                assert "I have a secret code" in page
                said = await _web_turn(chat, "receipt")
                assert "16 numbers" in said
                said = await _web_turn(chat, code.replace(" ", "-"))
                assert f"Your report {reference} has arrived" in said
                assert QUESTION_CANARY in said
                said = await _web_turn(chat, f"It was Brixton. {ANSWER_CANARY}")
                said = await _web_turn(chat, photo=photo_with_gps())
                said = await _web_turn(chat, "done")
                said = await _web_turn(chat, "confirm")
                assert f"with your report {reference}" in said

            async with aiohttp.ClientSession() as http:
                # 5. The reviewer reads the answer and the photo on the workstation.
                tg.app.clock.now += timedelta(seconds=30)  # the next TOTP step
                login = await log_in(
                    http, f"http://127.0.0.1:{review_port}", key, reviewer.code(tg.app.clock)
                )
                queue = HttpQueue(http, login)
                question, answer = await read_thread(queue, key, reference)
                [meta] = await queue.page()
                assert not meta.unanswered
            assert question.opened is not None
            assert QUESTION_CANARY in question.opened.text
            assert question.sealed.read_at is not None
            assert answer.opened is not None
            assert answer.sealed.direction == "from_reporter"
            assert answer.opened.text == f"It was Brixton. {ANSWER_CANARY}"
            [(photo, media)] = answer.opened.files
            assert media == "image/jpeg"
            assert photo.startswith(b"\xff\xd8")
            assert b"GPS" not in photo, "the photo was cleaned before sealing"

            # 6. The wrong codes are in the audit log, naming nothing.
            entries = await app.store.audit_log()
            failed = [e for e in entries if e.event == "receipt_failed"]
            assert len(failed) == 3, "the codes tried while locked out were not even checked"
            assert all(e.reference is None and e.actor is None for e in failed)
            assert [e.event for e in entries if e.reference == reference][-2:] == [
                "message:to_reporter",
                "message:from_reporter",
            ]

            # 7. Nothing the server's secret opens holds either canary ...
            opened: list[bytes] = []

            def keep(blob: AtRest) -> bytes | None:
                opened.append(app.keys.open_at_rest(blob.blob, blob.key))
                return blob.blob

            await app.store.rewrap_at_rest(keep, apply=False)
            thread = await app.store.thread(reference)
            assert thread is not None
            pepper = app.keys.key("reporter-key")
            for message in thread.messages:
                for guess in ("0" * 16, "1234567890123456"):
                    try:
                        text = open_message(
                            message.envelope, reporter_key(guess, pepper), reference
                        )
                    except SealError:
                        continue
                    opened.append(text.text.encode())
        finally:
            await review.cleanup()
            await runner.cleanup()
        for plain in opened:
            assert QUESTION_CANARY.encode() not in plain
            assert ANSWER_CANARY.encode() not in plain
    # ... and no file the server wrote holds them in clear (the store closed, its WAL folded in).
    for path in (tmp_path / "var").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for canary in (QUESTION_CANARY, ANSWER_CANARY):
                assert canary.encode() not in data, f"{canary} in {path.name}"
                assert canary.encode("utf-16-le") not in data
