"""Care providers known by name, where the sentence ties them to someone's care.

Many care providers are named by a word or a name alone ("in behandeling bij Karakter", "ik zat een jaar bij
Mondriaan voor mijn angst", "sent me to Mediant", "gesprekken bij Centrum '45", "bij dimence in deventer"):
no kind word shows that they are organisations, and some are ordinary words. deduce ships a list of Dutch
healthcare institutions (about 49,000 names: GGZ, youth care, GP and physiotherapy practices, pharmacies) and
one of hospitals; a name from them (or an organisation's name alone when the list names its locations:
"Proteion Thuiszorg Leudal") is masked as `zorginstelling` after "bij", "naar", "via", "nao", "to", "at",
"through", "van de thuiszorg", "verzorgster van", "zorgaanbieder", or in the first words of a sentence before
"komt" ("Sensire komt drie keer in de week"), when the sentence speaks of care, help or treatment; after "in
het" also when it speaks of someone's work ("overwerken in het Dijklander"). Elsewhere (an actor in the
network: "Mondriaan geeft voorlichting op scholen") it stays readable, as the convention asks
(`dialoog.privacy.relations`). Villages, kind words alone ("verpleeghuis") and public bodies stay readable in
any sentence. Names are looked up first, with `str.find` for the prepositions: the sentence is read only around
a name from the lists.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources

from dialoog.privacy.gazetteer import gazetteer
from dialoog.privacy.lexicon import REGIONAL_ORGANISATIONS, Span, Words

_LIST = "data/lookup/src/institutions/lst_healthcare_institution/items.txt"
_HOSPITALS = "data/lookup/src/institutions/lst_hospital/items.txt"
#: before the name: a preposition of going to or being with a provider, and an article
_BEFORE = re.compile(
    r"(?i)(?<![\w-])(?:(?:bij|naar|via|to|at|in\s+het)|(?:thuiszorg|wijkverpleging|verpleegkundige|begeleider|begeleidster|"
    r"behandelaar|psycholoog|psychologe|psychiater|therapeut|zuster|zusters|verzorgende|jongen|meisje|mevrouw|"
    r"meneer|iemand)\s+van)\s+(?:(?:de|het|the)\s+)?(?=[\w'’])"
)
_WORD = re.compile(r"[\w'’&+-]+")
#: words in the sentence that make it about someone's care, help or treatment
_CARE = re.compile(
    r"(?i)(?<![\w-])(?:behandel\w*|therap\w*|gesprek\w*|psycholo\w*|psychiat\w*|angst\w*|depress\w*|"
    r"doorverwezen|verwezen|verwijzing|intake|wachtlijst|opgenomen|opname|begeleid\w*|hulp|zorg|ggz|"
    r"trauma\w*|eetstoorn\w*|burn-?out|cliënt|client|patiënt\w*|patient|consult|sessie\w*|"
    r"steunkousen|wassen|aankleden|douchen|medicijnen|verzorg\w*|wondzorg|thuiszorg|zusters?|rouw\w*|hulp in huis|"
    r"fysio\w*|huisarts\w*|ziekenhuis|somber\w*|zorgaanbieder|dagbesteding|"
    r"verpleeg\w*|internist|kinderarts|(?:endocrino|cardio|neuro|uro|gynaeco|dermato|onco|"
    r"reumato|seksuo|sexuo|gastro-entero|longarts|oogarts)(?:loog|loge|logen)?|"
    r"sent|referred|treatment|treated|talks|sessions?|counsel\w*|therapist|anxiety|depression|ivf|fertility)(?![\w-])"
)
_PREPOSITIONS = (
    ("bij ", "naar ", "via ", "in het ", "nao ", "noar ")
    + tuple(
        f"{w} van "
        for w in "thuiszorg wijkverpleging verpleegkundige begeleider begeleidster behandelaar psycholoog psychologe "
        "psychiater therapeut zuster zusters verzorgende verzorgster verzorger jongen meisje mevrouw meneer "
        "iemand".split()
    )
    + ("zorgaanbieder ", "ziekenhuis ")
)
_ARTICLE = re.compile(r"(?:de|het|the)\s+(?=[\w'’])")
#: words of someone's work: a sentence with one ties a provider "in het" to them ("overwerken in het Dijklander")
_WORK = re.compile(r"(?i)(?<![\w-])(?:werk|werkt|werkte|werken|overwerk\w*|nachtdienst|dienst|stage)(?![\w-])")
_STOP = ".!?\n"
#: first words of the list that name a kind of provider, not a provider
_KIND = re.compile(
    r"(?i)praktijk|therapie|apothe|zorg|centrum|fysio|tandarts|tandheel|stichting|medisch|service|dental|"
    r"huisarts|verloskund|logoped|diëtist|podo|psycholog|ggd|ggz|kliniek|kraam|mondhyg|oefen|gezondheid|"
    r"hospice|paramedisch|huis$|verpleeg|hospitaal|^(?:de|het|van|st\.?|sint|dr\.?)$"
)
#: words that do not end a provider's name (the list has a few such entries)
_NOT_LAST = frozenset("dat die de het en of van voor met in op te is was als maar die wat wie waar".split())
_FUNCTION_WORDS = frozenset("onze ons mijn zijn haar hun deze die dat het een voor naar over door".split())
_REGIONAL = frozenset(o.casefold() for o in REGIONAL_ORGANISATIONS)
#: the longest name tried, in words
_MOST = 4


@lru_cache(maxsize=1)
def care_names() -> frozenset[str]:
    """deduce's healthcare institutions and hospitals, case-folded, of at least four characters."""
    try:
        lists = resources.files("deduce")
        text = lists.joinpath(_LIST).read_text(encoding="utf-8")
        text += "\n" + lists.joinpath(_HOSPITALS).read_text(encoding="utf-8")  # ("in het Amphia", "Rijnstate")
    except (ModuleNotFoundError, FileNotFoundError):  # deduce without its source lists: nothing to look up
        return frozenset()
    names: set[str] = set()
    firsts: Counter[str] = Counter()
    for line in text.splitlines():
        words = line.split()
        names.add(" ".join(words).casefold())
        if len(words) >= 3 and words[0].isupper() and len(words[0]) <= 4:  # an umbrella's name before the
            names.add(" ".join(words[1:]).casefold())  # provider's own: "ARQ Centrum '45" -> "Centrum '45"
        if len(words) >= 2 and words[0][:1].isupper():
            firsts[words[0].rstrip(",")] += 1
    # an organisation's name before its locations ("Proteion Thuiszorg Leudal", "Proteion Zorgcentrum De
    # Kreppel"): the name alone too, unless it says the kind ("Huisartsenpraktijk", "Apotheek")
    names |= {w.casefold() for w, n in firsts.items() if n >= 3 and not _KIND.search(w)}
    places = {p.casefold() for p in gazetteer().places}  # a village is a village ("naar Vreeland")
    return frozenset(
        n
        for n in names
        if len(n) >= 4 and n not in places and not (" " not in n and (_KIND.search(n) or n in _FUNCTION_WORDS))
    )  # (not a word alone that says the kind, "verpleeghuis", or a function word, "onze")


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    """The first word of every name of `care_names`."""
    return frozenset(n.split(" ", 1)[0] for n in care_names())


def care_spans(words: Words, text: str) -> list[Span]:
    """Care providers from deduce's list after "bij", "naar", "via", "to", "at", "van de thuiszorg" (or "in
    het" where the sentence speaks of work too), or at a sentence's start before "komt", in a sentence about
    care. (Names are looked up first: the sentence is read only around a name from the list.)"""
    low = text.lower()
    if not any(p in low for p in ("bij ", "naar ", "via ", "to ", "at ", "van ", " kom", "in het", "nao ", " kum")):
        return []
    names = care_names()
    out = []
    for start in _comes_at(text, low):
        m = _WORD.match(text, start)
        name = m.group() if m and m.group()[:1].isupper() else ""
        end = start + len(name)
        if name.casefold() in names and not words.is_readable_name(name) and _about(text, start, end):
            out.append(Span(start, end, "zorginstelling", name))
    firsts = _first_words()
    for at, after in _prepositions(text, low):
        first = _WORD.match(text, after)
        if first is None or first.group().casefold().rstrip("'’-") not in firsts:
            continue  # (no name of the list starts with the next word: most prepositions)
        tokens: list[re.Match[str]] = []
        for w in _WORD.finditer(text, after, min(len(text), after + 80)):
            gap = text[tokens[-1].end() : w.start()] if tokens else ""
            if tokens and (gap.strip() or "\n" in gap or len(tokens) == _MOST):
                break
            tokens.append(w)
        for n in range(len(tokens), 0, -1):
            start, end = tokens[0].start(), tokens[n - 1].end()
            name = text[start:end].rstrip("'’-")
            if name.rsplit(None, 1)[-1].lower() in _NOT_LAST:
                continue  # "de thuiszorg dat vroeg": a word of the sentence, not of a name
            if " ".join(name.split()).casefold() in names:
                ordinary = name.islower() and words.is_common_word(name)  # "bij mijn tante"
                public = words.is_readable_name(name) or name.split()[0].casefold() in _REGIONAL  # "ggd fryslân"
                at_work = low.startswith("in", at)  # "overwerken in het Dijklander"
                if not ordinary and not public and _about(text, at, start + len(name), at_work):
                    out.append(Span(start, start + len(name), "zorginstelling", name))
                break
    return out + _said_again(text, out)


def _prepositions(text: str, low: str) -> list[tuple[int, int]]:
    """(start, end) of each preposition (with an article) after which a provider may be named, found with
    `str.find` in the lower-cased text (a regex would try every word)."""
    if len(low) != len(text):  # (lower-casing changed the length: the regex on the text itself)
        return [m.span() for m in _BEFORE.finditer(text)]
    out = []
    english = " to " in low or " at " in low or " the " in low
    for prep in _PREPOSITIONS + (("to ", "at ", "through ") if english else ()):
        i = low.find(prep)
        while i >= 0:
            if i == 0 or not (low[i - 1].isalnum() or low[i - 1] in "_-"):
                article = _ARTICLE.match(low, i + len(prep))
                out.append((i, article.end() if article else i + len(prep)))
            i = low.find(prep, i + 1)
    return out


def _comes_at(text: str, low: str) -> list[int]:
    """The starts of the last three words before "komt", "kwam", "komen" (or Limburgs "kump") in their
    sentence ("Sensire komt drie keer in de week", "Jao, Proteion kump ..."): where a provider may be named."""
    out = []
    for verb in (" komt", " kwam", " komen", " kump", " kumt", " kömt"):
        i = low.find(verb)
        while i >= 0:
            j = i + len(verb)
            if j == len(low) or not (low[j].isalnum() or low[j] == "_"):
                begin = max(text.rfind(c, 0, i) for c in _STOP) + 1
                # the capitalised words among the last three before the verb ("HB: Jao, Proteion kump")
                out += [begin + m.start() for m in _WORD.finditer(text[begin:i])][-3:]
            i = low.find(verb, j)
    return out


def _about(text: str, start: int, end: int, work: bool = False) -> bool:
    """Whether the sentence around text[start:end] speaks of care, help or treatment (or, with `work`, of
    someone's work)."""
    a, b = _sentence_at(text, start, end)
    return _CARE.search(text, a, b) is not None or (work and _WORK.search(text, a, b) is not None)


def _sentence_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (between . ! ? and line breaks) around text[start:end]."""
    begin = max(text.rfind(c, 0, start) for c in _STOP) + 1
    stops = [i for c in _STOP if (i := text.find(c, end)) >= 0]
    return begin, min(stops) if stops else len(text)


def _said_again(text: str, found: list[Span]) -> list[Span]:
    """Every other mention, in any case, of a care provider found ("de thuiszorg van proteion" ... "een
    jongen van proteion die vroeg")."""
    out = []
    for name in {s.text.casefold() for s in found}:
        pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.IGNORECASE)
        out += [Span(m.start(), m.end(), "zorginstelling", m.group()) for m in pattern.finditer(text)]
    return out
