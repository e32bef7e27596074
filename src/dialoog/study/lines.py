"""Where a value was in its file: YAML mappings and lists that remember their lines, and keys as paths."""

from __future__ import annotations

from typing import Any


class LineDict(dict):
    """A dict that knows the (1-based) line where it started in its YAML file, and those of its keys."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    """A list that knows the (1-based) line of each of its items."""

    line: int = 0
    item_lines: list[int]


def format_key(loc: tuple | list) -> str | None:
    """``('codes', 0, 'label')`` -> ``codes[1].label``; a trailing list index is left out."""
    parts = list(loc)
    while parts and isinstance(parts[-1], int):
        parts.pop()
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        elif isinstance(part, str):
            out += f".{part}" if out else part
    return out or None


def line_of(data: Any, key: str | None = None) -> int | None:
    if isinstance(data, LineDict):
        if key is not None and key in data.key_lines:
            return data.key_lines[key]
        return data.line
    if isinstance(data, LineList):
        return data.line
    return None


def line_at(data: Any, loc: tuple | list) -> int | None:
    """The line of the value at `loc` in parsed YAML, or of the nearest mapping or list around it."""
    line = line_of(data)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and isinstance(part, str) and part in node:
            line, node = node.key_lines.get(part, line), node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line, node = node.item_lines[part], node[part]
        else:
            break
    return line
