"""A whole report over Telegram, by buttons and by typing, in polling and in webhook mode."""

from __future__ import annotations

from pathlib import Path

from tests.bot.test_paths import ANONYMOUS, answers
from tests.telegram.conftest import Tipline, running
from tests.telegram.driver import Reporter, button, labels, prompt, step_of

ANSWERS = {**ANONYMOUS, "review": "confirm"}


async def test_the_whole_script_by_buttons_and_by_typing_seals_the_same_report(
    tg: Tipline,
) -> None:
    by_buttons = Reporter(tg.fake, 1001)
    first = await by_buttons.start()
    assert step_of(first.text) == "danger"
    assert labels(first) == ["Yes", "No"]
    await by_buttons.until(None, ANSWERS, buttons=True)
    by_typing = Reporter(tg.fake, 1002)
    await by_typing.until(None, ANSWERS, buttons=False)

    reports = [r.report for r in await tg.reports()]
    assert len(reports) == 2
    got = [answers(r) for r in reports]
    assert got[0] == got[1], "pressing buttons and typing give the same answers"
    assert got[0]["category"] == "money"
    assert got[0]["who_role"] == "officer"
    assert got[0]["force"] == {"text": "the met", "match": "Metropolitan Police Service"}
    assert got[0]["what_happened"] == ANSWERS["what_happened"]
    assert got[0]["anonymity"] == "anonymous"
    for reporter in (by_buttons, by_typing):
        closing = [
            m
            for m in reporter.user.bot_messages
            if "Your report is sent and locked" in (m.text or "")
        ]
        assert len(closing) == 1
        assert closing[0].protected, "the closing (with the receipt) cannot be forwarded"


async def test_a_pressed_keyboard_shows_the_choice_and_stops_taking_presses(tg: Tipline) -> None:
    reporter = Reporter(tg.fake, 1003)
    question = await reporter.start()
    asked = question.message_id
    answered = len(tg.fake.answered_queries())
    nxt = await reporter.press("No", question)
    assert step_of(nxt.text) == "what_happened"
    await tg.settle()
    assert len(tg.fake.answered_queries()) == answered + 1, "the press was answered"
    pressed = tg.fake.chats[1003].messages[asked]
    assert pressed.reply_markup is None, "the answered question has no buttons left"
    assert pressed.text is not None
    assert pressed.text.endswith("→ No")

    before = reporter.sent_by_bot()
    qid = await reporter.user.press(pressed, "p:0")  # "Yes", on the old message
    await tg.settle()
    toast = [c for c in tg.fake.calls if c.method == "answerCallbackQuery" and c.ok]
    assert toast[-1].params == {"callback_query_id": qid, "text": toast[-1].params["text"]}
    assert "no longer work" in toast[-1].params["text"]
    assert reporter.sent_by_bot() == before, "an old button does not answer the question"
    assert step_of(reporter.user.last.text) == "what_happened"


async def test_typing_a_number_or_a_label_works_like_pressing(tg: Tipline) -> None:
    reporter = Reporter(tg.fake, 1004)
    await reporter.until("category", ANSWERS, buttons=False)
    nxt = await reporter.say("2")
    assert step_of(nxt.text) == "who_role"
    nxt = await reporter.say("A member of police staff")
    assert step_of(nxt.text) == "force"
    await reporter.until(None, ANSWERS, buttons=False)
    [opened] = await tg.reports()
    got = answers(opened.report)
    assert (got["category"], got["who_role"]) == ("position", "staff")


async def test_the_read_back_is_sent_protected_from_forwarding(tg: Tipline) -> None:
    reporter = Reporter(tg.fake, 1005)
    readback = await reporter.until("review", ANSWERS, buttons=True)
    assert readback.protected
    assert labels(readback) == ["Confirm and send"]
    plain = [m for m in reporter.user.bot_messages if (m.text or "").startswith(prompt("danger"))]
    assert plain
    assert not plain[0].protected, "questions themselves are not protected"


async def test_multi_choice_buttons_toggle_and_done_sends_every_ticked_answer(
    tmp_path: Path,
) -> None:
    async with running(tmp_path, "webhook", script=Path(__file__).parent / "multi.yaml") as tg:
        reporter = Reporter(tg.fake, 1006)
        question = await reporter.start()
        assert labels(question) == [
            "☐ 1. Threats", "☐ 2. Asked for money", "☐ 3. Followed me",
            "☐ 4. I don't know", "✔ Done",
        ]  # fmt: skip
        done = button(question, "Done")
        await reporter.user.press(question, done)  # nothing ticked yet
        await tg.settle()
        toast = [c for c in tg.fake.calls if c.method == "answerCallbackQuery"][-1]
        assert "first" in toast.params.get("text", ""), "asked to tick something first"
        for data in ("t:0", "t:2", "t:3", "t:0", "t:1"):  # "I don't know" clears the others
            await reporter.user.press(question, data)
        await tg.settle()
        assert labels(question)[:4] == [
            "☑ 1. Threats", "☑ 2. Asked for money", "☐ 3. Followed me", "☐ 4. I don't know",
        ]  # fmt: skip
        readback = await reporter.press("Done", question)
        assert question.reply_markup is None
        assert question.text is not None
        assert question.text.endswith("→ Threats, Asked for money")
        await reporter.press("Confirm", readback)
        [opened] = await tg.reports()
        assert opened.report["answers"][0]["value"] == ["threats", "money"]


async def test_a_read_back_longer_than_telegram_allows_is_split_and_keeps_its_button(
    tg: Tipline,
) -> None:
    reporter = Reporter(tg.fake, 1007)
    account = ("He waited outside my flat again and again. " * 93).strip()  # ~4,000 characters
    readback = await reporter.until("review", {**ANSWERS, "what_happened": account}, buttons=True)
    bot = reporter.user.bot_messages
    first = max(i for i, m in enumerate(bot) if step_of(m.text) == "review")
    parts = bot[first:]
    assert len(parts) >= 2
    assert all(len(p.text or "") <= 4096 for p in parts)
    assert account in "".join((p.text or "").replace("\n", "") for p in parts)
    assert all(p.protected for p in parts), "every part of the read-back is protected"
    assert all(p.reply_markup is None for p in parts[:-1])
    assert labels(readback) == ["Confirm and send"], "the button is on the last part"
    await reporter.press("Confirm", readback)
    assert len(await tg.reports()) == 1
