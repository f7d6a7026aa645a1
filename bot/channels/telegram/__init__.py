"""The Telegram channel: Bot API updates in, the service's replies out, through PTB.

`TelegramChannel` is the channel `tipline run` starts when a bot token is set;
the other names are what tests and the wiring may read. The modules behind it:
`_channel` (lifecycle, webhook, polling), `_events` (an update as a small
event), `_lanes` (in order per chat, flood control), `_turns` (one event
through the service and back), `_send` (every call to a chat, with Telegram's
limits), `_render` (replies as messages and buttons), `_text` (the channel's
own words, the command menu), `_wipe` (message ids kept for the wipe),
`_request` (PTB's transport on aiohttp).
"""

from bot.channels.telegram._channel import (
    ALLOWED_UPDATES,
    SECRET_HEADER,
    WEBHOOK_PATH,
    TelegramChannel,
    webhook_secret,
)
from bot.channels.telegram._request import AiohttpRequest, FloodWait
from bot.channels.telegram._text import CommandMenu

__all__ = [
    "ALLOWED_UPDATES",
    "SECRET_HEADER",
    "WEBHOOK_PATH",
    "AiohttpRequest",
    "CommandMenu",
    "FloodWait",
    "TelegramChannel",
    "webhook_secret",
]
