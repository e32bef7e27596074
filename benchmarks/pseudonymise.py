"""Benchmark of dialoog's personal-data detection against deduce alone, on annotated fictional interviews.

Run on demand (not part of the tests):

    .venv/bin/python benchmarks/pseudonymise.py [--repeat 20] [--fresh-cache]

For each fixture set (tests/fixtures/privacy: the development set; tests/fixtures/privacy_heldout: twelve
interviews written after the detector, in other styles and municipalities, one in English; privacy_unseen,
privacy_dev2, privacy_dev3 and privacy_dev4: written later, each measured first before tuning, see their
headers) it reports recall per label and how many public organisations and places stayed readable, for
dialoog and for deduce alone (its full pipeline, every annotation counted as found) on the same texts in the
same run. Then the load
time (import, dialoog's lookup cache, the gazetteer; with --fresh-cache also building deduce's and dialoog's
caches), throughput in words per second after loading for both, and peak memory (max RSS). deduce alone is
loaded after the load time is taken (its full cache), and is not counted in it.
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

ROOT = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
SETS = {
    "development": ROOT / "privacy",
    "held-out (used for tuning after its first run)": ROOT / "privacy_heldout",
    "unseen (written after tuning; tuned on after its first run)": ROOT / "privacy_unseen",
    "second development set (tuned on after its first run)": ROOT / "privacy_dev2",
    "third development set (written after the dev2 fixes; tuned on after its first run)": ROOT / "privacy_dev3",
    "fourth set (written after the dev3 fixes; tuned on after its first run)": ROOT / "privacy_dev4",
    "blind set (written by someone who had not seen the detector; tuned on after its first runs)": ROOT
    / "privacy_unseen2",
    "second blind set (measured blind twice; tuned on as classes in the third round)": ROOT / "privacy_unseen3",
    "third blind set (measured blind twice; tuned on as classes in the fourth round)": ROOT / "privacy_unseen4",
    "fourth blind set (measured blind twice, before and after the fourth round)": ROOT / "privacy_unseen5",
    "fifth blind set (measured blind once, after the fourth round)": ROOT / "privacy_unseen6",
    "sixth blind set (measured blind before and after the fifth round's organisation and age rules)": ROOT
    / "privacy_unseen7",
    "seventh blind set (measured blind once, after the fifth round)": ROOT / "privacy_unseen8",
    "eighth blind set (measured blind once, after the sixth round)": ROOT / "privacy_unseen9",
    "ninth blind set (measured blind once, at the end of the sixth round; tuned on in the seventh)": ROOT
    / "privacy_unseen10",
    "tenth blind set (measured blind once, at the start of the seventh round; tuned on after)": ROOT
    / "privacy_unseen11",
    "eleventh blind set (measured blind once, in the seventh round; tuned on after)": ROOT / "privacy_unseen12",
    "twelfth blind set (measured blind once, in the eighth round; tuned on after)": ROOT / "privacy_unseen13",
    "thirteenth blind set (measured blind once, at the end of the eighth round; tuned on after)": ROOT
    / "privacy_unseen14",
    "fourteenth blind set (measured blind once, in the eighth round; tuned on after)": ROOT / "privacy_unseen15",
    "fifteenth blind set (measured blind once, at the end of the eighth round; tuned on after)": ROOT
    / "privacy_unseen16",
    "sixteenth blind set (measured blind once, at the end of the eighth round; tuned on after)": ROOT
    / "privacy_unseen17",
}
GOALS = (
    "goals: recall >= 0.95 overall, >= 0.99 persons; >= 0.95 kept; >= 55,000 words/s (>= 0.9 x deduce); load < 2.5 s"
)


class _Found:
    def __init__(self, start: int, end: int, label: str) -> None:
        self.start, self.end, self.label = start, end, label


_FULL: list = []


def _deduce_alone(text: str) -> list[_Found]:
    from dialoog.privacy.engine import full_engine

    if not _FULL:
        _FULL.append(full_engine())
    doc = _FULL[0].deidentify(text)
    return [_Found(a.start_char, a.end_char, a.tag) for a in doc.annotations]


def _score_set(folder: Path, find) -> dict[str, Counter]:  # noqa: ANN001
    import dialoog.privacy as privacy

    totals: dict[str, Counter] = {}
    for _, text, ent, keep in privacy.annotated_set(folder):
        for label, c in privacy.score(find(text), ent, keep).items():
            totals.setdefault(label, Counter()).update(c)
    return totals


def _print_scores(title: str, ours: dict[str, Counter], base: dict[str, Counter]) -> None:
    print(f"\n{title}")
    print(f"  {'label':16} {'n':>4} {'dialoog':>8} {'deduce':>7}")
    labels = sorted({k for k, c in ours.items() if c["tp"] + c["fn"]} - {"(behouden)"})

    def recall(stats: dict[str, Counter], label: str | None) -> tuple[int, float]:
        rows = [stats.get(label, Counter())] if label else [c for k, c in stats.items() if k != "(behouden)"]
        tp, n = sum(c["tp"] for c in rows), sum(c["tp"] + c["fn"] for c in rows)
        return n, (tp / n if n else float("nan"))

    for label in labels:
        n, r = recall(ours, label)
        _, b = recall(base, label)
        print(f"  {label:16} {n:>4} {r:>8.2f} {b:>7.2f}")
    n, r = recall(ours, None)
    _, b = recall(base, None)
    print(f"  {'all':16} {n:>4} {r:>8.2f} {b:>7.2f}")
    k, kb = ours.get("(behouden)", Counter()), base.get("(behouden)", Counter())
    total = k["kept"] + k["lost"]
    print(
        f"  public entities kept readable: dialoog {k['kept']}/{total} ({k['kept'] / total:.2f}), "
        f"deduce {kb['kept']}/{total} ({kb['kept'] / total:.2f})"
    )


def _throughput(texts: list[str], find, repeat: int) -> float:  # noqa: ANN001
    """Words per second of this process's CPU time (other load on a shared machine counts less than in wall time)."""
    words = sum(len(t.split()) for t in texts)
    started = time.process_time()
    for _ in range(repeat):
        for text in texts:
            find(text)
    return words * repeat / (time.process_time() - started)


def _interleaved(texts: list[str], finders: dict, repeat: int, rounds: int = 4) -> dict[str, float]:  # noqa: ANN001
    """The best throughput of each finder over `rounds` rounds that take turns, `repeat` passes in all."""
    best = dict.fromkeys(finders, 0.0)
    for _ in range(rounds):
        for name, find in finders.items():
            best[name] = max(best[name], _throughput(texts, find, max(1, repeat // rounds)))
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20, help="passes over the texts for the throughput figures")
    ap.add_argument("--fresh-cache", action="store_true", help="build deduce's cache in a temporary folder first")
    args = ap.parse_args()
    if args.fresh_cache:
        os.environ["DIALOOG_CACHE_DIR"] = tempfile.mkdtemp(prefix="dialoog-bench-cache-")

    t0 = time.perf_counter()
    from dialoog.privacy import detect as ps

    det = ps.detector(ps.StudyLists())
    det._allowed_re  # noqa: B018 - compiled on first use; part of loading (the street names load on first use)
    det._hospital_re  # noqa: B018
    det.gazetteer.pattern  # noqa: B018
    load_s = time.perf_counter() - t0

    def ours(text: str) -> list:
        return ps.find_personal_data(text)

    all_texts: list[str] = []
    for title, folder in SETS.items():
        _print_scores(f"{title} set ({folder.name})", _score_set(folder, ours), _score_set(folder, _deduce_alone))
        all_texts += [p.read_text(encoding="utf-8") for p in sorted((folder / "raw").iterdir())]

    wps = _interleaved(all_texts, {"dialoog": ours, "deduce": _deduce_alone}, args.repeat)
    ours_wps, deduce_wps = wps["dialoog"], wps["deduce"]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    words = sum(len(t.split()) for t in all_texts)
    built = ", cache build" if args.fresh_cache else ""
    print(f"\nload (import, dialoog's lookup cache, gazetteer{built}): {load_s:.2f} s")
    print(f"throughput after loading ({words} words x {args.repeat}, CPU time, best of 4 alternating rounds):")
    print(f"  dialoog {ours_wps:,.0f} words/s ({ours_wps / deduce_wps:.2f} x deduce)")
    print(f"  deduce alone (full pipeline) on the same texts: {deduce_wps:,.0f} words/s")
    print(f"peak memory (max RSS): {rss:,.0f} MB")
    print(GOALS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
