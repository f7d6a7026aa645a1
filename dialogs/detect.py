"""Which shipped language a typed answer is in, so the reporter can be offered a switch.

A reporter whose app said "English" may write their account in Polish. The
engine should then offer, in Polish, to carry on in Polish, and never switch
by itself: a wrong guess in the wrong language would be worse than none.

Only answers long enough to judge are looked at (`MIN_LETTERS`, `MIN_WORDS`).
Bengali, Gurmukhi and Gujarati are told apart by their scripts, and Urdu from
Arabic by the letters only Urdu uses. The Latin- and Cyrillic-script languages
are told apart by lingua's low-accuracy mode: trigram models only, loaded on first use
(~18 MB more RSS, about 1 ms an answer). Its high-accuracy mode was measured
here at ~290 MB for the same 11 languages, against a 250 MB budget for the
whole process, and is right on short phrases only; low accuracy is right on
sentences, which is all it is asked about.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from locales import N_, catalog_name, language_of

# A reporter in Shahmukhi Punjabi writes with Urdu's letters: never offer them Urdu.
_SAME = frozenset({("ur", "pa_Arab")})

OFFER_SWITCH = N_("It looks like you are writing in {language}. Shall we carry on in {language}?")

MIN_LETTERS = 30
MIN_WORDS = 4
CONFIDENCE = 0.9  # lingua's relative confidence of the first language

_LINGUA: Mapping[str, Language] = {
    "en": Language.ENGLISH,
    "cy": Language.WELSH,
    "pl": Language.POLISH,
    "ro": Language.ROMANIAN,
    "pt": Language.PORTUGUESE,
    "es": Language.SPANISH,
    "fr": Language.FRENCH,
    "it": Language.ITALIAN,
    "lt": Language.LITHUANIAN,
    "tr": Language.TURKISH,
    "so": Language.SOMALI,
    "ru": Language.RUSSIAN,
    "uk": Language.UKRAINIAN,
    "bg": Language.BULGARIAN,
    "sk": Language.SLOVAK,
    "hu": Language.HUNGARIAN,
    "sq": Language.ALBANIAN,
    "vi": Language.VIETNAMESE,
}
_SCRIPTS = (
    ("\u0980", "\u09ff", "bn"),
    ("\u0a00", "\u0a7f", "pa"),
    ("\u0a80", "\u0aff", "gu"),
    ("\u0b80", "\u0bff", "ta"),
    ("\u1200", "\u137f", "ti"),
    ("\u4e00", "\u9fff", "zh"),
)
MIN_HAN = 10  # Chinese packs a word into a character or two, without spaces
_ARABIC = ("\u0600", "\u06ff")
# Letters that only some languages written in Arabic script use, most telling first.
# Punjabi in Shahmukhi is written with Urdu's letters and cannot be told from Urdu.
_ARABIC_SCRIPT_LETTERS = (
    ("ckb", frozenset("ڵڕۆێە")),
    ("ps", frozenset("ټډړښږځڅګڼۍې")),
    ("ur", frozenset("ٹڈڑںےھ")),
    ("fa", frozenset("پچژگیک")),
)


@cache
def _detector() -> LanguageDetector:
    return (
        LanguageDetectorBuilder.from_languages(*_LINGUA.values()).with_low_accuracy_mode().build()
    )


def _by_script(letters: str) -> str | None:
    """The language a non-Latin script gives away, or None for Latin script."""
    counts: dict[str, int] = {}
    for low, high, code in _SCRIPTS:
        counts[code] = sum(low <= ch <= high for ch in letters)
    arabic = sum(_ARABIC[0] <= ch <= _ARABIC[1] for ch in letters)
    used = set(letters)
    which = next((code for code, marks in _ARABIC_SCRIPT_LETTERS if marks & used), "ar")
    counts[which] = arabic
    code, most = max(counts.items(), key=lambda item: item[1])
    return code if most * 2 > len(letters) else None


def written_in(text: str) -> str | None:
    """The shipped language `text` is clearly written in, or None (too short, or unsure)."""
    letters = "".join(ch for ch in text if ch.isalpha())
    if _by_script(letters) == "zh" and len(letters) >= MIN_HAN:
        return "zh"
    if len(letters) < MIN_LETTERS or len(text.split()) < MIN_WORDS:
        return None
    if by_script := _by_script(letters):
        return by_script
    judged = sum(
        ch.isascii() or "\u00c0" <= ch <= "\u052f" or "\u1e00" <= ch <= "\u1eff" for ch in letters
    )
    if judged * 2 <= len(letters):
        return None  # another script we do not judge
    found = _detector().compute_language_confidence_values(text)
    if not found or found[0].value < CONFIDENCE:
        return None
    return next((code for code, lang in _LINGUA.items() if lang == found[0].language), None)


def offer_switch(text: str, locale: str, shipped: Collection[str]) -> str | None:
    """The shipped language to offer when `text` is clearly in another than `locale`'s."""
    found = written_in(text)
    if found is None or found == language_of(locale) or (found, catalog_name(locale)) in _SAME:
        return None
    return next((code for code in shipped if language_of(code) == found), None)
