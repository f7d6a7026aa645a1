"""What a command or a question kind needs of the engine's turn in progress.

The engine's `_Turn` implements it; `commands` and `attachments` are written
against it, so neither imports the engine (which imports them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from dialogs._types import Draft, Option, Outcome, Report, TurnResult
from dialogs.loader import Script, Step
from locales import Translator

__all__ = ["Turn"]


class Turn(Protocol):
    """What a command needs of the engine's turn in progress."""

    draft: Draft
    script: Script

    @property
    def step(self) -> Step: ...
    @property
    def tr(self) -> Translator: ...
    def t(self, msgid: str, **params: str) -> str: ...
    def say(self, text: str, **fields: Any) -> None: ...
    def languages(self) -> tuple[Option, ...]: ...
    def again(self) -> None: ...
    def ask(self, step: Step) -> None: ...
    def enter(self, step_id: str) -> None: ...
    def proceed(self, step: Step) -> None: ...
    def readback(self) -> None: ...
    def reject(self, message: str, params: Mapping[str, str] | None = None) -> None: ...
    def result(
        self, outcome: Outcome = "continue", payload: Report | None = None
    ) -> TurnResult: ...
