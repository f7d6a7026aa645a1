"""What a Telegram update means to Tipline: one small event type per case.

`classify` reads an update as the Bot API sends it (its JSON, by webhook or
by polling) and says what happened: the reporter said
something (text, /start, or files), pressed a button, sent something Tipline
cannot use, or the bot is in a group or channel it must leave. Everything else
(service messages, reactions, our own membership in a private chat) is
ignored, and so is an update that is malformed.

The JSON is read directly, not into python-telegram-bot's `Update`:
that costs 150-400 µs of CPU an update on this project's 2-core machine (every
field of every `Message` in it is set through a frozen-object guard), as much
as the rest of the channel's own work on a turn, for the handful of fields
needed here; and PTB would not check their types either. Field names are the
Bot API's (https://core.telegram.org/bots/api#update).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

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
JSON = dict[str, Any]


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
    language: str | None = None  # the sender's, for the refusal


Event = Said | Pressed | Unusable | Foreign


def classify(update: JSON) -> Event | None:
    """The event `update` is, or None when there is nothing to do (or it is malformed)."""
    try:
        return _classify(update)
    except (KeyError, TypeError, ValueError):
        return None


def _classify(update: JSON) -> Event | None:
    if (query := update.get("callback_query")) is not None:
        sender = query["from"]
        under = query.get("message")  # the bot's message the button is under
        chat = under["chat"] if under else {"id": sender["id"], "type": "private"}
        if chat["type"] != "private":
            return Foreign(int(chat["id"]), speak=False)
        return Pressed(
            chat_id=int(chat["id"]),
            query_id=str(query["id"]),
            message_id=int(under["message_id"]) if under else None,
            data=str(query.get("data") or ""),
            language=sender.get("language_code"),
        )
    if (member := update.get("my_chat_member")) is not None:
        chat = member["chat"]
        joined = member["new_chat_member"]["status"] not in ("left", "kicked")
        if chat["type"] != "private" and joined:
            adder = member["from"].get("language_code")
            return Foreign(int(chat["id"]), speak=chat["type"] != "channel", language=adder)
        return None
    post = update.get("channel_post") or update.get("edited_channel_post")
    if post is not None:
        return Foreign(int(post["chat"]["id"]), speak=False)
    edited = update.get("edited_message")
    message: JSON | None = update.get("message") or edited
    if message is None:
        return None
    chat = message["chat"]
    language = (message.get("from") or {}).get("language_code")
    if chat["type"] != "private":
        return Foreign(int(chat["id"]), speak=edited is None, language=language)
    if edited is not None:
        return Unusable(int(chat["id"]), int(message["message_id"]), "edited", language)
    return _said(message, int(chat["id"]), language)


def _said(message: JSON, chat: int, language: str | None) -> Event | None:
    mid = int(message["message_id"])
    text = message.get("text")
    if isinstance(text, str):
        return Said(chat, mid, None if _is_start(text) else text, language)
    files = _files(message)
    if files:
        caption = message.get("caption")
        return Said(chat, mid, caption if isinstance(caption, str) else None, language, files)
    if any(message.get(kind) for kind in _UNUSABLE):
        return Unusable(chat, mid, "content", language)
    return None  # a service message (pinned, timer changed...): nothing to answer


def _is_start(text: str) -> bool:
    words = text.split(maxsplit=1)
    return bool(words) and words[0].split("@", 1)[0].casefold() == "/start"


def _files(message: JSON) -> tuple[FileRef, ...]:
    photos = message.get("photo")
    if photos:
        best = max(photos, key=lambda p: (p.get("file_size") or 0, p["width"] * p["height"]))
        return (FileRef(str(best["file_id"]), best.get("file_size"), "image/jpeg", None),)
    for kind, default in _FILES:  # an animation also comes as a document: first match wins
        item = message.get(kind)
        if item:
            media = item.get("mime_type") or default
            return (
                FileRef(str(item["file_id"]), item.get("file_size"), media, item.get("file_name")),
            )
    return ()
