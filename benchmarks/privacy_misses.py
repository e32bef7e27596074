"""List what the personal-data detector gets wrong on the annotated fixture sets, for development.

Run on demand (not part of the tests):

    .venv/bin/python benchmarks/privacy_misses.py [--set privacy_unseen3] [--kind lost|missed|all]

For each fixture set (tests/fixtures/privacy*), prints every public entity that the detector masks ("lost",
with the label and text of the span that masked it) and every expected span it does not cover ("missed"),
each with a line of context, then the totals per set: recall, persons and public entities kept, as scored by
`benchmarks/pseudonymise.py`. The fixtures are fictional; nothing printed comes from a real transcript.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def _context(text: str, start: int, end: int, width: int = 50) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"{left}[[{text[start:end]}]]{right}"


def check_set(folder: Path, kind: str) -> Counter:
    import dialoog.privacy as privacy
    from dialoog.privacy.detect import find_personal_data

    totals: Counter = Counter()
    for name, text, ent, keep in privacy.annotated_set(folder):
        found = find_personal_data(text)
        for s, e in keep:
            hits = [f for f in found if f.start < e and s < f.end]
            totals["kept" if not hits else "lost"] += 1
            if hits and kind in ("lost", "all"):
                how = ", ".join(f"{f.label}:{f.text!r}" for f in hits)
                print(f"  LOST   {name}: {text[s:e]!r} by {how}\n         {_context(text, s, e)}")
        for s, e, label in ent:
            covered = sum(max(0, min(e, f.end) - max(s, f.start)) for f in found) >= e - s
            totals["tp" if covered else "fn"] += 1
            if label == "persoon":
                totals["p_tp" if covered else "p_fn"] += 1
            if not covered and kind in ("missed", "all"):
                print(f"  MISSED {name}: {label} {text[s:e]!r}\n         {_context(text, s, e)}")
    return totals


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", action="append", help="a fixture folder name (default: all privacy* sets)")
    ap.add_argument("--kind", choices=("lost", "missed", "all", "none"), default="all")
    args = ap.parse_args()
    folders = [ROOT / s for s in args.set] if args.set else sorted(ROOT.glob("privacy*"))
    summary = []
    for folder in folders:
        print(f"\n== {folder.name}")
        t = check_set(folder, args.kind)
        n, p = t["tp"] + t["fn"], t["p_tp"] + t["p_fn"]
        summary.append(
            f"{folder.name:18} recall {t['tp'] / n:.3f} ({t['fn']} missed)  persons {t['p_tp'] / max(p, 1):.3f} "
            f"({t['p_fn']} missed)  kept {t['kept'] / (t['kept'] + t['lost']):.3f} ({t['lost']} lost)"
        )
    print("\n" + "\n".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
