"""Regular patterns for personal data that name lists cannot find.

Phone numbers (Dutch and international), e-mail addresses (written, spaced and spoken), IBANs, social-media
handles, dates, ages (numerals, number words, ordinals and approximations of a person, in Dutch and
English), licence plates, addresses in either order, schools and workplaces. Every pattern runs over the
whole text at C speed; `pattern_spans` returns what they find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialoog.privacy.lexicon import GENERIC_MAILBOXES, WORKPLACE_KINDS, Span, trie_pattern
from dialoog.privacy.numbers import dialect_number_pattern, number_words, ordinal_words
from dialoog.privacy.scan import ACCOUNT_WORDS, extend_back, is_kenteken, stranger, valid_iban, word_matches


def _w(words: str | list[str], *, capitalised: bool = True) -> str:
    """A case-sensitive trie of `words` ("a|b|c" or a list), with their capitalised forms."""
    items = words.split("|") if isinstance(words, str) else list(words)
    if capitalised:
        items += [w[:1].upper() + w[1:] for w in items]
    return trie_pattern(items)


_NUMBER_WORDS = {w: n for w, n in number_words(1, 110).items() if w != "een"}  # "een jaar" is no age
_DIALECT = dialect_number_pattern()  # "sânentweintich", "tweeënvuftig" (13 to 99)
_NUM_WORD = rf"(?:{_w(list(_NUMBER_WORDS))}|{_DIALECT})"
_NUM = r"(?:\d{1,3}|" + _NUM_WORD + r")"
_ORD = r"(?:\d{1,3}(?:e|de|ste)|" + _w(list(ordinal_words(1, 110))) + rf"|{_DIALECT}ste)"
_WORD_AGE = rf"(?:{_w(list(number_words(13, 110)))}|{_DIALECT})"
_TENS = r"(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|[2-9]0)"
_EN_TEENS = "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
_EN_TENS = "eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_EN_UNITS = r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine|something|ish))?"
_EN_NUM = rf"(?:\d{{1,3}}|{_w(_EN_TEENS)}|{_w(_EN_TENS)}{_EN_UNITS})"
_AFTER = (
    r"(?![:.]\d)(?=\s*[,.;:!?()\"”'…-]|\s+(?:en|maar|toen|dus|want|of|oud|hoor|ofzo|geloof|nu|inmiddels|al|geworden|btw|"
    r"trouwens|haha|lol|and|but|now|when|so|years?)\b|\s*$)"
)
_NOT_UNIT = r"(?!\s*(?:cm|centimeter|meter|kilo|kg|gram|euro|minuten|uur|procent|%|keer|dagen|weken|maanden)\b)(?!\w)"
_EN_AFTER = r"(?=\s*[,.;:!?)\"”'…-]|\s+(?:and|but|now|when|so|years?)\b|\s*$)"
_DAY_WORD = _w([w for w, n in {**number_words(2, 31), **ordinal_words(1, 31)}.items() if w != "een"])
_SPOKEN_DIGITS = trie_pattern(list(number_words(1, 99)))
_MONTHS = _w("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december")
_MONTH_NAMES_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTHS_EN = _w(_MONTH_NAMES_EN, capitalised=False)
_MONTHS_EN_GATE = tuple(_MONTH_NAMES_EN.split("|"))  # (rare in Dutch transcripts: the patterns that need one skip most)

#: An age expression after a copula or "van": numerals, words, "een jaar of 35", "in de zeventig", "begin dertig".
_AGE = (
    rf"(?:(?:een\s+jaar\s+of|ongeveer|rond\s+de|zo'?n|bijna|ruim|net|pas|al|over\s+de|tegen\s+de|boven\s+de|onder\s+de)\s+)?"
    rf"(?:{_NUM}(?:\s*\+)?(?:\s+jaar(?:\s+oud)?)?|(?:(?:ergens\s+)?(?:begin|eind|midden|half|achter\s+in|voor\s+in|"
    rf"diep\s+in|in)\s+(?:de\s+)?){_TENS}(?:er)?)"
)
_KIN = _w(
    "tante|oom|moeder|vader|mama|papa|opa|oma|broer|zus|zusje|broertje|neef|nicht|buurvrouw|buurman|jongen|"
    "meisje|kind|zoon|zoontje|dochter|dochtertje|man|vrouw|jongere|puber|tiener|vriend|vriendin|vriendje|"
    "vriendinnetje|partner|collega|dame|heer|mevrouw|meneer|knul|jochie|jongeman|leerling|cliënt|client|"
    "bewoner|bewoonster|schoonmoeder|schoonvader|stiefvader|stiefmoeder|ex|neefje|nichtje|kindje|baby|tweeling|"
    "kleinzoon|kleindochter|kleinkind|kleinzoontje|kleindochtertje|stiefzoon|stiefdochter|pleegzoon|pleegdochter|"
    "pleegkind|schoonzus|zwager|schoonzoon|schoondochter|echtgenoot|echtgenote|verloofde|vriendinnetje|buurjongen|"
    "buurmeisje|dochtertje|zoontje|oudste|jongste"
)
_COPULA = _w(
    "ben|bent|is|was|werd|wordt|word|bin|waor|woar|waas|woor|zen"
)  # (dialect: "ich bin", "ich waor", "ik zen")
#: A number that is an age when nothing else says it is not: 12 to 110 in digits, 13 to 110 in words.
_AGE_ONLY = rf"(?:1[2-9]|[2-9]\d|1[01]\d)(?!\d)|{_WORD_AGE}"
_WHEN = (
    r"(?:(?:vorige|volgende|komende)\s+(?:week|maand)|(?:vorig|volgend|komend)\s+jaar|"
    r"afgelopen\s+(?:week|maand|jaar|zomer|winter)|deze\s+(?:week|maand|zomer)|dit\s+jaar|gisteren|vandaag|onlangs|"
    r"laatst|trouwens|eigenlijk|zelf|ook|nog|maar|pas|al|net|bijna|inmiddels|intussen)"
)
#: Words between a kinship word and "van" that show "van" belongs to a verb or place ("mijn vader werkte van").
_VERBISH = (
    r"uit|in|op|met|en|is|was|die|de|het|een|komt|kwam|woont|woonde|werkt|werkte|gaat|ging|kreeg|heeft|had|houdt|"
    r"hield|droomt|hoorde|zei|zegt|weet|wist|at|eet"
)
_POSS = r"(?:mijn|m'n|mn|mien|me|zijn|z'n|zn|zien|haar|d'r|je|jouw|hun|onze|ons|Mijn|Zijn|Haar|Onze|Mien)"
_STREET_SUFFIX = (
    r"(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|steeg|pad|dreef|park|baan|boulevard|markt|wal|haven|"
    r"plantsoen|erf|ring|zijde|vest|veld|hoek|wei|akker|tuin|rade|pleintje|straatje|buorren|dam|dyk|bolwerk|Street|"
    r"Road|Lane|Avenue|Square)"
)
_SPOKEN_SIGN = r"(?:punt|dot|streepje|liggend streepje|underscore|min|dash)"
_NAME = r"[A-Z\u00c0-\u00de][\w'’&-]*"
_NAMES = rf"{_NAME}(?:\s+(?:(?:de|der|van|en|&|op|aan|'t)\s+)*{_NAME})*"
_ORG_NAMES = rf"{_NAME}(?:\s+(?:(?:de|der|van|en|&)\s+)*{_NAME})*"
_WORKPLACE_WORDS = trie_pattern(WORKPLACE_KINDS)
_SCHOOL_WORDS = trie_pattern(
    [
        f"{pre}{w}"
        for pre in ("", "Openbare ", "Christelijke ", "Katholieke ")
        for w in "Basisschool|basisschool|OBS|CBS|RKBS|PCBS|IKC|Kindcentrum|Daltonschool|Montessorischool|"
        "Jenaplanschool|Vrije School|Brede school|Gymnasium|Lyceum|Atheneum|College|Scholengemeenschap|SG|CSG|RSG|"
        "OSG|Mavo|Havo|Vmbo|Praktijkschool|ROC|Hogeschool|Scholengroep".split("|")
    ]
)
_JOB_GATE = ("werker", "werkster", "medewerk", "vrijwillig", "rdinator", "consulent", "adviseur", "verpleegkundige")
_JOB_GATE += ("docent", "manager", "eigena", "stagiai", "leidinggevende", "kap", "monteur", "verkop", "kok", "schoonma")
_JOB_GATE += ("chauffeur",)
_SCHOOL_GATE = ("college", "lyceum", "gymnasium", "atheneum", "school", "academie", "College", "Lyceum")
_SCHOOL_GATE += ("Gymnasium", "Atheneum", "Academie", "Scholengemeenschap", "School")
_EN_GATE = ("I'm", "I’m", "I am", "I was", " he ", "he's", "He ", "she", "She", "they", "They", "turn", "aged")
_SCHOOL_SUFFIX = trie_pattern(
    "college|lyceum|gymnasium|atheneum|school|academie|College|Lyceum|Gymnasium|Atheneum|Academie|Scholengemeenschap|"
    "International School|High School".split("|")
)


@dataclass(frozen=True)
class Pattern:
    """A pattern for one label. `group`: the part to take; `word_start`: the match must start a word
    (checked in Python, so that the regex can start with a literal or a character set, which `re` searches
    for fast; a leading lookbehind or ``\\b`` makes it try every position); `gate`: strings of which one must
    occur in the text for the pattern to be tried at all; `before`: a pattern (ending in ``$``) that the
    text just before the match must match (it ends in a letter; with `from_before` the span starts where it
    starts, "any": it may end in any character and reach further back); `stranger`: an
    approximate age of someone introduced with "een" is dropped; `extend`: the span is extended back over
    the words of a street or school name."""

    label: str
    regex: re.Pattern[str]
    group: int = 0
    word_start: bool | str = True
    gate: tuple[str, ...] | None = None
    extend: bool = False
    before: re.Pattern[str] | None = None
    from_before: bool | str = False
    stranger: bool = False
    check: str | None = None


def _p(
    label: str,
    pattern: str,
    group: int = 0,
    *,
    word_start: bool | str = True,
    gate: str | tuple[str, ...] | None = None,
    extend: bool = False,
    before: str | None = None,
    from_before: bool | str = False,
    stranger: bool = False,
    check: str | None = None,
) -> Pattern:
    gates = (gate,) if isinstance(gate, str) else gate
    compiled = re.compile(before) if before else None
    return Pattern(label, re.compile(pattern), group, word_start, gates, extend, compiled, from_before, stranger, check)


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_P = _p
_MAILBOX = {"from_before": "any", "check": "mailbox"}  # (an organisation's mailbox is no personal data)
PATTERNS: list[Pattern] = [
    # phone numbers: +31/0031 or 0 and nine digits; other countries: + or 00 and 7-13 digits
    _P(
        "telefoonnummer",
        r"(?:[+0]0?31[\s-]*(?:\(0\)[\s-]*)?\d(?:[\s-]{0,3}\d){8}|0\d(?:[\s-]{0,3}\d){8})(?!\d)",
    ),
    _P("telefoonnummer", r"(?:\+|00)(?!31)[1-9]\d{0,2}[\s-]*(?:\(0\)[\s-]*)?\d(?:[\s.-]{0,2}\d){6,12}(?!\d)"),
    # e-mail addresses, written (also with spaces around @ and dots) and spoken
    # (each found from its "@" or "at", the name before it by `before`)
    _P("e-mailadres", r"@[\w-]+(?:\.[\w-]+)+", word_start=False, gate="@", before=r"[\w.+-]+$", **_MAILBOX),
    _P(
        "e-mailadres",
        r"@(?:(?<=\s@)\s*|\s+)[\w-]+(?:\s?\.\s?[a-z]{2,6}\b)+",
        word_start=False,
        gate=(" @", "@ ", "\n@", "@\n"),
        before=r"[\w.+-]+\s*$",
        from_before="any",
    ),
    _P(
        "e-mailadres",
        r"(?:at|apenstaartje|apestaartje|\[at\]|\(at\))\s+\w+(?:\s+(?:punt|dot|\[dot\]|\(dot\))\s+\w+)+",
        gate=(" at ", "apenstaartje", "apestaartje", "[at]", "(at)"),
        before=r"(?<!\w)(?!(?:me|mij|naar|op|via|is|mail|email|mailen|adres|at|address)\b)"
        rf"\w(?:[\w+-]|\.(?=\w))*(?:\s+{_SPOKEN_SIGN}\s+\w+(?:\s+\w+)?)*\s+$",  # ("stormvalk.2010 at ...")
        from_before=True,
    ),
    # "jan.devries[at]gmail.com", "piet (at) ziggo (dot) nl"
    _P(
        "e-mailadres",
        r"[\w.+-]+\s*(?:\[at\]|\(at\)|\{at\})\s*[\w-]+(?:\s*(?:\.|\[dot\]|\(dot\)|\[punt\]|\(punt\))\s*[\w-]+)+",
        gate=("[at]", "(at)", "{at}"),
    ),
    # a handle named after its platform, without "@": "mijn Instagram is fleur_2009", "snap: sannedj06"
    _P(
        "account",
        _w("insta|instagram|tiktok|tikTok|snap|snapchat|twitter|discord|telegram|grindr|tinder")
        + r"(?:\s+(?:is|account|naam|handle|name))?\s*:?\s+([A-Za-z0-9_.]*[_\d][A-Za-z0-9_.]*[A-Za-z0-9_])",
        1,
        gate=("nsta", "ikTok", "iktok", "nap", "witter", "iscord", "elegram", "rindr", "inder"),
    ),
    # IBAN as a whole (NL91 ABNA 0417 1643 00), also in groups
    _P(
        "rekeningnummer",
        r"[A-Z]{2}\d{2}(?:\s?[A-Z]{4}(?:\s?\d{2,4}){2,5}|(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?)\b",
        check="iban",
    ),
    # social-media handles (not the middle of an e-mail address)
    _P("account", r"@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?", word_start=".@", gate="@"),
    # dates: "12 maart 2024", "maart 1997", "12-03-2024", "12/3/99", "March 3, 2021", "3 March 2021"
    _P("datum", rf"\d\d?\s+{_MONTHS}(?:\s+(?:19|20)\d{{2}})?\b"),
    _P("datum", rf"{_MONTHS}\s+(?:19|20)\d{{2}}\b"),
    _P(  # a day in words: "op vier maart", "de eenentwintigste juni"
        "datum",
        rf"{_MONTHS}(?:\s+(?:19|20)\d{{2}})?\b",
        before=rf"(?<!\w){_DAY_WORD}\s+$",
        from_before=True,
    ),
    # a phone number spoken digit by digit or in pairs: "nul zes twaalf vierendertig ..."
    # (also in groups with commas, "nul zes, vijfenveertig, twaalf, ...", and from abroad, "plus eenendertig zes ...")
    _P(
        "telefoonnummer",
        rf"(?:[Nn]ul|[Pp]lus\s+(?:{_SPOKEN_DIGITS}))(?:,?\s+(?:nul|één|{_SPOKEN_DIGITS})){{4,}}(?!\w)",
        gate=("nul ", "Nul ", "plus ", "Plus "),
    ),
    _P("datum", r"\d\d?[-/.]\d\d?[-/.](?:19|20)?\d{2}\b"),
    _P(
        "datum",
        rf"\d\d?(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS_EN}(?:\s+(?:19|20)\d{{2}})?\b",
        gate=_MONTHS_EN_GATE,
    ),
    _P("datum", rf"{_MONTHS_EN}\s+\d\d?(?:st|nd|rd|th)?,?(?:\s+(?:19|20)\d{{2}})?\b", gate=_MONTHS_EN_GATE),
    # ages: "61 jaar oud", "17-jarige", "de 72-jarige"
    _P("leeftijd", r"(\d\d{0,2}\s*(?:jaar\s+(?:oud|jong)|-?jarige?n?))\b", 1),  # also "67 jaar jong"
    _P(  # (found from "jaar oud" or "jarig", the number word before it by `before`)
        "leeftijd",
        r"(?:jaar\s+(?:oud|jong)|jarige?n?)\b",
        word_start=False,
        gate=("jaar oud", "jaar jong", "jarig"),
        before=rf"(?<!\w){_NUM_WORD}\s*-?$",
        from_before="any",
    ),
    # "ik ben 53", "ze is in de zeventig", "hij werd vijftig", "ik ben een jaar of vijfendertig"
    _P(
        "leeftijd",
        rf"{_COPULA}\s+(?:(?:nu|noe|nou|nog|mer|dus|inmiddels|toen|zelf|intussen|ook|dan|misschien|denk\s+ik|volgend\s+jaar|dit\s+jaar|straks|binnenkort|"
        rf"pas|net|alweer|sinds\s+kort|in\s+{_MONTHS}|op\s+\d{{1,2}}\s+{_MONTHS}|{_WHEN})\s+){{0,3}}({_AGE}){_AFTER}",
        1,
        check="person",  # not "dat is nu zevenenvijftig jaar" (a duration)
    ),
    # inverted: "Nu ben ik achtenzestig.", "toen was hij 12,"
    _P(
        "leeftijd",
        rf"{_COPULA}\s+(?:ik|hij|zij|ze|u|jij|je)\s+(?:(?:nu|inmiddels|al|pas|net|bijna|ook|zelf|{_WHEN})\s+){{0,2}}"
        rf"({_AGE}){_AFTER}",
        1,
    ),
    # unpunctuated speech: "die is drieëntachtig dat vond hij maar niks" (an age-like number after a person
    # and a copula, not followed by a unit or a duration)
    _P(
        "leeftijd",
        rf"{_w('ik|hij|zij|ze|die|u|jij|je|ich|hae|zie')}\s+{_COPULA}\s+"
        rf"(?:(?:nu|noe|inmiddels|al|pas|net|bijna|misschien|ongeveer|wel|toen|{_WHEN})\s+){{0,3}}"
        rf"((?:{_AGE_ONLY})(?:\s+of\s+(?:{_AGE_ONLY}))?){_NOT_UNIT}(?!\s+(?:jaar|keer|over|voor|tegen|graden|dagen|weken|maanden|mensen)\b)",
        1,
    ),
    _P("leeftijd", rf"ben\s+({_AGE_ONLY}){_AFTER}", 1),  # "ben 31 btw" (chat, no pronoun)
    # an age after a name and a comma or full stop: "Rinus Slot, zevenenzestig.", "Yassine Amrani. Zevenendertig."
    _P(
        "leeftijd",
        rf"[,.]\s*((?:{_AGE_ONLY})(?:\s+(?:jaar|jr\.?)(?:\s+oud)?)?)(?=\s*[.,;!?)]|\s*$)",
        1,
        word_start=False,
        before=rf"{_NAME}(?:\s+(?:trouwens|zelf|dus|hoor))?$",
    ),
    # "mijn tante van 72", "een meisje van zestien", "mijn buurman van een jaar of zeventig", "mijn zoon (16)";
    # an approximate age of "een man" (a stranger) stays
    # (also with a name between: "mijn vriend Winston Bakboord van zesenzeventig", "mn broertje sem van 9")
    _P(
        "leeftijd",
        rf"van\s+({_AGE}){_NOT_UNIT}(?!\s+tot\b)",
        1,
        before=rf"{_KIN}(?:\s+(?!(?:{_VERBISH})\b)[\w'’-]+){{0,2}}\s+$",
        stranger=True,
    ),
    _P(
        "leeftijd", r"\((\d\d{0,2})\)", 1, word_start=False, before=rf"(?:{_KIN}|{_NAME}|hij|zij|ze|ik)(?:\s+zelf)?\s+$"
    ),
    _P("leeftijd", rf"\(({_AGE_ONLY}),", 1, word_start=False, before=rf"{_NAME}\s+$"),  # "Sterre (17, uit ...)"
    # a form field: "Leeftijd: 34", "Age: 29"
    _P(
        "leeftijd",
        r":\s*(\d\d?\d?)(?!\d)",
        1,
        word_start=False,
        gate=("eeftijd", "EEFTIJD", "ge"),
        before=rf"(?<!\w)(?:{_w('leeftijd|age')}|LEEFTIJD)\s*$",
    ),
    # an age by decade: "ik ben een vijftiger", "zij is een twintiger" (not "de jaren zestig")
    _P(
        "leeftijd",
        rf"{_COPULA}\s+(?:(?:nu|al|ook|inmiddels)\s+)?(?:een\s+)?((?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|"
        rf"negentig)ers?)\b(?!\s+jaren)",
        1,
    ),
    # a birth year or date: "ik ben geboren in 1962", "geboren op 3 mei 1958", "zij is van 1999"
    _P("datum", rf"{_w('geboren')}\s+(?:in|op)\s+((?:\d\d?\s+{_MONTHS}\s+)?(?:19|20)\d{{2}})\b", 1, gate="eboren"),
    _P("datum", rf"{_w('ik|hij|zij|ze')}\s+(?:ben|is)\s+van\s+((?:19|20)\d{{2}})\b", 1, gate=("van 19", "van 20")),
    # "toen ik zestien was", "toen hij 12 werd"
    _P(
        "leeftijd",
        rf"{_w('toen')}\s+(?:ik|hij|zij|ze|je|jij|we|wij|mijn\s+\w+)\s+({_AGE})\s+(?:was|werd|waren|jaar\s+was)\b",
        1,
    ),
    # an age given as an answer on its own ("Vierenzeventig, om precies te zijn.", "R: Priya Ramdin. 38.")
    _P(
        "leeftijd",
        rf"{_w('oud|leeftijd|jaar|zestig|zeventig|tachtig|dertig|veertig|vijftig|twintig|negentig|age|old')}\b"
        rf"[^.?!:\n]{{0,40}}[.?!]\s+(?:[A-Z]\w{{0,12}}:\s+)?(?:[^.?!:\n]{{1,30}}[.!]\s+)?"
        rf"((?:1[3-9]|[2-9]\d|1[01]\d)|{_WORD_AGE})(?=\s*[,.!]|\s*$)",
        1,
    ),
    # ordinals: "op mijn eenentwintigste", "sinds zijn 16e", "mijn vijftigste verjaardag"
    _P(
        "leeftijd",
        rf"{_w('op|sinds|vanaf|tot|na|voor|rond|tegen')}\s+{_POSS}\s+({_ORD})\b(?!\s+(?:jaar|keer|plek|plaats))",
        1,
    ),
    _P("leeftijd", rf"{_POSS}\s+({_ORD}\s+verjaardag)\b", 1, gate="verjaardag"),
    _P("leeftijd", rf"{_w('van')}\s+{_POSS}\s+({_ORD})(?=\s*[,.;!?)]|\s+(?:tot|af|toen|al|aan|en|of)\b)", 1),
    # addresses: "Kerkstraat 14b", "Eikenlaan 88-3"; in English order "14 Spoorlaan"
    _P(
        "adres",
        r"\d\d{0,3}(?:\s?[a-zA-Z]\b|-\d{1,4}\b)?(?!\d)",
        before=rf"{_STREET_SUFFIX}\s+$",
        from_before=True,
        extend=True,
    ),
    _P(
        "adres",
        rf"\d(?!\d{{3}}\s?[A-Z]{{2}}\b)\d{{0,3}}[a-z]?\s+(?:{_NAME}\s+)?{_NAME}{_STREET_SUFFIX}\b",
    ),
    _P(  # "Eikenlaan, number 17", "Kerkstraat nummer 4"
        "adres",
        r"(?:number|nummer|nr\.?|no\.?)\s*\d\d{0,3}[a-z]?\b",
        gate=("number", "nummer", "nr", "no"),
        before=rf"{_STREET_SUFFIX}\s*,?\s+$",
        from_before=True,
        extend=True,
    ),
    _P("postcode", r"[1-9]\d{3}\s?(?!SS|SD|SA)[A-Z]{2}\b"),
    _P("postcode", r"postcode:?\s+([1-9]\d{3}\s?[a-zA-Z]{2})\b", 1, gate="postcode"),  # (speech-to-text)
    _P("adres", r"[Pp]ostbus\s+\d{1,5}(?:\.\d{2,4})?\b", gate="ostbus"),
    # a BSN or another long number (phone numbers and IBANs win when they overlap)
    _P("nummer", r"\d{7,}(?!\w)"),
    # schools: "Basisschool De Klimboom", "Gymnasium Celeanum", "het Vlietcollege", "Zernike Lyceum"
    _P("school", rf"{_SCHOOL_WORDS}\s+(?:(?:De|Het|Den|'t|de|het)\s+)?{_NAMES}"),
    _P("school", rf"{_SCHOOL_SUFFIX}\b", word_start=False, extend=True, gate=_SCHOOL_GATE),
    # a school named only by its name: "ik zat op Beekvliet", "mijn dochter gaat naar De Wingerd"
    _P(
        "school",
        rf"{_w('zat|zit|zaten|zitten|gezeten|ging|gaat|gingen|gaan')}\s+(?:\S+\s+){{0,3}}?(?:op|naar)\s+(?:het\s+|de\s+)?"
        rf"((?:De\s+|Het\s+|'t\s+)?{_NAMES})(?=\s*[,.;:!?)]|\s+(?:en|maar|toen|dus|want|of|in|tot|waar|daar|school|"
        rf"gezeten|gegaan|geweest|ging|zat|gaat|zit)\b)",
        1,
        check="school",  # "gaat naar X" only of a child: not "we gingen naar het Vondelpark"
    ),
    # an employer named after its kind: "a job at a tech company, Nexora Systems", "bij een klein bedrijf, Kroon BV"
    _P(
        "werkplek",
        r"(?:bij|at|for|voor)\s+(?:een|a|an)\s+(?:[\w-]+\s+){0,2}(?:bedrijf|bedrijfje|company|firm|winkel|shop|zaak|"
        r"bureau|kantoor|organisatie|startup|start-up|agency|fabriek|factory|bakery|restaurant|café|hotel)"
        rf"(?:\s+(?:called|named|genaamd|namelijk))?\s*,?\s+({_ORG_NAMES})",
        1,
    ),
    # an employer after a job title: "jongerenwerker bij Stichting Jong Zaanstad", "docent bij Windesheim"
    _P(
        "werkplek",
        rf"(?:bij|voor)\s+(?:(?:de|het)\s+)?({_ORG_NAMES})",
        1,
        gate=_JOB_GATE,
        before=r"(?:werker|werkster|medewerker|medewerkster|vrijwilliger|vrijwilligster|coördinator|coordinator|"
        r"consulent|adviseur|verpleegkundige|docent|docente|manager|eigenaar|eigenares|stagiair|stagiaire|"
        r"leidinggevende|kapster|kapper|monteur|verkoper|verkoopster|kok|schoonmaker|schoonmaakster|chauffeur)\s+$",
    ),
    # workplaces: "Bakkerij Van Dijk", "Garage Hoekstra", "Tandartspraktijk De Vries"
    _P("werkplek", rf"{_WORKPLACE_WORDS}\s+(?:(?:De|Het|Den|Van|van|de|der|den|'t|Ter|ter)\s+)*{_ORG_NAMES}"),
]


#: Workplaces after "werk bij/voor", "stage bij": the name only; public bodies are left out by the caller.
#: (At the start of a word: a lookbehind, faster here than `word_matches`.)
WORK_AT_RE = _c(
    r"(?<!\w)(?:[Ww]erk|[Ww]erkt|[Ww]erkte|[Ww]erken|werkten|gewerkt|stage|stagiair|stagiaire|solliciteerde|baan|job|works?|"
    r"worked|working)\s+(?:(?:als\s+\w+|sinds\s+\w+|'s\s+\w+|(?!(?:bij|voor|at|for|in|a|an|the|met)\b)[a-z]+)\s+){0,4}?"
    r"(?:(?:bij|in)\s+(?:de|het)\s+[a-z]+\s*,\s+|,\s+)?"
    r"(?:bij|voor|at|for|in)\s+(?:(?:de|het|een|the|a)\s+)?"
    rf"({_ORG_NAMES})"
)

#: Universities, hogescholen and the national academies of public services (police, fire brigade, defence).
_PUBLIC_SCHOOL = re.compile(
    r"(?i)hogeschool|universiteit|university|(?:politie|brandweer|defensie|douane|rijks|militaire\s)academie"
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

KENTEKEN_RE = _c(r"([A-Z0-9][A-Z0-9]{0,2})-([A-Z0-9]{1,3})-([A-Z0-9]{1,3})(?![\w-])")
POSTCODE_RE = _c(r"^\d{4}\s?[A-Za-z]{2}$")


def pattern_spans(text: str, patterns: list[Pattern] | None = None) -> list[Span]:
    """Everything `patterns` (by default `PATTERNS` and licence plates) find in `text` (merged later)."""
    out = []
    for p in PATTERNS if patterns is None else patterns:
        if p.gate is not None:
            for g in p.gate:  # (a loop: as `any(...)`, without a generator per pattern)
                if g in text:
                    break
            else:
                continue
        extra = p.word_start if isinstance(p.word_start, str) else ""
        for m in word_matches(p.regex, text, extra) if p.word_start else p.regex.finditer(text):
            s, e = m.span(p.group)
            if s < 0 or e <= s:
                continue
            lead = m.start()
            if p.before is not None:
                j = lead - 1
                while j >= 0 and (text[j].isspace() or text[j] == ","):
                    j -= 1
                if p.from_before != "any" and (j < 0 or not text[j].isalnum()):
                    continue  # (a fast test: every such `before` ends in a letter or digit, as "straat " before "14")
                b = p.before.search(text, max(0, lead - (80 if p.from_before == "any" else 40)), lead)
                if b is None:
                    continue
                lead = b.start()
                if p.from_before:
                    s = lead
            if p.extend:
                s = extend_back(text, p.label, s)
                if s < 0:
                    continue
            found = text[s:e]
            if p.label == "school" and (
                " ".join(found.casefold().split()) in GENERIC_SCHOOLS or _PUBLIC_SCHOOL.search(found)
            ):
                continue  # a generic word, or a university (a public body of tens of thousands)
            if p.stranger and stranger(text, lead, found):
                continue
            if p.check == "person" and _THING_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue
            going = p.check == "school" and text[m.start() : m.start() + 3].lower().startswith(("ga", "gin"))
            if going and not _CHILD_BEFORE.search(text, max(0, m.start() - 40), m.start()):
                continue
            if p.check == "mailbox" and found.split("@", 1)[0].casefold() in GENERIC_MAILBOXES:
                continue  # an organisation's mailbox ("klachten@sliedrecht.nl"), no person's address
            if p.check == "iban" and not (
                _DUTCH_IBAN.match(found) or valid_iban(found) or ACCOUNT_WORDS.search(text, max(0, s - 60), s)
            ):
                continue  # an IBAN of another country: a valid check number, or said to be an account
            out.append(Span(s, e, p.label, found))
    if "-" in text and patterns is None:
        for m in word_matches(KENTEKEN_RE, text, "-"):
            if is_kenteken(m.groups()):
                out.append(Span(m.start(), m.end(), "kenteken", m.group()))
    return out


_CHILD_BEFORE = re.compile(
    r"(?i)\b(?:dochter|zoon|kind|kinderen|kids|zoontje|dochtertje|broertje|zusje|neefje|nichtje|kleinzoon|"
    r"kleindochter|kleinkind|tweeling|leerlingen?|jongen|meisje|son|daughter)\b[^.!?\n]{0,25}$"
)
_THING_BEFORE = re.compile(r"(?:^|\W)(?:dat|het|dit|er|that|it|this)\s+$", re.IGNORECASE)
_DUTCH_IBAN = re.compile(r"[A-Z]{2}\d{2}\s?[A-Z]{4}(?:\s?\d{2,4}){2,5}$")
