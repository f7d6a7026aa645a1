"""The linter: one broken script per check, each issue at its exact file and line.

Each fixture in broken/ marks the lines it expects issues on with
`# expect: <code>`; the linter must report exactly those (line, code) pairs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dialogs import lint_file, lint_script_text, load_script
from locales.errors import ScriptError

BROKEN = Path(__file__).parent / "broken"
SHIPPED = Path(__file__).parents[2] / "dialogs" / "scripts"
FIXTURES = sorted(BROKEN.glob("*.yaml"))
MARK = re.compile(r"# expect: ([a-z-]+)")

# Every check the linter makes, by code; each needs a fixture.
CHECKS = {
    "yaml", "duplicate-key", "unknown-field", "code", "field-kind", "no-options", "option-label",
    "condition", "duplicate-step", "duplicate-option", "unknown-target", "unknown-start",
    "unreachable", "dead-end", "confirm-count", "condition-step", "condition-option",
    "condition-kind", "condition-order", "unknown-lookup", "no-default", "dead-rule", "cycle",
    "range", "pattern", "closing", "variant",
}  # fmt: skip


def expected(path: Path) -> list[tuple[int, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return sorted((n, m.group(1)) for n, line in enumerate(lines, 1) for m in MARK.finditer(line))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_each_broken_script_is_reported_at_its_file_and_line(path: Path) -> None:
    want = expected(path)
    assert want, f"{path.name} marks no expected issue"
    issues = lint_file(path)
    assert sorted((i.line, i.code) for i in issues) == want
    assert all(i.file == str(path) for i in issues)
    assert all(str(i).startswith(f"{path}:{i.line}: ") for i in issues)


def test_every_check_has_a_broken_fixture() -> None:
    covered = {code for path in FIXTURES for _, code in expected(path)}
    assert covered == CHECKS


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_a_broken_script_does_not_load(path: Path) -> None:
    with pytest.raises(ScriptError) as caught:
        load_script(path)
    assert sorted((i.line, i.code) for i in caught.value.issues) == expected(path)


def test_code_is_refused_with_a_clear_message() -> None:
    issues = lint_file(BROKEN / "code-key.yaml")
    assert [i.message for i in issues] == ["step 'first': 'before': scripts may not call code"]


def test_goto_end_explains_that_only_confirm_finishes() -> None:
    (issue,) = lint_file(BROKEN / "goto-end.yaml")
    assert "the only way to finish is the confirm step" in issue.message


def test_a_typo_gets_a_suggestion() -> None:
    (issue,) = lint_file(BROKEN / "unknown-target.yaml")
    assert issue.message.endswith("did you mean 'review'?")


def test_lookup_names_can_be_passed_in() -> None:
    """The allow-list of `match` tables defaults to dialogs.lookups but can be given."""
    text = (BROKEN / "unknown-lookup.yaml").read_text(encoding="utf-8")
    assert lint_script_text(text, "x.yaml", lookups={"uk-police-farces"}) == []
    assert [i.code for i in lint_script_text(text, "x.yaml", lookups=set())] == ["unknown-lookup"]


def test_a_missing_file_is_an_issue_not_a_traceback(tmp_path: Path) -> None:
    (issue,) = lint_file(tmp_path / "nope.yaml")
    assert (issue.code, issue.line) == ("io", 0)


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_shipped_scripts_lint_clean(path: Path) -> None:
    assert lint_file(path) == []
