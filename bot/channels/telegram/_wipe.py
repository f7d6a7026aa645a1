"""Which messages are in each private chat, kept only so they can be deleted.

After a report is sealed the bot offers to remove the conversation from the
reporter's device: it deletes its own messages and the reporter's. Telegram
tells a bot nothing about a chat's history, so the adapter must remember the
message ids itself. What is kept, and for how long:

- per chat, the ids of the messages sent and received, with when: no text,
  nothing about the person; the chat id is the key.
- in memory while Tipline runs. A bot may delete messages only for 48 hours,
  so an id is forgotten 48 hours after it was sent; a chat's list goes when it
  is wiped, and is capped in length.
- across a restart: `stop` writes the lists to one file in the data directory,
  encrypted with the server's at-rest key (ChaCha20-Poly1305) and bound to its
  purpose; `start` reads it back and deletes it at once. A crash loses the lists
  (the reporter is then told how to delete the chat themselves, as always);
  nothing is written while Tipline runs, so turns pay nothing for this.
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from bot.channels import ChannelSecrets
from locales.errors import TamperedError

__all__ = ["DELETABLE_FOR", "MessageLog"]

DELETABLE_FOR = 48 * 3600.0  # seconds a bot may delete a message in a private chat
_MAX_PER_CHAT = 2000
_BOUND_TO = b"tipline/telegram/message-log"


class MessageLog:
    """Message ids per chat, oldest chats first, forgotten when they can no longer be deleted."""

    def __init__(self, clock: Callable[[], float], keep_for: float = DELETABLE_FOR) -> None:
        self._clock = clock
        self._keep_for = keep_for
        self._chats: OrderedDict[int, list[tuple[int, float]]] = OrderedDict()

    def add(self, chat: int, message_id: int) -> None:
        now = self._clock()
        ids = self._chats.get(chat)
        if ids is None:
            ids = self._chats[chat] = []
        else:
            self._chats.move_to_end(chat)
        ids.append((message_id, now))
        if len(ids) > _MAX_PER_CHAT:
            del ids[: len(ids) - _MAX_PER_CHAT]
        self._expire(now)

    def take(self, chat: int) -> list[int]:
        """Every id still deletable in `chat`, which is then forgotten."""
        ids = self._chats.pop(chat, [])
        oldest = self._clock() - self._keep_for
        return sorted({mid for mid, at in ids if at > oldest})

    def newest(self, chat: int) -> int | None:
        """The id of the newest message known in `chat`."""
        ids = self._chats.get(chat)
        return max(mid for mid, _ in ids) if ids else None

    def count(self, chat: int) -> int:
        return len(self._chats.get(chat, ()))

    def _expire(self, now: float) -> None:
        """Drop chats whose newest message is too old to delete (least recent come first)."""
        oldest = now - self._keep_for
        while self._chats:
            chat, ids = next(iter(self._chats.items()))
            if ids[-1][1] > oldest:
                break
            del self._chats[chat]

    # -- across a restart ----------------------------------------------------

    def save(self, path: Path, keys: ChannelSecrets) -> None:
        """Write the lists encrypted to `path` (mode 0600); nothing when there are none."""
        self._expire(self._clock())
        if not self._chats:
            return
        plain = json.dumps(
            [[chat, ids] for chat, ids in self._chats.items()], separators=(",", ":")
        ).encode()
        blob = keys.seal_at_rest(plain, _BOUND_TO)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        tmp.replace(path)

    def load(self, path: Path, keys: ChannelSecrets) -> None:
        """Read lists saved by `save` and delete the file; a bad file is deleted and ignored."""
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            return
        path.unlink(missing_ok=True)
        try:
            saved = json.loads(keys.open_at_rest(blob, _BOUND_TO))
        except (TamperedError, ValueError):
            return
        for chat, ids in saved:
            self._chats[int(chat)] = [(int(mid), float(at)) for mid, at in ids]
        self._expire(self._clock())
