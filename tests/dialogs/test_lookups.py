"""Lookup tables: which police force the reporter means, however they put it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs._text import Parsed
from dialogs.lookups import LOOKUPS, load_lookup, lookup_key, match_lookup, read_table
from dialogs.parsers import parse_text
from locales.errors import ScriptError

FORCES = "uk-police-forces"
MET = "Metropolitan Police Service"


@pytest.mark.parametrize(
    ("typed", "force"),
    [
        ("met", MET),
        ("The Met", MET),
        ("Met Police", MET),
        ("metropolitan police", MET),
        ("Scotland Yard", MET),
        ("Greater Manchester", "Greater Manchester Police"),
        ("GMP", "Greater Manchester Police"),
        ("west mids", "West Midlands Police"),
        ("City of London Police", "City of London Police"),
        ("btp", "British Transport Police"),
        ("PSNI", "Police Service of Northern Ireland"),
        ("police scotland", "Police Scotland"),
        ("Dyfed Powys", "Dyfed-Powys Police"),
        ("south wales police", "South Wales Police"),
        ("Gwent", "Gwent Police"),
        ("north wales", "North Wales Police"),
        ("Avon & Somerset", "Avon and Somerset Constabulary"),
        ("the kent constabulary", "Kent Police"),
        ("Hampshire Constabulary", "Hampshire and Isle of Wight Constabulary"),
        ("mod police", "Ministry of Defence Police"),
        ("civil nuclear", "Civil Nuclear Constabulary"),
    ],
)
def test_forces_are_found_by_name_nickname_or_abbreviation(typed: str, force: str) -> None:
    assert match_lookup(FORCES, typed) == force


@pytest.mark.parametrize("typed", ["my local station", "police", "the police", "London", "", "?"])
def test_text_naming_no_single_force_matches_nothing(typed: str) -> None:
    assert match_lookup(FORCES, typed) is None


def test_a_force_named_inside_a_sentence_is_found() -> None:
    assert match_lookup(FORCES, "I think it was the Met") == MET
    assert match_lookup(FORCES, "officers from west yorkshire police") == "West Yorkshire Police"


def test_a_common_word_alias_counts_only_as_the_whole_answer() -> None:
    assert match_lookup(FORCES, "I met him in a bar") is None


def test_a_sentence_naming_two_forces_matches_neither() -> None:
    assert match_lookup(FORCES, "either Kent or Essex") is None


def test_a_longer_name_wins_over_a_shorter_one_inside_it() -> None:
    assert match_lookup(FORCES, "someone at new scotland yard") == MET


def test_a_small_typo_still_finds_the_force() -> None:
    assert match_lookup(FORCES, "Metropolitian") == MET
    assert match_lookup(FORCES, "Lancashre Constabulary") == "Lancashire Constabulary"


def test_a_one_letter_slip_never_names_a_different_force() -> None:
    table = load_lookup(FORCES)
    for key, name in table.keys.items():
        for i in range(len(key)):
            for typo in (key[:i] + key[i + 1 :], key[:i] + "x" + key[i + 1 :]):
                assert table.match(typo) in (name, None), (key, typo)


def test_the_table_covers_every_uk_territorial_and_national_force() -> None:
    names = load_lookup(FORCES).names
    assert len(names) == 48  # 43 England and Wales + Scotland + NI + BTP, MDP, CNC
    assert {"Police Scotland", "Police Service of Northern Ireland", MET} <= names
    assert {"British Transport Police", "Ministry of Defence Police"} <= names
    assert "Civil Nuclear Constabulary" in names


def test_every_canonical_name_matches_itself() -> None:
    for name in load_lookup(FORCES).names:
        assert match_lookup(FORCES, name) == name


def test_lookup_key_drops_the_and_generic_police_words() -> None:
    assert lookup_key("The Kent Police Force") == "kent"
    assert lookup_key("Police Scotland") == "police scotland"


def test_only_allow_listed_tables_can_be_named() -> None:
    assert set(LOOKUPS) == {FORCES}
    with pytest.raises(KeyError):
        load_lookup("../../etc/passwd")


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "table.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_table_where_one_alias_names_two_entries_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "entries:\n  - {name: Kent Police, aliases: [garden]}\n"
        "  - {name: Surrey Police, aliases: [garden police]}\n",
    )
    with pytest.raises(ScriptError, match="also names Kent Police"):
        read_table(path)


@pytest.mark.parametrize(
    "body",
    ["entries: []\n", "- just a list\n", "entries:\n  - {name: A, aliases: [yes]}\n",
     "entries:\n  - {name: A, aliases: [b], exact: [c]}\n", "entries: [\n",
     "entries:\n  - {name: Kent, aliases: [the police]}\n"],
)  # fmt: skip
def test_a_malformed_table_is_refused_with_the_file_named(tmp_path: Path, body: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ScriptError) as caught:
        read_table(path)
    assert caught.value.issues[0].file == str(path)


@pytest.mark.parametrize(
    ("typed", "force"),
    [
        ("londyńska policja", MET),
        ("policja londynska", MET),
        ("Policía Metropolitana", MET),
        ("policia metropolitana", MET),
        ("Polizia metropolitana", MET),
        ("police métropolitaine", MET),
        ("شرطة العاصمة", MET),
        ("Heddlu Gwent", "Gwent Police"),
        ("heddlu de cymru", "South Wales Police"),
    ],
)
def test_a_force_is_found_when_named_in_the_reporters_language(typed: str, force: str) -> None:
    assert match_lookup(FORCES, typed) == force


def test_a_welsh_force_is_said_back_in_welsh_to_a_welsh_reporter() -> None:
    said = parse_text("heddlu gwent", 1, 200, None, None, "uk-police-forces", locale="cy")
    assert isinstance(said, Parsed)
    assert said.value == {"text": "heddlu gwent", "match": "Gwent Police"}  # reviewers: English
    assert said.params == {"name": "Heddlu Gwent"}
    english = parse_text("gwent", 1, 200, None, None, "uk-police-forces", locale="en")
    assert isinstance(english, Parsed)
    assert english.params == {"name": "Gwent Police"}
