"""A run of `dialoog suggest` on a study whose transcripts and codebook did not change imports no spaCy: the
study's analysis and its codebook's lemmas are kept in ``.dialoog-cache/analysis.json``
(`dialoog.assist.analysiscache`), the pipeline is loaded only when a text must be analysed (`LazyPipeline`),
and the suggestions are the same as those of a run that analyses everything anew."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dialoog.assist import analysiscache, pipeline, suggest
from dialoog.assist.pool import analyse_study
from dialoog.study.folder import open_study

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"

#: Runs `dialoog suggest` on a study and prints whether spaCy was imported.
RUN = """
import sys
from dialoog.cli import main
code = main(["suggest", "--study", sys.argv[1]])
print("SPACY", any(m == "spacy" or m.startswith("spacy.") for m in sys.modules))
sys.exit(code)
"""


def _suggest(study: Path, cache: Path) -> bool:
    """Run `dialoog suggest` in a new process; whether it imported spaCy."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "DIALOOG_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(study)], capture_output=True, text=True, env=env, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return "SPACY True" in done.stdout


def _written(study: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((study / "suggestions").glob("*.csv"))}


def test_a_second_run_imports_no_spacy_and_writes_the_same(demo_copy: Path, tmp_path: Path):
    from dialoog.study.codings import read_codings, write

    cache = tmp_path / "user-cache"
    assert _suggest(demo_copy, cache)  # nothing kept yet: the pipeline analyses the study and the corpus
    first = _written(demo_copy)
    assert (demo_copy / ".dialoog-cache" / "analysis.json").is_file()
    assert not _suggest(demo_copy, cache)  # everything kept: no spaCy
    assert _written(demo_copy) == first
    # a coding removed: the model is trained anew, still without the pipeline
    coding_file = next((demo_copy / "codings").glob("*.csv"))
    write(coding_file, read_codings(coding_file)[1:])
    assert not _suggest(demo_copy, cache)
    retrained = _written(demo_copy)
    shutil.rmtree(demo_copy / ".dialoog-cache")
    assert _suggest(demo_copy, cache)  # the same codings analysed anew: the same suggestions
    assert _written(demo_copy) == retrained


def test_a_changed_transcript_is_analysed_anew_and_its_suggestions_follow_it(demo_copy: Path, tmp_path: Path):
    cache = tmp_path / "user-cache"
    _suggest(demo_copy, cache)
    path = demo_copy / "interviews" / "schiedam" / "schiedam-01.md"
    added = "Vorige week ben ik op straat uitgescholden, en toen heb ik het gemeld bij de politie."
    path.write_text(path.read_text(encoding="utf-8").rstrip() + f"\n\n**Respondent:** {added}\n", encoding="utf-8")
    study = open_study(demo_copy, strict=False)
    kept = analysiscache.study_analysis(study)
    assert "schiedam-01" not in kept.reused and len(kept.reused) == len(study.transcripts) - 1 and kept.changed
    _suggest(demo_copy, cache)
    body = open_study(demo_copy, strict=False).transcripts["schiedam-01"].body
    found = suggest.load_suggestions(demo_copy, "schiedam-01")
    assert found and all(body[s.start : s.end] == s.text for s in found)
    assert any(added in s.text for s in found)  # the new turn has suggestions of its own
    partly_kept = _written(demo_copy)
    shutil.rmtree(demo_copy / ".dialoog-cache")
    _suggest(demo_copy, cache)
    assert _written(demo_copy) == partly_kept  # as when every transcript is analysed anew


def test_the_kept_analysis_is_the_analysis(tiny_study):
    fresh = analyse_study(tiny_study)
    first = analysiscache.study_analysis(tiny_study)
    assert first.reused == [] and first.changed
    again = analysiscache.study_analysis(tiny_study)
    assert again.reused == list(tiny_study.transcripts) and not again.changed
    for got in (first.analysed, again.analysed):
        assert list(got.transcripts) == list(fresh.transcripts)
        assert got.segments == fresh.segments and got.units == fresh.units and got.hits == fresh.hits
    path = analysiscache.analysis_path(tiny_study)
    assert path.parent == tiny_study.root / ".dialoog-cache"  # with the study, never in the user's cache
    data = json.loads(path.read_text(encoding="utf-8"))
    texts = analysiscache.codebook_texts(tiny_study.codebook)
    nlp = pipeline.load_pipeline()
    assert data["codebook"] == {t: [w.lemma_ for w in nlp(t) if w.is_alpha] for t in texts}
    # unreadable, or of another key: analysed anew
    path.write_text("{not json", encoding="utf-8")
    assert analysiscache.study_analysis(tiny_study).reused == []
    data["key"] = "older"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert analysiscache.study_analysis(tiny_study).reused == []
    # an entry that does not read back: everything analysed anew, the same
    data = json.loads(path.read_text(encoding="utf-8"))
    first_id = next(iter(data["transcripts"]))
    data["transcripts"][first_id]["segments"] = [[1, 2]]
    path.write_text(json.dumps(data), encoding="utf-8")
    broken = analysiscache.study_analysis(tiny_study)
    assert broken.reused == [] and broken.analysed.units == fresh.units


def test_the_analysis_cache_goes_with_a_withdrawn_or_pseudonymised_transcript(demo_copy: Path):
    from dialoog.privacy import pseudonymise_study
    from dialoog.privacy.withdrawal import withdraw
    from dialoog.study import transcripts

    study = open_study(demo_copy, strict=False)
    suggest.run_suggest(study, list(study.transcripts)[:1])
    kept = demo_copy / ".dialoog-cache" / "analysis.json"
    assert kept.is_file()
    withdraw(open_study(demo_copy, strict=False), sorted(study.transcripts)[0])
    assert not kept.exists()
    # a new transcript, not yet pseudonymised
    old = study.transcripts["schiedam-01"]
    new = demo_copy / "interviews" / "schiedam" / "schiedam-99.md"
    meta = {**old.meta, "id": "schiedam-99", "pseudonymised": False}
    meta.pop("checked", None)
    transcripts.save(new, meta, [("Interviewer", "Hoe woon je hier?"), ("Respondent", "Prima, in Nieuwland.")])
    study = open_study(demo_copy, strict=False)
    suggest.run_suggest(study, ["schiedam-99"])
    assert kept.is_file()
    pseudonymise_study(study, key=demo_copy / "private" / "pseudonyms.key.yaml")
    assert not kept.exists()


def test_function_words_are_read_without_spacy_and_are_spacys_stop_words():
    from spacy.lang.nl.stop_words import STOP_WORDS

    from dialoog.assist.explain import FUNCTION_WORDS, dutch_stop_words

    assert dutch_stop_words() == set(STOP_WORDS)
    assert STOP_WORDS <= FUNCTION_WORDS and {"eigenlijk", "mensen"} <= FUNCTION_WORDS


def test_the_pipeline_is_loaded_only_when_a_text_is_analysed(tiny_study):
    lazy = pipeline.LazyPipeline()
    assert pipeline.pipeline_name(lazy) == "blank-nl+simplemma" and not lazy.is_loaded
    lazy.known["de kat"] = ("de", "kat")
    assert pipeline.alpha_lemmas(lazy, "de kat") == ("de", "kat") and not lazy.is_loaded
    assert [t.lemma_ for t in lazy("Ze werden gemeld.")] == ["ze", "worden", "melden", "."]
    assert lazy.is_loaded and lazy.loaded is pipeline.load_pipeline("")
    assert lazy.meta["dialoog_pipeline"] == "blank-nl+simplemma" and lazy.vocab is pipeline.load_pipeline("").vocab
    assert pipeline.pipeline_for(tiny_study) is pipeline.pipeline_for(tiny_study)  # one per setting
    assert pipeline.spacy_version() == __import__("spacy").__version__


@pytest.mark.parametrize("module", ["dialoog.assist.suggest", "dialoog.assist.modelcache", "dialoog.assist.nlp"])
def test_importing_the_suggestion_modules_imports_no_spacy(module: str):
    code = f"import sys, {module}; print(any(m.split('.')[0] == 'spacy' for m in sys.modules))"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.strip() == "False"
