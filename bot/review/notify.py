"""Notifications without content: reviewers are told how many, never which or what.

After each sweep the server counts reports queued since the last notice (and
how many of them are urgent) and reports that have missed a deadline, and,
when there is news, sends one short message with those counts and a link
(`TIPLINE_NOTIFY_LINK`, by default a reviewer's own `tipline review ui`): by
e-mail through `TIPLINE_SMTP_URL` and/or as JSON to `TIPLINE_NOTIFY_WEBHOOK`.
No reference, date or word of a report is ever in it. Overdue reports are
mentioned at most once a day. A burst of wrong secret codes (`bot.followup`:
20 in an hour, from every chat together) is news too, told once per burst:
someone may be guessing receipts. A failed send is logged and the same news is
sent next time; counting starts afresh at each start of the server.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

import aiohttp

from bot.followup import EVERYONE, Limits
from bot.settings import Settings
from locales.errors import ConfigError
from store import NoticeCounts, ReceiptAttempts, Store

__all__ = ["Notifier", "SmtpTarget", "message_text"]

log = logging.getLogger("tipline.notify")
_OVERDUE_EVERY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    """smtp://user:password@host:port?from=a@x&to=b@y,c@z (smtps:// for TLS, smtp+starttls://)."""

    host: str
    port: int
    security: str  # "plain" | "tls" | "starttls"
    user: str | None
    password: str | None
    sender: str
    recipients: tuple[str, ...]

    @classmethod
    def parse(cls, url: str) -> SmtpTarget:
        parts = urlsplit(url)
        security = {"smtp": "plain", "smtps": "tls", "smtp+starttls": "starttls"}.get(parts.scheme)
        query = parse_qs(parts.query)
        recipients = tuple(a for v in query.get("to", []) for a in v.split(",") if a)
        if security is None or not parts.hostname or not recipients or "from" not in query:
            raise ConfigError(
                "TIPLINE_SMTP_URL is smtp[s]://[user:password@]host[:port]?from=…&to=…"
            )
        default = {"plain": 25, "tls": 465, "starttls": 587}[security]
        return cls(
            parts.hostname,
            parts.port or default,
            security,
            unquote(parts.username) if parts.username else None,
            unquote(parts.password) if parts.password else None,
            query["from"][0],
            recipients,
        )

    def send(self, subject: str, text: str) -> None:
        """Send one message (blocking: run it on a thread)."""
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = (
            self.sender,
            ", ".join(self.recipients),
            subject,
        )
        message.set_content(text)
        context = ssl.create_default_context()
        if self.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=30, context=context
            )
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=30)
        with client:
            if self.security == "starttls":
                client.starttls(context=context)
            if self.user is not None:
                client.login(self.user, self.password or "")
            client.send_message(message)


def message_text(new: int, urgent: int, overdue: int, link: str, wrong_codes: int = 0) -> str:
    """The whole message: counts and a link, nothing else."""
    parts = []
    if new:
        parts.append(
            f"{new} new report{'s' if new != 1 else ''}" + (f" ({urgent} urgent)" if urgent else "")
        )
    if overdue:
        parts.append(f"{overdue} report{'s' if overdue != 1 else ''} past a deadline")
    if wrong_codes:
        parts.append(f"{wrong_codes} wrong secret codes tried within the hour (guessing?)")
    return f"Tipline: {', '.join(parts)}. Open your review app: {link}\n"


class Notifier:
    """Counts news after each sweep and sends it by e-mail and/or webhook."""

    def __init__(self, store: Store, settings: Settings, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock
        self._smtp = None if settings.smtp_url is None else SmtpTarget.parse(settings.smtp_url)
        self._after_row: int | None = None
        self._overdue_told: datetime | None = None
        self._burst_told: datetime | None = None  # the window of the last burst told of

    @property
    def enabled(self) -> bool:
        return self._smtp is not None or self._settings.notify_webhook is not None

    async def _counts(self, now: datetime, after: int) -> NoticeCounts:
        settings = self._settings
        return await self._store.notice_counts(
            after, now - settings.acknowledge_within, now - settings.feedback_within
        )

    async def check(self) -> bool:
        """Send a notice if there is news; True if one was sent."""
        now = self._clock()
        if self._after_row is None:  # the first check only sets the starting point
            self._after_row = (await self._counts(now, 0)).last_row
        counts = await self._counts(now, self._after_row)
        overdue_due = self._overdue_told is None or now - self._overdue_told >= _OVERDUE_EVERY
        overdue = counts.overdue if overdue_due else 0
        burst = await self._burst(now)
        wrong_codes = 0 if burst is None else burst.failures
        if not counts.new and not overdue and not wrong_codes:
            return False
        link = self._settings.notify_link
        text = message_text(counts.new, counts.urgent, overdue, link, wrong_codes)
        try:
            await self._send(text, counts.new, counts.urgent, overdue, wrong_codes)
        except (OSError, smtplib.SMTPException, aiohttp.ClientError, TimeoutError):
            log.warning("notify_failed")
            return False
        self._after_row = counts.last_row
        if overdue:
            self._overdue_told = now
        if burst is not None:
            self._burst_told = burst.first_at
        log.info("notified", extra={"count": counts.new + overdue})
        return True

    async def _burst(self, now: datetime) -> ReceiptAttempts | None:
        """The wrong codes of this hour, if they are a burst not told of yet."""
        limits = Limits()
        everyone = await self._store.receipt_attempts(EVERYONE)
        if (
            everyone is None
            or everyone.failures < limits.burst
            or everyone.first_at <= now - limits.everyone_window
            or everyone.first_at == self._burst_told
        ):
            return None
        return everyone

    async def _send(self, text: str, new: int, urgent: int, overdue: int, wrong_codes: int) -> None:
        if self._smtp is not None:
            await asyncio.to_thread(self._smtp.send, "Tipline: reports waiting", text)
        webhook = self._settings.notify_webhook
        if webhook is not None:
            body = {
                "new": new,
                "urgent": urgent,
                "overdue": overdue,
                "link": self._settings.notify_link,
                "text": text.strip(),
            } | ({"wrong_codes": wrong_codes} if wrong_codes else {})
            timeout = aiohttp.ClientTimeout(total=30)
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(webhook, json=body) as response,
            ):
                response.raise_for_status()
