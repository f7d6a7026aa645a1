"""How the page draws each message: short paragraphs, the read-back's answers, the receipt.

The engine's replies are plain text meant for any chat app. The page draws
them as a person reading on a phone would want them: one paragraph per line,
the read-back as a list with a "Change" control beside each answer (from the
reply's `items`), and the closing message with the reference and receipt in
large type in a box of their own. The same shapes feed the template (no
JavaScript) and the page's script (as JSON), so both draw the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.messages import COMMAND_WORDS, Outbound, Reply
from locales import N_, Translator

# The receipt as the service writes it: 16 digits in groups of four.
RECEIPT = re.compile(r"\b\d{4} \d{4} \d{4} \d{4}\b")
PROGRESS = N_("Question {number} of about {total}")
# Typed commands that delete answers: the page asks first, as for its own buttons.
DELETING = ("cancel", "restart")


@dataclass(frozen=True, slots=True)
class Said:
    """The reporter's own message, as they sent it."""

    text: str
    mine: bool = True


@dataclass(frozen=True, slots=True)
class Bubble:
    """One message from the bot, as the page draws it."""

    lines: tuple[str, ...]  # short paragraphs, in order
    direction: str
    question: bool = False  # the question the form answers: focus goes here after a turn
    items: tuple[tuple[str, str], ...] = ()  # the read-back's (summary, answer), each changeable
    codes: tuple[tuple[str, str], ...] = ()  # the closing's (label, code): reference, receipt
    after: tuple[str, ...] = ()  # paragraphs after the items or codes
    mine: bool = False

    def json(self) -> dict[str, object]:
        return {
            "lines": self.lines,
            "question": self.question,
            "items": self.items,
            "codes": self.codes,
            "after": self.after,
        }


def paragraphs(text: str) -> tuple[str, ...]:
    """The lines of a message that have something on them."""
    return tuple(line.strip() for line in text.split("\n") if line.strip())


def bubbles(outbound: Outbound) -> tuple[Bubble, ...]:
    """Every reply of a turn as the page draws it."""
    replies = outbound.replies
    asked = question_of(replies)
    drawn = []
    for index, reply in enumerate(replies):
        closing = index == len(replies) - 1 and outbound.ended and outbound.reference is not None
        if closing:
            drawn.append(_closing(reply, str(outbound.reference)))
        elif reply.items:
            drawn.append(_readback(reply, question=reply is asked))
        else:
            drawn.append(Bubble(paragraphs(reply.text), reply.direction, reply is asked))
    return tuple(drawn)


def question_of(replies: Sequence[Reply]) -> Reply | None:
    """The last reply that asks for an answer: the one the form answers."""
    for reply in reversed(replies):
        if reply.expects is not None:
            return reply
    return None


def progress_text(reply: Reply | None, tr: Translator) -> str:
    """ "Question 5 of about 18", when the engine says where the question sits."""
    if reply is None or reply.progress is None:
        return ""
    number, total = reply.progress
    text = tr.gettext(PROGRESS)
    try:
        return text.format(number=number, total=total)
    except (KeyError, IndexError, ValueError):  # a broken translation must not break a page
        return PROGRESS.format(number=number, total=total)


def command_in(typed: str | None, tr: Translator) -> str | None:
    """The command `typed` is, when it is a plain command word (with or without "/").

    Only English and the page's language: the engine knows more ways to say a
    command, and is the one that carries it out.
    """
    if not typed:
        return None
    word = typed.strip().removeprefix("/").casefold()
    for command, msgid in COMMAND_WORDS.items():
        if word in (msgid, tr.gettext(msgid).casefold()):
            return command
    return None


def _readback(reply: Reply, *, question: bool) -> Bubble:
    """The read-back: the words before the numbered answers, then the answers as items."""
    block = "\n".join(
        f"{n}. {summary}: {answer}" for n, (summary, answer) in enumerate(reply.items, 1)
    )
    before, found, after = reply.text.partition(block)
    if not found:  # not the text the items were made for: draw the text as it is
        return Bubble(paragraphs(reply.text), reply.direction, question)
    return Bubble(
        paragraphs(before), reply.direction, question, items=reply.items, after=paragraphs(after)
    )


def _closing(reply: Reply, reference: str) -> Bubble:
    """The closing: the lines with the reference and the receipt become the codes."""
    before: list[str] = []
    codes: list[tuple[str, str]] = []
    after: list[str] = []
    for line in paragraphs(reply.text):
        receipt = RECEIPT.search(line)
        code = reference if reference in line else receipt.group(0) if receipt else None
        if code is not None:
            label = line.replace(code, "").strip().rstrip(":：").strip()
            codes.append((label, code))
        else:
            (after if codes else before).append(line)
    return Bubble(tuple(before), reply.direction, codes=tuple(codes), after=tuple(after))
