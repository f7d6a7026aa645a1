"""Evidence files end to end: sent at the evidence step, cleaned, kept sealed, then opened."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

from PIL import Image

from bot.app import open_app
from bot.messages import Attachment, Inbound, Outbound
from bot.review import reviewer_record as reviewer_key_record
from bot.settings import Settings
from handoff.envelope import open_sealed
from handoff.workstation import ReviewerPrivateKey
from tests.bot.conftest import NOW, Env, claimed_reports
from tests.bot.driver import Talk
from tests.bot.test_media import CANARY, encode, gps_exif, picture, pixels
from tests.bot.test_paths import ANONYMOUS

FILENAME = "IMG_2031_Sam_Jones_+447700900123.jpg"
PDF = b"%PDF-1.7\n% PDF-CANARY-41c9 " + bytes(range(256)) * 8 + b"\n%%EOF\n"


class FileTalk(Talk):
    """A reporter who can also send files, the way a channel adapter delivers them."""

    async def send_files(
        self, *files: Attachment, text: str | None = None, message_id: str | None = None
    ) -> Outbound:
        mid = message_id or str(next(self.messages))
        return await self._do(Inbound("test", self.chat, mid, text, attachments=files))


def photo_with_gps() -> bytes:
    return encode(picture(), "JPEG", exif=gps_exif(), quality=90)


async def at_evidence(env: Env) -> FileTalk:
    talk = FileTalk(env.app.conversations)
    await talk.until("evidence_files", ANONYMOUS)
    return talk


async def stored(env: Env, talk: Talk) -> list[tuple[str, bytes]]:
    conversation = env.app.keys.conversation_id("test", talk.chat)
    return await env.app.store.load_attachments(conversation)


async def test_a_photo_with_gps_reaches_the_reviewer_without_exif_and_with_the_same_pixels(
    env: Env, tmp_path: Path
) -> None:
    original = photo_with_gps()
    talk = await at_evidence(env)
    await talk.send_files(Attachment("image/jpeg", original, FILENAME))
    assert "files so far: 1" in talk.text
    await talk.send("done")
    await talk.until("review", ANONYMOUS)
    assert "Evidence files: photo" in talk.text
    await talk.send("confirm")
    assert talk.last is not None
    assert talk.last.ended

    [opened] = await claimed_reports(env.app.store, env.key)
    [copy] = opened.files
    assert copy.media_type == "image/jpeg"
    with Image.open(io.BytesIO(copy.data)) as image:
        assert not image.getexif(), "no EXIF, so no GPS"
        assert "exif" not in image.info
    assert CANARY.encode() not in copy.data
    assert pixels(copy.data) == pixels(original)

    [row] = await env.app.store.queue()
    body = open_sealed(row.envelope, env.key)
    assert b"Sam_Jones" not in body.report, "the reporter's file name is never kept"
    answer = next(a for a in opened.report["answers"] if a["step"] == "evidence_files")
    assert answer["value"] == [
        {"id": opened.report["attachments"][0]["id"], "media_type": "image/jpeg", "size": copy.size}
    ]
    [saved] = opened.save_files(tmp_path / "saved")
    assert saved.name == f"{opened.reference}-1.jpg"
    assert await stored(env, talk) == [], "the files are deleted once sealed"


async def test_files_wait_encrypted_never_in_clear_on_disk(env: Env) -> None:
    talk = await at_evidence(env)
    await talk.send_files(Attachment("application/pdf", PDF, "statement.pdf"))
    [(file_id, blob)] = await stored(env, talk)
    assert b"PDF-CANARY-41c9" not in blob
    await env.app.store.sweep(NOW)  # folds the WAL into the database file
    database = env.data_dir / "tipline.db"
    on_disk = [p.read_bytes() for p in (database, Path(f"{database}-wal")) if p.exists()]
    assert any(blob[-32:] in data for data in on_disk), "the ciphertext is what is stored"
    assert not any(b"PDF-CANARY-41c9" in data for data in on_disk)
    assert file_id not in talk.text


async def test_an_oversize_file_is_refused_with_the_limit_and_nothing_is_stored(env: Env) -> None:
    talk = await at_evidence(env)
    big = b"%PDF-1.7\n" + bytes(env.app.settings.max_upload_bytes)
    await talk.send_files(Attachment("application/pdf", big))
    assert talk.text.startswith("That file is too big: the limit is 20 MB.")
    assert talk.step == "evidence_files", "the question is asked again"
    assert await stored(env, talk) == []


async def test_a_disguised_file_is_refused_and_nothing_is_stored(env: Env) -> None:
    talk = await at_evidence(env)
    await talk.send_files(Attachment("image/jpeg", b"PK\x03\x04" + bytes(300), "photo.jpg"))
    assert talk.text.startswith("That kind of file can't be sent here.")
    assert await stored(env, talk) == []


async def test_files_at_a_question_before_the_evidence_step_are_refused(env: Env) -> None:
    talk = FileTalk(env.app.conversations)
    await talk.until("what_happened", ANONYMOUS)
    await talk.send_files(Attachment("image/jpeg", photo_with_gps()), text="He took money")
    assert talk.text.startswith("Files can only be sent at the evidence question.")
    assert talk.step == "what_happened"
    assert await stored(env, talk) == []


async def test_one_report_takes_ten_files_and_says_why_not_more(env: Env) -> None:
    talk = await at_evidence(env)
    await talk.send_files(*[Attachment("application/pdf", PDF + bytes([n])) for n in range(11)])
    assert "You can send up to 10 files with one report" in talk.text
    assert "files so far: 10" in talk.text
    assert len(await stored(env, talk)) == 10


async def test_a_redelivered_message_with_files_stores_them_once(env: Env) -> None:
    talk = await at_evidence(env)
    first = await talk.send_files(Attachment("application/pdf", PDF), message_id="tg-77")
    again = await talk.send_files(Attachment("application/pdf", PDF), message_id="tg-77")
    assert again == first, "the stored reply, not a second step"
    assert len(await stored(env, talk)) == 1
    await talk.send("done")
    await talk.until(None, ANONYMOUS)
    [report] = await env.reports()
    assert len(report["attachments"]) == 1


async def test_skip_and_restart_delete_the_stored_files(env: Env) -> None:
    talk = await at_evidence(env)
    await talk.send_files(Attachment("application/pdf", PDF))
    await talk.send("skip")
    assert "have been removed" in talk.text
    assert await stored(env, talk) == []
    await talk.send("back")
    assert talk.step == "evidence_files"
    await talk.send_files(Attachment("application/pdf", PDF))
    assert len(await stored(env, talk)) == 1
    await talk.send("restart")
    await talk.send("yes")
    assert await stored(env, talk) == []


async def test_cancel_deletes_the_files_and_leaves_no_trace_in_the_database(
    tmp_path: Path, reviewer_key: ReviewerPrivateKey
) -> None:
    settings = replace(Settings(), data_dir=tmp_path / "var")
    async with open_app(settings) as app:
        await app.store.add_reviewer_key(reviewer_key_record(reviewer_key, "t", NOW), NOW)
        talk = FileTalk(app.conversations)
        await talk.until("evidence_files", ANONYMOUS)
        await talk.send_files(Attachment("application/pdf", PDF + bytes(4000)))
        conversation = app.keys.conversation_id("test", talk.chat)
        [(_, blob)] = await app.store.load_attachments(conversation)
        await talk.send("cancel")
        await talk.send("yes")
        assert await app.store.load_attachments(conversation) == []
        await app.store.sweep(app.clock())
    database = settings.database
    on_disk = [p.read_bytes() for p in (database, Path(f"{database}-wal")) if p.exists()]
    assert on_disk
    for data in on_disk:
        assert blob[100:164] not in data, "the deleted ciphertext is overwritten"
        assert b"PDF-CANARY-41c9" not in data


async def test_a_report_without_files_seals_with_an_empty_file_list(env: Env) -> None:
    talk = FileTalk(env.app.conversations)
    await talk.until(None, ANONYMOUS)
    [row] = await env.app.store.queue()
    body = open_sealed(row.envelope, env.key)
    assert body.files == ()
    assert json.loads(body.report)["attachments"] == []
