"""The Telegram channel: Bot API updates in, the service's replies out, through PTB."""

from bot.channels.telegram.channel import (
    ALLOWED_UPDATES,
    SECRET_HEADER,
    WEBHOOK_PATH,
    TelegramChannel,
    webhook_secret,
)

__all__ = ["ALLOWED_UPDATES", "SECRET_HEADER", "WEBHOOK_PATH", "TelegramChannel", "webhook_secret"]
