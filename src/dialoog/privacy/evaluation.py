"""Scoring detection against annotated transcripts (for tests and benchmarks)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path


def expected_spans(text: str, entities: dict[str, list[str]]) -> list[tuple[int, int, str]]:
    """Every occurrence (whole words, case-sensitive, longest strings first) of each annotated string."""
    items = sorted(((s, label) for label, strings in entities.items() for s in strings), key=lambda x: -len(x[0]))
    taken: list[tuple[int, int, str]] = []
    for string, label in items:
        for m in re.finditer(rf"(?<![\w@]){re.escape(string)}(?![\w@])", text):
            if not any(a < m.end() and m.start() < b for a, b, _ in taken):
                taken.append((m.start(), m.end(), label))
    return sorted(taken)


def score(found: list, expected: list[tuple[int, int, str]], keep: list[tuple[int, int]]) -> dict[str, Counter]:
    """Counts per label: `tp` (expected spans fully covered by found spans), `fn`, `fp` (found spans that
    overlap no expected span), `found`; and for `keep` spans, `kept` and `lost`."""
    stats: dict[str, Counter] = {}
    for s, e, label in expected:
        covered = sum(max(0, min(e, f.end) - max(s, f.start)) for f in found) >= e - s
        stats.setdefault(label, Counter())["tp" if covered else "fn"] += 1
    for f in found:
        c = stats.setdefault(f.label, Counter())
        c["found"] += 1
        if not any(f.start < e and s < f.end for s, e, _ in expected):
            c["fp"] += 1
    k = stats.setdefault("(behouden)", Counter())
    for s, e in keep:
        k["kept" if not any(f.start < e and s < f.end for f in found) else "lost"] += 1
    return stats


def annotated_set(folder: Path) -> Iterator[tuple[str, str, list[tuple[int, int, str]], list[tuple[int, int]]]]:
    """(file name, text, expected spans, spans to keep) of each transcript of an annotated set: a folder with
    ``expected.yaml`` (per file: ``entities`` by label, ``keep`` strings) and the texts in ``raw/``. A keep
    occurrence inside an expected span is not counted as one to keep."""
    import yaml

    expected = yaml.safe_load((Path(folder) / "expected.yaml").read_text(encoding="utf-8"))["transcripts"]
    for name, info in expected.items():
        text = (Path(folder) / "raw" / name).read_text(encoding="utf-8")
        ent = expected_spans(text, info["entities"])
        keep = [
            (s, e)
            for s, e, _ in expected_spans(text, {"k": info["keep"]})
            if not any(a <= s and e <= b for a, b, _ in ent)
        ]
        yield name, text, ent, keep
