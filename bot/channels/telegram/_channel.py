"""The Telegram channel: a thin adapter between the Bot API and `Conversations.handle`.

Updates come by long polling (the default) or, when `TIPLINE_PUBLIC_URL` is
set, by webhook on Tipline's one aiohttp server. Either way each update is read
(`_events`) and put in its chat's lane (`_lanes`), handled in order there
(`_turns`); the webhook answers 200 as soon as the update is queued. A webhook
request without the right `X-Telegram-Bot-Api-Secret-Token` gets 403 and
changes nothing.

The Bot API may fail at any call, so nothing but a wrong token stops the
channel: a command menu that cannot be registered at start-up is logged and
tried again later, with growing waits (the commands work typed all the same);
a poll that fails, or that comes back empty long before the timeout it asked
for (some Bot API servers do not hold a long poll), is followed by a growing
wait (`Backoff`) instead of the next poll at once.

python-telegram-bot provides the `Bot` (every Bot API call goes through its
methods; polled updates are read as JSON, like the webhook's), its error types
and its `BaseRequest` seam, here on aiohttp (`_request`). PTB's `Application`,
`ConversationHandler` and persistence are not used: the engine owns the
conversation, the lanes the order.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from aiohttp import web
from telegram import Bot, BotCommand
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.channels import ChannelContext, ChannelSecrets
from bot.channels.telegram._backoff import Backoff
from bot.channels.telegram._events import Event, classify
from bot.channels.telegram._lanes import FloodLimit, Lanes
from bot.channels.telegram._request import AiohttpRequest, FloodWait
from bot.channels.telegram._send import Sender
from bot.channels.telegram._text import CommandMenu
from bot.channels.telegram._turns import FloodNotice, TelegramTurns
from bot.channels.telegram._wipe import MessageLog
from locales import LANGUAGES, translator
from locales.errors import ConfigError

__all__ = ["ALLOWED_UPDATES", "SECRET_HEADER", "WEBHOOK_PATH", "TelegramChannel", "webhook_secret"]

log = logging.getLogger("tipline.telegram")

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member", "channel_post")
_SEEN_UPDATES = 10_000  # recent update ids: a redelivery the lanes already took is dropped
_MAX_WAIT = 300.0  # never wait longer than this on one 429
# A menu not registered costs little (typed commands work): try again rarely.
_MENU_WAITS = (5.0, 600.0)
# A failed poll: try again soon, then less and less often.
_POLL_FAIL_WAITS = (1.0, 30.0)
# An empty poll answered early: the server does not hold long polls. Waiting delays the next
# update by as much, so the waits stay short.
_POLL_EMPTY_WAITS = (0.25, 2.0)
_READ_TIMEOUT = 10.0  # s for an answer, beyond the long poll's own wait


class _Bot(Bot):
    """PTB's `Bot`, with getUpdates answered as the Bot API's JSON.

    PTB's `get_updates` builds an `Update` of every update, and one it cannot build
    (a field missing) fails the whole batch, each time it is asked again: polling
    would stop for every chat. The polled updates are read like the webhook's
    (`_events`), each on its own; building them also cost CPU for nothing."""

    async def get_update_dicts(
        self, offset: int | None, wait: int, allowed: list[str]
    ) -> list[dict[str, Any]]:
        data: dict[str, Any] = {"timeout": wait, "offset": offset, "allowed_updates": allowed}
        result = await self._post("getUpdates", data, read_timeout=_READ_TIMEOUT + wait)
        if not isinstance(result, list):
            raise NetworkError("the Telegram Bot API's answer could not be read")
        return [u for u in result if isinstance(u, dict)]


def webhook_secret(secrets: ChannelSecrets, token: str) -> str:
    """The webhook's secret token: stable across restarts, different for every bot and server."""
    mac = hmac.new(secrets.key("telegram-webhook"), token.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")


class TelegramChannel:
    """`tipline run`'s Telegram channel (see `bot.channels.Channel`)."""

    name = "telegram"

    def __init__(
        self,
        context: ChannelContext,
        *,
        poll_timeout: int = 30,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        settings = context.settings
        if not settings.telegram_token:
            raise ConfigError("TIPLINE_TELEGRAM_TOKEN is not set")
        token = settings.telegram_token
        api = settings.telegram_api_url.rstrip("/")
        self.bot = _Bot(
            token,
            base_url=f"{api}/bot",
            base_file_url=f"{api}/file/bot",
            request=AiohttpRequest(read_timeout=_READ_TIMEOUT),
            get_updates_request=AiohttpRequest(connections=1, read_timeout=_READ_TIMEOUT),
        )
        self._secrets = context.secrets
        self._log_file = settings.data_dir / "telegram-messages.bin"
        public = settings.public_url
        self.webhook_url = f"{public.rstrip('/')}{WEBHOOK_PATH}" if public else None
        self._secret = webhook_secret(context.secrets, token).encode()
        self._poll_timeout = poll_timeout
        self._sleep = sleep
        self._monotonic = monotonic
        self.messages = MessageLog(wall_clock)
        self.sender = Sender(self.bot, self.messages, sleep)
        self.menu = CommandMenu(LANGUAGES, translator)
        self.turns = TelegramTurns(
            context.turns,
            self.sender,
            self.messages,
            self.menu,
            translator,
            settings.default_locale,
            settings.max_upload_bytes,
        )
        flood = FloodLimit(per_minute=settings.telegram_flood_per_minute)
        self.lanes: Lanes[Event | FloodNotice] = Lanes(
            self.turns.on_update, _flood_notice, flood, monotonic
        )
        self._seen: set[int] = set()
        self._seen_order: deque[int] = deque()
        self._offset: int | None = None
        self._poller: asyncio.Task[None] | None = None
        self._menus_set: set[str] = set()
        self._menu_backoff = Backoff(*_MENU_WAITS)
        self._menus_later: asyncio.Task[None] | None = None
        self._accepting = False

    # -- lifecycle ----------------------------------------------------------------

    def mount(self, web_app: web.Application) -> None:
        if self.webhook_url is not None:
            web_app.router.add_post(WEBHOOK_PATH, self._on_webhook)

    async def start(self) -> None:
        await self.bot.initialize()  # getMe: a wrong token fails here, loudly
        self.messages.load(self._log_file, self._secrets)
        wait = await self._try_menus()
        if wait is not None:
            self._menus_later = asyncio.create_task(self._retry_menus(wait))
        self._accepting = True
        if self.webhook_url is not None:
            await self.bot.set_webhook(
                self.webhook_url,
                secret_token=self._secret.decode(),
                allowed_updates=list(ALLOWED_UPDATES),
                max_connections=100,
            )
            log.info("telegram_webhook_set", extra={"event": "webhook"})
        else:
            await self.bot.delete_webhook()
            self._poller = asyncio.create_task(self._poll())
            log.info("telegram_polling", extra={"event": "polling"})

    async def stop(self) -> None:
        self._accepting = False
        for task in (self._poller, self._menus_later):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._poller = self._menus_later = None
        await self.lanes.drain()
        if self._offset is not None:
            # Tell Telegram the updates taken so far are done, so a restart does not get them.
            with contextlib.suppress(TelegramError):
                await self._get_updates(wait=0)
        self.messages.save(self._log_file, self._secrets)
        await self.bot.shutdown()

    async def _register_menus(self) -> None:
        """The command menu in every shipped language (two-letter codes, as Telegram wants),
        but those already registered."""
        menus: dict[str, list[BotCommand]] = {}
        for code, menu in self.menu.menus.items():
            language = code.split("-")[0].split("_")[0].lower()
            if len(language) == 2 and language not in menus:
                menus[language] = [BotCommand(item.command, item.description) for item in menu]
        default = self.menu.menus.get("en") or next(iter(self.menu.menus.values()))
        menus[""] = [BotCommand(i.command, i.description) for i in default]  # the last one
        for language, commands in menus.items():
            if language not in self._menus_set:
                await self.bot.set_my_commands(commands, language_code=language or None)
                self._menus_set.add(language)

    async def _try_menus(self) -> float | None:
        """Register the menus; None when all are, else how long to wait before trying again."""
        try:
            await self._register_menus()
        except FloodWait as exc:
            wait = min(exc.retry_after, _MAX_WAIT)
        except TelegramError:  # an error, a timeout, an answer it cannot read
            wait = self._menu_backoff.next()
        else:
            return None
        log.warning("telegram_menu_failed", extra={"event": "menu", "count": int(wait)})
        return wait

    async def _retry_menus(self, wait: float) -> None:
        next_wait: float | None = wait
        while next_wait is not None:
            await self._sleep(next_wait)
            next_wait = await self._try_menus()
        log.info("telegram_menu_set", extra={"event": "menu"})

    # -- receiving ----------------------------------------------------------------

    def dispatch(self, update_id: int, update: dict[str, Any]) -> Event | None:
        """Queue `update` (the Bot API's JSON) in its chat's lane; the event, or None when
        there is nothing to do (a redelivery of a recent update, a service message, an
        update it cannot read) or the chat is flooding."""
        if update_id in self._seen:
            log.info("telegram_update_repeated", extra={"event": "repeat"})
            return None
        self._seen.add(update_id)
        self._seen_order.append(update_id)
        if len(self._seen_order) > _SEEN_UPDATES:
            self._seen.discard(self._seen_order.popleft())
        event = classify(update)
        if event is None:
            return None
        return event if self.lanes.put(event.chat_id, event) else None

    async def _on_webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, self._secret):
            return web.Response(status=403)
        if not self._accepting:
            return web.Response(status=503)  # Telegram delivers it again later
        try:
            update = orjson.loads(await request.read())
        except ValueError:
            return web.Response(status=400)
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return web.Response(status=400)  # not an update
        # One it cannot read is taken all the same (a 200), or Telegram would resend it forever.
        self.dispatch(update["update_id"], update)
        return web.Response()

    async def _get_updates(self, wait: int) -> list[dict[str, Any]]:
        """Updates after the offset; Telegram holds the request up to `wait` s for one."""
        return await self.bot.get_update_dicts(self._offset, wait, list(ALLOWED_UPDATES))

    async def _poll(self) -> None:
        failed = Backoff(*_POLL_FAIL_WAITS)
        empty = Backoff(*_POLL_EMPTY_WAITS)
        while True:
            asked = self._monotonic()
            try:
                updates = await self._get_updates(self._poll_timeout)
            except FloodWait as exc:
                await self._sleep(min(exc.retry_after, _MAX_WAIT))
                continue
            except InvalidToken:
                log.error("telegram_invalid_token")  # noqa: TRY400 - the traceback says no more
                return
            except TelegramError:
                # Conflict, a network or server error, or an answer PTB could not read.
                wait = failed.next()
                log.warning("telegram_polling_error", extra={"count": int(wait)})
                await self._sleep(wait)
                continue
            failed.reset()
            if updates:
                empty.reset()
            elif self._monotonic() - asked < self._poll_timeout / 2:
                await self._sleep(empty.next())
            for update in updates:
                update_id = update.get("update_id")
                if isinstance(update_id, int) and not isinstance(update_id, bool):
                    self._offset = max(self._offset or 0, update_id + 1)
                    self.dispatch(update_id, update)


def _flood_notice(chat: int, dropped: Event | FloodNotice) -> FloodNotice:
    return FloodNotice(getattr(dropped, "language", None))
