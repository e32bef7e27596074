"""benchmarks/data/build.py: an evaluation set's study built from its annotated interviews, for any set."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from dialoog.study.folder import Study

REPO = Path(__file__).resolve().parents[1]
EVAL2 = REPO / "benchmarks" / "data" / "eval2"


def _build_module():
    spec = importlib.util.spec_from_file_location("build_eval", REPO / "benchmarks" / "data" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", ["eval2", "eval3", "eval4"])
def test_building_a_copy_of_a_set_gives_the_committed_bytes(tmp_path: Path, name: str):
    committed = REPO / "benchmarks" / "data" / name
    folder = tmp_path / name
    shutil.copytree(committed / "annotated", folder / "annotated")
    _build_module().build(folder)
    assert _files(folder / "study") == _files(committed / "study")


def test_another_set_is_built_in_its_own_folder_and_named_by_it(tmp_path: Path):
    folder = tmp_path / "eval-extra"
    (folder / "annotated").mkdir(parents=True)
    source = sorted((EVAL2 / "annotated").glob("*.txt"))[0]
    shutil.copy(source, folder / "annotated" / source.name)
    _build_module().build(folder)
    study = Study(folder / "study")
    assert len(study.transcripts) == 1 and study.codings and not study.problems()
    header = (folder / "study" / "gold-inventory.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert "evaluation set eval-extra" in header


def test_an_unknown_code_is_refused_with_file_and_line(tmp_path: Path):
    folder = tmp_path / "eval9"
    (folder / "annotated").mkdir(parents=True)
    (folder / "annotated" / "x.txt").write_text(
        "%% gemeente=Zwolle wijk=Centrum respondent=R datum=2026-05-01\nI: Vraag?\nR: Een zin. [[XYZ]]\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit, match=r"x\.txt:3: unknown code abbreviation\(s\) XYZ"):
        _build_module().build(folder)
