"""Benchmark of dialoog.privacy.detect on the fictional annotated fixture transcripts.

Run on demand (not part of the tests):

    .venv/bin/python benchmarks/pseudonymise.py [--repeat 50] [--fresh-cache]

Reports recall and precision per label, how often public organisations and places stayed readable,
the time to load deduce (and, with --fresh-cache, to build its lookup cache in a temporary folder),
throughput in words per second and peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "privacy"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=50, help="passes over the fixtures for the throughput figure")
    ap.add_argument("--fresh-cache", action="store_true", help="build deduce's cache in a temporary folder first")
    args = ap.parse_args()
    if args.fresh_cache:
        os.environ["DIALOOG_CACHE_DIR"] = tempfile.mkdtemp(prefix="dialoog-bench-cache-")

    t0 = time.perf_counter()
    import dialoog.privacy as privacy
    from dialoog.privacy import detect as ps

    lists = ps.load_study_lists(FIXTURES)
    ps.detector(lists)
    load_s = time.perf_counter() - t0

    expected = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))["transcripts"]
    texts = {name: (FIXTURES / "raw" / name).read_text(encoding="utf-8") for name in expected}
    totals: dict[str, Counter] = {}
    for name, info in expected.items():
        text = texts[name]
        found = ps.find_personal_data(text, lists)
        ent = privacy.expected_spans(text, info["entities"])
        keep = [
            (s, e)
            for s, e, _ in privacy.expected_spans(text, {"k": info["keep"]})
            if not any(a <= s and e <= b for a, b, _ in ent)
        ]
        for label, c in privacy.score(found, ent, keep).items():
            totals.setdefault(label, Counter()).update(c)

    print(f"{'label':16} {'n':>4} {'recall':>7} {'found':>6} {'precision':>9}")
    for label in sorted(totals):
        if label == "(behouden)":
            continue
        c = totals[label]
        n = c["tp"] + c["fn"]
        recall = f"{c['tp'] / n:.2f}" if n else "-"
        precision = f"{1 - c['fp'] / c['found']:.2f}" if c["found"] else "-"
        print(f"{label:16} {n:>4} {recall:>7} {c['found']:>6} {precision:>9}")
    all_tp = sum(c["tp"] for c in totals.values())
    all_n = sum(c["tp"] + c["fn"] for c in totals.values())
    k = totals.get("(behouden)", Counter())
    print(f"{'all':16} {all_n:>4} {all_tp / all_n:>7.2f}")
    print(f"kept readable: {k['kept']} of {k['kept'] + k['lost']} public organisations and places")

    words = sum(len(t.split()) for t in texts.values())
    t1 = time.perf_counter()
    for _ in range(args.repeat):
        for text in texts.values():
            ps.find_personal_data(text, lists)
    run_s = time.perf_counter() - t1
    engine = ps.engine()
    t2 = time.perf_counter()
    for _ in range(args.repeat):
        for text in texts.values():
            engine.deidentify(text, disabled={"merge_adjacent_annotations"})
    deduce_s = time.perf_counter() - t2
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"load (import + deduce{' + cache build' if args.fresh_cache else ''}): {load_s:.1f} s")
    print(f"throughput: {words * args.repeat / run_s:,.0f} words/s ({words} words x {args.repeat})")
    print(f"  deduce alone on the same texts: {words * args.repeat / deduce_s:,.0f} words/s")
    print(f"peak memory (max RSS): {rss:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
