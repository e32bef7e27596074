"""Quality of the code suggestions: the demo study leave-one-transcript-out, and a model trained on the
demo study suggesting for the second, unseen evaluation set (benchmarks/data/eval2, 8 fictional
interviews in other municipalities and another style, with gold codes), beside the two baselines and the
representation variants, all in one run.

Run: .venv/bin/python benchmarks/suggest_quality.py [--study .] [--eval benchmarks/data/eval2/study]

Targets (issue 18), on unseen text: turn macro-F1 >= 0.55, every code >= 0.35.

Last, the inventory found directly in the transcripts (dialoog.assist.mentions): precision and recall of
initiatives and needs against the second set's gold (benchmarks/data/eval2/study/gold-inventory.yaml), and
against the demo study's registers (whose fragments cover only what was coded and registered, so the
precision there is a lower bound).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import yaml

from dialoog.assist import mentions
from dialoog.assist.evaluate import METHODS, VARIANTS, evaluate, evaluate_transfer, table
from dialoog.inventory import registers
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
    print(f"({time.perf_counter() - t:.1f} s)\n")
    inventory(demo, second, args.eval)


def demo_gold(study) -> dict:
    gold: dict = {"initiatieven": [], "behoeften": []}
    for slug in study.gemeente_slugs():
        inv = registers.load(study, study.gemeente(slug))
        for i in inv.initiatives:
            gold["initiatieven"] += [
                {"transcript": f.transcript, "naam": i.naam, "fragment": str(f)} for f in i.fragmenten
            ]
        for n in inv.needs:
            gold["behoeften"] += [
                {"transcript": f.transcript, "naam": n.behoefte, "fragment": str(f)} for f in n.fragmenten
            ]
    return gold


def inventory(demo, second, folder: Path) -> None:
    print(
        "== inventory from the transcripts: initiatives (same name in the same transcript) and needs "
        "(a sentence overlapping a gold need's fragment)"
    )
    print(
        f"  {'set':34} {'kind':10} {'found':>5} {'right':>5} {'precision':>9} {'gold':>4} {'recalled':>8} {'recall':>6}"
    )
    sets = (
        ("second evaluation set (gold)", second, yaml.safe_load((folder / "gold-inventory.yaml").read_text("utf-8"))),
        ("demo study (its registers)", demo, demo_gold(demo)),
    )
    for name, study, gold in sets:
        found = mentions.study_findings(study, list(study.transcripts.values()))
        for s in mentions.score_findings(found, gold):
            print(
                f"  {name:34} {s.kind:10} {s.found:5} {s.correct:5} {s.precision:9.2f} {s.gold:4} "
                f"{s.recalled:8} {s.recall:6.2f}"
            )


if __name__ == "__main__":
    main()
