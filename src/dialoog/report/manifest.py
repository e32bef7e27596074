"""Incremental renders: a manifest of the hashes of every input of a report."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dialoog import __version__
from dialoog.fileio import atomic_write_bytes, disk_errors, locked, scratch_dir, swap_in, sweep
from dialoog.privacy.withdrawal import STALE_NOTE
from dialoog.report.formats import FORMATS, MANIFEST, PACKAGE, STUDY_INPUTS
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


def _carried_over(out_dir: Path, report: str) -> list[Path]:
    """Files in the old output folder that are not outputs of dialoog (the user's own), kept in the new set."""
    ours = {v.format(report=report) for v in FORMATS.values()}
    ours |= {MANIFEST, STALE_NOTE, f"{report}.ipynb", f"{report}.failed.ipynb"}
    if not out_dir.is_dir():
        return []
    return [p for p in out_dir.iterdir() if p.is_file() and p.name not in ours and not p.name.startswith(".")]


def write_result(out_dir: Path, result: JobResult, inputs: dict[str, str], report: str) -> None:
    """Write a gemeente's whole output set (the files, the manifest) into a scratch folder and swap it in as
    one step: a kill or a full disk leaves the previous set untouched, never a mix of old and new. An old
    failed notebook and a stale note left by `dialoog withdraw` do not come along (the new report no longer
    holds the withdrawn data); files of the user's own in the folder do."""
    manifest = {
        "dialoog": __version__,
        "inputs": inputs,
        "outputs": {name: hashlib.sha256(content).hexdigest() for name, content in sorted(result.files.items())},
        "seconds": round(result.seconds, 2),
    }
    files = {**result.files, MANIFEST: (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode()}
    with locked([out_dir]), disk_errors(out_dir):
        sweep(out_dir.parent, out_dir.name)
        with scratch_dir(out_dir.parent, out_dir.name) as scratch:
            for own in _carried_over(out_dir, report):
                shutil.copy2(own, scratch / own.name)
            for name, content in files.items():
                with open(scratch / name, "wb") as fh:
                    fh.write(content)
                    fh.flush()
                    os.fsync(fh.fileno())
            swap_in(scratch, out_dir)


def write_failed(out_dir: Path, report: str, notebook: bytes) -> Path:
    """Save a failed (already scrubbed) notebook beside the previous report, under the folder's lock."""
    path = out_dir / f"{report}.failed.ipynb"
    with locked([out_dir]):
        sweep(out_dir.parent, out_dir.name)
        atomic_write_bytes(path, notebook)
    return path


def sweep_outputs(out_root: Path, slugs: Iterable[str]) -> None:
    """Remove what an interrupted run left in ``<out_root>/<slug>`` (scratch folders, temporary files)."""
    for slug in slugs:
        out_dir = Path(out_root) / slug
        if not Path(out_root).is_dir():
            return
        with locked([out_dir]):
            for path in sweep(out_root, slug):
                log.info("removed %s, left by an interrupted run", path.name)
