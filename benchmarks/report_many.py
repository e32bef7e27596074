"""Benchmark: Perspectieven reports (HTML + PDF) for a synthetic, fictional study of many municipalities.

    .venv/bin/python benchmarks/report_many.py [--gemeenten 40] [--workers 2] [--naive-sample 5] [--keep DIR]

It builds a study of N municipalities (each a copy of one of the demo municipalities' fictional
transcripts and codings, renamed to another CBS municipality) and measures, in the same run:

- dialoog:  `render_many(--all, formats html,pdf)` with kernels kept alive per worker (amortised per report,
            start-up of workers and kernels included);
- naive:    per municipality the papermill CLI, then the nbconvert CLI (HTML, lab template), then the WeasyPrint
            CLI (on a sample of municipalities, because it is slow);
- floor:    the same analysis code (load, all chapters and figures) as one plain Python process, no kernel,
            no export;
- rerun:    `dialoog report --all` when nothing changed (wall time of the command).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO / "src"))

from dialoog.study.gemeenten import all_gemeenten  # noqa: E402


def make_study(root: Path, n: int) -> list[str]:
    """N fictional municipalities; returns their slugs."""
    demo = ["schiedam", "groningen", "sudwest-fryslan"]
    everyone = all_gemeenten()  # the demo municipalities last, so that --gemeenten 342 renders all of them
    names = ([g for g in everyone if g.slug not in demo] + [g for g in everyone if g.slug in demo])[:n]
    shutil.copytree(REPO / "codebook", root / "codebook")
    if (REPO / "rapport" / "contacten.yaml").exists():
        (root / "rapport").mkdir(parents=True)
        shutil.copy(REPO / "rapport" / "contacten.yaml", root / "rapport" / "contacten.yaml")
    by_coder: dict[str, list[str]] = {}
    for f in sorted((REPO / "codings").glob("*.csv")):
        by_coder[f.name] = f.read_text("utf-8").splitlines()
    out_rows: dict[str, list[str]] = {name: [] for name in by_coder}
    for i, g in enumerate(names):
        src = demo[i % 3]
        dest = root / "interviews" / g.slug
        dest.mkdir(parents=True)
        for t in sorted((REPO / "interviews" / src).glob("*.md")):
            new_id = t.stem.replace(src, g.slug)
            text = t.read_text("utf-8")
            text = re.sub(r"(?m)^id: .*$", f"id: {new_id}", text, count=1)
            quoted = json.dumps(g.name, ensure_ascii=False)  # "'s-Gravenhage" must be quoted in YAML
            text = re.sub(r"(?m)^gemeente: .*$", lambda _m, q=quoted: f"gemeente: {q}", text, count=1)
            text = re.sub(r"(?m)^wijk: .*$", "wijk: null", text, count=1)
            (dest / f"{new_id}.md").write_text(text, "utf-8")
        goals = REPO / "rapport" / src / "doelen-en-acties.yaml"
        if goals.exists():
            (root / "rapport" / g.slug).mkdir(parents=True, exist_ok=True)
            shutil.copy(goals, root / "rapport" / g.slug / goals.name)
        for name, lines in by_coder.items():
            out_rows[name].extend(
                line.replace(src + "-", g.slug + "-", 1) for line in lines[1:] if line.startswith(src + "-")
            )
    (root / "codings").mkdir()
    for name, lines in out_rows.items():
        (root / "codings" / name).write_text("\n".join([by_coder[name][0], *sorted(lines)]) + "\n", "utf-8")
    return [g.slug for g in names]


FLOOR = """
import sys, time
t0 = time.perf_counter()
from dialoog.report import perspectieven
study, slugs = sys.argv[1], sys.argv[2].split(",")
for slug in slugs:
    data = perspectieven.load(study, slug)
    parts = perspectieven.parts(data)
print(time.perf_counter() - t0)
"""


def run(cmd: list[str], **kw) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gemeenten", type=int, default=40)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--naive-sample", type=int, default=5, help="municipalities rendered the naive way")
    ap.add_argument("--keep", type=Path, help="build the study here and keep it")
    ap.add_argument("--no-floor", action="store_true", help="skip the floor (e.g. for all 342 municipalities)")
    args = ap.parse_args()

    root = args.keep or Path(tempfile.mkdtemp(prefix="dialoog-bench-"))
    if root.exists() and any(root.iterdir()):
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    slugs = make_study(root, args.gemeenten)
    n = len(slugs)
    print(f"synthetic study: {n} municipalities in {root}; {args.workers} workers; {os.cpu_count()} cores")

    # floor: the analysis as one plain Python process
    floor = float("nan")
    if not args.no_floor:
        t = time.perf_counter()
        subprocess.run(
            [str(BIN / "python"), "-c", FLOOR, str(root), ",".join(slugs)], check=True, capture_output=True, text=True
        )
        floor = (time.perf_counter() - t) / n
        print(f"floor  (plain Python, analysis + figures only): {floor:.2f} s per report")

    # dialoog: all municipalities, HTML + PDF
    from dialoog.report import engine as report

    t = time.perf_counter()
    result = report.render_many(None, study=root, formats=("html", "pdf"), force=True, workers=args.workers)
    ours = (time.perf_counter() - t) / n
    assert not result.failed, result.failed
    print(
        f"dialoog (kept kernels, in-process export, tagged HTML+PDF): {ours:.2f} s per report, {ours * n:.0f} s in all"
    )

    # no-change rerun through the command line
    rerun = run([str(BIN / "dialoog"), "report", "--all", "--formats", "html,pdf", "--study", str(root)])
    print(f"no-change rerun of --all: {rerun:.2f} s")

    # naive: papermill CLI, nbconvert CLI, WeasyPrint CLI, per municipality
    nb = report.find_notebook(root, "perspectieven")
    naive_times = []
    naive_dir = root / "naive"
    naive_dir.mkdir()
    for slug in slugs[: args.naive_sample]:
        t = time.perf_counter()
        executed = naive_dir / f"{slug}.ipynb"
        run([str(BIN / "papermill"), str(nb), str(executed), "-p", "gemeente", slug, "-p", "study", str(root)])
        run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
        run([str(BIN / "weasyprint"), str(executed.with_suffix(".html")), str(executed.with_suffix(".pdf"))])
        naive_times.append(time.perf_counter() - t)
    naive = statistics.median(naive_times)
    print(f"naive  (papermill, nbconvert, weasyprint CLIs): {naive:.2f} s per report (median of {len(naive_times)})")
    print()
    print("| measure | s per report |")
    print("| --- | --- |")
    print(f"| naive | {naive:.2f} |")
    print(f"| dialoog, {args.workers} workers | {ours:.2f} |")
    print(f"| floor | {floor:.2f} |")
    print(f"speed-up over naive: {naive / ours:.1f}x (goal >= 3x); ratio to floor: {ours / floor:.2f} (goal <= 1.5)")
    print(f"no-change rerun: {rerun:.2f} s (goal < 2 s)")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
