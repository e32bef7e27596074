"""Fast scanning helpers for the detector: matches that start a word, IBAN check numbers, licence plates,
the start of a street or school name, merging overlapping spans, mentions of a set of names."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from dialoog.privacy.lexicon import PRIORITY, Span, trie_pattern


def word_matches(regex: re.Pattern[str], text: str, extra: str = "") -> Iterator[re.Match[str]]:
    """The matches of `regex` that start a word (not after a letter, digit, ``_`` or a character of `extra`).

    The same as a leading ``(?<![\\w...])`` in the regex, but much faster: ``re`` can skip ahead to the
    first character of a pattern that starts with a literal or a set, and not past a lookbehind."""
    pos = 0
    while (m := regex.search(text, pos)) is not None:
        i = m.start()
        if i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_" or text[i - 1] in extra):
            yield m
            pos = m.end() if m.end() > i else i + 1
        else:
            pos = i + 1


#: Words that say a number is a bank account.
ACCOUNT_WORDS = re.compile(r"(?i)iban|rekening|account|bank|overmaken|storten")


def valid_iban(text: str) -> bool:
    """Whether `text` (spaces allowed) has a valid IBAN check number (ISO 13616, mod 97)."""
    s = text.replace(" ", "")
    if not 15 <= len(s) <= 34:
        return False
    digits = "".join(str(int(c, 36)) for c in s[4:] + s[:4])
    return int(digits) % 97 == 1


def is_kenteken(groups: tuple[str, ...]) -> bool:
    joined = "".join(groups)
    if len(joined) != 6 or not any(c.isalpha() for c in joined) or not any(c.isdigit() for c in joined):
        return False
    # every group is all letters or all digits, and neighbouring groups differ in kind
    kinds = []
    for g in groups:
        if g.isalpha():
            kinds.append("a")
        elif g.isdigit():
            kinds.append("d")
        else:
            return False
    return kinds[0] != kinds[1] or kinds[1] != kinds[2]


#: Extends a match backwards over the words of a name ("Sport & Talent " before "College", "Zernike " before
#: "Lyceum", "Van Hall " before "Larenstein"): capitalised words, "&" and interfixes.
_NAME_BEFORE = re.compile(r"(?:[A-Z\u00c0-\u00de][\w'’-]*\s+(?:&\s+|(?:de|van|der)\s+)?)+$")
_WORD_BEFORE = re.compile(r"[A-Z\u00c0-\u00de][\w'’-]*$")
_LOWER_SCHOOL = re.compile(r"(?:op|naar|van|bij|aan)\s+(?:het|de)\s+([a-zà-ÿ]+\s+)$")

_STREET_PREFIX = re.compile(
    r"(?:Van|De|Den|Het|Sint|Oude|Nieuwe|Lange|Korte|Grote|Kleine|Burgemeester|Prins|Koningin)\s+$"
)


def extend_back(text: str, label: str, s: int) -> int:
    """Where a street or school name starts, for a match of its suffix at `s` ("Kerk|straat 14",
    "Vliet|college", "Sport & Talent |College", "op het theresia |lyceum"); -1 when it is no name."""
    before = text[max(0, s - 80) : s]
    word = _WORD_BEFORE.search(before)
    if word:
        s -= len(word.group())
        before = before[: -len(word.group())]
    elif before[-1:].isalnum():
        low = before.rsplit(None, 1)[-1] if before.strip() else ""
        return -1 if label == "adres" or not low else -1
    if label == "adres":
        if not word:
            return -1
        prefix = _STREET_PREFIX.search(before)
        return s - len(prefix.group()) if prefix else s
    if text[s : s + 1].isupper():
        names = _NAME_BEFORE.search(before)
        return s - len(names.group()) if names else s
    low = _LOWER_SCHOOL.search(before)
    return s - len(low.group(1)) if low else s


_NAME_GAP = re.compile(r" |\s(?:[Aa]l|[Ee]l|[Aa]bu|[Bb]in|[Ii]bn)[- ]|-|-[A-Za-z]{1,3}-")
_POSSESSIVE_END = re.compile(r"['’]s?$")
_CAPITALISED_WORD = re.compile(r"[A-Z\u00c0-\u00de][\w'’-]*")


def merge_spans(text: str, spans: Iterable[Span]) -> list[Span]:
    """Merge overlapping spans into one (the highest-priority label wins); sorted by start."""
    rank = {label: i for i, label in enumerate(PRIORITY)}
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    for s in ordered:
        if s.end <= s.start:
            continue
        if merged and s.start < merged[-1].end:
            last = merged[-1]
            label = min(last.label, s.label, key=lambda x: rank.get(x, 99))
            end = max(last.end, s.end)
            merged[-1] = Span(last.start, end, label, text[last.start : end])
        else:
            merged.append(s)
    # parts of one name found separately ("Semhar" + "Tesfay", "Khaled" + "Al-" + "Masri") become one span
    joined: list[Span] = []
    for s in merged:
        if joined and joined[-1].label == s.label == "persoon":
            gap = text[joined[-1].end : s.start]
            if _NAME_GAP.fullmatch(gap):  # Tjon-A-Fong
                joined[-1] = Span(joined[-1].start, s.end, "persoon", text[joined[-1].start : s.end])
                continue
        joined.append(s)
    # possessive "'s" after a name stays outside the span; a trailing "'" likewise
    out = []
    for s in joined:
        if s.label == "persoon":
            m = _POSSESSIVE_END.search(s.text) if s.text.endswith(("'", "’", "s", "\n")) else None
            if m and s.end - s.start > len(m.group()):
                s = Span(s.start, s.end - len(m.group()), s.label, s.text[: -len(m.group())])
            # a capitalised particle before a surname belongs to it ("El Khattabi", "Van der Berg")
            p = _PARTICLE_BEFORE.search(text, max(0, s.start - 12), s.start) if s.text[:1].isupper() else None
            if p and (not out or out[-1].end <= p.start(1)):
                s = Span(p.start(1), s.end, s.label, text[p.start(1) : s.end])
            tail = _HYPHEN_PARTS.match(text, s.end) if text.startswith("-", s.end) else None  # "Tjin" + "-A-Tsoi"
            if tail:
                s = Span(s.start, tail.end(), s.label, text[s.start : tail.end()])
        out.append(s)
    return out


_HYPHEN_PARTS = re.compile(r"(?:-[A-Za-z]{1,3})?-[A-Z\u00c0-\u00de][^\W\d_]+(?![\w-])")
_PARTICLE_BEFORE = re.compile(r"(?:^|(?<=\s))((?:El|Al|Abu|Ben|Bin|Ibn|el|al|Van(?:\s+(?:de|der|den))?|Ten|Ter)[\s-])$")


_APPROXIMATE = re.compile(r"^(?:een\s+jaar\s+of|ongeveer|rond\s+de|zo'?n|ergens|begin|eind|midden|in\s+de)\b")


def stranger(text: str, start: int, age: str) -> bool:
    """ "een (buur)man van een jaar of vijftig": an approximate age of someone introduced with "een" stays."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    return bool(_APPROXIMATE.match(age)) and text[max(0, start - 4) : start].lower() == "een "


def containment(allowed: list[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test whether `start`-`end` lies inside one of `allowed` (sorted starts, running maximum of ends)."""
    ordered = sorted(allowed)
    starts = [a for a, _ in ordered]
    reach, top = [], -1
    for _, b in ordered:
        top = max(top, b)
        reach.append(top)

    def inside(start: int, end: int) -> bool:
        i = bisect_right(starts, start)
        return i > 0 and reach[i - 1] >= end

    return inside


def capitals_inside(s: Span, inside: Callable[[int, int], bool]) -> bool:
    """Whether every capitalised word of `s` lies inside an allowed span (and some part of it overlaps one)."""
    found = False
    for m in _CAPITALISED_WORD.finditer(s.text):  # (stops at the first word outside)
        if not inside(s.start + m.start(), s.start + m.end()):
            return False
        found = True
    return found


_RUN_RE = re.compile(r"\w+")
_AFTER_NAME = re.compile(r"[\w@-]")


@lru_cache(maxsize=128)
def _names_index(names: frozenset[str], any_case: bool) -> dict[str, list[str]]:
    """`names` (lower case with `any_case`) by their first run of word characters, longest first; a name
    that starts with another character is filed under ""."""
    index: dict[str, list[str]] = {}
    for n in {n.lower() for n in names} if any_case else names:
        head = _RUN_RE.match(n)
        index.setdefault(head.group() if head else "", []).append(n)
    for group in index.values():
        group.sort(key=len, reverse=True)
    return index


def word_heads(low: str) -> set[str]:
    """The runs of word characters in `low`, also without a final "s": the first words a name may have here."""
    words = set(_RUN_RE.findall(low))
    return words | {w[:-1] for w in words if w[-1] == "s"}


def name_mentions(
    names: frozenset[str], any_case: bool, low: str, heads: set[str] | None = None
) -> list[tuple[int, int]]:
    """Non-overlapping mentions of `names` in `low` that start a word (not after a letter, digit, "_", "@" or
    "."), the longest name first, each also with a genitive "s" ("Marcs moeder") and not followed by a word
    character, "@" or "-". Only the names whose first word occurs are looked for (no regex per set of names;
    `heads`: `word_heads(low)`, if known)."""
    index = _names_index(names, any_case)
    found: list[tuple[int, int]] = []
    odd = index.get("")
    if odd:  # names that start with a mark ("'t Hart"): a regex, rarely needed
        pattern = re.compile(rf"{trie_pattern(odd)}s?(?![\w@-])")
        found += [m.span() for m in word_matches(pattern, low, "@.")]
    keys = (word_heads(low) if heads is None else heads) & index.keys()
    for name in (n for k in keys for n in index[k]):
        i = low.find(name)
        while i >= 0:
            if i == 0 or not (low[i - 1].isalnum() or low[i - 1] in "_@."):
                j = i + len(name)
                ends = (j + 1, j) if low.startswith("s", j) else (j,)
                end = next((e for e in ends if not _AFTER_NAME.match(low, e)), None)
                if end is not None:
                    found.append((i, end))
            i = low.find(name, i + 1)
    out, last = [], 0
    for start, end in sorted(found, key=lambda se: (se[0], -se[1])):
        if start >= last:
            out.append((start, end))
            last = end
    return out
