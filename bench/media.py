"""What evidence files cost: cleaning photos, and sealing and opening a report full of files.

Run:

    .venv/bin/python -m bench.media [--rounds N]

Prints, per case, the median wall time of `bot.media.check` + `clean` for a
12-megapixel photo (a JPEG with GPS EXIF, kept bit-exact; the same JPEG
rotated, so re-encoded; a PNG; a lossless WebP), then sealing and opening a
report with 10 files of 5 MB (50 MB, the per-report limit) for one reviewer.
The photos are synthetic (gradients plus grain), sized like a camera's.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from PIL import ExifTags, Image

from bot.media import Checked, Limits, check, clean
from bot.messages import Attachment
from bot.review import reviewer_record as reviewer_key_record
from handoff.envelope import open_sealed, seal
from handoff.workstation import ReviewerPrivateKey

SIZE = (4000, 3000)  # 12 MP, a typical phone photo


def photo(fmt: str, orientation: int = 1) -> bytes:
    gradient = Image.linear_gradient("L").resize(SIZE)
    noise = Image.effect_noise(SIZE, 24)  # grain, so the file sizes look like a camera's
    image = Image.merge(
        "RGB", (gradient, noise, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT))
    )
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Bench Phone"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    out = io.BytesIO()
    params: dict[str, object] = {"exif": exif}
    if fmt == "JPEG":
        params["quality"] = 90
    if fmt == "WEBP":
        params["lossless"] = True
    image.save(out, fmt, **params)
    return out.getvalue()


def timed(work: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def clean_once(data: bytes) -> None:
    limits = Limits()
    checked = check(Attachment("image/jpeg", data), limits)
    if not isinstance(checked, Checked):
        raise TypeError(checked)
    clean(checked, limits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    cases = {
        "JPEG, EXIF+GPS, upright (bit-exact strip)": photo("JPEG"),
        "JPEG, EXIF+GPS, rotated (re-encoded)": photo("JPEG", orientation=6),
        "PNG (re-encoded)": photo("PNG"),
        "WebP lossless (re-encoded)": photo("WEBP"),
    }
    print(f"cleaning one {SIZE[0]}x{SIZE[1]} photo, median of {args.rounds}:")
    for name, data in cases.items():
        seconds = timed(lambda data=data: clean_once(data), args.rounds)
        print(f"  {name:45} {len(data) / 2**20:6.1f} MB  {seconds * 1000:8.1f} ms")

    key = ReviewerPrivateKey.generate()
    record = reviewer_key_record(key, "bench", datetime.now(UTC))
    files = [os.urandom(5 * 2**20) for _ in range(10)]

    def sealing() -> bytes:
        return seal(
            b"{}",
            [record],
            reference="TL-BNCH-0001",
            script_id="bench",
            script_version="1",
            priority=0,
            sealed_at=datetime.now(UTC),
            files=files,
        )

    envelope = sealing()
    print(f"sealing 10 files of 5 MB for one reviewer: {timed(sealing, args.rounds) * 1000:.0f} ms")
    opening = timed(lambda: open_sealed(envelope, key), args.rounds)
    print(f"opening it: {opening * 1000:.0f} ms (envelope {len(envelope) / 2**20:.1f} MB)")


if __name__ == "__main__":
    main()
