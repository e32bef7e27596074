"""Quality of the inventory found directly in transcripts (dialoog.assist.mentions): precision and recall of
initiatives and needs against each evaluation set's gold (benchmarks/data/eval*/study/gold-inventory.yaml,
from the ``ini=`` / ``beh=`` annotations), and against the demo study's registers (whose fragments cover
only what was coded and registered, so the precision there is a lower bound), beside a plain baseline
computed in the same run (dialoog.assist.mentions_score.baseline: every capitalised multi-word phrase and
every word on an initiative word is an initiative, every respondent sentence with a need word a need).

How a finding is scored (an initiative by its name or by another name in the gold sentence, a need by its
sentence): dialoog.assist.mentions_score.

Run: .venv/bin/python benchmarks/inventory_quality.py [--study .] [--eval SET/study ...]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import yaml

from dialoog.assist import mentions, mentions_score
from dialoog.assist.pipeline import pipeline_for
from dialoog.assist.reference import set_order
from dialoog.inventory import registers
from dialoog.study.folder import open_study

HERE = Path(__file__).resolve().parent
COMMITTED = HERE / "data"


def demo_gold(study) -> dict:
    """The demo study's registers as gold: each registered initiative and need with its fragments."""
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


def set_name(folder: Path) -> str:
    folder = folder.resolve()
    return folder.parent.name if folder.name == "study" else folder.name


def table(rows) -> None:
    """Print the table for `rows` of (label, study, gold)."""
    print(
        "== inventory from the transcripts: initiatives (right when the transcript has a gold initiative of "
        "that name, or of the same head word in the same sentence) and needs (a sentence overlapping a gold "
        "need's fragment); baseline: capitalised phrases and initiative words, sentences with a need word"
    )
    print(
        f"  {'set':28} {'kind':10} {'method':9} {'found':>5} {'right':>5} {'precision':>9} {'gold':>4} "
        f"{'recalled':>8} {'recall':>6} {'F1':>5}"
    )
    for name, study, gold in rows:
        t = time.perf_counter()
        nlp, transcripts = pipeline_for(study), list(study.transcripts.values())
        scored = {
            "baseline": mentions_score.score_findings(mentions_score.baseline(nlp, transcripts), gold),
            "rules": mentions_score.score_findings(mentions.find(nlp, transcripts), gold),
        }
        for k in range(2):
            for method, scores in scored.items():
                s = scores[k]
                f1 = 2 * s.precision * s.recall / (s.precision + s.recall) if s.precision + s.recall else 0.0
                print(
                    f"  {name:28} {s.kind:10} {method:9} {s.found:5} {s.correct:5} {s.precision:9.2f} {s.gold:4} "
                    f"{s.recalled:8} {s.recall:6.2f} {f1:5.2f}"
                )
        print(f"  ({len(transcripts)} transcripts, {time.perf_counter() - t:.1f} s)")


def rows_for(demo, folders) -> list:
    rows = []
    for folder in folders:
        gold = folder / "gold-inventory.yaml"
        if gold.is_file():
            rows.append(
                (
                    f"{set_name(folder)} (gold)",
                    open_study(folder, strict=False),
                    yaml.safe_load(gold.read_text("utf-8")),
                )
            )
    if demo is not None:
        rows.append(("demo study (its registers)", demo, demo_gold(demo)))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--study", type=Path, default=HERE.parent)
    ap.add_argument("--eval", type=Path, action="append", help="an evaluation set's study folder (repeatable)")
    args = ap.parse_args()
    folders = args.eval or sorted(
        (p for p in COMMITTED.glob("eval*/study") if p.is_dir()), key=lambda p: set_order(p.parent.name)
    )
    table(rows_for(open_study(args.study, strict=False), folders))


if __name__ == "__main__":
    main()
