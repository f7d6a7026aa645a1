"""Every call the bot makes to a chat, with Telegram's limits honoured.

- `FloodWait` (HTTP 429): wait as long as Telegram says, then try again; the
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
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot.channels.telegram._request import FloodWait
from bot.channels.telegram._wipe import MessageLog

__all__ = ["Sender"]

log = logging.getLogger("tipline.telegram")

R = TypeVar("R")

_ATTEMPTS = 5
_MAX_WAIT = 300.0  # never sleep longer than this on one FloodWait


class Sender:
    """The bot's calls to the chats, through PTB's `Bot`, with retries, blocking and
    message tracking."""

    def __init__(
        self,
        bot: Bot,
        messages: MessageLog,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.bot = bot
        self._messages = messages
        self._sleep = sleep
        self._blocked: set[int] = set()

    def unblock(self, chat: int) -> None:
        """The chat wrote to the bot: it may be answered again."""
        self._blocked.discard(chat)

    def is_blocked(self, chat: int) -> bool:
        return chat in self._blocked

    async def send(
        self,
        chat: int,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
        protect: bool = False,
        track: bool = True,
    ) -> int | None:
        """Send one message; its id, or None when it could not be sent."""
        sent: Message | None = await self.call(
            chat,
            "sendMessage",
            lambda: self.bot.send_message(
                chat, text, reply_markup=markup, protect_content=protect or None
            ),
        )
        if sent is None:
            return None
        if track:
            self._messages.add(chat, sent.message_id)
        return sent.message_id

    async def edit_text(self, chat: int, message_id: int, text: str) -> None:
        """Replace a message's text; its buttons go."""
        await self.call(
            chat, "editMessageText", lambda: self.bot.edit_message_text(text, chat, message_id)
        )

    async def edit_markup(
        self, chat: int, message_id: int, markup: InlineKeyboardMarkup | None
    ) -> None:
        """Replace a message's buttons (None: take them away)."""
        await self.call(
            chat,
            "editMessageReplyMarkup",
            lambda: self.bot.edit_message_reply_markup(chat, message_id, reply_markup=markup),
        )

    async def answer(self, chat: int, query_id: str, text: str | None = None) -> None:
        """Answer a button press (Telegram shows a spinner until then); `text` as a toast."""
        await self.call(
            chat, "answerCallbackQuery", lambda: self.bot.answer_callback_query(query_id, text)
        )

    async def call(self, chat: int, what: str, make: Callable[[], Awaitable[R]]) -> R | None:
        """Run `make()` for `chat` until it succeeds or cannot; None when it could not."""
        if chat in self._blocked:
            return None
        for attempt in range(_ATTEMPTS):
            try:
                return await make()
            except FloodWait as exc:
                wait = min(exc.retry_after, _MAX_WAIT)
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
