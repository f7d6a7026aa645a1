"""Matching on the workstation: who a report names, when two match, the sealed index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from handoff.workstation import ReviewerPrivateKey
from handoff.workstation.matching import MatchIndex, Officer, officer_of, why_matched
from locales.errors import SealError

MET = {"text": "the met", "match": "Metropolitan Police Service"}


def report(
    force: object = MET, name: object = "PC Dawson", number: object = None
) -> dict[str, Any]:
    answers = [{"step": "force", "value": force}, {"step": "officer_name", "value": name}]
    if number is not None:
        answers.append({"step": "number", "value": number})
    return {"answers": answers}


def test_who_a_report_names_is_normalised() -> None:
    assert officer_of(report(number="PC 4521")) == Officer(
        "metropolitan police service", "4521", "dawson"
    )
    assert officer_of(report(name="Sgt. JOSÉ  Muñoz")).name == "jose munoz"
    assert officer_of(report(name={"unknown": True})).name == ""
    assert not officer_of(report(force={"unknown": True})).known()


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        (report(number="4521"), report(name="someone", number="PC4521"), "number"),
        (report(name="PC Dawson"), report(name="Dawson"), "name"),
        (report(name="John Dawson"), report(name="J Dawson"), "name"),
        (report(name="Jon Dawsen"), report(name="John Dawson"), "name"),
        (report(name="John Dawson"), report(name="Mary Dawson"), None),
        (report(name="Dawson"), report(force={"text": "gmp", "match": "GMP"}), None),
        (report(name="Dawson"), report(name="Patel"), None),
    ],
)
def test_two_reports_match_on_force_and_number_or_a_close_name(
    a: dict[str, Any], b: dict[str, Any], why: str | None
) -> None:
    found = why_matched(officer_of(a), officer_of(b))
    assert (found is not None and why in found) if why else found is None


def test_the_index_is_sealed_to_the_reviewers_own_key(tmp_path: Path) -> None:
    key = ReviewerPrivateKey.generate()
    index = MatchIndex()
    index.add("TL-A", report())
    index.add("TL-B", report(name="Constable Dawson"))
    index.add("TL-C", report(name="Patel"))
    index.add("TL-D", report(force={"unknown": True}))
    assert index.matches("TL-A") == [("TL-B", "same force and a close match of the name")]
    assert index.matches("TL-D") == []
    path = tmp_path / "alice.index"
    index.save(path, key)
    assert b"Dawson" not in path.read_bytes()
    assert b"dawson" not in path.read_bytes()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert MatchIndex.load(path, key).officers == index.officers
    with pytest.raises(SealError):
        MatchIndex.load(path, ReviewerPrivateKey.generate())
    assert MatchIndex.load(tmp_path / "none.index", key).officers == {}
