"""The conversation service: one turn, end to end, as one transaction.

1. dedupe: (channel, chat, platform message id) seen? → the stored reply again
2. serialise: one turn at a time per conversation (in this process; the
   draft's version number catches other workers)
3. load the draft and decrypt it
4. the dialog parses the answer and steps
5. on confirm: seal the report to the reviewer keys registered now
6. commit draft + ledger (+ sealed report + audit) in ONE transaction
7. return the replies for the channel to send

The closing (reference and receipt) is marked unseen when its report is sealed,
until the channel says it showed it (`delivered`). A conversation whose closing
was lost to a crash gets it again on its next message, before anything else,
with a new receipt: none is ever stored, so the old one cannot be shown again,
and its hash is replaced so that only the receipt shown works.
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
from bot.capacity import Capacity, FreeSpace, disk_free
from bot.evidence import EvidenceFiles
from bot.followup import (
    COME_BACK,
    NOT_A_CODE,
    Opened,
    ReceiptCheck,
    Refused,
    in_progress,
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
from locales.errors import ConflictError, SealError, StoreError
from store import (
    DraftRow,
    Reissue,
    SealedReport,
    Store,
    ThreadAddition,
    TurnCommit,
    TurnStart,
    UnseenClosing,
)

log = logging.getLogger("tipline.turn")

RECEIPT_STEP = "receipt"  # the follow-up script's first question (dialogs/scripts/followup.yaml)

_RETRIES = 5
_NO_REVIEWERS = N_(
    "Sorry, Tipline cannot accept reports right now. Your answers are kept for now. "
    "Please try again later by sending confirm."
)
_REISSUED = N_(
    "Your report {reference} was sent. We cannot be sure you saw its secret code, "
    "so here is a new one. If you were shown a code for it before, that code no longer works."
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
        free_space: FreeSpace = disk_free,
    ) -> None:
        self._store = store
        self._dialogs = dialogs
        self._keys = keys
        self._settings = settings
        self._clock = clock
        self._evidence = EvidenceFiles(
            store, keys, media.Limits.for_upload_limit(settings.max_upload_bytes)
        )
        self._capacity = Capacity(store, settings, free_space)
        self._receipts = ReceiptCheck(store, keys, settings)
        self._locks: dict[bytes, asyncio.Lock] = {}
        self._waiting: dict[bytes, int] = {}

    async def __call__(self, inbound: Inbound) -> Outbound:
        """The service is a `TurnHandler`: what every channel is given."""
        return await self.handle(inbound)

    async def delivered(self, channel: str, chat: str, outbound: Outbound) -> None:
        """The channel showed `outbound` to the reporter (sent, printed, served).

        A closing so shown is seen: its mark goes, and no new receipt will replace
        the one shown. If the mark cannot be dropped, it stays: the next message
        brings a new receipt, and says the old one stopped working.
        """
        if outbound.reference is None:
            return
        conversation = self._keys.conversation_id(channel, chat)
        try:
            await self._store.closing_seen(conversation, outbound.reference)
        except StoreError:
            log.warning("closing_seen_failed")

    async def handle(self, inbound: Inbound) -> Outbound:
        """Take one turn for `inbound`; safe to call again with a redelivered message."""
        conversation = self._keys.conversation_id(inbound.channel, inbound.chat)
        size = sum(len(a.data) for a in inbound.attachments)
        async with self._turn_lock(conversation), self._capacity.upload(size) as full:
            for _attempt in range(_RETRIES):
                try:
                    return await self._turn(conversation, inbound, full)
                except ConflictError:
                    log.info("turn_conflict_retry")
            raise ConflictError("the conversation kept changing under this turn")

    async def _turn(self, conversation: bytes, inbound: Inbound, full: str | None) -> Outbound:
        """One attempt at the turn; `full` says why files cannot be stored now (or None)."""
        now = self._clock()
        message_id = inbound.message_id or f"local-{uuid.uuid4()}"
        ledger_key = self._keys.ledger_key(inbound.channel, inbound.chat, message_id)
        start = await self._store.begin_turn(conversation, ledger_key, now)
        answered = await self._answered(conversation, start, ledger_key, now)
        if answered is not None:
            return answered

        draft = self._opened(start.draft, conversation)
        version = 0 if start.draft is None else start.draft.version

        # Opening the chat without an answer stores nothing: a page view shows the welcome
        # (no draft until the first answer), and coming back asks the same question again.
        # Only Telegram's /start with no draft yet (a message the reporter sent) begins one.
        looking = (inbound.text is None and not inbound.attachments) and (
            draft is not None or not inbound.message_id
        )
        if draft is None and not looking:
            locale = negotiate(inbound.locale_hint, self._settings.default_locale)
            if (busy := await self._busy(locale)) is not None:
                return busy
        old_dialog = (
            None
            if draft is None
            else await self._dialogs.get(draft.script_id, draft.script_version)
        )
        dialog, result, taken, opened = await self._step(
            conversation, draft, old_dialog, inbound, now, full=full
        )
        if looking:  # a flood of page views or of /start fills no table
            return Outbound(
                replies=result.replies,
                started=draft is None,
                locale=_locale_of(result.draft, draft),
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

        new_draft = result.draft
        outbound = Outbound(
            replies=result.replies,
            ended=result.draft is None,
            reference=reference,
            started=draft is None,
            locale=_locale_of(new_draft, finished, draft),
        )
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
                # Unseen until the channel says it showed the closing (`delivered`).
                unseen=None
                if sealed is None or finished is None
                else UnseenClosing(
                    sealed.reference, finished.locale, now + self._settings.ledger_ttl
                ),
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

    async def _answered(
        self, conversation: bytes, start: TurnStart, ledger_key: bytes, now: datetime
    ) -> Outbound | None:
        """A turn answered before the dialog: the closing nobody saw, or a stored reply."""
        if start.unseen is not None:
            # Before anything else, even a redelivered message: the closing nobody saw.
            return await self._reissue(conversation, start, start.unseen, ledger_key, now)
        if start.ledger_reply is not None:
            log.info("turn_redelivered")
            return replies.decode(self._keys.open_at_rest(start.ledger_reply, ledger_key))
        return None

    async def _reissue(
        self,
        conversation: bytes,
        start: TurnStart,
        unseen: UnseenClosing,
        ledger_key: bytes,
        now: datetime,
    ) -> Outbound:
        """The closing again, with a new receipt whose hash replaces the old one."""
        receipt = new_receipt()
        digest = await asyncio.to_thread(receipt_hash, receipt, self._keys.receipt)
        # The reviewers' messages are sealed to the key of the receipt shown now.
        reporter = await asyncio.to_thread(self._receipts.reporter_key, receipt)
        locale, default, reference = unseen.locale, self._settings.default_locale, unseen.reference
        said = fill(translator(locale, default).gettext(_REISSUED), _REISSUED, reference=reference)
        closing = self._closing(self._dialogs.current, locale, reference, receipt)
        told = Reply(said, direction=text_direction(locale))
        outbound = Outbound(replies=(told, closing), ended=True, reference=reference, locale=locale)
        kept = replies.kept_after_the_end(outbound, reference, locale, default)
        draft = start.draft  # none after sealing; if another turn made one, it is kept as it is
        await self._store.commit_turn(
            TurnCommit(
                conversation=conversation,
                expected_version=0 if draft is None else draft.version,
                draft=None if draft is None else draft.blob,
                expires_at=None if draft is None else draft.expires_at,
                # A redelivered message keeps the reply it has ("your report … was sent").
                ledger_key=None if start.ledger_reply is not None else ledger_key,
                ledger_reply=self._keys.seal_at_rest(replies.encode(kept), ledger_key),
                ledger_expires_at=now + self._settings.ledger_ttl,
                reissue=Reissue(unseen, digest, reporter.public.to_bytes()),
            ),
            now,
        )
        log.info("receipt_reissued")
        return outbound

    async def _busy(self, locale: str) -> Outbound | None:
        """Whether a new draft may be stored now; if not, the refusal (nothing is stored)."""
        refusal = await self._capacity.new_draft()
        if refusal is None:
            return None
        tr = translator(locale, self._settings.default_locale)
        sorry = Reply(tr.gettext(refusal), direction=text_direction(locale))
        return Outbound((sorry,), refused=True, locale=locale)

    def _opened(self, row: DraftRow | None, conversation: bytes) -> Draft | None:
        if row is None:
            return None
        return Draft.from_json(self._keys.open_at_rest(row.blob, conversation))

    async def _step(
        self,
        conversation: bytes,
        draft: Draft | None,
        old_dialog: Dialog | None,
        inbound: Inbound,
        now: datetime,
        *,
        full: str | None,
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
            result = dialog.start(locale, now, inbound.controls)
        elif draft is None or old_dialog is None:
            dialog = self._dialogs.current
            locale = negotiate(inbound.locale_hint, self._settings.default_locale)
            # Whatever opened the chat, a new conversation begins with the welcome.
            result = dialog.start(locale, now, inbound.controls)
        else:
            dialog = old_dialog
            if wants_receipt:  # a report in progress: it is not thrown away for a code
                words = {"cancel": command_word(translator(draft.locale), "cancel")}
                words["receipt"] = translator(draft.locale).gettext(RECEIPT_WORDS[0])
                busy = self._receipts.say(draft.locale, in_progress(inbound.controls), **words)
                result = dialog.resume(draft, now, inbound.controls)
                result = replace(result, replies=(busy, *result.replies))
            elif self._at_receipt(dialog, draft, inbound):
                result, opened = await self._receipt_turn(conversation, dialog, draft, now, inbound)
            elif inbound.attachments:
                result, taken = await self._files_turn(dialog, draft, inbound, now, full)
            elif text is None:
                result = dialog.resume(draft, now, inbound.controls)
            else:
                result = dialog.handle(draft, text, now, controls=inbound.controls)
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
        closing = self._closing(dialog, finished.locale, sealed.reference, receipt)
        replies = (*result.replies, closing)
        return TurnResult(None, replies, "confirmed", finished), sealed, sealed.reference

    def _closing(self, dialog: Dialog, locale: str, reference: str, receipt: str) -> Reply:
        """The script's closing with how to come back with the receipt."""
        closing = dialog.closing(locale, reference, receipt)
        come_back = self._receipts.say(
            locale,
            COME_BACK,
            receipt=translator(locale).gettext(RECEIPT_WORDS[0]),
            days=self._receipts.days(),
        )
        # One closing message (channels draw its reference and code as the ending): how to
        # come back goes in before its last line, the emergency number.
        lines = closing.text.split("\n")
        lines.insert(max(len(lines) - 1, 1), come_back.text)
        return replace(closing, text="\n".join(lines))

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
        self, conversation: bytes, dialog: Dialog, draft: Draft, now: datetime, inbound: Inbound
    ) -> tuple[TurnResult, Opened | None]:
        """The code is checked here and never reaches the draft: on a match the step's answer
        is the case's reference."""
        digits = normalize_receipt(inbound.text or "")
        again = dialog.resume(draft, now, inbound.controls)
        if digits is None:
            sorry = self._receipts.say(draft.locale, NOT_A_CODE)
            return replace(again, replies=(sorry, *again.replies)), None
        checked = await self._receipts.check(conversation, digits, draft.locale, now)
        if isinstance(checked, Refused):
            return replace(again, replies=(*checked.replies, *again.replies)), None
        result = dialog.handle(draft, checked.case.reference, now, controls=inbound.controls)
        return replace(result, replies=(*checked.replies, *result.replies)), checked

    async def _files_turn(
        self, dialog: Dialog, draft: Draft, inbound: Inbound, now: datetime, full: str | None
    ) -> tuple[TurnResult, Sequence[media.Cleaned]]:
        """A message with files: the files kept (at an attachment question), then the turn."""
        text = inbound.text or ""
        if not dialog.accepts_files(draft):
            # Not at a file question: the engine says where files go; nothing is kept.
            unused = [FileInfo("", a.media_type, len(a.data)) for a in inbound.attachments]
            return dialog.handle(draft, text, now, unused, inbound.controls), ()
        if full is not None:
            # Storage is full: nothing is taken; the draft and its answers stay as they were.
            result = dialog.resume(draft, now, inbound.controls)
            sorry = self._refusals(draft.locale, [Rejected(full)])
            return replace(result, replies=(*sorry, *result.replies)), ()
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


def _locale_of(*conversations: Draft | Report | None) -> str | None:
    """The language the conversation is in now: that of the first one given."""
    latest = next((c for c in conversations if c is not None), None)
    return latest.locale if latest is not None else None
