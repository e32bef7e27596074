"""Pydantic errors as `DialoogError`s with file, line and key, in the words users get everywhere.

Validators in the schemas raise `fail(...)` (one problem, optionally at a key below the value) or
`issues([...])` (several problems found together, e.g. duplicate ids in a file); `problems_from`
turns a pydantic ValidationError into DialoogErrors. Messages repeat a value of the file only with
``quote=True`` and never for transcripts and their codings (special-category personal data).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
from pydantic_core import PydanticCustomError

from dialoog.errors import DialoogError
from dialoog.study.lines import format_key, line_at

ONE = "dialoog"
SEVERAL = "dialoog_issues"

#: the singular noun of a list field or a field with a vocabulary, for "unknown <noun> 'x'"
NOUNS = {
    "doelgroepen": "doelgroep",
    "respondent": "respondent role",
    "partners": "partner",
    "afspraken": "agreement",
    "gemeenten": "gemeente",
}
#: a hint for a field whose pattern did not match, by pattern
PATTERN_HINTS: dict[str, str] = {}


@dataclass(frozen=True)
class Issue:
    """A problem at `loc` (below the value being validated); `{name}` in the message is replaced by the
    line of ``lines[name]`` (a loc, too)."""

    loc: tuple
    message: str
    hint: str | None = None
    lines: dict[str, tuple] = field(default_factory=dict)


def fail(message: str, hint: str | None = None, loc: tuple = ()) -> PydanticCustomError:
    """An error to raise in a validator: `message` at `loc` below the value, with `hint`."""
    return PydanticCustomError(ONE, message, {"hint": hint, "loc": tuple(loc)})


def issues(found: list[Issue]) -> PydanticCustomError:
    """Several problems at once (raise it only when `found` is not empty)."""
    return PydanticCustomError(SEVERAL, f"{len(found)} problem(s)", {"issues": list(found)})


def _clean(loc: tuple) -> tuple:
    # pydantic adds segments for unions and function validators ('function-after[...]'): not keys
    return tuple(p for p in loc if isinstance(p, int) or "[" not in p)


def _unwrap(annotation: Any) -> list[type[pydantic.BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _unwrap(arg)]


def model_at(model: type[pydantic.BaseModel], loc: tuple) -> type[pydantic.BaseModel]:
    """The (nested) model that validates the mapping at `loc`."""
    current = model
    for part in loc:
        if not isinstance(part, str):
            continue
        fields = {f.alias or name: f for name, f in current.model_fields.items()}
        inner = _unwrap(fields[part].annotation) if part in fields else []
        if not inner:
            break
        current = inner[0]
    return current


def _shown(value: Any, quote: bool) -> str:
    if quote and isinstance(value, str | int | float) and not isinstance(value, bool) and len(str(value)) <= 80:
        return f" '{value}'"
    return ""


_SIMPLE = {
    "missing": "missing required key",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "finite_number": "expected a number",
    "string_type": "expected text",
    "string_too_short": "must not be empty",
    "list_type": "expected a list: lines starting with '- ', or [a, b]",
    "tuple_type": "expected a list: lines starting with '- ', or [a, b]",
    "dict_type": "expected a mapping (key: value lines)",
    "model_type": "expected a mapping (key: value lines)",
    "model_attributes_type": "expected a mapping (key: value lines)",
}
_DATE = ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact")
_BOUNDS = {
    "greater_than_equal": ("ge", "at least"),
    "less_than_equal": ("le", "at most"),
    "greater_than": ("gt", "more than"),
    "less_than": ("lt", "less than"),
}


def _message(err: dict, model: type[pydantic.BaseModel], loc: tuple, quote: bool) -> tuple[str, str | None]:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    name = next((p for p in reversed(loc) if isinstance(p, str)), "value")
    if kind == ONE:
        return err["msg"], ctx.get("hint")
    if kind == "missing":
        return _SIMPLE[kind], (f"add a line '{loc[-1]}: ...'" if loc and isinstance(loc[-1], str) else None)
    if kind in _SIMPLE:
        if not loc and kind in ("dict_type", "model_type", "model_attributes_type"):
            return getattr(model, "shape", _SIMPLE[kind]), None
        return _SIMPLE[kind], None
    if kind == "extra_forbidden":
        owner = model_at(model, loc[:-1])
        allowed = [f.alias or n for n, f in owner.model_fields.items()]
        return "unknown key", f"known {getattr(owner, 'noun', 'keys')}: " + ", ".join(allowed)
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"unknown {NOUNS.get(name, name)}{_shown(value, quote)}", f"use one of: {expected}"
    if kind in _DATE:
        return "the value is not a date", "write it as YYYY-MM-DD, e.g. 2026-03-12"
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"{name} must be {words} {ctx.get(key)}, not{_shown(value, quote) or ' this'}", None
    if kind == "too_short":
        return "the list is empty", f"write at least {ctx.get('min_length', 1)} item(s), e.g. {name}: [a]"
    if kind == "too_long":
        return f"too many items (at most {ctx.get('max_length')})", None
    if kind == "string_pattern_mismatch":
        return f"invalid {name}{_shown(value, quote)}", PATTERN_HINTS.get(str(ctx.get("pattern")))
    if kind in ("value_error", "assertion_error"):
        return str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, "), None
    return str(err["msg"]), None


def problems_from(
    exc: pydantic.ValidationError,
    model: type[pydantic.BaseModel],
    data: Any,
    path: Path | str,
    *,
    line: int | None = None,
    quote: bool = True,
) -> list[DialoogError]:
    """Every error of `exc` as a DialoogError naming the file, the line (from `data`, or `line`) and key."""

    def where(loc: tuple) -> int | None:
        return line if line is not None else line_at(data, loc) or 1

    out: list[DialoogError] = []
    for err in exc.errors(include_url=False):
        base = _clean(tuple(err["loc"]))
        ctx = err.get("ctx") or {}
        if err["type"] == SEVERAL:
            found = ctx["issues"]
        else:
            loc = base + tuple(ctx.get("loc") or ())
            message, hint = _message(err, model, loc, quote)
            found = [Issue(tuple(ctx.get("loc") or ()), message, hint)]
        for issue in found:
            loc = base + tuple(issue.loc)
            message = issue.message
            for name, ref in issue.lines.items():
                message = message.replace("{" + name + "}", str(where(base + tuple(ref))))
            out.append(DialoogError(message, path=path, line=where(loc), key=format_key(loc), hint=issue.hint))
    return out
