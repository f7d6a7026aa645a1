"""`tipline dialogs extract`: the Babel extractor, the template, and merging into catalogs."""

from __future__ import annotations

import io
from importlib.metadata import entry_points
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract

from bot.cli import main
from dialogs.extract import (
    build_template,
    extract_script,
    po_bytes,
    update_catalogs,
    write_if_changed,
)
from locales import read_catalog

SCRIPT = """\
id: tiny
version: 1
locale: en
title: Tiny
start: hello
closing: "Sealed: {reference} {receipt}"
steps:
  - id: hello
    kind: info
    say: Hello there.
    next: pick
  - id: pick
    kind: choice
    say: Which one?
    summary: Choice
    options:
      - {id: a, label: Apple}
      - {id: b, label: Banana}
    next: done
  - id: done
    kind: confirm
    say: Check it.
"""


def test_the_extractor_is_registered_with_babel_as_tipline_script() -> None:
    found = [e for e in entry_points(group="babel.extractors") if e.name == "tipline_script"]
    assert [e.load() for e in found] == [extract_script]


def test_script_strings_are_extracted_with_a_stable_context_per_step_and_field() -> None:
    messages = list(extract("tipline_script", io.BytesIO(SCRIPT.encode())))
    by_context = {context: message for _, message, _, context in messages}
    assert by_context["tiny:pick:say"] == "Which one?"
    assert by_context["tiny:pick:option.b"] == "Banana"
    assert by_context["tiny:pick:summary"] == "Choice"
    assert by_context["tiny::closing"] == "Sealed: {reference} {receipt}"
    assert by_context["tiny:hello:say"] == "Hello there."


def write_script(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def translate_all(path: Path, template: Catalog) -> None:
    catalog = Catalog(locale="pl", domain="tipline", fuzzy=False)
    for message in template:
        if message.id:
            catalog.add(message.id, f"PL {message.id}", context=message.context)
    path.write_bytes(po_bytes(catalog))


def test_changing_an_english_prompt_keeps_its_translation_marked_fuzzy(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "bot").mkdir(parents=True)
    (root / "bot" / "words.py").write_text('N_("Engine says hi.")\n', encoding="utf-8")
    script = write_script(tmp_path / "tiny.yaml", SCRIPT)
    pot, po = tmp_path / "tipline.pot", tmp_path / "pl" / "LC_MESSAGES" / "tipline.po"
    po.parent.mkdir(parents=True)
    translate_all(po, build_template(root, [script]))

    write_script(script, SCRIPT.replace("Which one?", "Which fruit?").replace("Banana", "Kiwi"))
    (root / "bot" / "words.py").write_text('N_("Engine says hello.")\n', encoding="utf-8")
    changed = update_catalogs(build_template(root, [script]), pot, [po])

    assert changed == [pot, po]
    merged = read_catalog(po, "pl")
    question = merged.get("Which fruit?", "tiny:pick:say")
    assert question is not None
    assert question.fuzzy
    assert question.string == "PL Which one?"
    assert '#| msgid "Which one?"' in po.read_text(encoding="utf-8")  # the old English, shown
    engine = merged.get("Engine says hello.")
    assert engine is not None
    assert engine.fuzzy
    assert engine.string == "PL Engine says hi."
    assert merged.get("Which one?", "tiny:pick:say") is None  # no stale copy left behind
    untouched = merged.get("Apple", "tiny:pick:option.a")
    assert untouched is not None
    assert not untouched.fuzzy
    # A second run changes nothing.
    assert update_catalogs(build_template(root, [script]), pot, [po]) == []


def test_a_catalog_written_by_another_babel_release_or_on_another_day_is_not_stale(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tipline.pot"
    header = '"POT-Creation-Date: {}\\n"\n"Generated-By: Babel {}\\n"\n'
    body = '#: a.py:1\nmsgid "Hello"\nmsgstr ""\n'
    path.write_text(header.format("2026-11-23", "2.18.0") + body, encoding="utf-8")
    again = header.format("2026-12-05", "2.19.0") + body.replace("a.py:1", "a.py:9")

    assert not write_if_changed(path, again.encode())
    assert "2.18.0" in path.read_text(encoding="utf-8")
    assert write_if_changed(path, again.replace("Hello", "Hi").encode())
    assert '"Hi"' in path.read_text(encoding="utf-8")


def test_the_admin_commands_report_complete_shipped_catalogs(
    capsys: object,
) -> None:
    assert main(["dialogs", "coverage"]) == 0
    assert main(["dialogs", "extract", "--check"]) == 0


def test_the_web_pages_own_words_are_extracted_from_their_jinja2_templates(
    tmp_path: Path,
) -> None:
    """`{{ _("...") }}` in bot/channels/web/templates lands in the template, with its line."""
    folder = tmp_path / "project" / "bot" / "channels" / "web" / "templates"
    folder.mkdir(parents=True)
    (folder / "page.html").write_text(
        '{% block content %}\n<a>{{ _("Quick exit") }}</a>\n'
        "<b data-x=\"{{ _('Send') }}\">{{ _('Up to {limit} MB').replace('{limit}', n) }}</b>\n"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    template = build_template(tmp_path / "project", [])
    found = {str(m.id): m.locations for m in template if m.id}
    assert found == {
        "Quick exit": [("bot/channels/web/templates/page.html", 2)],
        "Send": [("bot/channels/web/templates/page.html", 3)],
        "Up to {limit} MB": [("bot/channels/web/templates/page.html", 3)],
    }


def test_a_carried_over_translation_stays_in_its_own_language(tmp_path: Path) -> None:
    """Merging one template into several catalogs never hands one language's words to another."""
    script = write_script(tmp_path / "tiny.yaml", SCRIPT)
    root = tmp_path / "project"
    root.mkdir()
    pot = tmp_path / "tipline.pot"
    catalogs = []
    for code in ("cy", "pl"):
        po = tmp_path / code / "LC_MESSAGES" / "tipline.po"
        po.parent.mkdir(parents=True)
        catalog = Catalog(locale=code, domain="tipline", fuzzy=False)
        for message in build_template(root, [script]):
            if message.id:
                catalog.add(message.id, f"{code} {message.id}", context=message.context)
        po.write_bytes(po_bytes(catalog))
        catalogs.append(po)

    write_script(script, SCRIPT.replace("Which one?", "Which fruit?"))
    update_catalogs(build_template(root, [script]), pot, catalogs)

    for code, po in zip(("cy", "pl"), catalogs, strict=True):
        question = read_catalog(po, code).get("Which fruit?", "tiny:pick:say")
        assert question is not None
        assert question.fuzzy
        assert question.string == f"{code} Which one?"
