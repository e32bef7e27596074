"""Find and replace personal data in Dutch interview transcripts.

Built on deduce (Dutch de-identification with name, street and place lists) for names, streets and care
institutions, and on dialoog's own patterns (`dialoog.privacy.patterns`) for phone numbers, e-mail
addresses, IBANs, dates, ages, licence plates, social-media handles, schools and workplaces, plus names of
Eritrean, Syrian and other origins that deduce's lists lack, and lower-case or possessive mentions
("semhar", "Semhar's") of a name found elsewhere.

Public organisations (COC, politie, Roze in Blauw, also with a suffix: "Roze in Blauw-team"), the places of
the national gazetteer (`dialoog.privacy.gazetteer`) and the study's own places stay readable, because the
analysis needs them.

Python API::

    from dialoog.privacy import find_personal_data, apply

    spans = find_personal_data(text)     # [Span(start, end, label, text), ...]
    safe = apply(text, spans)            # "[persoon] woont op [adres] ..."

With a `PseudonymKey` (`dialoog.privacy.key`), persons get numbered pseudonyms (``[persoon-3]``) that
stay the same across the whole study.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from dialoog.privacy import engine as engine_mod
from dialoog.privacy.care import care_spans
from dialoog.privacy.context import context_names, lower_case_regions
from dialoog.privacy.engine import cache_dir, engine  # noqa: F401  (public API)
from dialoog.privacy.gazetteer import gazetteer
from dialoog.privacy.key import (  # noqa: F401  (public API)
    Person,
    PseudonymKey,
    _norm,
    _strip_possessive,
    apply,
    name_parts,
    name_tokens,
)
from dialoog.privacy.lexicon import (  # noqa: F401  (public API)
    COUNTRIES,
    LABELS,
    LANGUAGES,
    PLACEHOLDER_RE,
    PRIORITY,
    PUBLIC_ORGANISATIONS,
    REGIONAL_ORGANISATIONS,
    TRANSCRIPT_ROLES,
    Span,
    data_lines,
    trie_pattern,
)
from dialoog.privacy.names_lower import capitalised_cued_names, cued_lower_names, handles_and_initials, ordinary_use
from dialoog.privacy.names_more import diminutives
from dialoog.privacy.names_used import places_as_names, used_names, with_surnames
from dialoog.privacy.numbers import number_words  # noqa: F401  (public API)
from dialoog.privacy.patterns import POSTCODE_RE, WORK_AT_RE, pattern_spans
from dialoog.privacy.patterns_more import more_spans
from dialoog.privacy.persons import addressed_names, spelled_names, unlisted_names, word_before_a_place
from dialoog.privacy.places import (
    LANDMARK_RE,
    PUBLIC_VENUE_RE,
    UNIVERSITY_GATE,
    UNIVERSITY_RE,
    camel_acronyms,
    not_initials,
    public_not_person,
    said_places,
)
from dialoog.privacy.relations import organisation_spans, repeated_ages, tied, widened
from dialoog.privacy.scan import capitals_inside, containment, merge_spans, name_mentions, word_heads, word_matches  # noqa: F401  (merge_spans: public API)
from dialoog.privacy.streets import street_number_spans
from dialoog.study.schemas.files import PrivacyLists
from dialoog.study.yamlload import load_file

#: Study lists: ``privacy.yaml`` in the study folder.
LISTS_FILE = "privacy.yaml"


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


def lists_for_study(study: Any) -> StudyLists:
    """The study's lists (`load_study_lists`) plus the wijken named in its transcripts' front matter
    (``wijk:``): they stay readable in every transcript of the study without being listed in
    ``privacy.yaml``."""
    lists = load_study_lists(study.root)
    wijken = {t.wijk.strip() for t in study.transcripts.values() if isinstance(t.wijk, str) and t.wijk.strip()}
    extra = tuple(sorted(wijken - set(lists.places)))
    return replace(lists, places=lists.places + extra) if extra else lists


# -- detection ------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _rare_word(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl") < 2.5 and zipf_frequency(word, "en") < 3.0


@lru_cache(maxsize=65536)
def _frequent_word(word: str) -> bool:
    """Whether `word` (case-folded) is a frequent Dutch or English word (wordfreq; cached)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl") >= 5.0 or zipf_frequency(word, "en") >= 5.5


_FIRST_WORD = re.compile(r"\S+\s+")


def _lower(text: str) -> str | None:
    """`text` in lower case with the same offsets (None when lower-casing changes the length)."""
    low = text.lower()
    return low if len(low) == len(text) else None


#: Frisian function words that open sentences in Frisian-language turns ("Jo wenje yn ...").
_FRISIAN_WORDS = {"jo", "do", "hja", "wy", "jim", "it", "yn", "fan", "binne", "wenje", "hoe", "wat", "wêr"}
_SURNAME_AFTER = re.compile(r" ([A-Z\u00c0-\u00de][a-z\u00e0-\u00ff]+(?:-[A-Z][a-z]+)?)(?![\w-])")
_ARTICLE_BEFORE = re.compile(r"(?<![\w-])(?i:de|het|een|die|deze|geen|elke)\s+\Z")
#: Inside a person's span from deduce: where a place follows the name ("op de Markt"), not part of it
_WHERE_IN_NAME = re.compile(r" (?:op|bij) (?:de|het) ")
_MASKED_LABELS = ("persoon", "plaats", "werkplek", "school", "zorginstelling", "nummer")


class Detector:
    """Finds personal data with deduce plus the study's patterns and lists."""

    def __init__(
        self, lists: StudyLists | None = None, progress: Callable[[str], None] | None = engine_mod._stderr
    ) -> None:
        self.lists = lists or StudyLists()
        self.deduce = engine(progress)
        self.gazetteer = gazetteer()
        self._extra_names = set(data_lines("names_extra.txt")) | set(self.lists.names)

    # -- lists --------------------------------------------------------------------------------
    @cached_property
    def _allowed_phrases(self) -> list[str]:
        from dialoog.study.gemeenten import all_gemeenten

        phrases = set(PUBLIC_ORGANISATIONS) | set(COUNTRIES) | set(LANGUAGES) | set(data_lines("public_education.txt"))
        phrases.update(data_lines("foreign_places.txt"))
        phrases.update(f"gemeente {g.name}" for g in all_gemeenten())
        phrases.update(self.lists.places)
        phrases.update(self.lists.organisations)
        phrases.update(self.lists.allow)
        return sorted({p for p in phrases if p.strip()}, key=len, reverse=True)

    @cached_property
    def _allowed_re(self) -> re.Pattern[str]:
        """The allowed phrases in lower case (searched in the lower-cased text: much faster than
        ``re.IGNORECASE``), at the start of a word (not after a letter, digit, "_" or "-"). The lookbehind is
        faster here than `word_matches`: the phrases start with almost any letter, so ``re`` could skip few
        positions anyway, and a phrase inside a word is now rejected before its trie is tried."""
        alts = trie_pattern({p.lower() for p in self._allowed_phrases})
        # a phrase, optionally with suffixes ("Roze in Blauw-team", "Schiedam-Noord", "COC-avond") or a plural
        return re.compile(rf"(?<![\w-]){alts}(?:-[^\W\d_]+)*(?:s|'s)?(?![\w-])")

    @cached_property
    def _allowed_re_any_case(self) -> re.Pattern[str]:
        """The same, case-insensitive, for the rare text whose lower-case form has another length."""
        alts = trie_pattern(self._allowed_phrases, fold_case=True)
        return re.compile(rf"(?i:{alts}(?:-[^\W\d_]+)*(?:s|'s)?(?![\w-]))")

    def _allowed_matches(self, text: str) -> list[re.Match[str]]:
        low = _lower(text)
        if low is None:
            found = list(word_matches(self._allowed_re_any_case, text, "-"))
        else:
            found = list(self._allowed_re.finditer(low))
        return not_initials(text, found, self._acronyms)

    @cached_property
    def _acronyms(self) -> frozenset[str]:
        return camel_acronyms(self._allowed_phrases)

    @cached_property
    def _hospital_re(self) -> re.Pattern[str]:
        """Hospitals, searched in the lower-cased text (faster than deduce's token lookup, which it replaces), at
        the start of a word (a lookbehind, as in `_allowed_re`)."""
        return re.compile(r"(?<![\w])" + trie_pattern(engine_mod.hospital_names()) + r"(?![\w])")

    def _hospital_spans(self, text: str) -> list[Span]:
        low = _lower(text)
        if low is None:
            return []
        found = self._hospital_re.finditer(low)
        return [Span(*m.span(), "zorginstelling", text[m.start() : m.end()]) for m in found if tied(text, m.start())]

    @cached_property
    def _regional_re(self) -> re.Pattern[str]:
        forms = {f for o in REGIONAL_ORGANISATIONS for f in (o, o.lower(), o[:1].upper() + o[1:], o.upper())}
        region = r"[A-Z\u00c0-\u00de][\w'’]*(?:-[A-Z\u00c0-\u00de][\w'’]*)*"
        return re.compile(rf"{trie_pattern(forms)}(?:\s+(?:en\s+)?{region}){{1,3}}(?![\w-])")

    @cached_property
    def _allowed_words(self) -> set[str]:
        return {_norm(p) for p in self._allowed_phrases} | {_norm(p) for p in self.gazetteer.places}

    @cached_property
    def _common_words(self) -> frozenset[str]:
        """deduce's whitelist, stop words and common words (lower case) in one set (fast membership)."""
        ds = self.deduce.lookup_structs
        words: set[str] = set(_FRISIAN_WORDS)
        for name in ("whitelist", "stop_word", "common_word"):
            if name in ds:
                words.update(w.lower() for w in ds[name].items())
        return frozenset(words)

    def is_common_word(self, word: str) -> bool:
        """Whether `word` (lower case) is an ordinary Dutch (or Frisian function) word."""
        w = word.casefold()
        return w in self._common_words or _frequent_word(w)

    def is_surname(self, word: str) -> bool:
        """Whether `word` (capitalised) is in deduce's surname list and is no function word ("Bakker", not "Maar")."""
        if word.casefold() in self.deduce.lookup_structs["stop_word"] or _frequent_word(word.casefold()):
            return False
        try:
            return self.deduce.lookup_structs["surname"].longest_matching_prefix([word]) is not None
        except Exception:  # noqa: BLE001 - deduce's trie raises on odd input; then it is no name
            return False

    def is_rare_word(self, word: str) -> bool:
        """Whether a capitalised `word` is in no list as an ordinary word or place and is rare in Dutch and
        English text (a name that deduce's lists lack, such as "Tsegereda" or "Jurgenson")."""
        w = word.casefold()
        return not self.is_common_word(w) and _norm(word) not in self._allowed_words and _rare_word(w)

    def is_known_first_name(self, word: str) -> bool:
        trie = self.deduce.lookup_structs["first_name"]
        try:
            return trie.longest_matching_prefix([word]) is not None
        except Exception:  # noqa: BLE001 - deduce's trie raises on odd input; then it is no name
            return False

    def readable_spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of public organisations, places and the study's readable words in `text`."""
        return (
            [m.span() for m in self._allowed_matches(text)]
            + [m.span() for m in word_matches(self._regional_re, text, "-")]
            + [m.span(1) for m in word_matches(PUBLIC_VENUE_RE, text)]
            + [m.span() for m in word_matches(LANDMARK_RE, text)]
            + ([m.span() for m in word_matches(UNIVERSITY_RE, text)] if UNIVERSITY_GATE.search(text) else [])
            + self.gazetteer.readable_spans(text)
            + said_places(text)
        )

    # -- finding ------------------------------------------------------------------------------
    def _deduce_spans(self, text: str) -> list[Span]:
        prefixes = self.deduce.lookup_structs["prefix"]
        out = []
        for a in engine_mod.deduce_annotations(text):
            label = _label_of(a.tag, a.text)
            start, end = a.start_char, a.end_char
            if label == "persoon":
                # keep a title or role ("mevrouw", "collega") readable: only the name is replaced
                first = _FIRST_WORD.match(a.text)
                if first and first.group().strip() in prefixes:
                    start += first.end()
                start, public = public_not_person(self, text, start, end)
                if public:
                    continue  # "Spoorlaan", "bij de Brink", "naar de Beemster", "Stichting Dwars", "I. Deelnemer"
                where = _WHERE_IN_NAME.search(text, start, end)
                if where:  # "Lindeboom op de Markt", "Tielemans Koeltransport op de Vosdonk": a place after it
                    end = where.start()
            elif label in ("plaats", "adres", "postcode"):
                out.extend(self._split_location(text, start, end))
                continue
            if label and end > start:
                out.append(Span(start, end, label, text[start:end]))
        return out

    def _split_location(self, text: str, start: int, end: int) -> list[Span]:
        """A deduce location: its postcode and its street and number (with suffixes like '-3' or 'b').
        Places and streets without a number stay readable."""
        out = []
        piece = text[start:end]
        for m in re.finditer(r"\d{4}\s?[A-Z]{2}(?![A-Za-z])", piece):
            out.append(Span(start + m.start(), start + m.end(), "postcode", m.group()))
        for m in re.finditer(r"[^\d\s,][^,]*?(?=\s*\d{4}\s?[A-Z]{2}|,|$)", piece):
            s, e = start + m.start(), start + m.end()
            chunk = text[s:e].strip()
            if chunk and re.search(r"\d", chunk):
                tail = re.match(r"(?:-\d{1,4}|[- ]?[a-zA-Z](?![\w])|\s+(?:hoog|huis|bis)\b)", text[e:])
                e2 = e + (tail.end() if tail else 0)
                out.append(Span(s, e2, "adres", text[s:e2]))
        return out

    def _work_spans(self, text: str) -> list[Span]:
        out = []
        for m in WORK_AT_RE.finditer(text):
            name = m.group(1)
            if _norm(name) not in self._allowed_words and not self._allowed_re.fullmatch(name.lower()):
                out.append(Span(m.start(1), m.end(1), "werkplek", name))
        return out

    def _name_spans(
        self,
        text: str,
        names: Iterable[str],
        *,
        any_case: bool,
        heads_of: dict[str, set[str]] | None = None,
        words_too: frozenset[str] = frozenset(),
    ) -> list[Span]:
        """Whole-word mentions of `names` (also possessive). With `any_case`, lower-case mentions count
        too, except for names that are ordinary words ("roos", "bas") written in lower case, unless the text
        used them as names in lower case (`words_too`: "ome wiel") and not as a word here ("het wiel").
        `heads_of`: the `word_heads` of the text (and of its lower-case form) found so far, kept for the next
        call."""
        wanted = frozenset(n for n in names if len(n) >= 2)
        if not wanted:
            return []
        out = []
        low = _lower(text) if any_case else text
        if low is None:  # lower-casing changes the length: look for the names as written
            low, any_case = text, False
        heads = None
        if heads_of is not None:
            heads = heads_of.get(low)
            if heads is None:
                heads = heads_of[low] = word_heads(low)
        for start, end in name_mentions(wanted, any_case, low, heads):
            word = text[start:end]
            if word in words_too:
                if ordinary_use(text, start, end):
                    continue  # "het wiel", "in mei"
            elif not word[0].isupper() and (
                self.is_common_word(word) or _ARTICLE_BEFORE.search(text, max(0, start - 8), start)
            ):
                continue  # "de roos", "een hoop": a word
            out.append(Span(start, end, "persoon", word))
        return out

    def is_readable_name(self, name: str) -> bool:
        """Whether `name` is a public body, a place or a phrase the study keeps readable."""
        return (
            _norm(name) in self._allowed_words
            or self._allowed_re.fullmatch(name.lower()) is not None
            or UNIVERSITY_RE.fullmatch(name) is not None
        )

    def is_name_word(self, word: str) -> bool:
        """Whether a lower-case `word` is a known first name (and no ordinary word or place)."""
        return (
            not self.is_common_word(word)
            and _norm(word) not in self._allowed_words
            and (self.is_known_first_name(word.capitalize()) or word.capitalize() in self._extra_names)
        )

    def is_interfix_surname(self, word: str) -> bool:
        """Whether `word` (capitalised) is a surname that follows an interfix ("de Jong", "van der Meer")."""
        return word in self.deduce.lookup_structs["interfix_surname"]

    def _surnames_after_first_names(self, text: str, spans: list[Span]) -> list[Span]:
        """A capitalised word right after first names is a surname, even when it is also an ordinary word
        ("Femke Arts", "Els Visser", "Ana Beatriz Costa") or a place ("Anna Sneek")."""
        out = []
        for s in spans:
            if s.label != "persoon" or not all(self.is_known_first_name(w) for w in s.text.split()):
                continue
            m = _SURNAME_AFTER.match(text, s.end)
            if m:
                out.append(Span(s.start, m.end(), "persoon", text[s.start : m.end()]))
        return out

    def find(self, text: str, known_names: Iterable[str] = ()) -> list[Span]:
        """All personal data in `text`, merged and sorted; see `find_personal_data`."""
        spans = [s for s in self._deduce_spans(text) if not self._sentence_start_word(text, s)]
        spans += pattern_spans(text) + more_spans(text) + street_number_spans(text)
        spans += self._hospital_spans(text) + care_spans(self, text)
        regions = lower_case_regions(text)  # (the lower-case lines, which three rules use)
        spans += self._work_spans(text) + organisation_spans(self, text, regions)
        heads_of: dict[str, set[str]] = {}  # (the words of the text, shared by the three name searches)
        spans += self._name_spans(text, self._extra_names, any_case=False, heads_of=heads_of)
        spans += context_names(self, text, regions)
        spans += self._surnames_after_first_names(text, spans) + unlisted_names(self, text)
        used, nicknames = used_names(self, text, regions)
        cued = cued_lower_names(self, text, regions) if regions else []
        said = capitalised_cued_names(self, text)  # (names the text says are names: found again even if places)
        spans += used + cued + said + handles_and_initials(self, text)
        allowed = self.readable_spans(text)
        spans = self._drop_allowed(spans, allowed) + addressed_names(text)
        # names found anywhere in this text or the study are found in every other form too: the full
        # name and first name also in lower case (speech-to-text), other parts only capitalised
        any_case = set(known_names) | set(self.lists.names)
        capitalised: set[str] = set()
        for s in merge_spans(text, spans):
            if s.label == "persoon":
                full, first, others = name_parts(s.text)
                any_case.update(n for n in (full, first or (full if " " not in full else None)) if n)
                capitalised.update(others)
        any_case = {n for n in any_case if _norm(n) not in self._allowed_words} | {s.text for s in said}
        any_case |= diminutives(any_case)  # "Storm" -> "Stormpje"
        capitalised = ({n for n in capitalised if _norm(n) not in self._allowed_words} | nicknames) - any_case
        words_too = frozenset(s.text for s in cued)
        extra = self._name_spans(text, any_case, any_case=True, heads_of=heads_of, words_too=words_too)
        extra += self._name_spans(text, capitalised, any_case=False, heads_of=heads_of)
        spans += self._drop_allowed(extra, allowed) + spelled_names(text, any_case | capitalised)
        spans += places_as_names(self, text, spans)
        spans += with_surnames(self, text, spans)
        return merge_spans(text, widened(text, spans + repeated_ages(text, spans)))

    def _sentence_start_word(self, text: str, s: Span) -> bool:
        """A one-word "name" that opens a sentence and is an ordinary word ("Ken je ...", "Mark ...")."""
        if s.label != "persoon" or " " in s.text.strip():
            return False
        before = text[: s.start].rstrip()
        at_start = not before or before[-1] in '.!?:"“'
        return at_start and self.is_common_word(s.text)

    def _drop_allowed(self, spans: list[Span], allowed: list[tuple[int, int]]) -> list[Span]:
        """`spans` without names and places inside an allowed phrase (`allowed`: its spans in the text)."""
        inside = containment(allowed)
        out = []
        for s in spans:
            if s.label in _MASKED_LABELS and inside(s.start, s.end):
                continue
            if s.label in ("persoon", "school", "werkplek") and capitals_inside(s, inside):
                continue  # "van het Amsterdam" of "van het Amsterdam UMC"; "zit op Instagram en TikTok"
            if s.label == "persoon" and " " in s.text and word_before_a_place(self, s, inside):
                continue  # "Focusgroep Hendrik-Ido-Ambacht"
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
        return "postcode" if POSTCODE_RE.match(text.strip()) else "plaats"
    if tag in ("ziekenhuis", "zorginstelling"):
        return "zorginstelling"
    if tag in ("bsn", "id"):
        return "nummer"
    return None


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
