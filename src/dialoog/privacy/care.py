"""Care providers known by name, where the sentence ties them to someone's care.

Many care providers are named by a word or a name alone ("in behandeling bij Karakter", "ik zat een jaar bij
Mondriaan voor mijn angst", "sent me to Mediant", "gesprekken bij Centrum '45", "bij dimence in deventer"):
no kind word shows that they are organisations, and some are ordinary words. deduce ships a list of Dutch
healthcare institutions (about 49,000 names: GGZ, youth care, GP and physiotherapy practices, pharmacies);
a name from it is masked as `zorginstelling` when it follows "bij", "naar", "via", "to" or "at" and the
sentence speaks of care, help or treatment. Elsewhere (an actor in the network: "Mondriaan geeft voorlichting
op scholen") it stays readable, as the convention asks (`dialoog.privacy.relations`). Names that are places
or public bodies stay readable in any sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources

from dialoog.privacy.gazetteer import gazetteer
from dialoog.privacy.lexicon import REGIONAL_ORGANISATIONS, Span, Words
from dialoog.privacy.scan import word_matches

_LIST = "data/lookup/src/institutions/lst_healthcare_institution/items.txt"
_HOSPITALS = "data/lookup/src/institutions/lst_hospital/items.txt"
#: before the name: a preposition of going to or being with a provider, and an article
_BEFORE = re.compile(
    r"(?i)(?<![\w-])(?:(?:bij|naar|via|to|at|in\s+het)|(?:thuiszorg|wijkverpleging|verpleegkundige|begeleider|begeleidster|"
    r"behandelaar|psycholoog|psychologe|psychiater|therapeut|zuster|zusters|verzorgende|jongen|meisje|mevrouw|"
    r"meneer|iemand)\s+van)\s+(?:(?:de|het|the)\s+)?(?=[\w'’])"
)
#: a provider that comes to someone's home, at the start of a sentence: "Sensire komt drie keer in de week"
_COMES = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))([A-Z\u00c0-\u00de][\w'’-]+(?: [\w'’-]+){0,2}) (?:komt|kwam|komen)\b")
_WORD = re.compile(r"[\w'’&+-]+")
#: words in the sentence that make it about someone's care, help or treatment
_CARE = re.compile(
    r"(?i)(?<![\w-])(?:behandel\w*|therap\w*|gesprek\w*|psycholo\w*|psychiat\w*|angst\w*|depress\w*|"
    r"doorverwezen|verwezen|verwijzing|intake|wachtlijst|opgenomen|opname|begeleid\w*|hulp|zorg|ggz|"
    r"trauma\w*|eetstoorn\w*|burn-?out|cliënt|client|patiënt|patient|consult|sessie\w*|"
    r"steunkousen|wassen|aankleden|douchen|medicijnen|verzorg\w*|wondzorg|thuiszorg|zusters?|"
    r"patiënt\w*|\w+oloog|\w+ologe|verpleeg\w*|"
    r"sent|referred|treatment|treated|talks|sessions?|counsel\w*|therapist|anxiety|depression)(?![\w-])"
)
_CARE_LOWER = re.compile(_CARE.pattern.replace("(?i)(?<![\\w-])", "", 1))
#: words of someone's work: a sentence with one ties a provider "in het" to them ("overwerken in het Dijklander")
_WORK = re.compile(r"(?i)(?<![\w-])(?:werk|werkt|werkte|werken|overwerk\w*|nachtdienst|dienst|stage)(?![\w-])")
_WORK_LOWER = re.compile(_WORK.pattern.replace("(?i)(?<![\\w-])", "", 1))
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


def care_spans(words: Words, text: str) -> list[Span]:
    """Care providers from deduce's list after "bij", "naar", "via", "to" or "at" in a sentence about care."""
    low = text.lower()
    if not any(p in low for p in ("bij ", "naar ", "via ", "to ", "at ", "van ", " kom", "in het")):
        return []
    names = care_names()
    out = []
    care = _sentences(text, _CARE, _CARE_LOWER)
    work = [r for r in _sentences(text, _WORK, _WORK_LOWER) if r not in care] if "in het" in low else []
    for a, b in care + work:  # (the rest of the text need not be read)
        at_work = (a, b) not in care
        for m in [] if at_work else _COMES.finditer(text, a, b):
            name = m.group(1).split(" ")[0]
            if name.casefold() in names and not words.is_readable_name(name):
                out.append(Span(m.start(1), m.start(1) + len(name), "zorginstelling", name))
        for m in _BEFORE.finditer(text, a, b):
            if at_work and not m.group().lower().startswith("in"):
                continue  # at work, only a provider "in het": "overwerken in het Dijklander"
            tokens = []
            for w in _WORD.finditer(text, m.end(), min(b, m.end() + 80)):
                if tokens and (text[tokens[-1].end() : w.start()].strip() or len(tokens) == _MOST):
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
                    if not ordinary and not public:
                        out.append(Span(start, start + len(name), "zorginstelling", name))
                    break
    return out + _said_again(text, out)


def _sentences(text: str, regex: re.Pattern[str], lower: re.Pattern[str]) -> list[tuple[int, int]]:
    """The sentences (between . ! ? and line breaks) with a word of `regex` (`lower`: the same without (?i)
    and its leading lookbehind, for the lower-cased text: re skips ahead faster)."""
    low = text.lower()
    found = word_matches(lower, low, "-") if len(low) == len(text) else regex.finditer(text)
    out: list[tuple[int, int]] = []
    for m in found:
        if out and m.start() < out[-1][1]:
            continue  # in the sentence found already
        begin = max(text.rfind(c, 0, m.start()) for c in _STOP) + 1
        stops = [i for c in _STOP if (i := text.find(c, m.end())) >= 0]
        out.append((begin, min(stops) if stops else len(text)))
    return out


def _said_again(text: str, found: list[Span]) -> list[Span]:
    """Every other mention, in any case, of a care provider found ("de thuiszorg van proteion" ... "een
    jongen van proteion die vroeg")."""
    out = []
    for name in {s.text.casefold() for s in found}:
        pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.IGNORECASE)
        out += [Span(m.start(), m.end(), "zorginstelling", m.group()) for m in pattern.finditer(text)]
    return out
