"""The compiled machine: the remembered next step is always the machine's own answer."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dialogs import load_script
from dialogs._types import Answer
from dialogs.compiler import CompiledScript
from dialogs.conditions import UNKNOWN, leaves
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


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.stem)
def test_remembered_next_steps_match_a_fresh_machine_for_random_answers(path: Path) -> None:
    script = load_script(path)
    remembered, machine = CompiledScript(script), CompiledScript(script)
    candidates = _candidates(script)
    assert candidates, "the script has conditional rules to test"
    rng = random.Random(7)  # noqa: S311 -- reproducible answers, not secrets
    for _ in range(3000):
        answers = {
            step: rng.choice(values) for step, values in candidates.items() if rng.random() < 0.7
        }
        for step in script.steps:
            if step.kind == "confirm":
                continue
            # _trigger asks the transitions machine itself, remembering nothing
            assert remembered.next_step(step.id, answers) == machine._trigger(step.id, answers)


def test_the_remembered_key_holds_no_typed_text() -> None:
    script = load_script(SCRIPTS[1])
    compiled = CompiledScript(script)
    tested = [s for s in script.steps if any(r.when is not None for r in s.next)]
    for step in tested:
        compiled.next_step(step.id, {s.id: "canary-7f3a typed words" for s in script.steps})
    assert "canary-7f3a" not in repr(compiled._known)
