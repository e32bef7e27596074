"""Benchmark: REFI-QDA export and import of the demo study, scaled up.

Run: .venv/bin/python benchmarks/refi_exchange.py [copies]
Copies the demo study `copies` times (default 10) into a temporary folder, exports it as a .qdpx
(validated against the schema), imports that into an empty study, and prints times and the peak
resident memory of the process.
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from dialoog.exchange import refi_export
from dialoog.ingest import refi as refi_import
from dialoog.study.folder import Study

REPO = Path(__file__).resolve().parents[1]


def main(copies: int = 10) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "study"
        shutil.copytree(REPO / "codebook", root / "codebook")
        (root / "codings").mkdir(parents=True)
        for coder_file in (REPO / "codings").glob("*.csv"):
            lines = coder_file.read_text(encoding="utf-8").splitlines(keepends=True)
            out = [lines[0]]
            for n in range(copies):
                for line in lines[1:]:
                    tid, rest = line.split(",", 1)
                    out.append(f"{tid}-x{n}," + rest if n else line)
            (root / "codings" / coder_file.name).write_text("".join(out), encoding="utf-8")
        for src in (REPO / "interviews").glob("*/*.md"):
            for n in range(copies):
                tid = src.stem if n == 0 else f"{src.stem}-x{n}"
                dest = root / "interviews" / src.parent.name / f"{tid}.md"
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(src.read_text(encoding="utf-8").replace(f"id: {src.stem}\n", f"id: {tid}\n", 1))
        out = Path(tmp) / "study.qdpx"
        t0 = time.perf_counter()
        summary = refi_export.export_qdpx(root, out)
        t1 = time.perf_counter()
        target = Path(tmp) / "empty"
        (target / "interviews").mkdir(parents=True)
        plan = refi_import.plan_project(Study(target), out, consent=True, pseudonymised=True)
        plan.write()
        t2 = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
        print(
            f"{summary.transcripts} transcripts, {summary.codings} codings, {out.stat().st_size / 1e6:.1f} MB qdpx: "
            f"export {t1 - t0:.2f} s, import {t2 - t1:.2f} s, peak RSS {peak / 1e6:.0f} MB, "
            f"problems {len(plan.problems)}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
