"""Check a dialog script for what its JSON Schema cannot: the step graph, conditions, lookups.

`lint_file` and `lint_script_text` return every issue (schema issues included)
instead of raising, for `tipline dialogs lint`; `check_script` is the part the
loader runs on a schema-valid script. Each issue names the file and the line of
the offending node and carries a stable code.
"""

from __future__ import annotations

import difflib
import string
from collections import deque
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from dialogs.conditions import Answered, Condition, Has, In, Is, leaves
from dialogs.loader import QUESTION_KINDS, Script, Step, parse_script, read_source
from locales.errors import ScriptError, ScriptIssue

_YESNO = ("yes", "no")
_CLOSING_FIELDS = frozenset({"reference", "receipt"})


def lint_script_text(
    text: str, name: str, lookups: Collection[str] | None = None
) -> list[ScriptIssue]:
    """Every issue in script `text` (reported as file `name`), sorted by line."""
    try:
        script = parse_script(text, name)
    except ScriptError as exc:
        return exc.issues
    return check_script(script, lookups)


def lint_file(path: Path, lookups: Collection[str] | None = None) -> list[ScriptIssue]:
    """Every issue in the script file at `path`, sorted by line."""
    try:
        text = read_source(path)
    except ScriptError as exc:
        return exc.issues
    return lint_script_text(text, str(path), lookups)


def check_script(script: Script, lookups: Collection[str] | None = None) -> list[ScriptIssue]:
    """The graph, condition and lookup checks on a schema-valid script.

    `lookups` is the allow-list of `match` table names; by default the names in
    `dialogs.lookups.LOOKUPS`.
    """
    if lookups is None:
        from dialogs.lookups import LOOKUPS  # noqa: PLC0415 -- data tables load only when linting

        lookups = frozenset(LOOKUPS)
    linter = _Linter(script, lookups)
    linter.run()
    return sorted(set(linter.issues), key=lambda i: (i.line, i.code, i.message))


class _Linter:
    def __init__(self, script: Script, lookups: Collection[str]) -> None:
        self.script = script
        self.lookups = lookups
        self.issues: list[ScriptIssue] = []
        self.ids = script.by_id
        self.edges: dict[str, list[str]] = {
            s.id: [r.goto for r in s.next if r.goto in self.ids] for s in script.steps
        }
        self._ancestors: dict[str, frozenset[str]] = {}

    def add(self, line: int, message: str, code: str) -> None:
        self.issues.append(ScriptIssue(self.script.name, line, message, code))

    def run(self) -> None:
        self.check_ids()
        self.check_closing()
        self.check_rules()
        self.check_graph()
        for step in self.script.steps:
            self.check_fields(step)
            conditions = [r.when for r in step.next if r.when is not None]
            conditions += [f.when for f in step.flags]
            for condition in conditions:
                self.check_condition(step, condition)

    def check_ids(self) -> None:
        seen: set[str] = set()
        for step in self.script.steps:
            if step.id in seen:
                line = self.script.line(f"{step.pointer}/id")
                self.add(line, f"duplicate step id '{step.id}'", "duplicate-step")
            seen.add(step.id)
            options: set[str] = set()
            for option in step.options:
                if option.id in options:
                    message = f"step '{step.id}': duplicate option id '{option.id}'"
                    self.add(option.line, message, "duplicate-option")
                options.add(option.id)
        if self.script.start not in self.ids:
            message = f"start: unknown step '{self.script.start}'{self._suggest(self.script.start)}"
            self.add(self.script.line("/start"), message, "unknown-start")
        confirms = [s for s in self.script.steps if s.kind == "confirm"]
        if not confirms:
            message = "the script needs one confirm step (the read-back that ends the dialog)"
            self.add(self.script.line("/steps"), message, "confirm-count")
        for extra in confirms[1:]:
            message = f"step '{extra.id}': a script has exactly one confirm step"
            self.add(extra.line, message, "confirm-count")

    def check_closing(self) -> None:
        line = self.script.line("/closing")
        try:
            fields = string.Formatter().parse(self.script.closing)
            names = {name for _, name, _, _ in fields if name is not None}
        except ValueError:
            self.add(line, "closing: unbalanced { or }; write {{ or }} for a brace", "closing")
            return
        for name in sorted(names - _CLOSING_FIELDS):
            message = f"closing: unknown placeholder {{{name}}}; use {{reference}} and {{receipt}}"
            self.add(line, message, "closing")

    def check_rules(self) -> None:
        for step in self.script.steps:
            if step.kind != "confirm" and not step.next:
                message = f"step '{step.id}' has no next; every step but confirm needs one"
                self.add(step.line, message, "dead-end")
            for rule in step.next:
                if rule.goto not in self.ids:
                    hint = (
                        "; `end` is not a step: the only way to finish is the confirm step"
                        if rule.goto == "end"
                        else self._suggest(rule.goto)
                    )
                    message = f"step '{step.id}': next goes to unknown step '{rule.goto}'{hint}"
                    self.add(rule.target_line, message, "unknown-target")
            for earlier, rule in zip(step.next, step.next[1:], strict=False):
                if earlier.when is None:
                    message = f"step '{step.id}': this rule follows one without `if` and never runs"
                    self.add(rule.line, message, "dead-rule")
            if step.next and all(rule.when is not None for rule in step.next):
                message = f"step '{step.id}': the last next rule needs no `if` (it is the default)"
                self.add(step.next[-1].line, message, "no-default")

    def check_graph(self) -> None:
        start = self.script.start
        if start in self.ids:
            reached = _reach([start], self.edges)
            for step in self.script.steps:
                if step.id not in reached and self.ids[step.id] is step:
                    self.add(step.line, f"step '{step.id}' can never be reached", "unreachable")
        confirms = [s.id for s in self.script.steps if s.kind == "confirm"]
        if confirms:
            can_finish = _reach(confirms, self._reverse())
            for step in self.script.steps:
                if step.next and step.id not in can_finish:
                    message = f"from step '{step.id}' the confirm step cannot be reached"
                    self.add(step.line, message, "dead-end")
        self.check_cycles()

    def check_cycles(self) -> None:
        done: set[str] = set()
        for root in self.ids:
            stack: list[tuple[str, int]] = [(root, 0)]
            on_path = {root}
            while stack:
                node, index = stack[-1]
                rules = [r for r in self.ids[node].next if r.goto in self.ids]
                if index >= len(rules) or node in done:
                    stack.pop()
                    on_path.discard(node)
                    done.add(node)
                    continue
                stack[-1] = (node, index + 1)
                target = rules[index].goto
                if target in on_path:
                    message = (
                        f"step '{node}' leads back to '{target}': scripts cannot loop"
                        " (each step keeps one answer; reporters use `back`)"
                    )
                    self.add(rules[index].target_line, message, "cycle")
                elif target not in done:
                    stack.append((target, 0))
                    on_path.add(target)

    def check_fields(self, step: Step) -> None:
        if step.match is not None and step.match not in self.lookups:
            known = ", ".join(sorted(self.lookups)) or "none"
            message = f"step '{step.id}': unknown lookup table '{step.match}' (known: {known})"
            self.add(self.script.line(f"{step.pointer}/match"), message, "unknown-lookup")
        if step.kind == "multi":
            top = step.max_count if step.max_count is not None else len(step.options)
            if step.min_count > top or top > len(step.options):
                message = f"step '{step.id}': min and max must fit the {len(step.options)} options"
                self.add(self.script.line(f"{step.pointer}/min"), message, "range")
        if step.kind == "text" and step.min_length > step.max_length:
            message = f"step '{step.id}': min_length is larger than max_length"
            self.add(self.script.line(f"{step.pointer}/min_length"), message, "range")
        for variant in step.variants:
            if getattr(step, variant.name) is None:  # a help said instead of no help
                message = (
                    f"step '{step.id}': a {variant.controls} variant of {variant.name}, "
                    f"but the step has no {variant.name} for the other channels"
                )
                self.add(variant.line, message, "variant")

    def check_condition(self, at: Step, condition: Condition) -> None:
        for leaf in leaves(condition):
            target = self.ids.get(leaf.step)
            if target is None:
                message = f"step '{at.id}': condition on unknown step '{leaf.step}'"
                self.add(leaf.line, message + self._suggest(leaf.step), "condition-step")
                continue
            word, kinds = _TESTS[type(leaf)]
            if target.kind not in kinds:
                message = (
                    f"step '{at.id}': `{word}` cannot test '{target.id}', a {target.kind} step"
                )
                self.add(leaf.line, message, "condition-kind")
                continue
            for value in _values(leaf):
                if value not in _allowed(target, with_unknown=not isinstance(leaf, Has)):
                    self.add(leaf.line, _bad_value(at, target, value), "condition-option")
            if leaf.step != at.id and leaf.step not in self.ancestors(at.id):
                message = (
                    f"step '{at.id}': condition on '{leaf.step}', which cannot have been"
                    f" answered before '{at.id}'"
                )
                self.add(leaf.line, message, "condition-order")

    def ancestors(self, step_id: str) -> frozenset[str]:
        if step_id not in self._ancestors:
            found = _reach([step_id], self._reverse()) - {step_id}
            self._ancestors[step_id] = frozenset(found)
        return self._ancestors[step_id]

    def _reverse(self) -> dict[str, list[str]]:
        reverse: dict[str, list[str]] = {sid: [] for sid in self.ids}
        for source, targets in self.edges.items():
            for target in targets:
                reverse[target].append(source)
        return reverse

    def _suggest(self, name: str) -> str:
        close = difflib.get_close_matches(name, list(self.ids), n=1)
        return f"; did you mean '{close[0]}'?" if close else ""


_TESTS: Mapping[type, tuple[str, frozenset[str]]] = {
    Is: ("is", frozenset({"yesno", "choice"})),
    In: ("in", frozenset({"yesno", "choice"})),
    Has: ("has", frozenset({"multi"})),
    Answered: ("answered", QUESTION_KINDS),
}


def _values(leaf: Is | In | Has | Answered) -> Iterable[str]:
    match leaf:
        case Is(value=value) | Has(value=value):
            return (value,)
        case In(values=values):
            return values
    return ()


def _allowed(step: Step, *, with_unknown: bool) -> frozenset[str]:
    values = set(_YESNO) if step.kind == "yesno" else {o.id for o in step.options}
    if with_unknown and step.unknown:
        values.add("unknown")
    return frozenset(values)


def _bad_value(at: Step, target: Step, value: str) -> str:
    if target.kind == "yesno":
        unknown = " or unknown" if target.unknown else ""
        return f"step '{at.id}': '{target.id}' is answered yes, no{unknown}, never '{value}'"
    return f"step '{at.id}': step '{target.id}' has no option '{value}'"


def _reach(roots: Iterable[str], edges: Mapping[str, list[str]]) -> set[str]:
    seen = set(roots)
    queue = deque(seen)
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def load_script_text(text: str, name: str) -> Script:
    """Parse, validate and lint a script; ScriptError lists every problem."""
    script = parse_script(text, name)
    issues = check_script(script)
    if issues:
        raise ScriptError(issues)
    return script


def load_script(path: Path) -> Script:
    """Load the script file at `path` (see `load_script_text`)."""
    return load_script_text(read_source(path), str(path))
