"""The study's ledger of withdrawals and of where things were written.

- ``withdrawals.yaml`` (in the study, meant for git): one entry per withdrawn transcript with its id,
  gemeente and times, and the outputs that still held its data when it was withdrawn (path and SHA-256,
  stale until rendered again or deleted). Never any content.
- ``private/locations.yaml`` (git-ignored): where the pseudonymisation key is when it is not in the default
  place, and files written outside the study's own folders (disagreement files, REFI-QDA exports), so
  that `dialoog withdraw` finds them.

Codings are never written for a withdrawn transcript: `dialoog.study.codings.update_codings` drops them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import yaml

from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text, locked
from dialoog.study.yamlload import load_yaml

LOG = "withdrawals.yaml"
LOCATIONS = Path("private") / "locations.yaml"
_HEADER = (
    "# Withdrawn interviews: ids and times only, written by 'dialoog withdraw'. 'stale' lists outputs that still\n"
    "# held the interview's data when it was withdrawn; 'dialoog validate' reports those not yet rendered again\n"
    "# or deleted.\n"
)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def read_log(root: Path) -> list[dict]:
    """The withdrawals of the study at `root` (empty when there is no log)."""
    path = Path(root) / LOG
    if not path.is_file():
        return []
    data = load_yaml(path.read_text(encoding="utf-8"), path) or {}
    entries = data.get("withdrawn", []) if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("id"), str) for e in entries):
        raise DialoogError(
            "expected a list 'withdrawn' of entries with an 'id'",
            path=path,
            key="withdrawn",
            hint="restore the file from git; 'dialoog withdraw' writes it",
        )
    return json.loads(json.dumps(entries))  # plain dicts and lists (the loader's carry line numbers)


def withdrawn_ids(root: Path) -> set[str]:
    return {e["id"] for e in read_log(root)}


def update_log(root: Path, change: Callable[[list[dict]], list[dict]]) -> list[dict]:
    """Re-read the log under its lock, apply `change`, write it atomically."""
    path = Path(root) / LOG
    with locked([path]):
        entries = change(read_log(root))
        atomic_write_text(path, _HEADER + yaml.safe_dump({"withdrawn": entries}, sort_keys=False, allow_unicode=True))
        return entries


def read_locations(root: Path) -> dict:
    path = Path(root) / LOCATIONS
    if not path.is_file():
        return {}
    data = load_yaml(path.read_text(encoding="utf-8"), path) or {}
    if not isinstance(data, dict):
        raise DialoogError("expected a mapping with 'key' and 'outputs'", path=path, hint="delete the file")
    return json.loads(json.dumps(data))


def _update_locations(root: Path, change: Callable[[dict], None]) -> None:
    path = Path(root) / LOCATIONS
    with locked([path]):
        data = read_locations(root)
        change(data)
        atomic_write_text(path, yaml.safe_dump(data, sort_keys=True, allow_unicode=True))


def _stored(root: Path, path: Path) -> str:
    path = Path(path).resolve()
    return str(path.relative_to(Path(root).resolve())) if path.is_relative_to(Path(root).resolve()) else str(path)


def record_key(root: Path, key: Path) -> None:
    """Remember where the study's key is (relative to the study when inside it)."""
    value = _stored(root, key)
    if read_locations(root).get("key") != value:
        _update_locations(root, lambda d: d.__setitem__("key", value))


def recorded_key(root: Path) -> Path | None:
    value = read_locations(root).get("key")
    return (Path(root) / value).resolve() if value else None


def record_output(root: Path, path: Path) -> None:
    """Remember a file written from the study's data (a disagreement file, an export), wherever it is."""
    value = _stored(root, path)

    def add(d: dict) -> None:
        d["outputs"] = sorted({*d.get("outputs", []), value})

    if value not in read_locations(root).get("outputs", []):
        _update_locations(root, add)


def recorded_outputs(root: Path) -> list[Path]:
    return [(Path(root) / p).resolve() for p in read_locations(root).get("outputs", []) or []]
