"""Suggestions: keywords on lemmas, the learned model, storage, accept/reject, evaluation, the command."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dialoog.assist import nlp, suggest
from dialoog.assist.suggest import CodeModel, KeywordMatcher, Suggestion
from dialoog.cli import main
from dialoog.study import codings
from dialoog.study.codebook import parse
from dialoog.study.folder import Study

KEYWORD_CODEBOOK = """\
codes:
  - id: incidenten
    label: Incidenten
    description: Concrete voorvallen.
    keywords: [naroepen, uitschelden, bedreigen]
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
    study = write_keywords(tiny_study)
    counts = suggest.run_suggest(study, ["schiedam-01", "schiedam-02"])
    assert counts["schiedam-01"][0] == 1
    path = suggest.suggestions_path(study, "schiedam-01")
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(suggest.SUGGESTION_COLUMNS)
    loaded = suggest.load_suggestions(study, "schiedam-01")
    kw = [s for s in loaded if s.source == "keywords"]
    t = study.transcripts["schiedam-01"]
    assert [(s.code, s.text, s.reason) for s in kw] == [
        (
            "incidenten",
            "Maar vorig jaar riepen jongens me na bij de bushalte, dat was niet leuk.",
            '"riepen jongens me na"',
        )
    ]
    for s in loaded:
        assert t.body[s.start : s.end] == s.text and 0 < s.score <= 1
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


def seg(tid: str, start: int, text: str) -> nlp.Segment:
    return nlp.Segment(
        tid, 1, "Respondent", start, start + len(text), text, tuple(nlp.lemma_of(w) for w in text.split())
    )


def test_learned_model_on_a_small_fixture():
    positives = [
        "de buren scholden ons uit voor vieze homo",
        "jongens scholden hem uit op straat",
        "er werd gescholden bij de bushalte",
        "ze scholden mijn vriendin uit",
    ]
    negatives = [
        "de gemeente organiseerde een bijeenkomst",
        "ik woon hier al twintig jaar",
        "het buurthuis is op dinsdag open",
        "mijn zus woont in Rotterdam",
        "we hebben een nieuwe wethouder",
        "de bus rijdt elk kwartier",
    ]
    segs = [seg(f"t{i}", 0, text) for i, text in enumerate(positives + negatives)]
    labels = [{"incidenten"}] * len(positives) + [set()] * len(negatives)
    model = CodeModel(min_examples=3).fit(segs, labels)
    assert set(model.models) == {"incidenten"}
    out = model.predict([seg("new", 10, "ze scholden ons uit"), seg("new", 40, "de bus was te laat")])
    assert [(s.start, s.code, s.source) for s in out] == [(10, "incidenten", "model")]
    assert "schelden" in out[0].reason and 0.5 <= out[0].score <= 1
    # too few examples: no model for the code, no suggestions
    assert CodeModel(min_examples=5).fit(segs, labels).predict(segs) == []


def test_segment_labels_need_half_of_the_segment_coded():
    s = seg("t", 100, "een zin van twintig tekens")
    half = codings.Coding("t", 90, 113, "x", "a", "anouk")
    little = codings.Coding("t", 120, 140, "x", "b", "anouk")
    other = codings.Coding("u", 100, 126, "x", "c", "anouk")
    assert suggest.segment_labels([s], [half, little, other]) == [{"a"}]


def test_score_counts_overlaps():
    sugg = [
        Suggestion("t", 0, 10, "x" * 10, "a", 0.9, "model", ""),
        Suggestion("t", 20, 30, "x" * 10, "a", 0.9, "model", ""),
    ]
    cod = [codings.Coding("t", 5, 15, "x", "a", "anouk"), codings.Coding("t", 40, 50, "x", "a", "anouk")]
    (s,) = suggest.score(sugg, cod, ["a"], "model")
    assert (s.suggested, s.correct, s.coded, s.found, s.precision, s.recall) == (2, 1, 2, 1, 0.5, 0.5)


def test_cli_suggest_and_evaluate(demo_copy: Path, capsys):
    assert main(["suggest", "--study", str(demo_copy), "--gemeente", "Schiedam"]) == 0
    out = capsys.readouterr().out
    written = sorted(p.name for p in (demo_copy / "suggestions").glob("*.csv"))
    assert written == [f"schiedam-{i:02d}.csv" for i in range(1, 17)]
    study = Study(demo_copy)
    for tid in (f"schiedam-{i:02d}" for i in range(1, 17)):
        loaded = suggest.load_suggestions(study, tid)
        assert {s.source for s in loaded} == {"keywords", "model"}, tid
        assert all(s.reason for s in loaded)
    assert "schiedam-01" in out
    assert main(["suggest", "--study", str(demo_copy), "--evaluate", "--coder", "anouk"]) == 0
    table = capsys.readouterr().out
    assert "precision" in table and "recall" in table
    assert table.count("all codes") == 2
    assert main(["suggest", "--study", str(demo_copy), "--transcript", "nope"]) == 2
    assert "unknown transcript" in capsys.readouterr().err
