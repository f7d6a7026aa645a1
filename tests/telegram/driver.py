"""A reporter in a Telegram chat with the bot: sends, presses, and waits for the bot's question.

A turn is over when the bot has sent something new and its newest message asks
for an answer: it has buttons, or it is a question of the script that has none.
Answers are given per step as typed text; with `buttons=True` a question that
has buttons is answered by pressing the button that text names (its number, or
words of its label, or "#2" for the second button), as a reporter would.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping

from bot.settings import Settings
from dialogs import load_script
from dialogs.commands import IS_THAT_RIGHT
from locales import LANGUAGES, translator
from tests.fakes.telegram_api import FakeTelegram, FakeUser, Sent

_SCRIPT = load_script(Settings().script)


def _in_every_language(step_id: str, text: str, field: str = "say") -> set[str]:
    context = f"{_SCRIPT.id}:{step_id}:{field}"
    return {translator(code).pgettext(context, text) for code in LANGUAGES} | {text}


def _asked(step_id: str) -> set[str]:
    """A question as Telegram asks it: its own words, or its words for answer buttons."""
    step = _SCRIPT.step(step_id)
    variant = step.variant("say", "choices")
    if variant is None:
        return _in_every_language(step_id, step.say)
    return _in_every_language(step_id, variant.text, f"say.{variant.controls}")


# Each question, the read-back and the date check, as they read in every shipped language.
PROMPTS = {said: step.id for step in _SCRIPT.steps if step.is_question for said in _asked(step.id)}
_CONFIRM = next(step for step in _SCRIPT.steps if step.kind == "confirm")
READBACKS = tuple(_in_every_language(_CONFIRM.id, _CONFIRM.say))
ECHOES = tuple(
    {translator(code).gettext(IS_THAT_RIGHT).split("{echo}")[0] for code in LANGUAGES}
    | {IS_THAT_RIGHT.split("{echo}")[0]}
)


def prompt(step_id: str) -> str:
    """The English question of a step (the script may change; tests ask it)."""
    return _SCRIPT.step(step_id).say


def step_of(text: str | None) -> str | None:
    """The script step a bot message asks, from its text (in any shipped language)."""
    if text is None:
        return None
    if text in PROMPTS:
        return PROMPTS[text]
    if text.startswith(READBACKS):
        return "review"
    if text.startswith(ECHOES):
        return "echo"
    return None


class Reporter:
    """One reporter's private chat."""

    def __init__(self, fake: FakeTelegram, chat_id: int, language: str = "en") -> None:
        self.fake = fake
        self.user: FakeUser = fake.user(chat_id, language)
        self.chat = self.user.chat

    def sent_by_bot(self) -> int:
        return sum(1 for m in self.chat.messages.values() if m.from_bot)

    def _turn_over(self, before: int) -> bool:
        if self.sent_by_bot() <= before:
            return False
        last = max(
            (m for m in self.chat.messages.values() if m.from_bot), key=lambda m: m.message_id
        )
        # The read-back and the date check always come with buttons (on their last part).
        asks = step_of(last.text) not in (None, "review", "echo")
        return last.reply_markup is not None or asks

    def _continued(self, last: Sent) -> str | None:
        """The step of a long message sent in parts: that of its first part."""
        if last.reply_markup is None:
            return None
        earlier = [m for m in self.chat.bot_messages if m.message_id < last.message_id]
        for part in reversed(earlier):
            if part.reply_markup is not None or part.edits:  # an earlier, answered question
                return None
            if step_of(part.text) == "review":
                return "review"
        return None

    async def turn(self, action: Awaitable[object]) -> Sent:
        """Do `action` and wait until the bot has asked its next question; that message."""
        before = self.sent_by_bot()
        await action
        try:
            await self.fake.wait_for(lambda: self._turn_over(before))
        except TimeoutError:
            raise AssertionError(self.fake.describe(self.chat.id)) from None
        return self.user.last

    async def start(self) -> Sent:
        return await self.turn(self.user.send("/start"))

    async def say(self, text: str) -> Sent:
        return await self.turn(self.user.send(text))

    async def press(self, label: str, message: Sent | None = None) -> Sent:
        message = message or self.user.last
        return await self.turn(self.user.press(message, button(message, label)))

    async def until(
        self, stop_at: str | None, answers: Mapping[str, str], buttons: bool, limit: int = 80
    ) -> Sent:
        """Answer question after question until `stop_at` is asked (None: the end)."""
        last = self.user.last if self.sent_by_bot() else await self.start()
        for _ in range(limit):
            if _is_wipe_offer(last):
                return last
            if last.text.startswith(_SWITCH_OFFER):
                # English typed in another language's conversation is offered as a language:
                # the reporter stays (its answer is then taken).
                last = await (self.press("#2", last) if buttons else self.say("no"))
                continue
            step = step_of(last.text) or self._continued(last)
            if step == stop_at and stop_at is not None:
                return last
            typed = answers.get(step or "", "yes" if step == "echo" else "confirm")
            if typed.startswith("#") and not buttons:
                typed = typed[1:]
            if buttons and last.reply_markup is not None and _has_button(last, typed):
                last = await self.press(typed, last)
            else:
                last = await self.say(typed)
        raise AssertionError(f"the conversation did not reach {stop_at!r}")


_SWITCH_OFFER = "It looks like you are writing in"


def labels(message: Sent) -> list[str]:
    assert message.reply_markup is not None, "the message has no buttons"
    return [b["text"] for row in message.reply_markup["inline_keyboard"] for b in row]


def button(message: Sent, label: str) -> str:
    """The callback data of the button `label` names: a number, or words of its label."""
    assert message.reply_markup is not None, f"no buttons under {message.text!r}"
    wanted = label.casefold()
    rows = message.reply_markup["inline_keyboard"]
    if wanted.startswith("#"):  # "#2": the second button, whatever its language
        return str([b for row in rows for b in row][int(wanted[1:]) - 1]["callback_data"])
    for row in rows:
        for b in row:
            text = b["text"].casefold()
            if text.startswith(f"{wanted}. ") or text == wanted or wanted in text:
                return str(b["callback_data"])
    raise AssertionError(f"no button {label!r} in {[b['text'] for r in rows for b in r]}")


def _has_button(message: Sent, label: str) -> bool:
    try:
        button(message, label)
    except AssertionError:
        return False
    return True


def _is_wipe_offer(message: Sent) -> bool:
    return message.reply_markup is not None and any(
        b["callback_data"] == "w" for row in message.reply_markup["inline_keyboard"] for b in row
    )
