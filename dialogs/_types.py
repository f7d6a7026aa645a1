"""The dialog engine's own types: what a turn takes and what it gives back.

The engine is pure: `Dialog.handle(draft, text, now)` returns a new draft and the
replies, and never touches a store, a clock or a platform.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

import orjson

# JSON-compatible answer values (str, list[str], bool, dict, None).
JSON = str | int | float | bool | None | list["JSON"] | dict[str, "JSON"]
"""A JSON value, as drafts and sealed reports hold it."""
Answer = JSON

Outcome = Literal["continue", "confirmed", "cancelled"]

# What a channel shows besides a text box, so each sentence tells the reporter what is
# there: "typed" nothing (a terminal, SMS), "choices" a button per answer but commands
# typed (Telegram), "buttons" a button per answer and per command (the web chat).
Controls = Literal["typed", "choices", "buttons"]
# The sentences a kind of channel says, in order: where "buttons" has no sentence of its
# own it says the "choices" one, and where none fits, the base text.
SAYS_LIKE: Mapping[Controls, tuple[Controls, ...]] = {
    "typed": ("typed",),
    "choices": ("choices",),
    "buttons": ("buttons", "choices"),
}


@dataclass(frozen=True, slots=True)
class Option:
    """A button the reporter may press: a stable id and its label in their language.

    `words` are other words and phrases the reporter may type for it (their
    language's and English), and `means` is "yes" or "no" when a bare yes or no
    picks it. Only the parsers read them; buttons compare by id and label.
    """

    id: str
    label: str
    words: tuple[str, ...] = field(default=(), compare=False, repr=False)
    means: str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Reply:
    """One message from the bot.

    `options` are buttons for a choice, `multi` says several may be picked,
    `expects` names the answer kind asked for (None for information only), and
    `sensitive` marks text that repeats report content (the read-back), which a
    channel should protect from forwarding and saving. `progress` is (this
    question's number, the questions on the path as answered so far): the path
    may still change, so it is "about". `items` are the read-back's answers as
    (summary, answer) in the order the text numbers them from 1, for a channel
    that draws its own "Change" control beside each; the text has them too.
    """

    text: str
    options: tuple[Option, ...] = ()
    multi: bool = False
    expects: str | None = None
    sensitive: bool = False
    step: str | None = None
    direction: str = "ltr"  # "rtl" for Arabic, Urdu...: channels render it right-to-left
    progress: tuple[int, int] | None = None
    items: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class Draft:
    """A conversation in progress: everything needed to take the next turn.

    It is serialised to JSON and sealed with the server's draft key between turns.
    """

    script_id: str
    script_version: str
    locale: str
    state: str
    answers: dict[str, Answer] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    pending: dict[str, Any] | None = None
    rejects: int = 0
    editing: bool = False
    # The reporter's own words for answers typed to choice questions (shown to reviewers
    # beside the option), the languages switched to (from, to, step), and those declined.
    typed: dict[str, str] = field(default_factory=dict)
    switches: list[dict[str, str]] = field(default_factory=list)
    declined: list[str] = field(default_factory=list)

    def to_json(self) -> bytes:
        # Spelled out rather than dataclasses.asdict: this runs on every turn.
        fields = {
            "script_id": self.script_id,
            "script_version": self.script_version,
            "locale": self.locale,
            "state": self.state,
            "answers": self.answers,
            "flags": self.flags,
            "history": self.history,
            "pending": self.pending,
            "rejects": self.rejects,
            "editing": self.editing,
            "typed": self.typed,
            "switches": self.switches,
            "declined": self.declined,
        }
        return orjson.dumps(fields)

    def copy(self) -> Draft:
        """A copy whose answers, flags and history the caller may change. The answers'
        JSON values are shared with this draft: replace them, never change one in place
        (the engine only ever replaces them). A JSON round trip did the same at ten
        times the cost, on every turn."""
        return Draft(
            self.script_id,
            self.script_version,
            self.locale,
            self.state,
            dict(self.answers),
            list(self.flags),
            list(self.history),
            self.pending,
            self.rejects,
            self.editing,
            dict(self.typed),
            list(self.switches),
            list(self.declined),
        )

    @classmethod
    def from_json(cls, data: bytes) -> Draft:
        return cls(**orjson.loads(data))


@dataclass(frozen=True, slots=True)
class ReportAnswer:
    """One answered question of a finished report, in the script's own language."""

    step: str
    kind: str
    question: str
    summary: str
    value: Answer
    display: str  # the value as the read-back shows it, in the script's language
    typed: str | None = None  # the reporter's own words, when a choice was typed, not pressed


@dataclass(frozen=True, slots=True)
class Report:
    """A finished, confirmed report: what is sealed for the reviewers.

    Its JSON form (handoff/ENVELOPE.md, format 2) adds the reference and the list of
    evidence files sealed with it (`sealed_json`).
    """

    script_id: str
    script_version: str
    locale: str
    flags: tuple[str, ...]
    confirmed_at: datetime
    answers: tuple[ReportAnswer, ...]
    switches: tuple[Mapping[str, str], ...] = ()  # languages switched to: from, to, step

    FORMAT = 2  # 2: the sealed report may carry `attachments`

    @property
    def urgent(self) -> bool:
        return "urgent" in self.flags

    def sealed_json(
        self, reference: str, attachments: Sequence[Mapping[str, JSON]], missing: int = 0
    ) -> bytes:
        """The report as sealed: its answers, its reference and the files sealed with it."""
        fields: dict[str, JSON] = {
            "format": self.FORMAT,
            "script": {"id": self.script_id, "version": self.script_version},
            "locale": self.locale,
            "flags": list(self.flags),
            "confirmed_at": self.confirmed_at.astimezone(UTC).isoformat(),
            "answers": [
                {
                    "step": a.step,
                    "kind": a.kind,
                    "question": a.question,
                    "summary": a.summary,
                    "value": a.value,
                    "display": a.display,
                    **({} if a.typed is None else {"typed": a.typed}),
                }
                for a in self.answers
            ],
            "languages": [dict(s) for s in self.switches],
            "reference": reference,
            "attachments": [dict(entry) for entry in attachments],
        }
        if missing:
            fields["attachments_missing"] = missing
        return orjson.dumps(fields)


@dataclass(frozen=True, slots=True)
class TurnResult:
    """What one turn produced.

    `draft` is None when the conversation ended (confirmed or cancelled).
    On "confirmed", `report` holds the finished report to seal.
    """

    draft: Draft | None
    replies: tuple[Reply, ...]
    outcome: Outcome = "continue"
    report: Report | None = None


class Clock(Protocol):
    def __call__(self) -> datetime: ...
