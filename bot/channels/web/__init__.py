"""The web chat channel: a page that works with or without JavaScript, templates and all."""

from bot.channels.web.channel import CHANNEL, WebChat

__all__ = ["CHANNEL", "WebChat"]
