"""The vocabulary of detection: labels and placeholders, what stays readable, Dutch number words.

`LABELS` are the kinds of personal data with their Dutch placeholders; `PUBLIC_ORGANISATIONS` and
`COUNTRIES` stay readable (places of the Netherlands are in `dialoog.privacy.gazetteer`; Dutch number words
in `dialoog.privacy.numbers`); `trie_pattern` turns thousands of words into one fast regex.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Protocol

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


class Words(Protocol):
    """What the rule modules ask of the detector (`dialoog.privacy.detect.Detector`) about a word or name."""

    _allowed_words: set[str]

    def is_common_word(self, word: str) -> bool: ...
    def is_known_first_name(self, word: str) -> bool: ...
    def is_name_word(self, word: str) -> bool: ...
    def is_interfix_surname(self, word: str) -> bool: ...
    def is_rare_word(self, word: str) -> bool: ...
    def is_surname(self, word: str) -> bool: ...
    def is_readable_name(self, name: str) -> bool: ...


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
    "Coming Out Day",
    "Coming-outdag",
    "IDAHOT",
    "IDAHOBIT",
    "Dag tegen Homofobie",
    "Dag tegen Homo- en Transfobie",
    "Transgender Day of Remembrance",
    "Transgender Gedenkdag",
    "Paarse Vrijdag",
    "Memorial Day",
    "Remembrance Day",
    "Dodenherdenking",
    "Bevrijdingsdag",
    "Veteranendag",
    "Keti Koti",
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
    "Burgerzaken",
    "Publiekszaken",
    "Sociale Zaken",
    "Werk en Inkomen",
    "Wmo-loket",
    "Zorgloket",
    "Jongerenloket",
    "Vluchtelingenwerk",
    "VluchtelingenWerk",
    "Jongerenpunt",
    "Jeugdloket",
    "Sociaal Loket",
    "Servicepunt",
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
    "Sociale Dienst",
    "Vluchtelingenwerk",
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


#: The first part of an organisation's mailbox, not a person's.
GENERIC_MAILBOXES = frozenset(
    "info klachten klacht contact secretariaat receptie gemeente post balie meldpunt servicedesk helpdesk "
    "vragen loket wmo redactie bestuur communicatie aanmelden aanmelding privacy noreply no-reply".split()
)


#: Kinds of workplace before a name: "Bakkerij Van Dijk", "Garage Hoekstra", "Vakantiepark Zeewind".
WORKPLACE_KINDS = (
    "Bakkerij|Restaurant|Café|Cafe|Eetcafé|Grand Café|Brasserie|Lunchroom|Pizzeria|Cafetaria|Snackbar|Hotel|Pension|"
    "Kapsalon|Kapper|Barbershop|Garage|Autobedrijf|Autogarage|Bouwbedrijf|Installatiebedrijf|Schildersbedrijf|"
    "Loonbedrijf|Hoveniersbedrijf|Timmerbedrijf|Aannemersbedrijf|Transportbedrijf|Drukkerij|Boekhandel|Bloemisterij|"
    "Bloemist|Kwekerij|Makelaardij|Makelaar|Notariskantoor|Advocatenkantoor|Accountantskantoor|Administratiekantoor|"
    "Dierenkliniek|Dierenartspraktijk|Verloskundigenpraktijk|Fysiotherapiepraktijk|Fysiotherapie|Praktijk|"
    "Tandartspraktijk|Huisartsenpraktijk|Huisartspraktijk|Apotheek|Slagerij|Viswinkel|Supermarkt|Winkel|Boetiek|"
    "Zorgboerderij|Boerderij|Camping|Manege|Sportschool|Fitnesscentrum|Tankstation|Bedrijf|Firma|Kantoor|"
    "Verpleeghuis|Verzorgingshuis|Woonzorgcentrum|Zorgcentrum|Zorgvilla|Kinderdagverblijf|Kinderopvang|BSO|"
    "Peuterspeelzaal|Dansschool|Rijschool|Muziekschool|Taalschool|Autorijschool|Sauna|Wellness|Theater|Bioscoop|"
    "Drogisterij|Slijterij|Opticien|Juwelier|Stomerij|IJssalon|Fietsenwinkel|Tuincentrum|Nagelstudio|Rokerij|"
    "Strandpaviljoen|Paviljoen|Visserij|Houthandel|Wasserij|Vakantiepark|Bungalowpark|Recreatiepark|Jachthaven|"
    "Golfbaan|Distributiecentrum|Webshop|Bloemenhuis|Huize".split("|")
)
