"""Find and replace personal data in Dutch interview transcripts.

Built on deduce (Dutch de-identification with name, street and place lists), extended with the
patterns and lists that interviews about LHBT residents need: +31 numbers and numbers with spaces,
e-mail addresses spelled out ("sanne punt de vries at gmail punt com"), ages in words, month-year
dates, licence plates, social-media handles, schools and workplaces, names of Eritrean, Syrian and
other origins that deduce's lists lack, and lower-case or possessive mentions ("semhar", "Semhar's")
of a name found elsewhere.

Public organisations (COC, politie, Roze in Blauw, ...), Dutch municipalities, the CBS wijken and
the study's own places stay readable, because the analysis needs them.

Python API::

    from dialoog.privacy.detect import find_personal_data, apply

    spans = find_personal_data(text)     # [Span(start, end, label, text), ...]
    safe = apply(text, spans)            # "[persoon] woont op [adres] ..."

With a `PseudonymKey`, persons get numbered pseudonyms (``[persoon-3]``) that stay the same across
the whole study; the key (original -> pseudonym) is a separate, git-ignored file that is never printed.

deduce is loaded once per process (`engine()`); its lookup cache lives in `cache_dir()` (the user's
cache folder, or ``$DIALOOG_CACHE_DIR``), never inside site-packages. The first build takes one to
two minutes and shows progress.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text
from dialoog.study.schemas.files import PrivacyLists
from dialoog.study.yamlload import load_file, load_yaml

#: Labels of personal data, each with its Dutch placeholder. Persons get a number with a key.
LABELS: dict[str, str] = {
    "persoon": "[persoon]",
    "adres": "[adres]",
    "postcode": "[postcode]",
    "telefoonnummer": "[telefoonnummer]",
    "e-mailadres": "[e-mailadres]",
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
_PRIORITY = [
    "e-mailadres",
    "account",
    "website",
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

#: Study lists: ``privacy.yaml`` in the study folder.
LISTS_FILE = "privacy.yaml"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Span:
    """A piece of personal data: character offsets into the text, its label and the text itself."""

    start: int
    end: int
    label: str
    text: str


# -- study lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StudyLists:
    """The study's own lists (``privacy.yaml``): names to always pseudonymise, and places,
    organisations and other words that stay readable."""

    names: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()


def load_study_lists(study_root: Path | str) -> StudyLists:
    """Read ``privacy.yaml`` from the study folder (empty lists when it is absent; schema: `PrivacyLists`)."""
    path = Path(study_root) / LISTS_FILE
    if not path.is_file():
        return StudyLists()
    lists = load_file(path, PrivacyLists)
    return StudyLists(**{name: tuple(getattr(lists, name)) for name in PrivacyLists.model_fields})


# -- built-in lists -------------------------------------------------------------------------------


def _data_lines(name: str) -> list[str]:
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
    "Paarse Vrijdag",
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
    "jongerenwerk",
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
)

_ORDINAL_COMPASS = r"(?:Noord|Oost|Zuid|West|Centrum|Midden|Noordoost|Noordwest|Zuidoost|Zuidwest)"

_UNITS = ["", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
_TEENS = ["tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien"]
_TENS = ["", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"]


def number_words(low: int = 1, high: int = 100) -> dict[str, int]:
    """Dutch number words from `low` to `high` ("vierendertig" -> 34), with and without diaeresis."""
    out: dict[str, int] = {}
    for n in range(low, high + 1):
        if n < 10:
            words = [_UNITS[n]]
        elif n < 20:
            words = [_TEENS[n - 10]]
        elif n < 100:
            unit, ten = n % 10, _TENS[n // 10]
            if unit == 0:
                words = [ten]
            else:
                u = _UNITS[unit]
                joiner = "ën" if u.endswith("e") else "en"
                words = [u + joiner + ten, u + "en" + ten]
        else:
            words = ["honderd"] if n == 100 else []
        for w in words:
            out[w] = n
    return out


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


_NUMBER_WORDS = {w: n for w, n in number_words(1, 100).items() if w != "een"}  # "een jaar" is no age
_NUM = r"(?:\d{1,3}|" + trie_pattern(_NUMBER_WORDS, fold_case=True) + r")"
_BOUNDARY_AFTER = r"(?=\s*[,.;:!?)\"”]|\s+(?:en|maar|toen|dus|want|of|oud|hoor|ofzo|geloof)\b|\s*$)"

_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"

# Patterns the study needs beyond deduce. Each is (label, compiled pattern, group to take).
_PATTERNS: list[tuple[str, re.Pattern[str], int]] = [
    # phone numbers: +31/0031 (with optional (0)) or 0, then digits with spaces or dashes
    (
        "telefoonnummer",
        re.compile(
            r"(?<![\w+])(?:(?:\+|00)31[\s-]*(?:\(0\)[\s-]*)?\d(?:[\s-]{0,3}\d){8}|0\d(?:[\s-]{0,3}\d){8})(?!\d)"
        ),
        0,
    ),
    # e-mail addresses, written and spelled out
    ("e-mailadres", re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), 0),
    (
        "e-mailadres",
        re.compile(
            r"(?i)\b\w+(?:\s+(?:punt|dot|streepje|underscore|min)\s+\w+(?:\s+\w+)?)*\s+(?:at|apenstaartje|apestaartje)"
            r"\s+\w+(?:\s+(?:punt|dot)\s+\w+)+"
        ),
        0,
    ),
    # social-media handles (not the middle of an e-mail address)
    ("account", re.compile(r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?"), 0),
    # month and year ("maart 1997"), full dates are left to deduce
    ("datum", re.compile(rf"(?i)\b(?:\d{{1,2}}\s+)?(?:{_MONTHS})\s+(?:19|20)\d{{2}}\b"), 0),
    # ages: "61 jaar oud", "17-jarige"; "ik ben 34 (jaar)", "Fatima is vierendertig jaar"; "een jongen van zestien"
    ("leeftijd", re.compile(rf"(?i)\b({_NUM}\s*(?:jaar\s+oud|-?jarige?))\b"), 1),
    (
        "leeftijd",
        re.compile(
            rf"(?i)\b(?:ben|bent|is|was|werd|wordt|word)\s+(?:nu\s+|inmiddels\s+|pas\s+|bijna\s+|al\s+|ongeveer\s+)?"
            rf"({_NUM}(?:\s+jaar)?){_BOUNDARY_AFTER}"
        ),
        1,
    ),
    (
        "leeftijd",
        re.compile(
            rf"(?i)\b(?:jongen|meisje|kind|zoon|dochter|man|vrouw|jongere|puber)\s+van\s+({_NUM}(?:\s+jaar)?){_BOUNDARY_AFTER}"
        ),
        1,
    ),
    # schools: "Basisschool De Klimboom", "het Vlietcollege", "Zernike Lyceum"
    (
        "school",
        re.compile(
            r"\b(?:(?:Openbare\s+)?[Bb]asisschool|OBS|CBS|RKBS|IKC|Kindcentrum|Daltonschool|Montessorischool|"
            r"Jenaplanschool|Brede school)\s+(?:(?:De|Het|Den|'t|de|het)\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*"
        ),
        0,
    ),
    (
        "school",
        re.compile(
            r"\b(?:[A-Z][\w'’-]+\s+)*(?:[A-Z][\w-]*(?:college|lyceum|gymnasium|atheneum|school|academie)|"
            r"College|Lyceum|Gymnasium|Atheneum|Academie)\b"
        ),
        0,
    ),
    # workplaces: "Bakkerij Van Dijk", "Restaurant De Wilde Zwaan"
    (
        "werkplek",
        re.compile(
            r"\b(?:Bakkerij|Restaurant|Café|Cafe|Eetcafé|Hotel|Kapsalon|Garage|Slagerij|Supermarkt|Apotheek|"
            r"Tandartspraktijk|Huisartsenpraktijk|Fysiotherapie|Kinderdagverblijf|Kinderopvang|Sportschool|"
            r"Snackbar|Bedrijf|Firma|Kantoor|Winkel|Zorgboerderij|Verpleeghuis|Woonzorgcentrum)\s+"
            r"(?:(?:De|Het|Den|Van|van|de|der|den|'t)\s+)*[A-Z][\w'’&-]*(?:\s+(?:(?:de|der|van|en|&)\s+)*[A-Z][\w'’&-]*)*"
        ),
        0,
    ),
]

_GENERIC_SCHOOLS = {
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
}

_KENTEKEN_RE = re.compile(r"(?<![\w-])([A-Z0-9]{1,3})-([A-Z0-9]{1,3})-([A-Z0-9]{1,3})(?![\w-])")
_POSTCODE_RE = re.compile(r"^\d{4}\s?[A-Za-z]{2}$")
_WORK_AT_RE = re.compile(
    r"\b(?:werk|werkt|werkte|werken|werkten|stage|solliciteerde)\s+(?:nu\s+|al\s+|ook\s+|daar\s+)?(?:bij|voor)\s+"
    r"(?:(?:de|het|een)\s+)?((?:[A-Z][\w'’&-]*)(?:\s+(?:(?:de|der|van|en|&)\s+)*[A-Z][\w'’&-]*)*)"
)
_TITLE_RE = re.compile(r"^(?:meneer|mevrouw|mevr\.?|mw\.?|dhr\.?|juf|meester|dokter|dr\.?)\s+", re.IGNORECASE)
_POSSESSIVE_RE = re.compile(r"(?:['’]s?|s)$")
_INTERFIXES = {"de", "den", "der", "van", "von", "ten", "ter", "te", "el", "al", "la", "le", "da", "di", "bin", "ibn"}


def _is_kenteken(groups: tuple[str, ...]) -> bool:
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


# -- deduce, loaded once --------------------------------------------------------------------------

_ENGINE_LOCK = threading.Lock()
_DEDUCE: Any = None


def cache_dir() -> Path:
    """Where deduce's lookup cache lives: ``$DIALOOG_CACHE_DIR`` or the user's cache folder."""
    env = os.environ.get("DIALOOG_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("dialoog", appauthor=False))
    except ImportError:  # pragma: no cover - platformdirs is a dependency
        return Path.home() / ".cache" / "dialoog"


@contextlib.contextmanager
def _quiet_root_logger() -> Any:
    """deduce calls logging.basicConfig(stdout, DEBUG) on import: undo whatever it adds to the root logger."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for h in list(root.handlers):
            if h not in handlers:
                root.removeHandler(h)
        root.setLevel(level)


def _import_deduce() -> Any:
    with _quiet_root_logger():
        import deduce

    return deduce


def _deduce_cache_path() -> Path:
    deduce = _import_deduce()
    return cache_dir() / f"deduce-{deduce.__version__}"


def _build_cache(cache_path: Path, progress: Callable[[str], None]) -> None:
    """Build deduce's lookup structures step by step (reporting progress) and save them as its cache."""
    from docdeid.ds import DsCollection, LookupSet

    deduce = _import_deduce()
    from deduce import lookup_structs as ls
    from deduce.data.lookup.src import all_lists

    lookup_path = Path(deduce.__file__).parent / "data" / "lookup"
    with _quiet_root_logger():
        tokenizer = deduce.Deduce._initialize_tokenizer(lookup_path)
        steps = len(ls._LOOKUP_SET_LOADERS) + len(ls._LOOKUP_TRIE_LOADERS) + 2
        started = time.perf_counter()

        def step(i: int, what: str) -> None:
            progress(f"  [{i}/{steps}] {what} ({time.perf_counter() - started:.0f} s)")

        step(1, "reading the name, street and place lists")
        base = ls.load_raw_itemsets(base_path=lookup_path, subdirs=all_lists)
        structs = DsCollection()
        for name in set(base) - set(ls._LOOKUP_SET_LOADERS) - set(ls._LOOKUP_TRIE_LOADERS):
            s = LookupSet()
            s.add_items_from_iterable(base[name])
            structs[name] = s
        i = 1
        for name, loader in ls._LOOKUP_SET_LOADERS.items():
            i += 1
            step(i, f"building {name}")
            structs[name] = loader(base)
        for name, loader in ls._LOOKUP_TRIE_LOADERS.items():
            i += 1
            step(i, f"building {name.replace('_', ' ')} lookup")
            structs[name] = loader(base, tokenizer)
        step(steps, f"saving the cache to {cache_path}")
        ls.cache_lookup_structs(lookup_structs=structs, cache_path=cache_path, deduce_version=deduce.__version__)
    progress(f"  done in {time.perf_counter() - started:.0f} s; later runs load the cache in a few seconds")


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def engine(progress: Callable[[str], None] | None = _stderr) -> Any:
    """The process-wide deduce instance (loaded on first use; the cache is built if needed)."""
    global _DEDUCE
    if _DEDUCE is not None:
        return _DEDUCE
    with _ENGINE_LOCK:
        if _DEDUCE is not None:
            return _DEDUCE
        deduce = _import_deduce()
        cache_path = _deduce_cache_path()
        if not (cache_path / "cache" / "lookup_structs.pickle").is_file():
            report = progress or (lambda _m: None)
            report(f"building deduce's lookup cache (first run only, 1-3 minutes) in {cache_path}")
            _build_cache(cache_path, report)
        was_enabled = gc.isenabled()
        gc.disable()  # loading the cache creates millions of objects; pausing the collector is much faster
        try:
            with _quiet_root_logger():
                _DEDUCE = deduce.Deduce(cache_path=cache_path)
            gc.freeze()
        finally:
            if was_enabled:
                gc.enable()
        return _DEDUCE


# -- detection ------------------------------------------------------------------------------------


def _norm(s: str) -> str:
    return " ".join(s.casefold().split())


@lru_cache(maxsize=128)
def _names_re(names: frozenset[str], any_case: bool) -> re.Pattern[str]:
    """Whole-word mentions of any of `names` (compiled once per set of names)."""
    return re.compile(
        rf"(?<![\w@.]){trie_pattern(names, fold_case=any_case)}(?![\w@-])", re.IGNORECASE if any_case else 0
    )


class Detector:
    """Finds personal data with deduce plus the study's patterns and lists."""

    def __init__(self, lists: StudyLists | None = None, progress: Callable[[str], None] | None = _stderr) -> None:
        self.lists = lists or StudyLists()
        self.deduce = engine(progress)
        self._extra_names = {n for n in _data_lines("names_extra.txt")} | set(self.lists.names)

    # -- lists --------------------------------------------------------------------------------
    @cached_property
    def _allowed_phrases(self) -> list[str]:
        from dialoog.study.gemeenten import all_gemeenten, wijken

        phrases = set(PUBLIC_ORGANISATIONS) | set(COUNTRIES)
        for g in all_gemeenten():
            phrases.add(g.name)
            phrases.add(f"gemeente {g.name}")
            for w in wijken(g.code):
                phrases.update({w, re.sub(r"\s+e\.o\.$", "", w)})
        phrases.update(self.lists.places)
        phrases.update(self.lists.organisations)
        phrases.update(self.lists.allow)
        return sorted({p for p in phrases if p.strip()}, key=len, reverse=True)

    @cached_property
    def _allowed_re(self) -> re.Pattern[str]:
        alts = trie_pattern(self._allowed_phrases, fold_case=True)
        # a phrase, optionally with a compass suffix ("Schiedam-Noord") or a plural (WIJ-teams)
        return re.compile(rf"(?i)(?<![\w-]){alts}(?:-{_ORDINAL_COMPASS})?(?:s|'s)?(?![\w-])")

    @cached_property
    def _allowed_words(self) -> set[str]:
        return {_norm(p) for p in self._allowed_phrases}

    @cached_property
    def _common_words(self) -> Any:
        ds = self.deduce.lookup_structs
        return [ds[name] for name in ("whitelist", "stop_word", "common_word") if name in ds]

    def is_common_word(self, word: str) -> bool:
        """Whether `word` (lower case) is an ordinary Dutch word in deduce's lists."""
        w = word.casefold()
        if any(w in s for s in self._common_words):
            return True
        from wordfreq import zipf_frequency

        return zipf_frequency(w, "nl") >= 5.0

    def is_known_first_name(self, word: str) -> bool:
        trie = self.deduce.lookup_structs["first_name"]
        with contextlib.suppress(Exception):
            return trie.longest_matching_prefix([word]) is not None
        return False

    # -- finding ------------------------------------------------------------------------------
    def _deduce_spans(self, text: str) -> list[Span]:
        doc = self.deduce.deidentify(text, disabled={"merge_adjacent_annotations"})
        prefixes = self.deduce.lookup_structs["prefix"]
        out = []
        for a in doc.annotations:
            label = _label_of(a.tag, a.text)
            start, end = a.start_char, a.end_char
            if label == "persoon":
                # keep a title or role ("mevrouw", "collega") readable: only the name is replaced
                first = re.match(r"\S+\s+", a.text)
                if first and first.group().strip() in prefixes:
                    start += first.end()
            elif label in ("plaats", "adres", "postcode"):
                out.extend(self._split_location(text, start, end))
                continue
            if label and end > start:
                out.append(Span(start, end, label, text[start:end]))
        return out

    def _split_location(self, text: str, start: int, end: int) -> list[Span]:
        """A deduce location: its postcode, its street and number (with suffixes like '-3' or 'b'),
        and the place, which stays readable when it is allowed."""
        out = []
        piece = text[start:end]
        for m in re.finditer(r"\d{4}\s?[A-Z]{2}(?![A-Za-z])", piece):
            out.append(Span(start + m.start(), start + m.end(), "postcode", m.group()))
        rest = [
            (start + m.start(), start + m.end())
            for m in re.finditer(r"[^\d\s,][^,]*?(?=\s*\d{4}\s?[A-Z]{2}|,|$)", piece)
        ]
        for s, e in rest:
            chunk = text[s:e].strip()
            if not chunk:
                continue
            if re.search(r"\d", chunk):
                tail = re.match(r"(?:-\d{1,4}|[- ]?[a-zA-Z](?![\w])|\s+(?:hoog|huis|bis)\b)", text[e:])
                e2 = e + (tail.end() if tail else 0)
                out.append(Span(s, e2, "adres", text[s:e2]))
            else:
                out.append(Span(s, e, "plaats", text[s:e]))
        return out

    def _pattern_spans(self, text: str) -> list[Span]:
        out = []
        for label, pattern, group in _PATTERNS:
            for m in pattern.finditer(text):
                s, e = m.span(group)
                if label == "school" and _norm(m.group(group)) in _GENERIC_SCHOOLS:
                    continue
                out.append(Span(s, e, label, text[s:e]))
        for m in _KENTEKEN_RE.finditer(text):
            if _is_kenteken(m.groups()):
                out.append(Span(m.start(), m.end(), "kenteken", m.group()))
        for m in _WORK_AT_RE.finditer(text):
            name = m.group(1)
            if _norm(name) not in self._allowed_words and not self._allowed_re.fullmatch(name):
                out.append(Span(m.start(1), m.end(1), "werkplek", name))
        return out

    def _name_spans(self, text: str, names: Iterable[str], *, any_case: bool) -> list[Span]:
        """Whole-word mentions of `names` (also possessive). With `any_case`, lower-case mentions count
        too, except for names that are ordinary words ("roos", "bas") written in lower case."""
        wanted = frozenset(n for n in names if len(n) >= 2)
        if not wanted:
            return []
        out = []
        for m in _names_re(wanted, any_case).finditer(text):
            word = m.group()
            if not word[0].isupper() and self.is_common_word(word):
                continue
            out.append(Span(m.start(), m.end(), "persoon", word))
        return out

    def find(self, text: str, known_names: Iterable[str] = ()) -> list[Span]:
        """All personal data in `text`, merged and sorted; see `find_personal_data`."""
        spans = [s for s in self._deduce_spans(text) if not self._sentence_start_word(text, s)]
        spans += self._pattern_spans(text)
        spans += self._name_spans(text, self._extra_names, any_case=False)
        allowed = [m.span() for m in self._allowed_re.finditer(text)]
        spans = self._drop_allowed(spans, allowed)
        # names found anywhere in this text or the study are found in every other form too: the full
        # name and first name also in lower case (speech-to-text), other parts only capitalised
        any_case = set(known_names) | set(self.lists.names)
        capitalised: set[str] = set()
        for s in spans:
            if s.label == "persoon":
                full, first, others = name_parts(s.text)
                any_case.update(n for n in (full, first) if n)
                capitalised.update(others)
        any_case = {n for n in any_case if _norm(n) not in self._allowed_words}
        capitalised = {n for n in capitalised if _norm(n) not in self._allowed_words} - any_case
        extra = self._name_spans(text, any_case, any_case=True) + self._name_spans(text, capitalised, any_case=False)
        spans += self._drop_allowed(extra, allowed)
        return merge_spans(text, spans)

    def _sentence_start_word(self, text: str, s: Span) -> bool:
        """A one-word "name" that opens a sentence and is an ordinary word ("Ken je ...", "Mark ...")."""
        if s.label != "persoon" or " " in s.text.strip():
            return False
        before = text[: s.start].rstrip()
        at_start = not before or before[-1] in '.!?:"“'
        return at_start and self.is_common_word(s.text)

    def _drop_allowed(self, spans: list[Span], allowed: list[tuple[int, int]]) -> list[Span]:
        """`spans` without names and places inside an allowed phrase (`allowed`: its spans in the text)."""
        out = []
        for s in spans:
            if s.label in ("persoon", "plaats", "werkplek", "school", "zorginstelling", "nummer") and any(
                a <= s.start and s.end <= b for a, b in allowed
            ):
                continue
            if s.label == "plaats" and _norm(s.text) in self._allowed_words:
                continue
            out.append(s)
        return out


def _label_of(tag: str, text: str) -> str | None:
    """Map a deduce tag to a dialoog label (None: not personal data for a transcript)."""
    tag = tag.lower()
    if tag in ("persoon", "patient") or "naam" in tag or "initia" in tag:
        return "persoon"
    if "straat" in tag or "huisnummer" in tag:
        return "adres"
    if tag == "locatie":
        return "postcode" if _POSTCODE_RE.match(text.strip()) else "plaats"
    if tag in ("ziekenhuis", "zorginstelling"):
        return "zorginstelling"
    if tag == "datum":
        return "datum"
    if tag == "leeftijd":
        return "leeftijd"
    if tag == "telefoonnummer":
        return "telefoonnummer"
    if tag == "emailadres":
        return "e-mailadres"
    if tag == "url":
        return "website"
    if tag in ("bsn", "id"):
        return "nummer"
    return None


def name_parts(name: str) -> tuple[str, str | None, list[str]]:
    """(full name, first name, other parts) of a name without title or possessive."""
    name = _strip_possessive(_TITLE_RE.sub("", name.strip()))
    parts = [p for p in re.split(r"\s+", name) if p]
    if len(parts) <= 1:
        return name, None, []
    others = [p for p in parts[1:] if len(p) >= 3 and p.casefold() not in _INTERFIXES]
    others += [p.split("-", 1)[1] for p in parts[1:] if re.match(r"(?i)(?:al|el)-\w{3,}", p)]
    first = parts[0] if len(parts[0]) >= 2 and parts[0].casefold() not in _INTERFIXES | {"het"} else None
    return name, first, others


def name_tokens(name: str) -> set[str]:
    """The full name and its parts that identify the person ("Sanne de Vries" -> Sanne de Vries, Sanne, Vries)."""
    full, first, others = name_parts(name)
    return {t for t in (full, first, *others) if t and len(t) >= 2}


def _strip_possessive(name: str) -> str:
    if re.search(r"['’]s?$", name):
        return re.sub(r"['’]s?$", "", name)
    return name


def merge_spans(text: str, spans: Iterable[Span]) -> list[Span]:
    """Merge overlapping spans into one (the highest-priority label wins); sorted by start."""
    rank = {label: i for i, label in enumerate(_PRIORITY)}
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    for s in ordered:
        if s.end <= s.start:
            continue
        if merged and s.start < merged[-1].end:
            last = merged[-1]
            label = min(last.label, s.label, key=lambda x: rank.get(x, 99))
            end = max(last.end, s.end)
            merged[-1] = Span(last.start, end, label, text[last.start : end])
        else:
            merged.append(s)
    # parts of one name found separately ("Semhar" + "Tesfay", "Khaled" + "Al-" + "Masri") become one span
    joined: list[Span] = []
    for s in merged:
        if joined and joined[-1].label == s.label == "persoon":
            gap = text[joined[-1].end : s.start]
            if re.fullmatch(r" |\s(?:[Aa]l|[Ee]l|[Aa]bu|[Bb]in|[Ii]bn)[- ]|-", gap):
                joined[-1] = Span(joined[-1].start, s.end, "persoon", text[joined[-1].start : s.end])
                continue
        joined.append(s)
    merged = joined
    # possessive "'s" after a name stays outside the span; a trailing "'" likewise
    out = []
    for s in merged:
        if s.label == "persoon":
            m = re.search(r"['’]s?$", s.text)
            if m and s.end - s.start > len(m.group()):
                s = Span(s.start, s.end - len(m.group()), s.label, s.text[: -len(m.group())])
        out.append(s)
    return out


_DETECTORS: dict[StudyLists, Detector] = {}


def detector(lists: StudyLists | None = None) -> Detector:
    """A detector for these study lists (one per list set, sharing the single deduce instance)."""
    key = lists or StudyLists()
    if key not in _DETECTORS:
        _DETECTORS[key] = Detector(key)
    return _DETECTORS[key]


def find_personal_data(text: str, lists: StudyLists | None = None, known_names: Iterable[str] = ()) -> list[Span]:
    """Find personal data in Dutch text.

    Returns a list of `Span` (``start``, ``end`` character offsets into `text`, ``label`` as in
    `LABELS`, and ``text``), sorted and without overlaps. `lists` adds the study's own names and
    readable places and organisations; `known_names` are names already known in the study (from the
    key), so that their lower-case and first-name-only mentions are found as well. Placeholders from an
    earlier run (``[persoon-3]``) are never reported.
    """
    spans = detector(lists).find(text, known_names)
    holders = [m.span() for m in PLACEHOLDER_RE.finditer(text)]
    return [s for s in spans if not any(a <= s.start and s.end <= b for a, b in holders)]


# -- the key --------------------------------------------------------------------------------------


@dataclass
class Person:
    number: int
    names: list[str]
    transcripts: list[str]


@dataclass
class PseudonymKey:
    """The key from original names to pseudonyms, for the whole study. Never print it.

    Stored as YAML in a git-ignored file outside the report tree (default
    ``<study>/private/pseudonyms.key.yaml``). Each person has a number (``[persoon-N]``), the name
    forms seen (full name, first name, surname; lower case) and the transcripts they occur in.
    """

    path: Path | None = None
    persons: list[Person] = field(default_factory=list)
    next_number: int = 1

    @classmethod
    def load(cls, path: Path) -> PseudonymKey:
        path = Path(path)
        if not path.is_file():
            return cls(path=path)
        data = load_yaml(path.read_text(encoding="utf-8"), path) or {}
        try:
            persons = [
                Person(int(p["number"]), [str(n) for n in p["names"]], [str(t) for t in p.get("transcripts", [])])
                for p in data.get("persons", [])
            ]
            next_number = int(data.get("next_number", 1))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise DialoogError(
                "the pseudonymisation key is damaged (expected persons with number, names and transcripts)",
                path=path,
                hint="restore it from your backup; do not edit it by hand",
            ) from None
        next_number = max([next_number, *(p.number + 1 for p in persons)])
        return cls(path=path, persons=persons, next_number=next_number)

    def save(self) -> None:
        if self.path is None:
            return
        data = {
            "next_number": self.next_number,
            "persons": [{"number": p.number, "names": p.names, "transcripts": p.transcripts} for p in self.persons],
        }
        header = (
            "# dialoog pseudonymisation key: original names -> pseudonyms. Personal data!\n"
            "# Keep it secret and out of git; never share it with a report.\n"
        )
        atomic_write_text(self.path, header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        with contextlib.suppress(OSError):
            os.chmod(self.path, 0o600)

    def _index(self) -> dict[str, Person]:
        return {n: p for p in self.persons for n in p.names}

    def known_names(self) -> set[str]:
        return {n for p in self.persons for n in p.names}

    def person(self, name: str, transcript: str | None = None) -> str:
        """The pseudonym of the person called `name` (a new one if the name is new), e.g. ``[persoon-3]``."""
        tokens = name_tokens(name)
        full = _norm(_strip_possessive(_TITLE_RE.sub("", name.strip())))
        index = self._index()
        # a known form (full name, first name or surname) is the person already known by it, except that a
        # first name or surname alone is, if it fits one, the person whose full name is in the same
        # transcript ("Sanne" next to "Sanne Bakker" is not the "Sanne de Vries" of another interview);
        # an unknown full name is a new person
        found = self._in_transcript(full, transcript) or index.get(full)
        if found is None:
            found = Person(self.next_number, [], [])
            self.next_number += 1
            self.persons.append(found)
        for t in sorted({_norm(t) for t in tokens} | {full}):
            if t and t not in index:
                found.names.append(t)
        if transcript and transcript not in found.transcripts:
            found.transcripts.append(transcript)
        return f"[persoon-{found.number}]"

    def _in_transcript(self, form: str, transcript: str | None) -> Person | None:
        """The one person seen in `transcript` under a full name of which `form` (one word) is a part."""
        if not transcript or " " in form:
            return None
        fits = [
            p
            for p in self.persons
            if transcript in p.transcripts
            and any(" " in n and form in {_norm(t) for t in name_tokens(n)} for n in p.names)
        ]
        return fits[0] if len(fits) == 1 else None

    def remove_transcript(self, transcript: str) -> int:
        """Forget `transcript`: drop it from every person, and drop persons seen only there. Returns how many."""
        before = len(self.persons)
        for p in self.persons:
            if transcript in p.transcripts:
                p.transcripts.remove(transcript)
        self.persons = [p for p in self.persons if p.transcripts]
        return before - len(self.persons)


def apply(text: str, spans: Iterable[Span], key: PseudonymKey | None = None, transcript: str | None = None) -> str:
    """Replace every span by its placeholder; with a `key`, persons get their study-wide pseudonym."""
    out = []
    pos = 0
    for s in sorted(spans, key=lambda s: s.start):
        if s.start < pos:
            continue
        out.append(text[pos : s.start])
        if s.label == "persoon" and key is not None:
            out.append(key.person(s.text, transcript))
        else:
            out.append(LABELS.get(s.label, "[gegevens]"))
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


# -- review ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suspicion:
    start: int
    end: int
    text: str
    reason: str


_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_NUMBERS_RE = re.compile(r"(?<![\w\[-])\d(?:[\s./-]?\d){2,}(?![\w\]])")


def review(text: str, lists: StudyLists | None = None) -> list[Suspicion]:
    """What remains suspicious in (pseudonymised) text: capitalised words that are in no dictionary or
    list and are not at the start of a sentence, and sequences of three or more digits (not years)."""
    det = detector(lists)
    holders = [m.span() for m in PLACEHOLDER_RE.finditer(text)]
    allowed = [m.span() for m in det._allowed_re.finditer(text)]
    out: list[Suspicion] = []

    def covered(s: int, e: int) -> bool:
        return any(a <= s and e <= b for a, b in holders + allowed)

    for m in _WORD_RE.finditer(text):
        word = m.group()
        if not word[0].isupper() or covered(*m.span()):
            continue
        before = text[: m.start()].rstrip()
        if not before or before[-1] in '.!?:"“(' or before.endswith("**"):
            continue
        if det.is_common_word(word) or det.is_common_word(_strip_possessive(word)):
            continue
        out.append(Suspicion(m.start(), m.end(), word, "capitalised word in no dictionary or list"))
    for m in _NUMBERS_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) == 4 and digits[:2] in ("19", "20") or covered(*m.span()):
            continue
        out.append(Suspicion(m.start(), m.end(), m.group(), "number sequence"))
    return sorted(out, key=lambda s: s.start)
