"""Ranking codes per unit (turn or block): the codebook's zero-shot signal, a model learned from the
codings, and a learned combination of the two.

- **codebook** (zero-shot, works without codings): the TF-IDF similarity of the unit's content lemmas, and
  of the content lemmas of the interviewer's question before it, to each code's label, description,
  use-when, examples and keywords, plus the code's keywords found in the unit (negated ones count for
  nothing, hedged ones for half; see `dialoog.assist.keywords`). Keyword words that no other code's text
  has count even when they are function words elsewhere ("zelf" of "zelf oplossen");
- **model**: a logistic regression per code on lemmas and lemma pairs of the unit and the content lemmas of
  the interviewer's question before it (`dialoog.assist.features`; character n-grams can be added), trained
  on the codings, used for a code only when it learned from at least `MIN_CODINGS` codings;
- **combination**, learned on the training study only, from predictions for transcripts left out of
  training (3 folds): one logistic regression over all codes maps the codebook's signals (unit similarity,
  question similarity, keywords) to a probability, used for codes without a model; another maps the
  model's held-out logit and the same signals to a probability for codes with one, so that how much the
  codebook counts beside the model is learned rather than fixed. The same held-out probabilities choose
  per code the threshold from which it is suggested (best F1, 0.05 to 0.6; THRESHOLD for codes with fewer
  than 5 coded units). On a study of at least ADAPT_MIN_UNITS units a code's threshold is lowered, where
  needed, so that it is suggested for its training rate of the units (`thresholds_for`), and a parent code
  without a model of its own follows its children (`chosen`). Without held-out transcripts (fewer than
  3), the model's share of the mix is ``n / (n + TAKEOVER)`` for n codings.

Every suggestion carries the phrases that carried it: keywords found, then the words with the largest
contribution to the combined score, and words of the question ("vraag: veilig"), never function words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy
from scipy import sparse

from dialoog.assist.explain import FUNCTION_WORDS, contributions
from dialoog.assist.features import (  # noqa: F401 - best_threshold, fit_pooled: part of this API
    EMBED_WEIGHT,
    KINDS,
    THRESHOLD,
    WORD_RE,
    Unit,
    Vectorizer,
    best_threshold,
    embed,
    fit_logistic,
    fit_pooled,
    matrix,
    sigmoid,
    text_features,
    word_features,
)
from dialoog.assist.folds import held_out_logits
from dialoog.assist.keywords import KeywordHit
from dialoog.assist.pipeline import alpha_lemmas, paused_gc
from dialoog.assist.reasons import choose_words
from dialoog.assist.rows import Batch
from dialoog.study.codebook import Codebook

#: A code's model is used only when it learned from at least this many codings (else: codebook only).
MIN_CODINGS = 8
#: Uncalibrated (fewer than 3 training transcripts), the model's share of a code's mix is n / (n + TAKEOVER).
TAKEOVER = 10
#: Codes with at least THRESHOLD calibrated probability are suggested (chosen on the demo study).
#: Codes below THRESHOLD but at least this probable are kept as lower-ranked suggestions.
FLOOR = 0.2
#: With at least this many units to suggest for, each code is suggested for at least as many of them as
#: its rate in the training codings predicts (the top-ranked ones), so that its threshold adapts to a study
#: whose style gives lower scores; fewer units are too few to read a distribution from.
ADAPT_MIN_UNITS = 40
#: Suggest each unit's most probable code even below its threshold (when at least FLOOR): evaluated as
#: the variant "+ top code always", not better on the demo study (leave-one-transcript-out).
AT_LEAST_ONE = False
#: The zero-shot logit: SIM * similarity + KEYWORD * keyword weight + BIAS.
SIM, KEYWORD, BIAS = 6.0, 1.5, -2.5
#: Iterations of the models fitted on part of the training transcripts to calibrate the mix (the final
#: model: 250).
CALIBRATION_ITERATIONS = 250


def _folds(groups: Sequence[str]) -> list[tuple[list[int], list[int]]]:
    """(train rows, test rows) of the 3 calibration folds: the transcripts in sorted order, dealt round."""
    fold = {g: i % 3 for i, g in enumerate(sorted(set(groups)))}
    return [
        ([i for i, g in enumerate(groups) if fold[g] != f], [i for i, g in enumerate(groups) if fold[g] == f])
        for f in range(3)
    ]


def distinctive_keyword_words(codebook: Codebook, nlp, code_lemmas: Sequence[Sequence[str]]) -> set[str]:
    """Words of a code's keywords that no other code's text has: they are signals for the codebook's
    similarity even when they are function words elsewhere ("zelf" of "zelf oplossen")."""
    out = set()
    for c, lemmas in zip(codebook.walk(), code_lemmas, strict=True):
        named = {w for k in c.keywords for w in alpha_lemmas(nlp, str(k))}
        others = {w for d in code_lemmas if d is not lemmas for w in d}
        out |= {w for w in named if w in set(lemmas) and w not in others}
    return out


def code_text(codebook: Codebook, code: str) -> str:
    c = codebook[code]
    parts = [c.label, c.description, c.use_when, *c.examples, *c.keywords]
    return " ".join(str(p) for p in parts if p)


def codebook_texts(codebook: Codebook) -> list[str]:
    """The texts whose lemmas (`alpha_lemmas`) a `SuggestionModel` of `codebook` needs: each code's text and
    each keyword (kept by `dialoog.assist.analysiscache`, so that a run need not load the pipeline for them)."""
    codes = list(codebook.walk())
    return [*(code_text(codebook, c.id) for c in codes), *(str(k) for c in codes for k in c.keywords)]


@dataclass
class Ranked:
    """Probabilities (units × codes) and what made them, for reasons and fragments."""

    codes: list[str]
    p: numpy.ndarray
    model_share: numpy.ndarray  #: per code, the model's share of the mix
    thresholds: numpy.ndarray  #: per code, the probability from which it is suggested
    explain: object = None  #: per unit row: (content words, their contributions words × codes), on demand
    explain_rows: object = None  #: the same for many rows at once (a `dialoog.assist.explain.Explained`)
    #: (rows, the keyword hits of each of their sentences) -> probabilities of the sentences of those units
    sentences: object = None
    explained: object = None  #: the `Explained` of the rows of the last `prepare` (all of them)
    _words: dict[int, tuple[list[str], numpy.ndarray]] = field(default_factory=dict)

    def prepare(self, rows) -> None:
        """Explain the units of `rows` at once, in `explained` (faster than one at a time, as
        `contribution_matrix` does; the same values)."""
        rows = list(rows)
        done = self.explained is not None and all(r in self.explained.spans for r in rows)
        if rows and not done and self.explain_rows is not None:
            self.explained = self.explain_rows(rows)

    def contribution_matrix(self, row: int) -> tuple[list[str], numpy.ndarray]:
        """The content words of unit `row` (and "vraag: " words of its question) and their contributions
        to each code (words × codes)."""
        if self.explained is not None and row in self.explained.spans:
            return self.explained.of(row)
        if row not in self._words:
            empty = ([], numpy.zeros((0, len(self.codes))))
            self._words[row] = self.explain(row) if self.explain is not None else empty
        return self._words[row]

    def contributions(self, row: int) -> dict[str, numpy.ndarray]:
        """{content word: its contribution to each code} of unit `row`."""
        words, scores = self.contribution_matrix(row)
        return dict(zip(words, scores, strict=True))


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
        at_least_one: bool = AT_LEAST_ONE,
        adapt: bool = True,
    ) -> None:
        self.per_code_thresholds, self.at_least_one, self.adapt = per_code_thresholds, at_least_one, adapt
        self._feature_cache: dict[tuple, list[str]] = {}
        self.codebook, self.nlp, self.kinds = codebook, nlp, tuple(kinds)
        self.codes = [c.id for c in codebook.walk()]
        self.use_codebook, self.use_model, self.calibrate = use_codebook, use_model, calibrate
        self.min_codings = min_codings
        self.counts: dict[str, int] = dict.fromkeys(self.codes, 0)
        #: of `counts`, the codings of the study's own and those from outside it (set by `suggest.train`)
        self.own: dict[str, int] = {}
        self.outside: dict[str, int] = {}
        self.vectorizer: Vectorizer | None = None
        self.weights = numpy.zeros((0, len(self.codes)))
        self.intercepts = numpy.zeros(len(self.codes))
        self.thresholds = numpy.full(len(self.codes), THRESHOLD)
        self.rates = numpy.zeros(len(self.codes))  #: per code, the share of training units coded with it
        #: (parent column, its children's columns) for parents with at least two children
        kids = {c: codebook.children.get(c, []) for c in self.codes}
        self.parents = [
            (j, [self.codes.index(k) for k in kids[c]]) for j, c in enumerate(self.codes) if len(kids[c]) >= 2
        ]
        # one tuple per code even when two codes' texts are the same (`distinctive_keyword_words` tells them apart)
        code_lemmas = [tuple([*alpha_lemmas(nlp, code_text(codebook, c))]) for c in self.codes]
        self._ignored = FUNCTION_WORDS - distinctive_keyword_words(codebook, nlp, code_lemmas)
        self._code_docs = [[w for w in lem if w not in self._ignored] for lem in code_lemmas]
        #: per lemma of the codebook's texts, 0.2 for each code whose text has it (for the reasons)
        self._code_mask: dict[str, numpy.ndarray] = {}
        for j, doc in enumerate(self._code_docs):
            for w in doc:
                self._code_mask.setdefault(w, numpy.zeros(len(self.codes)))[j] = 0.2
        self._fit_codebook([])
        self._no_code = numpy.zeros(len(self.codes))
        self._word_info: dict[str, tuple[str, numpy.ndarray, int]] = {}  # see _learn_word
        self.zero_coef = numpy.array([SIM, 0.0, KEYWORD, BIAS])  #: zero-shot logit of (sim, question sim, kw, 1)
        self.mix_coef: numpy.ndarray | None = None  #: learned logit of (model, sim, question sim, kw, 1)

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
        weights: numpy.ndarray | None = None,
    ) -> SuggestionModel:
        """Train on `units` with `labels` (units × codes, 0..1), per-code coding `counts` and the keyword
        `hits` of each unit, each unit and code weighted by `weights` (units × codes; default 1: see
        `dialoog.assist.pool.material`); with `groups` (the transcript of each unit), calibrate on held-out
        transcripts."""
        with paused_gc():
            return self._fit(units, labels, counts, groups, hits, weights)

    def _fit(self, units, labels, counts, groups, hits, weights) -> SuggestionModel:
        self.counts = {c: int(counts.get(c, 0)) for c in self.codes}
        weights = numpy.ones(labels.shape) if weights is None else weights
        total = weights.sum(axis=0)
        coded = ((labels >= 0.5) * weights).sum(axis=0)
        self.rates = numpy.divide(coded, total, out=numpy.zeros(len(self.codes)), where=total > 0)
        self._fit_codebook(units)
        trained = [self.counts[c] >= self.min_codings for c in self.codes]
        if not (self.calibrate and groups is not None and len(set(groups)) >= 3 and self.use_model and any(trained)):
            self._fit_model(units, labels, weights)
            return self
        # the calibration folds are fitted beside the final model (`dialoog.assist.folds`); they are used
        # only when the final model has features (else the model has no share to calibrate)
        self._docs(units)  # every unit's features once, before the folds' workers copy the model
        z_model = held_out_logits(
            self, units, labels, weights, _folds(list(groups)), CALIBRATION_ITERATIONS,
            lambda: self._fit_model(units, labels, weights),
        )  # fmt: skip
        if self.share().any():
            self._calibrate(z_model, units, labels, hits, weights)
        return self

    def _fit_codebook(self, units: Sequence[Unit]) -> None:
        """The TF-IDF space in which units are compared with the codes' texts: the words of the codebook
        and of the training units (fitted once, so that ranking new units does not refit it)."""
        ignored = self._ignored
        docs = [[w for w in u.lemmas if w not in ignored] for u in units]
        self._cb_vec = Vectorizer(min_df=1).fit([*docs, *self._code_docs])
        self._cb_codes = self._cb_vec.transform(self._code_docs).T.tocsr()

    def _fit_model(
        self, units: Sequence[Unit], labels: numpy.ndarray, weights: numpy.ndarray, iterations: int = 250
    ) -> None:
        self.vectorizer = None
        self._word_info = {}  # its model features change
        trained = [i for i, c in enumerate(self.codes) if self.counts[c] >= self.min_codings]
        if not self.use_model or not trained or len(units) < 2:
            return
        docs = self._docs(units)
        vec = Vectorizer(min_df=2).fit(docs)
        if not vec.vocabulary:
            return
        x = matrix(vec, docs, [u.text for u in units], self.kinds)
        w, b = fit_logistic(x, labels[:, trained], weights=weights[:, trained], iterations=iterations)
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

    def _calibrate(self, z_model, units, labels, hits, weights) -> None:
        """Learn how to combine the codebook and the model, and per code the threshold with the best F1,
        from the model's predictions for held-out transcripts (`z_model`, 3 folds of the training
        transcripts: `_folds`)."""
        y = labels >= 0.5
        signals = self._codebook_signals(units, hits)
        p = self._learn_mix(z_model, signals, y, weights)
        if self.per_code_thresholds:
            for j in range(len(self.codes)):
                if (y[:, j] & (weights[:, j] > 0)).sum() >= 5:
                    self.thresholds[j] = best_threshold(p[:, j], y[:, j], weights[:, j])

    def _learn_mix(
        self, z_model: numpy.ndarray, signals: tuple, y: numpy.ndarray, weights: numpy.ndarray
    ) -> numpy.ndarray:
        """One logistic regression over all codes with codings maps the codebook's signals to a probability
        (used for codes without a model); one over the codes with a model maps its held-out logit and the
        codebook's signals to a probability (the weight of each is learned, not fixed). Returns the
        combined held-out probabilities."""
        share = self.share()
        trained, coded = share > 0, y.any(axis=0)
        sim, simq, kw = (s if self.use_codebook else numpy.zeros_like(s) for s in signals)
        if self.use_codebook and coded.any():
            cols = numpy.stack([a[:, coded].ravel() for a in (sim, simq, kw)], axis=1)
            self.zero_coef = fit_pooled(cols, y[:, coded].ravel(), w=weights[:, coded].ravel())
        if trained.any():
            cols = numpy.stack([a[:, trained].ravel() for a in (z_model, sim, simq, kw)], axis=1)
            self.mix_coef = fit_pooled(cols, y[:, trained].ravel(), w=weights[:, trained].ravel())
        return self._combine(z_model, (sim, simq, kw))

    def _combine(self, z_model: numpy.ndarray, signals: tuple) -> numpy.ndarray:
        """The probabilities from the model's logits and the codebook's signals (similarity of the unit and
        of its question, keyword weight): learned (`_learn_mix`) or, uncalibrated, the model's share
        ``n / (n + TAKEOVER)`` of the mix and the rest of the codebook."""
        sim, simq, kw = signals
        share = self.share()
        a = self.zero_coef
        p_zero = sigmoid(a[0] * sim + a[1] * simq + a[2] * kw + a[3]) if self.use_codebook else 0.02
        if self.mix_coef is None:
            p = share * sigmoid(z_model) + (1 - share) * p_zero
        else:
            m = self.mix_coef
            p_mix = sigmoid(m[0] * z_model + m[1] * sim + m[2] * simq + m[3] * kw + m[4])
            p = numpy.where(share > 0, p_mix, p_zero)
        return numpy.clip(p, 1e-4, 1 - 1e-4)

    # -- ranking -------------------------------------------------------------------------------
    def thresholds_for(self, p: numpy.ndarray) -> numpy.ndarray:
        """Per code, the threshold from which it is suggested among the units of `p` (units × codes): the
        learned one, lowered (with `adapt` and at least ADAPT_MIN_UNITS units) to the probability of the
        code's k-th most probable unit, k = e - sqrt(e) for the count e = the code's training rate × the
        number of units (one binomial standard deviation below it, so that a study like the training one
        keeps its thresholds): a study whose wording the model scores lower still gets each code about as
        often as the training codings have it, in the order of the ranking."""
        thresholds = self.thresholds.copy()
        n = len(p)
        if not self.adapt or n < ADAPT_MIN_UNITS:
            return thresholds
        expected = numpy.rint(self.rates * n - numpy.sqrt(self.rates * n)).astype(int)
        ordered = -numpy.sort(-p, axis=0)
        for j in numpy.flatnonzero(expected >= 1):
            thresholds[j] = min(thresholds[j], ordered[min(expected[j], n) - 1, j])
        return thresholds

    def chosen(self, p: numpy.ndarray) -> numpy.ndarray:
        """Which codes are suggested (units × codes): those at or above their threshold (`thresholds_for`);
        with `adapt`, a parent code (with at least two children) that has no model of its own also where all
        its children are suggested (the evidence spread over them: the judgement is not clearly one of
        them); with `at_least_one`, each unit's most probable code when it reaches FLOOR."""
        out = p >= self.thresholds_for(p)
        if self.adapt:
            share = self.share()
            for j, children in self.parents:
                if share[j] == 0:
                    out[:, j] |= out[:, children].all(axis=1)
        if self.at_least_one and len(p):
            top = numpy.argmax(p, axis=1)
            rows = numpy.arange(len(p))
            out[rows, top] |= p[rows, top] >= FLOOR
        return out

    def _model_logits(self, units: Sequence[Unit], batch: Batch | None = None):
        """The model's logits per unit and code (0 where no model) and the feature matrix (or None); the
        units' features from `batch` (`dialoog.assist.rows`) when given or when `_batched`."""
        z = numpy.zeros((len(units), len(self.codes)))
        if self.vectorizer is None or not self.share().any():
            return z, None
        if batch is None and self._batched():
            batch = Batch(units)
        texts = [u.text for u in units]
        if batch is not None:
            x = batch.model_rows(self.vectorizer)
            if "wordllama" in self.kinds:
                x = sparse.hstack([x, sparse.csr_matrix(EMBED_WEIGHT * embed(texts))]).tocsr()
        else:
            x = matrix(self.vectorizer, None, texts, self.kinds, [u.lemmas for u in units], [u.question for u in units])
        return numpy.asarray(x @ self.weights) + self.intercepts, x

    def _codebook_signals(self, units: Sequence[Unit], hits, batch: Batch | None = None) -> tuple[numpy.ndarray, ...]:
        """Per unit and code: the TF-IDF similarity of the unit's content lemmas, and of its question's, to
        the code's text, and the weight of the code's keywords found in the unit."""
        # the ignored words are not in this space (neither the codes' texts nor the training units have
        # them), so the units' lemmas need no filtering
        vec, xc = self._cb_vec, self._cb_codes
        batch = batch or Batch(units)
        sim = (batch.codebook_rows(vec) @ xc).toarray()
        # the units of a turn, and the sentences of a unit, share their question: each distinct one once
        simq = (vec.transform(batch.questions()) @ xc).toarray()[batch.question]
        return sim, simq, self._keywords(hits, sim)

    def _keywords(self, hits, like: numpy.ndarray) -> numpy.ndarray:
        """Per unit and code, the weight of the code's keywords found in the unit (each keyword once)."""
        kw = numpy.zeros_like(like)
        index = {c: j for j, c in enumerate(self.codes)}
        for i, unit_hits in enumerate(hits or []):
            if unit_hits:
                for h in {(h.code, h.keyword): h for h in unit_hits}.values():
                    if h.code in index:
                        kw[i, index[h.code]] += h.weight
        return kw

    def rank(
        self, units: Sequence[Unit], hits: Sequence[Sequence[KeywordHit]] | None = None, explain: bool = True
    ) -> Ranked:
        """Calibrated probabilities of every code for every unit (with `explain`, the words behind them; its
        `sentences` ranks the sentences of chosen units, as `rank` of their `sentence_units` would)."""
        if not units:
            return Ranked(self.codes, numpy.zeros((0, len(self.codes))), self.share(), self.thresholds)
        batch = Batch(units) if self._batched() else None
        z, x = self._model_logits(units, batch)
        signals = self._codebook_signals(units, hits, batch)
        ranked = Ranked(self.codes, self._combine(z, signals), self.share(), self.thresholds)
        ranked.sentences = lambda rows, sentence_hits: self._rank_sentences(
            units, batch, signals[1], rows, sentence_hits
        )
        if explain:
            weights = self._signal_weights()
            ranked.explain = lambda row: contributions(self, {row: units[row]}, x, weights).of(row)
            ranked.explain_rows = lambda rows: contributions(self, {r: units[r] for r in rows}, x, weights)
        return ranked

    def _batched(self) -> bool:
        """Whether units are featurised by `dialoog.assist.rows.Batch` (all kinds but "char")."""
        return "char" not in self.kinds

    def _rank_sentences(self, units, batch, simq, rows: Sequence[int], sentence_hits) -> numpy.ndarray:
        """Probabilities of the sentences of units `rows` (one after the other), each with its keyword hits."""
        if batch is None or not len(rows):
            sentences = [s for i in rows for s in units[i].sentence_units()]
            return self.rank(sentences, sentence_hits, explain=False).p
        n = batch.counts[rows]
        z = numpy.zeros((int(n.sum()), len(self.codes)))
        if self.vectorizer is not None and self.share().any():
            x = batch.model_rows(self.vectorizer, rows)
            if "wordllama" in self.kinds:
                texts = [s.text for i in rows for s in units[i].sentences]
                x = sparse.hstack([x, sparse.csr_matrix(EMBED_WEIGHT * embed(texts))]).tocsr()
            z = numpy.asarray(x @ self.weights) + self.intercepts
        sim = (batch.codebook_rows(self._cb_vec, rows) @ self._cb_codes).toarray()
        return self._combine(z, (sim, numpy.repeat(simq[rows], n, axis=0), self._keywords(sentence_hits, sim)))

    def _signal_weights(self) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
        """Per code, the weight of the model's logit, of the unit's and of the question's similarity to the
        code's text in its combined logit."""
        trained = self.share() > 0
        a, m = self.zero_coef, self.mix_coef
        if m is None:  # uncalibrated: the share-weighted mix (of probabilities, here approximated)
            share = self.share()
            return share, (1 - share) * a[0], (1 - share) * a[1]
        return (
            numpy.where(trained, m[0], 0.0),
            numpy.where(trained, m[1], a[0]),
            numpy.where(trained, m[2], a[1]),
        )


def reason_for(
    ranked: Ranked,
    row: int,
    code_index: int,
    hits: Sequence[KeywordHit],
    text: str,
    offset: int,
    top: int = 3,
    within: tuple[int, int] | None = None,
    part: set[str] | None = None,
) -> str:
    """The phrases that carried code `code_index` for unit `row`: keywords found, then content words
    (only words of `text[within[0]:within[1]]`, the fragment, when given; `part`, the set of its words, when
    the caller has it already)."""
    code = ranked.codes[code_index]
    found = [f'"{text[h.start - offset : h.end - offset]}"' for h in hits if h.code == code and h.weight > 0]
    if part is None and within:
        part = set(WORD_RE.findall(text[within[0] : within[1]]))
    words_of, scores = ranked.contribution_matrix(row)
    carried = [(v, w) for v, w in zip(scores[:, code_index].tolist(), words_of, strict=True) if v > 0]
    return choose_words(found, carried, part, top)
