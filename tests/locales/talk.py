"""A reporter talking to the shipped script through the real engine and the real catalogs.

`Talk` answers every question on the way with a plain answer (the first
button, "skip", "don't know") until it reaches the step a test is about, so a
test can say what a reporter types there and read what was stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from dialogs import Dialog, Draft, Reply, Script, TurnResult, load_script
from dialogs.catalogs import SCRIPTS_DIR
from locales import LANGUAGES, translator

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # a Monday afternoon
UNKNOWN = {"unknown": True}

# What is typed on the way to a step (English works in every language).
ON_THE_WAY = {
    "danger": "no",
    "what_happened": "He took money to drop a case against my brother.",
    "category": "1",
    "who_role": "1",
    "force": "the Met",
    "officer_name": "skip",
    "rank": "skip",
    "number": "skip",
    "station": "skip",
    "description": "skip",
    "when": "yesterday",
    "where": "Brixton",
    "how_contact": "1",
    "duty": "1",
    "how_know": "1",
    "at_risk": "no",
    "at_risk_detail": "my sister",
    "reported_before": "2",
    "evidence": "skip",
    "evidence_files": "done",
    "anonymity": "1",
    "contact_name": "skip",
    "contact_how": "07911 123456",
    "safe_times": "skip",
    "leave_message": "no",
}


@cache
def shipped_script() -> Script:
    return load_script(SCRIPTS_DIR / "police-misconduct.yaml")


@cache
def dialog() -> Dialog:
    return Dialog(shipped_script(), translator, LANGUAGES)


class Talk:
    """One conversation in `locale` on the shipped script."""

    def __init__(self, locale: str, now: datetime = NOW) -> None:
        self.dialog = dialog()
        self.now = now
        self.result = self.dialog.start(locale, now)
        self.draft: Draft | None = self.result.draft

    def say(self, text: str) -> TurnResult:
        assert self.draft is not None, "the conversation has ended"
        self.result = self.dialog.handle(self.draft, text, self.now)
        self.draft = self.result.draft
        return self.result

    @property
    def step(self) -> str:
        assert self.draft is not None
        return self.draft.state

    @property
    def asked(self) -> Reply:
        return next(r for r in reversed(self.result.replies) if r.expects or r.options)

    @property
    def texts(self) -> list[str]:
        return [reply.text for reply in self.result.replies]

    def to(self, step: str) -> Talk:
        """Answer plainly until `step` is asked."""
        for _ in range(40):
            if self.step == step and (self.draft and self.draft.pending is None):
                return self
            self.say(ON_THE_WAY[self.step])
            if self.draft is not None and (self.draft.pending or {}).get("kind") == "switch":
                self.say("no")  # the English typed on the way is offered as a language: stay
            if self.draft is not None and self.draft.pending is not None:
                self.say("yes")  # "Is that right?" after a date
        raise AssertionError(f"never reached {step!r}")

    def stored(self, step: str) -> Any:
        assert self.draft is not None
        return self.draft.answers.get(step, "<not stored>")
