"""The study and its inventories, read once per process while their files do not change.

A kernel that renders many reports (`dialoog.report.engine` keeps kernels alive) would otherwise read the
whole study again for every gemeente, and every chapter that needs the inventory would read it again:
with hundreds of municipalities in one study that made each report slower than the one before.
"""

from __future__ import annotations

from pathlib import Path

from dialoog.inventory import registers as inv_mod
from dialoog.inventory.model import Inventory
from dialoog.study.folder import Study, open_study
from dialoog.study.gemeenten import Gemeente

#: what a `Study` reads, and what the inventory reads besides
STUDY_PARTS = ("interviews", "codebook", "codings", "consensus")
INVENTORY_PARTS = ("inventaris",)

_STUDY: dict[str, tuple[tuple, Study]] = {}
_INVENTORY: dict[tuple[str, str], tuple[tuple, Inventory]] = {}


def fingerprint(root: Path, parts: tuple[str, ...] = STUDY_PARTS) -> tuple:
    """Names, sizes and modification times of every file under `parts` (cheap to compute)."""
    files = [root / "dialoog.yaml"]
    for sub in parts:
        files.extend(sorted((root / sub).rglob("*")))
    return tuple((str(p), st.st_size, st.st_mtime_ns) for p in files if p.is_file() and (st := p.stat()))


def study(root: Path | str) -> Study:
    """The validated study at `root`, opened again only when one of its files changed."""
    root = Path(root).resolve()
    fp = fingerprint(root)
    cached = _STUDY.get(str(root))
    if cached is None or cached[0] != fp:
        cached = (fp, open_study(root))
        _STUDY.clear()
        _INVENTORY.clear()
        _STUDY[str(root)] = cached
    return cached[1]


def inventory(root: Path | str, gemeente: Gemeente) -> Inventory:
    """The inventory of `gemeente` (validated against the study), read again only when its files changed."""
    st = study(root)
    key = (str(st.root.resolve()), gemeente.slug)
    fp = fingerprint(st.root, INVENTORY_PARTS)
    cached = _INVENTORY.get(key)
    if cached is None or cached[0] != fp:
        cached = (fp, inv_mod.load(st, gemeente))
        _INVENTORY[key] = cached
    return cached[1]
