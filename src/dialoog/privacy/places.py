"""Person or place? How a text uses a capitalised word that deduce's name lists hold.

deduce marks every word of its name lists as a person, also when the sentence uses it as a place, a street, a
venue or an organisation ("naar de Beemster", "op de Rode Steen", "Boulevard de Ruyter", "de John
Blankenstein Foundation", "het Dudok-raadhuis"). `public_not_person` decides as a reader would, from the
words around the name:

- a street: a street word in or before it ("Spoorlaan", "Lange Haven", "Boulevard de Ruyter");
- a place: after "woon in", "kom uit", "I'm from"; one word after "in" that is no first name ("In
  Zeldenrust"); after a lower-case article ("naar de Beemster", "de Marine", "in het Oude Dorp"): a person is
  written "De Vries" or "Jan de Vries", a place or a thing "de Beemster";
- an organisation: after "Stichting" or the like, or with an organisation's last word ("… Foundation",
  "Batavia Stad") or a lower-case compound after a hyphen ("Dudok-raadhuis", "Jansen-team");
- a speaker label ("I. Deelnemer").

Public venues named after their kind ("buurthuis De Enk") and universities stay readable through
`readable_patterns`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dialoog.privacy.context import cased
from dialoog.privacy.lexicon import TRANSCRIPT_ROLES, Words

_UPPER = "A-Z\u00c0-\u00de"

#: Lower-case words that deduce puts before a name but that belong to the sentence ("bij de Brink").
_LEADING_WORDS = re.compile(r"(?:(?!(?:van|de|der|den|ter|ten|te|el|al|in|op|het|'t)\b)[a-zà-ÿ]+\s+)+")
_ORG_BEFORE = re.compile(r"(?:Stichting|Vereniging|Stg\.|Fonds|Platform|Netwerk|Collectief|Coöperatie)(?:\s+$|\s)")
#: The last word of an organisation or venue named after a person or a place ("John Blankenstein Foundation",
#: "Batavia Stad"), or a lower-case compound after a hyphen ("Dudok-raadhuis").
_ORG_LAST = re.compile(
    r"\s(?:Foundation|Fonds|Stichting|Vereniging|Groep|Group|Stad|Plaza|Arena|Centrum|Academie|Instituut|"
    r"Prijs|Award|Festival|Parade)$"
)
_ORG_AFTER = re.compile(
    r"(?:\s+(?:Foundation|Fonds|Stichting|Stad|Plaza|Arena|Prijs|Award|Festival)|-[a-z]{3,})(?![\w-])"
)
_HAS_CAPITAL = re.compile(rf"[{_UPPER}]")
#: A name after "ik woon in", "opgegroeid in", "I'm from" is a place ("Ik woon in Schothorst").
_LIVES_IN = re.compile(
    r"(?:\b(?:woon|woont|woonde|wonen|woonden|verhuisd|verhuisde|verhuizen|opgegroeid|geboren|getogen)"
    r"(?:\s+(?:hier|nu|al|daar|sinds|ook|toen|zelf|nog|weer|in\s+de\s+wijk))*\s+(?:in|naar)|"
    r"\b(?:live|lives|lived|living|moved|grew\s+up|born)\s+(?:in|to)|\b(?:I'm|I\s+am|originally|comes?|came)\s+from|"
    r"\b(?:kom|komt|kwam|kwamen)\s+(?:oorspronkelijk\s+)?uit)\s+(?:de\s+wijk\s+)?$"
)
_IN_BEFORE = re.compile(r"(?:^|\W)[Ii]n\s+$")
_PLACE_AFTER = re.compile(r"(?:^|\W)(?:bij|op|in|naar|aan|langs|via|rond|uit|[Tt]he)\s+$")
#: A lower-case article right before a name, or a preposition and an article at its start ("in het Oude Dorp").
_ARTICLE_BEFORE = re.compile(r"(?:^|[^\w'])(?:de|het|'t)\s+$")
_PLACE_LEAD = re.compile(r"(?:in|op|bij|naar|uit|aan|langs|rond)\s+(?:de|het|'t)\s+(?=[A-Z\u00c0-\u00de])")
#: "de overkant van de IJssel", "het eind van de Dam": "van de" after a noun with its article belongs to the sentence.
_OF_THE_LEAD = re.compile(r"van\s+(?:de|het|'t)\s+(?=[A-Z\u00c0-\u00de])")
_NOUN_BEFORE = re.compile(r"(?:^|\s)(?:de|het|een|die|dat|deze)\s+[a-zà-ÿ]{3,}\s+$")
_STREET_BEFORE = re.compile(
    r"(?:(?:Lange|Korte|Oude|Nieuwe|Hoge|Lage|Grote|Kleine)|"
    r"(?:Boulevard|Laan|Plein|Kade|Singel|Dijk|Straat|Weg|Hof|Park|Markt|Gracht|Dreef)(?:\s+van)?)\s+$"
)
#: A street named "Laan van ...", "Boulevard de ...", "Plein 1944": the street word is a word of its own.
_STREET_INSIDE = re.compile(r"(?:^|\s)(?:Laan|Boulevard|Plein|Kade|Singel|Dreef|Gracht)\s+(?:van|der|de|den|[0-9])")
STREET_WORD = re.compile(  # the end of a compound: "Spoorlaan", not the surname "Van Dijk"
    r"[^\W\d_](?:straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|pad|dreef|boulevard|markt|plantsoen|vest|haven|"
    r"straatje|pleintje|wijk|buurt|kwartier)$",
    re.IGNORECASE,
)

#: A public venue named after its kind ("een buurthuis, De Enk,", "wijkcentrum De Hoven"): its name stays.
PUBLIC_VENUE_RE = re.compile(
    cased(
        "buurthuis|wijkcentrum|buurtcentrum|dorpshuis|wijkgebouw|jongerencentrum|gemeenschapshuis|kerk|moskee|"
        "sporthal|zwembad|park|theater|podium|cultuurhuis"
    )
    + r"\s*,?\s+"
    r"((?:De|Het|'t)\s+[A-Z\u00c0-\u00de][\w'’-]+(?:\s+[A-Z\u00c0-\u00de][\w'’-]+)?)"
)
#: Landmarks named after their place ("Klooster Wittem", "Kasteel Hoensbroek", "Abdij van Egmond", "Nationaal Park
#: Schiermonnikoog"): public.
LANDMARK_RE = re.compile(
    r"(?:Klooster|Abdij|Kasteel|Basiliek|Kathedraal|Kapel|Fort|Slot|Paleis|Landgoed|Huis|Nationaal\s+Park)\s+"
    r"(?:van\s+|ter\s+|de\s+)?"
    r"[A-Z\u00c0-\u00de][\w'’-]+"
)
#: Universities and hogescholen (public bodies of thousands): "Radboud Universiteit", "Hogeschool Utrecht".
#: ROCs by their name: "ROC Rivor", "ROC van Twente", "ROC Midden Nederland".
UNIVERSITY_RE = re.compile(
    r"(?:(?:[A-Z\u00c0-\u00de][\w'’-]+\s+)?(?:Universiteit|University|Hogeschool|Universitair Medisch Centrum)"
    r"|ROC)(?:\s+(?:van|of|voor)(?:\s+[A-Z\u00c0-\u00de][\w'’-]+){1,2}|(?:\s+[A-Z\u00c0-\u00de][\w'’-]+){1,2})?"
)
UNIVERSITY_GATE = re.compile(r"niversit|ogeschool|ROC")


def _is_place_name(text: str, start: int, end: int) -> bool:
    """A name with only an article after a preposition of place ("bij de Brink", "op de Markt"), or one word
    after English "the" ("the Vredenburg"), is a place."""
    before = _PLACE_AFTER.search(text, max(0, start - 8), start)
    if not before:
        return False
    words = text[start:end].split()
    if before.group().strip().casefold() == "the":
        return len(words) == 1
    return len(words) == 2 and words[0] in ("de", "het", "'t")


def _unnamed_place(w: Words, name: str) -> bool:
    """After "in": one word, or "De" and a word, that is no first name ("in Blokker", "in De Schooten")."""
    words = name.split()
    return len(words) - (words[0] in ("De", "Het")) == 1 and not w.is_known_first_name(words[-1])


def _after_article(w: Words, text: str, start: int, end: int) -> bool:
    """A name right after a lower-case article ("naar de Beemster", "de Marine", "het Dudok-raadhuis") or
    that starts with a preposition and an article ("in het Oude"): a place or a thing, unless its first word is
    a first name (dialect: "de Jan", "'t Marieke")."""
    if _PLACE_LEAD.match(text, start, end) or (
        _OF_THE_LEAD.match(text, start, end) and _NOUN_BEFORE.search(text, max(0, start - 30), start)
    ):
        return True
    if not _ARTICLE_BEFORE.search(text, max(0, start - 5), start):
        return False
    return not w.is_known_first_name(text[start:end].split()[0])


def _street(text: str, start: int, end: int) -> bool:
    """A street without a number ("Spoorlaan", "Lange Haven", "Boulevard de Ruyter", "Laan van Nieuw Oosteinde")."""
    return bool(
        STREET_WORD.search(text, start, end)
        or _STREET_BEFORE.search(text, max(0, start - 16), start)
        or _STREET_INSIDE.search(text, start, end)
    )


def street_or_place(w: Words, text: str, start: int, end: int) -> bool:
    """Whether the name at `start`-`end` is used as a street or a place (see the module docstring)."""
    if _street(text, start, end):
        return True
    return bool(
        not _HAS_CAPITAL.search(text, start, end)
        or _is_place_name(text, start, end)
        or _LIVES_IN.search(text, max(0, start - 40), start)
        or (_IN_BEFORE.search(text, max(0, start - 4), start) and _unnamed_place(w, text[start:end]))
        or _after_article(w, text, start, end)
    )


def organisation(w: Words, text: str, start: int, end: int) -> bool:
    """Whether the name at `start`-`end` is (part of) an organisation's or a venue's name (not a double first
    name in lower case, "Anne-marie")."""
    after = _ORG_AFTER.match(text, end)
    if after and after.group().startswith("-") and w.is_known_first_name(after.group()[1:].capitalize()):
        after = None
    return bool(
        _ORG_BEFORE.search(text, max(0, start - 14), start)
        or _ORG_BEFORE.match(text, start, end)
        or _ORG_LAST.search(text, start, end)
        or after
    )


_WORD_OF_TWO = re.compile(r"\w{2,}")


def public_not_person(w: Words, text: str, start: int, end: int) -> tuple[int, bool]:
    """For a person that deduce found at `start`-`end` (after a title was cut off): where the name starts (past
    lower-case words of the sentence) and whether it is a street, a place, an organisation or a speaker label
    rather than a person."""
    if _street(text, start, end):  # also before cutting lower-case words ("aan de Laan van ...")
        return start, True
    lead = _LEADING_WORDS.match(text, start, end)
    start = lead.end() if lead else start
    if start >= end or street_or_place(w, text, start, end) or organisation(w, text, start, end):
        return start, True
    return start, all(word.casefold() in TRANSCRIPT_ROLES for word in _WORD_OF_TWO.findall(text[start:end]))


def camel_acronyms(phrases: Iterable[str]) -> frozenset[str]:
    """The acronyms among `phrases` ("RDW", "HAN") written as initials with an interfix would be ("RdW") or
    as a first name is ("Han")."""
    upper = [p for p in phrases if p.isupper() and p.isalpha()]
    camel = {p[0] + p[1:-1].lower() + p[-1] for p in upper if 3 <= len(p) <= 6}
    return frozenset(camel | {p.capitalize() for p in upper if 2 <= len(p) <= 4})


def not_initials(text: str, matches: list[re.Match[str]], acronyms: frozenset[str]) -> list[re.Match[str]]:
    """`matches` of readable phrases without those that are a person's initials ("RdW", a speaker label) or
    first name ("Han") and not the acronym they match case-insensitively ("RDW", "HAN")."""
    out = []
    for m in matches:
        word = text[slice(*m.span())]
        if word not in acronyms and not (word[-1:] == "s" and word[:-1].rstrip("'’") in acronyms):  # "Hans"
            out.append(m)
    return out


#: A word that the text says is a place or a newspaper: "in de wijk Walburg", "de wijkagent van Walburg",
#: "(bewoner, Obdam)", "de Koggenland Courant". Every mention of such a place is readable (a wijk that no
#: list has: the national list of wijken and buurten is not shipped).
_PLACE_CUES = ("wijk ", "buurt ", "dorp ", "kern ", "buurtschap ", "gehucht ")
_PLACE_CUES += ("(bewoner, ", "(bewoonster, ", "(inwoner, ", "(inwoonster, ", "(bewoners, ", "(resident, ")
#: after "de" or "het" only (not "wijkagent van Dijk")
_ROLE_CUES = tuple(f"{w} {p} " for w in ("wijkagent", "wijkteam", "wijkcentrum") for p in ("van", "in", "voor"))
_PLACE_NAME = re.compile(
    r"(?:'s-)?[A-Z\u00c0-\u00de][a-z\u00df-\u00ff'’]+(?:-[A-Z\u00c0-\u00de][a-z\u00df-\u00ff'’]+)?(?![\w-])"
)
_NEWSPAPER_WORDS = ("Courant", "Krant", "Dagblad", "Nieuwsblad", "Bode", "Post", "Omroep", " FM")
_NEWSPAPER_RE = re.compile(
    r"[A-Z\u00c0-\u00de][\w'’-]+\s+(?:Courant|Krant|Dagblad|Nieuwsblad|Bode|Nieuwsbode|Post|Omroep|FM)(?![\w-])"
)


def said_places(text: str) -> list[tuple[int, int]]:
    """Spans of every mention of a place the text says is one, and of local newspapers. (The cues are found
    with `str.find` in the lower-cased text: a regex would try every word.)"""
    out = [m.span() for m in _NEWSPAPER_RE.finditer(text)] if any(w in text for w in _NEWSPAPER_WORDS) else []
    low = text.lower()
    if len(low) != len(text):
        return out
    names = set()
    for cue in _PLACE_CUES + _ROLE_CUES:
        i = low.find(cue)
        while i >= 0:
            if cue not in _ROLE_CUES or low.endswith(("de ", "het "), 0, i):
                m = _PLACE_NAME.match(text, i + len(cue))
                if m:
                    names.add(m.group())
            i = low.find(cue, i + 1)
    for name in names:
        out += [m.span() for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]
    return out
