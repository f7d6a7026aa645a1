"""Evidence files of an opened report: checked against the report, saved safely here.

The report lists each file (`attachments`: id, media type, size, SHA-256) in the
order the envelope holds them. A file whose size or hash does not match is
tampering. Saved copies get names made here — "<reference>-<n><extension>",
the extension from a fixed table of media types — never anything the reporter
sent, so no name can reach outside the folder or pose as another kind of file.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handoff.evidence import EXTENSIONS
from locales.errors import TamperedError, TiplineError

__all__ = ["OpenedFile", "matched_files", "save_files"]

_SAFE_REFERENCE = re.compile(r"TL-[0-9A-Z]{4}-[0-9A-Z]{4}")


@dataclass(frozen=True, slots=True)
class OpenedFile:
    """One evidence file of an opened report; `number` counts from 1 in report order."""

    number: int
    media_type: str
    size: int
    sha256: str
    data: bytes = b""

    def file_name(self, reference: str) -> str:
        """The name a saved copy gets: "TL-7KQ2-M9XD-1.jpg"."""
        stem = reference if _SAFE_REFERENCE.fullmatch(reference) else "report"
        return f"{stem}-{self.number}{EXTENSIONS.get(self.media_type, '.bin')}"


def matched_files(
    reference: str, report: dict[str, Any], files: Sequence[bytes]
) -> tuple[OpenedFile, ...]:
    """Pair the envelope's files with the report's list; TamperedError if they disagree."""
    listed = report.get("attachments", [])
    if not isinstance(listed, list) or len(listed) != len(files):
        raise TamperedError(f"{reference}: the report does not list the files it carries")
    out = []
    for number, (entry, data) in enumerate(zip(listed, files, strict=True), 1):
        if not isinstance(entry, dict):
            raise TamperedError(f"{reference}: file {number} is listed wrongly")
        digest = hashlib.sha256(data).hexdigest()
        if entry.get("size") != len(data) or entry.get("sha256") != digest:
            raise TamperedError(f"{reference}: file {number} does not match its size or hash")
        media_type = entry.get("media_type")
        out.append(OpenedFile(number, str(media_type), len(data), digest, data))
    return tuple(out)


def save_files(reference: str, files: Sequence[OpenedFile], folder: Path) -> list[Path]:
    """Write each file into `folder` (created 0700) as a 0600 file; the paths, in order.

    A file already there with the same bytes is left as it is (saving twice is
    harmless); one with other bytes is never overwritten.
    """
    if not files:
        return []
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
        folder.chmod(0o700)  # whatever the umask
    saved = []
    for item in files:
        path = folder / item.file_name(reference)
        _write_new(path, item.data)
        saved.append(path)
    return saved


def _write_new(path: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
            return
        raise TiplineError(
            f"{path} already exists with other content; choose another folder"
        ) from None
    with os.fdopen(fd, "wb") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(data)
