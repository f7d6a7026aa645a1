"""Every call the bot makes to a chat, with Telegram's limits honoured.

- `RetryAfter` (HTTP 429): wait as long as Telegram says, then try again; the
  wait holds up only that chat's lane.
- `Forbidden` (the reporter blocked the bot, or left): stop sending to that chat
  until it writes again.
- `BadRequest` (a message already deleted, an old button...): the call is
  dropped and logged by event name; the conversation goes on.
- Network errors: tried again a few times, then dropped.

Each message sent is recorded in the `MessageLog`, so the chat can be wiped.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import warnings
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram.request import AiohttpRequest, FloodWait
from bot.channels.telegram.wipe import MessageLog

__all__ = ["Sender", "retry_after"]

log = logging.getLogger("tipline.telegram")

R = TypeVar("R")

_ATTEMPTS = 5
_MAX_WAIT = 300.0  # never sleep longer than this on one RetryAfter


class Sender:
    """The bot's outgoing calls for the chats, with retries, blocking and message tracking.

    The calls of every turn (send, edit, answer a button) go by `AiohttpRequest.call`
    as plain Bot API JSON; the rare ones use PTB's `Bot` methods through `call`."""

    def __init__(
        self,
        bot: Bot,
        request: AiohttpRequest,
        messages: MessageLog,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.bot = bot
        self._request = request
        self._messages = messages
        self._sleep = sleep
        self._blocked: set[int] = set()

    def unblock(self, chat: int) -> None:
        """The chat wrote to the bot: it may be answered again."""
        self._blocked.discard(chat)

    def is_blocked(self, chat: int) -> bool:
        return chat in self._blocked

    def _api(self, chat: int, method: str, params: dict[str, Any]) -> Awaitable[Any]:
        url = f"{self.bot.base_url}/{method}"
        return self.call(chat, method, lambda: self._request.call(url, params))

    async def send(
        self,
        chat: int,
        text: str,
        markup: dict[str, Any] | None = None,
        protect: bool = False,
        track: bool = True,
    ) -> int | None:
        """Send one message; its id, or None when it could not be sent."""
        params: dict[str, Any] = {"chat_id": chat, "text": text}
        if markup is not None:
            params["reply_markup"] = markup
        if protect:
            params["protect_content"] = True
        sent = await self._api(chat, "sendMessage", params)
        if not isinstance(sent, dict) or not isinstance(sent.get("message_id"), int):
            return None
        message_id: int = sent["message_id"]
        if track:
            self._messages.add(chat, message_id)
        return message_id

    async def edit_text(self, chat: int, message_id: int, text: str) -> None:
        """Replace a message's text; its buttons go."""
        params = {"chat_id": chat, "message_id": message_id, "text": text}
        await self._api(chat, "editMessageText", params)

    async def edit_markup(self, chat: int, message_id: int, markup: dict[str, Any] | None) -> None:
        """Replace a message's buttons (None: take them away)."""
        params: dict[str, Any] = {"chat_id": chat, "message_id": message_id}
        if markup is not None:
            params["reply_markup"] = markup
        await self._api(chat, "editMessageReplyMarkup", params)

    async def answer(self, chat: int, query_id: str, text: str | None = None) -> None:
        """Answer a button press (Telegram shows a spinner until then); `text` as a toast."""
        params: dict[str, Any] = {"callback_query_id": query_id}
        if text:
            params["text"] = text
        await self._api(chat, "answerCallbackQuery", params)

    async def call(self, chat: int, what: str, make: Callable[[], Awaitable[R]]) -> R | None:
        """Run `make()` for `chat` until it succeeds or cannot; None when it could not."""
        if chat in self._blocked:
            return None
        for attempt in range(_ATTEMPTS):
            try:
                return await make()
            except (FloodWait, RetryAfter) as exc:
                wait = min(retry_after(exc), _MAX_WAIT)
                log.warning("telegram_retry_after", extra={"event": what, "count": int(wait)})
                await self._sleep(wait)
            except Forbidden:
                log.info("telegram_blocked", extra={"event": what})
                self._blocked.add(chat)
                return None
            except BadRequest:
                log.info("telegram_bad_request", extra={"event": what})
                return None
            except NetworkError:  # TimedOut included
                log.warning("telegram_network_error", extra={"event": what, "count": attempt})
                await self._sleep(min(2.0**attempt, 30.0))
            except TelegramError:
                log.exception("telegram_error", extra={"event": what})
                return None
        log.warning("telegram_gave_up", extra={"event": what})
        return None


def retry_after(exc: FloodWait | RetryAfter) -> float:
    """Seconds to wait; PTB warns when `retry_after` is read as a number, so read it quietly."""
    if isinstance(exc, FloodWait):
        return exc.retry_after
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    return float(value)
