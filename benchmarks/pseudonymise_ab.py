"""Throughput of the personal-data detector at an earlier commit and now, measured alternately in one run.

Run on demand (not part of the tests):

    .venv/bin/python benchmarks/pseudonymise_ab.py --before bf1a099 [--rounds 8] [--passes 1]

The source of the `--before` commit (``git archive``) and this checkout's ``src`` are each loaded in a worker
process of their own (same interpreter, same texts: every raw text of ``tests/fixtures/privacy*``); the workers
take turns, `--passes` passes over the texts per turn, and each reports words per second of its own CPU time
(`find_personal_data` after loading). The best turn of each is printed, with the ratio. Taking turns on the same
machine in the same minutes is what makes the two figures comparable on a shared, noisy machine; compare the
outputs themselves with ``benchmarks/privacy_identity.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import json, sys, time
from pathlib import Path

from dialoog.privacy import detect as ps

det = ps.detector(ps.StudyLists())
det._allowed_re, det._hospital_re, det.gazetteer.pattern  # loading, not measured
texts = []
for folder in sorted((Path(sys.argv[1]) / "tests" / "fixtures").glob("privacy*")):
    texts += [p.read_text(encoding="utf-8") for p in sorted((folder / "raw").iterdir())]
words = sum(len(t.split()) for t in texts)
for text in texts:
    ps.find_personal_data(text)
print(json.dumps({"words": words, "src": ps.__file__}), flush=True)
for line in sys.stdin:
    started = time.process_time()
    for _ in range(int(line)):
        for text in texts:
            ps.find_personal_data(text)
    print(json.dumps(words * int(line) / (time.process_time() - started)), flush=True)
"""


def _export(commit: str, into: Path) -> Path:
    """The ``src`` folder of `commit`, unpacked into `into`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "src"], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _worker(src: Path) -> tuple[subprocess.Popen, dict]:
    env = dict(os.environ, PYTHONPATH=str(src))
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(ROOT)], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    return proc, json.loads(proc.stdout.readline())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True, help="the commit to compare with (e.g. bf1a099)")
    ap.add_argument("--rounds", type=int, default=8, help="turns per worker (default 8)")
    ap.add_argument("--passes", type=int, default=1, help="passes over the texts per turn (default 1)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="dialoog-ab-") as tmp:
        workers = {"before": _worker(_export(args.before, Path(tmp))), "now": _worker(ROOT / "src")}
        best = dict.fromkeys(workers, 0.0)
        for _ in range(args.rounds):
            for name, (proc, _) in workers.items():
                proc.stdin.write(f"{args.passes}\n")
                proc.stdin.flush()
                best[name] = max(best[name], json.loads(proc.stdout.readline()))
        for proc, _ in workers.values():
            proc.stdin.close()
            proc.wait()
    words = workers["now"][1]["words"]
    print(f"{words} words x {args.passes} per turn, best of {args.rounds} alternating turns (CPU time):")
    print(f"  {args.before}: {best['before']:,.0f} words/s")
    print(f"  now: {best['now']:,.0f} words/s ({best['now'] / best['before']:.2f} x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
