"""Suggestions: keywords on lemmas, the learned model, storage, accept/reject, evaluation, the command."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dialoog.assist import nlp, suggest
from dialoog.assist.features import Unit, Vectorizer, fit_logistic, text_features
from dialoog.assist.model import FUNCTION_WORDS, SuggestionModel
from dialoog.assist.suggest import KeywordMatcher
from dialoog.cli import main
from dialoog.study import codings
from dialoog.study.codebook import parse
from dialoog.study.folder import Study

REPO = Path(__file__).resolve().parents[1]

KEYWORD_CODEBOOK = """\
codes:
  - id: incidenten
    label: Incidenten
    description: Concrete voorvallen.
    keywords: [naroepen, uitschelden, bedreigen, geweld]
  - id: zichtbaarheid
    label: Zichtbaarheid
    description: Openheid.
    keywords: [uit de kast, regenboogvlag]
  - id: melden
    label: Melden
    description: Melden en aangifte.
    keywords: [melden, aangifte doen, wijkagent]
"""


@pytest.fixture(scope="module")
def matcher():
    p = nlp.load_pipeline()
    return KeywordMatcher(p, parse(yaml.safe_load(KEYWORD_CODEBOOK), Path("codebook.yaml")))


def found(matcher: KeywordMatcher, text: str) -> set[tuple[str, str]]:
    doc = matcher.nlp(text)
    return {(code, text[s:e]) for code, _kw, s, e in matcher.matches(doc)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ze riepen me na bij de bushalte.", {("incidenten", "riepen me na")}),  # separable verb, split
        ("Ik werd nageroepen.", {("incidenten", "nageroepen")}),  # participle
        ("Hij scheldt mij elke dag uit.", {("incidenten", "scheldt mij elke dag uit")}),
        ("Toen ze werden bedreigd", {("incidenten", "bedreigd")}),
        ("Ik kwam pas op mijn dertigste uit de kast.", {("zichtbaarheid", "uit de kast")}),  # phrase
        ("Overal hingen regenboogvlaggen.", {("zichtbaarheid", "regenboogvlaggen")}),  # plural
        ("We hebben het gemeld en aangifte gedaan.", {("melden", "gemeld"), ("melden", "aangifte gedaan")}),
        ("De wijkagenten kwamen langs.", {("melden", "wijkagenten")}),
    ],
)
def test_keywords_match_inflected_forms(matcher, text, expected):
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Ook al is het geen geweld, het voelt niet goed.", "negated"),
        ("Ik heb het niet gemeld.", "negated"),
        ("Ik meld het nooit.", "negated"),
        ("Misschien werd ik wel bedreigd.", "hedged"),
        ("Ik werd bedreigd.", ""),
    ],
)
def test_negation_and_hedges(matcher, text, status):
    (hit,) = matcher.hits(matcher.nlp(text))
    assert hit.status == status and hit.weight == {"": 1.0, "hedged": 0.5, "negated": 0.0}[status]


def test_no_match_across_a_sentence_or_without_the_particle(matcher):
    assert found(matcher, "Ze riepen me. Na afloop gingen we weg.") == set()
    assert found(matcher, "Ze riepen me terug.") == set()
    assert found(matcher, "Ik zat in de kast.") == set()


def write_keywords(study: Study) -> Study:
    study.codebook_path.write_text(
        study.codebook_path.read_text(encoding="utf-8").replace(
            "description: Concrete voorvallen.", "description: Concrete voorvallen.\n    keywords: [naroepen]"
        ),
        encoding="utf-8",
    )
    return Study(study.root)


def test_suggest_writes_suggestions_with_reasons_that_line_up(tiny_study: Study):
    (tiny_study.root / "dialoog.yaml").write_text("suggest_reference: false\n", encoding="utf-8")
    study = write_keywords(tiny_study)
    run = suggest.run_suggest(study, ["schiedam-01", "schiedam-02"])
    # without the reference corpus, two coders with a handful of codings: no model, a warning per code,
    # suggestions from the codebook (with it: tests/test_suggest_reference.py)
    assert run.warnings and all("codebook only" in w for w in run.warnings)
    assert set(run.learned_from) == {c.id for c in study.codebook.walk()}
    path = suggest.suggestions_path(study, "schiedam-01")
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(suggest.SUGGESTION_COLUMNS)
    loaded = suggest.load_suggestions(study, "schiedam-01")
    t = study.transcripts["schiedam-01"]
    kw = [s for s in loaded if s.code == "incidenten" and s.rank == 1]
    assert [(s.turn, s.source, s.learned_from, s.reason) for s in kw] == [(1, "codebook", 0, '"riepen jongens me na"')]
    for s in loaded:
        assert t.body[s.start : s.end] == s.text and 0 < s.score <= 1 and s.probability == s.score
        assert t.turns[s.turn].start <= s.start < s.end <= t.turns[s.turn].end
        assert s.fragment == (s.start, s.end, s.text)
    per_turn = suggest.top_suggestions(study, "schiedam-01", n=2)
    assert 1 in per_turn and set(per_turn) <= {1, 3, 4}  # respondent turns only
    for best in per_turn.values():
        assert 1 <= len(best) <= 2 and [s.score for s in best] == sorted((s.score for s in best), reverse=True)
    # anouk coded that turn as incidenten already, so she is not shown the suggestion again
    assert not [s for s in suggest.load_suggestions(study, "schiedam-01", coder="anouk") if s.code == "incidenten"]
    # a stale suggestion file is detected
    t.path.write_text(t.path.read_text(encoding="utf-8").replace("Meestal prima.", "Meestal goed."), encoding="utf-8")
    with pytest.raises(suggest.DialoogError, match="no longer match"):
        suggest.load_suggestions(Study(study.root), "schiedam-01")


def test_accept_appends_a_coding_and_reject_hides_the_suggestion(tiny_study: Study):
    study = write_keywords(tiny_study)
    suggest.run_suggest(study, ["schiedam-01"])
    s = next(s for s in suggest.load_suggestions(study, "schiedam-01") if s.code == "incidenten")
    before = codings.read(study.codings_path("carla")) if study.codings_path("carla").exists() else []
    assert before == []
    coding = suggest.accept(study, s, "carla", memo="suggestie")
    rows = codings.read(study.codings_path("carla"))
    assert [(c.transcript, c.start, c.end, c.code, c.coder, c.text) for c in rows] == [
        ("schiedam-01", s.start, s.end, "incidenten", "carla", s.text)
    ]
    assert coding.memo == "suggestie"
    assert suggest.accept(study, s, "carla").timestamp == coding.timestamp  # no duplicate
    assert len(codings.read(study.codings_path("carla"))) == 1
    assert Study(study.root).problems() == []  # the new codings file is valid
    assert s not in suggest.load_suggestions(study, "schiedam-01", coder="carla")

    suggest.reject(study, s, "dirk")
    suggest.reject(study, s, "dirk")  # once is remembered
    assert len(suggest.read_rejected(suggest.rejected_path(study, "dirk"))) == 1
    assert s not in suggest.load_suggestions(study, "schiedam-01", coder="dirk")
    assert s in suggest.load_suggestions(study, "schiedam-01", coder="erik")
    assert not study.codings_path("dirk").exists()  # rejecting never writes codings


def unit(tid: str, text: str) -> Unit:
    lemmas = tuple(nlp.lemma_of(w) for w in text.split())
    s = nlp.Segment(tid, 1, "Respondent", 0, len(text), text, lemmas)
    return Unit(tid, 1, 0, len(text), text, (s,))


POSITIVES = [
    "de buren scholden ons uit voor vieze homo",
    "jongens scholden hem uit op straat",
    "er werd gescholden bij de bushalte",
    "ze scholden mijn vriendin uit",
    "hij werd uitgescholden in de tram",
    "op het schoolplein scholden ze haar uit",
    "de buurjongen schold mij uit",
    "ze scholden ons uit bij de supermarkt",
]
NEGATIVES = [
    "de gemeente organiseerde een bijeenkomst",
    "ik woon hier al twintig jaar",
    "het buurthuis is op dinsdag open",
    "mijn zus woont in Rotterdam",
    "we hebben een nieuwe wethouder",
    "de bus rijdt elk kwartier",
    "het park is mooi aangelegd",
    "de markt is op zaterdag",
]


def test_logistic_regression_agrees_with_scikit_learn():
    from sklearn.linear_model import LogisticRegression

    docs = [text_features(t, [nlp.lemma_of(w) for w in t.split()]) for t in POSITIVES + NEGATIVES]
    x = Vectorizer(min_df=1).fit(docs).transform(docs)
    y = [1.0] * len(POSITIVES) + [0.0] * len(NEGATIVES)
    import numpy

    w, b = fit_logistic(x, numpy.array(y)[:, None], c=4.0, iterations=2000)
    ref = LogisticRegression(C=4.0, solver="lbfgs", max_iter=5000, fit_intercept=True).fit(x, y)
    ours = 1 / (1 + numpy.exp(-(x @ w[:, 0] + b[0])))
    assert numpy.abs(ours - ref.predict_proba(x)[:, 1]).max() < 0.05  # the intercept is regularised here


def test_model_learns_takes_over_and_gives_content_words_as_reasons():
    codebook = parse(yaml.safe_load(KEYWORD_CODEBOOK), Path("codebook.yaml"))
    units = [unit(f"t{i}", text) for i, text in enumerate(POSITIVES + NEGATIVES)]
    import numpy

    labels = numpy.zeros((len(units), 3))
    labels[: len(POSITIVES), 0] = 1
    model = SuggestionModel(codebook, nlp.load_pipeline(), calibrate=False)
    model.fit(units, labels, {"incidenten": len(POSITIVES)})
    share = model.share()
    assert 0 < share[0] < 1 and share[1] == share[2] == 0  # the model for incidenten only, mixed
    ranked = model.rank([unit("new", "ze scholden ons uit bij het station"), unit("new", "de bus was te laat")])
    assert ranked.p[0, 0] > 0.3 and ranked.p[0, 0] > ranked.p[1, 0] + 0.2
    from dialoog.assist.model import reason_for

    reason = reason_for(ranked, 0, 0, [], "ze scholden ons uit bij het station", 0)
    words = reason.split("; ")
    assert "scholden" in words and not any(w in FUNCTION_WORDS for w in words)
    # too few codings: the code's model is not used
    few = SuggestionModel(codebook, nlp.load_pipeline(), calibrate=False).fit(units, labels, {"incidenten": 3})
    assert not few.share().any()


def test_unit_labels_share_of_coders():
    u = unit("t", "een zin van twintig tekens")
    a = codings.Coding("t", 5, 10, "x", "incidenten", "anouk")
    b = codings.Coding("t", 0, 3, "x", "melden", "bram")
    c = codings.Coding("t", 3, 8, "x", "incidenten", "bram")
    y = suggest.unit_labels([u], [a, b, c], ["incidenten", "melden"])
    assert y.tolist() == [[1.0, 0.5]]


def test_old_suggestion_files_are_still_read(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "transcript,start,end,text,code,score,source,reason\nt,0,3,abc,incidenten,0.500,keywords,abc\n",
        encoding="utf-8",
    )
    (s,) = suggest.read_suggestions(path)
    assert (s.turn, s.rank, s.learned_from, s.source) == (-1, 0, 0, "keywords")


def test_cli_suggest_and_evaluate(demo_copy: Path, capsys):
    assert main(["suggest", "--study", str(demo_copy), "--gemeente", "Schiedam"]) == 0
    captured = capsys.readouterr()
    out = captured.out
    # veiligheid has 3 codings of the demo's own: its model learns mostly from the reference (no warning)
    assert "codings per code (study+outside" in out and "veiligheid 3+" in out and not captured.err
    assert "learn mostly from outside it: veiligheid, evaluatie" in out
    written = sorted(p.name for p in (demo_copy / "suggestions").glob("*.csv"))
    assert written == [f"schiedam-{i:02d}.csv" for i in range(1, 17)]
    study = Study(demo_copy)
    for tid in (f"schiedam-{i:02d}" for i in range(1, 17)):
        loaded = suggest.load_suggestions(study, tid)
        assert {s.source for s in loaded} <= {"codebook", "model"} and "model" in {s.source for s in loaded}
        assert all(s.reason for s in loaded if s.rank == 1)
        for s in loaded:
            assert not any(w.strip('"').lower() in FUNCTION_WORDS for w in s.reason.split("; ") if w)
    assert "schiedam-01" in out
    # the evaluation with the reference corpus: tests/test_suggest_reference.py (on a smaller study)
    (demo_copy / "dialoog.yaml").write_text("suggest_reference: false\n", encoding="utf-8")
    assert main(["suggest", "--study", str(demo_copy), "--evaluate", "--coder", "anouk"]) == 0
    table = capsys.readouterr().out
    assert "learning from outside" not in table
    for word in ("per turn", "per sentence", "macro-F1", "top-1", "top-3", "tfidf+logreg", "most frequent"):
        assert word in table
    assert main(["suggest", "--study", str(demo_copy), "--transcript", "nope"]) == 2
    assert "unknown transcript" in capsys.readouterr().err


def test_every_evaluated_variant_has_its_options():
    from dialoog.assist import evaluate

    assert set(evaluate.VARIANTS) | {"assistant"} <= set(evaluate._OPTIONS)
    assert set(evaluate.METHODS) - {"assistant"} == {"tfidf+logreg", "most frequent"}


def test_a_long_turn_is_cut_into_blocks_of_sentences():
    from dialoog.assist.features import BLOCK_SENTENCES, units_of
    from dialoog.study.transcripts import Transcript, Turn

    text = " ".join(f"Dit is zin nummer {i} van een lange verklaring." for i in range(30))
    body = f"**Respondent:** {text}\n"
    start = len("**Respondent:** ")
    t = Transcript(Path("doc.md"), {"id": "doc"}, body, [Turn(0, "Respondent", start, start + len(text), text)])
    units = units_of(t, nlp.segments(t))
    assert len(units) == 3 and all(len(u.sentences) <= BLOCK_SENTENCES for u in units)
    assert units[0].start == start and units[-1].end == start + len(text)
    assert all(body[u.start : u.end] == u.text for u in units)


def test_calibration_figures():
    import numpy

    from dialoog.assist.evaluate import calibration

    gold = numpy.array([[True, False], [False, False], [True, True], [False, False]])
    assert calibration(gold.astype(float), gold) == (0.0, 0.0)  # certain and right
    brier, ece = calibration(numpy.full(gold.shape, 0.5), gold)
    assert brier == 0.25 and ece == pytest.approx(abs(0.5 - 3 / 8))


def test_the_learned_mix_uses_the_question_before_a_turn():
    """Trained on the demo study, the codebook and the model are combined by weights learned on held-out
    transcripts; the interviewer's question counts for the codebook, and a reason can name it."""
    study = Study(REPO)
    model = suggest.train(study, suggest.analyse_study(study), study.codings)
    assert model.mix_coef is not None and model.mix_coef[0] > 0  # the model's held-out logit counts
    assert model.zero_coef[1] > 0  # so does the similarity of the question to a code's text
    text = "In de binnenstad gaat het redelijk."
    lemmas = tuple(nlp.lemma_of(w) for w in text.rstrip(".").split())
    seg = nlp.Segment("t", 1, "Respondent", 0, len(text), text, lemmas)
    asked = tuple(nlp.lemma_of(w) for w in "voelen mensen zich veilig in de wijk".split())
    units = [Unit("t", 1, 0, len(text), text, (seg,), asked), Unit("t", 1, 0, len(text), text, (seg,), ())]
    ranked = model.rank(units)
    j = model.codes.index("veiligheid")
    assert ranked.p[0, j] > 2 * ranked.p[1, j]
    from dialoog.assist.model import reason_for

    assert "vraag: veilig" in reason_for(ranked, 0, j, [], text, 0)


PARENT_CODEBOOK = """\
codes:
  - id: evaluatie
    label: Evaluatie
    description: Oordelen over de aanpak.
  - id: goed
    parent: evaluatie
    label: Wat werkt
    description: Iets positiefs.
  - id: slecht
    parent: evaluatie
    label: Wat werkt niet
    description: Iets negatiefs.
  - id: melden
    label: Melden
    description: Melden en aangifte.
"""


def test_thresholds_adapt_to_the_ranking_of_a_new_study_and_a_parent_follows_its_children():
    """With enough units, each code is suggested for at least about its training rate of them (its
    top-ranked units), even when the new study's wording scores lower than the training study's; a parent without a
    model of its own is suggested where all its children are; `adapt=False` keeps the learned thresholds."""
    import numpy

    from dialoog.assist.model import ADAPT_MIN_UNITS

    codebook = parse(yaml.safe_load(PARENT_CODEBOOK), Path("codebook.yaml"))
    model = SuggestionModel(codebook, nlp.load_pipeline(), calibrate=False)
    assert model.parents == [(0, [1, 2])]
    model.thresholds = numpy.array([0.4, 0.4, 0.4, 0.4])
    model.rates = numpy.array([0.0, 0.1, 0.1, 0.2])
    n = 2 * ADAPT_MIN_UNITS
    rng = numpy.random.default_rng(0)
    p = rng.uniform(0.0, 0.3, size=(n, 4))  # a study the model scores low: nothing reaches 0.4
    p[:5, 1] = p[:5, 2] = 0.35  # the five units with both children's best scores
    chosen = model.chosen(p)
    k = [round(r * n - (r * n) ** 0.5) for r in (0.1, 0.2)]  # the expected count less one standard deviation
    assert chosen[:, 1].sum() == k[0] == 5 and chosen[:, 3].sum() == k[1] == 12
    assert set(numpy.flatnonzero(chosen[:, 3])) == set(numpy.argsort(-p[:, 3])[: k[1]])
    assert chosen[:5, 0].all() and chosen[:, 0].sum() == (chosen[:, 1] & chosen[:, 2]).sum()
    # a high-scoring code keeps its learned threshold (adapting only lowers it)
    p[:, 3] = 0.9
    assert model.chosen(p)[:, 3].all()
    # too few units to read a distribution from, or adaptation off: the learned thresholds as they are
    assert not model.chosen(p[: ADAPT_MIN_UNITS - 1])[:, :3].any()
    model.adapt = False
    assert not model.chosen(p)[:, :3].any()


def test_suggest_marks_the_suggestions_that_reach_the_thresholds_adapted_to_the_whole_run():
    """`dialoog suggest` ranks all selected transcripts at once: a suggestion is `suggested` where
    `SuggestionModel.chosen` picks it for those units (never stored in the file), and every unit's
    suggestions above the learned threshold are among them."""
    study = Study(REPO)
    analysed = suggest.analyse_study(study)
    model = suggest.train(study, analysed, study.codings)
    ids = sorted(study.transcripts)[:4]
    found = suggest.suggest_for(model, analysed, ids)
    units = [u for tid in ids for u in analysed.units.get(tid, [])]
    assert len(units) >= 40  # enough to adapt the thresholds
    hits = [h for tid in ids for h in suggest.hits_within(analysed.units.get(tid, []), analysed.hits[tid])]
    chosen = model.chosen(model.rank(units, hits, explain=False).p)
    assert sum(s.suggested for s in found) == chosen.sum() > 0
    learned = dict(zip(model.codes, model.thresholds.tolist(), strict=True))
    assert all(s.suggested for s in found if s.score >= learned[s.code])


def test_calibration_folds_in_workers_give_exactly_the_model_fitted_in_turn():
    """On more than one core the calibration folds are fitted in forked workers beside the final model
    (`dialoog.assist.folds`); the model is the same to the last bit as when they are fitted one by one. Run in
    a new process: the test process may have other threads (a browser's, a kernel's), and then the folds are
    always fitted in turn."""
    import subprocess
    import sys

    script = """
import os, sys, numpy
from dialoog.assist import folds, suggest
from dialoog.study.folder import Study
study = Study(sys.argv[1])
analysed = suggest.analyse_study(study)
os.environ["DIALOOG_WORKERS"] = "1"
assert not folds.can_fork()
one_by_one = suggest.train(study, analysed, study.codings)
del os.environ["DIALOOG_WORKERS"]
if not folds.can_fork():
    print("one core")
    sys.exit(0)
beside = suggest.train(study, analysed, study.codings)
for name in ("weights", "intercepts", "thresholds", "mix_coef", "zero_coef"):
    assert numpy.array_equal(getattr(one_by_one, name), getattr(beside, name)), name
print("same")
"""
    out = subprocess.run([sys.executable, "-c", script, str(REPO)], capture_output=True, text=True, check=True)
    if out.stdout.strip() == "one core":
        pytest.skip("this machine has one core (or no fork): the folds are fitted one by one")
    assert out.stdout.strip() == "same"
