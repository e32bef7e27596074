"""Declared schemas of the monitor's import mapping and of the aggregate files the imports write.

Files::

    monitor/enquete-mapping.yaml   how a survey file maps onto the indicators (SurveyMapping)
    monitor/enquete.csv            weighted shares per gemeente, year and group (EnqueteRow), from
                                   `dialoog monitor import-survey`
    monitor/statline.csv           CBS indicators per gemeente with margins (StatlineRow), from
                                   `dialoog monitor import-statline`
    monitor/discriminatie.csv      registrations by ground per gemeente and year (DiscriminatieRow), from
                                   `dialoog monitor import-discriminatie`

A validation problem becomes a `DialoogError` with the file, the line and the key (column); a message
never quotes a value from a survey file.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pydantic
from pydantic import BaseModel

from dialoog.errors import DialoogError, ValidationError
from dialoog.study.schemas.aggregates import (  # noqa: F401 - declared with the other study files
    NATIONAL,
    SURVEY_INDICATORS,
    DiscriminatieRow,
    EnqueteRow,
    IndicatorRule,
    LhbtiqRule,
    StatlineRow,
    SurveyMapping,
)


def problems_of(exc: pydantic.ValidationError, path: Path, line: int | None, where=None) -> list[DialoogError]:
    """Turn pydantic's errors into DialoogErrors with file, line and key, without quoting the input."""
    out = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = [str(p) for p in err["loc"]]
        key = ".".join(loc) or None
        at = where(err["loc"]) if where else line
        msg = err["msg"]
        if err["type"] == "value_error":
            msg = msg.removeprefix("Value error, ")
        out.append(DialoogError(msg, path=path, line=at, key=key))
    return out


def read_rows(path: Path, model: type[BaseModel]) -> list[tuple[int, BaseModel]]:
    """Read an aggregate CSV file through its row model, with the study's strict reader (UTF-8 checked with
    line and column, the header exactly the model's fields); every problem names the file, line and column."""
    from dialoog.study.yamlload import csv_rows

    path = Path(path)
    rows, problems = [], []
    for line, raw in csv_rows(path, tuple(model.model_fields)):
        values = {k: (v.strip() or None) for k, v in raw.items()}
        try:
            rows.append((line, model.model_validate(values)))
        except pydantic.ValidationError as exc:
            problems.extend(problems_of(exc, path, line))
        except DialoogError as exc:  # an unknown gemeente
            problems.append(DialoogError(exc.detail, path=path, line=line, key="gemeente", hint=exc.hint))
    if problems:
        raise ValidationError(problems)
    return rows


def write_rows(path: Path, rows: list[BaseModel], model: type[BaseModel]) -> None:
    from dialoog.fileio import atomic_write_text

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(model.model_fields)
    for row in rows:
        writer.writerow(["" if v is None else _cell(v) for v in row.model_dump().values()])
    atomic_write_text(Path(path), out.getvalue())


def _cell(v) -> str:
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:.4f}".rstrip("0").rstrip(".")
    return str(v)


def load_mapping(path: Path) -> SurveyMapping:
    """Read and validate a survey mapping (YAML); problems name the file, line and key."""
    from dialoog.study.yamlload import line_of, load_yaml, read_text

    path = Path(path)
    if not path.is_file():
        raise DialoogError("the mapping file is missing", path=path, hint="see monitor/enquete-mapping.yaml")
    data = load_yaml(read_text(path), path)  # strict UTF-8: a bad byte is named by line and key
    if not isinstance(data, dict):
        raise DialoogError("expected a mapping with bron, gewicht, gemeente, lhbtiq, indicatoren", path=path, line=1)

    def where(loc: tuple) -> int | None:
        node, line = data, line_of(data)
        for part in loc:
            if isinstance(node, dict) and part in node:
                line = line_of(node, str(part)) or line
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
                line = line_of(node) or line
            else:
                break
        return line

    try:
        return SurveyMapping.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(problems_of(exc, path, None, where)) from None
    except DialoogError as exc:
        raise DialoogError(
            exc.detail, path=path, line=line_of(data, "gemeenten"), key="gemeenten", hint=exc.hint
        ) from None
