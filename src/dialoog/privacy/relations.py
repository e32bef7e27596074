"""Organisations tied to a person, and ages said again.

The convention (README, "Pseudonymisation"): public bodies stay readable in every sentence, also as someone's
employer, school or care provider (the municipality, the police, universities, hogescholen and ROCs, UMCs,
national institutes); any other
named organisation is personal data when the text ties it to a person ("gesprekken bij Dimence", "ik heb bij
Kwadraad gezeten", "ze studeert aan het Vellesan", "werkzaam als monteur bij Koeltechniek Maasmond B.V.") and
stays readable when it is named as an actor in the local network ("Sensire doet de thuiszorg in de regio").
Care providers named by their kind ("Thuiszorg De Slinge", "GGZ Oost Brabant", "Gezondheidscentrum
Kanaalzijde") are masked wherever they occur, as workplaces named by their kind are, unless the name after the
kind is a region ("GGZ Noord-Holland-Noord": a regional organisation, masked where the text ties it to a
person); every other mention of an organisation tied to a person is masked too.

Ages said again: an age-like number shortly after an age is an age too ("Zesenveertig. Over negen maanden
zevenenveertig.", "sânentweintich, zevenentwintig", "Eenendertig. Thirty-one"), as is the answer to a
question about someone's age ("Hoe oud bent u? KODDE: Vuufenzeuventig.").
"""

from __future__ import annotations

import re
from functools import lru_cache

from dialoog.privacy.context import STREET_END, lower_case_regions
from dialoog.privacy.lexicon import Span, Words, trie_pattern
from dialoog.privacy.numbers import dialect_number_pattern, number_words
from dialoog.privacy.patterns import _NAME, _P, _w, pattern_spans
from dialoog.privacy.scan import word_matches

#: An organisation's name: capitalised words, with the small words inside names ("Leger des Heils").
_ORG = rf"{_NAME}(?:\s+(?:B\.V\.?|N\.V\.?)|\s+(?:(?:de|der|des|van|en|&)\s+)*{_NAME})*"
_ART = r"(?:(?:de|het|the|een|a)\s+)?"

_CARE_KINDS = (
    "Thuiszorg|Zorggroep|Zorgorganisatie|GGZ|Jeugd-GGZ|Gezondheidscentrum|Psychologiepraktijk|Psychologie|"
    "Therapiepraktijk|Revalidatiecentrum|Hospice|Zorgcentrum|Woonzorg|Zorgpunt|Jeugdhulp|Jeugdzorg|Dagbesteding|"
    "Huisartsen|Verpleeghuis|Zorgboerderij|Wijkverpleging"
)
#: A care provider by its kind in a lower-case line (speech-to-text, chat): "thuiszorg de duinrand".
_LOWER_CARE_RE = re.compile(
    r"(?<![\w-])(?:thuiszorg|dagbesteding|zorgcentrum|verpleeghuis|zorgboerderij|jeugdhulp|jeugdzorg|"
    r"huisartsenpraktijk|psychologenpraktijk|ggz|revalidatiecentrum|hospice)\s+(?:de|het|'t)\s+([a-zà-ÿ][\w-]{3,})"
    r"|(?<![\w-])huize\s+([a-zà-ÿ][\w-]{3,})"
)
CARE_KIND_PATTERNS = [
    _P(
        "zorginstelling",
        rf"{_w(_CARE_KINDS, capitalised=False)}"
        rf"\s+(?:(?:De|Het|Den|'t|Van|van|de)\s+)*{_NAME}(?:\s+{_NAME})*",
        gate=(
            "Thuiszorg",
            "Zorg",
            "GGZ",
            "zorg",
            "Gezondheidscentrum",
            "Psycholog",
            "Therapie",
            "Revalidatie",
            "Hospice",
            "Jeugd",
            "Dagbesteding",
            "Huisartsen",
            "Verpleeghuis",
            "Wijkverpleging",
        ),
    ),
]

#: A school or workplace named right after the word for it: "op een dovenschool, Instituut Sint-Willibrord",
#: "een basisschool in Bennekom, De Wegwijzer", "op school, op het Simon Vestdijk", "bij de textielfabriek, bij
#: Tricot Ter Haar" (the kind may end a longer word: "dovenschool", "textielfabriek")
APPOSITION_RE = re.compile(
    rf"(?P<kind>{trie_pattern('school|college|lyceum|fabriek|bedrijf|winkel|zaak|kwekerij|bakkerij'.split('|'))})"
    rf"(?:\s+(?:in|uit)\s+{_NAME})?\s*,\s+(?:(?:op|bij|naar|in)\s+)?(?:het\s+|de\s+)?"
    rf"(?P<name>(?:(?:De|Het|'t)\s+)?{_ORG})(?=\s*[,.;:)(]|\s+(?:in|hier|daar|en|waar)\b)"
)
#: Words that tie what follows "bij", "van", "naar" or "aan" to the person's care, school or work.
_CUES = {
    "zorginstelling": "gesprekken gesprek gesprekjes behandeling behandeld therapie begeleiding opvang opgenomen "
    "ingeschreven aangemeld wachtlijst psycholoog psychologe psychiater therapeut behandelaar praktijkondersteuner "
    "cliënt client patiënt patient doorverwezen verwezen door thuiszorg hulp zorg psychologist psychiatrist "
    "therapist therapy treatment treated referred intake",
    "school": "studeert studeer studeerde studeren studeerden student studente studenten studying studies studied "
    "opleiding leerling leerlinge mentor mentrix eindexamen examen diploma",
    "werkplek": "werkzaam dienst predikant dominee pastor imam priester engineer nurse teacher developer consultant "
    "analyst working employed aangenomen",
}
_CUE_LABEL = {w: label for label, words in _CUES.items() for w in words.split()}
_FILL = r"(?:\s+(?:nu|nog|al|ook|toen|weer|eerst|even|gehad|gekregen|gedaan|gevolgd|daar|there|now|still))*"
#: (at the start of a word: a lookbehind, faster here than `word_matches`, which would stop at every word that
#: starts like a cue)
RELATION_RE = re.compile(
    rf"(?<!\w)(?P<cue>{trie_pattern(_CUE_LABEL)})(?:\s+(?:me|him|her|them|us)|\s+als\s+\w+)?(?:\s+(?!(?:in|aan|op|de|het|een|bij|van|naar|met)\b)[a-zà-ÿ]+){{0,3}}?,?\s+"
    rf"(?:bij|van|naar|aan|op|at|to|with|for|from){_FILL}\s+{_ART}(?P<name>{_ORG})"
)
#: "ze zit in groep vier van De Zeester", "in groep 8 op De Regenboog"
GROUP_RE = re.compile(
    rf"groep\s+(?:[1-8]|een|twee|drie|vier|vijf|zes|zeven|acht)\s+(?:van|op)\s+(?:de\s+|het\s+)?"
    rf"(?P<name>(?:(?:De|Het|'t)\s+)?{_ORG})"
)
#: "ik heb bij Kwadraad gezeten", "bij Lentis in behandeling"
AFTER_RE = re.compile(
    rf"bij\s+{_ART}(?P<name>{_ORG})\s+(?:in\s+{_NAME}\s+)?(?:gezeten|in\s+behandeling|onder\s+behandeling|"
    rf"in\s+therapie|in\s+zorg|op\s+de\s+wachtlijst|gelopen|in\s+begeleiding|"
    rf"geweest,?\s+voor\s+(?:gesprekken|therapie|behandeling|hulp|begeleiding))\b"
)
#: "veertig jaar bij de Rabobank gewerkt"
AFTER_WORK_RE = re.compile(
    rf"bij\s+{_ART}(?P<name>{_ORG})\s+(?:[a-z]+\s+){{0,3}}?(?:gewerkt|gewerkt|werk|werkte|werkt|in\s+dienst)\b"
)
#: "Rokerij De Botter, waar ik nu negentien jaar werk", "het Vellesan, waar mijn dochter op zit"
_WHERE_RE = re.compile(
    r",\s+waar\s+(?:ik|hij|zij|ze|je|jij|u|we|wij|mijn\s+\w+|zijn\s+\w+|haar\s+\w+)\s+(?:[a-zà-ÿ]+\s+){0,4}?"
    r"(?P<verb>werk|werkt|werkte|gewerkt|werken|werkten|zit|zat|zitten|studeer|studeert|studeerde|op\s+zit|op\s+zat)\b"
)
_NAME_BEFORE = re.compile(rf"(?<![\w-])(?P<name>(?:(?:De|Het|'t)\s+)?{_ORG})$")


def organisation_spans(words: Words, text: str, regions: list[tuple[int, int]] | None = None) -> list[Span]:
    """Care providers by their kind, and organisations the text ties to a person's care, school or work."""
    # a care provider by its kind, unless its name is a region ("GGZ Noord-Holland-Noord", "Thuiszorg West-Brabant":
    # a regional organisation, masked only where the text ties it to a person, below)
    out = [s for s in pattern_spans(text, CARE_KIND_PATTERNS) if not words.is_readable_name(s.text.split(None, 1)[1])]
    if "de " not in text and "het " not in text:
        regions = []
    elif regions is None:
        regions = lower_case_regions(text)
    for a, b in regions:
        for m in _LOWER_CARE_RE.finditer(text, a, b):
            name = m.group(1) or m.group(2)
            if not words.is_common_word(name) and not words.is_readable_name(name):
                out.append(Span(m.start(), m.end(), "zorginstelling", m.group()))
    for m in RELATION_RE.finditer(text):
        if m.group("cue") != "dienst" or text[max(0, m.start() - 3) : m.start()] == "in ":
            out.extend(_named(words, text, m, _CUE_LABEL[m.group("cue")]))
    for m in word_matches(AFTER_RE, text):
        out.extend(_named(words, text, m, "zorginstelling"))
    if "groep " in text:
        for m in word_matches(GROUP_RE, text):
            out.extend(_named(words, text, m, "school"))
    for m in word_matches(AFTER_WORK_RE, text):
        out.extend(_named(words, text, m, "werkplek"))
    if ", waar " in text:
        for w in _WHERE_RE.finditer(text):
            m = _NAME_BEFORE.search(text, max(0, w.start() - 60), w.start())
            if m:
                out.extend(_named(words, text, m, "werkplek" if w.group("verb").startswith("werk") else "school"))
    if "," in text:
        for m in APPOSITION_RE.finditer(text):
            school = m.group("kind").lower().endswith(("school", "college", "lyceum"))
            out.extend(_named(words, text, m, "school" if school else "werkplek"))
    return out + _mentioned_again(text, out)


def _mentioned_again(text: str, found: list[Span]) -> list[Span]:
    """Every other mention of an organisation tied to a person ("Bij de Rabobank was dat vroeger ook zo")."""
    out = []
    for name, label in {(s.text, s.label) for s in found if s.text[:1].isupper()}:
        out += [Span(m.start(), m.end(), label, name) for m in _mention_of(name).finditer(text)]
    return out


@lru_cache(maxsize=4096)
def _mention_of(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


def _named(words: Words, text: str, m: re.Match[str], label: str) -> list[Span]:
    name = m.group("name")
    first = name.split()[0]
    bare = re.sub(r"^(?:Stichting|Vereniging|Coöperatie)\s+", "", name)
    if (
        words.is_readable_name(name)
        or words.is_readable_name(first)
        or words.is_readable_name(bare)
        or (len(name.split()) == 1 and (words.is_known_first_name(name) or words.is_common_word(name)))
        or (" " not in name and STREET_END.search(name))  # a street ("aan de Bruggestraat")
    ):
        return []  # a public body or place, a person ("hulp van Marieke"), a word ("bij Pride", "naar Huis")
    return [Span(m.start("name"), m.end("name"), label, name)]


_AGE_WORDS = {w for w in number_words(13, 110)} | {w.capitalize() for w in number_words(13, 110)}
_DIALECT_AGE = re.compile(dialect_number_pattern())
_EN_AGE = (
    r"(?:[Tt]wenty|[Tt]hirty|[Ff]orty|[Ff]ifty|[Ss]ixty|[Ss]eventy|[Ee]ighty|[Nn]inety)"
    r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
)
_EN_AGE_RE = re.compile(_EN_AGE)
_NUMBER_TOKEN = re.compile(rf"\b(?:1[3-9]|[2-9]\d|10\d)\b(?!\s*(?:[.,:]\d|%))|{_EN_AGE}\b|[^\W\d_]+")
_AFTER_AGE = re.compile(
    r"(?![:.]\d)[ \t]*(?:[,.;:!?)\]\"”…\n]|$|\s+(?:jaar\s+oud|en|maar|dus|toen|misschien|denk)\b|\s+\d{1,2}\.\s)"
)
#: After the answer to an age question anything may follow but a unit ("Zeventien sinds vorige week").
_ANSWER_AFTER = re.compile(
    r"(?![:.]\d)(?!\s*(?:jaar|jr|keer|minuten|uur|euro|km|kilometer|dagen|weken|maanden|procent|%)\b)"
)
_AGE_QUESTION = re.compile(
    r"(?:[Hh]oe\s+oud|[Ll]eeftijd|LEEFTIJD|HOE\s+OUD|[Hh]ow\s+old|your\s+age)\b[^?\n]{0,60}(?:\?|$)", re.MULTILINE
)
_LABEL_START = re.compile(
    r"\s*(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s*(?:-\s*)?)?(?:[^\s:\d][^\s:]{0,24}(?:\s[^\s:]{1,25}){0,2}:\s+)?"
)


def _age_token_at(text: str, m: re.Match[str], after: re.Pattern[str] | None = None) -> bool:
    token = m.group()
    if not (token[0].isdigit() or token in _AGE_WORDS or _DIALECT_AGE.fullmatch(token) or _EN_AGE_RE.fullmatch(token)):
        return False
    return (after or _AFTER_AGE).match(text, m.end()) is not None


def repeated_ages(text: str, spans: list[Span]) -> list[Span]:
    """Answers to a question about someone's age, and ages said again after an age (a correction, a
    translation, next year's age)."""
    out = []
    if "oud" in text or "eeftijd" in text or " age" in text:
        for q in _AGE_QUESTION.finditer(text):
            lead = _LABEL_START.match(text, q.end())
            m = _NUMBER_TOKEN.match(text, lead.end()) if lead else None
            if m and _age_token_at(text, m, _ANSWER_AFTER):
                out.append(Span(m.start(), m.end(), "leeftijd", m.group()))
    for s in [s for s in spans if s.label == "leeftijd"] + out:
        words = 0
        for m in _NUMBER_TOKEN.finditer(text, s.end, min(len(text), s.end + 48)):
            if _age_token_at(text, m):
                out.append(Span(m.start(), m.end(), "leeftijd", m.group()))
                break
            words += 1
            if words > 4 or "\n" in text[s.end : m.start()]:
                break
    return out


#: Words that tie a hospital to someone's care or work ("werkt als verpleegkundige in het Deventer Ziekenhuis",
#: "fysio bij Zuyderland", "de eerste hulp bij Bernhoven"); without them a hospital is an actor in the network
#: ("het Refaja Ziekenhuis krijgt een protocol", "de vlag bij het Spaarne Gasthuis").
_TIE = re.compile(
    r"(?i)(?<!\w)(?:werk\w*|gewerkt|verpleegkundige|verpleger|arts|specialist|schoonmaakster|schoonmaker|"
    r"behandel\w*|opgenomen|patiënt|fysio\w*|bevallen|geboren|eerste\s+hulp|spoedeisende\s+hulp|seh|poli\w*|"
    r"afspraak|operatie|geopereerd|stage|doorverwezen|verwezen|lag|ligt|lagen|liggen|opname|work\w*|nurse|treated|"
    r"gestorven|overleden|stierf|bevallen|"
    r"admitted)(?!\w)"
)


def tied(text: str, start: int) -> bool:
    """Whether the words of the sentence before `start` (at most 80 characters) tie the organisation that
    starts there to someone's care or work."""
    begin = max(0, start - 80)
    cut = max(text.rfind(c, begin, start) for c in ".!?\n")
    return _TIE.search(text, max(begin, cut + 1), start) is not None


#: An organisation's name goes on over "& Zn." and the full stop of an abbreviation that ends it.
_NAME_GOES_ON = re.compile(r"\s*&\s*(?:Zn|Zonen|Co|Dochters?)\b\.?|\.(?=\s|$|[,;:)])")
_ENDS_ABBREVIATED = re.compile(r"(?:^|\W)(?:Zn|Co|Gebr|Fa|Jr|Sr|Inc|Ltd)$")
#: ... and starts at a capitalised compound joined to it ("Hotel-Restaurant De Geulvallei", "Chinees-Indisch
#: Restaurant De Gouden Draak")
_COMPOUND_BEFORE = re.compile(r"(?<![\w-])[A-Z\u00c0-\u00de]\w*-(?:[A-Z\u00c0-\u00de]\w*\s)?$")
_ORGANISATION_LABELS = ("werkplek", "school", "zorginstelling")


def widened(text: str, spans: list[Span]) -> list[Span]:
    """Organisations' spans over the whole name: "Bouwbedrijf Gerritsen & Zn.", "Hotel-Restaurant ..."."""
    out = []
    for s in spans:
        if s.label in _ORGANISATION_LABELS:
            start, end = s.start, s.end
            m = _NAME_GOES_ON.match(text, end)
            if m and (m.group().strip() != "." or _ENDS_ABBREVIATED.search(text, max(0, end - 6), end)):
                end = m.end()
            b = _COMPOUND_BEFORE.search(text, max(0, start - 40), start)
            if b:
                start = b.start()
            if (start, end) != (s.start, s.end):
                s = Span(start, end, s.label, text[start:end])
        out.append(s)
    return out
