"""Which text a reporter sees: their language, then the deployment default, then the source."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from dialogs.extract import po_bytes
from locales import fill
from locales._catalogs import chain, po_path


def write(root: Path, code: str, entries: dict[str, str], fuzzy: tuple[str, ...] = ()) -> None:
    catalog = Catalog(locale=code, domain="tipline", fuzzy=False)
    for msgid, text in entries.items():
        catalog.add(msgid, text, flags=["fuzzy"] if msgid in fuzzy else [])
    path = po_path(code, root)
    path.parent.mkdir(parents=True)
    path.write_bytes(po_bytes(catalog))


def test_a_missing_entry_falls_back_to_the_default_language_then_to_the_source(
    tmp_path: Path,
) -> None:
    write(tmp_path, "so", {"Yes": "Haa"})
    write(tmp_path, "cy", {"Yes": "Ie", "No": "Na"})
    tr = chain("so", "cy", tmp_path)
    assert (tr.gettext("Yes"), tr.gettext("No"), tr.gettext("Other")) == ("Haa", "Na", "Other")


def test_a_fuzzy_translation_is_never_shown(tmp_path: Path) -> None:
    write(tmp_path, "pl", {"Yes": "Tak", "No": "Nie (old)"}, fuzzy=("No",))
    tr = chain("pl", None, tmp_path)
    assert (tr.gettext("Yes"), tr.gettext("No")) == ("Tak", "No")


def test_an_english_reporter_sees_the_source_even_when_the_default_is_welsh(
    tmp_path: Path,
) -> None:
    write(tmp_path, "cy", {"Yes": "Ie"})
    assert chain("en-GB", "cy", tmp_path).gettext("Yes") == "Yes"
    assert chain("de", "cy", tmp_path).gettext("Yes") == "Ie"  # unshipped: the default
    assert chain("pt-BR", None, tmp_path).gettext("Yes") == "Yes"  # no catalog at all


def test_values_in_right_to_left_text_are_isolated_so_digits_keep_their_order() -> None:
    said = fill("الرقم المرجعي: {reference}", "Reference: {reference}", reference="TL-AB12-CD34")
    assert said == "الرقم المرجعي: \u2066TL-AB12-CD34\u2069"
    receipt = fill("الإيصال: {receipt}", "Receipt: {receipt}", receipt="1234 5678 9012 3456")
    assert "\u20661234 5678 9012 3456\u2069" in receipt
    assert fill("قلت: {echo}", "You said: {echo}", echo="أمس") == "قلت: \u2068أمس\u2069"
    # Left-to-right text is left as it was.
    assert fill("Reference: {reference}", "Reference: {reference}", reference="TL-1") == (
        "Reference: TL-1"
    )
