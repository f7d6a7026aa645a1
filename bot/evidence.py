"""The conversation service's evidence-file half: take files in, keep them sealed, hand them on.

One turn with files: each file is checked (size, real type) and, only if the
reporter is at an attachment question, cleaned in a worker thread (bot/media.py)
and held to the per-report limits; the engine then sees metadata only. The
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
from datetime import datetime
from typing import Any

from bot import media
from bot.messages import Inbound
from bot.serverkeys import ServerKeys
from dialogs import Dialog, Draft, Rejected, TurnResult
from dialogs.attachments import KIND, FileInfo, files_in
from locales.errors import TamperedError
from store import Store

log = logging.getLogger("tipline.evidence")


def bound_to(conversation: bytes, file_id: str) -> bytes:
    """What a stored file's ciphertext is bound to: its conversation and its own id."""
    return conversation + b"\0file\0" + file_id.encode()


@dataclass(frozen=True, slots=True)
class FileTurn:
    """A turn with files: the engine's result, the files taken, and why others were not."""

    result: TurnResult
    taken: Sequence[media.Cleaned] = ()
    refused: Sequence[Rejected] = ()


@dataclass(frozen=True, slots=True)
class ForSealing:
    """The files a report refers to, ready to seal: report entries and bytes, in order."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    files: list[bytes] = field(default_factory=list)
    missing: int = 0


class EvidenceFiles:
    """Checks, cleans, stores and loads a conversation's evidence files."""

    def __init__(self, store: Store, keys: ServerKeys, limits: media.Limits) -> None:
        self._store = store
        self._keys = keys
        self.limits = limits

    async def turn(self, dialog: Dialog, draft: Draft, inbound: Inbound, now: datetime) -> FileTurn:
        """Run a turn whose message carries files."""
        text = inbound.text or ""
        if not dialog.accepts_files(draft):
            # Not at a file question: the engine says where files go; nothing is kept.
            unused = [FileInfo("", a.media_type, len(a.data)) for a in inbound.attachments]
            return FileTurn(dialog.handle(draft, text, now, unused))
        refused: list[Rejected] = []
        checked: list[media.Checked] = []
        for attachment in inbound.attachments:
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
        taken, over = media.within_report(dialog.files(draft), cleaned, self.limits)
        refused += over
        log.info("files_received", extra={"taken": len(taken), "refused": len(refused)})
        if not taken:
            return FileTurn(dialog.resume(draft, now), (), refused)
        result = dialog.handle(draft, text, now, [c.info for c in taken])
        return FileTurn(result, taken, refused)

    async def changes(
        self,
        conversation: bytes,
        dialog: Dialog,
        before: Draft | None,
        after: Draft | None,
        taken: Sequence[media.Cleaned],
    ) -> tuple[tuple[tuple[str, bytes], ...], tuple[str, ...]]:
        """What to store and delete so the stored files are exactly those `after` refers to."""
        if after is None:
            return (), ()  # an ended draft: the store deletes every file with it
        keep = {f.id for f in dialog.files(after)}
        had = set() if before is None else {f.id for f in dialog.files(before)}
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

    async def for_sealing(self, conversation: bytes, report: dict[str, Any]) -> ForSealing:
        """The stored files `report`'s attachment answers list, decrypted, in answer order."""
        wanted = [
            info
            for answer in report.get("answers", ())
            if answer.get("kind") == KIND
            for info in files_in(answer.get("value"))
        ]
        if not wanted:
            return ForSealing()
        stored = dict(await self._store.load_attachments(conversation))
        return await asyncio.to_thread(self._open_all, conversation, wanted, stored)

    def _open_all(
        self, conversation: bytes, wanted: Sequence[FileInfo], stored: dict[str, bytes]
    ) -> ForSealing:
        entries: list[dict[str, Any]] = []
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
