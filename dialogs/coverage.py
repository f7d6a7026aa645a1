"""How complete each catalog is: translated, fuzzy, missing, placeholder mismatches.

Measured against a fresh template (`extract.build_template`), not the `.pot`
on disk, so a string added to a script or the code and not yet translated
counts as missing straight away. A placeholder mismatch is a translation whose
`{name}` fields differ from the English ones: the engine would fall back to
English for it, so it counts against the catalog like a missing entry.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from dateparser.data import language_order

from dialogs._datewords import DATE_WORDS
from locales import SOURCE_LANGUAGE, language_of, po_path, read_catalog

# The mark a catalog's header comment carries until a native speaker reviewed it.
MACHINE_MARK = "MACHINE-ASSISTED"


def placeholders(text: str) -> frozenset[str] | None:
    """The `{name}` fields of a format string; None when it is not one (stray braces)."""
    try:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)
    except ValueError:
        return None


def _label(context: str | None, msgid: str) -> str:
    first = msgid.splitlines()[0] if msgid else ""
    short = first if len(first) <= 50 else first[:47] + "..."
    return f"{context} {short!r}" if context else repr(short)


@dataclass(frozen=True)
class Coverage:
    """One language's catalog against the template."""

    language: str
    total: int
    translated: int
    fuzzy: Sequence[str] = field(default_factory=tuple)
    missing: Sequence[str] = field(default_factory=tuple)
    mismatched: Sequence[str] = field(default_factory=tuple)
    machine_assisted: bool = False

    @property
    def complete(self) -> bool:
        """Every entry translated, none fuzzy, every placeholder kept."""
        return self.translated == self.total and not self.fuzzy and not self.mismatched

    @property
    def percent(self) -> float:
        return 100.0 if not self.total else 100.0 * self.translated / self.total

    @property
    def dates(self) -> str:
        """How dates typed in this language are read."""
        language = language_of(self.language)
        parts = []
        if language in language_order:
            parts.append("dateparser")
        if language in DATE_WORDS:
            parts.append("word table")
        return " + ".join(parts) or "numbers and English only"


def check(template: Catalog, catalog: Catalog | None, language: str) -> Coverage:
    """Compare one catalog (None: there is none) with the template."""
    wanted = [m for m in template if m.id and isinstance(m.id, str)]
    fuzzy: list[str] = []
    missing: list[str] = []
    mismatched: list[str] = []
    translated = 0
    for message in wanted:
        msgid = str(message.id)
        found = None if catalog is None else catalog.get(msgid, message.context)
        label = _label(message.context, msgid)
        text = found.string if found is not None else None
        if not isinstance(text, str) or not text:
            missing.append(label)
            continue
        if found is not None and found.fuzzy:
            fuzzy.append(label)
            continue
        english = placeholders(msgid)
        if english is not None and placeholders(text) != english:
            mismatched.append(f"{label}: needs {sorted(english)}, has {placeholders(text)}")
            continue
        translated += 1
    marked = catalog is not None and MACHINE_MARK in (catalog.header_comment or "")
    return Coverage(
        language, len(wanted), translated, tuple(fuzzy), tuple(missing), tuple(mismatched), marked
    )


def coverage(
    template: Catalog, languages: Iterable[str], locale_dir: Path | None = None
) -> list[Coverage]:
    """Coverage of every language but the source one, in the order given."""
    out = []
    for language in languages:
        if language_of(language) == SOURCE_LANGUAGE:
            continue
        path = po_path(language) if locale_dir is None else po_path(language, locale_dir)
        catalog = read_catalog(path, language) if path.is_file() else None
        out.append(check(template, catalog, language))
    return out


def render(results: Sequence[Coverage], names: Mapping[str, str], details: bool = False) -> str:
    """A table for admins: one row per language, problems listed under it with `details`."""
    lines = [
        f"{'language':<22} {'done':>6} {'transl.':>7} {'fuzzy':>5} {'missing':>7} "
        f"{'{}':>3}  {'review':<17} dates"
    ]
    for item in results:
        name = f"{item.language} {names.get(item.language, '')}".strip()
        review = "machine-assisted" if item.machine_assisted else "-"
        lines.append(
            f"{name:<22} {item.percent:>5.1f}% {item.translated:>7} {len(item.fuzzy):>5} "
            f"{len(item.missing):>7} {len(item.mismatched):>3}  {review:<17} {item.dates}"
        )
        if details:
            for kind, entries in (
                ("fuzzy", item.fuzzy),
                ("missing", item.missing),
                ("placeholders", item.mismatched),
            ):
                lines.extend(f"    {kind}: {entry}" for entry in entries)
    return "\n".join(lines)
