"""Draw a script's compiled machine: Mermaid text always, SVG or PNG with Graphviz.

Both read the states and transitions back from the compiled `transitions`
machine, so a diagram shows exactly what conversations will follow; each
conditional edge is labelled with its condition, the default with "otherwise".
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Any

from dialogs.compiler import TRIGGER, compile_script
from dialogs.conditions import describe
from dialogs.loader import Script
from locales.errors import ConfigError

FORMATS = frozenset({"svg", "png"})
OTHERWISE = "otherwise"


def _labels(script: Script) -> list[tuple[str, str, str]]:
    """(source, dest, label) for every transition, in rule order."""
    compiled = compile_script(script)
    out = []
    for edge in compiled.edges():
        label = describe(edge.condition) if edge.condition is not None else ""
        out.append((edge.source, edge.dest, label))
    # A lone default rule needs no label; after conditional rules it reads "otherwise".
    conditional = {source for source, _, label in out if label}
    return [(s, d, label or (OTHERWISE if s in conditional else "")) for s, d, label in out]


def mermaid(script: Script) -> str:
    """A Mermaid stateDiagram-v2 of the script (paste it into a Markdown file)."""
    lines = ["stateDiagram-v2", f"  [*] --> {script.start}"]
    for step in script.steps:
        lines.append(f"  {step.id}: {step.id} ({step.kind})")
    for source, dest, label in _labels(script):
        lines.append(f"  {source} --> {dest}" + (f": {label}" if label else ""))
    lines += [f"  {step.id} --> [*]" for step in script.steps if step.kind == "confirm"]
    return "\n".join(lines) + "\n"


def render(script: Script, path: Path) -> None:
    """Write the diagram to `path` (.svg or .png) with transitions' Graphviz support."""
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ConfigError(f"cannot draw {path.name}: use a .svg or .png file name")
    if importlib.util.find_spec("graphviz") is None or shutil.which("dot") is None:
        raise ConfigError(
            "Graphviz is not installed: `pip install graphviz` and install the `dot` program"
            " (apt-get install graphviz), or use the Mermaid output instead"
        )
    from transitions.extensions.diagrams import GraphMachine  # noqa: PLC0415 -- needs graphviz

    class _Model:
        state: str

    transitions: list[dict[str, Any]] = [
        {"trigger": TRIGGER, "source": s, "dest": d, **({"label": label} if label else {})}
        for s, d, label in _labels(script)
    ]
    model = _Model()
    GraphMachine(
        model=model,
        states=[step.id for step in script.steps],
        initial=script.start,
        transitions=transitions,
        auto_transitions=False,
        graph_engine="graphviz",
        title=script.title,
    )
    graph = model.get_graph()  # type: ignore[attr-defined]  # bound by GraphMachine
    graph.draw(str(path), format=fmt, prog="dot")
