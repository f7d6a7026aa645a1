"""Evidence files: the real type is sniffed, limits hold, photos lose their metadata not pixels."""

from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image, PngImagePlugin

from bot import _jpeg, media
from bot.media import Checked, Cleaned, Limits, check, clean, within_report
from bot.messages import Attachment
from dialogs.attachments import FileInfo
from dialogs.parsers import Rejected
from handoff.workstation import OpenedFile

CANARY = "Canary Phone 9000"


def picture(size: tuple[int, int] = (96, 64), mode: str = "RGB") -> Image.Image:
    """A picture with detail in every pixel, so any change to the pixels shows."""
    width, height = size
    image = Image.new("RGB", size)
    rows = range(height)
    image.putdata(
        [((x * 7) % 256, (y * 11) % 256, (x * y) % 256) for y in rows for x in range(width)]
    )
    return image.convert(mode)


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CANARY
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.5)
    return exif


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def cleaned(data: bytes, declared: str = "image/jpeg", limits: Limits | None = None) -> Cleaned:
    limits = limits or Limits()
    checked = check(Attachment(declared, data, "IMG_2031_Sam_Jones.jpg"), limits)
    assert isinstance(checked, Checked), checked
    result = clean(checked, limits)
    assert isinstance(result, Cleaned), result
    return result


def pixels(data: bytes) -> tuple[str, tuple[int, int], bytes]:
    with Image.open(io.BytesIO(data)) as image:
        return image.mode, image.size, image.tobytes()


def test_jpeg_with_gps_loses_all_metadata_and_keeps_every_pixel() -> None:
    original = encode(picture(), "JPEG", exif=gps_exif(), quality=90, comment=b"a comment")
    assert CANARY.encode() in original
    out = cleaned(original)
    assert out.info.media_type == "image/jpeg"
    assert out.info.size == len(out.data)
    assert CANARY.encode() not in out.data
    assert b"a comment" not in out.data
    with Image.open(io.BytesIO(out.data)) as again:
        assert not again.getexif()
        assert not {"exif", "icc_profile", "xmp", "comment"} & again.info.keys()
    assert pixels(out.data) == pixels(original)


def test_progressive_jpeg_keeps_its_pixels_and_loses_its_exif() -> None:
    original = encode(picture(), "JPEG", exif=gps_exif(), progressive=True)
    out = cleaned(original)
    assert CANARY.encode() not in out.data
    assert pixels(out.data) == pixels(original)


def test_anything_glued_after_the_jpeg_such_as_a_motion_photo_video_is_cut() -> None:
    original = encode(picture(), "JPEG") + b"\x00\x00\x00\x18ftypmp42 motion photo video"
    out = cleaned(original)
    assert b"motion photo" not in out.data
    assert out.data.endswith(b"\xff\xd9")


def test_a_rotated_photo_is_turned_upright_and_has_no_exif_left() -> None:
    original = encode(picture((96, 64)), "JPEG", exif=gps_exif(orientation=6), quality=95)
    out = cleaned(original)
    with Image.open(io.BytesIO(out.data)) as again:
        assert again.size == (64, 96), "orientation 6 is applied to the pixels"
        assert not again.getexif()
    assert CANARY.encode() not in out.data


def test_png_text_chunks_and_exif_are_dropped_and_pixels_kept() -> None:
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Sam Jones")
    text.add_itxt("Comment", "taken at 12 Acre Lane")
    original = encode(picture(), "PNG", pnginfo=text, exif=gps_exif())
    out = cleaned(original, declared="image/png")
    assert out.info.media_type == "image/png"
    for secret in (b"Sam Jones", b"Acre Lane", CANARY.encode()):
        assert secret not in out.data
    with Image.open(io.BytesIO(out.data)) as again:
        assert not again.info.get("Author")
        assert not again.getexif()
        assert getattr(again, "text", {}) == {}
    assert pixels(out.data) == pixels(original)


def test_palette_png_keeps_its_palette_and_transparency() -> None:
    original = encode(picture(mode="P"), "PNG", transparency=3)
    out = cleaned(original, declared="image/png")
    assert pixels(out.data) == pixels(original)
    with Image.open(io.BytesIO(out.data)) as again, Image.open(io.BytesIO(original)) as before:
        assert again.getpalette() == before.getpalette()
        assert again.info.get("transparency") == 3


def test_lossless_webp_loses_exif_and_keeps_pixels() -> None:
    original = encode(picture(), "WEBP", lossless=True, exif=gps_exif())
    assert CANARY.encode() in original
    out = cleaned(original, declared="application/octet-stream")
    assert out.info.media_type == "image/webp"
    assert CANARY.encode() not in out.data
    assert pixels(out.data) == pixels(original)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("zip", b"PK\x03\x04" + bytes(200)),
        ("windows program", b"MZ\x90\x00" + bytes(300)),
        ("linux program", b"\x7fELF\x02\x01\x01" + bytes(200)),
        ("shell script with a NUL", b"#!/bin/sh\nrm -rf ~\n\x00"),
        ("gif", encode(picture(), "GIF")),
    ],
)
def test_a_disguised_or_unlisted_file_is_refused_whatever_it_claims(name: str, data: bytes) -> None:
    refused = check(Attachment("image/jpeg", data, "photo.jpg"), Limits())
    assert refused == Rejected(media.WRONG_KIND), name
    assert "photos, PDFs, voice notes or videos" in media.WRONG_KIND


def test_a_damaged_photo_is_refused_as_unreadable() -> None:
    good = encode(picture(), "JPEG")
    assert check(Attachment("image/jpeg", good[:40]), Limits()) == Rejected(media.UNREADABLE)
    assert check(Attachment("image/jpeg", b""), Limits()) == Rejected(media.UNREADABLE)


def test_a_file_over_the_limit_is_refused_naming_the_limit() -> None:
    limits = Limits.for_upload_limit(media.MiB)
    refused = check(Attachment("application/pdf", b"%PDF-1.7\n" + bytes(media.MiB)), limits)
    assert refused == Rejected(media.TOO_BIG, {"limit": "1"})
    assert media.TOO_BIG.format(**refused.params) == "That file is too big: the limit is 1 MB."
    assert Limits().file_bytes == 20 * media.MiB, "Telegram bots may download up to 20 MB"


def test_a_picture_with_too_many_pixels_is_refused() -> None:
    data = encode(picture((64, 64)), "PNG")
    limits = Limits(pixels=64 * 63)
    checked = check(Attachment("image/png", data), limits)
    assert isinstance(checked, Checked)
    assert clean(checked, limits) == Rejected(media.TOO_MANY_PIXELS)


# Minimal headers of each allowed non-image kind, as the sniffer sees them.
OTHERS = {
    "application/pdf": b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n",
    "text/plain": "He said: “it goes away for £200”.\n".encode(),
    "audio/ogg": b"OggS\x00\x02" + bytes(22) + b"\x01\x13OpusHead" + bytes(40),
    "audio/mpeg": b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(100),
    "audio/mp4": b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + bytes(100),
    "video/mp4": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(100),
    "video/quicktime": b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + bytes(100),
    "video/webm": bytes.fromhex("1a45dfa3")
    + b"\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"
    + bytes(100),
}


@pytest.mark.parametrize("media_type", sorted(OTHERS))
def test_documents_audio_and_video_are_sniffed_and_passed_on_unchanged(media_type: str) -> None:
    data = OTHERS[media_type]
    out = cleaned(data, declared="application/octet-stream")
    assert out.info.media_type == media_type
    assert out.data == data, "not re-encoded: metadata in these files is NOT stripped"
    saved_as = OpenedFile(1, media_type, len(data), "", data).file_name("TL-7KQ2-M9XD")
    assert not saved_as.endswith(".bin"), "the reviewer's copy gets its kind's extension"


def test_each_kept_file_gets_a_fresh_random_id_and_no_name() -> None:
    data = OTHERS["application/pdf"]
    first, second = cleaned(data), cleaned(data)
    assert first.info.id != second.info.id
    assert len(first.info.id) == 16
    assert "name" not in first.info.to_answer()


def test_per_report_limits_take_files_in_order_until_full() -> None:
    mb = media.MiB
    limits = Limits(file_bytes=10 * mb, files=3, total_bytes=25 * mb)

    def item(size: int) -> Cleaned:
        return Cleaned(FileInfo(f"id{size}", "application/pdf", size), b"")

    held = [FileInfo("a", "image/jpeg", 5 * mb)]
    new = [item(10 * mb), item(11 * mb), item(1 * mb), item(1)]
    taken, refused = within_report(held, new, limits)
    assert [c.info.size for c in taken] == [10 * mb, 1 * mb]
    assert refused == [
        Rejected(media.TOO_MUCH, {"limit": "25"}),
        Rejected(media.TOO_MANY, {"max": "3"}),
    ]
    assert Limits().files == 10
    assert Limits().total_bytes == 50 * mb


def test_jpeg_stripper_refuses_what_is_not_a_whole_jpeg() -> None:
    good = encode(picture(), "JPEG")
    assert _jpeg.strip(good) is not None
    assert _jpeg.strip(good[:-2]) is None, "no end-of-image marker"
    assert _jpeg.strip(b"GIF89a") is None
    assert _jpeg.strip(good[:2] + b"\x00" + good[3:]) is None
