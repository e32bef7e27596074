"""Regular patterns for personal data that name lists cannot find.

Phone numbers (Dutch and international), e-mail addresses (written, spaced and spoken), IBANs, social-media
handles, dates, ages (numerals, number words, ordinals and approximations of a person, in Dutch and
English), licence plates, addresses in either order, schools and workplaces. Every pattern runs over the
whole text at C speed; `pattern_spans` returns what they find.
"""

from __future__ import annotations

import re

from dialoog.privacy.lexicon import Span, number_words, ordinal_words, trie_pattern

_NUMBER_WORDS = {w: n for w, n in number_words(1, 110).items() if w != "een"}  # "een jaar" is no age
_NUM = r"(?:\d{1,3}|" + trie_pattern(_NUMBER_WORDS, fold_case=True) + r")"
_WORD_AGE = trie_pattern({w: n for w, n in number_words(13, 110).items()}, fold_case=True)
_ORD = r"(?:\d{1,3}(?:e|de|ste)|" + trie_pattern(ordinal_words(1, 110), fold_case=True) + r")"
_TENS = r"(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|[2-9]0)"
_EN_NUM = r"(?:\d{1,3}|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
_AFTER = (
    r"(?=\s*[,.;:!?)\"”'…-]|\s+(?:en|maar|toen|dus|want|of|oud|hoor|ofzo|geloof|nu|inmiddels|al|geworden|"
    r"jaar\b|geleden\b|and|but|now|when|so|years?)\b|\s*$)"
)
_NOT_UNIT = r"(?!\s*(?:cm|centimeter|meter|kilo|kg|gram|euro|minuten|uur|procent|%|keer|dagen|weken|maanden)\b)(?!\w)"
_EN_AFTER = r"(?=\s*[,.;:!?)\"”'…-]|\s+(?:and|but|now|when|so|years?|and)\b|\s*$)"
_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"

#: An age expression after a copula or "van": numerals, words, "een jaar of 35", "in de zeventig", "begin dertig".
_AGE = (
    rf"(?:(?:een\s+jaar\s+of|ongeveer|rond\s+de|zo'?n|bijna|ruim|net|pas|al|over\s+de|boven\s+de|onder\s+de)\s+)?"
    rf"(?:{_NUM}(?:\s*\+)?(?:\s+jaar(?:\s+oud)?)?|(?:(?:ergens\s+)?(?:begin|eind|midden|half|achter\s+in|voor\s+in|"
    rf"diep\s+in|in)\s+(?:de\s+)?){_TENS}(?:er)?)"
)
_KIN = (
    r"(?:tante|oom|moeder|vader|mama|papa|opa|oma|broer|zus|zusje|broertje|neef|nicht|buurvrouw|buurman|jongen|"
    r"meisje|kind|zoon|zoontje|dochter|dochtertje|man|vrouw|jongere|puber|tiener|vriend|vriendin|vriendje|"
    r"vriendinnetje|partner|collega|dame|heer|mevrouw|meneer|knul|jochie|jongeman|leerling|cliënt|client|"
    r"bewoner|bewoonster|schoonmoeder|schoonvader|stiefvader|stiefmoeder|ex)"
)
_POSS = r"(?:mijn|m'n|zijn|z'n|haar|d'r|je|jouw|hun|onze|ons)"
_STREET_SUFFIX = (
    r"(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|steeg|pad|dreef|park|baan|boulevard|markt|wal|haven|"
    r"plantsoen|erf|ring|zijde|vest|veld|hoek|wei|akker|tuin|rade|pleintje|straatje|"
    r"Street|Road|Lane|Avenue|Square)"
)
_NAME = r"[A-Z\u00c0-\u00de][\w'’&-]*"
_NAMES = rf"{_NAME}(?:\s+(?:(?:de|der|van|en|&|op|aan|'t)\s+)*{_NAME})*"
_ORG_NAMES = rf"{_NAME}(?:\s+(?:(?:de|der|van|en|&)\s+)*{_NAME})*"
_WORKPLACE_WORDS = (
    r"Bakkerij|Restaurant|Café|Cafe|Eetcafé|Grand Café|Brasserie|Lunchroom|Pizzeria|Cafetaria|Snackbar|Hotel|Pension|"
    r"Kapsalon|Kapper|Barbershop|Garage|Autobedrijf|Autogarage|Bouwbedrijf|Installatiebedrijf|Schildersbedrijf|"
    r"Loonbedrijf|Hoveniersbedrijf|Timmerbedrijf|Aannemersbedrijf|Transportbedrijf|Drukkerij|Boekhandel|Bloemisterij|"
    r"Bloemist|Kwekerij|Makelaardij|Makelaar|Notariskantoor|Advocatenkantoor|Accountantskantoor|Administratiekantoor|"
    r"Dierenkliniek|Dierenartspraktijk|Verloskundigenpraktijk|Fysiotherapiepraktijk|Fysiotherapie|Praktijk|"
    r"Tandartspraktijk|Huisartsenpraktijk|Huisartspraktijk|Apotheek|Slagerij|Viswinkel|Supermarkt|Winkel|Boetiek|"
    r"Zorgboerderij|Boerderij|Camping|Manege|Sportschool|Fitnesscentrum|Tankstation|Bedrijf|Firma|Kantoor|"
    r"Verpleeghuis|Verzorgingshuis|Woonzorgcentrum|Zorgcentrum|Zorgvilla|Kinderdagverblijf|Kinderopvang|BSO|"
    r"Peuterspeelzaal|Dansschool|Rijschool|Muziekschool|Taalschool|Autorijschool|Sauna|Wellness|Theater|Bioscoop"
)
_SCHOOL_WORDS = (
    r"(?:Openbare\s+|Christelijke\s+|Katholieke\s+)?(?:[Bb]asisschool|OBS|CBS|RKBS|PCBS|IKC|Kindcentrum|Daltonschool|"
    r"Montessorischool|Jenaplanschool|Vrije School|Brede school|Gymnasium|Lyceum|Atheneum|College|Scholengemeenschap|"
    r"SG|CSG|RSG|OSG|Mavo|Havo|Vmbo|Praktijkschool|ROC|Hogeschool|Scholengroep)"
)


def _c(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


# Each is (label, compiled pattern, group to take).
PATTERNS: list[tuple[str, re.Pattern[str], int]] = [
    # phone numbers: +31/0031 or 0 and nine digits; other countries: + or 00 and 7-13 digits
    (
        "telefoonnummer",
        _c(r"(?<![\w+])(?:(?:\+|00)31[\s-]*(?:\(0\)[\s-]*)?\d(?:[\s-]{0,3}\d){8}|0\d(?:[\s-]{0,3}\d){8})(?!\d)"),
        0,
    ),
    ("telefoonnummer", _c(r"(?<![\w+])(?:\+|00)(?!31)[1-9]\d{0,2}[\s-]*(?:\(0\)[\s-]*)?\d(?:[\s.-]{0,2}\d){6,12}(?!\d)"), 0),
    # e-mail addresses, written (also with spaces around @ and dots) and spoken
    ("e-mailadres", _c(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), 0),
    ("e-mailadres", _c(r"(?<![\w.+-])[\w.+-]+\s+@\s*[\w-]+(?:\s?\.\s?[a-z]{2,6}\b)+|[\w.+-]+@\s+[\w-]+(?:\s?\.\s?[a-z]{2,6}\b)+"), 0),
    (
        "e-mailadres",
        _c(
            r"(?i)\b(?!(?:me|mij|naar|op|via|is|mail|email|mailen|adres|at|address)\b)\w+(?:\s+(?:punt|dot|streepje|liggend streepje|underscore|min|dash)\s+\w+(?:\s+\w+)?)*\s+"
            r"(?:at|apenstaartje|apestaartje|\[at\]|\(at\))\s+\w+(?:\s+(?:punt|dot|\[dot\]|\(dot\))\s+\w+)+"
        ),
        0,
    ),
    # IBAN as a whole (NL91 ABNA 0417 1643 00), also in groups
    ("rekeningnummer", _c(r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}(?:\s?\d{2,4}){2,5}\b"), 0),
    # social-media handles (not the middle of an e-mail address)
    ("account", _c(r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?"), 0),
    # dates: "12 maart 2024", "maart 1997", "12-03-2024", "12/3/99", "March 3, 2021", "3 March 2021"
    ("datum", _c(rf"(?i)\b(?:\d{{1,2}}\s+(?:{_MONTHS})(?:\s+(?:19|20)\d{{2}})?|(?:{_MONTHS})\s+(?:19|20)\d{{2}})\b"), 0),
    ("datum", _c(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}\b"), 0),
    ("datum", _c(rf"\b(?:\d{{1,2}}\s+(?:{_MONTHS_EN})|(?:{_MONTHS_EN})\s+\d{{1,2}}(?:st|nd|rd|th)?,?)(?:\s+(?:19|20)\d{{2}})?\b"), 0),
    # ages: "61 jaar oud", "17-jarige", "de 72-jarige"
    ("leeftijd", _c(rf"(?i)\b({_NUM}\s*(?:jaar\s+oud|-?jarige?n?))\b"), 1),
    # "ik ben 53", "ze is in de zeventig", "hij werd vijftig", "ik ben een jaar of vijfendertig"
    (
        "leeftijd",
        _c(
            rf"(?i)\b(?:ben|bent|is|was|werd|wordt|word)\s+(?:(?:nu|inmiddels|toen|zelf|intussen|ook|dan|volgend\s+jaar|"
            rf"dit\s+jaar|straks|binnenkort|pas|net|alweer|sinds\s+kort)\s+){{0,2}}({_AGE}){_AFTER}"
        ),
        1,
    ),
    # "mijn tante van 72", "een meisje van zestien", "een man van een jaar of veertig", "mijn zoon (16)"
    ("leeftijd", _c(rf"(?i)\b{_KIN}s?\s+van\s+({_NUM}(?:\s+jaar)?){_NOT_UNIT}"), 1),
    ("leeftijd", _c(rf"(?i)(?<!\been\s)\b{_KIN}s?\s+van\s+({_AGE}){_NOT_UNIT}"), 1),
    ("leeftijd", _c(rf"(?i)\b{_KIN}\s+\((\d{{1,3}})\)"), 1),
    # "toen ik zestien was", "toen hij 12 werd"
    ("leeftijd", _c(rf"(?i)\btoen\s+(?:ik|hij|zij|ze|je|jij|mijn\s+\w+)\s+({_AGE})\s+(?:was|werd|jaar\s+was)\b"), 1),
    # an age given as an answer on its own ("Vierenzeventig, om precies te zijn.", "R: Priya Ramdin. 38.")
    (
        "leeftijd",
        _c(
            rf"(?is)\b(?:oud|leeftijd|jaar|zestig|zeventig|tachtig|dertig|veertig|vijftig|twintig|negentig|age|old)\b"
            rf"[\s\S]{{0,60}}?(?:[.?!:]\s+)((?:1[3-9]|[2-9]\d|1[01]\d)|{_WORD_AGE})(?=\s*[,.!]|\s*$)"
        ),
        1,
    ),
    # ordinals: "op mijn eenentwintigste", "sinds zijn 16e", "mijn vijftigste verjaardag"
    ("leeftijd", _c(rf"(?i)\b(?:op|sinds|vanaf|tot|na|voor|rond|tegen)\s+{_POSS}\s+({_ORD})\b(?!\s+(?:jaar|keer|plek|plaats))"), 1),
    ("leeftijd", _c(rf"(?i)\b{_POSS}\s+({_ORD}\s+verjaardag)\b"), 1),
    # English: "I'm 29", "she is 40", "I was 16", "aged 29", "29 years old", "a 29-year-old", "in my thirties"
    (
        "leeftijd",
        _c(
            rf"(?i)\b(?:I'?m|I\s+am|I\s+was|(?:he|she|they)(?:'s|\s+is|\s+was|'re|\s+are)|turned|turning|aged)\s+"
            rf"(?:almost\s+|nearly\s+|about\s+|just\s+|now\s+)?({_EN_NUM}){_EN_AFTER}"
        ),
        1,
    ),
    ("leeftijd", _c(rf"(?i)\b({_EN_NUM}[- ]years?[- ]old)\b"), 1),
    ("leeftijd", _c(r"(?i)\b(?:in|into)\s+(?:my|his|her|their)\s+((?:early|mid|late)[- ])?(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b"), 0),
    # addresses in English order ("14 Spoorlaan", "14b Kerkstraat"), also with a street word in front
    ("adres", _c(rf"\b\d{{1,4}}[a-z]?\s+(?:{_NAME}\s+)?[A-Z\u00c0-\u00de][\w'’-]*{_STREET_SUFFIX}\b"), 0),
    ("adres", _c(rf"\b(?:[A-Z][\w'’-]*\s+)?[A-Z\u00c0-\u00de][\w'’-]*{_STREET_SUFFIX}\s+\d{{1,4}}(?:\s?[a-zA-Z]\b|-\d{{1,4}}\b)?(?!\d)"), 0),
    ("postcode", _c(r"\b[1-9]\d{3}\s?(?!SS|SD|SA)[A-Z]{2}\b"), 0),
    # schools: "Basisschool De Klimboom", "Gymnasium Celeanum", "het Vlietcollege", "Zernike Lyceum"
    ("school", _c(rf"\b{_SCHOOL_WORDS}\s+(?:(?:De|Het|Den|'t|de|het)\s+)?{_NAMES}"), 0),
    (
        "school",
        _c(
            r"\b(?:[A-Z][\w'’-]+\s+(?:&\s+)?)*(?:[A-Z][\w-]*(?:college|lyceum|gymnasium|atheneum|school|academie)|"
            r"College|Lyceum|Gymnasium|Atheneum|Academie|Scholengemeenschap)\b"
        ),
        0,
    ),
    # in lower case (speech-to-text): "op het theresia lyceum"
    ("school", _c(r"\b(?:op|naar|van|bij|aan)\s+(?:het|de)\s+([a-zà-ÿ]+\s+(?:lyceum|college|gymnasium|atheneum|scholengemeenschap))\b"), 1),
    # a school named only by its name: "ik zat op Beekvliet", "mijn dochter gaat naar De Wingerd"
    (
        "school",
        _c(
            rf"\b(?:zat|zit|zaten|zitten|gezeten|ging|gaat|gingen|gaan)\s+(?:(?:ik|hij|zij|ze|je|jij|hij|toen|nog|al|"
            rf"ook|vroeger|daar|zelf|gewoon)\s+){{0,3}}(?:op|naar)\s+(?:het\s+|de\s+)?((?:De\s+|Het\s+|'t\s+)?{_NAMES})"
            rf"(?=\s*[,.;:!?)]|\s+(?:en|maar|toen|dus|want|of|in|tot|waar|daar|school|gezeten|gegaan|geweest|ging|"
            rf"zat|gaat|zit)\b)"
        ),
        1,
    ),
    # workplaces: "Bakkerij Van Dijk", "Garage Hoekstra", "Tandartspraktijk De Vries"
    ("werkplek", _c(rf"\b(?:{_WORKPLACE_WORDS})\s+(?:(?:De|Het|Den|Van|van|de|der|den|'t|Ter|ter)\s+)*{_ORG_NAMES}"), 0),
]

#: Workplaces after "werk bij/voor", "stage bij": the name only; public bodies are left out by the caller.
WORK_AT_RE = _c(
    r"\b(?:werk|werkt|werkte|werken|werkten|gewerkt|stage|stagiair|stagiaire|solliciteerde|baan|job|works?|worked|"
    r"working)\s+(?:(?:nu|al|ook|daar|toen|sinds\s+kort|jaren|lang|eerst|vroeger|later|nog|er|zelf|parttime|"
    r"fulltime)\s+){0,2}(?:bij|voor|at|for|in)\s+(?:(?:de|het|een|the|a)\s+)?"
    rf"({_ORG_NAMES})"
)

GENERIC_SCHOOLS = {
    "basisschool",
    "school",
    "middelbare school",
    "hogeschool",
    "college",
    "lyceum",
    "gymnasium",
    "atheneum",
    "academie",
    "brede school",
    "kindcentrum",
    "de basisschool",
    "scholengemeenschap",
    "vrije school",
    "mavo",
    "havo",
    "vmbo",
    "roc",
}

KENTEKEN_RE = _c(r"(?<![\w-])([A-Z0-9]{1,3})-([A-Z0-9]{1,3})-([A-Z0-9]{1,3})(?![\w-])")
POSTCODE_RE = _c(r"^\d{4}\s?[A-Za-z]{2}$")


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


def pattern_spans(text: str) -> list[Span]:
    """Everything the patterns find in `text` (overlaps are merged later)."""
    out = []
    for label, pattern, group in PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span(group)
            if s < 0 or e <= s:
                continue
            found = text[s:e]
            if label == "school" and " ".join(found.casefold().split()) in GENERIC_SCHOOLS:
                continue
            out.append(Span(s, e, label, found))
    for m in KENTEKEN_RE.finditer(text):
        if is_kenteken(m.groups()):
            out.append(Span(m.start(), m.end(), "kenteken", m.group()))
    return out
