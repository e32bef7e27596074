"""A street name from the national list (BAG, as shipped with deduce) with a house number: an address.

"aan de Frankhuizerallee 212", "Veerse Poort 112", "op het Grootzand 14", "Skoalstrjitte 12": streets whose
names have no common suffix, which dialoog's address patterns (`dialoog.privacy.patterns`) do not know. The
same as deduce's street lookup with its house-number rule, but a set lookup for the words before each house
number instead of a token trie over the whole text, and the names are loaded only when a text has a
number (`dialoog.privacy.engine.street_names`). A street without a number stays readable.
"""

from __future__ import annotations

import re

from dialoog.privacy import engine as engine_mod
from dialoog.privacy.lexicon import Span

#: A house number after a word: "212", "14a", "41 B" (the letter after a space only before punctuation or the end).
_NUMBER_RE = re.compile(r" (\d{1,4}[a-zA-Z]?)(?!\w)(?![.,]\d)")
_TOKEN_RE = re.compile(r"\S+")
_TAIL = re.compile(r"(?:-\d{1,4}|[- ]?[a-zA-Z](?=[\s,.;)]|$)|\s+(?:hoog|huis|bis)\b)")
_OPENING = ",;:(\"'“‘"
_MAX_WORDS = 6


def street_number_spans(text: str) -> list[Span]:
    """Streets of the national list followed by a house number in `text` (label ``adres``); the longest name
    that ends right before the number wins ("Veerse Poort 112", not "Poort 112")."""
    out: list[Span] = []
    streets: frozenset[str] | None = None
    for m in _NUMBER_RE.finditer(text):
        if m.start() == 0 or not (text[m.start() - 1].isalpha() or text[m.start() - 1] in ".'’"):
            continue
        window = max(0, m.start() - 120)
        tokens = [(t.start(), t.group()) for t in _TOKEN_RE.finditer(text, window, m.start())][-_MAX_WORDS:]
        if streets is None:
            streets = engine_mod.street_names()
        for k in range(len(tokens), 0, -1):
            first, word = tokens[-k]
            lead = len(word) - len(word.lstrip(_OPENING))
            name = " ".join([word[lead:]] + [t for _, t in tokens[len(tokens) - k + 1 :]])
            if name in streets:
                tail = _TAIL.match(text, m.end())  # "12-3", "12 b", "12 hoog"
                end = tail.end() if tail else m.end()
                out.append(Span(first + lead, end, "adres", text[first + lead : end]))
                break
    return out
