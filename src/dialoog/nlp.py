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

`segments()` splits a transcript into speaker turns and the sentences within them; every segment's
`start`/`end` are character offsets into the transcript body, so ``body[start:end] == segment.text``.
"""

from __future__ import annotations

import bisect
import functools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import compress
from typing import NamedTuple

import numpy
import simplemma
import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA, LOWER, ORTH, SENT_START
from spacy.lang.nl import Dutch
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from .transcripts import Transcript

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


def is_interviewer(speaker: str) -> bool:
    label = speaker.strip().lower()
    return label in INTERVIEWER_LABELS or label.startswith("interviewer")


@functools.lru_cache(maxsize=200_000)
def lemma_of(form: str) -> str:
    """The lower-case lemma of one Dutch word form (simplemma, cached)."""
    lower = form.lower()
    if not lower[:1].isalpha():
        return lower
    # simplemma writes some separable verbs with an underscore ("aan_passen")
    return simplemma.lemmatize(lower, lang="nl").lower().replace("_", "")


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

    Works on whole arrays (`Doc.to_array`/`from_array`) with a cache per word form: creating a Python
    `Token` per word would cost more than everything else.
    """

    def __init__(self, nlp: Language, sentences: bool = True) -> None:
        self.vocab = nlp.vocab
        self.strings = nlp.vocab.strings
        self.sentences = sentences
        # orth id -> (lemma id, lower id, ends a sentence, punctuation or space)
        self._info: dict[int, tuple[int, int, bool, bool]] = {}

    def _info_of(self, orth: int) -> tuple[int, int, bool, bool]:
        lex = self.vocab[orth]
        text = lex.orth_
        info = self._info[orth] = (
            self.strings.add(lemma_of(text)),
            lex.lower,
            text in SENTENCE_END_CHARS or "\n" in text,  # a line break ends a sentence too
            bool(lex.is_punct or lex.is_space),
        )
        return info

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        arr = doc.to_array([ORTH, IDX])
        # look up each distinct word form once (numpy does the per-token work)
        forms, inverse = numpy.unique(arr[:, 0], return_inverse=True)
        cache, miss = self._info, self._info_of
        info = numpy.array([cache.get(o) or miss(o) for o in forms.tolist()], dtype="uint64")[inverse]
        lemmas = info[:, 0]
        if not self.sentences:
            doc.from_array([LEMMA], lemmas.reshape(-1, 1))
            return doc
        ends = info[:, 2].astype(bool)
        space = info[:, 3].astype(bool)
        punct = space | ends
        # a token starts a sentence when it is not punctuation and a sentence end stands between it and
        # the previous word
        words = numpy.flatnonzero(~punct)
        seen = numpy.concatenate(([0], numpy.cumsum(ends)))  # ends before token i: seen[i]
        starts = numpy.full(len(doc), -1, dtype="int64")
        if len(words):
            prev = numpy.concatenate(([0], words[:-1]))
            new = seen[words] > seen[prev]
            new[0] = False
            starts[words[new]] = 1
        starts[0] = 1
        doc.from_array([LEMMA, SENT_START], numpy.column_stack([lemmas, starts.astype("uint64")]))
        doc.user_data[_ARRAYS] = TokenArrays(lemmas, info[:, 1], starts, space, arr[:, 1].astype("int64"))
        return doc


_ARRAYS = "dialoog.token_arrays"


class TokenArrays(NamedTuple):
    """Per-token attributes of a Doc as numpy arrays (one `to_array` per Doc instead of one per use)."""

    lemma: numpy.ndarray  #: lemma ids
    lower: numpy.ndarray  #: lower-case form ids
    sent_start: numpy.ndarray  #: 1 where a sentence starts
    skip: numpy.ndarray  #: True for punctuation and whitespace
    idx: numpy.ndarray  #: character offset of each token


def token_arrays(doc: Doc) -> TokenArrays:
    """The TokenArrays of a processed Doc (kept by the annotator, else computed)."""
    cached = doc.user_data.get(_ARRAYS)
    if cached is not None and len(cached.lemma) == len(doc):
        return cached
    arr = doc.to_array([LEMMA, LOWER, SENT_START, IS_PUNCT, IS_SPACE, IDX])
    return TokenArrays(
        arr[:, 0], arr[:, 1], arr[:, 2].astype("int64"), (arr[:, 3] | arr[:, 4]).astype(bool), arr[:, 5].astype("int64")
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


@dataclass(frozen=True)
class Segment:
    """A sentence of a speaker turn; `start`/`end` are offsets into the transcript body."""

    transcript: str
    turn: int  #: index of the turn (`Transcript.turns`)
    speaker: str
    start: int
    end: int
    text: str
    lemmas: tuple[str, ...]  #: lower-case lemmas of its words (no punctuation)

    @property
    def interviewer(self) -> bool:
        return is_interviewer(self.speaker)


_LEMMA_NAMES: dict[int, str] = {}  # lemma id -> lemma (faster than the StringStore)

#: How the turns of a transcript are joined into one text for the pipeline (a line break ends a sentence).
TURN_SEPARATOR = "\n\n"


def turns_text(transcript: Transcript) -> tuple[str, list[int]]:
    """The turns' texts joined into one text (one Doc per transcript is much faster than one per turn),
    and the offset of each turn in it."""
    offsets, pos = [], 0
    for turn in transcript.turns:
        offsets.append(pos)
        pos += len(turn.text) + len(TURN_SEPARATOR)
    return TURN_SEPARATOR.join(t.text for t in transcript.turns), offsets


def parse(nlp: Language, transcripts: Iterable[Transcript], batch_size: int = 16) -> Iterator[tuple[Transcript, Doc]]:
    """Each transcript with the Doc of its joined turns (see `turns_text`)."""
    items = ((turns_text(t)[0], t) for t in transcripts)
    for doc, t in nlp.pipe(items, as_tuples=True, batch_size=batch_size):
        yield t, doc


def sentence_spans(doc: Doc, text: str | None = None) -> list[tuple[int, int, int, int]]:
    """(first token, end token, start char, end char) of each sentence of a Doc, whitespace stripped.

    `text` is the text the Doc was made from (`doc.text` rebuilds it token by token, which is slow).
    """
    n = len(doc)
    if not n:
        return []
    arrays = token_arrays(doc)
    first = numpy.flatnonzero(arrays.sent_start == 1).tolist()
    if not first or first[0] != 0:
        first.insert(0, 0)
    idx = arrays.idx.tolist()
    text = doc.text if text is None else text
    out = []
    for i, tok_start in enumerate(first):
        tok_end = first[i + 1] if i + 1 < len(first) else n
        char_start = idx[tok_start]
        char_end = idx[tok_end] if tok_end < n else len(text)
        chunk = text[char_start:char_end]
        stripped = chunk.strip()
        if stripped:
            char_start += len(chunk) - len(chunk.lstrip())
            out.append((tok_start, tok_end, char_start, char_start + len(stripped)))
    return out


def transcript_segments(transcript: Transcript, doc: Doc, with_lemmas: bool = True) -> list[Segment]:
    """The sentence segments of a transcript from the Doc of its joined turns, with body offsets.

    A sentence never crosses a turn: should the pipeline put one across a turn boundary, it is cut there.
    Without `with_lemmas`, the segments' `lemmas` are left empty (faster, when only offsets are needed).
    """
    if not len(doc):
        return []
    text, offsets = turns_text(transcript)
    arrays = token_arrays(doc)
    keep = (~arrays.skip).tolist()
    idx = arrays.idx.tolist()
    lemma_strings: list[str] = []
    if with_lemmas:
        strings, names = doc.vocab.strings, _LEMMA_NAMES
        lemma_strings = [names[x] if x in names else names.setdefault(x, strings[x]) for x in arrays.lemma.tolist()]
    turns = transcript.turns
    out = []
    for tok_start, tok_end, char_start, char_end in sentence_spans(doc, text):
        k = bisect.bisect_right(offsets, char_start) - 1
        while k < len(turns) and offsets[k] < char_end:
            turn, base = turns[k], offsets[k]
            a, b = max(char_start, base), min(char_end, base + len(turn.text))
            piece = text[a:b]
            stripped = piece.strip()
            if stripped:
                a += len(piece) - len(piece.lstrip())
                b = a + len(stripped)
                if not with_lemmas:
                    lemmas: tuple[str, ...] = ()
                elif a == char_start and b == char_end:  # the whole sentence (the usual case)
                    lemmas = tuple(compress(lemma_strings[tok_start:tok_end], keep[tok_start:tok_end]))
                else:
                    lemmas = tuple(lemma_strings[j] for j in range(tok_start, tok_end) if keep[j] and a <= idx[j] < b)
                start = turn.start + (a - base)
                out.append(
                    Segment(transcript.id, turn.index, turn.speaker, start, start + len(stripped), stripped, lemmas)
                )
            k += 1
    return out


def segments(transcript: Transcript, nlp: Language | None = None) -> list[Segment]:
    """All sentence segments of a transcript, in order."""
    nlp = nlp or load_pipeline()
    return [seg for t, doc in parse(nlp, [transcript]) for seg in transcript_segments(t, doc)]


def turn_segments(transcript: Transcript) -> list[Segment]:
    """The speaker turns as segments (no lemmas): the coarser level of segmentation."""
    return [Segment(transcript.id, t.index, t.speaker, t.start, t.end, t.text, ()) for t in transcript.turns]


def lemmatize_text(nlp: Language, text: str) -> list[str]:
    """Lower-case lemmas of the words of a short text (e.g. a codebook keyword)."""
    return [t.lemma_ for t in nlp(text) if not (t.is_punct or t.is_space)]
