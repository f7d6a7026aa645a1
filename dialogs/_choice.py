"""Which option a typed answer means: its label, its words, a yes or no, a small typo.

Every comparison is on folded text (`_text.fold`: no case, accents or
punctuation), so "anonimowo", "Anónimo" and "anonimo" match alike. In order:

1. the whole answer is an option's label or one of its words;
2. a yes or no picks the option that `means` it ("Were they working?" – "yes",
   "no, he was off"; see `_words.leads_with_yes_or_no`);
3. the answer is the start of a label, or whole words inside one ("money");
4. an option's word or phrase is inside the answer ("był w pracy, w mundurze"),
   the longest phrase winning ("not on duty" over "on duty"); a negation outside
   every phrase found ("he wasn't on duty" with only "on duty" listed) means
   nothing is picked, for a wrong answer is worse than asking again;
5. a small typo of a label or word: one slip (a letter wrong, missing, extra or
   two swapped; rapidfuzz's OSA distance) in a word of 4-8 letters, two in a
   longer one, when one option is nearer than the others.

Two options equally near give `Close`, so the reporter is asked which one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from dialogs import _words
from dialogs._text import fold
from dialogs._types import Option

_SEPARATORS = re.compile(r"[,;،、，；\n]")
_MIN_FUZZY = 4  # shorter words differ in one letter ("nie", "tak", "on", "off")


@dataclass(frozen=True)
class Close:
    """Two (or more) options fit the answer about equally well: ask which one."""

    options: tuple[Option, ...]


@lru_cache(maxsize=2048)
def option_words(*lists: str | None) -> tuple[str, ...]:
    """Comma-separated word lists (the script's and a catalog's) as folded phrases."""
    found: dict[str, None] = {}
    for text in lists:
        for part in _SEPARATORS.split(text or ""):
            if key := fold(part):
                found[key] = None
    return tuple(found)


def _has_cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def _spans(key: str, phrase: str) -> list[tuple[int, int]]:
    """Where `phrase` stands in `key` as whole words (as characters in Chinese)."""
    if _has_cjk(phrase):
        found, start = [], key.find(phrase)
        while start >= 0:  # counted as in " key ", like whole words below
            found.append((start + 1, start + 1 + len(phrase)))
            start = key.find(phrase, start + 1)
        return found
    padded, needle = f" {key} ", f" {phrase} "
    found, start = [], padded.find(needle)
    while start >= 0:
        found.append((start, start + len(phrase)))
        start = padded.find(needle, start + 1)
    return found


def _negated_outside(key: str, spans: list[tuple[int, int]], locale: str) -> bool:
    """A negation word of the answer lies outside every phrase found in it."""
    negations = _words.words_for(_words.NEGATIONS, locale)
    for word in negations:
        for start, end in _spans(key, word):
            if not any(s <= start and end <= e for s, e in spans):
                return True
    return False


def _phrases(option: Option) -> tuple[str, ...]:
    return (_label(option.label), *option.words)


@lru_cache(maxsize=4096)
def _label(label: str) -> str:
    return fold(label)


def _inside(key: str, options: Sequence[Option], locale: str) -> list[Option] | None:
    """Options whose words stand in the answer, longest phrases first (None: a negation)."""
    spans: list[tuple[int, int, Option]] = []
    short_answer = len(key.split()) <= 2  # "um pm", "a pc": a short word with an article
    for option in options:
        for phrase in _phrases(option):
            if len(phrase) >= 3 or short_answer or (phrase and not phrase.isascii()):
                spans += [(s, e, option) for s, e in _spans(key, phrase)]
    outer = [
        (s, e, o)
        for s, e, o in spans
        if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in spans)
    ]
    if not outer:
        return []
    found = list(dict.fromkeys(o for _, _, o in outer))
    negated = _negated_outside(key, [(s, e) for s, e, _ in outer], locale)
    # "no, it was his day off": a "no" that agrees with the option found is no reversal.
    if negated and not all(o.means == "no" for o in found):
        return None
    return found


def _typos(length: int) -> int:
    """How many slips (a letter wrong, missing, extra or swapped) a word of `length` may have."""
    return 0 if length < _MIN_FUZZY else 1 if length < 9 else 2


def _near(key: str, options: Sequence[Option]) -> list[tuple[int, Option]]:
    """Options with a label or word a small typo away from the answer, nearest first.

    The whole answer is compared, and each run of as many words as a phrase has.
    """
    words = key.split()
    scored = []
    for option in options:
        best: int | None = None
        for phrase in _phrases(option):
            allowed = _typos(len(phrase))
            if not allowed:
                continue
            size = len(phrase.split())
            parts = {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}
            for part in parts | {key}:
                slips = OSA.distance(part, phrase, score_cutoff=allowed)
                if slips <= allowed and (best is None or slips < best):
                    best = slips
        if best is not None:
            scored.append((best, option))
    return sorted(scored, key=lambda pair: pair[0])


def choose(key: str, options: Sequence[Option], locale: str) -> Option | Close | None:
    """The option the folded answer `key` means, `Close` when two fit, else None."""
    exact = [o for o in options if key in _phrases(o)]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return Close(tuple(exact))
    said = _words.leads_with_yes_or_no(key, locale)
    meant = [o for o in options if said and o.means == said]
    if len(meant) == 1:
        return meant[0]
    labels: list[Option] = []
    if len(key) >= 3:
        padded = f" {key} "
        labels = [
            o for o in options if (lb := _label(o.label)).startswith(key) or padded in f" {lb} "
        ]
        if len(labels) == 1:
            return labels[0]
    inside = _inside(key, options, locale)
    if inside is None:
        return None
    if len(inside) == 1 and (not labels or inside[0] in labels):
        return inside[0]  # "bir polis": two labels start so, "polis" is the officer's word
    if labels or inside:
        return Close(tuple(labels or inside))
    near = _near(key, options)
    if len(near) > 1 and near[0][0] == near[1][0]:
        return Close((near[0][1], near[1][1]))
    return near[0][1] if near else None
