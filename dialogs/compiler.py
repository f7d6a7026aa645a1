"""Compile a script once into a `transitions` machine shared by all its conversations.

States are step ids; one trigger, `advance`, has one transition per `next` rule,
in order, each guarded by a `Guard` callable built from the typed condition.
transitions resolves *strings* as model attributes or import paths, so no
string ever reaches it as a callback.

One model object per machine is reused: a turn does `set_state` + trigger
(~7 µs, against ~80 µs for add_model/remove_model). That is safe because a turn
is synchronous; the machine must not be shared across threads.

The machine's answers are remembered: the step after a state depends only on
what its rules test — which of the compared option ids each tested answer
equals or contains, whether it is "don't know", whether it is there — so that
summary is the key (it never holds what a reporter typed). A turn and the
read-back ask for the next step a dozen times; each repeat is a dict lookup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from transitions import Machine, MachineError

from dialogs._types import Answer
from dialogs.conditions import (
    Answered,
    Condition,
    Has,
    In,
    Is,
    describe,
    evaluate,
    is_unknown_answer,
    leaves,
)
from dialogs.loader import Script
from locales.errors import ScriptError, ScriptIssue

TRIGGER = "advance"


class Guard:
    """A transition condition: evaluates one typed condition against the answers."""

    __slots__ = ("condition",)

    def __init__(self, condition: Condition) -> None:
        self.condition = condition

    def __call__(self, answers: Mapping[str, Answer]) -> bool:
        return evaluate(self.condition, answers)

    @property
    def label(self) -> str:
        return describe(self.condition)

    def __repr__(self) -> str:
        return f"Guard({self.label})"


@dataclass(frozen=True, slots=True)
class Edge:
    """One transition, as drawn in diagrams: `condition` None is the default rule."""

    source: str
    dest: str
    condition: Condition | None


class _Tested:
    """What a state's rules test: for each step they read, the option ids compared."""

    __slots__ = ("steps",)

    def __init__(self, conditions: list[Condition]) -> None:
        compared: dict[str, set[str]] = {}
        for condition in conditions:
            for leaf in leaves(condition):
                values = compared.setdefault(leaf.step, set())
                match leaf:
                    case Is(value=value) | Has(value=value):
                        values.add(value)
                    case In(values=many):
                        values.update(many)
                    case Answered():
                        pass
        self.steps = tuple((step, tuple(sorted(v))) for step, v in sorted(compared.items()))

    def key(self, answers: Mapping[str, Answer]) -> tuple[object, ...]:
        """A summary of `answers` that decides every rule of the state, and nothing more."""
        return tuple(_summary(answers, step, values) for step, values in self.steps)


_ABSENT = ("absent",)
_UNKNOWN = ("unknown",)
_OTHER = ("other",)


def _summary(answers: Mapping[str, Answer], step: str, values: tuple[str, ...]) -> object:
    if step not in answers:
        return _ABSENT
    answer = answers[step]
    if isinstance(answer, str):
        return ("is", answer) if answer in values else _OTHER
    if isinstance(answer, list):
        return ("has", *(v for v in values if v in answer))
    return _UNKNOWN if is_unknown_answer(answer) else _OTHER


class _Cursor:
    """The one model of a machine; `state` is set before every trigger."""

    state: str


class CompiledScript:
    """A script's machine. `next_step` is the only thing a turn needs from it."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self._cursor = _Cursor()
        transitions = [
            {
                "trigger": TRIGGER,
                "source": step.id,
                "dest": rule.goto,
                "conditions": [Guard(rule.when)] if rule.when is not None else [],
            }
            for step in script.steps
            for rule in step.next
        ]
        try:
            self.machine = Machine(
                model=self._cursor,
                states=[step.id for step in script.steps],
                initial=script.start,
                transitions=transitions,
                auto_transitions=False,
                send_event=False,
            )
        except ValueError as exc:
            issue = ScriptIssue(script.name, 1, f"cannot compile: {exc}", "compile")
            raise ScriptError([issue]) from exc
        self._advance = self.machine.events[TRIGGER] if transitions else None
        self._tested = {
            step.id: _Tested([rule.when for rule in step.next if rule.when is not None])
            for step in script.steps
        }
        self._known: dict[tuple[str, tuple[object, ...]], str] = {}

    @property
    def states(self) -> list[str]:
        return list(self.machine.states)

    def edges(self) -> list[Edge]:
        """Every transition in rule order, read back from the machine."""
        out: list[Edge] = []
        if self._advance is None:
            return out
        for source, transitions in self._advance.transitions.items():
            for transition in transitions:
                guards = [c.func for c in transition.conditions if isinstance(c.func, Guard)]
                condition = guards[0].condition if guards else None
                out.append(Edge(source, str(transition.dest), condition))
        return out

    def next_step(self, state: str, answers: Mapping[str, Answer]) -> str:
        """The step after `state` given `answers`: the first rule whose condition holds."""
        tested = self._tested.get(state)
        if tested is None:
            return self._trigger(state, answers)
        key = (state, tested.key(answers))
        known = self._known.get(key)
        if known is None:
            known = self._known[key] = self._trigger(state, answers)
        return known

    def _trigger(self, state: str, answers: Mapping[str, Answer]) -> str:
        try:
            moved = self._advance is not None and self._advance.trigger(self._set(state), answers)
        except MachineError:
            moved = False
        if not moved:
            issue = ScriptIssue(self.script.name, 1, f"no rule leads on from '{state}'", "compile")
            raise ScriptError([issue])
        return self._cursor.state

    def _set(self, state: str) -> _Cursor:
        self.machine.set_state(state, model=self._cursor)
        return self._cursor


@lru_cache(maxsize=64)
def compile_script(script: Script) -> CompiledScript:
    """The compiled machine of `script`: one per script id and version, built once.

    Scripts compare by id and version, so every Dialog on one version shares it.
    """
    return CompiledScript(script)
