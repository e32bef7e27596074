"""The hierarchical codebook, ``codebook/codebook.yaml`` (schema: `dialoog.study.schemas.files.CodebookFile`).

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

from dialoog.errors import DialoogError
from dialoog.study.schemas.files import CodebookFile
from dialoog.study.schemas.types import ID_PATTERN
from dialoog.study.yamlload import load_yaml, read_text, validate

CODE_ID_RE = re.compile(ID_PATTERN)


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


def parse(data: Any, path: Path) -> Codebook:
    """Validate parsed YAML (`load_yaml`) against the codebook schema and build the codebook."""
    entries = validate(data, CodebookFile, path).codes
    codes = {
        e.id: Code(
            id=e.id,
            label=e.label,
            description=e.description,
            parent=e.parent,
            use_when=e.use_when,
            not_when=e.not_when,
            examples=tuple(e.examples),
            keywords=tuple(e.keywords),
            color=(e.color or "").upper(),
        )
        for e in entries
    }
    return Codebook(codes=codes, path=path)


def load(path: Path) -> Codebook:
    path = Path(path)
    if not path.is_file():
        raise DialoogError("codebook not found", path=path, hint="a study needs codebook/codebook.yaml; see the README")
    return parse(load_yaml(read_text(path), path), path)
