"""Coming back with a secret code (a receipt): the check, its limits, and what is shown.

A reporter types `receipt` and then the 16-digit code. The code is checked by
its slow keyed hash (`handoff.receipts`, ~4 ms) against the cases whose receipt
is still alive (used, or sealed, within `TIPLINE_RECEIPT_TTL_DAYS`). Guessing is
limited twice over, and every wrong code is audited without content:

- per conversation: 3 wrong codes free, then a wait that doubles from 30 s;
  10 wrong codes in a day lock the conversation out for the rest of that day;
- for everyone together: 20 wrong codes in an hour is a burst reviewers are
  told of (`bot.review.notify`); 200 stop every check until the hour is over.
  The second limit lets a flood of guesses block honest reporters for up to an
  hour: the price of making 10**16 codes hopeless to walk through from many
  chats (at 200 an hour, one guess in 10**16 takes ~5 × 10**12 years).

On a match the reporter key is derived from the code (~0.2 s, off the event
loop), each of the review team's messages is opened with it and shown, newest
last, and the key and the code are forgotten: neither is ever stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from babel.dates import format_date

from bot.serverkeys import ServerKeys
from bot.settings import Settings
from dialogs import Controls, Reply
from handoff.receipts import receipt_hash
from handoff.reporter import ReporterKey, reporter_key
from handoff.thread import open_message
from locales import LANGUAGES, N_, Translator, fill, text_direction, translator
from locales.errors import SealError, TamperedError
from store import FollowupCase, ReceiptAttempts, Store, ThreadMessage

__all__ = ["EVERYONE", "Limits", "Opened", "ReceiptCheck", "Refused", "in_progress", "wait_for"]

log = logging.getLogger("tipline.followup")

EVERYONE = b""  # the scope counting every conversation's wrong codes together

NOT_A_CODE = N_(
    "That is not a secret code. A secret code has 16 numbers, like 1234 5678 9012 3456."
)
WRONG_CODE = N_(
    "That secret code does not open a report. Please check the numbers and try again. "
    "A code stops working {days} days after it was last used."
)
PLEASE_WAIT = N_(
    "Too many wrong secret codes were tried. "
    "Please wait {minutes} minutes, then type your secret code again."
)
IN_PROGRESS = N_(
    "You have a report that is not sent yet. Send it first, or type {cancel} to delete it. "
    "Then type {receipt} to use your secret code."
)
# The web chat has buttons for these, and the secret code button is on a fresh page only.
IN_PROGRESS_BUTTONS = N_(
    "You have a report that is not sent yet. Send it first, or press “Delete my answers” "
    "under “More options” to delete it. Then press “Clear the screen and start again”, "
    "and then “I have a secret code”."
)
COME_BACK = N_(
    "To read messages from the review team or to add information, type {receipt} here "
    "or on our web chat, then your secret code. "
    "The code stops working if you do not use it for {days} days."
)
LASTS = N_("Your secret code keeps working for {days} days after you last use it.")
NO_MESSAGES = N_("The review team has not sent you any messages.")
MESSAGE = N_("Message from the review team, {date}:")
UNREADABLE = N_(
    "A message from the review team could not be opened. You can tell them so in what you add."
)
_RECEIVED = N_("Your report {reference} has arrived. A reviewer has not looked at it yet.")
_LOOKING = N_("A reviewer is looking at your report {reference}.")
_CLOSED = N_("The review team has closed your report {reference}. You can still add information.")
_REFERRED = {
    "psd": N_(
        "The review team has passed your report {reference} to the police force's "
        "professional standards department. They look into what officers do wrong."
    ),
    "iopc": N_(
        "The review team has passed your report {reference} on to the IOPC. "
        "That is the Independent Office for Police Conduct."
    ),
    "other": N_(
        "The review team has passed your report {reference} on to another group. "
        "That group can look into it."
    ),
}


@dataclass(frozen=True, slots=True)
class Limits:
    """How many wrong codes are let through, and how long a reporter then waits."""

    free: int = 3
    first_wait: timedelta = timedelta(seconds=30)
    lockout_after: int = 10
    window: timedelta = timedelta(days=1)
    burst: int = 20
    everyone_lockout: int = 200
    everyone_window: timedelta = timedelta(hours=1)


def wait_for(
    mine: ReceiptAttempts | None, everyone: ReceiptAttempts | None, limits: Limits, now: datetime
) -> timedelta:
    """How long until this conversation may try a code again (zero: now)."""
    waits = [timedelta(0)]
    if mine is not None and mine.first_at > now - limits.window:
        if mine.failures >= limits.lockout_after:
            waits.append(mine.first_at + limits.window - now)
        elif mine.failures >= limits.free:
            doubling = limits.first_wait * 2 ** (mine.failures - limits.free)
            waits.append(mine.last_at + doubling - now)
    if (
        everyone is not None
        and everyone.first_at > now - limits.everyone_window
        and everyone.failures >= limits.everyone_lockout
    ):
        waits.append(everyone.first_at + limits.everyone_window - now)
    return max(waits)


@dataclass(frozen=True, slots=True)
class Opened:
    """A code that matched: the case, and what to show before the next question."""

    case: FollowupCase
    replies: tuple[Reply, ...]


@dataclass(frozen=True, slots=True)
class Refused:
    replies: tuple[Reply, ...]


class ReceiptCheck:
    """Checks typed codes against the store, within the limits, and opens the thread."""

    def __init__(
        self, store: Store, keys: ServerKeys, settings: Settings, limits: Limits | None = None
    ) -> None:
        self._store = store
        self._keys = keys
        self._settings = settings
        self._limits = limits or Limits()
        self._pepper = keys.key("reporter-key")
        self.translators: tuple[Translator, ...] = tuple(translator(c) for c in LANGUAGES)

    def reporter_key(self, receipt: str) -> ReporterKey:
        """The receipt's key pair (slow: call it on a thread)."""
        return reporter_key(receipt, self._pepper, n=self._settings.reporter_kdf_n)

    def say(self, locale: str, msgid: str, **params: str) -> Reply:
        """A sentence of this module in the reporter's language."""
        tr = translator(locale, self._settings.default_locale)
        return Reply(fill(tr.gettext(msgid), msgid, **params), direction=text_direction(locale))

    def days(self) -> str:
        return str(round(self._settings.receipt_ttl / timedelta(days=1)))

    async def check(
        self, conversation: bytes, digits: str, locale: str, now: datetime
    ) -> Opened | Refused:
        """Try `digits` (a normalized receipt) for `conversation`."""
        limits = self._limits
        mine = await self._store.receipt_attempts(conversation)
        everyone = await self._store.receipt_attempts(EVERYONE)
        wait = wait_for(mine, everyone, limits, now)
        if wait > timedelta(0):
            log.info("receipt_wait")
            return Refused((self._wait(locale, wait),))
        digest = await asyncio.to_thread(receipt_hash, digits, self._keys.receipt)
        case = await self._store.followup_case(digest, now - self._settings.receipt_ttl)
        if case is None:
            mine, everyone = await self._store.record_receipt_failure(
                {conversation: limits.window, EVERYONE: limits.everyone_window}, now
            )
            log.warning("receipt_failed")
            if everyone.failures == limits.burst:
                log.warning("receipt_failures_burst")
            replies = [self.say(locale, WRONG_CODE, days=self.days())]
            wait = wait_for(mine, everyone, limits, now)
            if wait > timedelta(0):
                replies.append(self._wait(locale, wait))
            return Refused(tuple(replies))
        if mine is not None:
            await self._store.clear_receipt_attempts(conversation)
        key = await asyncio.to_thread(self.reporter_key, digits)
        messages = await self._store.reporter_returned(case.reference, now)
        log.info("receipt_opened")
        return Opened(case, self._shown(case, messages, key, locale))

    def _wait(self, locale: str, wait: timedelta) -> Reply:
        minutes = max(1, -(-int(wait.total_seconds()) // 60))
        return self.say(locale, PLEASE_WAIT, minutes=str(minutes))

    def _shown(
        self,
        case: FollowupCase,
        messages: Sequence[ThreadMessage],
        key: ReporterKey,
        locale: str,
    ) -> tuple[Reply, ...]:
        replies = [self.say(locale, status_text(case), reference=case.reference)]
        direction = text_direction(locale)
        tr = translator(locale, self._settings.default_locale)
        for message in messages:
            try:
                opened = open_message(message.envelope, key, case.reference)
            except (SealError, TamperedError) as exc:
                # The error's text names the case: log only what kind of failure it was.
                log.warning("thread_message_unreadable", extra={"event": type(exc).__name__})
                replies.append(self.say(locale, UNREADABLE))
                continue
            when = _date(message.created_at, locale)
            header = fill(tr.gettext(MESSAGE), MESSAGE, date=when)
            # What the review team wrote is shown as they wrote it, marked sensitive: a
            # channel protects it from forwarding, and the ledger never keeps it.
            replies.append(Reply(f"{header}\n{opened.text}", sensitive=True, direction=direction))
        if not messages:
            replies.append(self.say(locale, NO_MESSAGES))
        replies.append(self.say(locale, LASTS, days=self.days()))
        return tuple(replies)


def in_progress(controls: Controls) -> str:
    """What a reporter asking for their code during an unsent report is told (a msgid with
    {cancel} and {receipt} where those are typed)."""
    return IN_PROGRESS_BUTTONS if controls == "buttons" else IN_PROGRESS


def status_text(case: FollowupCase) -> str:
    """Where the case stands, as the reporter is told it (a msgid with {reference})."""
    if case.case_status == "received":
        return _RECEIVED
    if case.case_status == "referred":
        return _REFERRED.get(case.referred_to or "other", _REFERRED["other"])
    if case.case_status == "closed":
        return _CLOSED
    return _LOOKING


def _date(at: datetime, locale: str) -> str:
    try:
        return format_date(at.date(), format="long", locale=locale.replace("-", "_"))
    except (ValueError, LookupError):
        return at.date().isoformat()
