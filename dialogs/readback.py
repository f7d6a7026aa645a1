"""The path actually taken, the read-back, flags and the finished report.

All three are computed from the answers by walking the rules from `start` to the
confirm step, where each rule sees only answers given earlier on that path. So
answers left on an abandoned branch (contact details given before switching to
anonymous) never reach the read-back, the flags or the sealed report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

from dialogs import attachments
from dialogs._types import Answer, Controls, Option, Report, ReportAnswer
from dialogs.compiler import CompiledScript
from dialogs.conditions import evaluate, is_unknown_answer
from dialogs.dates import describe_date
from dialogs.loader import Script, Step
from dialogs.parsers import N_, display, option_words
from locales import Translator

UNKNOWN_ID = "unknown"
CONFIRM_ID = "confirm"

DONT_KNOW = N_("I don't know")
YES = N_("Yes")
NO = N_("No")
CONFIRM_LABEL = N_("Confirm and send")
CHANGE_HINT = N_("To change an answer, type its number.")
NOTHING_ANSWERED = N_("You have not answered any questions.")


def context(script: Script, step_id: str, field: str) -> str:
    """The gettext context of a script string: "<script>:<step>:<field>"."""
    return f"{script.id}:{step_id}:{field}"


def script_text(
    tr: Translator,
    script: Script,
    step: Step,
    field: str,
    text: str,
    *,
    controls: Controls = "typed",
) -> str:
    """A script string in the reporter's language; its variant for `controls` if it has one
    (context "<script>:<step>:<field>.<controls>")."""
    variant = step.variant(field, controls)
    if variant is not None:
        return tr.pgettext(context(script, step.id, f"{field}.{variant.controls}"), variant.text)
    return tr.pgettext(context(script, step.id, field), text)


def options_for(script: Script, step: Step, tr: Translator | None) -> tuple[Option, ...]:
    """The buttons of a question in the reporter's language (None: the script's own)."""

    def show(msgid: str) -> str:
        return tr.gettext(msgid) if tr is not None else msgid

    if step.kind == "yesno":  # each question's own yes and no ("Oes" / "Nac oes" in Welsh)
        options = [
            Option(value, script_text(tr, script, step, f"option.{value}", msgid) if tr else msgid)
            for value, msgid in (("yes", YES), ("no", NO))
        ]
    else:
        options = []
        for o in step.options:
            label = script_text(tr, script, step, f"option.{o.id}", o.label) if tr else o.label
            said = (
                script_text(tr, script, step, f"words.{o.id}", o.words) if tr and o.words else None
            )
            options.append(Option(o.id, label, option_words(o.words, said), o.means))
    if step.unknown:
        options.append(Option(UNKNOWN_ID, show(DONT_KNOW)))
    return tuple(options)


def shown(
    script: Script, step: Step, value: Answer, tr: Translator | None, locale: str | None = None
) -> str:
    """An answer as text, in the reporter's language (or the script's when `tr` is None).

    Dates are written the way `locale` writes them ("wtorek, 17 listopada 2026").
    """
    if is_unknown_answer(value):
        return tr.gettext(DONT_KNOW) if tr is not None else DONT_KNOW
    if step.kind == "date" and isinstance(value, dict) and tr is not None and locale:
        return describe_date(value, locale, tr)
    if step.kind == attachments.KIND:
        return attachments.describe(value, tr)
    text = display(step.kind, value, options_for(script, step, tr))
    if step.kind == "yesno" and tr is not None:
        return tr.gettext(text)
    return text


def walk(script: Script, compiled: CompiledScript, answers: Mapping[str, Answer]) -> list[Step]:
    """Every step from start to the confirm step along the rules, answers seen in order."""
    path: list[Step] = []
    visible: dict[str, Answer] = {}
    seen: set[str] = set()
    sid = script.start
    while sid not in seen:  # the linter forbids loops; this only stops a bad draft
        seen.add(sid)
        step = script.step(sid)
        path.append(step)
        if step.kind == "confirm":
            break
        if sid in answers:
            visible[sid] = answers[sid]
        sid = compiled.next_step(sid, visible)
    return path


def answered(path: Iterable[Step], answers: Mapping[str, Answer]) -> list[Step]:
    """The questions on `path` that have an answer, in path order (the read-back items)."""
    return [s for s in path if s.is_question and s.id in answers]


def flags_for(steps: Iterable[Step], answers: Mapping[str, Answer]) -> list[str]:
    """The sorted flags raised by `steps` given `answers`."""
    return sorted({f.name for s in steps for f in s.flags if evaluate(f.when, answers)})


def readback_items(
    script: Script,
    steps: Iterable[Step],
    answers: Mapping[str, Answer],
    tr: Translator,
    locale: str,
) -> tuple[tuple[str, str], ...]:
    """Each answered question as (its summary, the answer shown), in the reporter's language."""
    return tuple(
        (
            script_text(tr, script, step, "summary", step.label),
            shown(script, step, answers[step.id], tr, locale),
        )
        for step in steps
    )


def readback_text(
    script: Script, confirm: Step, items: Sequence[tuple[str, str]], tr: Translator, hint: str
) -> str:
    """The read-back as one message: the confirm step's words, numbered answers, `hint`
    (how to change an answer, as the channel does it)."""
    lines = [script_text(tr, script, confirm, "say", confirm.say), ""]
    lines += [f"{number}. {label}: {value}" for number, (label, value) in enumerate(items, 1)]
    if not items:
        lines.append(tr.gettext(NOTHING_ANSWERED))
    lines += ["", hint]
    return "\n".join(lines)


def report(
    script: Script,
    path: list[Step],
    answers: Mapping[str, Answer],
    locale: str,
    now: datetime,
    *,
    typed: Mapping[str, str] | None = None,
    switches: Sequence[Mapping[str, str]] = (),
) -> Report:
    """The finished report, in the script's own language, for sealing."""
    when = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    return Report(
        script_id=script.id,
        script_version=script.version,
        locale=locale,
        flags=tuple(flags_for(path, answers)),
        confirmed_at=when.astimezone(UTC),
        answers=tuple(
            ReportAnswer(
                step=step.id,
                kind=step.kind,
                question=step.say,
                summary=step.label,
                value=answers[step.id],
                display=shown(script, step, answers[step.id], None),
                typed=(typed or {}).get(step.id),
            )
            for step in answered(path, answers)
        ),
        switches=tuple(switches),
    )
