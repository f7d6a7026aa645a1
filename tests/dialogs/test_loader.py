"""The loader: a typed script from YAML, or every problem with its file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dialogs import load_script, load_script_text
from dialogs.conditions import AllOf, Has, In, Is, Not
from locales.errors import ScriptError, ScriptIssue

SCRIPT = textwrap.dedent(
    """\
    id: loader-test
    version: 2
    locale: en
    title: Loader test
    start: danger
    closing: "Reference {reference}."
    steps:
      - id: danger
        kind: yesno
        say: Is anyone in danger?
        flags:
          urgent: {is: yes}
        next:
          - if: {is: yes}
            goto: kinds
          - goto: kinds
      - id: kinds
        kind: multi
        say: Which?
        options:
          - {id: photo, label: Photos}
          - {id: other, label: Something else}
        next:
          - if: {all: [{has: photo}, {not: {step: danger, in: ["no"]}}]}
            goto: review
          - goto: review
      - id: review
        kind: confirm
        say: Check.
    """
)


def issues_of(text: str, name: str = "s.yaml") -> list[ScriptIssue]:
    with pytest.raises(ScriptError) as caught:
        load_script_text(text, name)
    return caught.value.issues


def test_a_valid_script_loads_into_a_typed_tree() -> None:
    script = load_script_text(SCRIPT, "s.yaml")
    assert [s.id for s in script.steps] == ["danger", "kinds", "review"]
    danger = script.step("danger")
    assert danger.next[0].when == Is("danger", "yes")
    assert danger.flags[0].name == "urgent"
    assert script.step("kinds").next[0].when == AllOf(
        (Has("kinds", "photo"), Not(In("danger", ("no",))))
    )
    assert [o.label for o in script.step("kinds").options] == ["Photos", "Something else"]


def test_yes_and_no_stay_words_not_booleans() -> None:
    """`is: yes` means the answer "yes" (YAML 1.1 would have read it as true)."""
    script = load_script_text(SCRIPT, "s.yaml")
    assert script.step("danger").next[0].when == Is("danger", "yes")


def test_version_is_the_yaml_version_and_a_hash_of_the_source() -> None:
    script = load_script_text(SCRIPT, "s.yaml")
    assert script.version.startswith("2-")
    assert len(script.version) == 2 + 12
    assert script.source == SCRIPT
    edited = load_script_text(SCRIPT.replace("Which?", "Which ones?"), "s.yaml")
    assert edited.version != script.version
    assert edited != script
    assert load_script_text(SCRIPT, "other.yaml") == script


def test_nodes_keep_their_lines() -> None:
    script = load_script_text(SCRIPT, "s.yaml")
    assert script.step("kinds").line == 17
    assert script.step("danger").next[0].target_line == 15
    assert script.line("/steps/1/options/1/label") == 22


def test_a_yaml_syntax_error_names_its_line() -> None:
    broken = SCRIPT.replace("    say: Which?", "    say: Which?\n   oops: [")
    (issue,) = issues_of(broken)
    assert (issue.file, issue.code) == ("s.yaml", "yaml")
    assert issue.line == 20
    assert issue.message.startswith("YAML syntax error")


def test_every_schema_problem_is_listed_with_its_line() -> None:
    broken = SCRIPT.replace("kind: multi", "kind: multiple").replace(
        "title: Loader test", "title: Loader test\ncolour: red"
    )
    issues = issues_of(broken)
    assert [(i.line, i.code) for i in issues] == [(5, "unknown-field"), (19, "schema")]
    assert issues[1].message.startswith("step 'kinds', kind: 'multiple' is not one of:")


def test_a_boolean_where_a_word_belongs_is_explained() -> None:
    broken = SCRIPT.replace("urgent: {is: yes}", "urgent: {is: true}")
    (issue,) = issues_of(broken)
    assert (issue.line, issue.code) == (12, "schema")
    assert "should be text, not true" in issue.message


def test_semantic_problems_stop_loading_too() -> None:
    broken = SCRIPT.replace("goto: kinds\n      - goto", "goto: kinz\n      - goto")
    (issue,) = issues_of(broken)
    assert (issue.line, issue.code) == (15, "unknown-target")


def test_anchors_and_aliases_are_refused() -> None:
    broken = SCRIPT.replace("say: Check.", "say: &x Check.\n    help: *x")
    (issue,) = issues_of(broken)
    assert (issue.line, issue.code) == (30, "yaml")


def test_an_empty_file_needs_fields() -> None:
    (issue,) = issues_of("")
    assert (issue.line, issue.code) == (1, "schema")


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(SCRIPT.encode().replace(b"Check.", "Vérifiez.".encode("latin-1")))
    with pytest.raises(ScriptError) as caught:
        load_script(path)
    (issue,) = caught.value.issues
    assert (issue.file, issue.line, issue.code) == (str(path), 29, "yaml")


def test_control_characters_in_the_file_name_their_line() -> None:
    (issue,) = issues_of(SCRIPT.replace("Check.", "Check\x07."))
    assert (issue.line, issue.code) == (29, "yaml")


def test_several_documents_are_refused() -> None:
    (issue,) = issues_of(SCRIPT + "---\nid: second\n")
    assert issue.code == "yaml"


def test_load_script_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(SCRIPT, encoding="utf-8")
    script = load_script(path)
    assert script.name == str(path)
    assert script.id == "loader-test"


def test_a_step_says_its_variant_for_the_channel_else_the_one_before() -> None:
    text = SCRIPT.replace(
        "    kind: confirm\n    say: Check.\n",
        "    kind: confirm\n    say: Check.\n    help: Type its number.\n"
        "    variants:\n"
        "      choices:\n        help: Type its number, or tap Confirm.\n"
        "      buttons:\n        say: Check, then press Confirm.\n",
    )
    review = load_script_text(text, "s.yaml").step("review")
    assert review.variant("say", "typed") is None
    assert review.variant("help", "typed") is None
    assert review.variant("say", "choices") is None
    said = review.variant("say", "buttons")
    assert said is not None
    assert (said.controls, said.text, said.line) == ("buttons", "Check, then press Confirm.", 35)
    helped = review.variant("help", "buttons")  # no buttons help: the choices one
    assert helped is not None
    assert (helped.controls, helped.text) == ("choices", "Type its number, or tap Confirm.")
