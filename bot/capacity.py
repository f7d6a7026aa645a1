"""Bounded under flood: whether a new draft or an upload may be stored now.

Three limits, all from `Settings`: open drafts (`TIPLINE_MAX_OPEN_DRAFTS`), bytes
held for evidence (`TIPLINE_MAX_EVIDENCE_TOTAL_MB`: files of drafts and sealed
reports in the queue), and free disk in the data folder (`TIPLINE_MIN_FREE_DISK_MB`).
Past one, a new conversation or a file is refused with words saying so; the
drafts already stored go on as before (a text answer adds little, and SQLite
refuses a write it cannot finish rather than corrupting the file).

Each limit logs one event when it is first reached and nothing more until it is
clear again: a flood must not become a flood of log lines. No ids, no content.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Protocol

from bot.settings import Settings
from locales import N_
from store import Store

log = logging.getLogger("tipline.capacity")

BUSY = N_(
    "Sorry, Tipline is too busy to start a new report right now. "
    "Nothing you sent was kept. Please try again later."
)
FILES_FULL = N_(
    "Sorry, Tipline cannot take more files right now because its storage is full. "
    "The files were not kept, but your other answers are safe. "
    "Please try sending the files again later."
)


class FreeSpace(Protocol):
    """Bytes free on the disk that holds `path` (tests pass a full disk in)."""

    def __call__(self, path: Path, /) -> int: ...


def disk_free(path: Path) -> int:
    return shutil.disk_usage(path).free


class Capacity:
    """Checks the global limits before a new draft or an upload is stored."""

    def __init__(self, store: Store, settings: Settings, free: FreeSpace = disk_free) -> None:
        self._store = store
        self._settings = settings
        self._free = free
        self._reached: set[str] = set()
        self._pending = 0  # bytes of files accepted by turns not yet committed

    async def new_draft(self) -> str | None:
        """None when a new conversation may be stored, else the refusal's msgid."""
        settings = self._settings
        if self._low_disk(0):
            return BUSY
        full = await self._store.count_drafts() >= settings.max_open_drafts
        return BUSY if self._note("draft_cap_reached", full) else None

    @contextlib.asynccontextmanager
    async def upload(self, size: int) -> AsyncIterator[str | None]:
        """None when `size` more bytes of files may be stored, else the refusal's msgid.

        Accepted bytes count as stored until the block ends (the turn committed or
        failed): turns uploading at the same moment cannot pass the cap together."""
        refusal = await self._upload_refusal(size) if size else None
        if refusal is not None or not size:
            yield refusal
            return
        self._pending += size
        try:
            yield None
        finally:
            self._pending -= size

    async def _upload_refusal(self, size: int) -> str | None:
        if self._low_disk(size + self._pending):
            return FILES_FULL
        total = await self._store.stored_bytes() + self._pending + size
        full = total > self._settings.max_evidence_total_bytes
        return FILES_FULL if self._note("evidence_cap_reached", full) else None

    def _low_disk(self, size: int) -> bool:
        # A file is stored encrypted (a little larger) and SQLite's journal writes it twice.
        need = self._settings.min_free_disk_bytes + 2 * size
        return self._note("disk_low_refused", self._free(self._settings.data_dir) < need)

    def _note(self, event: str, reached: bool) -> bool:
        if reached and event not in self._reached:
            self._reached.add(event)
            log.warning(event)
        elif not reached and event in self._reached:
            self._reached.discard(event)
            log.info("capacity_clear", extra={"event": event})
        return reached
