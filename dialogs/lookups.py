"""Lookup tables a script may name with `match:`, and matching typed text against them.

A script is data, so it can only name a table on the allow-list `LOOKUPS`,
never a path. A table (dialogs/data/<name>.yaml) lists canonical names with
the other names people type; `match_lookup` finds the canonical name for an
answer such as "the met" or "Greater Manchester", or returns None.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from dialogs._text import fold
from locales import language_of
from locales.errors import ScriptError, ScriptIssue

DATA_DIR = Path(__file__).parent / "data"

LOOKUPS: Mapping[str, Path] = MappingProxyType(
    {"uk-police-forces": DATA_DIR / "uk-police-forces.yaml"}
)

# Words that only say "this is a police force": "Kent", "Kent Police" and
# "the Kent Constabulary" are the same answer.
_GENERIC_ENDINGS = frozenset({"police", "constabulary", "force", "service", "department"})
# The word "police" in the shipped languages, before or after a name ("policja
# londyńska", "Policía Metropolitana", "Heddlu Gwent"), folded.
_POLICE_WORDS = frozenset(
    fold(word)
    for word in (
        *("policja", "policji", "policía", "polícia", "polizia", "poliția", "poliţia", "polis"),
        *("heddlu", "policija", "policijos", "booliska", "booliis", "شرطة", "الشرطة"),
        *("پولیس", "পুলিশ", "ਪੁਲਿਸ", "ਪੁਲੀਸ", "પોલીસ"),
    )
)
_FUZZY_CUTOFF = 0.88  # a typo; tests check a one-letter slip never names another force
_FUZZY_MIN_LENGTH = 6  # shorter names differ by one letter ("kent", "gwent")


def lookup_key(text: str) -> str:
    """The form names are compared in: folded, no leading "the", no "police" around it."""
    words = fold(text.replace("&", " and ")).split()
    if words and words[0] == "the":
        words = words[1:]
    while words and words[0] in _POLICE_WORDS:
        words = words[1:]
    while words and (words[-1] in _GENERIC_ENDINGS or words[-1] in _POLICE_WORDS):
        words.pop()
    return " ".join(words)


@dataclass(frozen=True)
class LookupTable:
    """One loaded table: whole-answer keys, and phrases that may appear inside a sentence."""

    keys: Mapping[str, str]
    phrases: tuple[tuple[str, str], ...]
    local: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (name, language) → name

    def local_name(self, name: str, language: str) -> str:
        """The canonical `name` as said in `language` ("Heddlu Gwent"), else as it is."""
        return self.local.get((name, language), name)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.keys.values())

    def match(self, text: str) -> str | None:
        """The canonical name `text` refers to, or None when there is none or several."""
        key = lookup_key(text)
        if not key:
            return None
        if key in self.keys:
            return self.keys[key]
        return self._within(fold(text)) or self._near(key)

    def _within(self, folded: str) -> str | None:
        """A name inside a sentence ("I think it was the met"), if only one force is named."""
        padded = f" {folded} "
        spans = []
        for phrase, name in self.phrases:
            start = padded.find(f" {phrase} ")
            if start >= 0:
                spans.append((start, start + len(phrase) + 2, name))
        # "new scotland yard" names the Met, even though "scotland" alone might not.
        outer = {
            name
            for start, end, name in spans
            if not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in spans)
        }
        return outer.pop() if len(outer) == 1 else None

    def _near(self, key: str) -> str | None:
        """A small typo ("metropolitian") of exactly one name."""
        if not _FUZZY_MIN_LENGTH <= len(key) <= 60:
            return None
        close = difflib.get_close_matches(key, list(self.keys), n=3, cutoff=_FUZZY_CUTOFF)
        names = {self.keys[found] for found in close}
        return names.pop() if len(names) == 1 else None


def _issue(path: Path, message: str) -> ScriptError:
    return ScriptError([ScriptIssue(file=str(path), line=1, message=message, code="lookup")])


def read_table(path: Path) -> LookupTable:
    """Read and check a lookup table file; ScriptError says what is wrong with it."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise _issue(path, f"cannot read lookup table: {exc}") from exc
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise _issue(path, "a lookup table needs a non-empty list `entries`")
    keys: dict[str, str] = {}
    phrases: dict[str, str] = {}
    local: dict[tuple[str, str], str] = {}
    for entry in entries:
        fields = entry if isinstance(entry, dict) else {}
        name, aliases, exact = (
            fields.get("name"),
            fields.get("aliases", []),
            fields.get("exact", []),
        )
        if (
            not isinstance(name, str)
            or not isinstance(aliases, list)
            or not isinstance(exact, list)
        ):
            raise _issue(path, f"entry {entry!r} needs a `name` and lists `aliases`, `exact`")
        if not all(isinstance(alias, str) for alias in [*aliases, *exact]):
            raise _issue(path, f"{name}: aliases must be text (quote words like yes or on)")
        names = fields.get("local", {})
        if not isinstance(names, dict) or not all(isinstance(n, str) for n in names.values()):
            raise _issue(path, f"{name}: `local` maps language codes to names")
        local |= {(name, str(language)): said for language, said in names.items()}
        if unknown := set(exact) - set(aliases):
            raise _issue(path, f"{name}: `exact` names {sorted(unknown)} that are not aliases")
        whole_only = {form for alias in exact for form in (fold(alias), lookup_key(alias))}
        for alias in [name, *aliases]:
            key = lookup_key(alias)
            if not key:
                raise _issue(path, f"{name}: {alias!r} says only that it is the police")
            if keys.setdefault(key, name) != name:
                raise _issue(path, f"{alias!r} of {name} also names {keys[key]}")
            for phrase in {fold(alias), key} - whole_only:
                if len(phrase) >= 3:
                    phrases.setdefault(phrase, name)
    return LookupTable(MappingProxyType(keys), tuple(phrases.items()), MappingProxyType(local))


@cache
def load_lookup(name: str) -> LookupTable:
    """Load and check an allow-listed table (once; tables ship with the code)."""
    if name not in LOOKUPS:
        raise KeyError(f"no lookup table {name!r}; scripts may name {sorted(LOOKUPS)}")
    return read_table(LOOKUPS[name])


def match_lookup(name: str, text: str) -> str | None:
    """The canonical name in table `name` that `text` refers to, or None."""
    return load_lookup(name).match(text)


def local_name(name: str, canonical: str, locale: str) -> str:
    """How to say `canonical` (from table `name`) to a reporter in `locale`."""
    return load_lookup(name).local_name(canonical, language_of(locale))
