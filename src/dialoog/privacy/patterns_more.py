"""Patterns beside the main ones (`patterns.PATTERNS`).

Ages in the forms that the main patterns (`patterns.PATTERNS`) leave: an age in apposition
("Marjolein, een jaar of zestig,", "Tobias, toen tweeëntwintig,", "transvrouw, 41 jaar,"), an age after a
copula and before a new clause in unpunctuated speech ("mijn moeder is 78 die woont"), in a relative clause
("die tachtig is"), after a subject in a subordinate clause ("dat ik eerst 16 moet zijn"), "loopt tegen de
negentig", English ordinal birthdays ("my twenty-first birthday") and English ages ("I'm 29", "in my
thirties"). Workplaces named by a compound that ends in a kind of business ("Bloemenzaak Het Roosje",
"Adviesbureau Wisse & Koppejan"); schools of old ("Lagere School Het Mosterdzaadje", "MULO")."""

from __future__ import annotations

import re

from dialoog.privacy.lexicon import Span
from dialoog.privacy.patterns import (
    _AGE_ONLY,
    _COPULA,
    _EN_AFTER,
    _EN_GATE,
    _EN_NUM,
    _NAME,
    _NOT_UNIT,
    _NUM,
    _NUM_WORD,
    _ORG_NAMES,
    _P,
    _TENS,
    _w,
    pattern_spans,
)

#: a capitalised street name (one word or more) and a house number: "Kerkhovenpolder 38", "Oude Haven 4a"
_STREET_AND_NUMBER = (
    r"[A-Z\u00c0-\u00de][a-z\u00df-\u00ff'’.-]{3,}(?:[ \t]+[A-Za-z][a-z\u00df-\u00ff'’.-]+){0,2}[ \t]+\d{1,4}"
    r"(?:[ \t]?[a-z]|-\d{1,3})?"
)
_EN_DIGIT = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
#: "... is 14", "...'s 29" after a family word or a name
_EN_AGE_AFTER = (
    rf"(?:\s+is|\s+was|['’]s)\s+(?:(?:just|now|only|almost|nearly|about)\s+)?({_EN_NUM})"
    r"(?=\s*[,.;:!?)]|\s+(?:too|and|but|now|when|so|already|years?)\b|\s*$)"
)
_APPROX = rf"(?:een\s+jaar\s+of|ongeveer|rond\s+de|tegen\s+de|zo'?n)\s+{_NUM}"
_NEW_CLAUSE = r"(?=\s*\[|\s+(?:die|zij|hij|ze|ik|en|maar|want|dus|toen)\b|\s*[.,;:!?)]|\s*$)"
_FILLER = r"(?:(?:eh|uh|ehm|uhm|nu|nou|al|net|pas|inmiddels|bijna|ook)\s+)"
_EN_ORDINAL = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-?(?:first|second|third|fourth|fifth|sixth|"
    r"seventh|eighth|ninth)|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|"
    r"twentieth|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth|\d{1,3}(?:st|nd|rd|th))"
)

AGE_PATTERNS = [
    # a family member's age in speech without stops: "mijn vader is vijfenzestig mijn moeder is een jaar of zestig"
    _P(
        "leeftijd",
        rf"(?:mijn|m'n|mn|zijn|haar|onze)\s+(?:vader|moeder|oma|opa|broer|zus|man|vrouw|zoon|dochter|partner)\s+"
        rf"(?:is|was|wordt|werd)\s+((?:(?:een\s+jaar\s+of|rond\s+de|in\s+de|bijna)\s+)?(?:{_AGE_ONLY}|{_TENS}))"
        r"(?!\s*(?:jaar\s+(?:geleden|getrouwd|samen|dood|weg)|keer|euro|minuten|uur|procent|%)\b)(?![\w-])",
        1,
    ),
    # an approximate age opening the brackets after a name: "Esther (eind vijftig, lesbisch, ...)"
    _P(
        "leeftijd",
        rf"\(((?:begin|eind|midden|rond\s+de|in\s+de)\s+{_TENS})(?=\s*[,)])",
        1,
        word_start=False,
        before=rf"{_NAME}\s*$",
    ),
    # the age before the verb, in a clause: "die in de negentig is", "toen ik twintig was", "wie ich vieftig
    # waas" (Limburgs), "die is een jaar of vijfenveertig die komt" (speech without stops)
    _P(
        "leeftijd",
        rf"{_w('die|ik|ich|hij|hae|zij|ze|zie|u')}\s+(?:(?:nu|noe|al|inmiddels|pas|bijna|ook|toen|zelf)\s+)?"
        rf"((?:(?:een\s+jaar\s+of|in\s+de|begin|eind|midden|rond\s+de|achter\s+in\s+de)\s+)?(?:{_AGE_ONLY}|{_TENS}))"
        rf"\s+(?:is|was|ben|werd|wordt|waas|woor|waor|woar|wier|waar)\b",
        1,
        check="person",
    ),
    _P(
        "leeftijd",
        rf"{_w('die|ik|hij|zij|ze|u')}\s+{_COPULA}\s+((?:een\s+jaar\s+of|rond\s+de|in\s+de)\s+(?:{_AGE_ONLY}|{_TENS}))"
        rf"{_NOT_UNIT}(?!\s+(?:jaar|keer|over|voor|tegen|graden|dagen|weken|maanden|mensen)\b)",
        1,
    ),
    # in apposition after a comma, bracket or quote: ", een jaar of zestig,", "(\"een jaar of vijfenveertig\")"
    _P(
        "leeftijd",
        rf"[,(\"“]\s*({_APPROX})(?=\s*[,.;)\"”]|\s+(?:toen|en|oud)\b)",
        1,
        word_start=False,
        gate=("jaar of", "ongeveer", "rond de", "tegen de", "zo'n", "zon "),
    ),
    _P("leeftijd", rf",\s*toen\s+({_AGE_ONLY})(?=\s*[,.;)])", 1, word_start=False, gate="toen"),
    _P("leeftijd", r",\s*((?:1[2-9]|[2-9]\d|1[01]\d)\s+jaar)(?=\s*[,;)])", 1, word_start=False, gate="jaar"),
    _P("leeftijd", rf",\s*({_AGE_ONLY})(?=\s+en\b)", 1, word_start=False, before=rf"{_NAME}$"),
    # a copula, then an age and a new clause: "mijn moeder is 78 die woont", "mila is 16 zij is", "hij is 11 ["
    _P(
        "leeftijd",
        rf"{_COPULA}\s+{_FILLER}{{0,3}}({_NUM}){_NOT_UNIT}(?=\s*\[|\s+(?:die|zij|hij|ze|ik)\b)",
        1,
        check="person",
    ),
    _P(
        "leeftijd",
        rf"{_w('ik|hij|zij|ze|die|jij|je')}\s+{_COPULA}\s+{_FILLER}{{0,3}}({_NUM}){_NOT_UNIT}{_NEW_CLAUSE}",
        1,
    ),
    # a relative or subordinate clause: "die tachtig is", "die net zes is geworden", "dat ik eerst 16 moet zijn"
    _P(
        "leeftijd",
        rf"{_w('die|ik|hij|zij|ze|jij|je')}\s+(?:(?:eerst|nu|net|al|pas|bijna|inmiddels|nog)\s+){{0,2}}"
        rf"({_NUM}(?:\s+jaar(?:\s+oud)?)?)\s+(?:is|was|werd|wordt|word|ben|moet\s+zijn|moest\s+zijn|moet\s+worden)\b",
        1,
    ),
    # an approximate age after a copula: "ze zijn allebei boven de tachtig", "die zijn rond de zeventig"
    _P(
        "leeftijd",
        rf"(?:in|boven|onder|rond|over|halverwege|begin|eind|midden)\s+de\s+{_TENS}\b"
        r"(?!\s+(?:jaren|km|kilometer|euro|graden|procent))",
        before=rf"(?<![\w-]){_w('is|was|zijn|waren|ben|bent')}\s+(?:(?:allebei|beiden|allemaal|al|nu|inmiddels|ook|ongeveer|"
        r"ja|denk\s+ik|misschien),?\s+){0,3}$",
        gate=("de twintig", "de dertig", "de veertig", "de vijftig", "de zestig", "de zeventig", "de tachtig")
        + ("de negentig",),
    ),
    # "(boer, 58)", "(praktijkverpleegkundige, 26, begint in januari)", "Respondent: 17 jaar, noemt zichzelf queer",
    # "trans vrouw, 44 jaar.", "non-binair, 19 jr."
    _P(
        "leeftijd",
        r"\(\s*[a-zà-ÿ][\w-]*(?:\s+[a-zà-ÿ][\w-]*)?,\s*((?:1[2-9]|[2-9]\d|1[01]\d)(?:\s+(?:jaar|jr\.?))?)(?=\s*[,)])",
        1,
        word_start=False,
        gate="(",
    ),
    _P(
        "leeftijd",
        r"(?:^|\n)[^\W\d_]{1,20}:\s+((?:1[2-9]|[2-9]\d|1[01]\d)\s+(?:jaar|jr\.?))(?=\s*[,.;)])",
        1,
        word_start=False,
        gate="jaar",
    ),
    _P("leeftijd", r",\s*((?:1[2-9]|[2-9]\d|1[01]\d)\s+(?:jaar|jr\.?))(?=\s*\.)", 1, word_start=False, gate="jaar"),
    _P("leeftijd", rf"{_w('loopt|liep|gaat|ging|raakt')}\s+(?:al\s+)?(tegen\s+de\s+{_TENS})\b", 1, gate="tegen de"),
    _P("leeftijd", rf"{_w('my|his|her')}\s+({_EN_ORDINAL}\s+birthday)\b", 1, gate="birthday"),
    # becoming an age: "je wordt toch veertig", "mijn oma werd 90" (not "het wordt twintig graden")
    _P(
        "leeftijd",
        rf"{_w('ik|jij|je|hij|zij|ze|u|die|oma|opa|mama|papa|moeder|vader')}\s+{_w('word|wordt|werd')}\s+"
        rf"(?:(?:toch|al|bijna|straks|binnenkort|morgen|zaterdag|zondag|volgend\s+jaar|dit\s+jaar|volgende\s+week)\s+)"
        rf"{{0,2}}({_AGE_ONLY}){_NOT_UNIT}(?!\s+(?:graden|jaar\s+getrouwd))",
        1,
        gate=("word ", "wordt ", "werd "),
    ),
    # an approximate age in apposition after a name: "Hennie, ik denk begin zeventig, die ..."
    _P(
        "leeftijd",
        rf",\s*(?:(?:ik\s+denk|denk\s+ik|schat\s+ik|zeg\s+maar|ongeveer)\s+)?((?:begin|eind|midden|half)\s+(?:de\s+)?{_TENS})"
        r"(?=\s*[,.;)])",
        1,
        word_start=False,
        gate=("begin ", "eind ", "midden ", "half "),
        before=rf"(?<![\w-]){_NAME}$",
    ),
    # a name and its age in brackets, also a child's and in words: "een zus (Sterre, elf)", "(Daan, 9)"
    _P(
        "leeftijd", rf"\(\s*{_NAME}(?:\s+{_NAME}){{0,2}},\s*(\d{{1,3}}|{_NUM_WORD})\s*\)", 1, word_start=False, gate="("
    ),
]
#: The date of a case note in its heading, without a year: "Notitie 04-09", "Contactmoment 12/10".
DATE_PATTERNS = [
    _P(
        "datum",
        r"(?m)^[ \t]*(?:Notitie|Verslag|Aantekening|Contactmoment|Contact|Huisbezoek|Gesprek|Overleg|Afspraak)"
        r"[ \t]+(?:van[ \t]+|op[ \t]+)?(\d{1,2}[-/]\d{1,2}(?:[-/](?:\d{4}|\d{2}))?)(?![\w/-])",
        1,
        word_start=False,
        gate=("Notitie", "Verslag", "Aantekening", "Contact", "Huisbezoek", "Gesprek", "Overleg", "Afspraak"),
    ),
]


_BUSINESS = (
    r"(?:zaak|bureau|winkel|praktijk|salon|kliniek|handel|atelier|studio|bedrijf(?<!Woonbedrijf)|kwekerij|fabriek|"
    r"wasserij)"
)
_SHOPS = (
    "bakkerij|slagerij|lunchroom|kapsalon|drogisterij|snackbar|eetcafé|cafetaria|pizzeria|bloemenzaak|boekhandel|"
    "garage|brasserie|slijterij|opticien|juwelier|stomerij|ijssalon|fietsenwinkel|tuincentrum|kwekerij|nagelstudio"
)
_OLD_SCHOOLS = r"(?:Lagere\s+School|Lagere\s+school|Kleuterschool|Huishoudschool|Ambachtsschool|ULO|MULO|HBS|LTS|MTS)"
#: Capitalised words before "'s" or "is" that are no one ("It's 12, ...", "Room 4 is 20").
_NOT_SOMEONE = (
    r"(?:It|That|This|There|Here|What|Which|Where|When|How|Today|Tomorrow|Tonight|Page|Room|Number|Chapter|"
    r"Table|Bus|Line|Gate|Platform|Score|Price|Total)\b"
)
_EN_KIN = (
    "cousin|brother|sister|son|daughter|mother|mum|mom|father|dad|partner|husband|wife|boyfriend|girlfriend|friend|"
    "niece|nephew|aunt|uncle|grandmother|grandfather|gran|grandma|grandpa|neighbour|neighbor|kid|child|colleague"
)
#: English ages: "I'm 29", "she is 40", "I was 16", "aged 29", "29 years old", "a 29-year-old", "in my thirties".
EN_AGE_PATTERNS = [
    _P(
        "leeftijd",
        rf"(?:I'?m|I\s+am|I\s+was|{_w('he|she|they')}(?:'s|\s+is|\s+was|'re|\s+are)|{_w('turned|turning|aged')})\s+"
        rf"(?:just\s+|now\s+|maybe\s+|probably\s+|like\s+)?((?:almost\s+|nearly\s+|about\s+|around\s+)?{_EN_NUM})"
        rf"{_EN_AFTER}",
        1,
        gate=_EN_GATE,
    ),
    _P("leeftijd", rf"({_EN_NUM}[- ]years?[- ]old)\b", 1, gate=("year old", "years old", "year-old", "years-old")),
    # "my cousin is 14 too", "her son's 12", "Robin's 29, so ..."
    # (two patterns, not one with two branches: the first is tried only in a text with an English possessive)
    _P(
        "leeftijd",
        rf"{_w('my|his|her|our|their')}\s+(?:(?:little|big|younger|older|eldest|youngest)\s+)?{_w(_EN_KIN)}"
        rf"{_EN_AGE_AFTER}",
        1,
        gate=("my ", "My ", "his ", "His ", "her ", "Her ", "our ", "Our ", "their ", "Their "),
    ),
    _P("leeftijd", rf"(?!{_NOT_SOMEONE}){_NAME}{_EN_AGE_AFTER}", 1, gate=(" is ", " was ", "'s ", "’s ")),
    _P(
        "leeftijd",
        rf"(?:{_w('is|was|turned|turns|ben')}|(?<!\w)who['’]s)\s+(?:(?:maybe|probably|about|around|almost|nearly|now|like)\s+)?"
        rf"((?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
        rf"(?:-(?:one|two|three|four|five|six|seven|eight|nine|something|ish))?){_EN_AFTER}",
        1,
        gate=("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
    ),
    _P(
        "leeftijd",
        r"(?:in\s+)?(?:my|his|her)\s+(?:(?:early|mid|late)[- ])?"
        r"(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b",
        gate=("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"),
    ),
]

MORE_PATTERNS = (
    AGE_PATTERNS
    + EN_AGE_PATTERNS
    + DATE_PATTERNS
    + [
        _P(
            "werkplek",
            rf"{_BUSINESS}\s+(?:(?:De|Het|Den|'t)\s+)?{_ORG_NAMES}",
            word_start=False,
            extend=True,
            gate=("zaak ", "bureau ", "winkel ", "praktijk ", "salon ", "kliniek ", "handel ", "atelier ", "studio ")
            + ("bedrijf ", "kwekerij ", "fabriek ", "wasserij ", "Wasserij "),
        ),
        # a small business by its kind in lower case and its name: "de lunchroom Het Zoete Hart", "de
        # drogisterij Kaagman" (not a public venue: "het theater De Lawei" stays)
        _P(
            "werkplek",
            rf"{_w(_SHOPS, capitalised=False)}\s+((?:(?:De|Het|Den|'t|Van|van|de)\s+)*{_ORG_NAMES})",
            1,
            gate=tuple(k[1:] + " " for k in _SHOPS.split("|")),
        ),
        # a street and number that no list knows, said to be an address or right before a postcode:
        # "Adres: Kerkhovenpolder 38", "Kerkhovenpolder 38\n3334 KT Zwijndrecht"
        _P(
            "adres",
            rf"(?:[Aa]dres|ADRES|[Aa]ddress|[Ww]oonadres)\s*:[ \t]*({_STREET_AND_NUMBER})(?![\w-])",
            1,
            gate=("dres", "DRES", "ddress"),
        ),
        # a phone number in English number words: "plus three one, six, two eight, four seven, ..."
        _P("telefoonnummer", rf"(?:plus[ \t]+)?{_EN_DIGIT}(?:[ \t,]+{_EN_DIGIT}){{8,}}", gate=(" one", " two", "zero")),
        # a handle after its platform and "ben ik" / "is": "op insta ben ik lotusinamerica"
        _P(
            "account",
            r"(?:insta|instagram|tiktok|snap|snapchat)\s+(?:ben\s+ik|is\s+(?:het|ze|hij)|heet\s+ik)\s+([a-z0-9_.]{4,30})",
            1,
            gate=("insta", "tiktok", "snap"),
        ),
        # a licence plate of another country after the word: "een Duits kenteken (KLE-LD 482)"
        _P(
            "kenteken", r"kenteken\s*[:(]?\s*([A-Z]{1,3}-[A-Z]{1,2}[ \t]?\d{1,4}[A-Z]?)(?![\w-])", 1, gate=("kenteken",)
        ),
        _P(  # (extended back over "Christelijke ", "Openbare ")
            "school",
            rf"{_OLD_SCHOOLS}\s+(?:(?:De|Het|Den|'t)\s+)?{_ORG_NAMES}",
            extend=True,
            gate=("Lagere", "Kleuterschool", "Huishoudschool", "Ambachtsschool", "ULO", "HBS", "LTS", "MTS"),
        ),
    ]
)


_STREET_BEFORE = re.compile(
    rf"(?<![\w-])({_STREET_AND_NUMBER}(?:,[ \t]*(?:appartement|app\.?|kamer|flat|bus)[ \t]*\d{{1,4}}[a-z]?)?)"
    r"[ \t]*,?[ \t]*\n?[ \t]*$"
)
_POSTCODE = re.compile(r"\d{4}[ \t]?[A-Z]{2}(?![\w-])")


def more_spans(text: str) -> list[Span]:
    """What `MORE_PATTERNS` find in `text`, and a street and number right before a postcode (found from the
    postcode: "Kerkhovenpolder 38\n3334 KT Zwijndrecht")."""
    out = pattern_spans(text, MORE_PATTERNS)
    for m in _POSTCODE.finditer(text):
        street = _STREET_BEFORE.search(text, max(0, m.start() - 60), m.start())
        if street:
            out.append(Span(street.start(1), street.end(1), "adres", street.group(1)))
    return out
