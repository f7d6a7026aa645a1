"""The web chat channel: a page that works with or without JavaScript, templates and all."""

from bot.channels.web.channel import CHANNEL, WebChat
from bot.channels.web.security import HEADERS

__all__ = ["CHANNEL", "HEADERS", "WebChat"]
