"""Quality of the code suggestions: the demo study leave-one-transcript-out, and a model trained on the
demo study suggesting for each unseen evaluation set (such as benchmarks/data/eval2: 8 fictional
interviews in other municipalities and another style, with gold codes), beside the two baselines and the
representation variants, all in one run.

Run: .venv/bin/python benchmarks/suggest_quality.py [--study .] [--eval SET/study ...]

`--eval` may be given more than once; by default every benchmarks/data/eval*/study is evaluated (build a
set's study from its annotated interviews with benchmarks/data/build.py). Each set gets the same tables.

Targets (issue 18), on unseen text: turn macro-F1 >= 0.55, every code >= 0.35.

Last, the inventory found directly in the transcripts (dialoog.assist.mentions): precision and recall of
initiatives and needs against each set's gold (its study's gold-inventory.yaml, when it has one), and
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
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--study", type=Path, default=HERE.parent)
    ap.add_argument("--eval", type=Path, action="append", help="an evaluation set's study folder (repeatable)")
    args = ap.parse_args()
    folders = args.eval or sorted(p for p in (HERE / "data").glob("eval*/study") if p.is_dir())
    demo = open_study(args.study, strict=False)
    methods = METHODS + VARIANTS
    for coder in sorted({c.coder for c in demo.codings}):
        t = time.perf_counter()
        print(f"== demo study, leave-one-transcript-out, gold: coder {coder}")
        print(table(evaluate(demo, coder, methods), per_code=False))
        print(f"({time.perf_counter() - t:.1f} s)\n")
    sets = []
    for folder in folders:
        name = set_name(folder)
        t = time.perf_counter()
        study = open_study(folder, strict=False)
        shown = folder.resolve().relative_to(HERE.parent) if folder.resolve().is_relative_to(HERE.parent) else folder
        print(f"== trained on the demo study (all codings), tested on {name} ({shown}; gold codes)")
        print(table(evaluate_transfer(demo, study, None, methods)))
        print(f"({time.perf_counter() - t:.1f} s)\n")
        sets.append((name, study, folder / "gold-inventory.yaml"))
    inventory(demo, sets)


def set_name(folder: Path) -> str:
    """The name of an evaluation set: its folder's name (eval2 for benchmarks/data/eval2/study)."""
    folder = folder.resolve()
    return folder.parent.name if folder.name == "study" else folder.name


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


def inventory(demo, sets) -> None:
    print(
        "== inventory from the transcripts: initiatives (same name in the same transcript) and needs "
        "(a sentence overlapping a gold need's fragment)"
    )
    print(
        f"  {'set':34} {'kind':10} {'found':>5} {'right':>5} {'precision':>9} {'gold':>4} {'recalled':>8} {'recall':>6}"
    )
    rows = [
        (f"{name} (gold)", study, yaml.safe_load(gold.read_text("utf-8")))
        for name, study, gold in sets
        if gold.is_file()
    ]
    rows.append(("demo study (its registers)", demo, demo_gold(demo)))
    for name, study, gold in rows:
        found = mentions.study_findings(study, list(study.transcripts.values()))
        for s in mentions.score_findings(found, gold):
            print(
                f"  {name:34} {s.kind:10} {s.found:5} {s.correct:5} {s.precision:9.2f} {s.gold:4} "
                f"{s.recalled:8} {s.recall:6.2f}"
            )


if __name__ == "__main__":
    main()
