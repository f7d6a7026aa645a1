"""Typed conditions of a dialog script and their evaluation against answers.

Conditions are plain data parsed by the loader; these pure functions evaluate,
walk and describe them. Nothing here can reach code named in a script.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from dialogs._types import JSON, Answer

UNKNOWN: dict[str, JSON] = {"unknown": True}


@dataclass(frozen=True, slots=True)
class Is:
    """The answer to `step` equals `value` (a yes/no word or an option id; `unknown` too)."""

    step: str
    value: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class In:
    """The answer to `step` is one of `values`."""

    step: str
    values: tuple[str, ...]
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Has:
    """The multi answer to `step` contains option `value`."""

    step: str
    value: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Answered:
    """`step` was answered (`expected` true) or skipped / never asked (false)."""

    step: str
    expected: bool
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple[Condition, ...]
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Condition, ...]
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Not:
    item: Condition
    line: int = field(default=0, compare=False)


Leaf = Is | In | Has | Answered
Condition = Is | In | Has | Answered | AllOf | AnyOf | Not


def is_unknown_answer(answer: Answer) -> bool:
    """True for the stored "I don't know" answer."""
    return isinstance(answer, dict) and answer.get("unknown") is True


def _equals(answer: Answer, value: str) -> bool:
    if value == "unknown" and is_unknown_answer(answer):
        return True
    return isinstance(answer, str) and answer == value


def evaluate(condition: Condition, answers: Mapping[str, Answer]) -> bool:
    """Whether `condition` holds for `answers` (step id → stored answer)."""
    match condition:
        case Is(step=step, value=value):
            return step in answers and _equals(answers[step], value)
        case In(step=step, values=values):
            return step in answers and any(_equals(answers[step], v) for v in values)
        case Has(step=step, value=value):
            answer = answers.get(step)
            return isinstance(answer, list) and value in answer
        case Answered(step=step, expected=expected):
            return (step in answers) == expected
        case AllOf(items=items):
            return all(evaluate(item, answers) for item in items)
        case AnyOf(items=items):
            return any(evaluate(item, answers) for item in items)
        case Not(item=item):
            return not evaluate(item, answers)
    raise TypeError(f"not a condition: {type(condition).__name__}")  # pragma: no cover


def leaves(condition: Condition) -> Iterator[Leaf]:
    """Every test on an answer inside `condition`, depth first."""
    match condition:
        case AllOf(items=items) | AnyOf(items=items):
            for item in items:
                yield from leaves(item)
        case Not(item=item):
            yield from leaves(item)
        case Is() | In() | Has() | Answered():
            yield condition


def describe(condition: Condition) -> str:
    """A short English reading of `condition`, for diagrams and lint messages."""
    match condition:
        case Is(step=step, value=value):
            return f"{step} is {value}"
        case In(step=step, values=values):
            return f"{step} in {', '.join(values)}"
        case Has(step=step, value=value):
            return f"{step} has {value}"
        case Answered(step=step, expected=expected):
            return f"{step} answered" if expected else f"{step} not answered"
        case AllOf(items=items):
            return " and ".join(_grouped(item) for item in items)
        case AnyOf(items=items):
            return " or ".join(_grouped(item) for item in items)
        case Not(item=item):
            return f"not {_grouped(item)}"
    raise TypeError(f"not a condition: {type(condition).__name__}")  # pragma: no cover


def _grouped(condition: Condition) -> str:
    text = describe(condition)
    return f"({text})" if isinstance(condition, AllOf | AnyOf) else text
