"""The Dutch language pipeline: tokens, sentences and lemmas, offline.

`load_pipeline()` gives one spaCy pipeline, loaded once per process:

- by default ``spacy.blank("nl")`` with spaCy's rule-based ``sentencizer`` and a lemmatiser backed by
  simplemma (measured against spaCy's lookup table from spacy-lookups-data in
  ``benchmarks/lemma_accuracy.py``: simplemma is clearly better on frequent interview words);
- when the study setting ``spacy_model`` names an installed trained pipeline (such as
  ``nl_core_news_md``) or a pipeline folder, that one instead (its parser gives the sentences, its
  lemmatiser the lemmas); when it is not installed, a warning is logged and the default is used.

Either way lemmas are lower case, and spaCy's Dutch tokenizer exceptions that would glue a
sentence-final period to a common word (``dat.``, ``al.``, ``me.``) are removed, so that such a
period ends the sentence.

"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
from typing import NamedTuple

import numpy
import simplemma
import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA, LENGTH, LOWER, ORTH, SENT_START
from spacy.lang.nl import Dutch
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

log = logging.getLogger(__name__)

#: Words that spaCy's Dutch tokenizer keeps together with a following period as an abbreviation,
#: although in interviews they mostly end a sentence ("Dat wist ik al.").
SENTENCE_FINAL_WORDS = (
    "al",
    "bel",
    "best",
    "dat",
    "ex",
    "hand",
    "kon",
    "lat",
    "me",
    "min",
    "pan",
    "pas",
    "pers",
    "red",
    "top",
    "ver",
    "vol",
    "volg",
)

#: Speaker labels of the interviewer; their turns are segmented but never get suggestions.
INTERVIEWER_LABELS = frozenset({"interviewer", "interviewster", "i", "int", "int.", "onderzoeker", "gespreksleider"})

DEFAULT = ""  # the offline pipeline


@contextlib.contextmanager
def paused_gc():
    """The cyclic garbage collector paused while analysing and ranking: they make many small objects (tokens'
    strings, segments, units, hits) and no cycles, and each collection would walk every object alive,
    which cost a third of the ranked path's time (benchmarks/suggest_throughput.py). Reference counting
    still frees everything; the collector runs again afterwards. Nests (only the outermost resumes it)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@functools.lru_cache(maxsize=1024)
def is_interviewer(speaker: str) -> bool:
    label = speaker.strip().lower()
    return label in INTERVIEWER_LABELS or label.startswith("interviewer")


#: simplemma's answers kept between runs (`dialoog.assist.modelcache.load_lemmas`): "lemma" (lower-case form ->
#: lemma) and "known" (word -> whether simplemma knows it); `SEEN` the answers given in this process since
#: they were loaded (from there or from simplemma: what the next run keeps).
STORED: dict[str, dict] = {"lemma": {}, "known": {}}
SEEN: dict[str, dict] = {"lemma": {}, "known": {}}


@functools.lru_cache(maxsize=200_000)
def lemma_of(form: str) -> str:
    """The lower-case lemma of one Dutch word form (simplemma, cached)."""
    lower = form.lower()
    if not lower[:1].isalpha():
        return lower
    lemma = STORED["lemma"].get(lower)
    if lemma is None:  # simplemma writes some separable verbs with an underscore ("aan_passen")
        lemma = simplemma.lemmatize(lower, lang="nl").lower().replace("_", "")
    SEEN["lemma"][lower] = lemma
    return lemma


@functools.lru_cache(maxsize=10_000)
def is_known_word(word: str) -> bool:
    """Whether simplemma's Dutch dictionary has `word` (cached as `lemma_of`)."""
    known = STORED["known"].get(word)
    if known is None:
        known = bool(simplemma.is_known(word, "nl"))
    SEEN["known"][word] = known
    return known


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


_ARRAYS = "dialoog.token_arrays"


class TokenArrays(NamedTuple):
    """Per-token attributes of a Doc as numpy arrays (one `to_array` per Doc instead of one per use)."""

    lemma: numpy.ndarray  #: lemma ids
    lower: numpy.ndarray  #: lower-case form ids
    sent_start: numpy.ndarray  #: 1 where a sentence starts
    skip: numpy.ndarray  #: True for punctuation and whitespace
    idx: numpy.ndarray  #: character offset of each token
    space: numpy.ndarray  #: True for whitespace
    length: numpy.ndarray  #: length of each token in characters


def token_arrays(doc: Doc) -> TokenArrays:
    """The TokenArrays of a processed Doc (kept by the annotator, else computed)."""
    cached = doc.user_data.get(_ARRAYS)
    if cached is not None and len(cached.lemma) == len(doc):
        return cached
    arr = doc.to_array([LEMMA, LOWER, SENT_START, IS_PUNCT, IS_SPACE, IDX, LENGTH])
    return TokenArrays(
        arr[:, 0],
        arr[:, 1],
        arr[:, 2].astype("int64"),
        (arr[:, 3] | arr[:, 4]).astype(bool),
        arr[:, 5].astype("int64"),
        arr[:, 4].astype(bool),
        arr[:, 6].astype("int64"),
    )


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


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT) -> Language:
    """The pipeline for `model` (a study's ``spacy_model`` setting), loaded once per process.

    An empty name gives the offline default; a name that is not installed falls back to it with a warning.
    """
    if model:
        try:
            nlp = trained_pipeline(model)
        except OSError:
            log.warning(
                "spaCy pipeline '%s' (setting spacy_model) is not installed; using the built-in Dutch pipeline. "
                "Install it with 'python -m spacy download %s' or clear the setting.",
                model,
                model,
            )
        else:
            nlp.meta["dialoog_pipeline"] = model
            return nlp
    nlp = blank_pipeline()
    nlp.meta["dialoog_pipeline"] = "blank-nl+simplemma"
    return nlp


def pipeline_for(study) -> Language:
    """The pipeline selected by a study's settings."""
    return load_pipeline(study.settings.spacy_model)


def lemmatize_text(nlp: Language, text: str) -> list[str]:
    """Lower-case lemmas of the words of a short text (e.g. a codebook keyword)."""
    return [t.lemma_ for t in nlp(text) if not (t.is_punct or t.is_space)]
