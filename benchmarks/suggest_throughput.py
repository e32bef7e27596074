"""Throughput of segmentation + keyword suggestions, compared with spaCy's tokenizer alone.

Run: .venv/bin/python benchmarks/suggest_throughput.py [--words 200000] [--study .]

A fictional corpus of at least --words words is made by recombining the sentences of the demo
study's respondent turns (seeded, so runs are comparable) into transcripts of 40 turns. The pipeline
is loaded once; the time to load it is reported apart. Words are whitespace-separated words.
Goal (issue 4): the full path within a factor 3 of the tokenizer alone. Issue 18 adds the ranked
suggestions: units, keyword hits with negation, the trained model's ranking of every unit, fragments and
reasons (in process, model trained once on the demo study; interleaved with runs of the tokenizer alone, so
that its factor is against the tokenizer under the same load), and the whole `dialoog suggest` command on a
copy of the demo study (goal: under 3 s): with empty caches, with the caches of a previous run (the
reference's analysis, the trained model and the lemmas), after a coding changed (the model trained again)
and with the reference switched off, measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dialoog.assist.nlp import load_pipeline, segments, turns_text
from dialoog.assist.suggest import KeywordMatcher, analyse, analyse_transcripts, suggest_for, train
from dialoog.study.folder import open_study
from dialoog.study.transcripts import Transcript, Turn


def make_corpus(study_dir: Path, words: int, seed: int = 4) -> list[Transcript]:
    study = open_study(study_dir, strict=False)
    nlp = load_pipeline()
    sentences = [s.text for t in study.transcripts.values() for s in segments(t, nlp) if not s.interviewer]
    rng = random.Random(seed)
    corpus: list[Transcript] = []
    total = 0
    while total < words:
        body_parts: list[str] = []
        turns: list[Turn] = []
        pos = 0
        for i in range(40):
            speaker = "Interviewer" if i % 2 == 0 else "Respondent"
            n = rng.randint(1, 3) if i % 2 == 0 else rng.randint(3, 9)
            text = " ".join(rng.choice(sentences) for _ in range(n))
            label = f"**{speaker}:** "
            turns.append(Turn(i, speaker, pos + len(label), pos + len(label) + len(text), text))
            body_parts.append(label + text + "\n\n")
            pos += len(label) + len(text) + 2
            total += len(text.split())
        tid = f"bench-{len(corpus):04d}"
        corpus.append(Transcript(Path(f"{tid}.md"), {"id": tid}, "".join(body_parts), turns))
    return corpus


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--words", type=int, default=200_000)
    ap.add_argument("--study", type=Path, default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--repeat", type=int, default=5, help="best of this many runs")
    args = ap.parse_args()

    t0 = time.perf_counter()
    nlp = load_pipeline()
    study = open_study(args.study, strict=False)
    matcher = KeywordMatcher(nlp, study.codebook)
    load_s = time.perf_counter() - t0
    corpus = make_corpus(args.study, args.words)
    texts = [turn.text for t in corpus for turn in t.turns]
    n_words = sum(len(text.split()) for text in texts)
    for t in corpus:  # the corpus is correct: every turn is its slice of the body
        assert all(t.body[turn.start : turn.end] == turn.text for turn in t.turns)
    print(f"pipeline {nlp.meta['dialoog_pipeline']} loaded in {load_s:.1f} s (with the keyword matcher)")
    print(f"corpus: {len(corpus)} transcripts, {len(texts)} turns, {n_words} words")

    def tokenizer_only() -> None:
        for _ in nlp.tokenizer.pipe(texts, batch_size=256):
            pass

    joined = [turns_text(t)[0] for t in corpus]

    def tokenizer_joined() -> None:
        for _ in nlp.tokenizer.pipe(joined, batch_size=16):
            pass

    n_lemma_suggestions = 0

    def full_with_lemmas() -> None:
        nonlocal n_lemma_suggestions
        n_lemma_suggestions = sum(len(found) for _t, _segs, found in analyse(nlp, matcher, corpus))

    n_suggestions = 0

    def full() -> None:
        nonlocal n_suggestions
        n_suggestions = 0
        for _t, _segs, found in analyse(nlp, matcher, corpus, with_lemmas=False):
            n_suggestions += len(found)

    lemma_cold = time.perf_counter()
    full()  # warms the lemma cache, as any real run after the first transcripts
    lemma_cold = time.perf_counter() - lemma_cold
    # interleaved, best of --repeat each, so that load from other processes hits all alike
    runs: dict[str, list[float]] = {"turns": [], "joined": [], "full": [], "lemmas": []}
    for _ in range(args.repeat):
        for name, fn in (
            ("turns", tokenizer_only),
            ("joined", tokenizer_joined),
            ("full", full),
            ("lemmas", full_with_lemmas),
        ):
            t = time.perf_counter()
            fn()
            runs[name].append(time.perf_counter() - t)
    tok = min(runs["turns"] + runs["joined"])
    fs, fl = min(runs["full"]), min(runs["lemmas"])
    print(f"first full run (cold lemma cache): {n_words / lemma_cold:10,.0f} words/s")
    print(f"tokenizer alone (best of per turn, per transcript): {n_words / tok:,.0f} words/s")
    print(f"segmentation + keyword suggestions: {n_words / fs:9,.0f} words/s ({n_suggestions} suggestions)")
    print(f"  + lemmas of every segment (for the model): {n_words / fl:,.0f} words/s")
    print(f"factor: {fs / tok:.2f} (goal: <= 3); with segment lemmas {fl / tok:.2f}")
    ranked_path(args, nlp, matcher, corpus, n_words, tok, tokenizer_joined)
    whole_command(args.study)


def ranked_path(args, nlp, matcher, corpus, n_words, tok, tokenizer) -> None:
    """Segmentation, units, keyword hits and the trained model's ranked suggestions, in process, with all
    transcripts ranked in one call as `dialoog suggest` (run_suggest) does; interleaved with `tokenizer`."""
    study = open_study(args.study, strict=False)
    model = train(study, analyse_transcripts(nlp, matcher, study.transcripts.values()), study.codings)
    best, best_tok = float("inf"), tok
    for _ in range(args.repeat):
        t = time.perf_counter()
        tokenizer()
        best_tok = min(best_tok, time.perf_counter() - t)
        t = time.perf_counter()
        analysed = analyse_transcripts(nlp, matcher, corpus)
        n = len(suggest_for(model, analysed, list(analysed.units)))
        best = min(best, time.perf_counter() - t)
    print(
        f"ranked suggestions (units, keywords, model, fragments, reasons): {n_words / best:,.0f} words/s "
        f"({n} suggestions); factor {best / best_tok:.2f} of the tokenizer ({n_words / best_tok:,.0f} words/s "
        "in the same runs; goal: <= 3)"
    )


def whole_command(study_dir: Path) -> None:
    """`dialoog suggest` on a copy of the demo study, as a user runs it (a new process each time): with empty
    caches (the reference analysed, the model trained, all cached), with the caches (as every later run of an
    unchanged study), after a coding changed (the model trained again; the reference's analysis and the lemmas
    cached) and with the reference switched off (the study's own codings only), side by side."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "study"
        ignore = shutil.ignore_patterns(".git", ".venv", "reports", "benchmarks", ".dialoog-cache")
        shutil.copytree(study_dir, copy, ignore=ignore)
        env = {**os.environ, "DIALOOG_CACHE_DIR": str(Path(tmp) / "cache")}
        cold = _timed(copy, env)
        warm = [_timed(copy, env) for _ in range(3)]
        changed = []
        coding_file = sorted((copy / "codings").glob("*.csv"))[0]
        for _ in range(2):  # a coder removed a coding: the model learns again
            lines = coding_file.read_text(encoding="utf-8").splitlines(keepends=True)
            coding_file.write_text("".join(lines[:-1]), encoding="utf-8")
            changed.append(_timed(copy, env))
        (copy / "dialoog.yaml").write_text("suggest_reference: false\n", encoding="utf-8")
        _timed(copy, env)  # its model trained and cached
        off = [_timed(copy, env) for _ in range(3)]
    for name, runs in (
        ("with the reference, cached", warm),
        ("a coding changed (trained again)", changed),
        ("reference switched off, cached", off),
    ):
        print(
            f"whole 'dialoog suggest' on the demo study, {name}: best {min(t for t, _ in runs):.2f} s wall, "
            f"{min(c for _, c in runs):.2f} s CPU (worst {max(t for t, _ in runs):.2f} s wall; goal: < 3 s)"
        )
    print(f"  the first run, with empty caches (reference analysed, model trained): {cold[0]:.2f} s wall")
    print("  (wall time grows with other load on the machine)")


def _timed(study: Path, env: dict) -> tuple[float, float]:
    """Wall and CPU seconds of one `dialoog suggest` run in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "dialoog", "suggest", "--study", str(study)], check=True, capture_output=True, env=env
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


if __name__ == "__main__":
    main()
