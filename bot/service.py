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
from bot.followup import (
    COME_BACK,
    IN_PROGRESS,
    NOT_A_CODE,
    Opened,
    ReceiptCheck,
    Refused,
)
from bot.messages import Inbound, Outbound
from bot.registry import DialogRegistry
from bot.review.demo import sealing_keys
from bot.serverkeys import ServerKeys
from bot.settings import Settings
from dialogs import Dialog, Draft, Rejected, Reply, Report, TurnResult
from dialogs.attachments import FileInfo
from dialogs.commands import RECEIPT_WORDS, asks_for_receipt, command_in
from dialogs.commands import word as command_word
from handoff.envelope import seal
from handoff.receipts import new_receipt, new_reference, normalize_receipt, receipt_hash
from handoff.thread import seal_message
from locales import N_, fill, negotiate, text_direction, translator
from locales.errors import ConflictError, SealError
from store import SealedReport, Store, ThreadAddition, TurnCommit

log = logging.getLogger("tipline.turn")

RECEIPT_STEP = "receipt"  # the follow-up script's first question (dialogs/scripts/followup.yaml)

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
        self._receipts = ReceiptCheck(store, keys, settings)
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

        old_dialog = (
            None
            if draft is None
            else await self._dialogs.get(draft.script_id, draft.script_version)
        )
        dialog, result, taken, opened = await self._step(
            conversation, draft, old_dialog, inbound, now
        )
        followup = self._dialogs.followup

        sealed: SealedReport | None = None
        addition: ThreadAddition | None = None
        reference: str | None = None
        finished = result.report
        if result.outcome == "confirmed" and finished is not None:
            if finished.script_id == followup.script.id:
                result, addition = await self._add(
                    dialog, draft, result, finished=finished, conversation=conversation, now=now
                )
            else:
                result, sealed, reference = await self._confirmed(
                    dialog, draft, result, finished=finished, conversation=conversation, now=now
                )

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
        elif opened is not None:
            # The review team's messages, opened with the secret code, are never stored.
            kept = replace(outbound, replies=tuple(r for r in outbound.replies if not r.sensitive))
        added, removed = await self._evidence.changes(
            conversation,
            () if draft is None or old_dialog is None else old_dialog.files(draft),
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
                addition=addition,
            ),
            now,
        )
        # No reference: a log line's time would tie the report to when it was sent.
        log.info("turn", extra={"outcome": result.outcome, "replies": len(result.replies)})
        return outbound

    async def _step(
        self,
        conversation: bytes,
        draft: Draft | None,
        old_dialog: Dialog | None,
        inbound: Inbound,
        now: datetime,
    ) -> tuple[Dialog, TurnResult, Sequence[media.Cleaned], Opened | None]:
        """The dialog's turn: a new conversation, a follow-up begun, a secret code checked,
        files taken, or a message answered."""
        taken: Sequence[media.Cleaned] = ()
        opened: Opened | None = None
        followup = self._dialogs.followup
        text = inbound.text
        wants_receipt = (
            text is not None
            and not inbound.attachments
            and asks_for_receipt(text, self._receipts.translators)
        )
        if wants_receipt and (
            draft is None or not draft.answers or draft.script_id == followup.script.id
        ):
            # Coming back with a secret code: nothing of a report is lost by starting over.
            dialog = followup
            default = self._settings.default_locale
            locale = draft.locale if draft else negotiate(inbound.locale_hint, default)
            result = dialog.start(locale, now)
        elif draft is None or old_dialog is None:
            dialog = self._dialogs.current
            locale = negotiate(inbound.locale_hint, self._settings.default_locale)
            # Whatever opened the chat, a new conversation begins with the welcome.
            result = dialog.start(locale, now)
        else:
            dialog = old_dialog
            if wants_receipt:  # a report in progress: it is not thrown away for a code
                words = {"cancel": command_word(translator(draft.locale), "cancel")}
                words["receipt"] = translator(draft.locale).gettext(RECEIPT_WORDS[0])
                busy = self._receipts.say(draft.locale, IN_PROGRESS, **words)
                result = dialog.resume(draft, now)
                result = replace(result, replies=(busy, *result.replies))
            elif self._at_receipt(dialog, draft, inbound):
                result, opened = await self._receipt_turn(conversation, dialog, draft, now, text)
            elif inbound.attachments:
                result, taken = await self._files_turn(dialog, draft, inbound, now)
            elif text is None:
                result = dialog.resume(draft, now)
            else:
                result = dialog.handle(draft, text, now)
        return dialog, result, taken, opened

    async def _confirmed(
        self,
        dialog: Dialog,
        draft: Draft | None,
        result: TurnResult,
        *,
        finished: Report,
        conversation: bytes,
        now: datetime,
    ) -> tuple[TurnResult, SealedReport | None, str | None]:
        """A confirmed report: sealed, with the closing; or, if it cannot be, kept and said."""
        sealing = await self._seal(finished, conversation, now)
        if sealing is None:
            # Nobody could read it: keep the draft as it was (at the read-back) and say so.
            return TurnResult(draft=draft, replies=(self._sorry(finished.locale),)), None, None
        sealed, receipt = sealing
        closing = dialog.closing(finished.locale, sealed.reference, receipt)
        come_back = self._receipts.say(
            finished.locale,
            COME_BACK,
            receipt=translator(finished.locale).gettext(RECEIPT_WORDS[0]),
            days=self._receipts.days(),
        )
        # One closing message (channels draw its reference and code as the ending): how to
        # come back goes in before its last line, the emergency number.
        lines = closing.text.split("\n")
        lines.insert(max(len(lines) - 1, 1), come_back.text)
        replies = (*result.replies, replace(closing, text="\n".join(lines)))
        return TurnResult(None, replies, "confirmed", finished), sealed, sealed.reference

    async def _add(
        self,
        dialog: Dialog,
        draft: Draft | None,
        result: TurnResult,
        *,
        finished: Report,
        conversation: bytes,
        now: datetime,
    ) -> tuple[TurnResult, ThreadAddition | None]:
        """A confirmed follow-up: what the reporter added, sealed to the reviewers and joined
        to the case's thread; or, if it cannot be, kept and said."""
        answers = {a.step: a.value for a in finished.answers}
        reference = str(answers.get("receipt", ""))
        more = answers.get("more")
        evidence = await self._evidence.for_sealing(conversation, finished)
        recipients = sealing_keys(await self._store.reviewer_keys(), self._settings)
        files = [
            (data, str(entry["media_type"]))
            for data, entry in zip(evidence.files, evidence.entries, strict=True)
        ]
        written_at = now.replace(second=0, microsecond=0)
        sealing = functools.partial(
            seal_message,
            more if isinstance(more, str) else "",
            recipients,
            reference=reference,
            direction="from_reporter",
            written_at=written_at,
            files=files,
        )
        try:
            envelope = await asyncio.to_thread(sealing)
        except SealError:
            log.exception("followup_seal_failed")
            return TurnResult(draft=draft, replies=(self._sorry(finished.locale),)), None
        closing = dialog.closing(finished.locale, reference, "")
        result = TurnResult(None, (*result.replies, closing), "confirmed", finished)
        return result, ThreadAddition(reference, envelope, written_at)

    def _sorry(self, locale: str) -> Reply:
        tr = translator(locale, self._settings.default_locale)
        return Reply(tr.gettext(_NO_REVIEWERS), direction=text_direction(locale))

    def _at_receipt(self, dialog: Dialog, draft: Draft, inbound: Inbound) -> bool:
        """Whether this message is a secret code to check: text at the follow-up's first
        question, nothing pending, and not a command (help, cancel, language …)."""
        text = inbound.text
        if (
            text is None
            or inbound.attachments
            or draft.pending is not None
            or dialog is not self._dialogs.followup
            or draft.state != RECEIPT_STEP
        ):
            return False
        tr = translator(draft.locale, self._settings.default_locale)
        return command_in(text, tr, draft.locale) is None

    async def _receipt_turn(
        self, conversation: bytes, dialog: Dialog, draft: Draft, now: datetime, text: str | None
    ) -> tuple[TurnResult, Opened | None]:
        """The code is checked here and never reaches the draft: on a match the step's answer
        is the case's reference."""
        digits = normalize_receipt(text or "")
        again = dialog.resume(draft, now)
        if digits is None:
            sorry = self._receipts.say(draft.locale, NOT_A_CODE)
            return replace(again, replies=(sorry, *again.replies)), None
        checked = await self._receipts.check(conversation, digits, draft.locale, now)
        if isinstance(checked, Refused):
            return replace(again, replies=(*checked.replies, *again.replies)), None
        result = dialog.handle(draft, checked.case.reference, now)
        return replace(result, replies=(*checked.replies, *result.replies)), checked

    async def _files_turn(
        self, dialog: Dialog, draft: Draft, inbound: Inbound, now: datetime
    ) -> tuple[TurnResult, Sequence[media.Cleaned]]:
        """A message with files: the files kept (at an attachment question), then the turn."""
        text = inbound.text or ""
        if not dialog.accepts_files(draft):
            # Not at a file question: the engine says where files go; nothing is kept.
            unused = [FileInfo("", a.media_type, len(a.data)) for a in inbound.attachments]
            return dialog.handle(draft, text, now, unused), ()
        taken = await self._evidence.take(inbound.attachments, dialog.files(draft))
        if taken.files:
            result = dialog.handle(draft, text, now, [c.info for c in taken.files])
        else:
            result = dialog.resume(draft, now)
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
        # Only the public half is kept: the reviewers' messages are sealed to it.
        reporter = await asyncio.to_thread(self._receipts.reporter_key, receipt)
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
            reporter_public=reporter.public.to_bytes(),
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
