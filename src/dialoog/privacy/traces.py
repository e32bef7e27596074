"""Traces of a transcript in files: which files still hold one of its sentences.

A sentence is compared in a normalised form (lower case, letters and digits only), so it is found in
CSV, YAML, HTML, JSON (notebooks), Word and REFI-QDA archives (zip members) and PDFs (text layer, pypdf)
whatever the quoting, escaping, markup or line breaks. Hostile files are handled: no symlink is followed,
only regular files are read, and a file or archive too large to check is reported as unchecked.
"""

from __future__ import annotations

import html
import json
import os
import re
import stat
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MIN_CHARS = 24  # a sentence shorter than this (normalised) is too common to count as a trace
MAX_BYTES = 64 * 2**20  # the most read of one file or one archive member
MAX_ARCHIVE = 256 * 2**20  # the most unpacked from one archive
SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", ".ipynb_checkpoints", ".venv", "node_modules", ".pytest_cache"}
ARCHIVES = {".docx", ".odt", ".qdpx", ".zip", ".xlsx", ".pptx", ".ods"}

_SPLIT = re.compile(r"(?<=[.!?…])\s+|\n+")
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")
_TAG = re.compile(r"<[^>]{0,2000}>")
_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    return _NOT_WORD.sub("", text.lower())


def sentences(text: str, others: Iterable[str] = ()) -> set[str]:
    """The normalised sentences of `text` long enough to be a trace, without those that also occur in the
    normalised `others` (the study's other transcripts: a shared sentence is not this transcript's)."""
    found = {normalise(s) for s in _SPLIT.split(text)}
    found = {s for s in found if len(s) >= MIN_CHARS}
    for other in others:
        found = {s for s in found if s not in other}
    return found


@dataclass
class Trace:
    path: Path
    reason: str  # "holds text of the transcript" or why it could not be checked


def _visible(raw: str) -> str:
    raw = _DATA_URI.sub(" ", raw)
    return normalise(html.unescape(_TAG.sub(" ", raw)))


def _json_strings(data: object) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for v in data.values():
            yield from _json_strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _json_strings(v)


def _decode(name: str, data: bytes) -> str | None:
    """The normalised text of a file's bytes; None for binary data that holds no readable text."""
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        return _pdf_text(data)
    if b"\0" in data[:8192]:
        return None
    text = data.decode("utf-8", errors="replace")
    if suffix in {".ipynb", ".json"}:
        try:
            return _visible(" ".join(_json_strings(json.loads(text))))
        except ValueError:
            pass
    return _visible(text)


def _pdf_text(data: bytes) -> str | None:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        return normalise(" ".join(page.extract_text() or "" for page in reader.pages))
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        return None


def _archive_texts(path: Path) -> Iterator[str]:
    total = 0
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            total += info.file_size
            if info.file_size > MAX_BYTES or total > MAX_ARCHIVE:
                raise OverflowError
            with zf.open(info) as fh:
                data = fh.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise OverflowError
            text = _decode(info.filename, data)
            if text:
                yield text


def check_file(path: Path, wanted: set[str], ids: Iterable[str] = ()) -> Trace | None:
    """A Trace when `path` holds one of the `wanted` sentences (or, inside an archive, a source named after
    one of `ids`); also when it cannot be checked. None when it is clean."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            return None
        if st.st_size > MAX_BYTES:
            return Trace(path, f"too large to check ({st.st_size // 2**20} MB); check or delete it by hand")
        if path.suffix.lower() in ARCHIVES and zipfile.is_zipfile(path):
            names = ids and [n for n in zipfile.ZipFile(path).namelist()]
            if names and any(Path(n).stem in set(ids) for n in names):
                return Trace(path, "holds the transcript")
            texts: Iterable[str] = _archive_texts(path)
        else:
            with open(path, "rb") as fh:
                text = _decode(path.name, fh.read(MAX_BYTES))
            texts = [text] if text else []
        for text in texts:
            if any(s in text for s in wanted):
                return Trace(path, "holds text of the transcript")
    except OverflowError:
        return Trace(path, "an archive too large to check; check or delete it by hand")
    except (OSError, zipfile.BadZipFile, RuntimeError, EOFError):
        return Trace(path, "could not be read to check it; check or delete it by hand")
    return None


def files_of(root: Path, skip: Iterable[Path] = ()) -> Iterator[Path]:
    """Every regular file under `root` (no symlinks followed, version-control and cache folders left out)."""
    skipped = {Path(p).resolve() for p in skip}
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(names):
            p = Path(folder) / name
            if p.resolve() in skipped or name.endswith(".lock"):
                continue
            yield p
