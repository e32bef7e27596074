"""Shared helpers of the fault suite: real subprocesses, a study with every kind of derived file, and an
independent check of which files hold a transcript's sentences."""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from tests.conftest import REPO

SRC = REPO / "src"

#: a fast report notebook that quotes every turn of the gemeente's transcripts (as a real report quotes)
QUOTING = """\
# %% tags=["parameters"]
gemeente = "Schiedam"
study = "."
output = "."

# %%
from pathlib import Path

from IPython.display import Markdown, display

from dialoog.study.folder import Study

st = Study(Path(study))
slug = st.gemeente(gemeente).slug
quotes = [turn.text for t in st.transcripts.values() if t.path.parent.name == slug for turn in t.turns]
display(Markdown(f"# Rapport {gemeente}\\n\\n" + "\\n\\n".join(f"> {q}" for q in quotes)))
"""


def env(**extra: str) -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = f"{SRC}{os.pathsep}{REPO}{os.pathsep}{e.get('PYTHONPATH', '')}"
    e.update(extra)
    return e


def run_py(code: str, *args: str, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    """Run `code` in a fresh Python process with this checkout's dialoog."""
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env(), capture_output=True, text=True, timeout=timeout, **kw
    )


def dialoog(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dialoog", *args], env=env(), capture_output=True, text=True, timeout=timeout
    )


def copy_demo(dest: Path) -> Path:
    for name in ("interviews", "codebook", "codings", "inventaris", "monitor", "rapport", "suggestions"):
        shutil.copytree(REPO / name, dest / name)
    return dest


def quoting_notebook(study: Path) -> None:
    import jupytext

    (study / "notebooks").mkdir(exist_ok=True)
    nb = jupytext.reads(QUOTING, fmt="py:percent")
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, study / "notebooks" / "perspectieven.ipynb")


@pytest.fixture
def demo_study(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "study")


# -- an independent oracle: does a file hold a sentence of a transcript? ------------------------------


def norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def transcript_sentences(study: Path, tid: str, min_chars: int = 40) -> set[str]:
    """Sentences of `tid`'s turns (normalised, at least `min_chars` long) that no other transcript has."""
    from dialoog.study import transcripts

    path = next(study.glob(f"interviews/*/{tid}.md"))
    t = transcripts.load(path)
    others = [norm(p.read_text(encoding="utf-8")) for p in study.glob("interviews/*/*.md") if p != path]
    found = set()
    for turn in t.turns:
        for s in re.split(r"(?<=[.!?])\s+", turn.text):
            n = norm(s)
            if len(n) >= min_chars and not any(n in o for o in others):
                found.add(n)
    return found


def _texts(name: str, data: bytes) -> list[str]:
    if name.lower().endswith(".pdf"):
        from pypdf import PdfReader

        return [" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)]
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return [t for n in zf.namelist() for t in _texts(n, zf.read(n))]
    text = data.decode("utf-8", errors="replace")
    out = [html.unescape(re.sub(r"<[^>]*>", " ", text))]
    try:
        out.append(json.dumps(json.loads(text), ensure_ascii=False).replace("\\n", " "))
    except ValueError:
        pass
    return out


def files_holding(root: Path, sentences: set[str]) -> set[Path]:
    """Every regular file under `root` (outside .git) holding one of `sentences`."""
    hits = set()
    for p in root.rglob("*"):
        if ".git" in p.parts or p.is_symlink() or not p.is_file():
            continue
        texts = [norm(t) for t in _texts(p.name, p.read_bytes())]
        if any(s in t for t in texts for s in sentences):
            hits.add(p)
    return hits
