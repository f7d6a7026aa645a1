"""Conditions: what each test means for the stored answers."""

from __future__ import annotations

import pytest

from dialogs.conditions import (
    AllOf,
    Answered,
    AnyOf,
    Condition,
    Has,
    In,
    Is,
    Not,
    describe,
    evaluate,
)

ANSWERS = {
    "danger": "yes",
    "category": "money",
    "who": {"unknown": True},
    "evidence": ["photo", "messages"],
}


@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        (Is("danger", "yes"), True),
        (Is("danger", "no"), False),
        (Is("who", "unknown"), True),
        (Is("missing", "yes"), False),
        (In("category", ("money", "sexual")), True),
        (In("who", ("unknown",)), True),
        (In("category", ("sexual",)), False),
        (Has("evidence", "photo"), True),
        (Has("evidence", "video"), False),
        (Has("category", "money"), False),  # a choice answer is not a list
        (Answered("who", True), True),  # "don't know" is an answer
        (Answered("missing", True), False),
        (Answered("missing", False), True),
        (AllOf((Is("danger", "yes"), Has("evidence", "photo"))), True),
        (AllOf((Is("danger", "yes"), Has("evidence", "video"))), False),
        (AnyOf((Is("danger", "no"), Has("evidence", "photo"))), True),
        (Not(Is("danger", "yes")), False),
    ],
    ids=lambda value: str(value) if isinstance(value, bool) else describe(value),
)
def test_a_condition_holds_exactly_when_the_answers_say_so(
    condition: Condition, holds: bool
) -> None:
    assert evaluate(condition, ANSWERS) is holds


def test_description_groups_nested_conditions() -> None:
    condition = AllOf((Not(AnyOf((Is("a", "yes"), In("b", ("x", "y"))))), Answered("c", False)))
    assert describe(condition) == "not (a is yes or b in x, y) and c not answered"
