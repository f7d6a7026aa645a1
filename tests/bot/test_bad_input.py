"""Bad input at every step of the shipped script: never breaks, never loses an answer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bot.conftest import Env
from tests.bot.driver import Talk
from tests.bot.test_commands import CONTACT, path_steps

BAD_INPUTS = {
    "empty": "",
    "spaces": "   \t ",
    "huge": "x" * 10_000,
    "emoji only": "😀🙈🔥",
    "control characters": "\x00\x07\x1b[31m\x7f",
    "bidi override": "\u202e\u2066",
    "number out of range": "99",
    "future date": "12 March 2031",
    "unparseable date": "the blorpth of Zanuary",
}


def value_of(report: dict[str, Any], step: str) -> Any:
    return {a["step"]: a["value"] for a in report["answers"]}.get(step)


@pytest.mark.parametrize("kind", BAD_INPUTS)
async def test_bad_input_on_every_step_is_explained_and_nothing_is_lost(
    env: Env, kind: str
) -> None:
    bad = BAD_INPUTS[kind]
    for step in await path_steps(env):
        talk = Talk(env.app.conversations)
        await talk.until(step, CONTACT)
        question = talk.asked
        assert question is not None
        await talk.send(bad)
        asked = talk.asked
        assert asked is not None, f"{kind} at {step}: a question always follows"
        if asked.step == step and asked.expects == question.expects:
            # Rejected: a specific explanation, then the same question again.
            assert talk.text != question.text, f"{kind} at {step}: explained"
            assert talk.text.endswith(question.text), f"{kind} at {step}: asked again"
            accepted = False
        else:
            accepted = True
        reports_before = len(await env.reports())
        if asked.step == step and asked.expects == "yesno" and question.expects == "date":
            await talk.send("no")  # the date echo: "no, that's not it" asks the date again
            assert talk.step == step
            accepted = False
        await talk.until(None, CONTACT)
        reports = await env.reports()
        assert len(reports) == reports_before + 1
        report = reports[-1]
        # Every other answer is exactly what the reporter gave.
        assert value_of(report, "what_happened") == (
            CONTACT["what_happened"] if step != "what_happened" or not accepted else bad.strip()
        )
        assert value_of(report, "contact_name") == (
            "Sam" if step != "contact_name" or not accepted else value_of(report, "contact_name")
        )
        if not accepted and step in CONTACT and step not in {"category", "anonymity"}:
            assert value_of(report, step) is not None, f"{kind} at {step}: answer recorded"
