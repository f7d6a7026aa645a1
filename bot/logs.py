"""Logging that cannot leak what a reporter wrote.

A record prints its event name (the message, which is always a constant) and
only the allow-listed fields below. Arguments interpolated into messages are
dropped, so a library that logs `"got %s", text` prints only its constant part.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TextIO

# Counts, identifiers and event names only; anything else passed in `extra` is dropped.
SAFE_FIELDS = ("outcome", "replies", "count", "taken", "refused", "key_id", "event")


class SafeFormatter(logging.Formatter):
    """`time level logger event key=value…`, never the record's args or exception text."""

    def format(self, record: logging.LogRecord) -> str:
        fields = " ".join(
            f"{name}={getattr(record, name)}"
            for name in SAFE_FIELDS
            if getattr(record, name, None) is not None
        )
        exc = (
            f" exc={record.exc_info[0].__name__}" if record.exc_info and record.exc_info[0] else ""
        )
        event = record.msg if isinstance(record.msg, str) else type(record.msg).__name__
        line = f"{self.formatTime(record)} {record.levelname} {record.name} {event}"
        return f"{line} {fields}{exc}".rstrip()


# Libraries whose INFO lines are noise (transitions logs every state change), and
# python-telegram-bot's and httpx's, whose DEBUG/INFO lines carry request URLs (with
# the bot token) and parameters (with what reporters wrote).
QUIET = ("transitions", "asyncio", "telegram", "httpx", "httpcore")


def configure(level: str = "INFO", stream: TextIO | None = None, file: Path | None = None) -> None:
    """Route every logger (ours and libraries') through the safe formatter.

    With `file`, lines go there (mode 0600) instead of a stream: `tipline chat`
    keeps its terminal for the conversation.
    """
    handler: logging.Handler
    if file is not None:
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        file.touch(mode=0o600, exist_ok=True)
        handler = logging.FileHandler(file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(SafeFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))


def _where(record: logging.LogRecord) -> str:
    """An exception's type and innermost frame: enough to debug, no message text."""
    if not record.exc_info or record.exc_info[0] is None:
        return ""
    _type, _value, tb = record.exc_info
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    at = f" at {tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb is not None else ""
    return f" exc={_type.__name__}{at}"
