"""Incremental renders: a manifest of the hashes of every input of a report."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dialoog import __version__
from dialoog.fileio import atomic_write_bytes
from dialoog.privacy.withdrawal import STALE_NOTE
from dialoog.report.formats import MANIFEST, PACKAGE, STUDY_INPUTS
from dialoog.report.kernel import JobResult

log = logging.getLogger(__name__)

# -- incremental renders: a manifest of input hashes ------------------------------------------------


def _hash_files(h, root: Path, paths: Iterable[Path]) -> None:
    for p in sorted(paths):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(root)).encode() + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())


def _expand(root: Path, pattern: str) -> list[Path]:
    out: list[Path] = []
    for p in root.glob(pattern):
        out.extend(p.rglob("*") if p.is_dir() else [p])
    return out


_ID_RE = re.compile(r"^id:\s*['\"]?([^'\"\n]+?)['\"]?\s*$", re.M)


@dataclass
class _CodingsIndex:
    rows_by_transcript: dict[str, list[bytes]]


def _codings_index(root: Path) -> _CodingsIndex:
    import csv

    rows: dict[str, list[bytes]] = {}
    for path in sorted((root / "codings").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                if row and row[0] != "transcript":
                    rows.setdefault(row[0], []).append(path.name.encode() + b"\0" + "\x1f".join(row).encode())
    return _CodingsIndex(rows)


_package_digest: dict[str, str] = {}


def package_digest() -> str:
    """dialoog's version and its code, templates and data: a new dialoog renders again."""
    if "d" not in _package_digest:
        h = hashlib.sha256(__version__.encode())
        _hash_files(h, PACKAGE, [p for p in PACKAGE.rglob("*") if p.suffix != ".pyc"])
        _package_digest["d"] = h.hexdigest()
    return _package_digest["d"]


def input_digests(
    root: Path, slug: str, notebook: Path, parameters: dict, formats: Iterable[str], codings: _CodingsIndex
) -> dict[str, str]:
    """One hash per kind of input of gemeente `slug` (so the manifest shows what changed)."""
    out: dict[str, str] = {}
    h = hashlib.sha256()
    folder = root / "interviews" / slug
    paths = sorted(folder.glob("*.md"))
    _hash_files(h, root, paths)
    out["transcripts"] = h.hexdigest()
    ids = []
    for p in paths:
        m = _ID_RE.search(p.read_text(encoding="utf-8", errors="replace")[:2000])
        ids.append(m.group(1) if m else p.stem)
    h = hashlib.sha256()
    for tid in sorted(ids):
        for row in sorted(codings.rows_by_transcript.get(tid, [])):
            h.update(row + b"\n")
    out["codings"] = h.hexdigest()
    for pattern in STUDY_INPUTS:
        h = hashlib.sha256()
        _hash_files(h, root, _expand(root, pattern.format(slug=slug)))
        out[pattern.format(slug="<gemeente>")] = h.hexdigest()
    out["notebook"] = hashlib.sha256(notebook.read_bytes()).hexdigest()
    out["parameters"] = hashlib.sha256(json.dumps(parameters, sort_keys=True).encode()).hexdigest()
    out["formats"] = ",".join(sorted(formats))
    out["dialoog"] = package_digest()
    return out


def read_manifest(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def up_to_date(out_dir: Path, inputs: dict[str, str]) -> bool:
    manifest = read_manifest(out_dir)
    if manifest.get("inputs") != inputs:
        return False
    return all((out_dir / name).is_file() for name in manifest.get("outputs", {}))


def write_result(out_dir: Path, result: JobResult, inputs: dict[str, str], report: str) -> None:
    """Write a successful result atomically, the manifest last; remove an old failed notebook and a
    stale note left by `dialoog withdraw` (the new report no longer holds the withdrawn data)."""
    for name, content in result.files.items():
        atomic_write_bytes(out_dir / name, content)
    manifest = {
        "dialoog": __version__,
        "inputs": inputs,
        "outputs": {name: hashlib.sha256(content).hexdigest() for name, content in sorted(result.files.items())},
        "seconds": round(result.seconds, 2),
    }
    atomic_write_bytes(out_dir / MANIFEST, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())
    for leftover in (out_dir / f"{report}.failed.ipynb", out_dir / STALE_NOTE):
        if leftover.exists():
            leftover.unlink()
