"""The national gazetteer: Dutch places that stay readable in a pseudonymised transcript.

One package data file, ``dialoog/data/gazetteer_nl.tsv`` (name, kind, flags), from public sources:

- gemeente: the 342 municipalities of 2025 (CBS Wijk- en buurtkaart 2025, gemeenten layer, CC BY 4.0);
- wijk: the 2025 wijken of Groningen, Schiedam and Súdwest-Fryslân (CBS Wijk- en buurtkaart 2025, wijken
  layer, CC BY 4.0), also without a ``Wijk 00`` prefix or ``e.o.`` suffix; wijken of other municipalities
  and buurten are not in the public data this project holds (add them to ``privacy.yaml`` ``places``);
- woonplaats: the woonplaatsen of the Basisregistratie Adressen en Gebouwen (BAG), with the official Frisian
  names that Frisian municipalities registered (``Snits``, ``Drylts``, ``Ljouwert``), as shipped in the
  lookup lists of deduce 3.0.6 (LGPL-3.0; lists from public BAG data);
- provincie and regio: provinces and common regions (deduce's lists, plus Fryslân and a few regions);
- water: the main rivers, lakes, seas and canals (`WATERS`, written here), readable after an article ("tussen
  de Maas en de Waal") unless a name or title comes before it ("Frans de Waal", "mevrouw de Waal").

Names of more words are found as written in the lists and with their inner particles in lower case ("Berg
aan de Maas" for the list's "Berg Aan De Maas"). An ambiguous place is readable after a postcode ("6171 KZ
Stein") and after the dialect forms of the prepositions ("nao Stein", "noar Vriezenveen").

A place whose name is also a first name or surname (``Wessel``, ``Vries``) is marked ``ambiguous``: it
stays readable only after a preposition of place ("in Vries", "uit Wessel"). A name after a title
("meneer Kampen") is never a place. `Gazetteer.readable_spans` finds all places in a text with one
compiled trie pattern (built in about 0.2 s, once per process).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from dialoog.privacy.lexicon import trie_pattern
from dialoog.privacy.scan import word_matches

DATA_FILE = "gazetteer_nl.tsv"
_LOCATIVE = {
    "in",
    "uit",
    "naar",
    "bij",
    "richting",
    "rond",
    "buiten",
    "langs",
    "via",
    "tot",
    "van",
    "te",
    "nabij",
    "vanuit",
    "from",
    "near",
    "to",
    "at",
    "gemeente",
    "dorp",
    "stad",
    "wijk",
    "buurt",
    "nao",
    "noar",
    "nor",
    "oet",
    "uut",
    "bie",
}
#: The main waters (see the module docstring).
WATERS = (
    "Maas Waal Rijn Nederrijn IJssel Lek Schelde Westerschelde Oosterschelde Vecht Amstel Dommel Geul Roer Linge "
    "Merwede Zaan Spaarne Dinkel Regge Eem Hunze Reest Gouwe Rotte Schie IJsselmeer Markermeer Waddenzee Noordzee "
    "Lauwersmeer Veluwemeer Grevelingen Haringvliet Amer Biesbosch Noordzeekanaal Twentekanaal Julianakanaal "
    "Maas-Waalkanaal Amsterdam-Rijnkanaal Zuid-Willemsvaart Wilhelminakanaal Hollandsch Diep"
).split()
_PARTICLES = frozenset("Aan De Den Der Op In Bij Van Het Ter Ten En Onder Over Te".split())
_POSTCODE_BEFORE = re.compile(r"\d{4}\s?[A-Z]{2}\s*$")
_ARTICLE_BEFORE = re.compile(r"(?:^|(?<=\W))(?:([\w.]+)\s+)?(?:de|het|De|Het|van\s+de|van\s+het)\s+$")
_TITLES = {"meneer", "mevrouw", "mevr", "mw", "dhr", "juf", "meester", "dokter", "dr", "mr", "mrs", "ms", "miss"}
_PREV_WORD = re.compile(r"([\w.]+)\W*$")
_SUFFIX_END = re.compile(r"(?:-[A-Z][a-z]+)?(?:'s)?$")  # "Sneek-Noord", "Emmen's": the place


@dataclass(frozen=True)
class Place:
    name: str
    kind: str
    ambiguous: bool


class Gazetteer:
    """All places of the data file, indexed for one-pass lookup in a text."""

    def __init__(self, places: dict[str, Place]) -> None:
        self.places = places

    @classmethod
    def from_lines(cls, lines: list[str]) -> Gazetteer:
        places: dict[str, Place] = {}
        for line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            name, kind, flags = (line.rstrip("\n").split("\t") + ["", ""])[:3]
            ambiguous = "ambiguous" in flags
            for form in {name, _particles_lowered(name)}:
                old = places.get(form)
                places[form] = Place(form, old.kind if old else kind, ambiguous or bool(old and old.ambiguous))
        for name in WATERS:  # ("Waal" is a hamlet too: readable after a preposition as well)
            places[name] = Place(name, "water", name in places and places[name].ambiguous)
        return cls(places)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        # a place, optionally with a compass or other suffix ("Schiedam-Noord", "Leeuwarden-Oost")
        # (no leading lookbehind, which would make `re` try every position: `readable_spans` checks it)
        return re.compile(rf"{trie_pattern(self.places)}(?:-[A-Z][a-z]+)?(?:'s)?(?![\w-])")

    def kind(self, name: str) -> str | None:
        place = self.places.get(name)
        return place.kind if place else None

    def readable_spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the places in `text` that stay readable: an ambiguous place after a preposition
        of place, or in a list with another place ("Nijeveen, Broekhuizen, Kolderveen", "tussen Balk en
        Sleat")."""
        found: list[tuple[int, int, bool]] = []  # start, end, readable on its own
        for m in word_matches(self.pattern, text, "-"):
            word = m.group()
            base = _SUFFIX_END.sub("", word) if word not in self.places else word
            place = self.places.get(base) or self.places.get(word)
            prev = _PREV_WORD.search(text, max(0, m.start() - 40), m.start())
            before = prev.group(1).casefold().rstrip(".") if prev else ""
            if before in _TITLES:
                continue
            area = (
                _AREA_OF.search(text, max(0, m.start() - 12), m.start())
                if place and place.kind == "provincie"
                else None
            )
            water = place is not None and place.kind == "water" and _after_an_article(text, m.start())
            if place is not None and place.kind == "water" and not place.ambiguous and not water:
                continue
            alone = (
                place is None
                or water
                or not place.ambiguous
                or before in _LOCATIVE
                or _POSTCODE_BEFORE.search(text, max(0, m.start() - 12), m.start()) is not None
            )
            found.append((area.start() if area else m.start(), m.end(), alone))  # "de Kop van Noord-Holland"
        out = []
        for i, (start, end, alone) in enumerate(found):
            listed = (i > 0 and found[i - 1][2] and _LIST_GAP.fullmatch(text, found[i - 1][1], start)) or (
                i + 1 < len(found) and found[i + 1][2] and _LIST_GAP.fullmatch(text, end, found[i + 1][0])
            )
            if alone or listed:
                out.append((start, end))
        return out


def _particles_lowered(name: str) -> str:
    """`name` with its inner particles in lower case ("Berg Aan De Maas" -> "Berg aan de Maas"), and the
    article of "'s-Graveland" ("'S-Graveland" in the list, "Meierij Van 'S-Hertogenbosch")."""
    words = name.replace("'S-", "'s-").replace("'S ", "'s ").split(" ")
    return " ".join([words[0], *(w.lower() if w in _PARTICLES else w for w in words[1:])])


def _after_an_article(text: str, start: int) -> bool:
    """Whether a water's name at `start` follows an article that follows no name or title ("tussen de Maas",
    not "Frans de Waal" or "mevrouw de Waal")."""
    m = _ARTICLE_BEFORE.search(text, max(0, start - 40), start)
    if m is None:
        return False
    word = m.group(1) or ""
    if word.casefold().rstrip(".") in _TITLES:
        return False
    opens_sentence = _SENTENCE_END_BEFORE.search(text, max(0, m.start(1) - 40), m.start(1)) is not None
    return not word[:1].isupper() or opens_sentence


_SENTENCE_END_BEFORE = re.compile(r"[.!?:]\s*$")


#: What separates the places of a list ("Balk en Sleat", "Nijeveen, Broekhuizen").
_LIST_GAP = re.compile(r"\s*(?:,|/|&)\s*|\s+(?:en|of|and|or)\s+|,\s+(?:en|of)\s+")


#: A part of a province named after it ("de Kop van Overijssel", "het Zuiden van Limburg").
_AREA_OF = re.compile(r"(?:Kop|Noorden|Oosten|Zuiden|Westen|Midden)\s+van\s+$")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer of the package data file (loaded once per process)."""
    text = resources.files("dialoog").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    return Gazetteer.from_lines(text.splitlines())


# -- building the data file (run by a maintainer; the result is committed) --------------------------------


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build_data_file(out: Path) -> int:
    """Write the gazetteer data file from the CBS lists in the package and deduce's place lists.

    Returns the number of places written. Run ``python -c "from dialoog.privacy.gazetteer import
    build_data_file as b; b(...)"`` after updating the sources.
    """
    import deduce

    from dialoog.study.gemeenten import all_gemeenten, wijken

    src = Path(deduce.__file__).parent / "data" / "lookup" / "src"
    placename = src / "locations" / "lst_placename"
    first_names = set(_lines(src / "names" / "lst_first_name" / "items.txt"))
    names = first_names | set(_lines(src / "names" / "lst_surname" / "items.txt"))
    rows: dict[str, str] = {}
    for g in all_gemeenten():
        rows.setdefault(g.name, "gemeente")
        rows.setdefault(re.sub(r"\s+\([A-Z.]+\)$", "", g.name), "gemeente")  # "Middelburg (Z.)": Middelburg
        for w in wijken(g.code):
            for form in {w, re.sub(r"\s+e\.o\.$", "", w), re.sub(r"^Wijk\s+\d+\s+", "", w)}:
                rows.setdefault(form, "wijk")
    excluded = set(_lines(placename / "lst_residence" / "exceptions.txt"))
    for name in _lines(placename / "lst_residence" / "items.txt"):
        if name not in excluded:
            rows.setdefault(name, "woonplaats")
    for sub, kind in (("lst_province", "provincie"), ("lst_region", "regio"), ("lst_municipality", "gemeente")):
        for name in _lines(placename / sub / "items.txt"):
            rows.setdefault(name, kind)
    # regions, and the colloquial name of a municipality that the lists give only in its official form
    regions = ("Fryslân", "Friesland", "Zuidwest-Friesland", "Noordoost-Friesland", "Randstad", "Hogeland")
    for name in (*regions, "Den Bosch"):
        rows.setdefault(name, "regio")
    header = (
        "# Dutch places that stay readable (name<TAB>kind<TAB>flags). Sources: CBS Wijk- en buurtkaart 2025\n"
        "# (gemeenten; wijken of Groningen, Schiedam, Súdwest-Fryslân; CC BY 4.0); BAG woonplaatsen with their\n"
        "# official Frisian names, provinces and regions as shipped in deduce 3.0.6's lookup lists (LGPL-3.0).\n"
        "# 'ambiguous': also a first name (or, for woonplaatsen, a surname); readable only after a preposition\n"
        "# of place.\n"
    )
    body = "".join(
        f"{name}\t{kind}\t{'ambiguous' if name in (first_names if kind in ('gemeente', 'wijk') else names) else ''}\n"
        for name, kind in sorted(rows.items())
        if len(name) >= 2
    )
    out.write_text(header + body, encoding="utf-8")
    return len(rows)
