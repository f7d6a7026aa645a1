"""Remove a JPEG's metadata without decoding it, so the picture stays bit-for-bit the same.

Pillow can only re-encode a JPEG, which changes its pixels a little every time;
evidence should not change. A JPEG is a list of marker segments: this keeps
those that describe the picture (quantisation and Huffman tables, frame and
scan headers, restart interval, the Adobe colour-transform flag) and the
compressed data, and drops the application segments APP0–APP15 (JFIF, EXIF
with GPS and device, XMP, ICC profile, Photoshop/IPTC, MPF) and comments. It
stops at the end-of-image marker, so data glued after it (a motion-photo video,
a second image) is dropped too.

Anything unexpected returns None and the caller re-encodes with Pillow instead.
"""

from __future__ import annotations

from typing import Final

_SOI: Final = b"\xff\xd8"
_EOI: Final = 0xD9
_SOS: Final = 0xDA
_APP14: Final = 0xEE
_COM: Final = 0xFE
_STANDALONE: Final = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RST0–RST7


def strip(data: bytes) -> bytes | None:
    """`data` without application segments and comments; None if it is not a plain JPEG."""
    if not data.startswith(_SOI):
        return None
    out = [_SOI]
    pos = 2
    end = len(data)
    while pos < end:
        if data[pos] != 0xFF:
            return None
        while pos < end and data[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= end:
            return None
        marker = data[pos]
        pos += 1
        if marker == _EOI:
            out.append(b"\xff\xd9")
            return b"".join(out)
        if marker in _STANDALONE:
            out.append(bytes((0xFF, marker)))
            continue
        if pos + 2 > end:
            return None
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > end:
            return None
        if _keep(marker, data[pos + 2 : pos + 7]):
            out += [bytes((0xFF, marker)), data[pos : pos + length]]
        pos += length
        if marker == _SOS:
            scan_end = _end_of_scan(data, pos)
            if scan_end is None:
                return None
            out.append(data[pos:scan_end])
            pos = scan_end
    return None  # no end-of-image marker: truncated


def _keep(marker: int, head: bytes) -> bool:
    """Everything but APPn and COM; APP14 "Adobe" says how to read the colours, so it stays."""
    if marker == _APP14:
        return head == b"Adobe"
    return not (0xE0 <= marker <= 0xEF or marker == _COM)


def _end_of_scan(data: bytes, pos: int) -> int | None:
    """Where the compressed data that starts at `pos` ends: at the next real marker."""
    while True:
        found = data.find(b"\xff", pos)
        if found < 0 or found + 1 >= len(data):
            return None
        following = data[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:  # a stuffed 0xFF, a restart marker
            pos = found + 2
        elif following == 0xFF:  # fill byte; the marker follows
            pos = found + 1
        else:
            return found
