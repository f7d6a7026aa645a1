"""The conversation service's evidence-file half: take files in, keep them sealed, hand them on.

At an attachment question each file is checked (size, real type), cleaned in a
worker thread (bot/media.py) and held to the per-report limits; the service then
gives the engine the metadata only. The
bytes are encrypted with the server's draft key, bound to (conversation, file
id), and stored in the same transaction as the turn — never on disk in clear.
At confirm, the files the report refers to are decrypted and sealed with it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot import media
from bot.messages import Attachment
from bot.serverkeys import ServerKeys
from dialogs import JSON, Rejected, Report
from dialogs.attachments import KIND, FileInfo, files_in
from locales.errors import TamperedError
from store import Store

log = logging.getLogger("tipline.evidence")


def bound_to(conversation: bytes, file_id: str) -> bytes:
    """What a stored file's ciphertext is bound to: its conversation and its own id."""
    return conversation + b"\0file\0" + file_id.encode()


@dataclass(frozen=True, slots=True)
class Taken:
    """Files sent at an attachment question: those kept, and why the others were not."""

    files: Sequence[media.Cleaned] = ()
    refused: Sequence[Rejected] = ()


@dataclass(frozen=True, slots=True)
class ForSealing:
    """The files a report refers to, ready to seal: report entries and bytes, in order."""

    entries: list[dict[str, JSON]] = field(default_factory=list)
    files: list[bytes] = field(default_factory=list)
    missing: int = 0


class EvidenceFiles:
    """Checks, cleans, stores and loads a conversation's evidence files (never the dialog)."""

    def __init__(self, store: Store, keys: ServerKeys, limits: media.Limits) -> None:
        self._store = store
        self._keys = keys
        self.limits = limits

    async def take(self, attachments: Sequence[Attachment], held: Sequence[FileInfo]) -> Taken:
        """Check each file (size, real type), clean it, and hold the lot to the per-report
        limits beside the `held` files the draft has already."""
        refused: list[Rejected] = []
        checked: list[media.Checked] = []
        for attachment in attachments:
            outcome = media.check(attachment, self.limits)
            if isinstance(outcome, Rejected):
                refused.append(outcome)
            else:
                checked.append(outcome)
        cleaned: list[media.Cleaned] = []
        # Pillow holds the GIL only in part; a 20 MB photo must not stall other chats.
        for done in await asyncio.to_thread(_clean_all, checked, self.limits) if checked else ():
            if isinstance(done, Rejected):
                refused.append(done)
            else:
                cleaned.append(done)
        taken, over = media.within_report(held, cleaned, self.limits)
        refused += over
        log.info("files_received", extra={"taken": len(taken), "refused": len(refused)})
        return Taken(taken, refused)

    async def changes(
        self,
        conversation: bytes,
        before: Sequence[FileInfo],
        after: Sequence[FileInfo] | None,
        taken: Sequence[media.Cleaned],
    ) -> tuple[tuple[tuple[str, bytes], ...], tuple[str, ...]]:
        """What to store and delete so the stored files are exactly those `after` lists
        (None: the draft ended, and the store deletes every file with it)."""
        if after is None:
            return (), ()
        keep = {f.id for f in after}
        had = {f.id for f in before}
        new = [c for c in taken if c.info.id in keep]
        added = await asyncio.to_thread(self._encrypt, conversation, new) if new else ()
        return added, tuple(sorted(had - keep))

    def _encrypt(
        self, conversation: bytes, files: Sequence[media.Cleaned]
    ) -> tuple[tuple[str, bytes], ...]:
        return tuple(
            (c.info.id, self._keys.seal_at_rest(c.data, bound_to(conversation, c.info.id)))
            for c in files
        )

    async def for_sealing(self, conversation: bytes, report: Report) -> ForSealing:
        """The stored files `report`'s attachment answers list, decrypted, in answer order."""
        wanted = [
            info
            for answer in report.answers
            if answer.kind == KIND
            for info in files_in(answer.value)
        ]
        if not wanted:
            return ForSealing()
        stored = dict(await self._store.load_attachments(conversation))
        return await asyncio.to_thread(self._open_all, conversation, wanted, stored)

    def _open_all(
        self, conversation: bytes, wanted: Sequence[FileInfo], stored: dict[str, bytes]
    ) -> ForSealing:
        entries: list[dict[str, JSON]] = []
        files: list[bytes] = []
        missing = 0
        for info in wanted:
            data = self._open(conversation, info.id, stored.get(info.id))
            if data is None:
                missing += 1
                continue
            files.append(data)
            entries.append(
                {
                    "id": info.id,
                    "media_type": info.media_type,
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            )
        return ForSealing(entries, files, missing)

    def _open(self, conversation: bytes, file_id: str, blob: bytes | None) -> bytes | None:
        """A stored file's bytes; None (logged) if it is gone or fails authentication."""
        if blob is None:
            log.error("seal_file_missing")
            return None
        try:
            return self._keys.open_at_rest(blob, bound_to(conversation, file_id))
        except TamperedError:
            log.exception("seal_file_tampered")
            return None


def _clean_all(
    checked: Sequence[media.Checked], limits: media.Limits
) -> list[media.Cleaned | Rejected]:
    return [media.clean(c, limits) for c in checked]
