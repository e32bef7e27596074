"""Stored suggestions: the `Suggestion` record and the files it is kept in.

- ``suggestions/<transcript>.csv``: columns
  ``transcript,start,end,text,code,score,source,reason,turn,rank,learned_from``, one row per
  (fragment, code), sorted by offset; `start`/`end` are character offsets into the transcript body, exactly
  like codings, and `text` is a copy of the fragment (an edited transcript is detected).
  Files written before the ranking (the first eight columns only) are still read.
- ``suggestions/rejected/<coder>.csv``: columns ``transcript,start,end,code,coder,timestamp``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dialoog.fileio import atomic_write_text
from dialoog.study import codings as codings_mod
from dialoog.study.folder import Study, open_study
from dialoog.study.schemas.rows import (  # noqa: F401 - the column constants are part of this API
    OLD_SUGGESTION_COLUMNS,
    REJECTED_COLUMNS,
    SOURCES,
    SUGGESTION_COLUMNS,
    RejectedRow,
    SuggestionRow,
)
from dialoog.study.yamlload import raise_problems, read_rows

OLD_COLUMNS = OLD_SUGGESTION_COLUMNS
#: keywords: the codebook's keywords alone (files of earlier versions); codebook: the codebook (definitions,
#: use-when, examples and keywords) without a learned model; model: a model learned from the codings,
#: mixed with the codebook's signal by how many codings it learned from.
DIRNAME = "suggestions"


@dataclass(frozen=True)
class Suggestion:
    """A suggested code for a fragment (a turn, or a run of sentences within it) of a transcript."""

    transcript: str
    start: int  #: character offset into the transcript body (as in codings)
    end: int
    text: str  #: copy of body[start:end]: the fragment the suggestion applies to
    code: str
    score: float  #: calibrated probability (0..1) that a coder gives this code to the turn
    source: str  #: 'codebook' or 'model' (or 'keywords' in older files)
    reason: str  #: the phrases of the fragment that carried the decision (never function words)
    turn: int = -1  #: index of the turn (`Transcript.turns`); -1 when unknown (older files)
    rank: int = 0  #: 1 for the turn's most probable code, 2 for the next, ...; 0 when unknown
    learned_from: int = 0  #: how many codings of this code the model learned from (0: codebook only)
    #: whether the code reaches its threshold for the turn (`SuggestionModel.chosen`); not stored in the file
    suggested: bool = field(default=False, compare=False)

    @property
    def probability(self) -> float:
        return self.score

    @property
    def fragment(self) -> tuple[int, int, str]:
        """(start, end, text) of the fragment the suggestion applies to."""
        return self.start, self.end, self.text

    def key(self) -> tuple[str, int, int, str]:
        return (self.transcript, self.start, self.end, self.code)

    def sort_key(self) -> tuple:
        return (self.transcript, self.start, self.end, -self.score, self.code, self.source)

    def row(self) -> list[str]:
        return [
            self.transcript,
            str(self.start),
            str(self.end),
            self.text,
            self.code,
            f"{self.score:.3f}",
            self.source,
            self.reason,
            str(self.turn),
            str(self.rank),
            str(self.learned_from),
        ]


def _study(study: Study | Path | str) -> Study:
    return study if isinstance(study, Study) else open_study(study, strict=False)


def suggestions_dir(study: Study | Path | str) -> Path:
    return _study(study).root / DIRNAME


def suggestions_path(study: Study | Path | str, transcript_id: str) -> Path:
    return suggestions_dir(study) / f"{transcript_id}.csv"


def rejected_path(study: Study | Path | str, coder: str) -> Path:
    return suggestions_dir(study) / "rejected" / f"{codings_mod.coder_name(coder)}.csv"


# -- files -------------------------------------------------------------------------------------


def _row_key(row: list[str]) -> tuple:
    return (row[0], int(row[1]), int(row[2]), *row[3:])


def _write_csv(path: Path, header: Iterable[str], rows: Iterable[list[str]]) -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    atomic_write_text(path, buf.getvalue())


def read_suggestions(path: Path) -> list[Suggestion]:
    """One transcript's suggestions (schema: `dialoog.study.schemas.rows.SuggestionRow`; files of an earlier
    dialoog, without turn, rank and learned_from, still load)."""
    rows, problems = read_rows(path, SUGGESTION_COLUMNS, SuggestionRow, older=(OLD_COLUMNS,))
    raise_problems(problems)
    return [Suggestion(**row.model_dump()) for _, row in rows]


def write_suggestions(path: Path, suggestions: Iterable[Suggestion]) -> None:
    """Write one transcript's suggestions atomically, sorted (diff-friendly)."""
    _write_csv(path, SUGGESTION_COLUMNS, [s.row() for s in sorted(suggestions, key=Suggestion.sort_key)])


def read_rejected(path: Path) -> list[tuple[str, int, int, str, str, str]]:
    """A coder's rejected suggestions (schema: `dialoog.study.schemas.rows.RejectedRow`)."""
    if not Path(path).is_file():
        return []
    rows, problems = read_rows(path, REJECTED_COLUMNS, RejectedRow)
    raise_problems(problems)
    return [(r.transcript, r.start, r.end, r.code, r.coder, r.timestamp) for _, r in rows]


def _coded_spans(study: Study, coder: str, transcript_id: str) -> dict[str, list[tuple[int, int]]]:
    path = study.codings_path(coder)
    out: dict[str, list[tuple[int, int]]] = {}
    if path.is_file():
        for c in codings_mod.read(path):
            if c.transcript == transcript_id:
                out.setdefault(c.code, []).append((c.start, c.end))
    return out


def _overlaps_any(s: Suggestion, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s.start < end and start < s.end for start, end in spans)
