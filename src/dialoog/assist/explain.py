"""The words behind a ranking: per content word of a unit (and per word of the interviewer's question before
it that carried a code), its contribution to each code's combined logit, from the codebook's side and the
model's. Computed for many units at once (each distinct word's lemma, mask row and model feature found once,
`WordFacts`; one matrix for all words, their model values read from the units' feature matrix at once), as
`SuggestionModel.rank` needs for the units that get a suggestion; the values are those of one unit at a time.
`Explained` keeps them with each unit's words and gaps, from which the words of a fragment are read
(`Explained.fragment_words`, exactly as ``WORD_RE.findall`` of the fragment finds them).
"""

from __future__ import annotations

import bisect
import functools
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy

from dialoog.assist.features import WORD_RE, WORD_SPLIT, Unit, word_features
from dialoog.assist.pipeline import lemma_of

#: How a reason names a word of the interviewer's question that carried a suggestion.
QUESTION = "vraag: "


def dutch_stop_words() -> set[str]:
    """spaCy's Dutch stop words (``spacy.lang.nl.stop_words.STOP_WORDS``) without importing spaCy: its module is
    a list of words that imports nothing, read from spaCy's installed files on its own (importing it the
    usual way would import the whole spacy package first, half a second); the usual import when that fails."""
    import importlib.util

    try:
        found = importlib.util.find_spec("spacy")  # finds the package without importing it
        path = Path(found.submodule_search_locations[0]) / "lang" / "nl" / "stop_words.py"
        spec = importlib.util.spec_from_file_location("_dialoog_spacy_nl_stop_words", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return set(module.STOP_WORDS)
    except Exception:  # noqa: BLE001 - another layout of spaCy: import it the usual way
        from spacy.lang.nl.stop_words import STOP_WORDS

        return set(STOP_WORDS)


#: Words never given as a reason (besides spaCy's Dutch stop words): frequent verbs and fillers.
FUNCTION_WORDS = frozenset(
    {
        *dutch_stop_words(),
        *"vinden zeggen gaan komen hebben zijn worden kunnen moeten willen doen maken weten denken krijgen "
        "staan zitten liggen laten zien eigenlijk gewoon echt heel wel nou eh ja nee hoor zo'n best even "
        "soort keer iets niks dingen ding mensen beetje precies natuurlijk inderdaad misschien".split(),
    }
)


@functools.lru_cache(maxsize=100_000)
def is_content(word: str) -> bool:
    w = word.lower()
    return len(w) > 2 and w not in FUNCTION_WORDS and lemma_of(w) not in FUNCTION_WORDS


class WordFacts(dict):
    """Content word -> its number k, learned when first asked for: per k the row of `masks` of its lemma (the
    codebook's mask: 0.2 for each code whose text has the lemma; row 0: none) and the index of its lemma's
    model feature (-1: none), for the vectorizer the model had then."""

    def __init__(self, model) -> None:
        super().__init__()
        self.vectorizer = model.vectorizer
        self.kinds = model.kinds
        self.mask_index = {w: k for k, w in enumerate(model._code_mask, start=1)}
        self.masks = numpy.array([model._no_code, *model._code_mask.values()]).reshape(-1, len(model.codes))
        self.lemmas: list[str] = []
        self.mask_rows: list[int] = []
        self.features: list[int] = []

    def __missing__(self, word: str) -> int:
        lemma = lemma_of(word)
        feature = -1
        if self.vectorizer is not None and "lemma" in self.kinds:
            feature = self.vectorizer._lookups()[0](lemma, 0) - 1
        k = self[word] = len(self.lemmas)
        self.lemmas.append(lemma)
        self.mask_rows.append(self.mask_index.get(lemma, 0))
        self.features.append(feature)
        return k


def word_facts(model) -> WordFacts:
    """The model's `WordFacts` (new when its vectorizer changed)."""
    facts = model._word_info
    if not isinstance(facts, WordFacts) or facts.vectorizer is not model.vectorizer:
        facts = model._word_info = WordFacts(model)
    return facts


@dataclass
class Explained:
    """The words behind the ranking of many units: per unit (by row) its content words, then "vraag: " + each
    word of its question that carried a code, one after the other in `words`, their contributions (entries ×
    codes) in `score`, and where each unit's entries are (`spans`: row -> (first, end))."""

    words: list[str]
    score: numpy.ndarray
    spans: dict[int, tuple[int, int]]
    #: per unit (by row), its text split by `WORD_SPLIT`: gap, word, gap, ... (for the words of its fragments)
    pieces: dict[int, list[str]] = field(default_factory=dict)

    def fragment_words(self, row: int, text: str, start: int, end: int) -> set[str]:
        """The words of ``text[start:end]`` (the unit's text of `row`), as ``set(WORD_RE.findall(...))`` finds
        them, from the unit's words when no word of it crosses `start` or `end`."""
        found = self._places.get(row)
        if found is None:
            split = self.pieces[row]
            at = list(itertools.accumulate(map(len, split), initial=0))
            found = self._places[row] = (at[1::2], at[2::2], split[1::2])  # starts, ends and words
        starts, ends, words = found
        k = bisect.bisect_right(starts, start) - 1  # the last word starting at or before `start`
        m = bisect.bisect_left(starts, end) - 1  # the last word starting before `end`
        if (k >= 0 and ends[k] > start and starts[k] < start) or (m >= 0 and ends[m] > end):
            return set(WORD_RE.findall(text, start, end))  # a word cut: the fragment's own words
        return set(words[bisect.bisect_left(starts, start) : m + 1])

    def __post_init__(self) -> None:
        self._places: dict[int, tuple[list[int], list[int], list[str]]] = {}

    def of(self, row: int) -> tuple[list[str], numpy.ndarray]:
        a, b = self.spans[row]
        return self.words[a:b], self.score[a:b]


def contributions(model, units: dict[int, Unit], x, weights: tuple) -> Explained:
    """For each unit (by its row of `x`, the model's feature matrix of the ranked units, or None): its content
    words, then "vraag: " + each word of its question that carried a code, and their contributions (words ×
    codes); `weights` are the model's `_signal_weights()`."""
    by_model, by_word, by_question = weights
    facts = word_facts(model)
    asked_of: dict[tuple, list[str]] = {}  # each distinct question's content words, once
    words, asked, rows, pieces = [], [], [], {}
    for row, unit in units.items():
        split = pieces[row] = WORD_SPLIT.split(unit.text)  # gaps and words (as WORD_RE finds them) in turn
        words.append(list(filter(is_content, dict.fromkeys(split[1::2]))))
        q = unit.question
        if q not in asked_of:
            asked_of[q] = list(filter(is_content, filter(str.isalpha, dict.fromkeys(q))))
        asked.append(asked_of[q])
        rows.append(row)
    n_words = numpy.fromiter(map(len, words), dtype=numpy.int64, count=len(words))
    n_asked = numpy.fromiter(map(len, asked), dtype=numpy.int64, count=len(asked))
    k = numpy.fromiter(map(facts.__getitem__, itertools.chain.from_iterable(words)), dtype=numpy.int64)
    flat_asked = list(itertools.chain.from_iterable(asked))
    # entries: the words of all units, then the question words of all units
    mask_rows = numpy.concatenate(
        (
            numpy.array(facts.mask_rows, dtype=numpy.int64)[k],
            numpy.fromiter((facts.mask_index.get(w, 0) for w in flat_asked), dtype=numpy.int64),
        )
    )
    score = facts.masks[mask_rows]
    score *= numpy.where((numpy.arange(len(mask_rows)) < len(k))[:, None], by_word, by_question)
    unit_of = numpy.concatenate((numpy.repeat(rows, n_words), numpy.repeat(rows, n_asked))).astype(numpy.int64)
    if x is not None:
        get = model.vectorizer._lookups()[2]  # question lemmas: index + 1
        features = numpy.concatenate(
            (
                numpy.array(facts.features, dtype=numpy.int64)[k],
                numpy.fromiter((get(w, 0) - 1 for w in flat_asked), dtype=numpy.int64, count=len(flat_asked)),
            )
        )
        _add_model(model, score, x, numpy.arange(len(features)), unit_of, features, by_model)
        if "char" in model.kinds:
            _add_chars(model, score, x, unit_of, list(itertools.chain.from_iterable(words)), facts, by_model)
    return _explained(score, rows, words, asked, n_words, n_asked, pieces)


def _explained(score, rows, words, asked, n_words, n_asked, pieces) -> Explained:
    """The entries of each unit together: its words, then the question words that carried a code."""
    n = int(n_words.sum())
    carried = score[n:].any(axis=1).tolist()
    out_words: list[str] = []
    order: list[int] = []
    spans = {}
    word_at, asked_at = 0, 0
    for row, w, q in zip(rows, words, asked, strict=True):
        kept = [i for i in range(len(q)) if carried[asked_at + i]]
        first = len(out_words)
        out_words.extend(w)
        out_words.extend(QUESTION + q[i] for i in kept)
        order.extend(range(word_at, word_at + len(w)))
        order.extend(n + asked_at + i for i in kept)
        spans[row] = (first, len(out_words))
        word_at += len(w)
        asked_at += len(q)
    return Explained(out_words, score[numpy.array(order, dtype=numpy.int64)], spans, pieces)


def _add_model(model, score: numpy.ndarray, x, entries, unit_of, features, by_model: numpy.ndarray) -> None:
    """Add the model's part to the rows `entries` of `score`: the value of each entry's feature in its unit's
    row of `x` (0 when absent: then nothing) times the feature's weights."""
    known = numpy.flatnonzero(features >= 0)
    values = numpy.asarray(x[unit_of[known], features[known]]).ravel() if len(known) else numpy.zeros(0)
    present = known[values != 0]
    if len(present):
        column = values[values != 0][:, None]
        numpy.add.at(score, entries[present], by_model * column * model.weights[features[present]])


def _add_chars(model, score, x, unit_of, words, facts, by_model) -> None:
    """Add the model's part of each word's character n-grams (kind "char"), after the lemmas' (as one word's
    features were added before: the same sums)."""
    get = model.vectorizer.vocabulary.get
    where, features = [], []
    for r, word in enumerate(words):
        found = [i for i in map(get, word_features(word, facts.lemmas[facts[word]], ("char",))) if i is not None]
        where.extend([r] * len(found))
        features.extend(found)
    where = numpy.array(where, dtype=numpy.int64)
    _add_model(model, score, x, where, unit_of[where], numpy.array(features, dtype=numpy.int64), by_model)
