"""Quality of the code suggestions, with the reference corpus (dialoog.assist.reference), honestly held out:
held-out text is never in the material learned from (each fold checks it: dialoog.assist.reference.check_no_leak).

1. **demo, leave-one-transcript-out**: each demo transcript predicted by a model trained on the other demo
   transcripts plus the reference without the demo (the evaluation sets); beside it, the same without any
   reference (the study's own codings only), per gold coder;
2. **leave-one-set-out**: for each evaluation set, a new study without codings of its own learning from
   the reference without that set (the demo and the other sets), tested on the set; beside it the model
   trained on the demo study alone (the previous round's figure);
3. **learning curve**: leave-one-transcript-out within each evaluation set, with the reference without that
   set: what a study gets once it has coded its other interviews;
4. sets given with ``--eval DIR/study`` that are not committed in benchmarks/data get the reference of all
   committed sets (a copy of a committed set is still left out: the material never holds a transcript whose
   text the tested set has) in steps 2 and 3.

Both baselines are trained on the same pooled material in the same run: TF-IDF + logistic regression and
most frequent codes. Targets (issue 18), on unseen text: turn macro-F1 >= 0.55, every code >= 0.35.

Run: .venv/bin/python benchmarks/suggest_quality.py [--study .] [--eval SET/study ...] [--no-demo]
     [--variants] [--half H ...]

`--eval` may be given more than once (default: every benchmarks/data/eval*/study). `--variants` adds the
representation variants to the demo's leave-one-out and, one line each, to every set's leave-one-set-out;
`--half` compares weightings of the outside
material (dialoog.assist.pool.OUTSIDE_HALF) on the learning curves.

Last, the inventory found directly in the transcripts (dialoog.assist.mentions): precision and recall of
initiatives and needs against each set's gold (its study's gold-inventory.yaml, when it has one), and
against the demo study's registers (whose fragments cover only what was coded and registered, so the
precision there is a lower bound), beside a plain baseline (benchmarks/inventory_quality.py, which prints
this table alone).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import yaml

from dialoog.assist.evaluate import METHODS, VARIANTS, available, evaluate, evaluate_transfer, summary, table
from dialoog.assist.pool import OUTSIDE_HALF
from dialoog.assist.reference import Corpus, load_reference, set_order
from dialoog.study.folder import open_study

HERE = Path(__file__).resolve().parent
COMMITTED = HERE / "data"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--study", type=Path, default=HERE.parent)
    ap.add_argument("--eval", type=Path, action="append", help="an evaluation set's study folder (repeatable)")
    ap.add_argument("--no-demo", action="store_true", help="skip the demo study's leave-one-out")
    ap.add_argument("--variants", action="store_true", help="also the variants (demo and leave-one-set-out)")
    ap.add_argument("--half", type=float, action="append", help="compare these weightings on the learning curves")
    args = ap.parse_args()
    folders = args.eval or sorted(
        (p for p in COMMITTED.glob("eval*/study") if p.is_dir()), key=lambda p: set_order(p.parent.name)
    )
    reference = load_reference()
    demo = open_study(args.study, strict=False)
    print(
        f"reference corpus: {len(reference.transcripts)} transcripts, {len(reference.codings)} codings, sets "
        f"{', '.join(reference.sets())}; the outside material weighs OUTSIDE_HALF / (OUTSIDE_HALF + the "
        f"study's codings of the code), OUTSIDE_HALF = {OUTSIDE_HALF:g}\n"
    )
    if not args.no_demo:
        demo_loo(demo, reference, METHODS + VARIANTS if args.variants else METHODS)
    sets = []
    for folder in folders:
        name, study = set_name(folder), open_study(folder, strict=False)
        committed = folder.resolve().is_relative_to(COMMITTED.resolve()) and name in reference.sets()
        ref = reference.without(sets=[name]) if committed else reference
        what = "the reference without it" if committed else "the reference of all committed sets (outside set)"
        one_set(demo, study, name, folder, ref, what)
        if args.variants:
            variants(study, ref)
        for half in args.half or []:
            t = time.perf_counter()
            scores = evaluate(study, None, ("assistant",), reference=ref, half=half)
            print(f"  learning curve, OUTSIDE_HALF = {half:g}: {summary(scores)} ({time.perf_counter() - t:.0f} s)")
        print()
        sets.append((name, study, folder / "gold-inventory.yaml"))
    inventory(demo, sets)


def demo_loo(demo, reference: Corpus, methods) -> None:
    for coder in sorted({c.coder for c in demo.codings}):
        t = time.perf_counter()
        print(
            f"== demo study, leave-one-transcript-out, gold: coder {coder}; learning from the other demo "
            "transcripts and the reference without the demo"
        )
        print(table(evaluate(demo, coder, methods, reference=reference), per_code=False))
        alone = evaluate(demo, coder, ("assistant",), reference=Corpus())
        print(f"  without the reference (the demo's own codings only): {summary(alone)}")
        print(f"({time.perf_counter() - t:.0f} s)\n")


def one_set(demo, study, name: str, folder: Path, ref: Corpus, what: str) -> None:
    shown = folder.resolve().relative_to(HERE.parent) if folder.resolve().is_relative_to(HERE.parent) else folder
    t = time.perf_counter()
    print(
        f"== {name} ({shown}; gold codes), leave-one-set-out: a new study without codings of its own, "
        f"learning from {what} ({', '.join(ref.sets())})"
    )
    print(table(evaluate_transfer(None, study, None, METHODS, reference=ref)))
    old = evaluate_transfer(demo, study, None, ("assistant",))
    print(f"  trained on the demo study alone (no reference): {summary(old)}")
    print(f"({time.perf_counter() - t:.0f} s)\n")
    t = time.perf_counter()
    print(
        f"== {name}, learning curve: leave-one-transcript-out within the set, learning from its other "
        f"transcripts and {what}"
    )
    print(table(evaluate(study, None, METHODS, reference=ref)))
    print(f"({time.perf_counter() - t:.0f} s)")


def variants(study, ref: Corpus) -> None:
    """One summary line per representation variant (and the assistant) on a set, leave-one-set-out."""
    t = time.perf_counter()
    scores = evaluate_transfer(None, study, None, available(("assistant", *VARIANTS)), reference=ref)
    for method in dict.fromkeys(s.method for s in scores):
        print(f"  variant {method:24} {summary(scores, method)}")
    print(f"({time.perf_counter() - t:.0f} s)")


def set_name(folder: Path) -> str:
    """The name of an evaluation set: its folder's name (eval2 for benchmarks/data/eval2/study)."""
    folder = folder.resolve()
    return folder.parent.name if folder.name == "study" else folder.name


def inventory(demo, sets) -> None:
    """The inventory found in the transcripts, beside its baseline (benchmarks/inventory_quality.py)."""
    from inventory_quality import demo_gold, table

    rows = [
        (f"{name} (gold)", study, yaml.safe_load(gold.read_text("utf-8")))
        for name, study, gold in sets
        if gold.is_file()
    ]
    table([*rows, ("demo study (its registers)", demo, demo_gold(demo))])


if __name__ == "__main__":
    main()
