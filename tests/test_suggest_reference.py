"""The assistant's reference corpus and learn_from: built from the repository's sources, used and counted,
switched off, restricted to shared code ids, cached, and never leaking held-out text into an evaluation."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from dialoog.assist import evaluate, pool, reference, suggest
from dialoog.cli import main
from dialoog.errors import DialoogError, ValidationError
from dialoog.study import settings
from dialoog.study.folder import Study, open_study
from dialoog.study.transcripts import body_hash

REPO = Path(__file__).resolve().parents[1]
EVAL2 = REPO / "benchmarks" / "data" / "eval2" / "study"

#: The sets of the reference corpus, in order.
ALL_SETS = ["demo", *(f"eval{i}" for i in range(2, 12))]


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("DIALOOG_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


def _builder():
    path = REPO / "benchmarks" / "data" / "build_reference.py"
    spec = importlib.util.spec_from_file_location("build_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_reference_file_is_built_from_the_repository_and_up_to_date():
    builder = _builder()
    assert reference.reference_text() == reference.build_reference(builder.sources()), (
        "src/dialoog/data/suggest_reference.json is out of date: run benchmarks/data/build_reference.py"
    )
    ref = reference.load_reference()
    assert ref.sets() == ALL_SETS
    assert [p.parent.name for p in builder.committed_sets()] == ALL_SETS[1:]
    demo = open_study(REPO, strict=False)
    assert sum(1 for s in ref.source.values() if s == "demo") == len({c.transcript for c in demo.codings})
    assert len([c for c in ref.codings if ref.source[c.transcript] == "demo"]) == len(demo.codings)
    for c in ref.codings[:200]:  # the codings' offsets still point at their text
        assert ref.transcripts[c.transcript].body[c.start : c.end] == c.text
    assert all(t.meta["id"].startswith(f"{ref.source[tid]}/") for tid, t in ref.transcripts.items())


def _demo_codebook(study: Study) -> Study:
    shutil.copy(REPO / "codebook" / "codebook.yaml", study.root / "codebook" / "codebook.yaml")
    return Study(study.root)


def test_the_reference_is_used_and_counted(tiny_study: Study, capsys):
    run = suggest.run_suggest(tiny_study, ["schiedam-01", "schiedam-02"])
    ref = reference.load_reference()
    # the tiny study's texts are not the demo's
    assert run.sources == ALL_SETS
    assert run.own == {c: suggest.coding_counts(tiny_study.codings).get(c, 0) for c in run.own}
    assert run.outside == {c: ref.counts().get(c, 0) for c in run.own}
    assert run.learned_from == {c: run.own[c] + run.outside[c] for c in run.own}
    assert not run.warnings  # every code has enough codings now, from outside the study
    assert any("fewer than 8 codings of the study's own" in n for n in run.notes)
    loaded = suggest.load_suggestions(tiny_study, "schiedam-01")
    assert {s.source for s in loaded} == {"model"}
    assert {s.learned_from for s in loaded if s.code == "incidenten"} == {run.learned_from["incidenten"]}
    assert main(["suggest", "--study", str(tiny_study.root)]) == 0
    out = capsys.readouterr().out
    assert "study+outside" in out and f"incidenten 2+{ref.counts()['incidenten']}" in out
    assert main(["suggest", "--study", str(tiny_study.root), "--evaluate"]) == 0
    table = capsys.readouterr().out
    assert "learning from outside the study as well: demo, eval2, eval3, eval4" in table
    assert "tfidf+logreg" in table and "most frequent" in table


def test_the_demo_study_does_not_learn_its_own_texts_twice(demo_copy: Path):
    study = Study(demo_copy)
    corpus = reference.outside(study)
    assert corpus.sets() == ALL_SETS[1:]
    ours = {body_hash(t.body) for t in study.transcripts.values()}
    assert not ours & set(corpus.hashes())


def test_switching_the_reference_off(tiny_study: Study, capsys):
    (tiny_study.root / "dialoog.yaml").write_text("suggest_reference: false\n", encoding="utf-8")
    study = Study(tiny_study.root)
    run = suggest.run_suggest(study, ["schiedam-01"])
    assert run.sources == [] and not any(run.outside.values())
    assert run.warnings and all("codebook only" in w for w in run.warnings)
    assert run.notes == ["the reference corpus is switched off (suggest_reference: false in dialoog.yaml)"]
    assert main(["suggest", "--study", str(study.root)]) == 0
    captured = capsys.readouterr()
    assert "switched off" in captured.out and "codebook only" in captured.err


def test_a_study_with_its_own_codebook_learns_only_the_shared_ids(tiny_study: Study):
    path = tiny_study.root / "codebook" / "codebook.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: vragen-behoeften", "id: eigen-vraag"), "utf-8")
    rows = (tiny_study.root / "codings").glob("*.csv")
    for p in rows:
        p.write_text(p.read_text(encoding="utf-8").replace("vragen-behoeften", "eigen-vraag"), encoding="utf-8")
    study = Study(tiny_study.root)
    corpus = reference.outside(study)
    assert corpus.codes == {"veiligheid", "incidenten", "wat-werkt", "wat-werkt-niet"}
    assert {c.code for c in corpus.codings} == corpus.codes
    run = suggest.run_suggest(study, ["schiedam-01"])
    assert run.outside["eigen-vraag"] == 0 and run.outside["wat-werkt"] > 100
    assert any("not in the reference's codebook" in n and "eigen-vraag" in n for n in run.notes)
    # outside units are no evidence against a code they were not coded with: they weigh 0 for it
    analysed = suggest.analyse_study(study)
    corpus_analysed = suggest.outside_of(study)[1]
    codes = [c.id for c in study.codebook.walk()]
    m = pool.material(analysed, list(analysed.units), study.codings, codes, corpus, corpus_analysed)
    j = codes.index("eigen-vraag")
    outside_rows = [i for i, g in enumerate(m.groups) if "/" in g]
    assert outside_rows and (m.weights[outside_rows, j] == 0).all() and (m.weights[outside_rows, 0] > 0).all()
    # no shared id at all: nothing from outside, and the run says so
    text = path.read_text(encoding="utf-8")
    for old in ("veiligheid", "incidenten", "wat-werkt-niet", "wat-werkt"):
        text = text.replace(f"id: {old}\n", f"id: x-{old}\n").replace(f"parent: {old}\n", f"parent: x-{old}\n")
    path.write_text(text, encoding="utf-8")
    for p in (tiny_study.root / "codings").glob("*.csv"):
        p.unlink()
    run = suggest.run_suggest(Study(tiny_study.root), ["schiedam-01"])
    assert run.sources == [] and any("shares no code id" in n for n in run.notes)


def test_outside_units_weigh_less_as_the_study_codes_more(tiny_study: Study):
    corpus, corpus_analysed = suggest.outside_of(tiny_study)
    analysed = suggest.analyse_study(tiny_study)
    codes = [c.id for c in tiny_study.codebook.walk()]
    own = suggest.coding_counts(tiny_study.codings)
    m = pool.material(analysed, list(analysed.units), tiny_study.codings, codes, corpus, corpus_analysed)
    mine = [i for i, g in enumerate(m.groups) if "/" not in g]
    theirs = [i for i, g in enumerate(m.groups) if "/" in g]
    assert len(mine) == sum(len(u) for u in analysed.units.values()) and len(theirs) > 500
    assert (m.weights[mine] == 1).all()
    half = pool.OUTSIDE_HALF
    for j, code in enumerate(codes):  # veiligheid: no codings of the study's own, so the reference counts fully
        assert m.weights[theirs, j] == pytest.approx(half / (half + own.get(code, 0)))
    assert m.weights[theirs, codes.index("veiligheid")].min() == 1.0
    assert m.weights[theirs, codes.index("wat-werkt-niet")].max() < 1.0  # the study has 3 of those
    assert m.own == own and m.outside == {c: n for c, n in corpus.counts().items()}


def test_learn_from_another_study_with_the_same_codebook(tiny_study: Study, demo_copy: Path, capsys):
    study = _demo_codebook(tiny_study)
    partner = Path("..") / ".." / demo_copy.parent.name / demo_copy.name
    (study.root / "dialoog.yaml").write_text(f"suggest_reference: false\nlearn_from: ['{partner}']\n", "utf-8")
    study = Study(study.root)
    run = suggest.run_suggest(study, ["schiedam-01"])
    demo = Study(demo_copy)
    assert run.sources == ["learn_from[0]"]
    assert run.outside == {c: suggest.coding_counts(demo.codings).get(c, 0) for c in run.outside}
    assert run.notes[0].startswith("the reference corpus is switched off")
    assert main(["suggest", "--study", str(study.root)]) == 0
    assert "learn_from[0]" in capsys.readouterr().out
    # with the reference on as well, the partner's transcripts that are in it (the demo's) are learned once
    (study.root / "dialoog.yaml").write_text(f"learn_from: ['{partner}']\n", "utf-8")
    corpus = reference.outside(Study(study.root))
    assert corpus.sets() == ALL_SETS and len(corpus.hashes()) == len(corpus.transcripts)


def test_learn_from_names_a_missing_folder_or_a_mismatched_codebook(tiny_study: Study, demo_copy: Path, capsys):
    settings_path = tiny_study.root / "dialoog.yaml"
    settings_path.write_text("learn_from: [../nergens]\n", encoding="utf-8")
    with pytest.raises(DialoogError) as info:
        suggest.run_suggest(Study(tiny_study.root), ["schiedam-01"])
    assert info.value.key == "learn_from[0]" and info.value.path == settings_path
    assert "no study folder" in str(info.value) and "nergens" in str(info.value)
    assert main(["suggest", "--study", str(tiny_study.root)]) == 2
    assert "no study folder" in capsys.readouterr().err
    settings_path.write_text(f"learn_from: ['{demo_copy}']\n", encoding="utf-8")  # the demo's 13 codes, not 5
    with pytest.raises(DialoogError, match="another codebook") as info:
        suggest.run_suggest(Study(tiny_study.root), ["schiedam-01"])
    assert info.value.key == "learn_from[0]" and "same codebook" in info.value.hint
    settings_path.write_text("learn_from: ['.']\n", encoding="utf-8")
    with pytest.raises(DialoogError, match="this study itself"):
        suggest.run_suggest(Study(tiny_study.root), ["schiedam-01"])


def test_the_settings_are_validated(tmp_path):
    (tmp_path / "dialoog.yaml").write_text("suggest_reference: misschien\nlearn_from: {a: 1}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        settings.load(tmp_path)
    assert {(p.key, p.line) for p in info.value.problems} == {("suggest_reference", 1), ("learn_from", 2)}


def _spy(monkeypatch) -> list:
    calls = []
    real = evaluate.material

    def spy(analysed, ids, codings, codes, corpus=None, corpus_analysed=None, half=pool.OUTSIDE_HALF):
        calls.append((list(ids), corpus))
        return real(analysed, ids, codings, codes, corpus, corpus_analysed, half)

    monkeypatch.setattr(evaluate, "material", spy)
    return calls


def test_evaluation_never_leaks_the_held_out_set_into_the_reference(monkeypatch, tmp_path):
    calls = _spy(monkeypatch)
    full = reference.load_reference()  # eval2 is in it: the evaluation must take it out itself
    test = open_study(EVAL2, strict=False)
    held = {body_hash(t.body) for t in test.transcripts.values()}
    # leave-one-set-out, given the whole reference
    evaluate.evaluate_transfer(None, test, None, ("most frequent",), reference=full)
    (ids, corpus), *_ = calls
    assert ids == [] and "eval2" not in corpus.sets() and not held & set(corpus.hashes())
    assert corpus.sets() == ["demo", *ALL_SETS[2:]]
    # a copy of a committed set outside the repository is left out by its text, whatever its name
    copy = tmp_path / "blind" / "study"
    shutil.copytree(EVAL2, copy)
    calls.clear()
    evaluate.evaluate_transfer(None, open_study(copy, strict=False), None, ("most frequent",), reference=full)
    assert calls[0][1].sets() == ["demo", *ALL_SETS[2:]]
    # leave-one-transcript-out (the learning curve): neither the held-out transcript nor its set's copy
    calls.clear()
    scores = evaluate.evaluate(test, None, ("most frequent",), reference=full)
    assert scores and len(calls) == len(test.transcripts)
    for (ids, corpus), held_out in zip(calls, sorted(test.transcripts), strict=True):
        assert held_out not in ids and len(ids) == len(test.transcripts) - 1
        assert not held & set(corpus.hashes())
    # and the guard itself
    with pytest.raises(DialoogError, match="held-out"):
        reference.check_no_leak(full, list(test.transcripts.values())[:1])


def test_the_analysis_of_the_outside_material_is_cached_and_rebuilt_when_stale(tiny_study: Study, monkeypatch):
    corpus = reference.load_reference().without(sets=["demo", "eval3", "eval4"])
    nlp = suggest.pipeline_for(tiny_study)
    matcher = suggest.KeywordMatcher(nlp, tiny_study.codebook)
    first = pool.analyse_corpus(nlp, matcher, tiny_study.codebook, corpus)
    (path,) = (pool.cache_dir() / "suggest").glob(
        f"corpus-{pool.corpus_key(nlp, tiny_study.codebook, corpus)[:24]}.json"
    )

    def fail(*args, **kwargs):
        raise AssertionError("analysed again although cached")

    monkeypatch.setattr(pool, "analyse_transcripts", fail)
    again = pool.analyse_corpus(nlp, matcher, tiny_study.codebook, corpus)
    assert again.units == first.units and again.hits == first.hits and again.segments == first.segments
    path.write_text('{"key": "stale"', encoding="utf-8")  # unreadable: rebuilt
    monkeypatch.undo()
    monkeypatch.setenv("DIALOOG_CACHE_DIR", str(path.parents[1]))
    rebuilt = pool.analyse_corpus(nlp, matcher, tiny_study.codebook, corpus)
    assert rebuilt.units == first.units and '"key": "stale"' not in path.read_text(encoding="utf-8")
    # another codebook's keywords give another key (the hits depend on them)
    other = _demo_codebook(tiny_study).codebook
    assert pool.corpus_key(nlp, other, corpus) != pool.corpus_key(nlp, tiny_study.codebook, corpus)


def test_the_trained_model_is_cached_and_trained_again_when_anything_changes(demo_copy: Path, monkeypatch):
    import numpy

    from dialoog.assist import modelcache
    from dialoog.study.codings import read_codings, write

    study = open_study(demo_copy, strict=False)
    first, analysed, corpus = suggest.model_for(study)
    key = modelcache.model_key(study, suggest.pipeline_for(study), corpus)
    path = modelcache.model_path(study, key)
    assert path.parent == demo_copy / ".dialoog-cache"  # with the study, never in the user's cache folder
    assert path.is_file() and path.read_bytes()[:2] == b"PK"  # a numpy .npz (zip), no pickle
    with numpy.load(path, allow_pickle=False) as data:
        assert all(data[name].dtype != object for name in data.files)
    units = [u for tid in analysed.units for u in analysed.units[tid]]
    real_train = suggest.train

    def fail(*args, **kwargs):
        raise AssertionError("trained again although cached")

    monkeypatch.setattr(suggest, "train", fail)
    again, _, _ = suggest.model_for(open_study(demo_copy, strict=False))
    assert numpy.array_equal(again.rank(units).p, first.rank(units).p)
    assert (again.counts, again.own, again.outside) == (first.counts, first.own, first.outside)
    assert numpy.array_equal(again.thresholds, first.thresholds)
    # unreadable, or of another key: trained anew and rewritten
    trained = []
    monkeypatch.setattr(suggest, "train", lambda *a, **k: trained.append(1) or real_train(*a, **k))
    path.write_bytes(b"PK not a zip")
    suggest.model_for(open_study(demo_copy, strict=False))
    new = modelcache.SuggestionModel(study.codebook, suggest.pipeline_for(study))
    assert trained == [1] and modelcache.load_model(path, key, new) is not None
    new = modelcache.SuggestionModel(study.codebook, suggest.pipeline_for(study))
    assert modelcache.load_model(path, "another key", new) is None
    # a changed coding is another key: trained anew
    coding_file = next((demo_copy / "codings").glob("*.csv"))
    rows = read_codings(coding_file)
    write(coding_file, rows[1:])
    changed = open_study(demo_copy, strict=False)
    assert modelcache.model_key(changed, suggest.pipeline_for(changed), suggest.outside(changed)) != key
    suggest.model_for(changed)
    assert trained == [1, 1]


def test_lemmas_are_kept_with_the_study_and_read_back_without_simplemma(tiny_study: Study, monkeypatch):
    import json

    from dialoog.assist import modelcache, pipeline

    modelcache.load_lemmas(tiny_study)  # nothing kept yet
    pipeline.lemma_of.cache_clear()
    lemma = pipeline.lemma_of("Fietsenmakers")
    modelcache.save_lemmas(tiny_study)
    path, key = modelcache.lemmas_path(tiny_study)
    assert path.parent == tiny_study.root / ".dialoog-cache"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["key"] == key and data["lemma"]["fietsenmakers"] == lemma

    def fail(*args, **kwargs):
        raise AssertionError("simplemma asked although the lemma is kept")

    pipeline.lemma_of.cache_clear()
    modelcache.load_lemmas(tiny_study)
    monkeypatch.setattr(pipeline.simplemma, "lemmatize", fail)
    assert pipeline.lemma_of("fietsenmakers") == lemma
    # of another simplemma or program (another key): not used
    path.write_text(json.dumps({**data, "key": "older"}), encoding="utf-8")
    modelcache.load_lemmas(tiny_study)
    assert pipeline.STORED["lemma"] == {}
    path.write_text("{not json", encoding="utf-8")
    modelcache.load_lemmas(tiny_study)
    assert pipeline.STORED["lemma"] == {}


def test_withdrawing_a_transcript_removes_the_study_cache_that_holds_its_words(demo_copy: Path):
    from dialoog.privacy.withdrawal import withdraw

    study = open_study(demo_copy, strict=False)
    suggest.run_suggest(study, list(study.transcripts)[:1])
    cache = demo_copy / ".dialoog-cache"
    assert any(cache.glob("model-*.npz")) and (cache / "lemmas.json").is_file()
    withdraw(open_study(demo_copy, strict=False), sorted(study.transcripts)[0])
    assert not cache.exists()


def test_the_study_cache_stays_out_of_git_in_any_study_folder(demo_copy: Path):
    """The cache holds the study's words: it is private and ignores itself, also in a study whose own
    .gitignore does not name it (one made before the cache existed)."""
    import shutil
    import stat
    import subprocess

    from dialoog.cli import main
    from dialoog.commands.init import GITIGNORE

    assert ".dialoog-cache/" in GITIGNORE  # 'dialoog init' names it too
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(demo_copy)], check=True)
    assert main(["suggest", "--study", str(demo_copy)]) == 0
    cache = demo_copy / ".dialoog-cache"
    assert any(cache.glob("model-*.npz")) and (cache / "lemmas.json").is_file()
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    listed = subprocess.run(
        ["git", "-C", str(demo_copy), "status", "--porcelain", "--untracked-files=all"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert ".dialoog-cache" not in listed and "suggestions/" in listed
