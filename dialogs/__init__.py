"""The dialog language: scripts as data, validated, compiled once, run by a pure engine.

Load a script with `load_script` (it is linted on the way), run conversations
with `Dialog`, and draw it with `mermaid` or `render`.
"""

from dialogs._text import Parsed, Rejected
from dialogs._types import (
    JSON,
    Answer,
    Clock,
    Controls,
    Draft,
    Option,
    Outcome,
    Reply,
    Report,
    ReportAnswer,
    TurnResult,
)
from dialogs.compiler import CompiledScript, compile_script
from dialogs.conditions import Condition, evaluate
from dialogs.engine import Dialog
from dialogs.graph import mermaid, render
from dialogs.lint import check_script, lint_file, lint_script_text, load_script, load_script_text
from dialogs.loader import FlagSpec, OptionSpec, Rule, Script, Step, Variant, parse_script

__all__ = [
    "JSON",
    "Answer",
    "Clock",
    "CompiledScript",
    "Condition",
    "Controls",
    "Dialog",
    "Draft",
    "FlagSpec",
    "Option",
    "OptionSpec",
    "Outcome",
    "Parsed",
    "Rejected",
    "Reply",
    "Report",
    "ReportAnswer",
    "Rule",
    "Script",
    "Step",
    "TurnResult",
    "Variant",
    "check_script",
    "compile_script",
    "evaluate",
    "lint_file",
    "lint_script_text",
    "load_script",
    "load_script_text",
    "mermaid",
    "parse_script",
    "render",
]
