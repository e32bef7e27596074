"""Codings: one CSV file per coder, ``codings/<coder>.csv``, one coded segment per row.

Columns: ``transcript,start,end,text,code,coder,memo,timestamp``. `start`/`end` are character
offsets into the transcript body (see `dialoog.study.transcripts`); `text` is a copy of the coded text,
so an edited transcript is detected. Rows are written sorted, so the files diff well in git.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass
from pathlib import Path

from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text, locked
from dialoog.study.codebook import Codebook
from dialoog.study.schemas.rows import CODER_RE, CODING_COLUMNS, CodingRow
from dialoog.study.transcripts import Transcript
from dialoog.study.yamlload import raise_problems, read_rows

COLUMNS = CODING_COLUMNS
__all__ = ["CODER_RE", "COLUMNS", "Coding", "read", "validate", "write"]


@dataclass(frozen=True)
class Coding:
    transcript: str
    start: int
    end: int
    text: str
    code: str
    coder: str
    memo: str = ""
    timestamp: str = ""
    line: int | None = None  # line in the codings file it was read from (not written)

    def sort_key(self) -> tuple:
        return (self.transcript, self.start, self.end, self.code)

    def row(self) -> list[str]:
        return [
            self.transcript,
            str(self.start),
            str(self.end),
            self.text,
            self.code,
            self.coder,
            self.memo,
            self.timestamp,
        ]


def now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def make(transcript: Transcript, start: int, end: int, code: str, coder: str, memo: str = "") -> Coding:
    """A new coding of body[start:end], with the copy of its text and a timestamp."""
    if not (0 <= start < end <= len(transcript.body)):
        raise DialoogError(f"offsets {start}-{end} are outside the transcript", path=transcript.path)
    return Coding(transcript.id, start, end, transcript.body[start:end], code, coder, memo, now())


def read_checked(path: Path) -> tuple[list[Coding], list[DialoogError]]:
    """The well-formed rows of one coder's file (schema: `CodingRow`) and the problems of the others,
    which name the file, line and column, never a value."""
    rows, problems = read_rows(path, COLUMNS, CodingRow)
    return [Coding(**row.model_dump(), line=line) for line, row in rows], problems


def read(path: Path) -> list[Coding]:
    """Read one coder's file; any problem raises (see `read_checked`)."""
    codings, problems = read_checked(path)
    raise_problems(problems)
    return codings


def write(path: Path, codings: Iterable[Coding]) -> None:
    """Write one coder's file atomically, rows sorted."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in sorted(codings, key=Coding.sort_key):
        writer.writerow(c.row())
    atomic_write_text(Path(path), buf.getvalue())


def validate(
    codings: Iterable[Coding],
    path: Path,
    transcripts: Mapping[str, Transcript],
    codebook: Codebook,
    unreadable: Set[str] = frozenset(),
) -> list[DialoogError]:
    """Problems of the codings read from `path`, by row (line) and column.

    Messages never quote a cell: with a shifted column any cell can hold transcript text. Only a
    transcript id that exists in the study is named. Codings of the `unreadable` transcripts (files with
    problems of their own) are reported once per transcript.
    """
    problems: list[DialoogError] = []
    coder = Path(path).stem
    waiting: dict[str, list[int | None]] = {}
    for c in codings:
        if c.transcript in unreadable:
            waiting.setdefault(c.transcript, []).append(c.line)
            continue

        def bad(message: str, key: str, hint: str | None = None, c: Coding = c) -> None:
            problems.append(DialoogError(message, path=path, line=c.line, key=key, hint=hint))

        if c.coder != coder:
            bad(
                f"the coder in column 'coder' is not '{coder}', whose file this is",
                "coder",
                hint="each coder has their own file (codings/<coder>.csv); move the row, or correct a shifted column",
            )
        if c.code not in codebook:
            bad(
                "column 'code' does not hold a code of the codebook",
                "code",
                hint="add the code to codebook/codebook.yaml or correct the id (or a shifted column) in this row",
            )
        transcript = transcripts.get(c.transcript)
        if transcript is None:
            bad(
                "column 'transcript' does not hold the id of a transcript of the study",
                "transcript",
                hint="the id must be that of a file in interviews/<gemeente>/; check for a shifted column",
            )
            continue
        if not (0 <= c.start < c.end <= len(transcript.body)):
            bad(
                f"offsets {c.start}-{c.end} are out of range for transcript '{c.transcript}' "
                f"(body has {len(transcript.body)} characters)",
                "start/end",
            )
            continue
        if transcript.body[c.start : c.end] != c.text:
            bad(
                f"the coded text no longer matches transcript '{c.transcript}' at {c.start}-{c.end}",
                "text",
                hint="the transcript was edited after coding; recode this segment or restore the transcript",
            )
    for tid, lines in waiting.items():
        problems.append(
            DialoogError(
                f"{len(lines)} coding(s) of transcript '{tid}' cannot be checked while the transcript has problems",
                path=path,
                line=lines[0],
                key="transcript",
                hint="fix the problems of the transcript listed above; its codings are left out until then",
            )
        )
    return problems


def coder_name(name: str) -> str:
    """Check a coder name usable as a file name; returns it lower-cased."""
    slug = name.strip().lower()
    if not CODER_RE.match(slug):
        raise DialoogError(
            f"invalid coder name '{name}'", key="coder", hint="use letters, digits, '-' or '_', e.g. 'anouk'"
        )
    return slug


def read_codings(path: Path) -> list[Coding]:
    """A coder's codings (empty when the file does not exist yet), without their line numbers."""
    if not Path(path).is_file():
        return []
    return [dataclasses.replace(c, line=None) for c in read(path)]


def update_codings(path: Path, change: Callable[[list[Coding]], list[Coding]]) -> list[Coding]:
    """Re-read `path` under its lock, apply `change` to its rows and write the result atomically.

    Rows of a withdrawn transcript (see `dialoog.study.ledger`) are never written back."""
    from dialoog.study.ledger import withdrawn_ids

    with locked([path]):
        current = read_codings(path)
        gone = withdrawn_ids(Path(path).resolve().parent.parent)
        new = [c for c in change(list(current)) if c.transcript not in gone]
        if new != current:
            write(path, new)
        return new
