"""Ranking codes per unit (turn or block): the codebook's zero-shot signal, a model learned from the
codings, and a calibrated mix of the two.

- **codebook** (zero-shot, works without codings): the similarity of the unit's content lemmas to each
  code's label, description, use-when, examples and keywords, plus the code's keywords found in the unit
  (negated ones count for nothing, hedged ones for half; see `dialoog.assist.keywords`);
- **model**: a logistic regression per code on lemmas and lemma pairs of the unit and the content lemmas of
  the interviewer's question before it (`dialoog.assist.features`; character n-grams can be added), trained
  on the codings, used for a code only when it learned from at least `MIN_CODINGS` codings;
- **mix**: per code ``n / (n + TAKEOVER)`` of the model and the rest of the codebook (n: the code's
  codings), so the model takes over as codings grow; then one Platt scaling, fitted on predictions for
  transcripts left out of training (3 folds), makes the probabilities calibrated, and the same held-out
  predictions choose per code the threshold from which it is suggested (best F1; THRESHOLD for codes
  with fewer than 5 coded units).

Every suggestion carries the phrases that carried it: keywords found, then the words with the largest
contribution to the model's (or the codebook's) score, never function words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy
from spacy.lang.nl.stop_words import STOP_WORDS

from dialoog.assist.features import (
    KINDS,
    WORD_RE,
    Unit,
    Vectorizer,
    fit_logistic,
    matrix,
    sigmoid,
    text_features,
    word_features,
)
from dialoog.assist.keywords import KeywordHit
from dialoog.assist.pipeline import lemma_of
from dialoog.study.codebook import Codebook

#: A code's model is used only when it learned from at least this many codings (else: codebook only).
MIN_CODINGS = 8
#: The model's share of a code's mix is n / (n + TAKEOVER) for n codings.
TAKEOVER = 10
#: Codes with at least this calibrated probability are suggested (chosen on the demo study).
THRESHOLD = 0.35
#: Codes below THRESHOLD but at least this probable are kept as lower-ranked suggestions.
FLOOR = 0.2
#: The zero-shot logit: SIM * similarity + KEYWORD * keyword weight + BIAS.
SIM, KEYWORD, BIAS = 6.0, 1.5, -2.5
#: Words never given as a reason (besides spaCy's Dutch stop words): frequent verbs and fillers.
FUNCTION_WORDS = frozenset(
    {
        *STOP_WORDS,
        *"vinden zeggen gaan komen hebben zijn worden kunnen moeten willen doen maken weten denken krijgen "
        "staan zitten liggen laten zien eigenlijk gewoon echt heel wel nou eh ja nee hoor zo'n best even "
        "soort keer iets niks dingen ding mensen beetje precies natuurlijk inderdaad misschien".split(),
    }
)


def is_content(word: str) -> bool:
    w = word.lower()
    return len(w) > 2 and w not in FUNCTION_WORDS and lemma_of(w) not in FUNCTION_WORDS


def code_text(codebook: Codebook, code: str) -> str:
    c = codebook[code]
    parts = [c.label, c.description, c.use_when, *c.examples, *c.keywords]
    return " ".join(str(p) for p in parts if p)


@dataclass
class Ranked:
    """Probabilities (units × codes) and what made them, for reasons and fragments."""

    codes: list[str]
    p: numpy.ndarray
    model_share: numpy.ndarray  #: per code, the model's share of the mix
    thresholds: numpy.ndarray  #: per code, the probability from which it is suggested
    explain: object = None  #: per unit row: {content word: its contribution to each code} (computed on demand)
    _words: dict[int, dict[str, numpy.ndarray]] = field(default_factory=dict)

    def contributions(self, row: int) -> dict[str, numpy.ndarray]:
        if row not in self._words:
            self._words[row] = self.explain(row) if self.explain is not None else {}
        return self._words[row]


class SuggestionModel:
    """Ranks the codes of a codebook for units; `fit` on coded units, then `rank`."""

    def __init__(
        self,
        codebook: Codebook,
        nlp,
        kinds: Sequence[str] = KINDS,
        *,
        use_codebook: bool = True,
        use_model: bool = True,
        min_codings: int = MIN_CODINGS,
        calibrate: bool = True,
        per_code_thresholds: bool = True,
    ) -> None:
        self.per_code_thresholds = per_code_thresholds
        self._feature_cache: dict[tuple, list[str]] = {}
        self.codebook, self.nlp, self.kinds = codebook, nlp, tuple(kinds)
        self.codes = [c.id for c in codebook.walk()]
        self.use_codebook, self.use_model, self.calibrate = use_codebook, use_model, calibrate
        self.min_codings = min_codings
        self.counts: dict[str, int] = dict.fromkeys(self.codes, 0)
        self.vectorizer: Vectorizer | None = None
        self.weights = numpy.zeros((0, len(self.codes)))
        self.intercepts = numpy.zeros(len(self.codes))
        self.platt = (1.0, 0.0)
        self.thresholds = numpy.full(len(self.codes), THRESHOLD)
        code_lemmas = [tuple(t.lemma_ for t in nlp(code_text(codebook, c)) if t.is_alpha) for c in self.codes]
        self._code_docs = [[w for w in lem if w not in FUNCTION_WORDS] for lem in code_lemmas]

    # -- training ------------------------------------------------------------------------------
    def share(self) -> numpy.ndarray:
        n = numpy.array([self.counts[c] for c in self.codes], dtype=float)
        used = (n >= self.min_codings) & self.use_model & (self.vectorizer is not None)
        share = numpy.where(used, n / (n + TAKEOVER), 0.0)
        return share if self.use_codebook else numpy.where(used, 1.0, 0.0)

    def fit(
        self,
        units: Sequence[Unit],
        labels: numpy.ndarray,
        counts: dict[str, int],
        groups: Sequence[str] | None = None,
        hits: Sequence[Sequence[KeywordHit]] | None = None,
    ) -> SuggestionModel:
        """Train on `units` with `labels` (units × codes, 0..1), per-code coding `counts` and the keyword
        `hits` of each unit; with `groups` (the transcript of each unit), calibrate on held-out transcripts."""
        self.counts = {c: int(counts.get(c, 0)) for c in self.codes}
        self._fit_model(units, labels)
        if self.calibrate and groups is not None and len(set(groups)) >= 3 and self.share().any():
            self._calibrate(units, labels, list(groups), hits)
        return self

    def _fit_model(self, units: Sequence[Unit], labels: numpy.ndarray) -> None:
        self.vectorizer = None
        trained = [i for i, c in enumerate(self.codes) if self.counts[c] >= self.min_codings]
        if not self.use_model or not trained or len(units) < 2:
            return
        docs = self._docs(units)
        vec = Vectorizer(min_df=2).fit(docs)
        if not vec.vocabulary:
            return
        x = matrix(vec, docs, [u.text for u in units], self.kinds)
        w, b = fit_logistic(x, labels[:, trained])
        self.weights = numpy.zeros((x.shape[1], len(self.codes)))
        self.intercepts = numpy.full(len(self.codes), -5.0)
        self.weights[:, trained], self.intercepts[trained] = w, b
        self.vectorizer = vec

    def _docs(self, units: Sequence[Unit]) -> list[list[str]]:
        """The features of each unit (kept: calibration and ranking ask for the same units again)."""
        cache = self._feature_cache
        out = []
        for u in units:
            key = (u.transcript, u.start, u.end)
            if key not in cache:
                cache[key] = text_features(u.text, u.lemmas, self.kinds, u.question)
            out.append(cache[key])
        return out

    def _calibrate(self, units, labels, groups, hits) -> None:
        """Platt scaling (a, b) of the mixed logit, and per code the threshold with the best F1, both from
        predictions for held-out transcripts (3 folds of the training transcripts)."""
        names = sorted(set(groups))
        fold = {g: i % 3 for i, g in enumerate(names)}
        z, y = numpy.zeros(labels.shape), labels >= 0.5
        for f in range(3):
            train = [i for i, g in enumerate(groups) if fold[g] != f]
            test = [i for i, g in enumerate(groups) if fold[g] == f]
            part = SuggestionModel.__new__(SuggestionModel)
            part.__dict__.update(self.__dict__)
            part._fit_model([units[i] for i in train], labels[train])
            p = part._mix([units[i] for i in test], [hits[i] for i in test] if hits else None)[0]
            z[test] = numpy.log(p / (1 - p))
        self.platt = platt(z.ravel(), y.ravel().astype(float))
        p = sigmoid(self.platt[0] * z + self.platt[1])
        if self.per_code_thresholds:
            for j in range(len(self.codes)):
                if y[:, j].sum() >= 5:
                    self.thresholds[j] = best_threshold(p[:, j], y[:, j])

    # -- ranking -------------------------------------------------------------------------------
    def _mix(self, units: Sequence[Unit], hits: Sequence[Sequence[KeywordHit]] | None):
        share = self.share()
        n = len(units)
        p_model = numpy.full((n, len(self.codes)), 0.5)
        x = None
        if self.vectorizer is not None and share.any():
            x = matrix(
                self.vectorizer,
                None,
                [u.text for u in units],
                self.kinds,
                [u.lemmas for u in units],
                [u.question for u in units],
            )
            p_model = sigmoid(numpy.asarray(x @ self.weights) + self.intercepts)
        p_zero = self._zero_shot(units, hits) if self.use_codebook else numpy.full_like(p_model, 0.02)
        p = share * p_model + (1 - share) * p_zero
        p = numpy.clip(p, 1e-4, 1 - 1e-4)
        return p, x, share

    def _zero_shot(self, units: Sequence[Unit], hits) -> numpy.ndarray:
        docs = [[w for w in u.lemmas if w not in FUNCTION_WORDS] for u in units]
        vec = Vectorizer(min_df=1).fit([*docs, *self._code_docs])
        xu, xc = vec.transform([[f"{w}" for w in d] for d in docs]), vec.transform(self._code_docs)
        sim = numpy.asarray((xu @ xc.T).todense())
        kw = numpy.zeros_like(sim)
        index = {c: j for j, c in enumerate(self.codes)}
        for i, unit_hits in enumerate(hits or []):
            for h in {(h.code, h.keyword): h for h in unit_hits}.values():
                if h.code in index:
                    kw[i, index[h.code]] += h.weight
        return sigmoid(SIM * sim + KEYWORD * kw + BIAS)

    def rank(
        self, units: Sequence[Unit], hits: Sequence[Sequence[KeywordHit]] | None = None, explain: bool = True
    ) -> Ranked:
        """Calibrated probabilities of every code for every unit (with `explain`, the words behind them)."""
        if not units:
            return Ranked(self.codes, numpy.zeros((0, len(self.codes))), self.share(), self.thresholds)
        p, x, share = self._mix(units, hits)
        a, b = self.platt
        p = sigmoid(a * numpy.log(p / (1 - p)) + b)
        ranked = Ranked(self.codes, p, share, self.thresholds)
        if explain:
            ranked.explain = lambda row: self._contributions(units[row], x, row)
        return ranked

    def _contributions(self, unit: Unit, x, row: int) -> dict[str, numpy.ndarray]:
        """Per content word of the unit, its contribution to each code's score (model and codebook)."""
        out: dict[str, numpy.ndarray] = {}
        xrow = x.getrow(row).toarray().ravel() if x is not None else None
        vocab = self.vectorizer.vocabulary if self.vectorizer is not None else {}
        code_words = [set(d) for d in self._code_docs]
        for word in dict.fromkeys(WORD_RE.findall(unit.text)):
            if not is_content(word):
                continue
            lemma = lemma_of(word)
            score = numpy.array([0.2 if lemma in cw else 0.0 for cw in code_words])
            if xrow is not None:
                idx = [vocab[f] for f in word_features(word, lemma, self.kinds) if f in vocab]
                if idx:
                    score = score + xrow[idx] @ self.weights[idx]
            out[word] = score
        return out


def best_threshold(p: numpy.ndarray, y: numpy.ndarray) -> float:
    """The threshold (0.15 to 0.6) with the best F1 of `p` against `y`; ties go to the one nearest THRESHOLD."""
    best, chosen = -1.0, THRESHOLD
    for t in sorted(numpy.arange(0.15, 0.61, 0.05), key=lambda t: abs(t - THRESHOLD)):
        pred = p >= t
        tp = (pred & y).sum()
        f1 = 2 * tp / (pred.sum() + y.sum()) if pred.sum() + y.sum() else 0.0
        if f1 > best + 1e-9:
            best, chosen = f1, float(t)
    return chosen


def platt(z: numpy.ndarray, y: numpy.ndarray, iterations: int = 50) -> tuple[float, float]:
    """Fit p = sigmoid(a z + b) to labels y by Newton's method (Platt scaling)."""
    a, b = 1.0, 0.0
    for _ in range(iterations):
        p = sigmoid(a * z + b)
        w = p * (1 - p) + 1e-9
        g = numpy.array([((p - y) * z).sum(), (p - y).sum()])
        h = numpy.array([[(w * z * z).sum(), (w * z).sum()], [(w * z).sum(), w.sum()]]) + 1e-6 * numpy.eye(2)
        da, db = numpy.linalg.solve(h, g)
        a, b = a - da, b - db
        if abs(da) + abs(db) < 1e-8:
            break
    return float(a), float(b)


def reason_for(
    ranked: Ranked,
    row: int,
    code_index: int,
    hits: Sequence[KeywordHit],
    text: str,
    offset: int,
    top: int = 3,
    within: tuple[int, int] | None = None,
) -> str:
    """The phrases that carried code `code_index` for unit `row`: keywords found, then content words
    (only words of `text[within[0]:within[1]]`, the fragment, when given)."""
    code = ranked.codes[code_index]
    found = [f'"{text[h.start - offset : h.end - offset]}"' for h in hits if h.code == code and h.weight > 0]
    part = set(WORD_RE.findall(text[within[0] : within[1]])) if within else None
    words = sorted(
        (
            (v[code_index], w)
            for w, v in ranked.contributions(row).items()
            if v[code_index] > 0 and (part is None or w in part)
        ),
        reverse=True,
    )
    shown = list(dict.fromkeys(found))
    for _, w in words:
        if len(shown) >= top + len(found) or any(w.lower() in s.lower() for s in shown):
            continue
        shown.append(w)
    return "; ".join(shown[: max(top, len(found))])
