"""Person names found by how a text uses them, also when the name is a word or a place.

- A speaker label at the start of a line, used for two turns or more, that is no role ("TOLK", "Interviewer",
  "R4") and no field of a form or an e-mail header ("Onderwerp", "Van"), is a person when it is a first name
  in deduce's list or a rare word. A label that is a word ("HOOP", "Besproken") is a person only when the
  text also writes it capitalised in the middle of a sentence ("Onze gast is Hoop van Essen"), as a human
  reader would conclude.
- A name in a form: "Achternaam: El Khatib", "Voornamen: Youssef Karim", "Naam cliënt: Wolters, Noa".
- A nickname in quotes inside a full name ('Dorien "Tante Door" Meeuwsen'): the whole name, and the nickname
  wherever else the text uses it.
- A name in a greeting, a thank-you or a vocative ("Hoi Dewi!", "Heel erg bedankt Mei!!", "Dank je wel,
  Hoop") and a chat message that introduces its writer ("Hallo, Mei hier.").
- A place used as a person's first name ("mijn vriend Ede", "Ede Postma"): every other mention of it in the
  same text is that person, except where the text uses it as a place ("in Ede", "gemeente Ede").

The detector (`dialoog.privacy.detect`) passes these spans on to its propagation step, which finds every
other mention of the names in the text (capitalised, or in upper case as a label).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from dialoog.privacy.context import cased
from dialoog.privacy.key import _norm
from dialoog.privacy.lexicon import TRANSCRIPT_ROLES, Span, Words
from dialoog.privacy.names_more import initials_of_a_name, more_names
from dialoog.privacy.scan import word_matches

_UP = "A-Z\u00c0-\u00de"
_L = r"[^\W\d_]"
_CAP = rf"[{_UP}]{_L}*(?:['’-]{_L}+)*"
_INTERFIX = r"(?:van|de|der|den|ter|ten|te|el|al|El|Al|Van|De|Den|Ter|Ten|Ben|ben|Abu|bin|da|dos|du|le|La|Le)"

#: A speaker label at the start of a line, after an optional timestamp ("[12:03]", "(00:14:02)").
_LABEL_RE = re.compile(
    rf"^[ \t]*(?:[\[(][^\]\)\n]{{0,24}}[\])][ \t]*)?[*_]{{0,2}}({_CAP}(?:[ \t]+(?:{_INTERFIX}[ \t]+)*{_CAP}){{0,2}})"
    r"(?:[*_]{0,2}|[ \t]*[\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d]{1,6}):[ \t]",
    re.MULTILINE,
)
#: Roles, functions and fields of forms and headers that open a line with a colon (lower case).
_NOT_PERSONS = frozenset(
    (
        "aangever aangeefster verbalisant tolk presentator presentatrice luisteraar host gast ouder ouders moeder "
        "vader boer boerin agent wijkagent docent leerkracht student leerling vrijwilliger bewoner bewoonster "
        "professional ambtenaar wethouder huisarts verpleegkundige zorgmedewerker jongerenwerker wijkcoach dominee "
        "pastor pastoor imam voorzitter secretaris notulist notuliste begeleider coach mentor cliënt client "
        "onderwerp van aan cc bcc datum verzonden tijd locatie plaats adres telefoon tel e-mail email mail project "
        "opname noot notitie let op vraag antwoord q a i r o v d s int resp res naam note subject from to sent date "
        "question answer speaker narrator researcher interviewee presenter facilitator translator interpreter "
        "woordvoerder beheerder moderator admin systeem bericht ps n.b"
    ).split()
)
_FORM_RE = re.compile(
    r"(?:Achternaam|Familienaam|Geslachtsnaam|Geboortenaam|Meisjesnaam|Voornamen|Voornaam|Roepnaam|"
    r"Naam(?:\s+(?:cliënt|client|betrokkene|aangever|verdachte|melder))?|Surname|Last name|First names?|Full name|"
    r"Name)\s*:[ \t]*"
    rf"((?:{_INTERFIX}\s+){{0,3}}{_CAP}(?:[ \t]+(?:{_INTERFIX}[ \t]+){{0,3}}{_CAP}){{0,3}}"
    rf"(?:,[ \t]+{_CAP}(?:[ \t]+{_CAP})?)?)"
)
#: A nickname in quotes between a first name and a surname; the first name is checked before the quote.
_QUOTED_RE = re.compile(rf"[ \t][\"“„‘']({_CAP}(?:[ \t]+{_CAP})?)[\"”’'][ \t]+((?:{_INTERFIX}[ \t]+){{0,3}}{_CAP})")
_NAME_BEFORE_RE = re.compile(rf"(?<![\w-]){_CAP}$")
_GREETING = cased(
    "hoi|hallo|hey|hee|hi|hello|dag|doei|welkom|bedankt|dank je wel|dank je|dank u wel|dank u|dankjewel|thanks|"
    "thank you|lieve|beste|goedemorgen|goedemiddag|goedenavond|sterkte|gefeliciteerd|succes|trots op je|welterusten|"
    "slaap lekker"
)
_SURNAME_PART = rf"(?:[ \t]+(?:{_INTERFIX}[ \t]+){{0,3}}{_CAP})"
_GREETED_RE = re.compile(rf"{_GREETING},?[ \t]+({_CAP})({_SURNAME_PART}?)(?=[ \t]*(?:[!?,.]|$))", re.MULTILINE)
#: A person introduced by name: "Onze gast is Hoop van Essen", "Mijn naam is ...", "This is ...".
_INTRODUCED_RE = re.compile(
    cased("onze gast is|te gast is|mijn naam is|ik heet|hij heet|ze heet|zij heet|my name is|her name is|his name is")
    + r"(?:\s+(?:eigenlijk|officieel|voluit|echt|gewoon|trouwens))?"  # "Hij heet eigenlijk Hazelius"
    + rf"\s+({_CAP})({_SURNAME_PART}?)(?![\w-])"
)
#: Words for groups and roles that follow a greeting ("Hoi Allemaal!", "Beste Collega's,").
_GROUPS = frozenset(
    "allemaal iedereen allen team collega's collega mensen jongens meiden dames heren buren luisteraars vrienden "
    "lieverds schat schatten lieverd kanjer kanjers groep everyone everybody guys all folks".split()
)
#: "Hallo, Mei hier." (not "Maar hier, bij ..."): after a line start, label, comma or greeting, before "." or "!".
_HERE_RE = re.compile(rf"(?:^|[:,\]]|[Hh]allo|[Hh]oi|[Hh]ey)[ \t]*({_CAP})[ \t]+hier(?=[ \t]*[.!]|$)", re.MULTILINE)
_FOREIGN_CHARS = re.compile("[şğıłżźćńśęąőűčřžšđŞĞŁŻŹĆŃŚČŘŽŠĐ]")
_KIN_PLACE_RE = re.compile(
    cased("mijn|m'n|onze|ons|zijn|haar|je|jouw")
    + r"\s+(?:beste\s+|oude\s+|goede\s+)?(?:vriend|vriendin|vriendje|broer|"
    rf"broertje|zus|zusje|neef|nicht|zoon|dochter|partner|buurman|buurvrouw|collega|ex|maat|vriendinnetje),?\s+({_CAP})"
    r"(?![\w-])"
)
_PLACE_BEFORE = re.compile(
    r"(?<![\w-])(?:in|uit|naar|te|rond|via|richting|gemeente|buurt|omgeving|regio|provincie|bij|voorbij|door|"
    r"from|to|near|of|at|around|ten|nabij)\s+$",
    re.IGNORECASE,
)


_SENTENCE_OPENS = re.compile(r"(?:^|[.!?:;\"“”(\[\]\n])\s*$")
_CODE_LABEL = re.compile(r"[a-z]{1,2}\.?\d*|[a-z]+\.?\d+")
_QUOTE_OPENS = re.compile(r"[\"“„‘'][ \t]*$")


def _mid_sentence(text: str, i: int) -> bool:
    """Whether position `i` is inside a sentence (not after a line start, label, or end of sentence)."""
    before = text[max(0, i - 3) : i]
    return bool(before.strip()) and not _SENTENCE_OPENS.search(before) and i > 0


def _is_role(label: str) -> bool:
    words = [x.casefold() for x in label.split() if x[0].isupper()]
    return (
        label.casefold() in _NOT_PERSONS
        or any(x in TRANSCRIPT_ROLES or x in _NOT_PERSONS for x in words)
        or bool(_CODE_LABEL.fullmatch(label.casefold()))  # "Q", "R4", "S1"
    )


def speaker_names(w: Words, text: str) -> list[Span]:
    """Speaker labels that name a person (see the module docstring)."""
    if ":" not in text:
        return []
    matches = list(_LABEL_RE.finditer(text))
    counts = Counter(m.group(1) for m in matches)
    out = []
    for label, n in counts.items():
        if n >= 2 and initials_of_a_name(label, text):
            out += [Span(m.start(1), m.end(1), "persoon", label) for m in matches if m.group(1) == label]
            continue
        if n < 2 or _is_role(label) or all(_norm(p) in w._allowed_words for p in label.split()):
            continue
        word = " ".join(p.capitalize() for p in label.split()) if label.isupper() else label
        caps = [p for p in word.split() if p[0].isupper()]
        if not all(w.is_known_first_name(p) or w.is_rare_word(p) for p in caps):
            # a word ("HOOP", "Besproken", "Researcher"): a person only when the text also writes it capitalised
            # in the middle of a sentence ("Onze gast is Hoop van Essen"); else a role or a field ("OUDER")
            uses = [m.start() for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]
            if not any(_mid_sentence(text, i) for i in uses):
                continue
        out += [Span(m.start(1), m.end(1), "persoon", label) for m in matches if m.group(1) == label]
    return out


def form_names(text: str) -> list[Span]:
    """Names after the name fields of a form ("Achternaam: El Khatib", "Naam cliënt: Wolters, Noa")."""
    if ":" not in text or "aam" not in text and "ame" not in text:
        return []
    return [Span(m.start(1), m.end(1), "persoon", m.group(1)) for m in _FORM_RE.finditer(text)]


def quoted_nicknames(text: str) -> tuple[list[Span], set[str]]:
    """Full names with a nickname in quotes, and the nicknames (to be found wherever else the text has them)."""
    spans, nicks = [], set()
    if '"' not in text and "“" not in text and "'" not in text and "‘" not in text:
        return spans, nicks
    for m in _QUOTED_RE.finditer(text):
        first = _NAME_BEFORE_RE.search(text, max(0, m.start() - 30), m.start())
        if first:
            spans.append(Span(first.start(), m.end(), "persoon", text[first.start() : m.end()]))
            nicks.add(m.group(1))
    return spans, nicks


def _here_matches(text: str) -> Iterator[re.Match[str]]:
    """``_HERE_RE.finditer(text)``, run only over the lines with "hier" in them (a match never leaves its line;
    the regex, which may start at any line start, would otherwise be tried at every position of the text)."""
    i = text.find("hier")
    while i >= 0:
        end = text.find("\n", i)
        end = len(text) if end < 0 else end
        yield from _HERE_RE.finditer(text, text.rfind("\n", 0, i) + 1, end)
        i = text.find("hier", end)


def greeted_names(w: Words, text: str) -> list[Span]:
    """Names in greetings, thanks and vocatives ("Welkom Dewi!", "bedankt Mei!!"), introductions ("Onze gast is
    Hoop van Essen") and "Mei hier". A name that is also a word counts with a surname, or before "!"."""
    out = []
    regexes = [_GREETED_RE]
    if any(k in text for k in (" is ", "heet")):
        regexes.append(_INTRODUCED_RE)
    if " hier" in text:
        regexes.append(_HERE_RE)
    for regex in regexes:
        for m in word_matches(regex, text, "-") if regex is not _HERE_RE else _here_matches(text):
            word = m.group(1)
            if _norm(word) in w._allowed_words or word.casefold() in _NOT_PERSONS | _GROUPS:
                continue
            surname = m.group(2).split()[-1] if regex is not _HERE_RE and m.group(2) else ""
            if surname and _norm(surname) in w._allowed_words and not _surname_place(w, surname):
                surname = ""  # "Welkom Teun van Breda": the place stays
            shout = text[m.end(1) : m.end(1) + 1] == "!"
            name_like = w.is_known_first_name(word) or w.is_rare_word(word) or not w.is_common_word(word) and shout
            if regex is not _HERE_RE and not (name_like or surname or shout):
                continue  # "Dag Jeugdzorg." no; "Bedankt Mei!" and "Dank je, Hoop van Essen." yes
            end = m.end(2) if surname else m.end(1)
            out.append(Span(m.start(1), end, "persoon", text[m.start(1) : end]))
    return out


@lru_cache(maxsize=1)
def _municipalities() -> frozenset[str]:
    from dialoog.study.gemeenten import all_gemeenten

    return frozenset(_norm(g.name) for g in all_gemeenten())


def _surname_place(w: Words, word: str) -> bool:
    """Whether a place after an interfix is a surname here ("van Essen"): a surname that is no municipality
    ("van Breda" stays a place)."""
    return w.is_interfix_surname(word) and _norm(word) not in _municipalities()


def places_as_names(w: Words, text: str, spans: list[Span]) -> list[Span]:
    """Every mention of a place that this text uses as a person's first name ("mijn vriend Ede", "Ede Postma"),
    except where it is used as a place ("in Ede")."""
    proven = {m.group(1) for m in _KIN_PLACE_RE.finditer(text) if _norm(m.group(1)) in w._allowed_words}
    for s in spans:
        parts = s.text.split()
        if s.label == "persoon" and len(parts) == 2 and _norm(parts[0]) in w._allowed_words:
            if _norm(parts[1]) not in w._allowed_words and w.is_surname(parts[1]):
                proven.add(parts[0])
    out = []
    for word in proven:
        for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w'’-])", text):
            if not _PLACE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                out.append(Span(m.start(), m.end(), "persoon", word))
    return out


#: A nickname: "iedereen noemt mij Jan-Pieter, of JP", "everybody says Krzysiek".
_NICKNAME_RE = re.compile(
    r"(?:iedereen\s+(?:noemt|zegt)|ze\s+noemen|noem(?:t|en|de)?|everybody\s+(?:says|calls)|everyone\s+(?:says|calls)|"
    rf"people\s+call|they\s+call|call)\s+(?:mij\s+|me\s+|hem\s+|haar\s+|him\s+|her\s+)?({_CAP})"
    rf"(?:,?\s+(?:of|or)\s+(?:gewoon\s+|just\s+)?({_CAP}))?"
)
#: Letters of names from Turkish, Polish, Czech, Hungarian and other languages that Dutch and English words lack.
_FOREIGN_LETTERS_RE = re.compile(
    rf"(?<![\w-])(?={_L}*[şğıłżźćńśęąőűčřžšđŞĞŁŻŹĆŃŚČŘŽŠĐ])([{_UP}ŁŚŻŹŞČŠŽĆ]{_L}+)(?![\w'’-])"
)


def nicknames(w: Words, text: str) -> list[Span]:
    """Nicknames ("noemt mij Jan-Pieter, of JP", "everybody says Krzysiek") that are no ordinary word."""
    out = []
    if not any(k in text for k in ("noem", "zegt", "says", "call")):
        return out
    for m in _NICKNAME_RE.finditer(text):
        for g in (1, 2):
            word = m.group(g)
            if word and not w.is_common_word(word) and _norm(word) not in w._allowed_words:
                out.append(Span(m.start(g), m.end(g), "persoon", word))
    return out


def foreign_names(w: Words, text: str) -> list[Span]:
    """Rare capitalised words spelled with letters of other languages' names ("Büşra", "Małgorzata"), unless
    the text uses the word as a place somewhere ("near Wrocław", "uit Gdańsk")."""
    if not _FOREIGN_CHARS.search(text):
        return []
    found = [m for m in _FOREIGN_LETTERS_RE.finditer(text) if w.is_rare_word(m.group(1)) and not _exclaimed(text, m)]
    places = {m.group(1) for m in found if _PLACE_BEFORE.search(text, max(0, m.start() - 12), m.start())}
    return [Span(m.start(1), m.end(1), "persoon", m.group(1)) for m in found if m.group(1) not in places]


_OPENS = re.compile(r"(?:^|[:\n]|[\"“„‘'])[ \t]*$")


def _exclaimed(text: str, m: re.Match[str]) -> bool:
    """A word that opens a quotation ('"Kızım, eet je wel?"') or is a turn of its own ("ANOUK: Dziękuję."):
    a word of the speaker's language, not a name."""
    before = text[max(0, m.start() - 3) : m.start()]
    quoted = bool(_QUOTE_OPENS.search(before))
    alone = bool(_OPENS.search(before)) and text[m.end() : m.end() + 1] in (".", "!", "?")
    return quoted or alone


_SURNAME_AFTER_RE = re.compile(
    rf"[ \t]+((?:van[ \t]+(?:de|der|den)|in[ \t]+'t|van|de|der|den|ter|ten|te|el|al|El|Al)[ \t]+{_CAP})(?![\w-])"
)


def with_surnames(w: Words, text: str, spans: list[Span]) -> list[Span]:
    """A one-word name followed by an interfix and a capitalised word that is no place: the full name
    ("Hoop van Essen", "Mei de Bruin")."""
    out = []
    for s in spans:
        if s.label != "persoon" or " " in s.text:
            continue
        m = _SURNAME_AFTER_RE.match(text, s.end)
        last = m.group(1).split()[-1] if m else ""
        if m and (_norm(last) not in w._allowed_words or _surname_place(w, last)):
            out.append(Span(s.start, m.end(), "persoon", text[s.start : m.end()]))
    return out


def used_names(w: Words, text: str, regions: list[tuple[int, int]] | None = None) -> tuple[list[Span], set[str]]:
    """All the spans above but `places_as_names` (which needs the persons found), and the nicknames
    (`regions`: `lower_case_regions(text)`, if known)."""
    nick_spans, nicks = quoted_nicknames(text)
    found = speaker_names(w, text) + form_names(text) + greeted_names(w, text) + nicknames(w, text)
    found += more_names(w, text, regions)
    return found + foreign_names(w, text) + nick_spans, nicks
