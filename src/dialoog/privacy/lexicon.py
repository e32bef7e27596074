"""The vocabulary of detection: labels and placeholders, what stays readable, Dutch number words.

`LABELS` are the kinds of personal data with their Dutch placeholders; `PUBLIC_ORGANISATIONS` and
`COUNTRIES` stay readable (places of the Netherlands are in `dialoog.privacy.gazetteer`); `number_words`
and `ordinal_words` spell Dutch numbers; `trie_pattern` turns thousands of words into one fast regex.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

#: Labels of personal data, each with its Dutch placeholder. Persons get a number with a key.
LABELS: dict[str, str] = {
    "persoon": "[persoon]",
    "adres": "[adres]",
    "postcode": "[postcode]",
    "telefoonnummer": "[telefoonnummer]",
    "e-mailadres": "[e-mailadres]",
    "rekeningnummer": "[rekeningnummer]",
    "datum": "[datum]",
    "leeftijd": "[leeftijd]",
    "kenteken": "[kenteken]",
    "account": "[account]",
    "website": "[website]",
    "school": "[school]",
    "werkplek": "[werkplek]",
    "zorginstelling": "[zorginstelling]",
    "plaats": "[plaats]",
    "nummer": "[nummer]",
}

#: When spans overlap they are merged; the label that ranks first here wins.
PRIORITY = [
    "e-mailadres",
    "account",
    "website",
    "rekeningnummer",
    "telefoonnummer",
    "kenteken",
    "adres",
    "postcode",
    "datum",
    "leeftijd",
    "school",
    "werkplek",
    "zorginstelling",
    "persoon",
    "plaats",
    "nummer",
]

#: Placeholders as they appear in pseudonymised text (used to skip them on re-runs and in review).
PLACEHOLDER_RE = re.compile(r"\[(?:" + "|".join(re.escape(k) for k in LABELS) + r")(?:-\d+)?\]")


@dataclass(frozen=True)
class Span:
    """A piece of personal data: character offsets into the text, its label and the text itself."""

    start: int
    end: int
    label: str
    text: str


# -- what stays readable -------------------------------------------------------------------------------


def data_lines(name: str) -> list[str]:
    text = resources.files("dialoog").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


#: Organisations, services and platforms that stay readable (case-insensitive; plural -s allowed).
PUBLIC_ORGANISATIONS = (
    "COC",
    "politie",
    "Roze in Blauw",
    "WIJ-team",
    "wijkteam",
    "sociaal wijkteam",
    "buurtteam",
    "gemeente",
    "meldpunt",
    "meldpunt discriminatie",
    "Discriminatie.nl",
    "Antidiscriminatievoorziening",
    "ADV",
    "GGD",
    "Veilig Thuis",
    "MIND Korrelatie",
    "Transgender Netwerk",
    "Movisie",
    "Rutgers",
    "Humanitas",
    "Pride",
    "Roze Zaterdag",
    "Coming Out Dag",
    "Paarse Vrijdag",
    "GSA",
    "Gender & Sexuality Alliance",
    "Jong & Out",
    "Regenboogstad",
    "Regenbooggemeente",
    "Instagram",
    "Facebook",
    "TikTok",
    "Snapchat",
    "WhatsApp",
    "Grindr",
    "Tinder",
    "X",
    "LinkedIn",
    "woningcorporatie",
    "wijkagent",
    "huisarts",
    "jongerenwerk",
    # public bodies and services: readable, also as an employer ("ik werk bij de gemeente")
    "UWV",
    "SVB",
    "DUO",
    "IND",
    "COA",
    "CJG",
    "Centrum voor Jeugd en Gezin",
    "Belastingdienst",
    "Rijksoverheid",
    "Rijkswaterstaat",
    "provincie",
    "waterschap",
    "ministerie",
    "Openbaar Ministerie",
    "OM",
    "rechtbank",
    "brandweer",
    "Marechaussee",
    "Koninklijke Marechaussee",
    "Defensie",
    "RIVM",
    "KNMI",
    "CBS",
    "RDW",
    "NVWA",
    "Kadaster",
    "Veiligheidsregio",
    "Veiligheidshuis",
    "Zorg- en Veiligheidshuis",
    "Slachtofferhulp",
    "Slachtofferhulp Nederland",
    "Reclassering",
    "Halt",
    "Raad voor de Kinderbescherming",
    "Jeugdbescherming",
    "Wmo-loket",
    "Sociaal Domein",
    "bibliotheek",
    "gemeenteraad",
    "college van B en W",
    "wethouder",
    "burgemeester",
    "raadslid",
    "Tweede Kamer",
    "NS",
    "Arriva",
    "Qbuzz",
    "RET",
    # university medical centres (public bodies)
    "Amsterdam UMC",
    "UMCG",
    "UMC Groningen",
    "UMC Utrecht",
    "Erasmus MC",
    "Radboudumc",
    "LUMC",
    "Maastricht UMC+",
    "MUMC+",
    # LHBT organisations and events
    "Secret Garden",
    "COC Nederland",
    "COC Friesland",
    "COC Groningen",
    "COC Rotterdam",
    "Roze 50+",
    "Roze Golf",
    "Transvisie",
    "Bi+ Nederland",
    "NNID",
    "Trans United Europe",
    "Shout",
    "Prisma",
    "Regenboogvlag",
    "Pride Walk",
    "Canal Pride",
    "Roze Maandag",
    "Regenboogdag",
    "IDAHOT",
    "IDAHOBIT",
    "Trans Day of Visibility",
    "Transgender Day of Remembrance",
    "LHBT",
    "LHBTI",
    "LHBTIQ",
    "LHBTIQ+",
    "LHBTQIA",
    "LHBTQIA+",
    "LGBT",
    "LGBTQ",
    "LGBTQ+",
    "LGBTQIA+",
    "queer",
    "Queer",
    "GSA",
    "Gay-Straight Alliance",
)

#: Speaker labels of transcripts (lower case): never a name, also after an initial ("I. Deelnemer").
TRANSCRIPT_ROLES = frozenset(
    "interviewer interviewster deelnemer deelneemster respondent gespreksleider onderzoeker onderzoekster "
    "verslag verslaglegger notulist moderator medewerker jongere interviewee participant spreker".split()
)

#: Organisations with regional branches: "GGD Fryslân", "politie IJsselland", "COC Twente-Achterhoek".
REGIONAL_ORGANISATIONS = (
    "COC",
    "GGD",
    "politie",
    "Veilig Thuis",
    "meldpunt",
    "meldpunt discriminatie",
    "Antidiscriminatievoorziening",
    "ADV",
    "bibliotheek",
    "Veiligheidsregio",
    "Roze in Blauw",
    "Slachtofferhulp",
    "Humanitas",
    "Buurtzorg",
    "Dorpsbelang",
    "Plaatselijk Belang",
    "Wijkraad",
    "Wijkteam",
    "WIJ-team",
    "Sociaal Wijkteam",
    "Centrum voor Jeugd en Gezin",
    "CJG",
    "Jong & Out",
    "Pride",
    "Stichting Welzijn",
    "Welzijn",
    "Zorg- en Veiligheidshuis",
    "Roze",
)

#: Languages (also nouns: "Nederlands en Engels door elkaar") stay readable.
LANGUAGES = (
    "Nederlands",
    "Engels",
    "Duits",
    "Frans",
    "Spaans",
    "Portugees",
    "Italiaans",
    "Pools",
    "Roemeens",
    "Bulgaars",
    "Russisch",
    "Oekraïens",
    "Turks",
    "Koerdisch",
    "Arabisch",
    "Berbers",
    "Tamazight",
    "Farsi",
    "Perzisch",
    "Dari",
    "Pasjtoe",
    "Tigrinya",
    "Amhaars",
    "Somalisch",
    "Fries",
    "Papiaments",
    "Sranantongo",
    "Sranan",
    "Sarnami",
    "Hindi",
    "Urdu",
    "Chinees",
    "Mandarijn",
    "Kantonees",
    "Indonesisch",
    "Gebarentaal",
)

COUNTRIES = (
    "Nederland",
    "België",
    "Duitsland",
    "Eritrea",
    "Ethiopië",
    "Somalië",
    "Soedan",
    "Syrië",
    "Irak",
    "Iran",
    "Afghanistan",
    "Turkije",
    "Marokko",
    "Algerije",
    "Tunesië",
    "Egypte",
    "Libanon",
    "Jemen",
    "Suriname",
    "Curaçao",
    "Aruba",
    "Bonaire",
    "Indonesië",
    "Polen",
    "Bulgarije",
    "Roemenië",
    "Oekraïne",
    "Rusland",
    "Ghana",
    "Nigeria",
    "Kaapverdië",
    "Europa",
    "Groningen",
    "Friesland",
    "Fryslân",
    "Drenthe",
    "Overijssel",
    "Flevoland",
    "Gelderland",
    "Utrecht",
    "Noord-Holland",
    "Zuid-Holland",
    "Zeeland",
    "Noord-Brabant",
    "Limburg",
    "Randstad",
    "Afrika",
    "Azië",
    "Amerika",
    "Engeland",
    "Frankrijk",
    "Spanje",
    "Italië",
    "Portugal",
    "Griekenland",
    "Brazilië",
    "Colombia",
    "Venezuela",
    "Pakistan",
    "India",
    "China",
    "Filipijnen",
    "Thailand",
    "Verenigd Koninkrijk",
    "Verenigde Staten",
    "Wadden",
    "Waddeneilanden",
    "Noorden",
    "Zuiden",
    "Ommelanden",
    "Westland",
    "Achterhoek",
    "Twente",
    "Veluwe",
    "Noordoostpolder",
    "Zuidwest-Friesland",
)


_UNITS = ["", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
_TEENS = ["tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien"]
_TENS = ["", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"]


def number_words(low: int = 1, high: int = 100) -> dict[str, int]:
    """Dutch number words from `low` to `high` ("vierendertig" -> 34), with and without diaeresis."""
    out: dict[str, int] = {}
    for n in range(low, high + 1):
        if n < 10:
            words = [_UNITS[n]]
        elif n < 20:
            words = [_TEENS[n - 10]]
        elif n < 100:
            unit, ten = n % 10, _TENS[n // 10]
            if unit == 0:
                words = [ten]
            else:
                u = _UNITS[unit]
                joiner = "ën" if u.endswith("e") else "en"
                words = [u + joiner + ten, u + "en" + ten]
        else:
            words = ["honderd"] if n == 100 else []
        for w in words:
            out[w] = n
    return out


_FY_TEENS = ["trettjin", "fjirtjin", "fyftjin", "sechstjin", "santjin", "achttjin", "njoggentjin"]
#: Units and tens as Frisian, Stellingwerfs, Twents, Zeeuws and Limburgs speakers say them ("sânentweintich",
#: "tweeënvuftig", "viefenzestig", "vuufenzeuventig", "achtenvieftig").
_DIALECT_UNITS = {
    1: "een ien",
    2: "twee twie twa",
    3: "drie trije dree",
    4: "vier fjouwer veer",
    5: "vijf vief vuuf fiif",
    6: "zes seis",
    7: "zeven zeuven sân zöven",
    8: "acht ach",
    9: "negen njoggen neuge",
}
_DIALECT_TENS = {
    2: "twintig tweintich twinteg",
    3: "dertig tritich dartig",
    4: "veertig fjirtich feertig",
    5: "vijftig fyftich vieftig vuftig vuuftig",
    6: "zestig sechstich",
    7: "zeventig santich zeuventig zöventig",
    8: "tachtig tachtich",
    9: "negentig njoggentich neugentig",
}


def dialect_number_pattern() -> str:
    """A regex of the number words from 13 to 99 as speakers of Frisian and the dialects write them
    ("sânentweintich", "tweeënvuftig", "viefenzestig", "achenvieftig"; see `_DIALECT_UNITS`), also with a
    capital: a unit, "en" or "ën", a ten; or a ten alone. Kept apart from `number_words` (whose words are
    also spelled out in phone numbers and dates) and written as a regex rather than every combination."""
    units = [u for us in _DIALECT_UNITS.values() for u in us.split()]
    tens = [x for ts in _DIALECT_TENS.values() for x in ts.split()]
    cap = lambda words: words + [w[:1].upper() + w[1:] for w in words]  # noqa: E731
    u, t = trie_pattern(cap(units)), trie_pattern(tens)
    return rf"(?:{u}(?:ën|en){t}|{trie_pattern(cap(tens))}|{trie_pattern(cap(_FY_TEENS))})"


_ORDINAL_UNITS = ["", "eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste", "negende"]


def ordinal_words(low: int = 1, high: int = 100) -> dict[str, int]:
    """Dutch ordinal words ("eenentwintigste" -> 21, "achttiende" -> 18), with and without diaeresis."""
    out: dict[str, int] = {}
    for word, n in number_words(max(low, 10), high).items():
        if n < 20:
            out[word + ("de" if n != 10 else "de")] = n
        else:
            out[word + "ste"] = n
    for n in range(low, min(high, 9) + 1):
        out[_ORDINAL_UNITS[n]] = n
    out["achttiende"] = 18
    return {w: n for w, n in out.items() if low <= n <= high}


def trie_pattern(words: Iterable[str], *, fold_case: bool = False) -> str:
    """One regex alternative for many literal strings, written as a trie ("ab(?:c|d)?" for ab, abc, abd).

    Python's `re` tries the branches of a plain alternation one after another at every position; a trie
    pattern follows only the branch of the next character, so it is as fast for thousands of words as for
    a few. It matches exactly what ``(?:longest|...|shortest)`` matches: among the words that fit at a
    position the longest one is tried first (the optional tail is greedy), then shorter ones on
    backtracking. With `fold_case` the branches are merged case-insensitively (compile it with
    ``re.IGNORECASE``), so that "COC" and "coc" do not shadow each other.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            key = ch.lower() if fold_case and len(ch.lower()) == 1 else ch
            node = node.setdefault(key, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return body
        return (body if len(branches) > 1 or len(body) == 1 else f"(?:{body})") + "?"

    return "(?:" + build(trie) + ")" if trie else "(?!)"
