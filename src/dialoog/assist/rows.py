"""TF-IDF rows of many units and of their sentences at once, each lemma looked at once.

Ranking a study's units, and then the sentences of the units that get a suggestion (to find each
suggestion's fragment), asks for the same features twice: a unit's lemmas are its sentences' lemmas in a
row. A `Batch` turns the lemmas of all sentences of all units into integer ids once (`LemmaIds`, one dict
look-up per word, in C) and finds the features of units and sentences with numpy on those ids: the
lemmas (``w:``), the pairs of neighbouring lemmas (``b:``, including the pairs across a sentence boundary
within a unit) and the lemmas of the interviewer's question (``q:``), and for the codebook's similarity the
unit's lemmas. The rows are exactly those of `dialoog.assist.features.Vectorizer.transform_texts` and
`Vectorizer.transform` (the same counts, in the same canonical order, weighted by the same code:
`Vectorizer.weigh`), so every probability stays the same to the last bit.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy
from scipy import sparse

from dialoog.assist.features import Vectorizer

#: Above this many distinct lemmas the ids start again (hostile input cannot grow them without end).
MAX_IDS = 1_000_000


class LemmaIds(dict):
    """Lemma -> id, a new id for each lemma not seen before; `alpha` says per id whether it is alphabetic."""

    def __init__(self) -> None:
        super().__init__()
        self._alpha: list[bool] = []
        self._alpha_array = numpy.zeros(0, dtype=bool)
        self.generation = 0

    def __missing__(self, lemma: str) -> int:
        i = self[lemma] = len(self._alpha)
        self._alpha.append(lemma.isalpha())
        return i

    def alpha(self) -> numpy.ndarray:
        if len(self._alpha_array) != len(self._alpha):
            self._alpha_array = numpy.array(self._alpha, dtype=bool)
        return self._alpha_array

    def start_again_when_full(self) -> None:
        """Forget every id when there are more than MAX_IDS (`generation` tells the ids made before)."""
        if len(self) > MAX_IDS:
            self.clear()
            self._alpha, self._alpha_array = [], numpy.zeros(0, dtype=bool)
            self.generation += 1

    def ids(self, lemma_lists) -> numpy.ndarray:
        """The ids of all lemmas of `lemma_lists`, one after the other."""
        return numpy.fromiter(map(self.__getitem__, itertools.chain.from_iterable(lemma_lists)), dtype=numpy.int64)


IDS = LemmaIds()


class _Tables:
    """Per lemma id, the index + 1 of a vectorizer's features (0: not in its vocabulary), made when first
    asked for: the lemma itself ("plain", the codebook's vectorizer), ``w:`` + lemma ("word") or ``q:`` + lemma
    ("asked"); and the sorted
    keys (first id << 32 | second id) of its ``b:`` pairs with their index + 1."""

    def __init__(self, vectorizer: Vectorizer) -> None:
        self.vocabulary = vectorizer.vocabulary
        self.generation = IDS.generation
        self._arrays: dict[str, numpy.ndarray] = {}
        self._pairs: tuple[numpy.ndarray, numpy.ndarray] | None = None

    def table(self, kind: str) -> numpy.ndarray:
        """The table of `kind`, covering every id given so far."""
        found = self._arrays.get(kind)
        if found is None:
            if kind in ("word", "asked"):
                prefix = "w:" if kind == "word" else "q:"
                known = [(IDS[f[2:]], i + 1) for f, i in self.vocabulary.items() if f[:2] == prefix]
            else:
                known = [(IDS[f], i + 1) for f, i in self.vocabulary.items()]
            found = numpy.zeros(len(IDS), dtype=numpy.int64)
            if known:
                at, values = numpy.array(known, dtype=numpy.int64).T
                found[at] = values
        if len(found) < len(IDS):  # lemmas first seen after the table was made: not in the vocabulary
            found = numpy.concatenate((found, numpy.zeros(len(IDS) - len(found), dtype=numpy.int64)))
        self._arrays[kind] = found
        return found

    def pairs(self, first: numpy.ndarray, second: numpy.ndarray) -> numpy.ndarray:
        """The index + 1 of the pair feature of each (first, second) id (0: none)."""
        if self._pairs is None:
            known = []
            for f, i in self.vocabulary.items():
                if f[:2] == "b:" and f.count(" ") == 1:
                    a, b = f[2:].split(" ")
                    known.append(((IDS[a] << 32) | IDS[b], i + 1))
            known.sort()
            keys = numpy.array([k for k, _ in known], dtype=numpy.int64)
            starts = numpy.zeros(len(IDS), dtype=bool)  # ids that begin a known pair
            starts[keys >> 32] = True
            self._pairs = keys, numpy.array([v for _, v in known], dtype=numpy.int64), starts
        keys_known, values, starts = self._pairs
        out = numpy.zeros(len(first), dtype=numpy.int64)
        if not len(keys_known) or not len(first):
            return out
        if len(starts) < len(IDS):
            starts = numpy.concatenate((starts, numpy.zeros(len(IDS) - len(starts), dtype=bool)))
            self._pairs = keys_known, values, starts
        maybe = numpy.flatnonzero(starts[first])
        keys = (first[maybe] << 32) | second[maybe]
        at = numpy.minimum(numpy.searchsorted(keys_known, keys), len(keys_known) - 1)
        out[maybe] = numpy.where(keys_known[at] == keys, values[at], 0)
        return out


def tables(vectorizer: Vectorizer) -> _Tables:
    """The id tables of `vectorizer` (made again when its vocabulary or the ids changed)."""
    found = getattr(vectorizer, "_id_tables", None)
    if found is None or found.vocabulary is not vectorizer.vocabulary or found.generation != IDS.generation:
        found = vectorizer._id_tables = _Tables(vectorizer)
    return found


class Batch:
    """The sentences of `units` (objects with `sentences`, each with `lemmas`, and `question`), their lemma
    ids, and the TF-IDF rows of the units and of chosen units' sentences."""

    def __init__(self, units: Sequence) -> None:
        self.units = units
        self.counts = numpy.fromiter(map(len, (u.sentences for u in units)), dtype=numpy.int64, count=len(units))
        self.first = numpy.concatenate(([0], numpy.cumsum(self.counts)))  # each unit's first sentence
        self._lemma_lists = lemma_lists = [s.lemmas for u in units for s in u.sentences]
        lengths = numpy.fromiter(map(len, lemma_lists), dtype=numpy.int64, count=len(lemma_lists))
        IDS.start_again_when_full()
        self.ids, self.generation = IDS.ids(lemma_lists), IDS.generation
        self._alpha_ids: tuple | None = None
        self._asked: tuple | None = None
        self._features: dict[int, tuple] = {}  # per vectorizer's tables: the features of the lemmas and pairs
        self.sentence = numpy.repeat(numpy.arange(len(lemma_lists)), lengths)  # of each lemma
        self.unit_of = numpy.repeat(numpy.arange(len(units)), self.counts)  # of each sentence
        questions = [u.question for u in units]
        self.distinct = {q: k for k, q in enumerate(dict.fromkeys(questions))}
        self.question = numpy.fromiter(map(self.distinct.__getitem__, questions), dtype=numpy.int64, count=len(units))

    def model_rows(self, vectorizer: Vectorizer, units: Sequence[int] | None = None) -> sparse.csr_matrix:
        """`transform_texts` of the units' lemmas and questions (kind "lemma"), or with `units` (indices)
        of the sentences of those units, in order."""
        ids, sentence = self._alpha()
        lengths, asked = self._question_ids()
        tab = tables(vectorizer)
        row_of, n, question_of = self._rows(sentence, units)
        same = row_of[:-1] == row_of[1:]  # pairs of neighbours within one row (-1: a row left out)
        found = self._features.get(id(tab))
        if found is None or found[0] is not tab:  # the same for the units and their sentences: once
            found = self._features[id(tab)] = (tab, tab.table("word")[ids], tab.pairs(ids[:-1], ids[1:]))
        _tab, words, pairs = found
        flat = tab.table("asked")[asked]
        starts = numpy.concatenate(([0], numpy.cumsum(lengths)))[question_of]
        rows = numpy.concatenate((row_of, row_of[:-1][same], numpy.repeat(numpy.arange(n), lengths[question_of])))
        cols = numpy.concatenate((words, pairs[same], flat[_ranges(starts, lengths[question_of])]))
        return _counted(vectorizer, rows, cols, n)

    def codebook_rows(self, vectorizer: Vectorizer, units: Sequence[int] | None = None) -> sparse.csr_matrix:
        """`transform` of the units' lemmas by the codebook's vectorizer, or with `units` of their sentences."""
        self._check()
        row_of, n, _q = self._rows(self.sentence, units)
        return _counted(vectorizer, row_of, tables(vectorizer).table("plain")[self.ids], n)

    def _question_ids(self) -> tuple[numpy.ndarray, numpy.ndarray]:
        """The number of lemmas of each distinct question, and their ids one after the other."""
        self._check()
        if self._asked is None:
            lengths = numpy.fromiter(map(len, self.distinct), dtype=numpy.int64, count=len(self.distinct))
            self._asked = lengths, IDS.ids(self.distinct)
        return self._asked

    def _alpha(self) -> tuple[numpy.ndarray, numpy.ndarray]:
        """The ids of the alphabetic lemmas and the sentence of each."""
        self._check()
        if self._alpha_ids is None:
            at = numpy.flatnonzero(IDS.alpha()[self.ids])
            self._alpha_ids = self.ids[at], self.sentence[at]
        return self._alpha_ids

    def _check(self) -> None:
        """The ids again when they started again since they were made (more than MAX_IDS lemmas)."""
        if self.generation != IDS.generation:
            self.ids, self.generation = IDS.ids(self._lemma_lists), IDS.generation
            self._alpha_ids = self._asked = None
            self._features = {}

    def _rows(self, sentence_of: numpy.ndarray, units: Sequence[int] | None):
        """The row of each lemma (-1: not wanted), the number of rows and the question (of `distinct`) of each
        row: the units, or the sentences of `units`."""
        if units is None:
            return self.unit_of[sentence_of], len(self.units), self.question
        units = numpy.asarray(units, dtype=numpy.int64)
        chosen = _ranges(self.first[units], self.counts[units])
        row = numpy.full(len(self.unit_of), -1, dtype=numpy.int64)
        row[chosen] = numpy.arange(len(chosen))
        return row[sentence_of], len(chosen), numpy.repeat(self.question[units], self.counts[units])

    def questions(self) -> list[tuple[str, ...]]:
        return list(self.distinct)


def _ranges(starts: numpy.ndarray, counts: numpy.ndarray) -> numpy.ndarray:
    """starts[0], starts[0] + 1, ... (counts[0] numbers), then the same from starts[1], ..."""
    ends = numpy.cumsum(counts)
    return numpy.repeat(starts - ends + counts, counts) + numpy.arange(int(ends[-1]) if len(ends) else 0)


def _counted(vectorizer: Vectorizer, rows: numpy.ndarray, cols: numpy.ndarray, n: int) -> sparse.csr_matrix:
    """The weighted rows (`Vectorizer.weigh`) of the features `cols` (index + 1; 0 and rows -1 left out)."""
    kept = (cols > 0) & (rows >= 0)
    x = sparse.coo_matrix(
        (numpy.ones(int(kept.sum())), (rows[kept], cols[kept] - 1)), shape=(n, len(vectorizer.vocabulary))
    ).tocsr()
    x.sum_duplicates()
    return vectorizer.weigh(x)
