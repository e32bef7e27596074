"""What the Dutch pipeline and its users share that needs no spaCy: word lemmas (simplemma, cached, with the
study's kept answers), interviewer labels, the per-token arrays of a processed Doc and the pause of the
garbage collector while analysing.

Kept apart from `dialoog.assist.spacy_pipeline` (the spaCy components) so that a run whose analysis comes
from a cache (`dialoog.assist.analysiscache`) never imports spaCy; `dialoog.assist.pipeline` re-exports both.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from typing import TYPE_CHECKING, NamedTuple

import numpy
import simplemma

if TYPE_CHECKING:
    from spacy.tokens import Doc

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
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA, LENGTH, LOWER, SENT_START

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
