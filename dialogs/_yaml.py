"""Read YAML into plain JSON-like data plus a JSON-pointer → line map.

PyYAML's composer keeps the position of every node, so each issue can name its
line. The dialect is safe and small: YAML 1.2 booleans (`yes` and `no` stay
words, which matters for `is: yes`), no timestamps, no tags, no anchors or
aliases, no duplicate keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from locales.errors import ScriptIssue

Lines = dict[str, int]

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")
)


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans and timestamps left as strings."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def escape(key: str) -> str:
    """One JSON-pointer reference token (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")


def line_at(lines: Mapping[str, int], pointer: str) -> int:
    """The line of `pointer`, or of its nearest ancestor that has one (1 at worst)."""
    while pointer not in lines and pointer:
        pointer = pointer.rsplit("/", 1)[0]
    return lines.get(pointer, 1)


def compose(text: str, name: str) -> tuple[Any, Lines, list[ScriptIssue]]:
    """Parse `text`; on YAML errors the data is None and the issues say where."""
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "malformed YAML"
        return None, {}, [ScriptIssue(name, line, f"YAML syntax error: {problem}", "yaml")]
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        return None, {}, [ScriptIssue(name, line, f"YAML cannot be read: {exc.reason}", "yaml")]
    except yaml.YAMLError as exc:  # pragma: no cover -- every PyYAML error above has a mark
        return None, {}, [ScriptIssue(name, 1, f"YAML error: {exc}", "yaml")]
    finally:
        if loader is not None:
            loader.dispose()
    walker = _Walker(loader, name)
    data = walker.walk(node, "") if node is not None else None
    return data, walker.lines, walker.issues


class _Walker:
    def __init__(self, loader: _Loader, name: str) -> None:
        self.loader = loader
        self.name = name
        self.lines: Lines = {}
        self.issues: list[ScriptIssue] = []
        self.seen: set[int] = set()

    def issue(self, node: yaml.Node, message: str, code: str) -> None:
        self.issues.append(ScriptIssue(self.name, node.start_mark.line + 1, message, code))

    def walk(self, node: yaml.Node, pointer: str) -> Any:
        if id(node) in self.seen:  # an alias: the same node again; name the line using it
            line = self.lines.get(pointer, node.start_mark.line + 1)
            message = "anchors and aliases (&name, *name) are not allowed"
            self.issues.append(ScriptIssue(self.name, line, message, "yaml"))
            return None
        self.seen.add(id(node))
        self.lines.setdefault(pointer, node.start_mark.line + 1)
        if node.tag not in _PLAIN_TAGS:
            if "python" in node.tag:
                self.issue(node, f"tag {node.tag}: scripts may not call code", "code")
            else:
                self.issue(node, f"tags such as {node.tag} are not allowed", "yaml")
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                    self.issue(key_node, "keys must be plain words", "yaml")
                    continue
                key = str(key_node.value)
                child = f"{pointer}/{escape(key)}"
                if key in out:
                    self.issue(key_node, f"duplicate key '{key}'", "duplicate-key")
                self.lines[child] = key_node.start_mark.line + 1
                out[key] = self.walk(value_node, child)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, f"{pointer}/{i}") for i, item in enumerate(node.value)]
        return self.loader.construct_object(node)
