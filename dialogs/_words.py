"""Everyday words for yes, no and "I don't know", per language.

Kept as folded text (see `dialogs._text.fold`): lower case, no accents, no
apostrophes. English always applies; the reporter's language is added to it.
Only phrases that mean nothing else belong here: a real answer must never be
mistaken for "don't know".
"""

from __future__ import annotations

from collections.abc import Mapping

YES: Mapping[str, frozenset[str]] = {
    "en": frozenset(
        {
            *("yes", "y", "yeah", "yea", "yep", "yup", "ya", "ok", "okay", "true", "1"),
            *("sure", "correct", "aye", "right", "yes please", "thats right"),
        }
    ),
    "fr": frozenset({"oui", "ouais", "si"}),
    "es": frozenset({"si", "vale", "claro"}),
    "de": frozenset({"ja", "jawohl", "genau"}),
    "pl": frozenset({"tak"}),
    "pt": frozenset({"sim"}),
    "it": frozenset({"si", "certo"}),
    "ro": frozenset({"da"}),
    "cy": frozenset({"ie", "oes", "do", "ydy", "ydw", "ydi"}),
    "ar": frozenset({"نعم", "ايوه", "اي"}),
    "ur": frozenset({"ہاں", "جی", "جی ہاں"}),
}

NO: Mapping[str, frozenset[str]] = {
    "en": frozenset({"no", "n", "nope", "nah", "false", "2", "no thanks", "not really"}),
    "fr": frozenset({"non"}),
    "es": frozenset({"no"}),
    "de": frozenset({"nein", "ne", "nee"}),
    "pl": frozenset({"nie"}),
    "pt": frozenset({"nao"}),
    "it": frozenset({"no"}),
    "ro": frozenset({"nu"}),
    "cy": frozenset({"na", "naddo", "nac oes", "nac ydy", "nac ydw"}),
    "ar": frozenset({"لا", "كلا"}),
    "ur": frozenset({"نہیں", "جی نہیں"}),
}

UNKNOWN: Mapping[str, frozenset[str]] = {
    "en": frozenset(
        {
            "dont know",
            "do not know",
            "i dont know",
            "i do not know",
            "not sure",
            "im not sure",
            "i am not sure",
            "unknown",
            "no idea",
            "i have no idea",
            "idk",
            "dunno",
            "i dunno",
            "no clue",
            "cant remember",
            "i cant remember",
            "dont remember",
            "i dont remember",
            "not known",
        }
    ),
    "fr": frozenset(
        {"je ne sais pas", "je sais pas", "sais pas", "aucune idee", "inconnu", "pas sur"}
    ),
    "es": frozenset({"no se", "no lo se", "ni idea", "desconocido", "no estoy seguro"}),
    "de": frozenset({"weiss nicht", "ich weiss nicht", "keine ahnung", "unbekannt"}),
    "pl": frozenset({"nie wiem", "nie mam pojecia", "nieznany"}),
    "pt": frozenset({"nao sei", "nao faco ideia", "desconhecido"}),
    "it": frozenset({"non lo so", "non so", "sconosciuto"}),
    "ro": frozenset({"nu stiu", "habar n am", "necunoscut"}),
    "cy": frozenset({"dim syniad", "ddim yn gwybod", "dwi ddim yn gwybod", "dwn i ddim"}),
    "ar": frozenset({"لا اعرف", "لا اعلم", "لا ادري", "مش عارف"}),
    "ur": frozenset({"پتہ نہیں", "معلوم نہیں", "مجھے نہیں معلوم", "مجھے معلوم نہیں"}),
}

YES_EMOJI = frozenset({"👍", "✅", "✔"})
NO_EMOJI = frozenset({"👎", "❌", "✖"})


def words_for(table: Mapping[str, frozenset[str]], locale: str) -> frozenset[str]:
    """English words plus those of the reporter's language ("pt-BR" uses "pt")."""
    language = locale.replace("-", "_").split("_", 1)[0].lower()
    return table["en"] | table.get(language, frozenset())
