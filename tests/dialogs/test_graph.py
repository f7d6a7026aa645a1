"""Diagrams of a script: Mermaid text always, SVG or PNG when Graphviz is installed."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from dialogs import load_script, mermaid, render
from locales.errors import ConfigError

SCRIPT = load_script(Path(__file__).parent / "scripts" / "small.yaml")
HAVE_GRAPHVIZ = importlib.util.find_spec("graphviz") is not None and shutil.which("dot") is not None


def test_mermaid_draws_every_transition_with_its_condition() -> None:
    text = mermaid(SCRIPT)
    assert text.startswith("stateDiagram-v2\n  [*] --> welcome\n")
    assert "  danger --> emergency: danger is yes\n" in text
    assert "  danger --> category: otherwise\n" in text
    assert "  anonymous --> contact: anonymous is no\n" in text
    assert "  welcome --> danger\n" in text
    assert text.endswith("  review --> [*]\n")
    assert text.count(" --> ") == 14  # 12 rules, the start and the end


def test_render_refuses_formats_other_than_svg_and_png(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\.svg or \.png"):
        render(SCRIPT, tmp_path / "graph.pdf")


def test_render_writes_an_svg_or_says_graphviz_is_missing(tmp_path: Path) -> None:
    target = tmp_path / "graph.svg"
    if HAVE_GRAPHVIZ:
        render(SCRIPT, target)
        assert "<svg" in target.read_text(encoding="utf-8")
    else:
        with pytest.raises(ConfigError, match="Graphviz is not installed"):
            render(SCRIPT, target)
        assert not target.exists()
