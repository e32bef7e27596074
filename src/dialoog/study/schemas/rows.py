"""Schemas of the CSV rows that hold (copies of) transcript text: codings and code suggestions.

Their messages never repeat a cell (the loader reads them with ``quote=False``): a shifted column can
put transcript text in any of them. A problem names the file, the line (row) and the column.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field, ValidationInfo, field_validator

from dialoog.study.schemas.errors import fail
from dialoog.study.schemas.types import RowModel, vocabulary

CODING_COLUMNS = ("transcript", "start", "end", "text", "code", "coder", "memo", "timestamp")
OLD_SUGGESTION_COLUMNS = ("transcript", "start", "end", "text", "code", "score", "source", "reason")
#: since the ranked suggestions: the turn (index), the rank within it, and how many codings the model learned from
SUGGESTION_COLUMNS = (*OLD_SUGGESTION_COLUMNS, "turn", "rank", "learned_from")
REJECTED_COLUMNS = ("transcript", "start", "end", "code", "coder", "timestamp")
SOURCES = ("keywords", "codebook", "model")
CODER_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,40}$"
CODER_RE = re.compile(CODER_PATTERN)
#: a transcript or code id in a row: checked against the study by `dialoog.study.codings.validate`
RowId = Annotated[str, Field(max_length=200)]


def _timestamp(value: str) -> str:
    if value:
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            raise fail(
                "not an ISO 8601 timestamp", "write e.g. 2026-03-12T14:05:00+01:00 (or leave it empty)"
            ) from None
    return value


Offset = Annotated[int, Field(ge=0, description="a character offset into the transcript body")]
Timestamp = Annotated[str, AfterValidator(_timestamp), Field(description="ISO 8601, or empty")]


class CodingRow(RowModel):
    """One coded segment of ``codings/<coder>.csv``."""

    transcript: RowId
    start: Offset
    end: Offset
    text: str = Field(description="a copy of the coded text, to detect an edited transcript")
    code: RowId
    coder: RowId
    memo: str
    timestamp: Timestamp


class SuggestionRow(RowModel):
    """One suggested code of ``suggestions/<transcript>.csv``."""

    transcript: RowId
    start: Offset
    end: Offset
    text: str
    code: RowId
    score: float = Field(ge=0, le=1)
    source: vocabulary(SOURCES)
    reason: str
    turn: int = Field(-1, ge=-1, description="index of the turn (block) the suggestion ranks in; -1: unknown")
    rank: int = Field(0, ge=0, description="rank of the suggestion within its turn (1 = best); 0: unranked")
    learned_from: int = Field(0, ge=0, description="how many codings of this code the model learned from")

    @field_validator("turn", "rank", "learned_from", mode="before")
    @classmethod
    def _empty_is_default(cls, value: Any, info: ValidationInfo) -> Any:
        return cls.model_fields[info.field_name].default if value == "" else value


class RejectedRow(RowModel):
    """One rejected suggestion of ``suggestions/rejected/<coder>.csv``."""

    transcript: RowId
    start: Offset
    end: Offset
    code: RowId
    coder: RowId
    timestamp: Timestamp
