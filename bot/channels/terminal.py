"""`tipline chat`: the whole conversation in a terminal, on the real engine and store.

With a terminal it prompts; with piped input it reads one answer per line and
prints the bot's messages to standard output, so a conversation can be scripted.
The terminal is a channel like any other: it only turns lines into `Inbound`s
and replies into text.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from typing import TextIO

from bot.messages import Inbound, Outbound, Reply, TurnHandler

CHANNEL = "terminal"
_CHOICE_KINDS = {"choice", "multi", "yesno"}


def render(reply: Reply) -> str:
    """A reply as plain text: the message, then its options numbered or as words to type.

    Nothing is added in English: every word shown comes from the reply, which is
    already in the reporter's language.
    """
    lines = [reply.text]
    if reply.options and reply.expects in _CHOICE_KINDS:
        lines += [f"  {n}. {option.label}" for n, option in enumerate(reply.options, 1)]
    elif reply.options:
        lines += [f"  [{option.label}]" for option in reply.options]
    return "\n".join(lines)


def show(outbound: Outbound, out: TextIO) -> None:
    for reply in outbound.replies:
        out.write(render(reply) + "\n\n")
    out.flush()


async def run_chat(
    turns: TurnHandler,
    session: str,
    locale: str | None,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
) -> int:
    """Chat until the report is sealed or cancelled, or input ends (the draft is kept)."""
    interactive = stdin.isatty()
    outbound = await turns(Inbound(CHANNEL, session, None, None, locale))
    # The welcome is shown without storing anything (no draft until the first answer).
    opening = outbound.started
    show(outbound, out)
    await turns.delivered(CHANNEL, session, outbound)
    while not outbound.ended:
        if interactive:
            out.write("> ")
            out.flush()
        line = await asyncio.to_thread(stdin.readline)
        if line == "":
            if interactive:
                out.write("\nYour draft is kept; run `tipline chat` again to go on.\n")
            return 0
        text = line.rstrip("\r\n")
        outbound = await turns(Inbound(CHANNEL, session, str(uuid.uuid4()), text, locale))
        if opening and outbound.started:
            # The first line began the conversation; it answers the question shown.
            outbound = await turns(Inbound(CHANNEL, session, str(uuid.uuid4()), text, locale))
        opening = outbound.started or (opening and outbound.refused)
        show(outbound, out)
        await turns.delivered(CHANNEL, session, outbound)  # printed and flushed: shown
    return 0
