"""Evaluating the suggestions: per code and overall precision, recall and F1 per turn and per sentence,
top-1 and top-3, beside two baselines computed in the same run.

The probabilities of the turns are judged too: Brier score and expected calibration error (ECE; for the
baselines these are their raw scores, for `most frequent` a ranking, not a probability).

Leave-one-transcript-out on one study (`evaluate`: each coded transcript is predicted by a model trained
on the others and, as `dialoog suggest` does, on the material from outside the study), or trained on one
study, or on a reference corpus alone (a new study without codings), and tested on another
(`evaluate_transfer`). The material learned from never holds a held-out transcript's text: it is taken out
by its text (`Corpus.without`) and every fold is checked (`dialoog.assist.reference.check_no_leak`); the
baselines learn from the same pooled material. A turn (unit) has a
gold code when a gold coding of it overlaps the turn; a sentence when a gold coding covers at least half
of it. Only respondents' turns count. Methods:

- ``assistant``: the suggestions as `dialoog suggest` makes them (`dialoog.assist.model`); a turn gets
  the codes whose probability reaches the code's threshold, a sentence those whose fragment holds it;
- variants for the comparison of representations and choices: ``lemmas + char n-grams``, ``char n-grams only``,
  ``model without codebook``, ``codebook only`` (zero-shot), ``+ wordllama embeddings`` (WordLlama's
  sentence embeddings beside the TF-IDF features; only when the optional `wordllama` package is
  installed), ``one global threshold`` (instead of one per code), ``+ top code always`` (each turn's most
  probable code suggested even below its threshold, when at least FLOOR), ``fixed thresholds`` (the
  learned thresholds as they are: not adapted to the test set's ranking, no parent from its children);
- baseline ``tfidf+logreg``: scikit-learn TF-IDF of lemmas and lemma pairs with a balanced logistic
  regression per code, cut at 0.5, applied to turns and to sentences;
- baseline ``most frequent``: every turn and sentence gets the training set's most frequent code
  (ranked by frequency for top-k).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy

from dialoog.assist.features import Unit
from dialoog.assist.model import SuggestionModel
from dialoog.assist.pipeline import pipeline_for
from dialoog.assist.pool import OUTSIDE_HALF, Analysed, Material, analyse_study, hits_within, material, unit_labels
from dialoog.assist.reference import Corpus, check_no_leak
from dialoog.assist.suggest import fragment_of, outside_of
from dialoog.errors import DialoogError
from dialoog.study import codings as codings_mod
from dialoog.study.codings import Coding
from dialoog.study.folder import Study

METHODS = ("assistant", "tfidf+logreg", "most frequent")
VARIANTS = (
    "lemmas + char n-grams",
    "char n-grams only",
    "model without codebook",
    "codebook only",
    "+ wordllama embeddings",
    "one global threshold",
    "+ top code always",
    "fixed thresholds",
)
_OPTIONS = {
    "assistant": {},
    "lemmas + char n-grams": {"kinds": ("lemma", "char")},
    "char n-grams only": {"kinds": ("char",)},
    "model without codebook": {"use_codebook": False},
    "codebook only": {"use_model": False},
    "+ wordllama embeddings": {"kinds": ("lemma", "wordllama")},
    "one global threshold": {"per_code_thresholds": False},
    "+ top code always": {"at_least_one": True},
    "fixed thresholds": {"adapt": False},
}


@dataclass
class Scores:
    """Counts per code at one level (turn or sentence) for one method."""

    method: str
    level: str
    codes: list[str]
    tp: numpy.ndarray
    fp: numpy.ndarray
    fn: numpy.ndarray
    top1: float | None = None
    top3: float | None = None
    brier: float | None = None  #: mean squared error of the probabilities (turns)
    ece: float | None = None  #: expected calibration error over 10 bins of probability (turns)
    units: int = 0

    def precision(self) -> numpy.ndarray:
        return numpy.divide(self.tp, self.tp + self.fp, out=numpy.zeros(len(self.tp)), where=(self.tp + self.fp) > 0)

    def recall(self) -> numpy.ndarray:
        return numpy.divide(self.tp, self.tp + self.fn, out=numpy.zeros(len(self.tp)), where=(self.tp + self.fn) > 0)

    def f1(self) -> numpy.ndarray:
        p, r = self.precision(), self.recall()
        return numpy.divide(2 * p * r, p + r, out=numpy.zeros(len(p)), where=(p + r) > 0)

    def present(self) -> numpy.ndarray:
        """Codes with gold support (the macro average is over these)."""
        return (self.tp + self.fn) > 0

    def macro_f1(self) -> float:
        return float(self.f1()[self.present()].mean()) if self.present().any() else 0.0

    def micro(self) -> tuple[float, float, float]:
        tp, fp, fn = self.tp.sum(), self.fp.sum(), self.fn.sum()
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return float(p), float(r), float(2 * p * r / (p + r)) if p + r else 0.0


@dataclass
class Fold:
    """Training and test material of one evaluation fold."""

    train_units: list[Unit]
    train_hits: list
    train_labels: numpy.ndarray
    counts: dict[str, int]
    groups: list[str]
    test: Analysed
    test_ids: list[str]
    weights: numpy.ndarray | None = None  #: units × codes (see `dialoog.assist.pool.material`)
    extra: dict = field(default_factory=dict)


def _sentence_units(units: Sequence[Unit]) -> list[Unit]:
    return [s for u in units for s in u.sentence_units()]


def _predict_assistant(study: Study, fold: Fold, options: dict) -> tuple[numpy.ndarray, numpy.ndarray]:
    model = SuggestionModel(study.codebook, pipeline_for(study), **options)
    model.fit(
        fold.train_units, fold.train_labels, fold.counts, groups=fold.groups, hits=fold.train_hits, weights=fold.weights
    )
    test = [(fold.test.units[tid], fold.test.hits[tid]) for tid in fold.test_ids]
    p = numpy.vstack([model.rank(units, hits_within(units, hits), explain=False).p for units, hits in test])
    chosen_units = model.chosen(p)  # over all test units at once, as `dialoog suggest` ranks a study
    sent_pred, row = [], 0
    for units, hits in test:
        sents = _sentence_units(units)
        ps = model.rank(sents, hits_within(sents, hits), explain=False).p
        first = 0
        for u in units:
            n = len(u.sentences)
            chosen = numpy.zeros((n, len(model.codes)), dtype=bool)
            for j in numpy.flatnonzero(chosen_units[row]):
                a, b = fragment_of(u, ps[first : first + n, j])
                chosen[:, j] = [a <= s.start and s.end <= b for s in u.sentences]
            sent_pred.append(chosen)
            first, row = first + n, row + 1
    return p, chosen_units, numpy.vstack(sent_pred)


def _predict_tfidf(study: Study, fold: Fold) -> tuple[numpy.ndarray, numpy.ndarray]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    def feats(u: Unit) -> list[str]:
        words = [w for w in u.lemmas if w.isalpha()]
        return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]

    codes = [c.id for c in study.codebook.walk()]
    vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, min_df=2)
    x = vec.fit_transform([feats(u) for u in fold.train_units])
    known = numpy.ones(fold.train_labels.shape, dtype=bool) if fold.weights is None else fold.weights > 0
    units = [u for tid in fold.test_ids for u in fold.test.units[tid]]
    xu, xs = vec.transform([feats(u) for u in units]), vec.transform([feats(s) for s in _sentence_units(units)])
    pu, ps = numpy.zeros((xu.shape[0], len(codes))), numpy.zeros((xs.shape[0], len(codes)))
    for j in range(len(codes)):
        rows = known[:, j]  # the pooled material, unweighted, without the units not coded with this code
        y = fold.train_labels[rows, j] >= 0.5
        if y.sum() < 3 or y.all():
            continue
        clf = LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear").fit(x[rows], y)
        pu[:, j], ps[:, j] = clf.predict_proba(xu)[:, 1], clf.predict_proba(xs)[:, 1]
    return pu, pu >= 0.5, ps >= 0.5


def _predict_frequent(study: Study, fold: Fold) -> tuple[numpy.ndarray, numpy.ndarray]:
    freq = (fold.train_labels >= 0.5).sum(axis=0).astype(float)
    freq = freq / max(freq.sum(), 1) + numpy.linspace(1e-6, 0, len(freq))  # ties: codebook order
    units = [u for tid in fold.test_ids for u in fold.test.units[tid]]
    n_sent = sum(len(u.sentences) for u in units)
    top = numpy.zeros(len(freq), dtype=bool)
    top[int(numpy.argmax(freq))] = True
    p = numpy.tile(freq * 0.99, (len(units), 1)) + top * 0.5
    return p, p >= 0.5, numpy.tile(top, (n_sent, 1))


def _score(method: str, codes: list[str], p_units, pred, gold_units, sent_pred, gold_sents):
    turn = Scores(method, "turn", codes, *_counts(pred, gold_units), units=len(gold_units))
    has = gold_units.any(axis=1)
    order = numpy.argsort(-p_units, axis=1, kind="stable")
    if has.any():
        turn.top1 = float(gold_units[numpy.arange(len(order)), order[:, 0]][has].mean())
        top3 = numpy.take_along_axis(gold_units, order[:, :3], axis=1).any(axis=1)
        turn.top3 = float(top3[has].mean())
    turn.brier, turn.ece = calibration(p_units, gold_units)
    sentence = Scores(method, "sentence", codes, *_counts(sent_pred, gold_sents), units=len(gold_sents))
    return [turn, sentence]


def calibration(p: numpy.ndarray, gold: numpy.ndarray, bins: int = 10) -> tuple[float, float]:
    """Brier score and expected calibration error (|mean probability - share right| over 10 equal bins,
    weighted by their size) of probabilities `p` against `gold`, over all units and codes."""
    p, y = numpy.clip(p.ravel(), 0, 1), gold.ravel().astype(float)
    if not len(p):
        return 0.0, 0.0
    which = numpy.minimum((p * bins).astype(int), bins - 1)
    ece = sum(
        abs(p[which == b].mean() - y[which == b].mean()) * (which == b).mean()
        for b in range(bins)
        if (which == b).any()
    )
    return float(((p - y) ** 2).mean()), float(ece)


def _counts(pred: numpy.ndarray, gold: numpy.ndarray):
    return (pred & gold).sum(axis=0), (pred & ~gold).sum(axis=0), (~pred & gold).sum(axis=0)


def _gold(analysed: Analysed, ids: list[str], gold: Sequence[Coding], codes: list[str]):
    units = [u for tid in ids for u in analysed.units[tid]]
    gold_units = unit_labels(units, gold, codes) >= 0.5
    sents = _sentence_units(units)
    index = {c: j for j, c in enumerate(codes)}
    gold_sents = numpy.zeros((len(sents), len(codes)), dtype=bool)
    by_t: dict[str, list[Coding]] = {}
    for c in gold:
        by_t.setdefault(c.transcript, []).append(c)
    for i, s in enumerate(sents):
        for c in by_t.get(s.transcript, []):
            overlap = min(s.end, c.end) - max(s.start, c.start)
            if c.code in index and overlap > 0 and 2 * overlap >= s.end - s.start:
                gold_sents[i, index[c.code]] = True
    return gold_units, gold_sents


def available(methods: Sequence[str]) -> list[str]:
    """`methods` without those whose optional package is not installed."""
    import importlib.util

    has_wordllama = importlib.util.find_spec("wordllama") is not None
    return [m for m in methods if has_wordllama or "wordllama" not in m]


def _run(study: Study, folds: list[Fold], gold: Sequence[Coding], methods: Sequence[str]) -> list[Scores]:
    methods = available(methods)
    codes = [c.id for c in study.codebook.walk()]
    predictors: dict[str, Callable[[Fold], tuple]] = {
        "tfidf+logreg": lambda f: _predict_tfidf(study, f),
        "most frequent": lambda f: _predict_frequent(study, f),
    }
    out = []
    for method in methods:
        pu, pp, ps, gu, gs = [], [], [], [], []
        for fold in folds:
            if method in predictors:
                p, pred, s = predictors[method](fold)
            else:
                p, pred, s = _predict_assistant(study, fold, _OPTIONS[method])
            g_u, g_s = _gold(fold.test, fold.test_ids, gold, codes)
            pu.append(p), pp.append(pred), ps.append(s), gu.append(g_u), gs.append(g_s)
        out.extend(_score(method, codes, *(numpy.vstack(v) for v in (pu, pp, gu, ps, gs))))
    return out


def _fold(m: Material, test: Analysed, test_ids: Sequence[str]) -> Fold:
    return Fold(m.units, m.hits, m.labels, m.counts(), m.groups, test, list(test_ids), m.weights)


def coder_codings(study: Study, coder: str | None) -> list[Coding]:
    if coder is None:
        return list(study.codings)
    name = codings_mod.coder_name(coder)
    mine = [c for c in study.codings if c.coder == name]
    if not mine:
        raise DialoogError(
            f"coder '{name}' has no valid codings",
            path=study.codings_path(name),
            hint="code some fragments first, or choose another --coder",
        )
    return mine


def evaluate(
    study: Study,
    coder: str | None = None,
    methods: Sequence[str] = METHODS,
    reference: Corpus | None = None,
    half: float = OUTSIDE_HALF,
) -> list[Scores]:
    """Leave-one-transcript-out on the transcripts `coder` coded (None: every coder's codings as gold).

    The model for a transcript learns from every coder's codings of the other transcripts and, as
    `dialoog suggest` does, from the material outside the study (the reference corpus, or `reference`
    instead, and the study's ``learn_from``; without any transcript whose text the study has, so never
    the held-out one: checked per fold); the held-out transcript's codings are never seen."""
    gold = coder_codings(study, coder)
    ids = sorted({c.transcript for c in gold} & set(study.transcripts))
    if len(ids) < 2:
        raise DialoogError("leave-one-transcript-out needs codings in at least two transcripts", path=study.codings_dir)
    analysed = analyse_study(study, ids)
    codes = [c.id for c in study.codebook.walk()]
    corpus, corpus_analysed = outside_of(study, reference)
    folds = []
    for held in ids:
        check_no_leak(corpus, [study.transcripts[held]])
        train = [t for t in ids if t != held]
        m = material(analysed, train, study.codings, codes, corpus, corpus_analysed, half)
        folds.append(_fold(m, analysed, [held]))
    return _run(study, folds, gold, methods)


def evaluate_transfer(
    train: Study | None,
    test: Study,
    test_coder: str | None = None,
    methods: Sequence[str] = METHODS,
    reference: Corpus | None = None,
    half: float = OUTSIDE_HALF,
) -> list[Scores]:
    """Train on every coding of `train` and on the material outside it (`reference`, default none), test on
    the codings of `test` (text the model has never seen: `test`'s transcripts are taken out of the
    material, and checked). With `train` None: a new study without codings of its own (the codebook of
    `test`), learning from `reference` alone."""
    gold = coder_codings(test, test_coder)
    test_ids = sorted({c.transcript for c in gold} & set(test.transcripts))
    base = test if train is None else train
    codes = [c.id for c in base.codebook.walk()]
    held = [test.transcripts[t] for t in test_ids]
    corpus = reference.without(bodies=[t.body for t in held]) if reference is not None else Corpus()
    corpus = corpus.without(bodies=[t.body for t in base.transcripts.values()] if train is not None else ())
    corpus = corpus.only_codes(codes)
    check_no_leak(corpus, held)
    corpus_analysed = outside_of_corpus(base, corpus)
    analysed = analyse_study(train) if train is not None else Analysed()
    train_codings = train.codings if train is not None else []
    m = material(analysed, list(analysed.units), train_codings, codes, corpus, corpus_analysed, half)
    return _run(base, [_fold(m, analyse_study(test, test_ids), test_ids)], gold, methods)


def outside_of_corpus(study: Study, corpus: Corpus) -> Analysed:
    """`corpus` analysed with the study's pipeline and codebook (cached as `dialoog suggest` does)."""
    from dialoog.assist.pipeline import pipeline_for
    from dialoog.assist.pool import analyse_corpus

    if not corpus.transcripts:
        return Analysed()
    return analyse_corpus(pipeline_for(study), None, study.codebook, corpus)


def table(scores: Sequence[Scores], per_code: bool = True) -> str:
    """The scores as a plain-text table (per code for each method and level, then the overall lines)."""
    lines = []
    for level in ("turn", "sentence"):
        rows = [s for s in scores if s.level == level]
        if not rows:
            continue
        lines.append(f"per {level} ({rows[0].units} {level}s)")
        if per_code:
            lines.append(f"  {'code':28}" + "".join(f" {s.method[:22]:>22}" for s in rows) + "   (P/R/F1)")
            for j, code in enumerate(rows[0].codes):
                if not any(s.present()[j] or (s.tp[j] + s.fp[j]) for s in rows):
                    continue
                cells = "".join(f" {s.precision()[j]:6.2f}{s.recall()[j]:5.2f}{s.f1()[j]:5.2f}    " for s in rows)
                lines.append(f"  {code:28}{cells}  n={int(rows[0].tp[j] + rows[0].fn[j])}")
        lines.append(
            f"  {'method':24} {'macro-F1':>8} {'micro-P':>7} {'micro-R':>7} {'micro-F1':>8} "
            f"{'top-1':>5} {'top-3':>5} {'min code F1':>11} {'Brier':>6} {'ECE':>5}"
        )
        for s in rows:
            p, r, f = s.micro()
            t1 = "" if s.top1 is None else f"{s.top1:.2f}"
            t3 = "" if s.top3 is None else f"{s.top3:.2f}"
            low = s.f1()[s.present()].min() if s.present().any() else 0
            cal = "" if s.brier is None else f"{s.brier:6.3f} {s.ece:5.3f}"
            lines.append(
                f"  {s.method:24} {s.macro_f1():8.2f} {p:7.2f} {r:7.2f} {f:8.2f} {t1:>5} {t3:>5} {low:11.2f} {cal}"
            )
        lines.append("")
    return "\n".join(lines)


def summary(scores: Sequence[Scores], method: str = "assistant") -> str:
    """One line of a method's figures: turn macro-F1, lowest code F1, top-1 and top-3, sentence macro-F1."""
    turn = next(s for s in scores if s.method == method and s.level == "turn")
    sent = next((s for s in scores if s.method == method and s.level == "sentence"), None)
    low = turn.f1()[turn.present()].min() if turn.present().any() else 0.0
    line = f"turn macro-F1 {turn.macro_f1():.2f}, min code {low:.2f}, top-1 {turn.top1 or 0:.2f}"
    line += f", top-3 {turn.top3 or 0:.2f}"
    return line + (f"; sentence macro-F1 {sent.macro_f1():.2f}" if sent is not None else "")
