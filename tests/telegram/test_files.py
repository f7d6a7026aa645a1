"""Evidence files over Telegram: downloaded, cleaned, sealed; the reviewer gets them back."""

from __future__ import annotations

import io

from PIL import Image

from tests.bot.test_media import CANARY, encode, gps_exif, picture, pixels
from tests.telegram.conftest import Tipline
from tests.telegram.driver import Reporter, step_of
from tests.telegram.test_conversation import ANSWERS


async def test_a_photo_with_gps_reaches_the_reviewer_without_exif_and_with_every_pixel(
    tg: Tipline,
) -> None:
    original = encode(picture(), "JPEG", exif=gps_exif(), quality=90)
    assert CANARY.encode() in original
    reporter = Reporter(tg.fake, 3001)
    await reporter.until("evidence_files", ANSWERS, buttons=True)
    got = await reporter.turn(reporter.user.send_file("photo", original))
    assert step_of(got.text) is None or got.reply_markup is not None
    actions = [c for c in tg.fake.calls if c.method == "sendChatAction"]
    assert actions, "the reporter sees the bot working while the file downloads"
    await reporter.until(None, ANSWERS, buttons=True)

    [opened] = await tg.reports()
    [evidence] = opened.files
    assert CANARY.encode() not in evidence.data
    with Image.open(io.BytesIO(evidence.data)) as image:
        assert not image.getexif(), "no EXIF (and so no GPS) is left"
    assert pixels(evidence.data) == pixels(original)


async def test_a_pdf_document_is_sealed_as_sent_without_its_file_name(tg: Tipline) -> None:
    reporter = Reporter(tg.fake, 3002)
    await reporter.until("evidence_files", ANSWERS, buttons=False)
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    await reporter.turn(
        reporter.user.send_file("document", pdf, mime="application/pdf", name="Sam_Jones.pdf")
    )
    await reporter.until(None, ANSWERS, buttons=False)
    [opened] = await tg.reports()
    [evidence] = opened.files
    assert evidence.data == pdf
    assert "Sam_Jones" not in evidence.file_name(opened.reference), "the file name is not kept"


async def test_a_file_over_the_limit_is_refused_before_downloading(tg: Tipline) -> None:
    reporter = Reporter(tg.fake, 3003)
    await reporter.until("evidence_files", ANSWERS, buttons=False)
    big = b"\0" * (21 * 1024 * 1024)
    message = await reporter.user.send_file("video", big, mime="video/mp4", name="v.mp4")
    assert message["video"]["file_size"] > 20 * 1024 * 1024
    await tg.settle()
    assert "too big" in (reporter.user.last.text or "")
    assert not [c for c in tg.fake.calls if c.method == "getFile"], "never downloaded"
