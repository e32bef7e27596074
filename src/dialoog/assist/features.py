"""Units to suggest for, their text features, and a small logistic regression: all offline, numpy only.

A **unit** is a respondent's turn, or a block of a long turn (a turn of more than `BLOCK_SENTENCES`
sentences, such as a written statement, is cut into blocks of about equal size). Features are TF-IDF
weights of lemmas and lemma pairs (``w:``, ``b:``) and of character n-grams of the words (``c:``, 3 to 5
characters, as scikit-learn's ``char_wb``), chosen by `kinds` (default `KINDS`: lemmas), and the content
lemmas of the interviewer's question before the unit (``q:``).

The classifier is an L2-regularised logistic regression per code, fitted by accelerated gradient descent
in the space of the training units (the weights are a combination of the training vectors, so each step
costs units² instead of units × features). scikit-learn would do the same job, but importing it takes
longer than a whole `dialoog suggest` run may (it stays the baseline in the evaluation).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy
from scipy import sparse

from dialoog.assist.segments import Segment
from dialoog.study.transcripts import Transcript

#: A turn with more sentences than this is cut into blocks (a document rather than a spoken turn).
BLOCK_SENTENCES = 12
WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
#: `WORD_RE` as the separator of `re.split`: the gaps and the words in turn, the words as `findall` finds them.
WORD_SPLIT = re.compile(f"({WORD_RE.pattern})")
CHAR_RANGE = (3, 5)
#: The features used: lemmas and lemma pairs. Character n-grams ("char") are supported and evaluated
#: (benchmarks/suggest_quality.py) but with the question as context did worse on the demo study.
KINDS = ("lemma",)
#: The threshold from which a code is suggested when it has too few codings to choose one (see model.py).
THRESHOLD = 0.35
#: Give each unit the lemmas of the interviewer's question before it as context features ("q:").
QUESTION_CONTEXT = True


@dataclass(frozen=True)
class Unit:
    """A respondent turn (or a block of one) with its sentences; offsets into the transcript body."""

    transcript: str
    turn: int
    start: int
    end: int
    text: str
    sentences: tuple[Segment, ...]
    question: tuple[str, ...] = ()  #: lemmas of the interviewer's turn just before (the context)

    @functools.cached_property
    def lemmas(self) -> tuple[str, ...]:
        if len(self.sentences) == 1:
            return tuple(self.sentences[0].lemmas)
        return tuple(itertools.chain.from_iterable(s.lemmas for s in self.sentences))

    def sentence_units(self) -> list[Unit]:
        """Each sentence as a unit of its own (same turn and question)."""
        return [Unit(self.transcript, self.turn, s.start, s.end, s.text, (s,), self.question) for s in self.sentences]


def units_of(transcript: Transcript, segs: Sequence[Segment]) -> list[Unit]:
    """The units of a transcript from its sentence segments (interviewer turns have none)."""
    by_turn: dict[int, list[Segment]] = {}
    questions: dict[int, tuple[str, ...]] = {}
    asked: tuple[str, ...] = ()
    last_question_turn = -1
    for seg in segs:
        if seg.interviewer:
            asked = (asked if seg.turn == last_question_turn else ()) + seg.lemmas
            last_question_turn = seg.turn
        else:
            by_turn.setdefault(seg.turn, []).append(seg)
            questions.setdefault(seg.turn, asked if QUESTION_CONTEXT else ())
    out = []
    body, tid = transcript.body, transcript.id
    new, set_dict = object.__new__, object.__setattr__  # as Unit(...), without the frozen field-by-field init
    for turn, sents in by_turn.items():
        n_blocks = math.ceil(len(sents) / BLOCK_SENTENCES)
        size = math.ceil(len(sents) / n_blocks)
        for i in range(0, len(sents), size):
            block = tuple(sents[i : i + size])
            start, end = block[0].start, block[-1].end
            unit = new(Unit)
            set_dict(
                unit,
                "__dict__",
                {
                    "transcript": tid,
                    "turn": turn,
                    "start": start,
                    "end": end,
                    "text": body[start:end],
                    "sentences": block,
                    "question": questions[turn],
                },
            )
            out.append(unit)
    return out


@functools.lru_cache(maxsize=200_000)
def _char_grams(word: str) -> tuple[str, ...]:
    """The character n-gram features ("c:" + n-gram) of a lower-case word, padded with a space."""
    padded = f" {word} "
    lo, hi = CHAR_RANGE
    return tuple("c:" + padded[i : i + n] for n in range(lo, hi + 1) for i in range(len(padded) - n + 1))


def word_features(word: str, lemma: str, kinds: Iterable[str] = KINDS) -> list[str]:
    """The features one word contributes (used to explain a decision by the words that carried it)."""
    out = []
    if "lemma" in kinds:
        out.append("w:" + lemma)
    if "char" in kinds:
        out.extend(_char_grams(word.lower()))
    return out


def text_features(
    text: str, lemmas: Sequence[str], kinds: Iterable[str] = KINDS, question: Sequence[str] = ()
) -> list[str]:
    """The features of a text and its lemmas (and the content lemmas of the question before it)."""
    out: list[str] = [f"q:{w}" for w in question if w.isalpha() and len(w) > 3]
    if "lemma" in kinds:
        words = list(filter(str.isalpha, lemmas))
        out.extend("w:" + w for w in words)
        out.extend(f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False))
    if "char" in kinds:
        for w in WORD_RE.findall(text.lower()):
            out.extend(_char_grams(w))
    return out


class Vectorizer:
    """TF-IDF (sublinear tf, smooth idf, rows of unit length) over feature lists, as scikit-learn's."""

    def __init__(self, min_df: int = 2) -> None:
        self.min_df = min_df
        self.vocabulary: dict[str, int] = {}
        self.idf = numpy.zeros(0)
        self._word_cache: dict[str, list[int]] = {}

    def fit(self, docs: Sequence[Sequence[str]]) -> Vectorizer:
        df = Counter(f for doc in docs for f in set(doc))
        kept = sorted(f for f, n in df.items() if n >= self.min_df)
        self.vocabulary = {f: i for i, f in enumerate(kept)}
        n = len(docs)
        self.idf = numpy.array([math.log((1 + n) / (1 + df[f])) + 1 for f in kept])
        return self

    def transform(self, docs: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        get = self._lookups()[3]  # index + 1: filter(None, ...) drops features not in the vocabulary
        return self._matrix([list(filter(None, map(get, doc))) for doc in docs], shift=1)

    def transform_texts(
        self, texts: Sequence[str], lemmas: Sequence[Sequence[str]], kinds, questions: Sequence = ()
    ) -> sparse.csr_matrix:
        """`transform` of `text_features(text, lemmas, kinds, question)` for each text, faster: lemmas, lemma
        pairs and question lemmas are looked up without making their feature strings, and the character
        n-grams of each distinct word once."""
        cache = self._word_cache
        words_get, pairs_get, asked_get, get = self._lookups()  # indices + 1: filter(None, ...) drops misses
        rows = []
        questions = questions or [()] * len(texts)
        for text, lem, q in zip(texts, lemmas, questions, strict=True):
            found = list(filter(None, map(asked_get, q)))
            if "lemma" in kinds:
                words = list(filter(str.isalpha, lem))  # in C, no Python frame per word
                found.extend(filter(None, map(words_get, words)))
                found.extend(filter(None, map(pairs_get, zip(words, words[1:], strict=False))))
            if "char" in kinds:
                for w in WORD_RE.findall(text.lower()):
                    idx = cache.get(w)
                    if idx is None:
                        idx = cache[w] = list(filter(None, map(get, _char_grams(w))))
                    found.extend(idx)
            rows.append(found)
        return self._matrix(rows, shift=1)

    def _lookups(self) -> tuple:
        """The `get` of the vocabulary's lemmas ("w:"), lemma pairs ("b:", by pair), question lemmas ("q:")
        and all features, each giving the feature's index + 1 (kept for the vocabulary they were made from)."""
        if getattr(self, "_lookups_of", None) is not self.vocabulary:
            words, pairs, asked, every = {}, {}, {}, {}
            for f, i in self.vocabulary.items():
                kind, rest = f[:2], f[2:]
                every[f] = i + 1
                if kind == "w:":
                    words[rest] = i + 1
                elif kind == "b:" and rest.count(" ") == 1:
                    pairs[tuple(rest.split(" "))] = i + 1
                elif kind == "q:":
                    asked[rest] = i + 1
            self._lookups_cache = (words.get, pairs.get, asked.get, every.get)
            self._lookups_of = self.vocabulary
            self._word_cache = {}
        return self._lookups_cache

    def _matrix(self, rows: list[list[int]], shift: int = 0) -> sparse.csr_matrix:
        """TF-IDF rows (sublinear tf, unit length) from the feature indices (+ `shift`) of each document."""
        indptr = numpy.cumsum([0, *map(len, rows)])
        indices = numpy.fromiter(itertools.chain.from_iterable(rows), dtype=numpy.int64, count=int(indptr[-1]))
        if shift:
            indices -= shift
        x = sparse.csr_matrix((numpy.ones(len(indices)), indices, indptr), shape=(len(rows), len(self.vocabulary)))
        x.sum_duplicates()  # counts per feature
        return self.weigh(x)

    def weigh(self, x: sparse.csr_matrix) -> sparse.csr_matrix:
        """TF-IDF rows (sublinear tf, unit length) from a matrix of counts in canonical form (changed)."""
        data = (1 + numpy.log(x.data)) * self.idf[x.indices] if len(self.idf) else 1 + numpy.log(x.data)
        # unit length per row, on the arrays (scipy's multiply builds two more matrices)
        n = x.shape[0]
        lengths = numpy.diff(x.indptr)
        norms = numpy.sqrt(numpy.bincount(numpy.repeat(numpy.arange(n), lengths), data * data, n))
        norms[norms == 0] = 1
        x.data = data / numpy.repeat(norms, lengths)
        return x

    def weights(self, features: Iterable[str]) -> list[int]:
        vocab = self.vocabulary
        return [vocab[f] for f in features if f in vocab]


def fit_logistic(
    x: sparse.csr_matrix,
    y: numpy.ndarray,
    c: float = 4.0,
    iterations: int = 250,
    max_weight: float = 4.0,
    weights: numpy.ndarray | None = None,
) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Weights (features × codes) and intercepts of one L2 logistic regression per column of `y` (0..1,
    soft labels allowed), each unit and code weighted by `weights` (units × codes; default 1). Positives are
    weighted sqrt(negatives / positives), at most `max_weight`.

    Accelerated gradient descent on the dual coefficients `a` (weights = X.T @ a, intercept = a.sum()): the
    logits are K @ a with K = X @ X.T + 1, computed as X @ (X.T @ a) + a.sum() on the sparse X (cheaper than
    the dense K once the pooled material has a thousand units, and linear in their number)."""
    weights = numpy.ones(y.shape) if weights is None else weights
    n = weights.sum(axis=0)
    pos = (y * weights).sum(axis=0)
    w_pos = numpy.clip(numpy.sqrt((n - pos) / numpy.maximum(pos, 1e-9)), 1.0, max_weight)
    sample_w = numpy.where(y > 0, w_pos, 1.0) * weights
    # single precision for the iterations: half the memory traffic, the same weights to 1e-5
    x32 = x.astype(numpy.float32)
    xt = x32.T.tocsr()

    def kernel(a: numpy.ndarray) -> numpy.ndarray:  # K @ a, a constant feature of 1 giving the intercept
        return x32 @ (xt @ a) + a.sum(axis=0)

    # step size from the curvature: 0.25 * largest sample weight * largest eigenvalue of K, plus 1/C
    v = numpy.ones(x.shape[0], dtype=numpy.float32) / math.sqrt(x.shape[0])
    for _ in range(30):
        v = kernel(v)
        v /= numpy.linalg.norm(v) or 1
    step = numpy.float32(1.0 / (0.25 * sample_w.max() * float(v @ kernel(v)) * 1.05 + 1.0 / c))
    sample_w, y, inv_c = sample_w.astype(numpy.float32), y.astype(numpy.float32), numpy.float32(1 / c)
    a = numpy.zeros(y.shape, dtype=numpy.float32)
    a_prev = a
    with _one_blas_thread():
        for t in range(1, iterations + 1):
            look = a + numpy.float32((t - 1) / (t + 2)) * (a - a_prev)
            g = sample_w * (sigmoid(kernel(look)) - y)
            a_prev, a = a, look - step * (g + look * inv_c)
    a = a.astype(float)
    return numpy.asarray(x.T @ a), a.sum(axis=0)


def _one_blas_thread():
    """BLAS on one thread: the products of the iterations are small (units × units by units × codes), and on
    a shared two-core machine a second thread waiting for a busy core made training two to three times slower
    (benchmarks/suggest_throughput.py)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1, user_api="blas")


def best_threshold(p: numpy.ndarray, y: numpy.ndarray, w: numpy.ndarray | None = None) -> float:
    """The threshold (0.05 to 0.6) with the best F1 of `p` against `y` (units weighted by `w`); ties go to
    the one nearest THRESHOLD."""
    best, chosen = -1.0, THRESHOLD
    w = numpy.ones(len(p)) if w is None else w
    for t in sorted(numpy.arange(0.05, 0.61, 0.05), key=lambda t: abs(t - THRESHOLD)):
        pred = p >= t
        tp, n_pred, n_true = w[pred & y].sum(), w[pred].sum(), w[y].sum()
        f1 = 2 * tp / (n_pred + n_true) if n_pred + n_true else 0.0
        if f1 > best + 1e-9:
            best, chosen = f1, float(t)
    return chosen


def fit_pooled(
    cols: numpy.ndarray, y: numpy.ndarray, l2: float = 1.0, iterations: int = 50, w: numpy.ndarray | None = None
) -> numpy.ndarray:
    """Coefficients (one per column, then the intercept) of a logistic regression of `y` on `cols` (rows
    weighted by `w`), by Newton's method with a small L2 penalty (not on the intercept); Platt scaling is
    the case of one column."""
    if w is not None:
        kept = w > 0
        cols, y, w = cols[kept], y[kept], w[kept]
    w = numpy.ones(len(cols)) if w is None else w
    x = numpy.hstack([cols, numpy.ones((len(cols), 1))])
    coef = numpy.zeros(x.shape[1])
    penalty = numpy.full(x.shape[1], l2)
    penalty[-1] = 1e-6
    for _ in range(iterations):
        p = sigmoid(x @ coef)
        g = x.T @ ((p - y) * w) + penalty * coef
        h = (x * (w * p * (1 - p) + 1e-9)[:, None]).T @ x + numpy.diag(penalty)
        step = numpy.linalg.solve(h, g)
        coef = coef - step
        if numpy.abs(step).sum() < 1e-8:
            break
    return coef


#: Weight of the sentence embedding beside the TF-IDF features (kind "wordllama").
EMBED_WEIGHT = 1.0


@functools.lru_cache(maxsize=1)
def _wordllama():
    """WordLlama with the weights and tokenizer that ship inside its wheel (never downloads)."""
    import wordllama

    folder = Path(wordllama.__file__).parent  # 0.4 looks for its packaged tokenizer in the wrong folder
    return wordllama.WordLlama.load(dim=256, cache_dir=folder, disable_download=True)


def embed(texts: Sequence[str]) -> numpy.ndarray:
    """Unit-length WordLlama embeddings (256 dimensions) of texts; needs the optional `wordllama` package."""
    return numpy.asarray(_wordllama().embed(list(texts), norm=True), dtype=float)


def matrix(vectorizer: Vectorizer, docs, texts: Sequence[str], kinds, lemmas=None, questions=()) -> sparse.csr_matrix:
    """TF-IDF rows of `docs` (or, when `docs` is None, of the texts and their `lemmas`), with the texts'
    embeddings appended when `kinds` has "wordllama"."""
    x = vectorizer.transform(docs) if docs is not None else vectorizer.transform_texts(texts, lemmas, kinds, questions)
    if "wordllama" in kinds:
        x = sparse.hstack([x, sparse.csr_matrix(EMBED_WEIGHT * embed(texts))]).tocsr()
    return x


def sigmoid(z: numpy.ndarray) -> numpy.ndarray:
    return 1.0 / (1.0 + numpy.exp(-numpy.clip(z, -30, 30)))
