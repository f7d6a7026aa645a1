"""Evidence files: which kinds are taken, how big, and the cleaning before anything is kept.

A channel hands over bytes and a declared media type; the declared type is
ignored. `check` (cheap) sniffs the real type from the bytes — Pillow for
photos, magic bytes (`filetype`) for the rest — and applies the per-file size
limit. `clean` (CPU-heavy: run it in a thread) removes what a photo carries
besides its pixels: EXIF (GPS, device, time), XMP, ICC profiles, comments, PNG
text chunks, and anything after the image data (a "motion photo" video). A JPEG
that needs no rotation keeps its exact compressed data (`_jpeg`); other photos
are turned upright (`ImageOps.exif_transpose`) and re-encoded from their pixels
alone. PDFs, text, audio and video are passed on as sent: their metadata is
NOT stripped, and the reporter is told so. `within_report` applies the
per-report limits. Refusals are translatable `Rejected` messages.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import filetype
from PIL import Image, ImageOps

from bot import _jpeg
from bot.messages import Attachment
from dialogs import Rejected
from dialogs.attachments import FileInfo
from handoff.evidence import EXTENSIONS
from locales import N_

MiB: Final = 2**20
REPORT_BYTES: Final = 50 * MiB

# Sniffed media type → the extension a reviewer's copy gets (one table, in handoff).
ALLOWED: Mapping[str, str] = EXTENSIONS
IMAGES = frozenset(t for t in ALLOWED if t.startswith("image/"))  # all re-encodable by Pillow
OTHERS = frozenset(ALLOWED) - IMAGES  # passed on as sent: PDF, text, audio, video
_PILLOW_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

TOO_BIG = N_("That file is too big: the limit is {limit} MB.")
WRONG_KIND = N_(
    "That kind of file can't be sent here. You can send photos, PDFs, voice notes or videos."
)
UNREADABLE = N_("That file could not be opened. It may be damaged; please try sending it again.")
TOO_MANY_PIXELS = N_("That picture is too large to process. Please send a smaller copy.")
TOO_MANY = N_("You can send up to {max} files with one report, so that file was not added.")
TOO_MUCH = N_(
    "Your files would add up to more than {limit} MB, the limit for one report, "
    "so that file was not added."
)


@dataclass(frozen=True, slots=True)
class Limits:
    """Per file (Telegram bots may download up to 20 MB) and per report."""

    file_bytes: int = 20 * MiB
    files: int = 10
    total_bytes: int = REPORT_BYTES
    pixels: int = 89_478_485  # Pillow's own decompression-bomb threshold

    @classmethod
    def for_upload_limit(cls, file_bytes: int) -> Limits:
        """The limits for a per-file maximum (`Settings.max_upload_bytes`)."""
        return cls(file_bytes=file_bytes, total_bytes=max(REPORT_BYTES, file_bytes))


@dataclass(frozen=True, slots=True)
class Checked:
    """A file whose real type is allowed and whose size is within the limit; not cleaned yet."""

    media_type: str
    data: bytes

    @property
    def is_image(self) -> bool:
        return self.media_type in IMAGES


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A file ready to keep: new random id, sniffed type, cleaned bytes."""

    info: FileInfo
    data: bytes


def megabytes(size: int) -> str:
    """A limit in MB as people write it: "20", "2.5"."""
    return f"{size / MiB:.1f}".removesuffix(".0")


def check(attachment: Attachment, limits: Limits) -> Checked | Rejected:
    """Size and real type, from the bytes only; cheap enough for the event loop."""
    data = attachment.data
    if len(data) > limits.file_bytes:
        return Rejected(TOO_BIG, {"limit": megabytes(limits.file_bytes)})
    if not data:
        return Rejected(UNREADABLE)
    image = _sniff_image(data)
    if image is not None:
        return Checked(image, data)
    found = filetype.guess_mime(data)
    if found in OTHERS:
        return Checked(found, data)
    if found is None and _is_text(data):
        return Checked("text/plain", data)
    if found in IMAGES:
        return Rejected(UNREADABLE)  # looks like a photo, but Pillow cannot read it
    return Rejected(WRONG_KIND)


def clean(checked: Checked, limits: Limits) -> Cleaned | Rejected:
    """Strip a photo's metadata (see the module doc); other files pass unchanged."""
    data = checked.data
    if checked.is_image:
        try:
            data = _clean_image(data, limits)
        except (_TooLarge, Image.DecompressionBombError):
            return Rejected(TOO_MANY_PIXELS)
        except Exception:  # a crafted file may break a decoder in any way
            return Rejected(UNREADABLE)
    info = FileInfo(secrets.token_hex(8), checked.media_type, len(data))
    return Cleaned(info, data)


def within_report(
    held: Sequence[FileInfo], new: Sequence[Cleaned], limits: Limits
) -> tuple[list[Cleaned], list[Rejected]]:
    """The new files that fit the per-report limits, in order, and a refusal for each other."""
    count, total = len(held), sum(f.size for f in held)
    taken: list[Cleaned] = []
    refused: list[Rejected] = []
    for item in new:
        if count >= limits.files:
            refused.append(Rejected(TOO_MANY, {"max": str(limits.files)}))
        elif total + item.info.size > limits.total_bytes:
            refused.append(Rejected(TOO_MUCH, {"limit": megabytes(limits.total_bytes)}))
        else:
            taken.append(item)
            count, total = count + 1, total + item.info.size
    return taken, refused


class _TooLarge(Exception):
    """More pixels than `Limits.pixels`."""


def _sniff_image(data: bytes) -> str | None:
    """The media type if Pillow recognises a photo format we take (headers only)."""
    try:
        with Image.open(io.BytesIO(data), formats=list(_PILLOW_FORMATS)) as image:
            return _PILLOW_FORMATS.get(str(image.format))
    except Exception:  # not a photo we take; a crafted header may break a parser in any way
        return None


def _is_text(data: bytes) -> bool:
    """UTF-8 text without NULs or terminal control characters."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not any(ord(ch) < 0x20 and ch not in "\t\n\r\f" for ch in text)


def _clean_image(data: bytes, limits: Limits) -> bytes:
    with Image.open(io.BytesIO(data), formats=list(_PILLOW_FORMATS)) as image:
        width, height = image.size
        if width * height > limits.pixels:
            raise _TooLarge
        if image.format == "JPEG" and image.getexif().get(_ORIENTATION, 1) == 1:
            stripped = _jpeg.strip(data)
            if stripped is not None and _same_header(stripped, image):
                return stripped
        return _reencode(image, _lossless_webp(data))


_ORIENTATION = 0x0112


def _same_header(stripped: bytes, original: Image.Image) -> bool:
    """The stripped JPEG still parses as the same picture (size and mode)."""
    try:
        with Image.open(io.BytesIO(stripped), formats=["JPEG"]) as again:
            return (again.size, again.mode) == (original.size, original.mode)
    except Exception:  # then the caller re-encodes instead
        return False


def _reencode(image: Image.Image, lossless_webp: bool) -> bytes:
    """The picture upright, saved from its pixels alone: no info, EXIF, XMP or ICC."""
    fmt = str(image.format)
    image.seek(0)  # an animation keeps its first frame only
    upright = ImageOps.exif_transpose(image)
    transparency = upright.info.get("transparency")
    upright.info = {}  # nothing the encoder could copy across
    out = io.BytesIO()
    # Fast settings: measured on a 12 MP photo (bench/media.py), PNG level 6 took ~5 s
    # and lossless WebP at its default effort ~20 s, for 10-15 % smaller files.
    if fmt == "PNG":
        params = {} if transparency is None else {"transparency": transparency}
        upright.save(out, "PNG", compress_level=1, **params)
    elif fmt == "WEBP" and lossless_webp:
        upright.save(out, "WEBP", lossless=True, exact=True, method=1, quality=25)
    elif fmt == "WEBP":
        upright.save(out, "WEBP", quality=95)
    else:
        upright.save(out, "JPEG", quality=95)
    return out.getvalue()


def _lossless_webp(data: bytes) -> bool:
    """Whether a WebP file's image is lossless (a VP8L chunk), read from its RIFF chunks."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return False
    pos = 12
    while pos + 8 <= len(data):
        name, size = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        if name in (b"VP8L", b"VP8 "):
            return name == b"VP8L"
        pos += 8 + size + (size & 1)
    return False
