"""Evidence files from the browser: taken at the evidence step, cleaned, sealed with the report."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser

from tests.web.chat import Chat
from tests.web.conftest import Server, opened_page

GPS_IFD = 0x8825


def photo_with_location(path: Path) -> bytes:
    """A small JPEG carrying EXIF: the camera make and a GPS position."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_a_photo_uploaded_at_the_evidence_step_is_sealed_without_its_location(
    server: Server, browser: Browser, js: bool, tmp_path: Path
) -> None:
    original = photo_with_location(tmp_path / "IMG_2031_Sam_Jones.jpg")
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    with opened_page(browser, server.url, java_script_enabled=js) as page:
        chat = Chat(page, js)
        assert page.locator("#upload").is_hidden()  # no file box before the evidence step
        chat.until("evidence_files")
        assert page.locator("#files").is_visible()
        page.set_input_files("#files", str(tmp_path / "IMG_2031_Sam_Jones.jpg"))
        chat.submit("answer", "#answer .send")
        assert "files so far: 1" in chat.log_text()
        assert chat.step == "evidence_files"
        chat.until(None)
        reference = chat.reference()

    opened = server.opened(reference)
    report = server.report(reference)
    assert [a["media_type"] for a in report["attachments"]] == ["image/jpeg"]
    assert "IMG_2031" not in opened.report.decode()  # the file's name is not kept
    (sealed,) = opened.files
    cleaned = Image.open(io.BytesIO(sealed))
    assert cleaned.size == (64, 48)
    assert not cleaned.getexif()  # no camera, no location
