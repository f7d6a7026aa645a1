"""Matching, like Callisto: do other reports name the same officer? Worked out here only.

A compromise of the server must not reveal which officer any report names, so
the server never sees an officer's details in the clear: matching happens on
the workstation, over the reports it has decrypted. For each it keeps the
officer's force, collar or warrant number and name, normalised, in an index
sealed to the reviewer's own key (`alice.index`, 0600, opened with the key
file's passphrase like any report). Two reports match when they name the same
force and either the same number or a close name (same surname and a
compatible first name or initial, or 85 % alike letter for letter).

The fields are read from the shipped script's steps (`force`, `number`,
`officer_name`); a script that names them differently matches nothing until
this table says where to look.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from handoff.envelope import open_sealed, seal
from handoff.workstation.keyfile import ReviewerPrivateKey
from locales.errors import TamperedError

__all__ = ["MatchIndex", "Officer", "officer_of"]

FIELDS = {"force": "force", "number": "number", "name": "officer_name"}
_TITLES = frozenset(
    [
        "pc",
        "ps",
        "dc",
        "ds",
        "di",
        "dci",
        "dsi",
        "sgt",
        "sergeant",
        "constable",
        "inspector",
        "detective",
        "officer",
        "chief",
        "superintendent",
        "supt",
        "insp",
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
    ]
)
_NUMBER_PREFIX = re.compile(r"^(PC|PS|DC|DS|SGT|INSP)")


@dataclass(frozen=True, slots=True)
class Officer:
    """Who a report names, normalised for matching ("" where unknown)."""

    force: str
    number: str
    name: str

    def known(self) -> bool:
        return bool(self.force and (self.number or self.name))


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _answer(report: dict[str, Any], step: str) -> str:
    for answer in report.get("answers", []):
        if isinstance(answer, dict) and answer.get("step") == step:
            value = answer.get("value")
            if isinstance(value, dict):
                value = value.get("match") or value.get("text")
            return value if isinstance(value, str) else ""
    return ""


def officer_of(report: dict[str, Any]) -> Officer:
    force = _plain(_answer(report, FIELDS["force"])).strip()
    number = re.sub(r"[^0-9A-Z]", "", _answer(report, FIELDS["number"]).upper())
    number = _NUMBER_PREFIX.sub("", number) if any(c.isdigit() for c in number) else ""
    words = re.findall(r"[^\W\d_]+", _plain(_answer(report, FIELDS["name"])))
    name = " ".join(w for w in words if w not in _TITLES)
    return Officer(force, number, name)


def _close_names(a: str, b: str) -> bool:
    """Same surname and a compatible first name or initial, or 85 % alike."""
    if not a or not b:
        return False
    words_a, words_b = a.split(), b.split()
    if words_a[-1] == words_b[-1] and len(words_a[-1]) >= 3:
        if len(words_a) == 1 or len(words_b) == 1:
            return True
        return words_a[0][0] == words_b[0][0]
    return SequenceMatcher(None, a, b).ratio() >= 0.85


def why_matched(a: Officer, b: Officer) -> str | None:
    if not a.force or a.force != b.force:
        return None
    if a.number and a.number == b.number:
        return "same force and collar or warrant number"
    if _close_names(a.name, b.name):
        return "same force and a close match of the name"
    return None


class _Self:
    """This reviewer's own public key, as sealing needs it."""

    def __init__(self, key: ReviewerPrivateKey) -> None:
        self.key_id = key.key_id
        self.mlkem_public, self.x25519_public = key.public()


class MatchIndex:
    """Officers named by the reports this workstation decrypted, sealed to its own key."""

    def __init__(self, officers: dict[str, Officer] | None = None) -> None:
        self.officers = officers or {}

    @classmethod
    def load(cls, path: Path, key: ReviewerPrivateKey) -> MatchIndex:
        try:
            envelope = path.read_bytes()
        except FileNotFoundError:
            return cls()
        try:
            raw = json.loads(open_sealed(envelope, key).report)
            return cls({ref: Officer(**fields) for ref, fields in raw["officers"].items()})
        except (ValueError, KeyError, TypeError) as exc:
            raise TamperedError(f"{path} is damaged; delete it and it is rebuilt") from exc

    def save(self, path: Path, key: ReviewerPrivateKey) -> None:
        document = {"officers": {ref: asdict(o) for ref, o in self.officers.items()}}
        sealed = seal(
            json.dumps(document).encode(),
            [_Self(key)],
            reference="match-index",
            script_id="index",
            script_version="1",
            priority=0,
            sealed_at=datetime.now(UTC),
        )
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.unlink(missing_ok=True)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(sealed)
        temporary.replace(path)

    def add(self, reference: str, report: dict[str, Any]) -> None:
        officer = officer_of(report)
        if officer.known():
            self.officers[reference] = officer
        else:
            self.officers.pop(reference, None)

    def matches(self, reference: str) -> list[tuple[str, str]]:
        """Other indexed reports naming the same officer as `reference`, with why."""
        mine = self.officers.get(reference)
        if mine is None:
            return []
        found = []
        for other, officer in sorted(self.officers.items()):
            why = None if other == reference else why_matched(mine, officer)
            if why is not None:
                found.append((other, why))
        return found
