"""One chat's events, in order: Telegram in, `Conversations.handle`, Telegram out.

The adapter holds no dialog state. It keeps, per chat, only what Telegram
itself needs: which message's buttons are live (`Keyboard`), and which message
ids exist so the chat can be wiped (`MessageLog`). Everything the reporter says
goes to the engine as an `Inbound`; a button press is sent as what the reporter
would have typed (the option's number, or its id).

The channel's own words (a sticker refused, the wipe offer, the Done button...)
are in the conversation's language, which the service returns with each turn
and the adapter remembers per chat, in memory only; before the first turn (or
after a restart) they are in the language of the reporter's Telegram app.

A file Telegram will not give (getFile or the download fails) is not silently
dropped: the reporter is told and asked to send it again, and its caption is
taken as what they typed. Words a reporter wrote are read as an answer (the
engine ignores a caption that comes with a file: those words would otherwise be
lost); keeping them for a retry would be invisible, as the file sent again is
taken without them.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Bot, File
from telegram.constants import ChatAction

from bot import media
from bot.channels.telegram import _text as say
from bot.channels.telegram._events import Event, Foreign, Pressed, Said, Unusable
from bot.channels.telegram._render import (
    DONE_DATA,
    PRESS,
    TOGGLE,
    WIPE,
    Keyboard,
    chunks,
    keyboard_markup,
    wipe_markup,
)
from bot.channels.telegram._send import Sender
from bot.channels.telegram._text import CommandMenu
from bot.channels.telegram._wipe import MessageLog
from bot.messages import Attachment, Inbound, Outbound, TurnHandler, with_controls
from locales import Translator, fill, negotiate

__all__ = ["CHANNEL", "FloodNotice", "TelegramTurns"]

log = logging.getLogger("tipline.telegram")

CHANNEL = "telegram"
BOT_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # the Bot API serves files up to 20 MB
_MAX_KEYBOARDS = 100_000  # chats whose live buttons or language are remembered
_DELETE_BATCH = 100


@dataclass(frozen=True, slots=True)
class FloodNotice:
    """Queued in a chat's lane when it goes over its limit: tell it once to wait."""

    language: str | None


class TelegramTurns:
    """Takes one event of one chat at a time (the lanes guarantee the order)."""

    def __init__(  # noqa: PLR0917 - wired in one place, TelegramChannel
        self,
        turns: TurnHandler,
        sender: Sender,
        messages: MessageLog,
        menu: CommandMenu,
        translators: Callable[[str], Translator],
        default_locale: str,
        max_upload_bytes: int,
    ) -> None:
        # Answers are inline buttons; commands are typed (or picked from the menu of words).
        self._handle = with_controls(turns, "choices")
        self._sender = sender
        self._bot: Bot = sender.bot
        self._messages = messages
        self._menu = menu
        self._translators = translators
        self._default = default_locale
        self._max_file = min(max_upload_bytes, BOT_DOWNLOAD_LIMIT)
        self._keyboards: OrderedDict[int, Keyboard] = OrderedDict()
        self._languages: OrderedDict[int, str] = OrderedDict()

    def _locale(self, language: str | None) -> str:
        return negotiate(language, self._default)

    def _lang(self, chat: int, language: str | None) -> str:
        """The conversation's language in `chat`, else that of the reporter's app."""
        return self._languages.get(chat) or self._locale(language)

    def _t(self, locale: str, msgid: str, **params: str) -> str:
        return fill(self._translators(locale).gettext(msgid), msgid, **params)

    async def on_update(self, chat: int, event: Event | FloodNotice) -> None:
        if isinstance(event, FloodNotice):
            await self._sender.send(chat, self._t(self._lang(chat, event.language), say.FLOOD))
        elif isinstance(event, Said):
            await self._said(event)
        elif isinstance(event, Pressed):
            await self._pressed(event)
        elif isinstance(event, Unusable):
            self._messages.add(event.chat_id, event.message_id)
            msgid = say.EDITED if event.reason == "edited" else say.UNUSABLE
            locale = self._lang(event.chat_id, event.language)
            await self._sender.send(event.chat_id, self._t(locale, msgid))
        elif isinstance(event, Foreign):
            await self._leave(event)

    # -- what the reporter typed or sent -----------------------------------------

    async def _said(self, event: Said) -> None:
        chat = event.chat_id
        self._sender.unblock(chat)
        self._messages.add(chat, event.message_id)
        text = self._menu.canonical(event.text) if event.text is not None else None
        attachments: tuple[Attachment, ...] = ()
        if event.files:
            fetched = await self._download(event)
            if fetched is None or (not fetched and text is None):
                return
            attachments = fetched  # none when Telegram would not give them: the caption goes on
        inbound = Inbound(
            CHANNEL,
            str(chat),
            f"m{event.message_id}",
            text,
            locale_hint=self._locale(event.language),
            attachments=attachments,
        )
        outbound = await self._handle(inbound)
        await self._deliver(chat, outbound, event.language)

    async def _download(self, event: Said) -> tuple[Attachment, ...] | None:
        """The files' bytes, in memory only; None (and the reporter told) when too big, none
        (and the reporter asked to send them again) when Telegram would not give them."""
        chat = event.chat_id
        locale = self._lang(chat, event.language)
        too_big = self._t(locale, media.TOO_BIG, limit=media.megabytes(self._max_file))
        if any(ref.size is not None and ref.size > self._max_file for ref in event.files):
            await self._sender.send(chat, too_big)
            return None
        await self._sender.call(
            chat, "action", lambda: self._bot.send_chat_action(chat, ChatAction.TYPING)
        )
        files: list[Attachment] = []
        for ref in event.files:
            data = await self._fetch(chat, ref.file_id)
            if data is None:
                log.warning("telegram_file_failed", extra={"event": "download"})
                await self._sender.send(chat, self._t(locale, say.FETCH_FAILED))
                return ()
            if len(data) > self._max_file:
                await self._sender.send(chat, too_big)
                return None
            files.append(Attachment(ref.media_type, bytes(data), ref.filename))
        log.info("telegram_files", extra={"event": "download", "count": len(files)})
        return tuple(files)

    async def _fetch(self, chat: int, file_id: str) -> bytearray | None:
        file: File | None = await self._sender.call(
            chat, "get_file", lambda: self._bot.get_file(file_id)
        )
        if file is None:
            return None
        return await self._sender.call(chat, "download", file.download_as_bytearray)

    # -- buttons ----------------------------------------------------------------

    async def _pressed(self, event: Pressed) -> None:
        chat, data = event.chat_id, event.data
        if data == WIPE:
            await self._wipe(event)
            return
        keyboard = self._keyboards.get(chat)
        index = _index(data)
        live = keyboard is not None and keyboard.message_id == event.message_id
        if keyboard is None or not live or (index is not None and index >= len(keyboard.options)):
            await self._stale(event)
            return
        if data.startswith(TOGGLE) and index is not None:
            keyboard.toggle(index)
            await asyncio.gather(
                self._answer(event),
                self._sender.edit_markup(chat, keyboard.message_id, keyboard.markup()),
            )
            return
        if data == DONE_DATA:
            if not keyboard.selected:
                await self._answer(event, self._t(self._lang(chat, event.language), say.PICK_FIRST))
                return
            indexes = sorted(keyboard.selected)
        elif data.startswith(PRESS) and index is not None:
            indexes = [index]
        else:
            await self._stale(event)
            return
        del self._keyboards[chat]
        inbound = Inbound(
            CHANNEL,
            str(chat),
            f"c{event.query_id}",
            keyboard.answer_for(indexes),
            locale_hint=self._locale(event.language),
        )
        # The press is answered and its keyboard edited while the turn is taken.
        shown = keyboard.chosen_text(indexes)
        side = [
            asyncio.ensure_future(self._answer(event)),
            asyncio.ensure_future(self._sender.edit_text(chat, keyboard.message_id, shown)),
        ]
        try:
            outbound = await self._handle(inbound)
            await self._deliver(chat, outbound, event.language)
        finally:
            await asyncio.gather(*side)

    async def _answer(self, event: Pressed, text: str | None = None) -> None:
        await self._sender.answer(event.chat_id, event.query_id, text)

    async def _stale(self, event: Pressed) -> None:
        """A press on buttons that no longer count: say so, and take the buttons away.

        After a restart the live buttons are forgotten; if the press is on the newest
        message of the chat, it is the question being asked: ask it again, with buttons."""
        newest = self._messages.newest(event.chat_id)
        if event.message_id is not None and event.message_id == newest:
            await self._answer(event)
            inbound = Inbound(
                CHANNEL,
                str(event.chat_id),
                f"c{event.query_id}",
                None,
                locale_hint=self._locale(event.language),
            )
            outbound = await self._handle(inbound)
            await self._deliver(event.chat_id, outbound, event.language)
            return
        await self._answer(event, self._t(self._lang(event.chat_id, event.language), say.STALE))
        if event.message_id is not None:
            await self._sender.edit_markup(event.chat_id, event.message_id, None)

    # -- the bot's replies --------------------------------------------------------

    async def _deliver(self, chat: int, outbound: Outbound, language: str | None) -> None:
        """Send the replies in order; the last question's buttons become the live ones.

        Only when every part was sent is the service told they were shown: a closing
        that could not be sent comes again, with a new receipt, on the next message."""
        self._keyboards.pop(chat, None)
        if outbound.locale:
            self._languages[chat] = outbound.locale
            self._languages.move_to_end(chat)
            if len(self._languages) > _MAX_KEYBOARDS:
                self._languages.popitem(last=False)
        locale = self._lang(chat, language)
        done_label = self._t(locale, say.DONE)
        live: Keyboard | None = None
        unsent = 0
        for reply in outbound.replies:
            pieces = chunks(reply.text)
            for number, piece in enumerate(pieces, 1):
                markup = None
                if reply.options and number == len(pieces):
                    markup = keyboard_markup(reply.options, reply.expects, reply.multi, done_label)
                sent = await self._sender.send(chat, piece, markup, protect=reply.sensitive)
                unsent += sent is None
                if sent is None and self._sender.is_blocked(chat):
                    return
                if sent is not None and markup is not None:
                    live = Keyboard(
                        sent, piece, reply.options, reply.expects, reply.multi, done_label
                    )
        if live is not None:
            self._keyboards[chat] = live
            if len(self._keyboards) > _MAX_KEYBOARDS:
                self._keyboards.popitem(last=False)
        if not unsent:
            await self._handle.delivered(CHANNEL, str(chat), outbound)
        if outbound.ended:
            offer = self._t(locale, say.WIPE_OFFER)
            await self._sender.send(chat, offer, wipe_markup(self._t(locale, say.WIPE_BUTTON)))

    async def _wipe(self, event: Pressed) -> None:
        """Delete every message of the chat the bot knows of, then say how to delete the chat,
        and how many messages it could not delete."""
        chat = event.chat_id
        await self._answer(event)
        self._keyboards.pop(chat, None)
        ids = self._messages.take(chat)
        failed = 0
        for start in range(0, len(ids), _DELETE_BATCH):
            batch = ids[start : start + _DELETE_BATCH]
            if not await self._delete(chat, batch):
                failed += len(batch)
        log.info("telegram_wiped", extra={"event": "wipe", "count": len(ids) - failed})
        locale = self._lang(chat, event.language)
        if failed:
            log.warning("telegram_wipe_failed", extra={"event": "wipe", "count": failed})
            told = self._t(locale, say.WIPE_FAILED, failed=str(failed), total=str(len(ids)))
        else:
            told = self._t(locale, say.WIPED)
        await self._sender.send(chat, told, track=False)

    async def _delete(self, chat: int, batch: list[int]) -> bool:
        """Whether Telegram took the deletion (deleteMessages skips, unsaid, a message it
        cannot find: a batch taken is counted as deleted)."""
        if len(batch) == 1:
            done = await self._sender.call(
                chat, "delete", lambda: self._bot.delete_message(chat, batch[0])
            )
        else:
            done = await self._sender.call(
                chat, "delete", lambda: self._bot.delete_messages(chat, batch)
            )
        return bool(done)

    async def _leave(self, event: Foreign) -> None:
        chat = event.chat_id
        if event.speak:
            refusal = self._t(self._locale(event.language), say.GROUPS)
            await self._sender.send(chat, refusal, track=False)
        await self._sender.call(chat, "leave", lambda: self._bot.leave_chat(chat))
        log.info("telegram_left_group", extra={"event": "leave"})


def _index(data: str) -> int | None:
    for prefix in (PRESS, TOGGLE):
        if data.startswith(prefix) and data[len(prefix) :].isdecimal():
            return int(data[len(prefix) :])
    return None
