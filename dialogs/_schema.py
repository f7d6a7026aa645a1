"""Validate script data against dialogs/schema.json and explain errors in plain words.

jsonschema's own messages name schema internals ("is not valid under any of the
given schemas"); an admin editing YAML needs the field, the line and a fix.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from dialogs._yaml import escape, line_at
from locales.errors import ScriptIssue

# Keys that would name code in a transitions machine or a plugin system.
CODE_KEYS = frozenset({
    "action", "actions", "after", "before", "call", "callback", "callbacks", "class", "code",
    "conditions", "eval", "exec", "function", "handler", "hook", "hooks", "import", "imports",
    "lambda", "module", "on_enter", "on_exit", "on_timeout", "prepare", "python", "run", "unless",
})  # fmt: skip
_CODE_LIKE = re.compile(r"[.:()/\\]")
_TYPE_WORDS = {
    "boolean": "true or false",
    "integer": "a whole number",
    "string": "text",
    "array": "a list",
    "object": "a set of fields",
}
_PATTERN_WORDS = {
    "^[a-z][a-z0-9_]*$": "a step id (lowercase letters, digits and _, starting with a letter)",
    "^(?!unknown$)[a-z0-9_]+$": "an option id (lowercase letters, digits and _; not unknown)",
    "^[a-z0-9][a-z0-9-]*$": "a name of lowercase letters, digits and -",
}
_CONDITION_KEYS = "is, in, has, answered, all, any, not"
_FLAG_EXAMPLE = "lowercase letters, digits and _, like needs_review"


@cache
def schema() -> Mapping[str, Any]:
    """The script JSON Schema shipped with the package."""
    text = resources.files("dialogs").joinpath("schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def _step_fields() -> frozenset[str]:
    return frozenset(schema()["$defs"]["step"]["properties"])


def _resolve(data: Any, tokens: Iterable[str | int]) -> Any:
    for token in tokens:
        try:
            data = data[token]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _where(tokens: list[str | int], data: Any) -> str:
    """'step 'x', options[1].label: ' for a path into the script."""
    parts: list[str] = []
    rest = tokens
    if len(tokens) >= 2 and tokens[0] == "steps" and isinstance(tokens[1], int):
        sid = _resolve(data, [*tokens[:2], "id"])
        parts.append(f"step '{sid}'" if isinstance(sid, str) else f"step {tokens[1] + 1}")
        rest = tokens[2:]
    path = "".join(f"[{t}]" if isinstance(t, int) else f".{t}" for t in rest).lstrip(".")
    if path:
        parts.append(path)
    return ", ".join(parts) + ": " if parts else ""


def explain(
    err: ValidationError, data: Any, lines: Mapping[str, int], name: str
) -> list[ScriptIssue]:
    """One or more issues, with lines, for one jsonschema error."""
    return _Explained(err, data, lines, name).issues()


class _Explained:
    """One jsonschema error, read in the words of the script format."""

    def __init__(
        self, err: ValidationError, data: Any, lines: Mapping[str, int], name: str
    ) -> None:
        self.err, self.data, self.lines, self.name = err, data, lines, name
        self.tokens: list[str | int] = list(err.absolute_path)
        self.ptr = "".join(f"/{escape(str(t))}" for t in self.tokens)
        self.where = _where(self.tokens, data)
        self.instance: Any = err.instance
        self.expected: Any = err.validator_value
        schema = err.schema
        self.schema: Mapping[str, Any] = schema if isinstance(schema, Mapping) else {}
        self.under_property_names = "propertyNames" in err.schema_path

    def issue(self, message: str, code: str = "schema", key: str | None = None) -> ScriptIssue:
        at = self.ptr if key is None else f"{self.ptr}/{escape(key)}"
        return ScriptIssue(self.name, line_at(self.lines, at), f"{self.where}{message}", code)

    def last(self) -> str | int | None:
        return self.tokens[-1] if self.tokens else None

    def issues(self) -> list[ScriptIssue]:
        match self.err.validator:
            case "additionalProperties":
                return self.unknown_fields()
            case "enum" if self.under_property_names:
                if self.instance not in _step_fields():
                    return []  # additionalProperties reports it already
                kind = _resolve(self.data, [*self.tokens, "kind"])
                message = f"'{self.instance}' does not apply to a {kind} step"
                return [self.issue(message, "field-kind", self.instance)]
            case "required":
                return [self.missing(m) for m in self.expected if m not in self.instance]
            case "minItems" if self.last() == "options":
                return [self.issue("a step with options needs at least one", "no-options")]
            case "minLength" if self.last() == "label":
                return [self.issue("the option has an empty label", "option-label")]
            case "minItems" | "minLength":
                return [self.issue("must not be empty")]
            case "oneOf" if "answered" in self.schema.get("properties", {}):
                message = f"a condition needs exactly one of {_CONDITION_KEYS}"
                return [self.issue(message, "condition")]
            case "anyOf" | "oneOf":
                return self.alternatives()
            case "pattern":
                return [self.pattern()]
            case "type":
                words = _TYPE_WORDS.get(str(self.expected), str(self.expected))
                return [self.issue(f"should be {words}, not {json.dumps(self.instance)[:40]}")]
            case "enum":
                options = ", ".join(str(v) for v in self.expected)
                return [self.issue(f"'{self.instance}' is not one of: {options}")]
        return [self.issue(self.err.message)]

    def unknown_fields(self) -> list[ScriptIssue]:
        allowed = list(self.schema.get("properties", {}))
        out = []
        for key in self.instance:
            if key in allowed:
                continue
            if key.lower() in CODE_KEYS or _CODE_LIKE.search(key):
                out.append(self.issue(f"'{key}': scripts may not call code", "code", key))
                continue
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            out.append(self.issue(f"unknown field '{key}'{hint}", "unknown-field", key))
        return out

    def missing(self, field: str) -> ScriptIssue:
        if field == "options":
            kind = _resolve(self.data, [*self.tokens, "kind"])
            return self.issue(f"a {kind} step needs options", "no-options")
        if field == "label" and "options" in self.tokens:
            return self.issue("the option has no label", "option-label")
        return self.issue(f"'{field}' is missing")

    def alternatives(self) -> list[ScriptIssue]:
        # Drop "not a string" / "not a list" at this node; keep what went wrong inside.
        deeper = [
            c
            for c in self.err.context or []
            if list(c.absolute_path) != self.tokens or c.validator != "type"
        ]
        if deeper:
            return [i for c in deeper for i in explain(c, self.data, self.lines, self.name)]
        return [self.issue("should be a step id or a list of rules {if, goto}")]

    def pattern(self) -> ScriptIssue:
        value = self.instance
        if isinstance(value, str) and _CODE_LIKE.search(value):
            return self.issue(f"'{value}' looks like code; scripts may not call code", "code")
        if self.under_property_names:  # a flag name
            return self.issue(f"'{value}' is not a flag name ({_FLAG_EXAMPLE})", key=str(value))
        what = _PATTERN_WORDS.get(str(self.expected), f"text matching {self.expected}")
        return self.issue(f"'{value}' is not {what}")
