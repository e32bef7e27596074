"""Correct Dutch in reports: number agreement, lists, sentences that do not start with a digit, and the
study's term for the community (one term, used the same way everywhere).

Every chapter builds its sentences with these helpers, so that a report never says "1 fragmenten",
"zijn 1 dialooggesprekken gevoerd" or "over veiligheid en zichtbaarheid en acceptatie".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_BASE = "LHBT"

_WORDS = (
    "nul één twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien "
    "zeventien achttien negentien twintig"
).split()


def number_word(n: int) -> str:
    """'één', 'twee', ... 'twintig' for 0 to 20; the digits for larger numbers."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def count(n: int | str, singular: str, plural: str) -> str:
    """'1 gesprek', '2 gesprekken', 'minder dan 5 gesprekken' (a text such as 'minder dan 5' is plural)."""
    if isinstance(n, str):
        return f"{n} {singular if n.strip() in ('1', 'één', 'een') else plural}"
    return f"{n} {singular if n == 1 else plural}"


def count_start(n: int, singular: str, plural: str) -> str:
    """A count that begins a sentence: in words up to twenty ('Eén gesprek', 'Vier gesprekken'),
    and never a bare digit first ('In totaal 42 gesprekken')."""
    if 0 <= n < len(_WORDS):
        return capital(f"{number_word(n)} {singular if n == 1 else plural}")
    return f"In totaal {n} {plural}"


def verb(n: int | str, singular: str, plural: str) -> str:
    """The verb that agrees with a count: verb(1, 'is', 'zijn') -> 'is'."""
    if isinstance(n, str):
        return singular if n.strip() in ("1", "één", "een") else plural
    return singular if n == 1 else plural


def join(items: Iterable[str], conjunction: str = "en") -> str:
    """'a', 'a en b', 'a, b en c'."""
    items = [str(i) for i in items if str(i)]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def join_with(preposition: str, items: Iterable[str], conjunction: str = "en") -> str:
    """A list after a preposition. When an item has 'en' or 'of' in it ('zichtbaarheid en acceptatie'),
    the preposition is repeated so the list stays clear: 'over veiligheid en over zichtbaarheid en
    acceptatie'; otherwise once: 'over veiligheid, melden en zorg'."""
    items = [str(i) for i in items if str(i)]
    if any(f" {w} " in f" {i} " for i in items for w in ("en", "of")):
        return join((f"{preposition} {i}" for i in items), conjunction)
    return f"{preposition} {join(items, conjunction)}"


def capital(text: str) -> str:
    """The text with a capital first letter (the rest unchanged); 'één' becomes 'Eén' (Taalunie)."""
    if text.startswith("één"):
        return "Eén" + text[3:]
    return text[:1].upper() + text[1:] if text else text


def lower_label(label: str) -> str:
    """A role or code label as it reads inside a sentence: 'Politie' -> 'politie', but abbreviations and
    the community term stay ('LHBT-inwoner', 'COC')."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and (first.isupper() or any(c.isupper() for c in first[1:])):
        return label
    return label[:1].lower() + label[1:]


@dataclass(frozen=True)
class Term:
    """The study's word for the community: 'LHBT' (as in the Schiedam model, the default) or, for
    example, 'lhbtiq+' (as in the government's letter of 2025 on lhbtiq+ safety)."""

    base: str = "LHBT"

    @classmethod
    def of(cls, data: object) -> Term:
        """The term of a study, of its data (`GemeenteData`, `RegionData`) or the default."""
        study = getattr(data, "study", None)
        settings = getattr(data, "settings", None) or getattr(study, "settings", None)
        return cls(getattr(data, "term", None) or getattr(settings, "term", None) or DEFAULT_BASE)

    @property
    def people(self) -> str:
        """The people: "LHBT's", 'lhbtiq+-personen'."""
        return f"{self.base}'s" if self.base[-1:].isalpha() else f"{self.base}-personen"

    def compound(self, noun: str) -> str:
        """A compound with the term: 'LHBT-inwoners', 'lhbtiq+-jongeren'."""
        return f"{self.base}-{noun}"

    def apply(self, text: str) -> str:
        """`text` (written with dialoog's default term, LHBT) in this study's term: "LHBT's" becomes the
        people ('lhbtiq+-personen'), "LHBT-inwoners" the compound ('lhbtiq+-inwoners'), a bare "LHBT" the term."""
        if self.base == DEFAULT_BASE:
            return text
        text = re.sub(r"\bLHBT['’]s\b", self.people, text)
        text = re.sub(r"\bLHBT-(?=\w)", f"{self.base}-", text)
        return re.sub(r"\bLHBT\b", self.base, text)
