"""The hierarchical codebook, ``codebook/codebook.yaml``.

A flat list of codes under ``codes:``; a code with ``parent`` is a subcode of that code::

    codes:
      - id: veiligheid
        label: Veiligheid
        description: ...
        use_when: ...
        not_when: ...
        examples: [...]
        keywords: [...]
      - id: incidenten
        parent: veiligheid
        ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dialoog.errors import DialoogError, ValidationError
from dialoog.study.yamlload import line_of, load_yaml

CODE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
REQUIRED = ("id", "label", "description")
OPTIONAL = ("parent", "use_when", "not_when", "examples", "keywords", "color")
COLOR_RE = re.compile(r"^#[0-9A-F]{6}$")


@dataclass(frozen=True)
class Code:
    id: str
    label: str
    description: str
    parent: str | None = None
    use_when: str = ""
    not_when: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    color: str = ""  # "#RRGGBB" (upper case) or empty


@dataclass
class Codebook:
    codes: dict[str, Code]
    path: Path | None = None
    children: dict[str | None, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.children = {}
        for code in self.codes.values():
            self.children.setdefault(code.parent, []).append(code.id)

    def __contains__(self, code_id: object) -> bool:
        return code_id in self.codes

    def __getitem__(self, code_id: str) -> Code:
        return self.codes[code_id]

    def label(self, code_id: str) -> str:
        return self.codes[code_id].label

    def ancestors(self, code_id: str) -> list[str]:
        """Parent, grandparent, ... of a code (nearest first)."""
        out = []
        parent = self.codes[code_id].parent
        while parent is not None:
            out.append(parent)
            parent = self.codes[parent].parent
        return out

    def descendants(self, code_id: str) -> list[str]:
        out: list[str] = []
        for child in self.children.get(code_id, []):
            out.append(child)
            out.extend(self.descendants(child))
        return out

    def depth(self, code_id: str) -> int:
        return len(self.ancestors(code_id))

    def walk(self) -> list[Code]:
        """All codes, depth first, in file order within each level."""
        out: list[Code] = []

        def visit(parent: str | None) -> None:
            for cid in self.children.get(parent, []):
                out.append(self.codes[cid])
                visit(cid)

        visit(None)
        return out


def _text(entry: dict, key: str, path: Path, problems: list[DialoogError]) -> str:
    value = entry.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(DialoogError("must be text", path=path, line=line_of(entry, key), key=key))
        return ""
    return value.strip()


def _text_list(entry: dict, key: str, path: Path, problems: list[DialoogError]) -> tuple[str, ...]:
    value = entry.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(DialoogError("must be a list of texts", path=path, line=line_of(entry, key), key=key))
        return ()
    return tuple(v.strip() for v in value)


def parse(data: Any, path: Path) -> Codebook:
    """Validate parsed YAML and build the codebook; all problems are reported together."""
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise DialoogError(
            "the codebook must have a key 'codes' with a list of codes",
            path=path,
            line=line_of(data),
            key="codes",
        )
    problems: list[DialoogError] = []
    codes: dict[str, Code] = {}
    lines: dict[str, int | None] = {}
    for i, entry in enumerate(data["codes"], start=1):
        if not isinstance(entry, dict):
            problems.append(
                DialoogError(f"code #{i} must be a mapping with id, label, description", path=path, key="codes")
            )
            continue
        where = line_of(entry)
        missing = [k for k in REQUIRED if not entry.get(k)]
        for key in missing:
            problems.append(DialoogError(f"code #{i} has no {key}", path=path, line=where, key=key))
        for key in entry:
            if key not in REQUIRED + OPTIONAL:
                problems.append(
                    DialoogError(
                        "unknown key",
                        path=path,
                        line=line_of(entry, key),
                        key=str(key),
                        hint="allowed: " + ", ".join(REQUIRED + OPTIONAL),
                    )
                )
        cid = entry.get("id")
        if "id" in missing:
            continue
        if not isinstance(cid, str) or not CODE_ID_RE.match(cid):
            problems.append(
                DialoogError(
                    f"invalid code id '{cid}'",
                    path=path,
                    line=line_of(entry, "id"),
                    key="id",
                    hint="use lower-case letters, digits and '-', e.g. 'melden-aangifte'",
                )
            )
            continue
        if cid in codes:
            problems.append(
                DialoogError(
                    f"duplicate code id '{cid}' (first defined on line {lines[cid]})",
                    path=path,
                    line=line_of(entry, "id"),
                    key="id",
                )
            )
            continue
        parent = entry.get("parent")
        color = _text(entry, "color", path, problems)
        if color and not COLOR_RE.match(color.upper()):
            problems.append(
                DialoogError(
                    f"invalid colour '{color}'",
                    path=path,
                    line=line_of(entry, "color"),
                    key="color",
                    hint="write #RRGGBB",
                )
            )
            color = ""
        codes[cid] = Code(
            id=cid,
            label=_text(entry, "label", path, problems),
            description=_text(entry, "description", path, problems),
            parent=str(parent) if parent is not None else None,
            use_when=_text(entry, "use_when", path, problems),
            not_when=_text(entry, "not_when", path, problems),
            examples=_text_list(entry, "examples", path, problems),
            keywords=_text_list(entry, "keywords", path, problems),
            color=color.upper(),
        )
        lines[cid] = line_of(entry, "id")

    for code in codes.values():
        if code.parent is not None and code.parent not in codes:
            problems.append(
                DialoogError(
                    f"code '{code.id}' has unknown parent '{code.parent}'",
                    path=path,
                    line=lines[code.id],
                    key="parent",
                    hint="use the id of a code defined in this file",
                )
            )
    if not problems:
        for code in codes.values():
            seen = [code.id]
            parent = code.parent
            while parent is not None:
                if parent in seen:
                    cycle = " -> ".join(seen[seen.index(parent) :] + [parent])
                    problems.append(
                        DialoogError(f"the parents form a cycle: {cycle}", path=path, line=lines[code.id], key="parent")
                    )
                    break
                seen.append(parent)
                parent = codes[parent].parent
            if problems:
                break
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationError(problems)
    return Codebook(codes=codes, path=path)


def load(path: Path) -> Codebook:
    path = Path(path)
    if not path.is_file():
        raise DialoogError("codebook not found", path=path, hint="a study needs codebook/codebook.yaml; see the README")
    return parse(load_yaml(path.read_text(encoding="utf-8"), path), path)
