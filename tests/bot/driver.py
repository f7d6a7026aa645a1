"""A simulated reporter for tests: answers each question by its step id."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence

from bench.reporters import answer as typical_answer
from bench.reporters import question
from bot.messages import Inbound, Outbound, Reply
from bot.service import Conversations

Script = Mapping[str, str | Sequence[str]]


class Talk:
    """One reporter's chat with the service; like a channel, it says when it showed a turn's
    replies (`shows` False: a channel that crashed before showing any)."""

    _ids = itertools.count()

    def __init__(
        self, conversations: Conversations, chat: str | None = None, *, shows: bool = True
    ) -> None:
        self.conversations = conversations
        self.shows = shows
        self.chat = chat or f"test-{next(self._ids)}"
        self.messages = itertools.count(1)
        self.last: Outbound | None = None
        self.seen_steps: list[str] = []
        self.opening = False  # the welcome was shown by `open`, and nothing stored yet

    async def open(self) -> Outbound:
        opened = await self._do(Inbound("test", self.chat, None, None))
        self.opening = opened.started
        return opened

    async def send(self, text: str, message_id: str | None = None) -> Outbound:
        mid = message_id or str(next(self.messages))
        inbound = Inbound("test", self.chat, mid, text)
        if self.opening:
            # As the channels do: the welcome was shown and nothing stored (no draft until
            # the first answer); if this answer began the draft, it answers the question.
            first = await self.conversations.handle(inbound)
            self.opening = first.refused
            if not first.started:
                return await self._record(first)
            inbound = Inbound("test", self.chat, f"{mid}.first", text)
        return await self._do(inbound)

    async def _do(self, inbound: Inbound) -> Outbound:
        return await self._record(await self.conversations.handle(inbound))

    async def _record(self, outbound: Outbound) -> Outbound:
        self.last = outbound
        if self.shows:
            await self.conversations.delivered("test", self.chat, outbound)
        asked = self.asked
        if asked is not None and asked.step is not None:
            self.seen_steps.append(asked.step)
        return self.last

    @property
    def asked(self) -> Reply | None:
        return None if self.last is None else question(self.last.replies)

    @property
    def step(self) -> str | None:
        asked = self.asked
        return None if asked is None else asked.step

    @property
    def text(self) -> str:
        """Every reply of the last turn, joined."""
        return "" if self.last is None else "\n".join(r.text for r in self.last.replies)

    async def until(self, stop_at: str | None, answers: Script, limit: int = 120) -> Outbound:
        """Answer questions (from `answers` by step, else a typical answer) until `stop_at`
        is asked (or the conversation ends when `stop_at` is None)."""
        rng = random.Random(7)  # noqa: S311 -- reproducible answers, not secrets
        queues = {k: [v] if isinstance(v, str) else list(v) for k, v in answers.items()}
        if self.last is None:
            await self.open()
        for _ in range(limit):
            assert self.last is not None
            if self.last.ended:
                return self.last
            asked = self.asked
            assert asked is not None, f"no question asked after: {self.text!r}"
            if asked.step == stop_at and not _is_echo(asked):
                return self.last
            pending = queues.get(asked.step or "")
            if pending and not _is_echo(asked):
                text = pending.pop(0) if len(pending) > 1 else pending[0]
            else:
                text = typical_answer(asked, rng)
            await self.send(text)
        raise AssertionError(f"conversation did not reach {stop_at!r} in {limit} turns")


def _is_echo(reply: Reply) -> bool:
    """The 'Is that right?' question after a date, asked on the date's own step."""
    return reply.expects == "yesno" and reply.step == "when"
