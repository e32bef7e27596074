"""Check that a change meant only for speed leaves every suggestion as it was.

Run before the change with ``--save FILE`` and after it with ``--check FILE``:

    .venv/bin/python benchmarks/suggest_identity.py --save /tmp/before.json
    .venv/bin/python benchmarks/suggest_identity.py --check /tmp/before.json

For the demo study and the evaluation sets (``benchmarks/data/eval*/study``) it records what `dialoog suggest`
gives: every suggestion (transcript, fragment, code, rank, source, reason, learned_from, whether suggested),
the full-precision probabilities of every code for every unit (compared to 1e-9), the model's thresholds and
mix, and the suggestion files `run_suggest` writes in a copy of the study (twice: with an empty cache and with
a warm one), and for a slice of the throughput benchmark's corpus (``--words``, default 20000; the same for
--save and --check) the suggestions of the model trained on the demo study, the probabilities of the
sentences of 200 units ranked on their own and the reason of every code for each of them as `reason_for`
gives it one unit at a time; and the same for a model with character n-grams besides the lemmas (ranked and
explained another way). Any difference is listed and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from dialoog.assist import suggest as suggest_mod  # noqa: E402
from dialoog.assist.keywords import KeywordMatcher  # noqa: E402
from dialoog.assist.pipeline import pipeline_for  # noqa: E402
from dialoog.study.folder import open_study  # noqa: E402

IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "reports", "benchmarks", ".dialoog-cache", "src", "tests", "notebooks", "docs", "*.egg-info"
)


def studies() -> list[tuple[str, Path]]:
    evals = sorted((ROOT / "benchmarks" / "data").glob("eval*/study"))
    return [("demo", ROOT), *((p.parent.name, p) for p in evals)]


def _model(study):
    """The model and analysis `dialoog suggest` uses (through `model_for` when the module has it)."""
    if hasattr(suggest_mod, "model_for"):
        suggest_mod.model_for(study)  # trains and caches the model
        return suggest_mod.model_for(study)[:2]  # read from the cache
    analysed = suggest_mod.analyse_study(study)
    corpus, corpus_analysed = suggest_mod.outside_of(study)
    return suggest_mod.train(study, analysed, study.codings, corpus=corpus, corpus_analysed=corpus_analysed), analysed


def _rows(found) -> list[list]:
    return [
        [s.transcript, s.start, s.end, s.code, s.score, s.source, s.reason, s.turn, s.rank, s.learned_from, s.suggested]
        for s in found
    ]


def _record(model, analysed, ids, one_by_one: int = 0) -> dict:
    """Probabilities and suggestions of the transcripts `ids`; with `one_by_one`, also the probabilities of the
    sentences of that many units ranked on their own, and every code's reason for each of them as
    `reason_for` gives it for one unit at a time."""
    units = [u for tid in ids for u in analysed.units.get(tid, [])]
    hits = [h for tid in ids for h in suggest_mod.hits_within(analysed.units.get(tid, []), analysed.hits[tid])]
    out = {
        "p": model.rank(units, hits, explain=False).p.tolist() if units else [],
        "suggestions": _rows(suggest_mod.suggest_for(model, analysed, ids)),
    }
    if one_by_one:
        from dialoog.assist.model import reason_for

        some, some_hits = units[:one_by_one], hits[:one_by_one]
        sentences = [s for u in some for s in u.sentence_units()]
        sentence_hits = [
            h for u, uh in zip(some, some_hits, strict=True) for h in suggest_mod.hits_within(u.sentences, uh)
        ]
        out["sentences_p"] = model.rank(sentences, sentence_hits, explain=False).p.tolist()
        ranked = model.rank(some, some_hits)
        out["reasons"] = [
            reason_for(ranked, i, j, some_hits[i], u.text, u.start)
            for i, u in enumerate(some)
            for j in range(len(model.codes))
        ]
    return out


def _files(study_dir: Path, cache: Path) -> dict:
    """The suggestion files `run_suggest` writes in a copy of the study (empty cache, then warm)."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "study"
        shutil.copytree(study_dir, copy, ignore=IGNORE)
        for run in ("cold", "warm"):
            study = open_study(copy, strict=False)
            suggest_mod.run_suggest(study, list(study.transcripts))
            out[run] = {p.name: p.read_text(encoding="utf-8") for p in sorted((copy / "suggestions").glob("*.csv"))}
    return out


def snapshot(words: int = 20_000) -> dict:
    from suggest_throughput import make_corpus

    out = {}
    with tempfile.TemporaryDirectory() as cache:
        os.environ["DIALOOG_CACHE_DIR"] = cache
        for name, path in studies():
            copy = Path(cache) / "studies" / name  # the model cache is kept in the study folder: not in the repository
            shutil.copytree(path, copy, ignore=IGNORE)
            study = open_study(copy, strict=False)
            model, analysed = _model(study)
            item = _record(model, analysed, list(study.transcripts))
            item["model"] = {
                "thresholds": model.thresholds.tolist(),
                "mix": None if model.mix_coef is None else model.mix_coef.tolist(),
                "zero": model.zero_coef.tolist(),
            }
            item["files"] = _files(path, Path(cache))
            out[name] = item
            print(f"{name}: {len(item['suggestions'])} suggestions", flush=True)
        demo = open_study(Path(cache) / "studies" / "demo", strict=False)
        model, _ = _model(demo)
        corpus = make_corpus(ROOT, words)
        nlp = pipeline_for(demo)
        analysed = suggest_mod.analyse_transcripts(nlp, KeywordMatcher(nlp, demo.codebook), corpus)
        out["bench"] = _record(model, analysed, list(analysed.units), one_by_one=200)
        print(f"bench: {len(out['bench']['suggestions'])} suggestions", flush=True)
        # the same with character n-grams besides the lemmas (the evaluation's variant; ranked another way)
        char = suggest_mod.train(demo, suggest_mod.analyse_study(demo), demo.codings, kinds=("lemma", "char"))
        out["bench-char"] = _record(char, analysed, list(analysed.units), one_by_one=100)
        print(f"bench-char: {len(out['bench-char']['suggestions'])} suggestions", flush=True)
    return out


def compare(old, new, where: str, problems: list[str], tol: float = 1e-9) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        if set(old) != set(new):
            problems.append(f"{where}: keys differ: {sorted(set(old) ^ set(new))[:5]}")
        for k in sorted(set(old) & set(new)):
            compare(old[k], new[k], f"{where}.{k}", problems, tol)
    elif isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            problems.append(f"{where}: {len(old)} items before, {len(new)} after")
        for i, (a, b) in enumerate(zip(old, new, strict=False)):
            compare(a, b, f"{where}[{i}]", problems, tol)
            if len(problems) > 50:
                return
    elif isinstance(old, float) and isinstance(new, float | int):
        if not numpy.isclose(old, new, rtol=0, atol=tol):
            problems.append(f"{where}: {old!r} before, {new!r} after")
    elif old != new:
        problems.append(f"{where}: {str(old)[:80]!r} before, {str(new)[:80]!r} after")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--check", type=Path)
    ap.add_argument("--words", type=int, default=20_000, help="size of the benchmark's corpus (default 20000)")
    args = ap.parse_args()
    data = snapshot(args.words)
    if args.save:
        args.save.write_text(json.dumps(data), encoding="utf-8")
        print(f"saved to {args.save}")
        return 0
    problems: list[str] = []
    compare(json.loads(args.check.read_text(encoding="utf-8")), json.loads(json.dumps(data)), "", problems)
    for p in problems[:50]:
        print(p)
    n = sum(len(v["suggestions"]) for v in data.values())
    print("identical" if not problems else f"{len(problems)}+ difference(s)", f"({n} suggestions compared)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
