"""back, skip, restart, cancel, help and language on every step of the shipped script."""

from __future__ import annotations

import itertools

import pytest

from tests.bot.conftest import Env
from tests.bot.driver import Talk
from tests.bot.test_paths import ANONYMOUS

CONTACT = {
    **ANONYMOUS,
    "anonymity": "2",
    "contact_name": "Sam",
    "contact_how": "07911 123456",
    "safe_times": "evenings",
    "leave_message": "yes",
}


async def path_steps(env: Env) -> list[str]:
    """The questions asked, in order, on the contact path (which covers every step but
    the two urgent branches)."""
    talk = Talk(env.app.conversations)
    await talk.until("review", CONTACT)
    ordered: list[str] = []
    for step in talk.seen_steps:
        if step not in ordered:
            ordered.append(step)
    return ordered


def optional_steps(env: Env) -> set[str]:
    return {s.id for s in env.app.dialogs.current.script.steps if s.optional}


@pytest.mark.parametrize("word", ["back", "/back", "BACK "])
async def test_back_on_every_step_asks_the_previous_question(env: Env, word: str) -> None:
    steps = await path_steps(env)
    for before, step in itertools.pairwise(steps):
        talk = Talk(env.app.conversations)
        await talk.until(step, CONTACT)
        await talk.send(word)
        assert talk.step == before, f"back at {step}"
    talk = Talk(env.app.conversations)
    await talk.until(steps[0], CONTACT)
    await talk.send(word)
    assert talk.step == steps[0]
    assert "first question" in talk.text


async def test_back_keeps_the_answer_given_and_the_report_is_complete(env: Env) -> None:
    talk = Talk(env.app.conversations)
    await talk.until("duty", CONTACT)
    await talk.send("back")
    assert talk.step == "how_contact"
    await talk.send("online")
    await talk.until(None, CONTACT)
    [report] = await env.reports()
    got = {a["step"]: a["value"] for a in report["answers"]}
    assert got["how_contact"] == "online"
    assert got["officer_name"] == "PC Dawson", "answers before the detour survive"


async def test_skip_moves_on_only_from_optional_steps(env: Env) -> None:
    steps = await path_steps(env)
    optional = optional_steps(env)
    assert optional, "the shipped script has optional steps"
    for step in steps:
        if step == "review":
            continue
        talk = Talk(env.app.conversations)
        await talk.until(step, CONTACT)
        await talk.send("/skip")
        if step in optional:
            assert talk.step != step, f"skip at optional {step}"
        else:
            assert talk.step == step, f"skip at required {step}"
            assert "can't be skipped" in talk.text


async def test_skipped_steps_are_left_out_of_the_report(env: Env) -> None:
    talk = Talk(env.app.conversations)
    skipped = {"officer_name": "skip", "rank": "skip", "evidence": "skip"}
    await talk.until(None, {**ANONYMOUS, **skipped})
    got = {a["step"] for a in (await env.reports())[0]["answers"]}
    assert not set(skipped) & got
    assert "what_happened" in got


async def test_help_on_every_step_explains_and_asks_again(env: Env) -> None:
    for step in await path_steps(env):
        talk = Talk(env.app.conversations)
        await talk.until(step, CONTACT)
        question = talk.asked
        await talk.send("help")
        assert talk.step == step, f"help at {step}"
        assert question is not None
        assert talk.text != question.text, f"help says more at {step}"


async def test_restart_on_every_step_starts_over_with_nothing_kept(env: Env) -> None:
    steps = await path_steps(env)
    for step in steps:
        talk = Talk(env.app.conversations)
        await talk.until(step, CONTACT)
        await talk.send("restart")
        assert talk.asked is not None
        assert talk.asked.expects == "yesno", f"restart asks first at {step}"
        await talk.send("yes")
        assert talk.step == steps[0], f"restart at {step}"
        assert "deleted" in talk.text
    # The last restarted conversation completes without any of its earlier answers.
    await talk.until(None, {**ANONYMOUS, "what_happened": "A different account entirely."})
    reports = await env.reports()
    assert [r for r in reports if any(a["value"] == "Sam" for a in r["answers"])] == []


async def test_cancel_on_every_step_asks_then_deletes_the_draft(env: Env) -> None:
    steps = await path_steps(env)
    baseline = await env.app.store.count_drafts()  # path_steps left its own draft open
    for step in steps:
        talk = Talk(env.app.conversations)
        await talk.until(step, CONTACT)
        opening = step == steps[0]  # nothing is stored until the first answer
        assert await env.app.store.count_drafts() == baseline + (0 if opening else 1)
        asked = await talk.send("cancel")
        assert not asked.ended, f"cancel asks first at {step}"
        assert await env.app.store.count_drafts() == baseline + 1
        out = await talk.send("yes")
        assert out.ended, f"cancel at {step}"
        assert "deleted" in talk.text
        assert "Nothing was sent" in talk.text
        assert await env.app.store.count_drafts() == baseline
        # Coming back starts a new conversation from the welcome.
        await talk.open()
        assert talk.step == "danger"
        await talk.send("cancel")
        await talk.send("yes")
    assert await env.app.store.queue() == []


async def test_language_on_every_step_asks_then_returns_to_the_same_question(env: Env) -> None:
    for step in await path_steps(env):
        talk = Talk(env.app.conversations)
        await talk.until(step, CONTACT)
        await talk.send("language")
        assert talk.asked is not None
        assert "English" in [o.label for o in talk.asked.options]
        await talk.send("English")
        assert talk.step == step, f"language at {step}"
