"""Load a dialog script: YAML with line numbers, JSON Schema validation, a typed tree.

Every problem is reported as a `ScriptIssue` with the file and line of the
offending node, all at once, never as a traceback. `dialogs.lint.load_script`
parses and lints, so a script that loads is a script that can run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from dialogs._schema import explain, validator
from dialogs._types import SAYS_LIKE, Controls
from dialogs._yaml import Lines, compose, line_at
from dialogs.conditions import AllOf, Answered, AnyOf, Condition, Has, In, Is, Not
from locales.errors import ScriptError, ScriptIssue

QUESTION_KINDS = frozenset({"choice", "multi", "text", "date", "yesno", "contact", "attachment"})
DEFAULT_MAX_LENGTH = 4000


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """An option of a choice or multi step, in the script's own language."""

    id: str
    label: str
    line: int = field(default=0, compare=False)
    words: str | None = None  # other words people type for it, comma-separated
    means: str | None = None  # "yes" or "no": a bare yes or no picks this option


@dataclass(frozen=True, slots=True)
class Rule:
    """One `next` rule: go to `goto` when `when` holds (None: always)."""

    goto: str
    when: Condition | None = None
    line: int = field(default=0, compare=False)
    target_line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class FlagSpec:
    """Raise flag `name` on the report when `when` holds."""

    name: str
    when: Condition
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Variant:
    """Field `name` (say or help) as said on a channel with `controls` (choices or buttons)."""

    controls: Controls
    name: str
    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a script; fields that do not apply to its kind keep their defaults."""

    id: str
    kind: str
    say: str
    help: str | None = None
    summary: str | None = None
    optional: bool = False
    unknown: bool = False
    options: tuple[OptionSpec, ...] = ()
    min_count: int = 1
    max_count: int | None = None
    min_length: int = 1
    max_length: int = DEFAULT_MAX_LENGTH
    pattern: str | None = None
    pattern_error: str | None = None
    match: str | None = None
    allow_future: bool = False
    accept: tuple[str, ...] = ("phone", "email")
    flags: tuple[FlagSpec, ...] = ()
    next: tuple[Rule, ...] = ()
    variants: tuple[Variant, ...] = ()
    pointer: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    @property
    def label(self) -> str:
        """The read-back label in the script's language: `summary`, else the id."""
        return self.summary or self.id

    @property
    def is_question(self) -> bool:
        return self.kind in QUESTION_KINDS

    def variant(self, name: str, controls: Controls) -> Variant | None:
        """The text to say instead of field `name` on a channel with `controls`, if any."""
        for kind in SAYS_LIKE[controls]:
            for variant in self.variants:
                if variant.controls == kind and variant.name == name:
                    return variant
        return None


@dataclass(frozen=True, eq=False)
class Script:
    """A loaded script. Two scripts are equal when their id and version are."""

    id: str
    yaml_version: int
    version: str
    locale: str
    title: str
    start: str
    closing: str
    steps: tuple[Step, ...]
    source: str
    name: str
    lines: Mapping[str, int] = field(default_factory=dict, repr=False)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Script) and (self.id, self.version) == (other.id, other.version)

    def __hash__(self) -> int:
        return hash((self.id, self.version))

    @cached_property
    def by_id(self) -> Mapping[str, Step]:
        """Steps by id (the first one wins if the linter would report a duplicate)."""
        out: dict[str, Step] = {}
        for step in self.steps:
            out.setdefault(step.id, step)
        return MappingProxyType(out)

    def step(self, step_id: str) -> Step:
        return self.by_id[step_id]

    def line(self, pointer: str) -> int:
        """The line of the node at JSON pointer `pointer`, or of its nearest parent."""
        return line_at(self.lines, pointer)


def read_source(path: Path) -> str:
    """The text of a script file; unreadable or non-UTF-8 files become a ScriptError."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        issue = ScriptIssue(name, 0, f"cannot read the file: {exc.strerror}", "io")
        raise ScriptError([issue]) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScriptError([ScriptIssue(name, line, "the file is not UTF-8 text", "yaml")]) from exc


def parse_script(text: str, name: str) -> Script:
    """YAML and schema checks only: a typed Script, or ScriptError with every issue."""
    data, lines, issues = compose(text, name)
    if not issues:
        issues = [
            explained
            for err in validator().iter_errors(data)
            for explained in explain(err, data, lines, name)
        ]
    if issues:
        raise ScriptError(sorted(set(issues), key=lambda i: (i.line, i.code, i.message)))
    builder = _Builder(name, lines)
    steps = tuple(builder.step(raw, f"/steps/{i}") for i, raw in enumerate(data["steps"]))
    if builder.issues:
        raise ScriptError(builder.issues)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return Script(
        id=data["id"],
        yaml_version=data["version"],
        version=f"{data['version']}-{digest}",
        locale=data["locale"],
        title=data["title"],
        start=data["start"],
        closing=data["closing"],
        steps=steps,
        source=text,
        name=name,
        lines=MappingProxyType(lines),
    )


class _Builder:
    """Turns schema-valid data into the typed tree, collecting the few checks left."""

    def __init__(self, name: str, lines: Lines) -> None:
        self.name = name
        self.lines = lines
        self.issues: list[ScriptIssue] = []

    def line(self, pointer: str) -> int:
        return line_at(self.lines, pointer)

    def step(self, raw: Mapping[str, Any], ptr: str) -> Step:
        sid = raw["id"]
        pattern = raw.get("pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                self.issues.append(
                    ScriptIssue(
                        self.name,
                        self.line(f"{ptr}/pattern"),
                        f"step '{sid}': the pattern is not a valid regular expression: {exc}",
                        "pattern",
                    )
                )
        options = tuple(
            OptionSpec(
                o["id"], o["label"], self.line(f"{ptr}/options/{i}"), o.get("words"), o.get("means")
            )
            for i, o in enumerate(raw.get("options", ()))
        )
        flags = tuple(
            FlagSpec(n, self.condition(c, sid, f"{ptr}/flags/{n}"), self.line(f"{ptr}/flags/{n}"))
            for n, c in raw.get("flags", {}).items()
        )
        return Step(
            id=sid,
            kind=raw["kind"],
            say=raw["say"],
            help=raw.get("help"),
            summary=raw.get("summary"),
            optional=raw.get("optional", False),
            unknown=raw.get("unknown", False),
            options=options,
            min_count=raw.get("min", 1),
            max_count=raw.get("max"),
            min_length=raw.get("min_length", 1),
            max_length=raw.get("max_length", DEFAULT_MAX_LENGTH),
            pattern=pattern,
            pattern_error=raw.get("pattern_error"),
            match=raw.get("match"),
            allow_future=raw.get("allow_future", False),
            accept=tuple(raw.get("accept", ("phone", "email"))),
            flags=flags,
            next=self.rules(raw.get("next"), sid, f"{ptr}/next"),
            variants=tuple(
                Variant(controls, name, text, self.line(f"{ptr}/variants/{controls}/{name}"))
                for controls, fields in raw.get("variants", {}).items()
                for name, text in fields.items()
            ),
            pointer=ptr,
            line=self.line(ptr),
        )

    def rules(self, raw: str | list[Any] | None, sid: str, ptr: str) -> tuple[Rule, ...]:
        if raw is None:
            return ()
        if isinstance(raw, str):
            return (Rule(raw, None, self.line(ptr), self.line(ptr)),)
        return tuple(
            Rule(
                r["goto"],
                self.condition(r["if"], sid, f"{ptr}/{i}/if") if "if" in r else None,
                self.line(f"{ptr}/{i}"),
                self.line(f"{ptr}/{i}/goto"),
            )
            for i, r in enumerate(raw)
        )

    def condition(self, raw: Mapping[str, Any], default_step: str, ptr: str) -> Condition:
        """A typed condition; `step` defaults to the enclosing condition's or the step's."""
        step = raw.get("step", default_step)
        line = self.line(ptr)
        if "is" in raw:
            return Is(step, raw["is"], line)
        if "in" in raw:
            return In(step, tuple(raw["in"]), line)
        if "has" in raw:
            return Has(step, raw["has"], line)
        if "answered" in raw:
            return Answered(step, raw["answered"], line)
        if "not" in raw:
            return Not(self.condition(raw["not"], step, f"{ptr}/not"), line)
        key = "all" if "all" in raw else "any"
        items = tuple(self.condition(c, step, f"{ptr}/{key}/{i}") for i, c in enumerate(raw[key]))
        return AllOf(items, line) if key == "all" else AnyOf(items, line)
