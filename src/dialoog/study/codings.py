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
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text, locked
from dialoog.study.codebook import Codebook
from dialoog.study.transcripts import Transcript

COLUMNS = ("transcript", "start", "end", "text", "code", "coder", "memo", "timestamp")
CODER_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")


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


def read(path: Path) -> list[Coding]:
    """Read one coder's file; format errors name the file and line."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return []
    if tuple(h.strip() for h in header) != COLUMNS:
        raise DialoogError("unexpected header", path=path, line=1, hint="the first row must be: " + ",".join(COLUMNS))
    out: list[Coding] = []
    start_line = reader.line_num + 1
    for row in reader:
        line = start_line
        start_line = reader.line_num + 1
        if not row:
            continue
        if len(row) != len(COLUMNS):
            raise DialoogError(
                f"expected {len(COLUMNS)} columns, found {len(row)}",
                path=path,
                line=line,
                hint="quote a text that contains a comma with double quotes",
            )
        values = dict(zip(COLUMNS, row, strict=True))
        try:
            start, end = int(values["start"]), int(values["end"])
        except ValueError:
            raise DialoogError("start and end must be whole numbers", path=path, line=line, key="start/end") from None
        ts = values["timestamp"]
        if ts:
            try:
                dt.datetime.fromisoformat(ts)
            except ValueError:
                raise DialoogError(
                    f"'{ts}' is not an ISO 8601 timestamp", path=path, line=line, key="timestamp"
                ) from None
        out.append(
            Coding(
                values["transcript"],
                start,
                end,
                values["text"],
                values["code"],
                values["coder"],
                values["memo"],
                ts,
                line,
            )
        )
    return out


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
) -> list[DialoogError]:
    """Problems of the codings read from `path`. Messages never quote transcript text."""
    problems: list[DialoogError] = []
    coder = Path(path).stem
    for c in codings:

        def bad(message: str, key: str, hint: str | None = None, c: Coding = c) -> None:
            problems.append(DialoogError(message, path=path, line=c.line, key=key, hint=hint))

        if c.coder != coder:
            bad(
                f"coder '{c.coder}' in the file of coder '{coder}'",
                "coder",
                hint=f"each coder has their own file; move the row to codings/{c.coder}.csv",
            )
        if c.code not in codebook:
            bad(f"unknown code '{c.code}'", "code", hint="add it to codebook/codebook.yaml or correct the id")
        transcript = transcripts.get(c.transcript)
        if transcript is None:
            bad(
                f"unknown transcript '{c.transcript}'",
                "transcript",
                hint="the id must be that of a file in interviews/<gemeente>/",
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
