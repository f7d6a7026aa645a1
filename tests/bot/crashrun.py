"""Run the real `tipline` CLI, SIGKILLing itself around the commit of the confirming turn.

    python -m tests.bot.crashrun before-seal|after-seal|after-shown chat|run ...

before-seal: as the sealing turn is about to commit; after-seal: right after it
committed, before the closing message is shown; after-shown: once the channel
has shown the closing (printed, sent, served), before it tells the service so.

The kill is a real SIGKILL of a real process at an exact point, placed by the
test harness: nothing in Tipline itself knows about it.
"""

from __future__ import annotations

import os
import signal
import sys

from bot.cli import main
from bot.messages import Outbound
from bot.service import Conversations
from store import SqliteStore, TurnCommit

_real_commit = SqliteStore.commit_turn


async def _commit_then_die(self: SqliteStore, commit: TurnCommit, now: object) -> None:
    if commit.sealed is not None and MODE == "before-seal":
        os.kill(os.getpid(), signal.SIGKILL)
    await _real_commit(self, commit, now)  # type: ignore[arg-type]
    if commit.sealed is not None and MODE == "after-seal":
        os.kill(os.getpid(), signal.SIGKILL)


_real_delivered = getattr(Conversations, "delivered", None)


async def _shown_then_die(self: Conversations, channel: str, chat: str, out: Outbound) -> None:
    if out.reference is not None and MODE == "after-shown":
        os.kill(os.getpid(), signal.SIGKILL)
    if _real_delivered is not None:
        await _real_delivered(self, channel, chat, out)


if __name__ == "__main__":
    MODE = sys.argv[1]
    SqliteStore.commit_turn = _commit_then_die  # type: ignore[method-assign,assignment]
    Conversations.delivered = _shown_then_die  # type: ignore[method-assign]
    sys.exit(main(sys.argv[2:]))
