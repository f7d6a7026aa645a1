"""Every English prompt reads plainly: Flesch–Kincaid grade 8 or below."""

from __future__ import annotations

import re

import pytest
import textstat

from dialogs.catalogs import PROJECT_ROOT, shipped_scripts
from dialogs.extract import build_template

MAX_GRADE = 8
# Filled-in values and examples are not vocabulary: an e-mail address or a
# {placeholder} would count as one long word.
_NOT_WORDS = re.compile(r"\{\w+\}|\S+@\S+|\+?\d[\d ]{6,}\d")
# Script fields and engine messages that a reporter reads as a sentence; one- or
# two-word labels (buttons, read-back summaries) have no reading grade.
# A field's per-channel variant (":say.buttons") reads as a sentence too.
_PROSE = re.compile(r"(:say|:help|:pattern_error)(\.\w+)?$|::closing$")


def prompts() -> list[tuple[str, str]]:
    found = []
    for message in build_template(PROJECT_ROOT, shipped_scripts()):
        text = str(message.id)
        if not text:
            continue
        context = message.context or ""
        prose = bool(_PROSE.search(context)) or (not context and len(text.split()) >= 4)
        if prose:
            found.append((context or text[:40], text))
    return found


@pytest.mark.parametrize(("where", "text"), prompts())
def test_the_english_prompt_is_plain(where: str, text: str) -> None:
    grade = textstat.flesch_kincaid_grade(_NOT_WORDS.sub("it", text))
    assert grade <= MAX_GRADE, f"{where}: grade {grade:.1f}: {text!r}"
