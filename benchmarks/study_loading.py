"""What the one strict loader costs, and what it saves on hostile input.

Run: .venv/bin/python benchmarks/study_loading.py [--study DIR]

1. Every YAML and CSV file of the study (default: the demo study in this repository) read through the
   loader and validated against its schema, beside the plain baseline of the same run: `yaml.safe_load`
   and `csv.reader` without any checks.
2. An alias bomb (10 aliases per level) refused by the loader, beside the baseline of what the old
   loader did with it: PyYAML's SafeLoader builds it with shared references, then one walk over the data
   (as the old line shifting of transcript front matter did) visits every expanded value.
"""

from __future__ import annotations

import argparse
import csv
import io
import time
from pathlib import Path

import yaml

from dialoog.errors import DialoogError
from dialoog.study.schemas import KINDS
from dialoog.study.yamlload import load_file, load_yaml, read_rows, read_text, validate


def _files(study: Path) -> list[tuple[str, Path]]:
    out = []
    for kind in KINDS.values():
        for pattern in kind.files.split(", "):
            out.extend((kind.name, p) for p in sorted(study.glob(pattern)))
    return out


def _strict(kind: str, path: Path) -> None:
    spec = KINDS[kind]
    if spec.format == "csv":
        read_rows(path, spec.columns, spec.model, quote=kind == "monitor")
    elif spec.format == "front-matter":
        front = read_text(path).split("---\n")[1]
        validate(load_yaml(front, path, 1), spec.model, path, context={"path": path}, quote=False)
    else:
        try:  # cross-file checks need a context; the structure is what is timed here
            load_file(path, spec.model)
        except DialoogError:
            pass


def _plain(kind: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if KINDS[kind].format == "csv":
        list(csv.reader(io.StringIO(text, newline="")))
    elif KINDS[kind].format == "front-matter":
        yaml.safe_load(text.split("---\n")[1])
    else:
        yaml.safe_load(text)


def _best(func, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def _bomb(levels: int) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _walk(data) -> int:
    if isinstance(data, dict):
        return sum(_walk(v) for v in data.values())
    if isinstance(data, list):
        return sum(_walk(v) for v in data)
    return 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--study", type=Path, default=Path(__file__).resolve().parents[1])
    args = parser.parse_args()
    files = _files(args.study)
    size = sum(p.stat().st_size for _, p in files)
    strict = _best(lambda: [_strict(k, p) for k, p in files])
    plain = _best(lambda: [_plain(k, p) for k, p in files])
    print(f"{len(files)} study files, {size / 1000:.0f} kB")
    print(f"  loader + schemas: {strict * 1000:7.1f} ms")
    print(f"  plain parse     : {plain * 1000:7.1f} ms   (baseline; ratio {strict / plain:.1f}x)")
    print("alias bomb (values once expanded):")
    for levels in (4, 5, 6, 12):
        text = _bomb(levels)
        start = time.perf_counter()
        try:
            load_yaml(text, "bomb.yaml")
        except DialoogError:
            pass
        refused = time.perf_counter() - start
        if levels <= 6:
            start = time.perf_counter()
            leaves = _walk(yaml.safe_load(text))
            old = f"{(time.perf_counter() - start) * 1000:9.1f} ms ({leaves:,} values walked)"
        else:
            old = "not run (10**12 values)"
        print(f"  10**{levels:<2}: refused in {refused * 1000:6.2f} ms; baseline safe_load + walk {old}")


if __name__ == "__main__":
    main()
