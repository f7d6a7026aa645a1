"""The conversation service: one turn, end to end, as one transaction.

1. dedupe: (channel, chat, platform message id) seen? → the stored reply again
2. serialise: one turn at a time per conversation (in this process; the
   draft's version number catches other workers)
3. load the draft and decrypt it
4. the dialog parses the answer and steps
5. on confirm: seal the report to the reviewer keys registered now
6. commit draft + ledger (+ sealed report + audit) in ONE transaction
7. return the replies for the channel to send
"""

from __future__ import annotations

import asyncio
import functools
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from bot import media, replies
from bot.evidence import EvidenceFiles
from bot.messages import Inbound, Outbound
from bot.registry import DialogRegistry
from bot.review.demo import sealing_keys
from bot.serverkeys import ServerKeys
from bot.settings import Settings
from dialogs import Dialog, Draft, Rejected, Reply, Report, TurnResult
from dialogs.attachments import FileInfo
from handoff.envelope import seal
from handoff.receipts import new_receipt, new_reference, receipt_hash
from locales import N_, fill, negotiate, text_direction, translator
from locales.errors import ConflictError, SealError
from store import SealedReport, Store, TurnCommit

log = logging.getLogger("tipline.turn")

_RETRIES = 5
_NO_REVIEWERS = N_(
    "Sorry, Tipline cannot accept reports right now. Your answers are kept for now. "
    "Please try again later by sending confirm."
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Conversations:
    """Takes inbound messages and returns the bot's replies; owns no platform."""

    def __init__(
        self,
        store: Store,
        dialogs: DialogRegistry,
        keys: ServerKeys,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._dialogs = dialogs
        self._keys = keys
        self._settings = settings
        self._clock = clock
        self._evidence = EvidenceFiles(
            store, keys, media.Limits.for_upload_limit(settings.max_upload_bytes)
        )
        self._locks: dict[bytes, asyncio.Lock] = {}
        self._waiting: dict[bytes, int] = {}

    async def __call__(self, inbound: Inbound) -> Outbound:
        """The service is a `TurnHandler`: what every channel is given."""
        return await self.handle(inbound)

    async def handle(self, inbound: Inbound) -> Outbound:
        """Take one turn for `inbound`; safe to call again with a redelivered message."""
        conversation = self._keys.conversation_id(inbound.channel, inbound.chat)
        async with self._turn_lock(conversation):
            for _attempt in range(_RETRIES):
                try:
                    return await self._turn(conversation, inbound)
                except ConflictError:
                    log.info("turn_conflict_retry")
            raise ConflictError("the conversation kept changing under this turn")

    async def _turn(self, conversation: bytes, inbound: Inbound) -> Outbound:
        now = self._clock()
        message_id = inbound.message_id or f"local-{uuid.uuid4()}"
        ledger_key = self._keys.ledger_key(inbound.channel, inbound.chat, message_id)
        start = await self._store.begin_turn(conversation, ledger_key, now)
        if start.ledger_reply is not None:
            log.info("turn_redelivered")
            return replies.decode(self._keys.open_at_rest(start.ledger_reply, ledger_key))

        draft: Draft | None = None
        version = 0
        if start.draft is not None:
            draft = Draft.from_json(self._keys.open_at_rest(start.draft.blob, conversation))
            version = start.draft.version

        taken: Sequence[media.Cleaned] = ()
        if draft is None:
            dialog = self._dialogs.current
            locale = negotiate(inbound.locale_hint, self._settings.default_locale)
            # Whatever opened the chat, a new conversation begins with the welcome.
            result = dialog.start(locale, now, inbound.controls)
        else:
            dialog = await self._dialogs.get(draft.script_id, draft.script_version)
            if inbound.attachments:
                result, taken = await self._files_turn(dialog, draft, inbound, now)
            elif inbound.text is None:
                result = dialog.resume(draft, now, inbound.controls)
            else:
                result = dialog.handle(draft, inbound.text, now, controls=inbound.controls)

        sealed: SealedReport | None = None
        reference: str | None = None
        finished = result.report
        if result.outcome == "confirmed" and finished is not None:
            sealing = await self._seal(finished, conversation, now)
            if sealing is None:
                # Nobody could read it: keep the draft as it was (at the read-back) and say so.
                tr = translator(finished.locale, self._settings.default_locale)
                sorry = Reply(tr.gettext(_NO_REVIEWERS), direction=text_direction(finished.locale))
                result = TurnResult(draft=draft, replies=(sorry,))
            else:
                sealed, receipt = sealing
                reference = sealed.reference
                closing = dialog.closing(finished.locale, reference, receipt)
                result = TurnResult(None, (*result.replies, closing), "confirmed", finished)

        outbound = Outbound(
            replies=result.replies,
            ended=result.draft is None,
            reference=reference,
            started=draft is None,
        )
        new_draft = result.draft
        # Sealed, deleted or started again: the replies stored so far go with the draft,
        # and the ending keeps only a reply with nothing the reporter wrote in it.
        restarted = (
            draft is not None and new_draft is not None and bool(draft.answers)
        ) and not new_draft.answers
        kept = outbound
        if new_draft is None:
            locale = finished.locale if finished is not None else draft.locale if draft else ""
            default = self._settings.default_locale
            kept = replies.kept_after_the_end(outbound, reference, locale or default, default)
        added, removed = await self._evidence.changes(
            conversation,
            () if draft is None else dialog.files(draft),
            None if new_draft is None else dialog.files(new_draft),
            taken,
        )
        await self._store.commit_turn(
            TurnCommit(
                conversation=conversation,
                expected_version=version,
                draft=None
                if new_draft is None
                else self._keys.seal_at_rest(new_draft.to_json(), conversation),
                expires_at=None if new_draft is None else now + self._settings.draft_ttl,
                ledger_key=ledger_key,
                ledger_reply=self._keys.seal_at_rest(replies.encode(kept), ledger_key),
                ledger_expires_at=now + self._settings.ledger_ttl,
                sealed=sealed,
                audit_event="seal" if sealed is not None else None,
                attachments_added=added,
                attachments_removed=removed,
                forget_replies=new_draft is None or restarted,
            ),
            now,
        )
        # No reference: a log line's time would tie the report to when it was sent.
        log.info("turn", extra={"outcome": result.outcome, "replies": len(result.replies)})
        return outbound

    async def _files_turn(
        self, dialog: Dialog, draft: Draft, inbound: Inbound, now: datetime
    ) -> tuple[TurnResult, Sequence[media.Cleaned]]:
        """A message with files: the files kept (at an attachment question), then the turn."""
        text = inbound.text or ""
        if not dialog.accepts_files(draft):
            # Not at a file question: the engine says where files go; nothing is kept.
            unused = [FileInfo("", a.media_type, len(a.data)) for a in inbound.attachments]
            return dialog.handle(draft, text, now, unused, inbound.controls), ()
        taken = await self._evidence.take(inbound.attachments, dialog.files(draft))
        if taken.files:
            files = [c.info for c in taken.files]
            result = dialog.handle(draft, text, now, files, inbound.controls)
        else:
            result = dialog.resume(draft, now, inbound.controls)
        refusals = self._refusals(draft.locale, taken.refused)
        return replace(result, replies=(*refusals, *result.replies)), taken.files

    def _refusals(self, locale: str, refused: Sequence[Rejected]) -> list[Reply]:
        """Why files were not taken, in the reporter's language, each reason once."""
        tr = translator(locale, self._settings.default_locale)
        texts: list[str] = []
        for rejected in refused:
            text = fill(tr.gettext(rejected.message), rejected.message, **rejected.params)
            if text not in texts:
                texts.append(text)
        return [Reply(text, direction=text_direction(locale)) for text in texts]

    async def _seal(
        self, finished: Report, conversation: bytes, now: datetime
    ) -> tuple[SealedReport, str] | None:
        recipients = sealing_keys(await self._store.reviewer_keys(), self._settings)
        if not recipients:
            log.error("seal_refused_no_reviewer_keys")
            return None
        reference = new_reference()
        receipt = new_receipt()
        # The slow keyed hash (~4 ms of scrypt, handoff/receipts.py) runs off the event loop, so
        # the other conversations' turns go on meanwhile; at ~6 reports a day that is enough.
        digest = await asyncio.to_thread(receipt_hash, receipt, self._keys.receipt)
        evidence = await self._evidence.for_sealing(conversation, finished)
        priority = 1 if finished.urgent else 0
        # Reviewers need the day for their deadlines; the hour is kept, nothing finer, so
        # the stored time cannot be matched to a log line, a platform's records or a visit.
        sealed_at = now.replace(minute=0, second=0, microsecond=0)
        sealing = functools.partial(
            seal,
            finished.sealed_json(reference, evidence.entries, evidence.missing),
            recipients,
            reference=reference,
            script_id=finished.script_id,
            script_version=finished.script_version,
            priority=priority,
            sealed_at=sealed_at,
            files=evidence.files,
        )
        try:
            # Megabytes of files are encrypted off the event loop; a plain report is quick.
            envelope = await asyncio.to_thread(sealing) if evidence.files else sealing()
        except SealError:
            log.exception("seal_failed")
            return None
        sealed = SealedReport(
            reference=reference,
            envelope=envelope,
            priority=priority,
            sealed_at=sealed_at,
            receipt_hash=digest,
            script_id=finished.script_id,
            script_version=finished.script_version,
            recipients=tuple(k.key_id for k in recipients),
            evidence_count=len(evidence.files),
        )
        return sealed, receipt

    def _turn_lock(self, conversation: bytes) -> _KeyedLock:
        return _KeyedLock(self, conversation)


class _KeyedLock:
    """An asyncio lock per conversation that is dropped when nobody waits on it."""

    def __init__(self, owner: Conversations, key: bytes) -> None:
        self._owner = owner
        self._key = key

    async def __aenter__(self) -> None:
        owner = self._owner
        lock = owner._locks.get(self._key)
        if lock is None:
            lock = owner._locks[self._key] = asyncio.Lock()
        owner._waiting[self._key] = owner._waiting.get(self._key, 0) + 1
        await lock.acquire()

    async def __aexit__(self, *exc: object) -> None:
        owner = self._owner
        owner._locks[self._key].release()
        left = owner._waiting[self._key] - 1
        if left:
            owner._waiting[self._key] = left
        else:
            del owner._waiting[self._key]
            del owner._locks[self._key]
