"""Quality of the code suggestions: the demo study leave-one-transcript-out, and a model trained on the
demo study suggesting for the second, unseen evaluation set (benchmarks/data/eval2, 8 fictional
interviews in other municipalities and another style, with gold codes), beside the two baselines and the
representation variants, all in one run.

Run: .venv/bin/python benchmarks/suggest_quality.py [--study .] [--eval benchmarks/data/eval2/study]

Targets (issue 18), on unseen text: turn macro-F1 >= 0.55, every code >= 0.35.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from dialoog.assist.evaluate import METHODS, VARIANTS, evaluate, evaluate_transfer, table
from dialoog.study.folder import open_study

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--study", type=Path, default=HERE.parent)
    ap.add_argument("--eval", type=Path, default=HERE / "data" / "eval2" / "study")
    args = ap.parse_args()
    demo, second = open_study(args.study, strict=False), open_study(args.eval, strict=False)
    methods = METHODS + VARIANTS
    for coder in sorted({c.coder for c in demo.codings}):
        t = time.perf_counter()
        print(f"== demo study, leave-one-transcript-out, gold: coder {coder}")
        print(table(evaluate(demo, coder, methods), per_code=False))
        print(f"({time.perf_counter() - t:.1f} s)\n")
    t = time.perf_counter()
    print("== trained on the demo study (all codings), tested on the second evaluation set (gold codes)")
    print(table(evaluate_transfer(demo, second, None, methods)))
    print(f"({time.perf_counter() - t:.1f} s)")


if __name__ == "__main__":
    main()
