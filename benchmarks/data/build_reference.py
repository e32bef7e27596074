"""Build dialoog's reference corpus for the coding assistant from the repository's fictional coded studies.

Run: .venv/bin/python benchmarks/data/build_reference.py [--check]

Sources: the demo study (the repository root: interviews/ and codings/) and every evaluation set's study
(benchmarks/data/eval*/study, built by benchmarks/data/build.py) whose gold codings are committed to git (a
set not committed, such as a new blind set, never enters the reference). The result,
src/dialoog/data/suggest_reference.json, holds per coded transcript its set, id, body and codings (text, not
a model); `dialoog suggest` learns from it (see dialoog.assist.reference). Rebuild it after the demo's codings
or an evaluation set change; tests/test_suggest_reference.py checks that it is up to date. With --check,
only say whether it is.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from dialoog.assist.reference import DEMO, FILE, build_reference, set_order
from dialoog.fileio import atomic_write_text
from dialoog.study.folder import open_study

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TARGET = REPO / "src" / "dialoog" / "data" / FILE


def committed_sets() -> list[Path]:
    """The evaluation sets' study folders whose gold codings are committed to git: a set put into
    benchmarks/data but not committed (such as a new blind set being measured) never enters the reference."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--", "benchmarks/data"], cwd=REPO, check=True, capture_output=True, text=True
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SystemExit(f"{REPO}: cannot list the committed evaluation sets with git ({exc})") from exc
    names = {p.split("/")[2] for p in listed if p.startswith("benchmarks/data/eval") and "/study/codings/" in p}
    return [HERE / name / "study" for name in sorted(names, key=set_order) if (HERE / name / "study").is_dir()]


def sources() -> list[tuple[str, object]]:
    """(set name, study) of the demo study and of every committed evaluation set, in a fixed order."""
    sets = [(p.parent.name, p) for p in committed_sets()]
    return [(DEMO, open_study(REPO, strict=False)), *((name, open_study(p, strict=False)) for name, p in sets)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only check that the file is up to date")
    args = ap.parse_args()
    text = build_reference(sources())
    current = TARGET.read_text(encoding="utf-8") if TARGET.is_file() else ""
    if args.check:
        print(f"{TARGET.relative_to(REPO)} is {'up to date' if text == current else 'out of date'}")
        return 0 if text == current else 1
    atomic_write_text(TARGET, text)
    print(f"wrote {TARGET.relative_to(REPO)} ({len(text.encode('utf-8')) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
