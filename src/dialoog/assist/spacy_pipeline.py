"""The spaCy side of the Dutch pipeline: the simplemma lemmatiser and sentence annotator components, the
Dutch language without the tokenizer exceptions that swallow a sentence-final period, and how the offline
default and a trained pipeline are built (see `dialoog.assist.pipeline`, which loads them only when a text
must actually be analysed: importing this module imports spaCy).
"""

from __future__ import annotations

import numpy
import spacy
from spacy.attrs import IDX, LEMMA, ORTH, SENT_START
from spacy.lang.nl import Dutch
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from dialoog.assist.words import _ARRAYS, SENTENCE_FINAL_WORDS, TokenArrays, lemma_of

#: Characters that end a sentence (as spaCy's sentencizer).
SENTENCE_END_CHARS = frozenset(Sentencizer.default_punct_chars)


@Language.factory("dialoog_lemmatizer")
def _make_lemmatizer(nlp: Language, name: str) -> SimplemmaLemmatizer:
    return SimplemmaLemmatizer(nlp, sentences=False)


@Language.factory("dialoog_annotator")
def _make_annotator(nlp: Language, name: str) -> SimplemmaLemmatizer:
    return SimplemmaLemmatizer(nlp, sentences=True)


class SimplemmaLemmatizer:
    """A pipeline component that sets lower-case lemmas from simplemma and, with `sentences`, sentence starts
    by the rule of spaCy's sentencizer (a sentence starts at the first word after . ! ? and the like, and
    after a line break).

    Works on whole arrays (`Doc.to_array`/`from_array`) with a table per word form, looked up for all tokens
    at once with numpy: creating a Python `Token`, or even a dict look-up, per word would cost more than
    everything else. A word form's orth id is a hash, so its low bits pick a slot of a direct-address table
    (one array look-up for all tokens); the few forms whose slot another form took first are found by
    binary search in the sorted orth ids.
    """

    #: Columns of the table of word forms.
    LEMMA, LOWER, ENDS, SKIP, SPACE, LENGTH = range(6)
    #: Size of the direct-address table (2**19 slots of orth id and row: 8 MB).
    SLOT_BITS = 19

    def __init__(self, nlp: Language, sentences: bool = True) -> None:
        self.vocab = nlp.vocab
        self.strings = nlp.vocab.strings
        self.sentences = sentences
        # per word form, in the order seen: lemma id, lower id, ends a sentence, punctuation or space, space, length
        self._table = numpy.zeros((0, 6), dtype="uint64")
        self._columns: dict[int, numpy.ndarray] = {}  # contiguous copies of the table's columns
        # every known orth id, sorted, with its row of the table
        self._keys = numpy.zeros(0, dtype="uint64")
        self._key_rows = numpy.zeros(0, dtype="int64")
        # the direct-address table: orth id and row per slot (orth id 0, the empty string, marks a free slot)
        self._mask = numpy.uint64((1 << self.SLOT_BITS) - 1)
        self._slot_keys = numpy.zeros(1 << self.SLOT_BITS, dtype="uint64")
        self._slot_rows = numpy.zeros(1 << self.SLOT_BITS, dtype="int64")

    def _row(self, orth: int) -> tuple[int, int, int, int, int, int]:
        lex = self.vocab[orth]
        text = lex.orth_
        return (
            self.strings.add(lemma_of(text)),
            lex.lower,
            text in SENTENCE_END_CHARS or "\n" in text,  # a line break ends a sentence too
            bool(lex.is_punct or lex.is_space),
            bool(lex.is_space),
            len(text),
        )

    def _lookup(self, orth: numpy.ndarray) -> numpy.ndarray:
        """The table rows of the orth ids `orth` (new word forms are added to the table first)."""
        slot = (orth & self._mask).astype(numpy.intp)
        rows = self._slot_rows[slot]
        miss = self._slot_keys[slot] != orth
        if miss.any():
            rows[miss] = self._search(orth[miss])
        return rows

    def _column(self, column: int) -> numpy.ndarray:
        """One column of the table, contiguous (kept until the table grows)."""
        columns = self._columns
        if len(columns.get(column, ())) != len(self._table):
            columns[column] = numpy.ascontiguousarray(self._table[:, column])
        return columns[column]

    def _search(self, orth: numpy.ndarray) -> numpy.ndarray:
        """The rows of `orth` by binary search in the sorted orth ids, adding new word forms."""
        pos = numpy.searchsorted(self._keys, orth)
        known = pos < len(self._keys)
        known[known] = self._keys[pos[known]] == orth[known]
        if not known.all():
            new = numpy.unique(orth[~known])
            first = len(self._table)
            rows = numpy.arange(first, first + len(new), dtype="int64")
            added = numpy.array([self._row(o) for o in new.tolist()], dtype="uint64").reshape(-1, 6)
            self._table = numpy.concatenate([self._table, added])
            keys = numpy.concatenate([self._keys, new])
            order = numpy.argsort(keys, kind="stable")
            self._keys, self._key_rows = keys[order], numpy.concatenate([self._key_rows, rows])[order]
            # new forms take their slot when it is free (the first of several with the same slot wins)
            slot = (new & self._mask).astype(numpy.intp)
            free = self._slot_keys[slot] == 0
            slot, which = numpy.unique(slot[free], return_index=True)
            self._slot_keys[slot] = new[free][which]
            self._slot_rows[slot] = rows[free][which]
            pos = numpy.searchsorted(self._keys, orth)
        return self._key_rows[pos]

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        arr = doc.to_array([ORTH, IDX])
        rows = self._lookup(arr[:, 0])
        lemmas = self._column(self.LEMMA)[rows]
        if not self.sentences:
            doc.from_array([LEMMA], lemmas.reshape(-1, 1))
            return doc
        ends = self._column(self.ENDS)[rows].astype(bool)
        skip = self._column(self.SKIP)[rows].astype(bool)
        # a sentence starts at token 0 and at the first word (not punctuation, whitespace or a sentence end)
        # after each sentence end that follows a word
        words = numpy.flatnonzero(~(skip | ends))
        after = numpy.searchsorted(words, numpy.flatnonzero(ends), side="right")
        values = numpy.empty((len(doc), 2), dtype="uint64")  # LEMMA, SENT_START (-1: not a start)
        values[:, 0] = lemmas
        starts = values[:, 1].view("int64")
        starts[:] = -1
        starts[words[after[(after > 0) & (after < len(words))]]] = 1
        starts[0] = 1
        doc.from_array([LEMMA, SENT_START], values)
        doc.user_data[_ARRAYS] = TokenArrays(
            lemmas,
            self._column(self.LOWER)[rows],
            starts,
            skip,
            arr[:, 1].astype("int64"),
            self._column(self.SPACE)[rows].astype(bool),
            self._column(self.LENGTH)[rows].astype("int64"),
        )
        return doc


@Language.component("dialoog_lower_lemmas")
def _lower_lemmas(doc: Doc) -> Doc:
    """Lower-case the lemmas of a trained pipeline, so keyword matching ignores case."""
    for token in doc:
        lemma = token.lemma_ or token.text
        if lemma != lemma.lower() or not token.lemma_:
            token.lemma_ = lemma.lower()
    return doc


def fix_tokenizer_exceptions(nlp: Language) -> None:
    """Drop the special cases that swallow a sentence-final period after a common word."""
    rules = dict(nlp.tokenizer.rules or {})
    fixed = _without_sentence_final_words(rules)
    if len(fixed) != len(rules):
        nlp.tokenizer.rules = fixed


def _without_sentence_final_words(exceptions: dict) -> dict:
    drop = {form + "." for w in SENTENCE_FINAL_WORDS for form in (w, w.capitalize(), w.upper())}
    return {k: v for k, v in exceptions.items() if k not in drop}


class _DutchDefaults(Dutch.Defaults):
    tokenizer_exceptions = _without_sentence_final_words(Dutch.Defaults.tokenizer_exceptions)


class DialoogDutch(Dutch):
    """spaCy's Dutch, without the exceptions that swallow a sentence-final period (building the tokenizer
    once with the right exceptions is much faster than removing them afterwards)."""

    Defaults = _DutchDefaults


def blank_pipeline() -> Language:
    """The offline default: blank Dutch + sentencizer + simplemma lemmas."""
    nlp = DialoogDutch()
    nlp.add_pipe("dialoog_annotator")
    return nlp


def trained_pipeline(name: str) -> Language:
    """A trained pipeline by package name or folder; raises OSError when it is not installed."""
    nlp = spacy.load(name, exclude=["ner", "textcat", "textcat_multilabel", "entity_ruler"])
    fix_tokenizer_exceptions(nlp)
    if not nlp.has_pipe("parser") and not nlp.has_pipe("senter") and not nlp.has_pipe("sentencizer"):
        nlp.add_pipe("sentencizer")
    if not any(n for n in nlp.pipe_names if "lemmatizer" in n):
        nlp.add_pipe("dialoog_lemmatizer")
    else:
        nlp.add_pipe("dialoog_lower_lemmas", last=True)
    return nlp
