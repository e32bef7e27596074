"""YAML loading that remembers the line of every mapping, for error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from dialoog.errors import DialoogError


class LineDict(dict):
    """A dict that knows the (1-based) line where it started in its YAML file."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        mapping = LineDict(super().construct_mapping(node, deep=deep))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {
            str(k.value): k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)
        }
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    lambda loader, node: loader.construct_mapping(node, deep=True),
)


def load_yaml(text: str, path: Path | str, line_offset: int = 0) -> Any:
    """Parse YAML; mappings become `LineDict`s; syntax errors name the file and line."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 + line_offset if mark is not None else None
        raise DialoogError(
            f"invalid YAML: {exc.problem}",
            path=path,
            line=line,
            hint="check indentation, colons and quotes on that line",
        ) from None
    except yaml.YAMLError as exc:
        raise DialoogError(f"invalid YAML: {exc}", path=path) from None
    if line_offset:
        _shift_lines(data, line_offset)
    return data


def _shift_lines(data: Any, offset: int) -> None:
    if isinstance(data, LineDict):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for value in data.values():
            _shift_lines(value, offset)
    elif isinstance(data, list):
        for item in data:
            _shift_lines(item, offset)


def line_of(data: Any, key: str | None = None) -> int | None:
    if isinstance(data, LineDict):
        if key is not None and key in data.key_lines:
            return data.key_lines[key]
        return data.line
    return None
