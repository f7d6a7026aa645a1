"""The compiled machine: its next step is always the first rule, in script order, that holds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dialogs import load_script
from dialogs._types import Answer
from dialogs.compiler import CompiledScript
from dialogs.conditions import UNKNOWN, evaluate, leaves
from dialogs.loader import Script

SCRIPTS = [
    Path(__file__).parents[2] / "dialogs" / "scripts" / "police-misconduct.yaml",
    Path(__file__).parent / "scripts" / "small.yaml",
]


def _candidates(script: Script) -> dict[str, list[Answer]]:
    """For every step a rule tests: the values it compares, and answers it does not."""
    found: dict[str, list[Answer]] = {}
    for step in script.steps:
        for rule in step.next:
            if rule.when is None:
                continue
            for leaf in leaves(rule.when):
                values = list(getattr(leaf, "values", ())) or [getattr(leaf, "value", "x")]
                found.setdefault(leaf.step, []).extend(values)
    return {
        step: [*values, [*values], values[:1], [], "something typed", UNKNOWN, {"date": "x"}]
        for step, values in found.items()
    }


def _first_rule_that_holds(script: Script, step_id: str, answers: dict[str, Answer]) -> str:
    """The script's rules read as written: the first whose condition holds (None: always)."""
    for rule in script.step(step_id).next:
        if rule.when is None or evaluate(rule.when, answers):
            return rule.goto
    raise AssertionError(f"no rule of {step_id} holds")


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.stem)
def test_the_machine_takes_the_first_rule_that_holds_for_random_answers(path: Path) -> None:
    script = load_script(path)
    machine = CompiledScript(script)
    candidates = _candidates(script)
    assert candidates, "the script has conditional rules to test"
    rng = random.Random(7)  # noqa: S311 -- reproducible answers, not secrets
    for _ in range(1000):
        answers = {
            step: rng.choice(values) for step, values in candidates.items() if rng.random() < 0.7
        }
        for step in script.steps:
            if step.kind == "confirm":
                continue
            expected = _first_rule_that_holds(script, step.id, answers)
            assert machine.next_step(step.id, answers) == expected
