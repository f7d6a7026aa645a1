"""What a Telegram update means to Tipline: one small event type per case.

`classify` reads a python-telegram-bot `Update` (from the webhook's JSON or from
`getUpdates`) and says what happened: the reporter said something (text,
/start, or files), pressed a button, sent something Tipline cannot use, or the
bot is in a group or channel it must leave. Everything else (service messages,
reactions, our own membership in a private chat) is ignored. PTB reads the Bot
API's fields but does not check their types, so a malformed update is caught
here and ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType

__all__ = ["Event", "FileRef", "Foreign", "Pressed", "Said", "Unusable", "classify"]

# Messages Tipline cannot take as an answer; each gets a short reply.
_UNUSABLE = (
    "sticker",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
    "game",
    "story",
    "invoice",
    "giveaway",
    "paid_media",
    "checklist",
)
# Files, with the media type to assume when Telegram gives none.
_FILES = (
    ("document", "application/octet-stream"),
    ("voice", "audio/ogg"),
    ("audio", "audio/mpeg"),
    ("video", "video/mp4"),
    ("video_note", "video/mp4"),
    ("animation", "video/mp4"),
)


@dataclass(frozen=True, slots=True)
class FileRef:
    """A file the reporter sent, not yet downloaded."""

    file_id: str
    size: int | None
    media_type: str
    filename: str | None


@dataclass(frozen=True, slots=True)
class Said:
    """A message in a private chat: `text` None is /start (open or resume the conversation)."""

    chat_id: int
    message_id: int
    text: str | None
    language: str | None
    files: tuple[FileRef, ...] = ()


@dataclass(frozen=True, slots=True)
class Pressed:
    """An inline button pressed on the bot's message `message_id`."""

    chat_id: int
    query_id: str
    message_id: int | None
    data: str
    language: str | None


@dataclass(frozen=True, slots=True)
class Unusable:
    """Something Tipline cannot read: a sticker, a location, a contact, an edit..."""

    chat_id: int
    message_id: int
    reason: Literal["content", "edited"]
    language: str | None


@dataclass(frozen=True, slots=True)
class Foreign:
    """The bot is in a group or channel: refuse (where it may speak) and leave."""

    chat_id: int
    speak: bool


Event = Said | Pressed | Unusable | Foreign


def classify(update: Update) -> Event | None:
    """The event `update` is, or None when there is nothing to do (or it is malformed)."""
    try:
        return _classify(update)
    except (AttributeError, TypeError, ValueError):
        return None


def _classify(update: Update) -> Event | None:
    if (query := update.callback_query) is not None:
        under = query.message  # the bot's message the button is under
        if under is not None and under.chat.type != ChatType.PRIVATE:
            return Foreign(int(under.chat.id), speak=False)
        return Pressed(
            chat_id=int(under.chat.id if under is not None else query.from_user.id),
            query_id=str(query.id),
            message_id=int(under.message_id) if under is not None else None,
            data=str(query.data or ""),
            language=_language(query.from_user.language_code),
        )
    if (member := update.my_chat_member) is not None:
        chat = member.chat
        joined = member.new_chat_member.status not in (
            ChatMemberStatus.LEFT,
            ChatMemberStatus.BANNED,
        )
        if chat.type != ChatType.PRIVATE and joined:
            return Foreign(int(chat.id), speak=chat.type != ChatType.CHANNEL)
        return None
    post = update.channel_post or update.edited_channel_post
    if post is not None:
        return Foreign(int(post.chat.id), speak=False)
    edited = update.edited_message
    message = update.message or edited
    if message is None:
        return None
    chat_id = int(message.chat.id)
    if message.chat.type != ChatType.PRIVATE:
        return Foreign(chat_id, speak=edited is None)
    language = _language(message.from_user.language_code if message.from_user else None)
    if edited is not None:
        return Unusable(chat_id, int(message.message_id), "edited", language)
    return _said(message, chat_id, language)


def _said(message: Message, chat: int, language: str | None) -> Event | None:
    mid = int(message.message_id)
    text = message.text
    if isinstance(text, str):
        return Said(chat, mid, None if _is_start(text) else text, language)
    files = _files(message)
    if files:
        caption = message.caption
        return Said(chat, mid, caption if isinstance(caption, str) else None, language, files)
    if any(getattr(message, kind, None) for kind in _UNUSABLE):
        return Unusable(chat, mid, "content", language)
    return None  # a service message (pinned, timer changed...): nothing to answer


def _language(code: object) -> str | None:
    return code if isinstance(code, str) else None


def _is_start(text: str) -> bool:
    words = text.split(maxsplit=1)
    return bool(words) and words[0].split("@", 1)[0].casefold() == "/start"


def _files(message: Message) -> tuple[FileRef, ...]:
    if message.photo:
        best = max(message.photo, key=lambda p: (p.file_size or 0, p.width * p.height))
        return (FileRef(str(best.file_id), best.file_size, "image/jpeg", None),)
    for kind, default in _FILES:  # an animation also comes as a document: first match wins
        item = getattr(message, kind)
        if item:
            media = getattr(item, "mime_type", None) or default
            name = getattr(item, "file_name", None)
            return (FileRef(str(item.file_id), item.file_size, media, name),)
    return ()
