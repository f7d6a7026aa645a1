"""Pull every translatable string into locales/tipline.pot and merge it into each `.po`.

Three sources, all through Babel's extraction machinery:

- dialog scripts, with `extract_script`, a Babel extraction method registered
  as `tipline_script` under the `babel.extractors` entry point (so `pybabel
  extract -F` can use it too). Each string carries the context
  `<script>:<step>:<field>` the engine looks it up with;
- the engine's own strings, marked `N_(...)` or passed to `_()`/`gettext()`
  in the Python packages, with Babel's Python extractor;
- the web chat's page chrome, `{{ _("...") }}` in its Jinja2 templates, with
  Jinja2's Babel extractor (`jinja2.ext.babel_extract`).

Merging keys script strings by their context: when an English prompt changes,
its translation is kept and marked fuzzy (with the old English beside it), so
translators see what to check, instead of the translation silently vanishing.
"""

from __future__ import annotations

import copy
import difflib
import io
from collections.abc import Collection, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, cast

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import denormalize, write_po
from jinja2.ext import babel_extract

from dialogs.loader import Script, parse_script
from dialogs.readback import context
from locales import DOMAIN, read_catalog

ExtractResult = tuple[int, str, tuple[str, str], list[str]]

# Packages whose Python source holds strings a reporter sees.
PYTHON_PACKAGES = ("bot", "dialogs", "locales")
# Jinja2 templates whose text a reporter sees, and the options they are parsed
# with (the same block trimming as bot/channels/web/render.py's environment).
TEMPLATE_DIRS = ("bot/channels/web/templates",)
JINJA_OPTIONS = {"trim_blocks": "true", "lstrip_blocks": "true"}
COMMENT_TAGS = ("TRANSLATORS:",)
_CONTROLS = {
    "choices": "where each answer is a button but commands are typed (Telegram)",
    "buttons": "where answers and commands are buttons (the web chat)",
}
PO_WIDTH = 76
_FUZZY_CUTOFF = 0.6  # what msgmerge and Babel use for strings without a context


def script_strings(script: Script) -> Iterator[tuple[int, str, str, str]]:
    """(line, context, text, note for translators) for every translatable script string."""
    yield script.line("/title"), f"{script.id}::title", script.title, "Script title."
    closing_note = "Said after the report is sealed. Keep {reference} and {receipt} exactly."
    yield script.line("/closing"), f"{script.id}::closing", script.closing, closing_note
    for step in script.steps:
        where = f"Step '{step.id}' ({step.kind})"
        fields: list[tuple[str, str | None, str]] = [
            ("say", step.say, "what the bot says" if step.kind == "info" else "the question"),
            ("help", step.help, "shown when the reporter types help"),
            ("summary", step.label if step.is_question else None, "label in the read-back"),
            ("pattern_error", step.pattern_error, "said when the answer has the wrong form"),
        ]
        for field, text, what in fields:
            if text:
                line = script.line(f"{step.pointer}/{field}")
                yield line, context(script, step.id, field), text, f"{where}: {what}."
        for variant in step.variants:
            kind = _CONTROLS[variant.controls]
            note = f"{where}: {variant.name}, as said {kind}. Translate it as a whole sentence."
            ctx = context(script, step.id, f"{variant.name}.{variant.controls}")
            yield variant.line, ctx, variant.text, note
        if step.kind == "yesno":  # "Oes / Nac oes" in Welsh, not one yes for every question
            for value, label in (("yes", "Yes"), ("no", "No")):
                note = f"{where}: the '{label}' button; the word that answers this question."
                yield step.line, context(script, step.id, f"option.{value}"), label, note
        for option in step.options:
            note = f"{where}: a button; reporters may also type it."
            yield option.line, context(script, step.id, f"option.{option.id}"), option.label, note
            if option.words:
                note = (
                    f"{where}: what people type meaning the button '{option.label}', separated "
                    "by commas. Write the words people of your language use (everyday and "
                    "slang), not a word-for-word translation; accents and case do not matter. "
                    "Put a negated phrase ('not working') with the option it means."
                )
                yield (
                    option.line,
                    context(script, step.id, f"words.{option.id}"),
                    option.words,
                    note,
                )


def extract_script(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: dict[str, Any],
) -> Iterator[ExtractResult]:
    """Babel extraction method for dialog scripts (entry point `tipline_script`)."""
    name = getattr(fileobj, "name", "<script>")
    script = parse_script(fileobj.read().decode("utf-8"), str(name))
    for line, ctx, text, note in script_strings(script):
        yield line, "pgettext", (ctx, text), [note]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def build_template(root: Path, scripts: Sequence[Path]) -> Catalog:
    """A fresh template of every string in the Python packages under `root` and `scripts`."""
    template = Catalog(project="Tipline", domain=DOMAIN, charset="utf-8", fuzzy=False)
    methods: dict[str, Any] = {"tipline_script": extract_script, "jinja2": babel_extract}
    sources: list[tuple[str, Path]] = [("tipline_script", path) for path in scripts]
    for package in PYTHON_PACKAGES:
        sources += [("python", path) for path in sorted((root / package).rglob("*.py"))]
    for folder in TEMPLATE_DIRS:
        sources += [("jinja2", path) for path in sorted((root / folder).rglob("*.html"))]
    for method, path in sources:
        found = extract_from_file(
            cast(Any, methods.get(method, method)),
            str(path),
            keywords=DEFAULT_KEYWORDS,
            comment_tags=COMMENT_TAGS,
            options=JINJA_OPTIONS if method == "jinja2" else None,
            strip_comment_tags=True,
        )
        for line, found_message, comments, ctx in found:
            # Plural forms are not used: only the singular is kept.
            message = found_message[0] if isinstance(found_message, tuple) else found_message
            location = (_relative(path, root), line)
            existing = template.get(message, ctx)
            if existing is not None:
                existing.locations.append(location)
                existing.auto_comments.extend(
                    c for c in comments if c not in existing.auto_comments
                )
            else:
                template.add(message, None, [location], auto_comments=comments, context=ctx)
    return template


def _carry_over(catalog: Catalog, old: dict[Any, Message]) -> None:
    """Give new entries the translation of the entry they replace, marked fuzzy.

    Script strings match by context (the same step and field); engine strings,
    which have none, by the closest old English text.
    """
    by_context = {m.context: m for m in old.values() if m.context and m.string}
    free: dict[str, Message] = {str(m.id): m for m in old.values() if not m.context and m.string}
    for message in catalog:
        if not message.id or message.string:
            continue
        previous = by_context.pop(message.context, None) if message.context else None
        if previous is None and not message.context and isinstance(message.id, str):
            close = difflib.get_close_matches(message.id, list(free), 1, _FUZZY_CUTOFF)
            previous = free.pop(close[0]) if close else None
        if previous is not None:
            message.string = previous.string
            message.flags.add("fuzzy")
            message.previous_id = [str(previous.id)]


def previous_ids(text: str) -> dict[tuple[str, str | None], str]:
    """The `#| msgid` (old English) of each fuzzy entry in `.po` text.

    Babel writes these lines but does not read them back; translators' tools
    show them beside a fuzzy entry, so they are kept across runs.
    """
    found: dict[tuple[str, str | None], str] = {}
    for block in text.split("\n\n"):
        parts: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in block.splitlines():
            for prefix, part in (
                ("#| msgid ", "previous"),
                ("msgctxt ", "context"),
                ("msgid ", "id"),
            ):
                if line.startswith(prefix):
                    current = parts.setdefault(part, [])
                    current.append(line[len(prefix) :])
                    break
            else:
                if current is not None and line.startswith(('"', '#| "')):
                    current.append(line.removeprefix("#| "))
                elif line.startswith("msgstr"):
                    current = None
        if "previous" in parts and "id" in parts:
            context = denormalize("\n".join(parts["context"])) if "context" in parts else None
            entry = (denormalize("\n".join(parts["id"])), context)
            found[entry] = denormalize("\n".join(parts["previous"]))
    return found


def merge(catalog: Catalog, template: Catalog) -> Catalog:
    """Bring `catalog` up to `template`: new strings in, gone ones out, changed ones fuzzy.

    Babel's `update` puts the template's own `Message` objects into the catalog
    for new strings, so each catalog gets its own copy of the template: else a
    carried-over translation would leak into every language merged after it.
    """
    catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_header_comment=False)
    _carry_over(catalog, dict(catalog.obsolete))
    catalog.obsolete.clear()
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=PO_WIDTH, ignore_obsolete=True, include_previous=True)
    return buffer.getvalue()


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` unless the file already says the same; True if written.

    The creation date, the Babel version that wrote the file and the `#:`
    source references are left out of the comparison: a new Babel release or a
    line moving in the code is not a change translators need.
    """

    def content(raw: bytes) -> list[bytes]:
        skip = (b'"POT-Creation-Date', b'"Generated-By', b"#: ")
        return [line for line in raw.splitlines() if not line.startswith(skip)]

    if path.is_file() and content(path.read_bytes()) == content(data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def update_catalogs(template: Catalog, template_path: Path, po_files: Sequence[Path]) -> list[Path]:
    """Write the template and merge it into every `.po`; the files that changed."""
    template.creation_date = datetime.now(UTC)
    changed = [template_path] if write_if_changed(template_path, po_bytes(template)) else []
    for path in po_files:
        language = path.parent.parent.name
        earlier = previous_ids(path.read_text(encoding="utf-8"))
        current = read_catalog(path, language)
        for message in current:  # Babel reads "#| msgid" back as a comment "| msgid"
            message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
        merged = merge(current, template)
        for message in merged:
            key = (str(message.id), message.context)
            if message.fuzzy and not message.previous_id and key in earlier:
                message.previous_id = [earlier[key]]
        if write_if_changed(path, po_bytes(merged)):
            changed.append(path)
    return changed
