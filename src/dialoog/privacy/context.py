"""Names and workplaces found by the words around them, and the lower-case stretches of a transcript.

Speech-to-text output and chat messages are often written in lower case ("ik ben sjoukje de boer"), also
when the other speaker writes normally, so the lower-case rules run per line (`lower_case_regions`): a line
whose sentences (after a timestamp or speaker label) all start in lower case. The rules need the
detector's word lists, passed as a `Words` object (`dialoog.privacy.detect.Detector` is one).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dialoog.privacy.key import _norm
from dialoog.privacy.lexicon import Span, Words, trie_pattern
from dialoog.privacy.persons import _demonym
from dialoog.privacy.scan import word_matches


def cased(words: str) -> str:
    """A trie of `words` ("a|b") and their capitalised forms. A regex that starts with literal letters lets
    `re` skip ahead to them; one that starts with ``[Dd]`` makes it try every position."""
    items = words.split("|")
    return trie_pattern(items + [w[:1].upper() + w[1:] for w in items])


_L = r"[^\W\d_]"  # a letter of any script ("ı" in "Yıldız", "ş" in "Gülşen")
_INTERFIX = r"(?:van|de|der|den|ter|ten|te|el|al|het|'t)"

#: Words before a lower-case name ("met jan", "mijn vriendin fleur", "een collega, jamal"): the word after them
#: is looked up.
_WS = r"[\s(\"“‘']"  # a word start that `re` can skip ahead to (the text's first word is never one of these)
_LOWER_NAME_RE = re.compile(
    _WS + r"(?:met|heet|heette|genaamd|noemt|noemde|vriend|vriendin|vriendje|vriendinnetje|collega|buurman|buurvrouw|"
    r"broer|zus|zusje|broertje|partner|neef|nicht|tante|oom|dochter|zoon|ex|juf|meester|called|named|friend|"
    r"and|en|of|dat|toen|want|maar|bij|van|voor|tegen|zei|vroeg),?\s+([a-zà-ÿ][a-zà-ÿ'-]{2,})(?![\w@-])"
)
_KIN_NAME_RE = re.compile(
    _WS + r"(?:zoon|dochter|zoontje|dochtertje|broer|zus|zusje|broertje|neef|nicht|vriend|vriendin|vriendje|partner|"
    r"man|vrouw|buurman|buurvrouw|collega|moeder|vader|oom|tante|opa|oma|kleinzoon|kleindochter|ex|son|daughter|"
    rf"brother|sister|friend|boyfriend|girlfriend|husband|wife|broor|breur|zöster|moder),?\s+"
    # (and a surname when a comma follows: "buurvrouw, Door Schaap,")
    rf"([A-Z\u00c0-\u00de]{_L}{{2,}}(?:\s+[A-Z\u00c0-\u00de]{_L}+(?=\s*[,;:)]))?)(?![\w-])"
)
#: A name in apposition after a person: "een man, Frans, die ...", "een jongen uit Eritrea, Mehari." (a first name
#: even when it is also a word).
#: (the regex starts at the person's noun, so that `re` skips ahead to it; the determiner before it is checked
#: by `_DETERMINER_END`)
_PERSON_APPOSITION_RE = re.compile(
    trie_pattern(
        "man vrouw jongen meisje vriend vriendin collega buurman buurvrouw jongeman dame heer kerel gast meid dochter "
        "zoon moeder vader zus broer oma opa grootmoeder grootvader tante oom nicht neef partner schoonmoeder "
        "schoonvader jongste oudste".split()
    )
    + r"(?:\s+(?:uit|van|in)\s+[A-Z\u00c0-\u00de][\w-]+)?"
    rf",\s+([A-Z\u00c0-\u00de]{_L}{{2,}})(?=\s*[,.;])"
)
_DETERMINER_END = re.compile(
    r"(?:^|\s)(?:[Ee]en|[Mm]ijn|m'n|mn|[Oo]nze|[Zz]ijn|[Hh]aar|[Aa]ndere)\s+(?:[a-zà-ÿ]+\s+){0,2}$"
)
#: A capitalised word between commas before a personal pronoun: "One of them, Tomek, he is okay."
_APPOSITION_NAME_RE = re.compile(
    rf",\s+([A-Z\u00c0-\u00de]{_L}+(?:-[A-Z\u00c0-\u00de]{_L}+)?(?:\s+(?:{_INTERFIX}\s+){{0,2}}[A-Z\u00c0-\u00de]{_L}+)?),"
    r"\s+(?:he|she|hij|zij|ze|die)\b"
)
_SAY = (
    r"zei|zegt|vroeg|vraagt|vertelde|vertelt|belde|belt|appte|appt|mailde|mailt|schreef|ontmoette|kende|heette|"
    r"noemde|hielp|steunde|zag|hoorde|said|asked|told|called|texted"
)
#: A rare capitalised word after or before a verb of speaking or contact: "belde Tsegereda", "zei Jurgenson",
#: "Oyelaran vertelde" (names that deduce's lists lack).
_SAY_NAME_RE = re.compile(
    rf"{_WS}(?:{cased(_SAY)})\s+(?:(?:ik|me|mij|hij|ze|zij|ook|toen|nog|dan|I|me|he|she)\s+)?"
    rf"([A-Z\u00c0-\u00de]{_L}+(?:-[A-Z\u00c0-\u00de]{_L}+)*)"
)
_SAYS_RE = re.compile(rf"\s(?:{_SAY})\b")  # (the name before it: `_NAME_END_RE`)
_NAME_END_RE = re.compile(rf"(?<![\w-])([A-Z\u00c0-\u00de]{_L}+(?:-[A-Z\u00c0-\u00de]{_L}+)*)$")
#: A family by its name ("de familie Bouzidi", "het gezin Van Dijk") and Irish or Italian-style names with an
#: apostrophe ("O'Brien", "D'Souza").
_FAMILY_NAME_RE = re.compile(
    rf"{cased('familie|gezin|fam.')}\s+((?:(?:{_INTERFIX}|Van|De|Den|Ter|Ten|El|Al)\s+){{0,3}}"
    rf"[A-Z\u00c0-\u00de]{_L}+(?:-[A-Z\u00c0-\u00de]{_L}+)*)"
)
_APOSTROPHE_NAME_RE = re.compile(rf"{_WS}([ODL]['’][A-Z\u00c0-\u00de]{_L}{{2,}})")
#: A nickname: "iedereen zegt momo", "ze noemen me Bo", "call me Kat".
_NICKNAME_RE = re.compile(
    r"(?:iedereen\s+zegt|ze\s+zeggen|iedereen\s+noemt\s+me|noem(?:t|en|de|den)?\s+(?:me|mij|hem|haar)|"
    r"bijnaam\s+(?:is|was)|[Cc]all\s+me|calls\s+me)\s+[\"“'‘]?([^\W\d_][\w'-]+)"
)
#: A title before a capitalised name ("dokter Yıldız", "agent Hoekstra", "zuster Joyce").
_TITLE_NAME_RE = re.compile(
    _WS
    + cased(
        "dokter|dr.|dr|meneer|mevrouw|mevr.|mw.|dhr.|juf|meester|zuster|broeder|agent|wijkagent|imam|pastoor|"
        "dominee|Mr|Mr.|Mrs|Mrs.|Ms|Ms.|officer|doctor|wethouder|burgemeester|raadslid|directeur|directrice|"
        "vrijwilliger|vrijwilligster|stagiair|stagiaire|jongerenwerker|buurtwerker|coördinator"
    )
    + r"\s+"
    rf"((?:(?:{_INTERFIX}|Van|De|Den|Ter|Ten)\s+){{0,3}}[A-Z\u00c0-\u00de]{_L}+(?:['’-]{_L}+)*)"
)
#: Titles after which a word is a surname even when it is also a word ("Dr. Pauw", "mevrouw Kok").
_HONORIFIC = re.compile(
    r"\W*(?:[Dd]r\.?|[Dd]okter|[Dd]octor|[Mm]eneer|[Mm]evrouw|[Mm]evr\.|[Mm]w\.|[Dd]hr\.|Mrs?\.?|Ms\.?)\s"
)
#: A name that ends as a street does ("Burgemeester Kuperusplein", "Bruggestraat"): no person, no organisation.
STREET_END = re.compile(
    r"(?:straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|dreef|markt|park|haven|plantsoen|boulevard|Street|Road)$"
)
_OWNER_END = re.compile(r"(?:^|\s)(?:[Mm]ijn|m'n|mn|[Zz]ijn|z'n|[Hh]aar|[Oo]nze|[Mm]y|[Hh]is|[Hh]er|[Oo]ur)\s$")
_ARTICLE_END = re.compile(r"(?:^|\s)(?:de|het|onze|jullie)\s$")
#: A line's sentence starts (after a timestamp "[16:02]" or a speaker label "jongere:").
_CAPITAL_START_RE = re.compile(r"(?:^|[.!?:]\s+)[\"“(]?[A-Z\u00c0-\u00de]")
_LINE_LABEL_RE = re.compile(r"\s*(?:\[[^\]\n]{0,20}\]\s*)?(?:[*_]{0,2}[\w .'-]{1,30}:[*_]{0,2}\s+)?")
_LOWER_WORD_RE = re.compile(
    rf"([a-zà-ÿ]{{3,}})(?:\s+{_INTERFIX}){{0,3}}(?:(?<=\s(?:van|der|den|ter|ten))\s+[a-zà-ÿ]{{3,}})?(?![\w@-])"
)
#: A lower-case word, interfixes and a surname that deduce knows to follow them ("kevin de jong").
_LOWER_SURNAME_RE = re.compile(
    r"([a-zà-ÿ]{3,})\s+((?:van\s+(?:de|der|den)|in\s+'t|op\s+de|de|van|ter|ten|den|der|el|al))\s+([a-zà-ÿ]{3,})(?![\w@-])"
)
_ROLE_WORDS = (
    r"(?:burgemeester|wethouder|directeur|directrice|voorzitter|dokter|agent|rector|conrector|mentor|docent|"
    r"leraar|lerares|minister|president|pastoor|dominee|huisarts|juf|meester)"
)
_LOWER_TITLE_RE = re.compile(
    r"(?:mevrouw|meneer|juf|meester|dokter|mw|dhr|agent|wijkagent|zuster|broeder)\.?\s+"
    rf"((?:{_INTERFIX}\s+){{0,3}}(?!{_ROLE_WORDS}\b)[a-zà-ÿ][\w'-]+)"
)
_LOWER_WORK_RE = re.compile(
    r"(?:werk|werkt|werkte|werken|gewerkt|stage|baan)\s+(?:\w+\s+){0,3}(?:bij|voor)\s+(?:(?:de|het)\s+)?([a-zà-ÿ]{3,})\b"
)
#: A street and number in lower case, with the postcode after it: "sprengenweg 41 eh 7331 ks".
_LOWER_ADDRESS_RE = re.compile(
    r"[a-zà-ÿ]+(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|steeg|pad|dreef|park|baan|markt|wal|haven|"
    r"plantsoen|erf|ring|vest|veld|hoek|akker|tuin|pleintje|straatje|buorren|dam|dyk)\s+\d{1,4}(?:\s?[a-z](?!\w))?"
    r"(?:(?:\s+(?:eh|uh|ehm))*\s+\d{4}\s?[a-z]{2}(?!\w))?(?![\w@-])"
)
_LOWER_AT_SCHOOL_RE = re.compile(
    r"(?:zit|zat|zitten|zaten|ga|gaat|ging|gingen)\s+(?:\w+\s+){0,2}op\s+(?:het|de)\s+"
    r"((?:[a-zà-ÿ]{3,}\s+(?=[a-zà-ÿ]+(?:school|college|lyceum)(?![\w@-])))?[a-zà-ÿ]{3,})(?![\w@-])"
)
_LOWER_NAME_AGE_RE = re.compile(r"([a-zà-ÿ]{3,}),\s+(1[0-9]|[2-9]\d|\d),")
_NEXT_WORD_RE = re.compile(r" ([a-zà-ÿ]{3,})(?![\w@-])")
#: words after the article that are no name ("bij de supermarkt de hele dag")
NOT_A_NAME = frozenset("hele heel eerste laatste rest meeste andere zelfde nieuwe oude grote kleine".split())
#: A shop or business in lower case ("bakkerij van der meer", "garage hoekstra").
_LOWER_BUSINESS_RE = re.compile(
    r"(?:bakkerij|slagerij|kapsalon|kapper|garage|autobedrijf|bouwbedrijf|loonbedrijf|restaurant|café|cafe|"
    r"snackbar|cafetaria|lunchroom|pizzeria|eetcafé|bloemenzaak|hotel|apotheek|tandartspraktijk|huisartsenpraktijk|fysiotherapie|boekhandel|bloemist|kwekerij|"
    r"makelaardij|drukkerij|camping|manege|supermarkt|winkel|verpleeghuis|verzorgingshuis|woonzorgcentrum)\s+"
    r"((?:(?:van|de|der|den|ter|ten|'t|t|het)\s+)*)([a-zà-ÿ]{3,})(?![\w@-])"
)


#: A school named in apposition: "op de basisschool van lieke, de it harnas,", "haar school, Het Baken."
_SCHOOL_NAMED_RE = re.compile(
    cased("basisschool|school|middelbare school|middelbare")
    + r"(?:\s+van\s+(?:[\w'’-]+\s+){0,2}[\w'’-]+)?\s*,\s+(?:de|het|'t|De|Het)\s+"
    r"((?:[\w'’-]+\s+)?[\w'’-]+)(?=\s*[,.;)])"
)


_LINE_RE = re.compile(r"[^\n]+")
_THREE_LOWER_RE = re.compile(r"[a-zà-ÿ]{3}")


def lower_case_regions(text: str) -> list[tuple[int, int]]:
    """The lines of `text` written in lower case: no sentence (after a timestamp or speaker label) starts
    with a capital."""
    out = []
    for m in _LINE_RE.finditer(text):
        label = _LINE_LABEL_RE.match(text, m.start(), m.end())
        start = label.end() if label else m.start()
        body = text[start : m.end()]
        if _THREE_LOWER_RE.search(body) and not _CAPITAL_START_RE.search(body):
            out.append((start, m.end()))
    return out


def _in(regex: re.Pattern[str], text: str, regions: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """Matches of `regex` inside `regions` that start a word."""
    for a, b in regions:
        for m in regex.finditer(text, a, b):
            i = m.start()
            if i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_@.-"):
                yield m


def _starts_word(text: str, i: int) -> bool:
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")


def context_names(w: Words, text: str, regions: list[tuple[int, int]] | None = None) -> list[Span]:
    """Names found by the words around them: a first name in lower case after a word that introduces a
    person ("met jan"), an unknown capitalised word after a kinship word or title ("onze zoon Tsjalle",
    "dokter Yıldız"), and in lower-case lines (speech-to-text, chat) every first name, "ik ben noor van den
    berg", "kevin de jong", "mevrouw de kok", "agent hoekstra", "werkt bij de jumbo" and "bakkerij van der meer".
    `regions`: `lower_case_regions(text)` when the caller has them already."""
    out = []
    padded = " " + text  # regexes that start at the space before a word (`_WS`) find the first word too

    def found(m: re.Match[str], label: str = "persoon") -> Span:
        return Span(m.start(1) - 1, m.end(1) - 1, label, m.group(1))

    out += [found(m) for m in _LOWER_NAME_RE.finditer(padded) if w.is_name_word(m.group(1))]
    for regex in (_KIN_NAME_RE, _TITLE_NAME_RE, _APPOSITION_NAME_RE, _FAMILY_NAME_RE):
        for m in regex.finditer(padded):
            word = m.group(1)
            if word.startswith("van ") and _ARTICLE_END.search(padded, max(0, m.start() - 5), m.start() + 1):
                continue  # "de wijkagent van Stadsweiden": the role of a place, not "agent Van Dijk"
            if STREET_END.search(word):
                continue  # "aan de Burgemeester Kuperusplein"
            # "Wethouder Van der Meer": a surname even when its last word is a word; "mijn vriendin Juni": a name
            surname = (
                " " in word
                or (regex is _KIN_NAME_RE and _OWNER_END.search(padded, max(0, m.start() - 8), m.start() + 1))
                or (regex is _TITLE_NAME_RE and _HONORIFIC.match(padded, m.start()) is not None)
            )
            if (surname or not w.is_common_word(word.split()[-1])) and _norm(word) not in w._allowed_words:
                out.append(found(m))
    for m in word_matches(_PERSON_APPOSITION_RE, text):
        if not _DETERMINER_END.search(text, max(0, m.start() - 40), m.start()):
            continue
        word = m.group(1)
        # in apposition to a person ("een aardige jonge vrouw, Mei, een Chinees meisje", "een dochter, Zon."): a
        # name, also when it is a word; not a nationality ("mijn vriendin, Marokkaanse,")
        if not _demonym(word) and _norm(word) not in w._allowed_words:
            out.append(Span(m.start(1), m.end(1), "persoon", word))
    if "'" in text or "’" in text:
        out += [found(m) for m in _APOSTROPHE_NAME_RE.finditer(padded)]
    for m in _NICKNAME_RE.finditer(text):
        if not w.is_common_word(m.group(1)) and _norm(m.group(1)) not in w._allowed_words:
            out.append(Span(m.start(1), m.end(1), "persoon", m.group(1)))
    said = list(_SAY_NAME_RE.finditer(padded))
    before = (_NAME_END_RE.search(padded, max(0, m.start() - 40), m.start()) for m in _SAYS_RE.finditer(padded))
    said += [m for m in before if m is not None]
    out += [found(m) for m in said if all(w.is_rare_word(p) for p in m.group(1).split("-"))]
    for m in _SCHOOL_NAMED_RE.finditer(text):
        name = m.group(1)
        if _starts_word(text, m.start()) and not all(w.is_common_word(x) for x in name.split()):
            out.append(Span(m.start(1), m.end(1), "school", name))
    if regions is None:
        regions = lower_case_regions(text)
    if regions:
        out += _lower_case_names(w, text, regions)
    return out


def _lower_case_names(w: Words, text: str, regions: list[tuple[int, int]]) -> list[Span]:
    out = []
    for m in _in(_LOWER_WORD_RE, text, regions):
        if w.is_name_word(m.group(1)):
            out.append(Span(m.start(), m.end(), "persoon", m.group()))
    for m in _in(_LOWER_NAME_AGE_RE, text, regions):  # "een meisje, lina, 16, die ..."
        if w.is_name_word(m.group(1)):
            out.append(Span(m.start(2), m.end(2), "leeftijd", m.group(2)))
    for s in list(out):  # "noortje bakker": a surname that is also a word, after a first name
        after = _NEXT_WORD_RE.match(text, s.end)
        if s.label == "persoon" and after and w.is_surname(after.group(1).capitalize()):
            out.append(Span(s.start, after.end(), "persoon", text[s.start : after.end()]))
    for m in _in(_LOWER_SURNAME_RE, text, regions):
        first, surname = m.group(1), m.group(3)
        if (
            w.is_interfix_surname(surname.capitalize())
            and not w.is_common_word(first)
            and _norm(first) not in w._allowed_words
        ):
            out.append(Span(m.start(), m.end(), "persoon", m.group()))
    for m in _in(_LOWER_TITLE_RE, text, regions):
        words = m.group(1).split()
        if len(words) > 1 or not w.is_common_word(words[0]):  # "mevrouw de kok"; not "agent heeft"
            out.append(Span(m.start(1), m.end(1), "persoon", m.group(1)))
    for m in _in(_LOWER_WORK_RE, text, regions):
        word = m.group(1)
        if _KIND_END.search(word):
            continue  # "werk bij de kinderopvang", "bij bouwbedrijf": a kind, no name
        if not w.is_common_word(word) and _norm(word) not in w._allowed_words:
            out.append(Span(m.start(1), m.end(1), "werkplek", word))
    out += [Span(m.start(), m.end(), "adres", m.group()) for m in _in(_LOWER_ADDRESS_RE, text, regions)]
    for m in _in(_LOWER_AT_SCHOOL_RE, text, regions):  # "zij zit ook op het elzenpoort"
        word = m.group(1)
        if not w.is_common_word(word) and _norm(word) not in w._allowed_words:
            out.append(Span(m.start(1), m.end(1), "school", word))
    for m in _in(_LOWER_BUSINESS_RE, text, regions):
        name = m.group(2)
        if name in NOT_A_NAME:
            continue  # "bij de supermarkt de hele dag"
        if m.group(1) or (not w.is_common_word(name) and _norm(name) not in w._allowed_words):
            out.append(Span(m.start(), m.end(), "werkplek", m.group()))
    for a, b in regions:
        out += lower_workplaces(w, text, a, b)
    return out


#: In a lower-case line (speech-to-text, chat), a workplace after "werk bij": "ik werk bij kinderopvang de
#: wilgenkatjes in olst", "werken bij snackbar t hoekje", "werk bij staalbouw kramer", "bij zeebries
#: visverwerking op het industrieterrein". The words up to a preposition, a comma or the line's end.
_LOWER_WORK_AT_RE = re.compile(
    r"(?<![\w-])(?:werk|werkt|werkte|werken|werkten|gewerkt|stage|werkzaam)\s+(?:[a-z]+\s+){0,3}?bij\s+"
    r"(?P<name>(?:(?!(?:de|het|een|in|op|aan|als|en|of|want|maar|sinds|voor|met|van|tot|naar|nu|al|ook)\b)"
    r"[a-zà-ÿ][\w'-]*)(?:\s+(?:de|het|'t|t|den)\b)?(?:\s+(?!(?:in|op|aan|als|en|of|want|maar|sinds|voor|met|van|"
    r"tot|naar|nu|al|ook|drie|twee|vier|vijf|dagen|uur|sinds|bij|dus|daar|hier|is|was|ja|nee|eh|uh)\b)[a-zà-ÿ][\w'-]*){1,2})"
)
_KIND_END = re.compile(
    r"(?:bouw|bedrijf|verwerking|opvang|fabriek|handel|winkel|zaak|bar|kliniek|praktijk|studio|salon|"
    r"bakkerij|slagerij|garage|kwekerij|rokerij|drukkerij|hotel|restaurant|camping|manege|boerderij|"
    r"kinderdagverblijf|pizzeria|cafetaria|lunchroom|brasserie|supermarkt|apotheek|transport|installatie|"
    r"techniek|service|services|groep)$"
)


def lower_workplaces(words: Words, text: str, a: int, b: int) -> list[Span]:
    """Workplaces after "werk bij" in a lower-case line: a kind word ("kinderopvang", "visverwerking",
    "snackbar") with a name before or after it that is no ordinary word, or after an article."""
    out = []
    for m in _LOWER_WORK_AT_RE.finditer(text, a, b):
        parts = m.group("name").split()
        kinds = [i for i, w in enumerate(parts) if _KIND_END.search(w)]
        if not kinds or words.is_readable_name(m.group("name")):
            continue
        rest = [w for i, w in enumerate(parts) if i not in kinds and w not in ("de", "het", "'t", "t", "den")]
        article = any(w in ("de", "het", "'t", "t", "den") for w in parts)
        if not rest or rest[0] in NOT_A_NAME or words.is_readable_name(rest[0]):
            continue
        surname = kinds[0] == 0 and words.is_surname(rest[0].capitalize())  # "staalbouw kramer"
        named = surname or not any(words.is_common_word(w) for w in rest)
        if article or named:
            out.append(Span(m.start("name"), m.end("name"), "werkplek", m.group("name")))
    return out
