"""The one loader of study files: read, parse and validate, with file, line and key in every error.

- `read_text` reads a file as UTF-8 (a BOM is allowed); bytes that are not UTF-8 are an error naming the
  line, the column and the key (YAML) or column (CSV) where they are.
- `load_yaml` parses YAML strictly: duplicate keys, anchors and aliases (refused at the first anchor,
  before anything is expanded, so an alias bomb costs nothing), tabs in indentation and syntax errors
  are errors naming the line and key. Mappings become `LineDict`s and lists `LineList`s that remember
  their lines.
- `validate` checks parsed data against a pydantic model from `dialoog.study.schemas` and turns every
  pydantic error into a `DialoogError` with file, line and key (`dialoog.study.schemas.errors`).
- `load_file` does all three for a YAML study file; `read_rows` for a CSV file, row by row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pydantic
import yaml

from dialoog.errors import DialoogError, ValidationError
from dialoog.study.lines import LineDict, LineList, format_key, line_at, line_of
from dialoog.study.schemas.errors import problems_from

#: larger study files are refused before parsing (a study file is a few hundred kilobytes at most)
MAX_BYTES = 20_000_000
_KEY_LINE = re.compile(r"^\s*(?:-\s+)*([^\s#:'\"\[\]{},&*!|>-][^#:]*?)\s*:(?:\s|$)")
M = TypeVar("M", bound=pydantic.BaseModel)
__all__ = [
    "LineDict",
    "LineList",
    "dump_yaml",
    "format_key",
    "line_at",
    "line_of",
    "load_file",
    "load_yaml",
    "read_rows",
    "validate",
]


# -- reading --------------------------------------------------------------------------------------


def read_text(path: Path | str, key_at: Callable[[list[str], int, int], str | None] | None = None) -> str:
    """The text of `path`, decoded as UTF-8; `key_at(lines, line, column)` names the key of a bad byte."""
    path = Path(path)
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise DialoogError(
            f"the file is too large ({len(raw) // 1_000_000} MB; at most {MAX_BYTES // 1_000_000} MB)",
            path=path,
            hint="a study file is small text; check that this is the right file",
        )
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        lines = raw.decode("utf-8", "replace").split("\n")
        key = (key_at or yaml_key_at)(lines, line, column)
        key = key if key and key.isprintable() and "\ufffd" not in key else None  # e.g. UTF-16 read as UTF-8
        raise DialoogError(
            f"the file is not valid UTF-8 text (column {column})",
            path=path,
            line=line,
            key=key,
            hint="save the file as UTF-8 (in most editors: 'Save with encoding' > UTF-8)",
        ) from None


def yaml_key_at(lines: list[str], line: int, column: int = 1) -> str | None:
    """The YAML key written on `line` (1-based), or else on the nearest line above that has one."""
    for text in reversed(lines[: max(line, 0)]):
        m = _KEY_LINE.match(text)
        if m:
            return m.group(1).strip()
    return None


# -- YAML -----------------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, message: str, mark: Any, key: str | None, hint: str) -> None:
        super().__init__(message)
        self.message, self.mark, self.key, self.hint = message, mark, key, hint


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors, aliases and duplicate keys while composing (before constructing)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._path: list[str | int] = []

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        event = self.peek_event()
        step = index.value if isinstance(index, yaml.ScalarNode) else index if isinstance(index, int) else None
        if step is not None:
            self._path.append(step)
        try:
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                what = "an alias (*name)" if isinstance(event, yaml.AliasEvent) else "an anchor (&name)"
                raise _Refused(
                    f"{what} is not allowed in a study file",
                    event.start_mark,
                    format_key(self._path),
                    "write the value out in full instead of referring to another place in the file",
                )
            return super().compose_node(parent, index)
        finally:
            if step is not None:
                self._path.pop()

    def compose_mapping_node(self, anchor: Any) -> Any:  # type: ignore[override]
        node = super().compose_mapping_node(anchor)
        seen: dict[str, int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            if key.value in seen:
                raise _Refused(
                    f"duplicate key (first on line {seen[key.value]})",
                    key.start_mark,
                    format_key([*self._path, key.value]),
                    "remove one of the two; YAML would silently keep only the last",
                )
            seen[key.value] = key.start_mark.line + 1
        return node

    def construct_line_mapping(self, node: yaml.MappingNode) -> LineDict:
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {
            str(k.value): k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)
        }
        return mapping

    def construct_line_sequence(self, node: yaml.SequenceNode) -> LineList:
        items = LineList(self.construct_sequence(node, deep=True))
        items.line = node.start_mark.line + 1
        items.item_lines = [n.start_mark.line + 1 for n in node.value]
        return items


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _StrictLoader.construct_line_mapping)
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _StrictLoader.construct_line_sequence)


def _check_tabs(text: str, path: Path | str, line_offset: int) -> None:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            raise DialoogError(
                "a tab in the indentation",
                path=path,
                line=i + 1 + line_offset,
                key=yaml_key_at(lines, i + 1),
                hint="YAML indents with spaces only; replace the tab by spaces",
            )


def load_yaml(text: str, path: Path | str, line_offset: int = 0) -> Any:
    """Parse YAML strictly; mappings become `LineDict`s, lists `LineList`s; every error names file and line."""
    _check_tabs(text, path, line_offset)
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except _Refused as exc:
        raise DialoogError(
            exc.message, path=path, line=exc.mark.line + 1 + line_offset, key=exc.key, hint=exc.hint
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 + line_offset if mark is not None else None
        # the key of the value being parsed (a flow list opened on an earlier line), else of the line
        context = exc.context_mark or mark
        raise DialoogError(
            f"invalid YAML: {exc.problem}",
            path=path,
            line=line,
            key=yaml_key_at(text.split("\n"), context.line + 1) if context is not None else None,
            hint="check indentation, colons and quotes on that line",
        ) from None
    except yaml.YAMLError as exc:
        raise DialoogError(f"invalid YAML: {exc}", path=path) from None
    if line_offset:
        _shift_lines(data, line_offset)
    return data


class _PlainDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # a value used twice is written twice, never as &id001/*id001
        return True


def dump_yaml(data: Any, **options: Any) -> str:
    """YAML text that `load_yaml` accepts: like `yaml.safe_dump`, but without anchors and aliases, which
    safe_dump writes for an object that occurs twice (and the loader refuses)."""
    options = {"sort_keys": False, "allow_unicode": True, "default_flow_style": False, **options}
    return yaml.dump(data, Dumper=_PlainDumper, **options)


def _shift_lines(data: Any, offset: int) -> None:
    if isinstance(data, LineDict):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for value in data.values():
            _shift_lines(value, offset)
    elif isinstance(data, LineList):
        data.line += offset
        data.item_lines = [v + offset for v in data.item_lines]
        for item in data:
            _shift_lines(item, offset)


# -- validation -----------------------------------------------------------------------------------


def raise_problems(problems: list[DialoogError]) -> None:
    """Raise the one problem, or a ValidationError listing them all; nothing when the list is empty."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationError(problems)


def validate(
    data: Any,
    model: type[M],
    path: Path | str,
    *,
    context: dict | None = None,
    line: int | None = None,
    quote: bool = True,
) -> M:
    """`data` as a `model`; raises DialoogError/ValidationError naming the file, line and key of each problem.

    `line` fixes the line of every problem (a CSV row); else lines come from the `LineDict`s in `data`.
    With ``quote=False`` no message repeats a value of the file (transcripts and their codings).
    """
    try:
        return model.model_validate({} if data is None else data, context=context)
    except pydantic.ValidationError as exc:
        raise_problems(problems_from(exc, model, data, path, line=line, quote=quote))
        raise  # pragma: no cover - problems_from always finds a problem


def load_file(path: Path | str, model: type[M], *, context: dict | None = None, quote: bool = True) -> M:
    """Read, parse and validate one YAML study file."""
    path = Path(path)
    return validate(load_yaml(read_text(path), path), model, path, context=context, quote=quote)


# -- CSV ------------------------------------------------------------------------------------------


def csv_key_at(columns: tuple[str, ...]) -> Callable[[list[str], int, int], str | None]:
    """For `read_text`: the CSV column a bad byte is in."""

    def key_at(lines: list[str], line: int, column: int) -> str | None:
        prefix = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
        cells = next(csv.reader([prefix]), [""])
        return columns[min(max(len(cells) - 1, 0), len(columns) - 1)] if line > 1 else None

    return key_at


def csv_rows(
    path: Path | str, columns: tuple[str, ...], older: tuple[tuple[str, ...], ...] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, {column: value}) of each non-empty row; the header must be exactly `columns` (or one of the
    `older` headers that a file written by an earlier dialoog has).

    A row with another number of cells raises an error naming the line; values are never quoted.
    """
    path = Path(path)
    text = read_text(path, csv_key_at(columns))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return
    found = tuple(h.strip() for h in header)
    if found != columns and found in older:
        columns = found  # an older file with fewer columns: the missing ones take their defaults
    if found != columns:
        wrong = next((c for c, h in zip(columns, (*found, *[""] * len(columns)), strict=False) if c != h), None)
        raise DialoogError(
            "unexpected header", path=path, line=1, key=wrong, hint="the first row must be: " + ",".join(columns)
        )
    line = reader.line_num + 1
    for row in reader:
        this, line = line, reader.line_num + 1
        if not row or not any(v.strip() for v in row):
            continue
        if len(row) != len(columns):
            raise DialoogError(
                f"expected {len(columns)} columns, found {len(row)}",
                path=path,
                line=this,
                key="row",
                hint="quote a text that contains a comma with double quotes",
            )
        yield this, dict(zip(columns, row, strict=True))


def read_rows(
    path: Path | str,
    columns: tuple[str, ...],
    model: type[M],
    *,
    context: dict | None = None,
    quote: bool = False,
    older: tuple[tuple[str, ...], ...] = (),
) -> tuple[list[tuple[int, M]], list[DialoogError]]:
    """Every row of a CSV study file as a `model`, with its line; and the problems of the rows that failed.
    `older`: headers of files an earlier dialoog wrote (fewer columns, the others take their defaults)."""
    rows: list[tuple[int, M]] = []
    problems: list[DialoogError] = []
    for line, values in csv_rows(path, columns, older):
        try:
            rows.append((line, validate(values, model, path, context=context, line=line, quote=quote)))
        except ValidationError as exc:
            problems.extend(exc.problems)
        except DialoogError as exc:
            problems.append(exc)
    return rows, problems
