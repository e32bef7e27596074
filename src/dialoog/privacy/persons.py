"""Person names that deduce's lists and the context rules miss, found by how a text uses them.

- A name after a form of address or a family word is a name even when it is also an ordinary word or a
  place ("mevrouw Kleine", "de familie Hoogeveen"); roles stay ("meneer de burgemeester").
- Two rare capitalised words side by side are a first name and a surname that no list has.
- A name spelled letter by letter ("B-a-k-k-e-r", "d-i-j-k-h-u-i-z-e-n") is that name, when the text names it
  elsewhere.
- A capitalised word that a text uses twice or more in the middle of a sentence, never in lower case, and that
  is not frequent in Dutch or English, a place or a public name, is a name ("Cor", short for Cornelis, which
  deduce's whitelist holds as a medical word).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from functools import lru_cache

from dialoog.privacy.key import _norm
from dialoog.privacy.lexicon import COUNTRIES, Span, Words, trie_pattern
from dialoog.privacy.scan import word_matches

_UPPER = "A-Z\u00c0-\u00de"
_WORD = rf"[{_UPPER}][a-z\u00df-\u00ff]+"
_CAPITALISED_TITLES = ["Meneer", "Mevrouw", "Mevr.", "Mw.", "Dhr.", "Familie", "Gezin"]
_ADDRESS_RE = re.compile(
    trie_pattern([t.lower() for t in _CAPITALISED_TITLES] + _CAPITALISED_TITLES) + r"\s+"
    rf"((?:(?:van|de|der|den|ter|ten|Van|De|Den|Ter|Ten)\s+){{0,3}}{_WORD}(?:-{_WORD})?)(?![\w-])"
)
_ROLES = re.compile(
    r"(?i)(?:burgemeester|wethouder|directeur|directrice|voorzitter|dokter|agent|rector|minister|president|"
    r"pastoor|dominee|huisarts|koning|koningin|prins|prinses)$"
)
_CAPITALISED_RE = re.compile(rf"{_WORD}(?![\w'’-])")
_PAIR_RE = re.compile(rf"({_WORD}) ({_WORD})(?![\w'’-])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”(\[\]*\-•]|\n)\s*$")
#: Words before a place or a thing: a word used after one of them anywhere in the text is no name.
_PLACE_BEFORE = re.compile(r"(?<![\w-])(?:in|uit|naar|te|rond|via|de|het|der|from|to|the|at|near)\s+$", re.IGNORECASE)


#: A word said to be an organisation of the network right after it ("Woontij, dat is onze woningcorporatie")
_ORGANISATION_AFTER = re.compile(
    r"(?:\s+\w+){0,3}?,\s+(?:dat|die|this|that)\s+(?:is|zijn|was|is\s+de)\s+(?:onze|ons|de|het|een|hun|our|the|a)\s+"
    r"(?:\w+\s+)?(?:woningcorporatie|corporatie|woningbouw\w*|verhuurder|welzijns\w*|zorgverzekeraar|krant|omroep|"
    r"vereniging|stichting|housing\s+association|newspaper)\b"
)
#: "naar" after asking, looking or longing: before a person ("ze vraagt altijd nog naar Dien"), not a place
_ASKED_BEFORE = re.compile(
    r"(?i)(?<![\w-])(?:vraag\w*|vroeg\w*|gevraagd|informeer\w*|luister\w*|kijk\w*|keek|verlang\w*|zoek\w*|"
    r"zocht\w*)\s+(?:\w+\s+){0,3}naar\s+$"
)


def _starts_word(text: str, i: int) -> bool:
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_-")


def _literal_starts(text: str, word: str, stops: str) -> Iterator[int]:
    """Where `word` (letters only: no character that a regex reads specially) occurs in `text`, not followed by
    a word character or one of `stops`: the starts of ``re.finditer(word + "(?![\\w<stops>])", text)``, found
    with `str.find` (no regex compiled per word)."""
    n = len(word)
    i = text.find(word)
    while i >= 0:
        j = i + n
        if j < len(text) and (text[j].isalnum() or text[j] == "_" or text[j] in stops):
            i = text.find(word, i + 1)
        else:
            yield i
            i = text.find(word, j)


def _lower_use(text: str, word: str) -> bool:
    return any(_starts_word(text, i) for i in _literal_starts(text, word, "-"))


@lru_cache(maxsize=65536)
def _everyday(word: str) -> bool:
    """Whether `word` (lower case) is an everyday word in Dutch or English (wordfreq)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl") >= 4.0 or zipf_frequency(word, "en") >= 4.5


_DEMONYM_END = re.compile(r"(?:ees|ese|ezen|ers?|ërs?|iërs?|iers?|aans?e?|anen|se|sche|ische?|isch|en|e|s|i)$")
_COUNTRY_HEADS = {c[:4] for c in COUNTRIES if len(c) >= 4}


def _demonym(word: str) -> bool:
    """Whether `word` names the people or language of a country in the lists ("Syriërs", "Eritrese",
    "Marokkanen", "Turkse")."""
    return word[:4] in _COUNTRY_HEADS and len(word) >= 5 and bool(_DEMONYM_END.search(word[4:]))


def addressed_names(text: str) -> list[Span]:
    """Names after "meneer", "mevrouw", "familie" and the like, whatever else the word may be."""
    out = []
    if not any(w in text for w in ("eneer", "evrouw", "evr.", "mw.", "Mw.", "hr.", "amilie", "ezin")):
        return out
    for m in word_matches(_ADDRESS_RE, text, "-"):
        if not _ROLES.search(m.group(1)):
            out.append(Span(m.start(1), m.end(1), "persoon", m.group(1)))
    return out


def unlisted_names(w: Words, text: str) -> list[Span]:
    """Pairs of rare capitalised words ("Kasia Nowicka") and capitalised words used as names throughout a
    text; none of them a place or public name."""
    out = []
    for m in _PAIR_RE.finditer(text):
        if w.is_rare_word(m.group(1)) and w.is_rare_word(m.group(2)) and _starts_word(text, m.start()):
            out.append(Span(m.start(), m.end(), "persoon", m.group()))
    counts = Counter(_CAPITALISED_RE.findall(text))
    for word, n in counts.items():
        if n < 2 or _everyday(word.lower()) or _norm(word) in w._allowed_words or _demonym(word):
            continue
        spans = [(i, i + len(word)) for i in _literal_starts(text, word, "'’-") if _starts_word(text, i)]
        if any(
            _PLACE_BEFORE.search(text, max(0, s - 6), s) and not _ASKED_BEFORE.search(text, max(0, s - 40), s)
            for s, _ in spans
        ):
            continue  # used as a place or a thing somewhere (not "vraagt altijd naar Dien")
        if any(_ORGANISATION_AFTER.match(text, e) for _s, e in spans):
            continue  # "met Woontij gepraat, dat is onze woningcorporatie"
        places = [(s, e) for s, e in spans if not _SENTENCE_START.search(text, max(0, s - 4), s)]
        if len(places) < 2 or _lower_use(text, word.lower()):
            continue  # also written in lower case: an ordinary word
        out += [Span(s, e, "persoon", word) for s, e in places]
    return out


_LETTERS_RE = re.compile(r"[^\W\d_]+")
_SPELLED_RE = re.compile(r"(?<![\w-])[^\W\d_](?:-[^\W\d_]){2,}(?![\w-])")


def spelled_names(text: str, names: set[str]) -> list[Span]:
    """A name spelled letter by letter ("B-a-k-k-e-r", "o-u-d-s-h-o-o-r-n") whose letters make one of the words
    of `names` (the persons found in the text), in any case."""
    if "-" not in text or not names:
        return []
    words = {w.casefold() for n in names for w in _LETTERS_RE.findall(n)}
    return [
        Span(m.start(), m.end(), "persoon", m.group())
        for m in _SPELLED_RE.finditer(text)
        if m.group().replace("-", "").casefold() in words
    ]


_SURNAME_PARTICLES = frozenset("van de den der ter ten te het op in la le di da du del von vom".split())


def word_before_a_place(w: Words, s: Span, inside: Callable[[int, int], bool]) -> bool:
    """Whether a person's span is a capitalised word that is no name before a readable place or organisation
    that fills the rest of it ("Focusgroep Hendrik-Ido-Ambacht"; `inside`: whether a stretch of the text is
    readable). Not an initial or a particle ("M. Westerveld", "Van Tiel")."""
    first, _, rest = s.text.partition(" ")
    if not rest or not first[:1].isupper() or not first.isalpha() or first.lower() in _SURNAME_PARTICLES:
        return False
    if w.is_known_first_name(first) or w.is_surname(first):
        return False
    return inside(s.end - len(rest), s.end)
