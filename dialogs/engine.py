"""The dialog engine: one reporter message in, a new draft and the replies out.

`Dialog` is pure: it never touches a store, a clock or a platform, and it never
raises on what a reporter types. Answers are parsed by their kind's parser; a
rejected answer gets the parser's explanation and the same question again, and
nothing already given is lost. Commands work on every step (see `commands`);
the confirm step is the read-back (see `readback`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from dialogs import attachments as attach
from dialogs import commands as words
from dialogs._text import fill
from dialogs._types import Answer, Controls, Draft, Option, Outcome, Reply, Report, TurnResult
from dialogs.attachments import FileInfo
from dialogs.commands import command_in
from dialogs.compiler import compile_script
from dialogs.conditions import UNKNOWN
from dialogs.controls import msgid_for
from dialogs.dates import describe_date
from dialogs.detect import OFFER_SWITCH, offer_switch
from dialogs.loader import Script, Step
from dialogs.parsers import (
    MAX_MESSAGE,
    Parsed,
    Rejected,
    clean,
    confirms,
    is_unknown,
    parse_choice,
    parse_contact,
    parse_date,
    parse_multi,
    parse_text,
    parse_yesno,
)
from dialogs.readback import (
    CHANGE_HINT,
    CONFIRM_ID,
    CONFIRM_LABEL,
    NO,
    UNKNOWN_ID,
    YES,
    answered,
    flags_for,
    options_for,
    readback_items,
    readback_text,
    report,
    script_text,
    walk,
)
from locales import Translator, text_direction
from locales.errors import ScriptError, ScriptIssue


class Dialog:
    """Runs conversations on one script version.

    `translators` gives the catalog of a locale; `languages` maps the codes a
    reporter may choose to their names in their own language.
    """

    def __init__(
        self,
        script: Script,
        translators: Callable[[str], Translator],
        languages: Mapping[str, str],
    ) -> None:
        self.script = script
        self.compiled = compile_script(script)
        self.translators = translators
        self.languages = dict(languages)
        confirm = next((s for s in script.steps if s.kind == "confirm"), None)
        if confirm is None:
            issue = ScriptIssue(script.name, 1, "the script has no confirm step", "confirm-count")
            raise ScriptError([issue])
        self.confirm = confirm

    def start(self, locale: str, now: datetime, controls: Controls = "typed") -> TurnResult:
        """A new conversation: the opening information and the first question.

        `controls` is what the reporter's channel shows besides a text box; every
        sentence that says how to answer is the one true there ("type" or "press").
        """
        draft = Draft(self.script.id, self.script.version, locale, self.script.start)
        turn = _Turn(self, draft, now, controls)
        turn.enter(self.script.start)
        return turn.result()

    def resume(self, draft: Draft, now: datetime, controls: Controls = "typed") -> TurnResult:
        """The current question again, for a reporter who comes back; nothing changes."""
        turn = _Turn(self, self._own(draft), now, controls)
        turn.again()
        return turn.result()

    def handle(
        self,
        draft: Draft,
        text: str,
        now: datetime,
        attachments: Sequence[FileInfo] = (),
        controls: Controls = "typed",
    ) -> TurnResult:
        """Take one message from the reporter.

        `attachments` are files the service has already checked and cleaned; only
        an attachment question takes them (any text sent with them is ignored).
        """
        turn = _Turn(self, self._own(draft), now, controls)
        if attachments:
            attach.receive(turn, attachments)
            return turn.result()
        return turn.handle(text)

    def accepts_files(self, draft: Draft) -> bool:
        """Whether files sent now would be taken (the draft is at an attachment question)."""
        return attach.accepts_files(self.script, draft)

    def files(self, draft: Draft) -> list[FileInfo]:
        """Every file the draft refers to: what must stay stored for it."""
        return attach.draft_files(self.script, draft)

    def closing(self, locale: str, reference: str, receipt: str) -> Reply:
        """The script's closing words, with the report's reference and receipt filled in."""
        tr = self.translators(locale)
        template = tr.pgettext(f"{self.script.id}::closing", self.script.closing)
        text = fill(template, self.script.closing, reference=reference, receipt=receipt)
        return Reply(text, sensitive=True, direction=text_direction(locale))

    def _own(self, draft: Draft) -> Draft:
        if (draft.script_id, draft.script_version) != (self.script.id, self.script.version):
            message = f"draft is on {draft.script_id} {draft.script_version}, not this version"
            raise ScriptError([ScriptIssue(self.script.name, 0, message, "version")])
        if draft.state not in self.script.by_id:
            message = f"draft is on unknown step '{draft.state}'"
            raise ScriptError([ScriptIssue(self.script.name, 0, message, "version")])
        return draft.copy()


class _Turn:
    """One turn's working state: the draft being changed and the replies so far."""

    def __init__(self, dialog: Dialog, draft: Draft, now: datetime, controls: Controls) -> None:
        self.dialog = dialog
        self.script = dialog.script
        self.draft = draft
        self.now = now
        self.controls = controls
        self.replies: list[Reply] = []

    @property
    def tr(self) -> Translator:
        return self.dialog.translators(self.draft.locale)

    def t(self, msgid: str, **params: str) -> str:
        """An engine string in the reporter's language and as the channel needs it (its
        sentence for the channel's controls), with `params` filled in."""
        said = msgid_for(msgid, self.controls)
        return fill(self.tr.gettext(said), said, **params)

    def for_channel(self, msgid: str) -> str:
        return msgid_for(msgid, self.controls)

    def text(self, step: Step, field: str, text: str) -> str:
        """A script string of `step` in the reporter's language, as the channel needs it."""
        return script_text(self.tr, self.script, step, field, text, controls=self.controls)

    def say(self, text: str, **fields: Any) -> None:
        fields.setdefault("direction", text_direction(self.draft.locale))
        self.replies.append(Reply(text, **fields))

    def result(self, outcome: Outcome = "continue", payload: Report | None = None) -> TurnResult:
        draft = None if outcome != "continue" else self.draft
        return TurnResult(draft, tuple(self.replies), outcome, payload)

    @property
    def step(self) -> Step:
        return self.script.step(self.draft.state)

    def languages(self) -> tuple[Option, ...]:
        return tuple(Option(code, name) for code, name in self.dialog.languages.items())

    # -- moving through the script --------------------------------------------

    def enter(self, step_id: str) -> None:
        """Say information steps on the way, then ask the next question."""
        for _ in range(len(self.script.steps) + 1):
            step = self.script.step(step_id)
            if step.kind == "confirm":
                self.readback()
                return
            if step.kind == "info":
                self.say(self.text(step, "say", step.say), step=step.id)
                step_id = self.dialog.compiled.next_step(step.id, self.visible())
                continue
            self.draft.state = step.id
            self.draft.rejects = 0
            self.ask(step)
            return
        raise ScriptError([ScriptIssue(self.script.name, 0, "the rules loop", "cycle")])

    def visible(self) -> dict[str, Answer]:
        """Answers of the questions passed so far (the path up to here)."""
        answers = self.draft.answers
        return {s: answers[s] for s in [*self.draft.history, self.draft.state] if s in answers}

    def proceed(self, step: Step) -> None:
        """After `step` was answered or skipped: the next question, or the read-back."""
        draft = self.draft
        if step.id not in draft.history:
            draft.history.append(step.id)
        draft.pending = None
        draft.rejects = 0
        if draft.editing:
            # Ask only what the new path needs and was never asked, then read back.
            for other in walk(self.script, self.dialog.compiled, draft.answers):
                asked = other.id in draft.answers or other.id in draft.history
                if other.is_question and not asked:
                    draft.state = other.id
                    self.ask(other)
                    return
            self.readback()
            return
        visible = self.visible()
        passed = [self.script.step(s) for s in draft.history]
        draft.flags = flags_for(passed, visible)
        self.enter(self.dialog.compiled.next_step(step.id, visible))

    def ask(self, step: Step) -> None:
        if step.kind in ("confirm", "info"):
            options: tuple[Option, ...] = ()
        elif step.kind == attach.KIND:
            options = attach.options(self.tr)
        else:
            options = options_for(self.script, step, self.tr)
        self.say(
            self.text(step, "say", step.say),
            options=options,
            multi=step.kind == "multi",
            expects=step.kind,
            step=step.id,
            progress=self.progress(step),
        )

    def progress(self, step: Step) -> tuple[int, int] | None:
        """(`step`'s number, how many questions) on the path the answers so far lead along."""
        path = walk(self.script, self.dialog.compiled, self.draft.answers)
        questions = [s.id for s in path if s.is_question]
        if step.id not in questions:
            return None
        return questions.index(step.id) + 1, len(questions)

    def readback(self) -> None:
        """Drop answers off the path, then list the rest for the reporter to check."""
        draft = self.draft
        path = walk(self.script, self.dialog.compiled, draft.answers)
        on_path = {s.id for s in path}
        draft.answers = {k: v for k, v in draft.answers.items() if k in on_path}
        draft.history = [s.id for s in path if s.id in draft.history]
        draft.flags = flags_for(path, draft.answers)
        draft.state, draft.editing, draft.pending = self.dialog.confirm.id, False, None
        steps = answered(path, draft.answers)
        items = readback_items(self.script, steps, draft.answers, self.tr, draft.locale)
        hint = self.t(CHANGE_HINT)
        text = readback_text(self.script, self.dialog.confirm, items, self.tr, hint)
        confirm = Option(CONFIRM_ID, self.tr.gettext(CONFIRM_LABEL))
        fields = {"expects": "confirm", "sensitive": True, "step": draft.state, "items": items}
        self.say(text, options=(confirm,), **fields)

    def again(self) -> None:
        """Ask whatever is being asked now once more."""
        pending = self.draft.pending
        if pending is not None and pending.get("kind") == "language":
            self.say(self.t(words.WHICH_LANGUAGE), options=self.languages(), expects="choice")
        elif pending is not None and pending.get("kind") == "switch":
            to = str(pending.get("to"))
            tr = self.dialog.translators(to)
            name = self.dialog.languages.get(to, to)
            text = fill(tr.gettext(OFFER_SWITCH), OFFER_SWITCH, language=name)
            yesno = (Option("yes", tr.gettext(YES)), Option("no", tr.gettext(NO)))
            self.say(text, options=yesno, expects="yesno", step=self.draft.state)
        elif pending is not None and pending.get("kind") == "delete":
            yesno = (Option("yes", self.tr.gettext(YES)), Option("no", self.tr.gettext(NO)))
            question = words.delete_question(self)
            self.say(question, options=yesno, expects="yesno", step=self.draft.state)
        elif pending is not None:  # a date to confirm, said in the language chosen now
            echo = describe_date(pending.get("value") or {}, self.draft.locale, self.tr)
            text = self.t(words.IS_THAT_RIGHT, echo=echo)
            yesno = (Option("yes", self.tr.gettext(YES)), Option("no", self.tr.gettext(NO)))
            self.say(text, options=yesno, expects="yesno", sensitive=True, step=self.draft.state)
        elif self.step.kind == "confirm":
            self.readback()
        else:
            self.ask(self.step)

    def reject(self, message: str, params: Mapping[str, str] | None = None) -> None:
        """Explain what was wrong, hint from the third time, and ask again."""
        step, draft = self.step, self.draft
        draft.rejects += 1
        if message == step.pattern_error:
            text = self.text(step, "pattern_error", message)
        else:
            text = self.t(message, **dict(params or {}))
        if draft.rejects >= 3:
            if step.optional and step.is_question and draft.pending is None:
                hint = self.t(words.HINT_SKIP, skip=words.word(self.tr, "skip"))
            else:
                hint = self.t(words.HINT_HELP, help=words.word(self.tr, "help"))
            text = f"{text}\n\n{hint}"
        self.say(text)
        self.again()

    # -- one message ------------------------------------------------------------

    def handle(self, text: str) -> TurnResult:
        if len(text) > MAX_MESSAGE:
            self.reject(words.TOO_LONG, {"max": str(MAX_MESSAGE)})
            return self.result()
        text = clean(text)
        command = command_in(text, self.tr, self.draft.locale)
        if command is not None:
            if command == "skip":
                attach.before_skip(self)
            return words.run(self, command)
        pending = self.draft.pending
        if pending is not None and pending.get("kind") == "delete":
            return words.confirm_delete(self, text)
        if pending is not None and pending.get("kind") == "switch":
            return self.on_switch(text, pending)
        if pending is None and self.step.is_question and self.offer_switch(text):
            return self.result()
        if pending is not None and pending.get("kind") == "language":
            words.choose_language(self, text)
        elif pending is not None:
            self.confirm_date(text, pending)
        elif self.step.kind == "confirm":
            return self.at_readback(text)
        elif self.step.kind == attach.KIND:
            attach.on_text(self, text)
        else:
            self.answer(self.step, text)
        return self.result()

    def offer_switch(self, text: str) -> bool:
        """An answer written in another shipped language: ask, in that language, whether to
        carry on in it (never switch silently); the answer waits in the draft meanwhile."""
        draft = self.draft
        to = offer_switch(text, draft.locale, self.dialog.languages)
        if to is None or to in draft.declined:
            return False
        draft.pending = {"kind": "switch", "to": to, "text": text}
        self.again()
        return True

    def on_switch(self, text: str, pending: Mapping[str, Any]) -> TurnResult:
        """Yes or no (in either language) to the offer; then the waiting answer is taken."""
        draft, to = self.draft, str(pending.get("to"))
        parsed = parse_yesno(text, to)
        if isinstance(parsed, Rejected):
            parsed = parse_yesno(text, draft.locale)
        if isinstance(parsed, Rejected):
            self.reject(parsed.message, parsed.params)
            return self.result()
        draft.pending = None
        if parsed.value == "yes":
            draft.switches.append({"from": draft.locale, "to": to, "step": draft.state})
            draft.locale = to
        else:
            draft.declined.append(to)
        return self.handle(str(pending.get("text", "")))

    def answer(self, step: Step, text: str) -> None:
        parsed = self.parse(step, text)
        if isinstance(parsed, Rejected):
            self.reject(parsed.message, parsed.params)
        elif parsed.confirm:
            self.draft.pending = {"kind": "date", "value": parsed.value}
            self.draft.rejects = 0
            self.again()
        else:
            if parsed.echo:  # e.g. the canonical force name; it repeats report content
                echo = self.t(parsed.note, **parsed.params) if parsed.note else parsed.echo
                self.say(echo, sensitive=True)
            self.draft.answers[step.id] = parsed.value
            self.keep_words(step, text, parsed.value)
            self.proceed(step)

    def keep_words(self, step: Step, text: str, value: Answer) -> None:
        """The reporter's own words for a choice they typed (not a button's id or number)."""
        typed = self.draft.typed
        typed.pop(step.id, None)
        if step.kind not in ("choice", "multi", "yesno"):
            return
        ids = value if isinstance(value, list) else [value]
        said = text.strip()
        pressed = {i for i in ids if isinstance(i, str)} | {"yes", "no", UNKNOWN_ID}
        if said and not said.replace(",", " ").replace(" ", "").isdecimal() and said not in pressed:
            typed[step.id] = said

    def parse(self, step: Step, text: str) -> Parsed | Rejected:
        locale = self.draft.locale
        says_unknown = text == UNKNOWN_ID or is_unknown(text, locale)
        if step.unknown and step.kind in ("text", "date", "contact") and says_unknown:
            return Parsed(UNKNOWN)
        options = options_for(self.script, step, self.tr)
        result: Parsed | Rejected
        match step.kind:
            case "choice":
                result = parse_choice(text, options, locale)
            case "multi":
                result = parse_multi(text, options, locale, step.min_count, step.max_count)
                chosen = result.value if isinstance(result, Parsed) else None
                if isinstance(chosen, list) and UNKNOWN_ID in chosen:
                    if len(chosen) > 1:
                        return Rejected(words.MULTI_UNKNOWN)
                    result = Parsed(UNKNOWN_ID)
            case "yesno":
                result = parse_yesno(text, locale)
                if isinstance(result, Rejected) and step.unknown:
                    fallback = parse_choice(text, options, locale)
                    result = fallback if isinstance(fallback, Parsed) else result
            case "text":
                result = parse_text(
                    text, step.min_length, step.max_length, step.pattern, step.pattern_error,
                    step.match, locale=locale, unknown=step.unknown, optional=step.optional,
                )  # fmt: skip
            case "date":
                result = parse_date(text, self.now, locale, step.allow_future)
            case _:
                result = parse_contact(text, step.accept)
        if isinstance(result, Parsed) and result.value == UNKNOWN_ID and step.unknown:
            return Parsed(UNKNOWN)
        if isinstance(result, Rejected) and step.unknown and says_unknown:
            return Parsed(UNKNOWN)
        return result

    def confirm_date(self, text: str, pending: dict[str, Any]) -> None:
        parsed = parse_yesno(text, self.draft.locale)
        if isinstance(parsed, Rejected):
            self.reject(parsed.message, parsed.params)
        elif parsed.value == "yes":
            self.draft.answers[self.step.id] = pending.get("value")
            self.proceed(self.step)
        else:
            self.draft.pending = None
            self.say(self.t(words.DATE_AGAIN))
            self.ask(self.step)

    def at_readback(self, text: str) -> TurnResult:
        draft = self.draft
        path = walk(self.script, self.dialog.compiled, draft.answers)
        items = answered(path, draft.answers)
        if text.isdecimal() and len(text) <= 4:
            number = int(text)
            if not 1 <= number <= len(items):
                self.reject(words.NO_SUCH_NUMBER, {"number": text, "count": str(len(items))})
                return self.result()
            draft.state, draft.editing, draft.rejects = items[number - 1].id, True, 0
            self.ask(items[number - 1])
            return self.result()
        # Sealing cannot be undone: only the button, its label, a yes or a "send" word confirm.
        labels = (
            CONFIRM_ID,
            CONFIRM_LABEL,
            *(self.tr.gettext(w) for w in (CONFIRM_LABEL, words.YES_WORD)),
        )
        if confirms(text, draft.locale, *labels):
            answers = {s.id: draft.answers[s.id] for s in items}
            typed = {k: v for k, v in draft.typed.items() if k in answers}
            finished = report(
                self.script, path, answers, draft.locale, self.now,
                typed=typed, switches=draft.switches,
            )  # fmt: skip
            return self.result("confirmed", finished)
        self.reject(words.READBACK_UNCLEAR)
        return self.result()
