"""Simulated reporters: answer whatever the bot asks, the way a person would type it.

The policy reads each question's `expects` and options, so it follows any script.
Shared by the benchmarks and the end-to-end tests.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from dialogs._types import Reply

TEXT_ANSWERS = {
    "what_happened": "He stopped me twice on the way home and asked for money to drop it.",
    "force": "met",
    "where": "Outside the station on the high street",
    "contact_how": "07911 123456",
}


YES_STEPS = frozenset({"when", "leave_message"})


def question(replies: Sequence[Reply]) -> Reply | None:
    """The last reply that asks for an answer."""
    for reply in reversed(replies):
        if reply.expects is not None:
            return reply
    return None


def answer(reply: Reply, rng: random.Random) -> str:
    """A plausible typed answer to `reply`, as a reporter would send it."""
    kind = reply.expects
    if kind == "confirm":
        return "confirm"
    if kind == "yesno":
        # The date echo ("Is that right?", asked on the date's step) and "may we leave a
        # message" get yes; "is anyone in danger / at risk" gets no.
        return "yes" if reply.step in YES_STEPS else "no"
    if kind == "choice":
        return str(rng.randint(1, len(reply.options))) if reply.options else "1"
    if kind == "multi":
        return "1, 2" if len(reply.options) > 1 else "1"
    if kind == "date":
        return rng.choice(("last Tuesday evening", "12/03", "about 3 weeks ago", "yesterday"))
    if kind == "contact":
        return "07911 123456"
    if kind == "language":
        return "1"
    return TEXT_ANSWERS.get(reply.step or "", "I don't know")
