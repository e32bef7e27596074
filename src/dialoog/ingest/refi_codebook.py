"""The codebook of a REFI-QDA project or codebook, merged into the study's codebook.

Existing codes are kept and matched by GUID, dialoog code id or label; new codes get ids slugged from
their names; ATLAS.ti 'Parent::child' names become a hierarchy. The codebook file keeps its comments and
layout when the new codes can be appended to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

from dialoog.exchange import refi
from dialoog.study import codebook as codebook_mod
from dialoog.study.folder import Study
from dialoog.study.gemeenten import slugify

NO_DESCRIPTION = "Geen beschrijving (geïmporteerd uit REFI-QDA)."


def _guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


@dataclass
class ImportedCode:
    guid: str
    name: str
    description: str
    color: str | None
    parent: str | None  # guid
    raw_color: str | None = None


def read_codes(codes_element: etree._Element | None) -> list[ImportedCode]:
    """Codes in pre-order (parents first); ATLAS.ti 'Parent::child' names become a hierarchy."""
    out: list[ImportedCode] = []

    def visit(element: etree._Element, parent: str | None) -> None:
        for code in refi.children(element, "Code"):
            raw = code.get("color")
            name = " ".join((code.get("name") or "").split())
            item = ImportedCode(
                _guid(code.get("guid")), name, refi.child_text(code, "Description"), refi.parse_color(raw), parent, raw
            )
            out.append(item)
            visit(code, item.guid)

    if codes_element is not None:
        visit(codes_element, None)
    by_name = {c.name: c for c in out if c.parent is None}
    for c in out:
        if c.parent is None and "::" in c.name:
            prefix, _, rest = c.name.rpartition("::")
            parent = by_name.get(prefix.strip())
            if parent is not None and parent is not c and rest.strip():
                c.parent, c.name = parent.guid, rest.strip()
    kids: dict[str | None, list[ImportedCode]] = {}
    known = {c.guid for c in out}
    for c in out:
        if c.parent not in known or c.parent == c.guid:
            c.parent = None
        kids.setdefault(c.parent, []).append(c)
    order: list[ImportedCode] = []

    def walk(parent: str | None) -> None:  # parents first, in file order within each level
        for c in kids.get(parent, []):
            order.append(c)
            walk(c.guid)

    walk(None)
    return order


@dataclass
class CodebookMerge:
    ids: dict[str, str]  # imported guid -> code id in the study
    new: list[dict[str, Any]]
    matched: int
    notes: list[str]


def merge_codes(study: Study, imported: list[ImportedCode]) -> CodebookMerge:
    existing = study.codebook.codes if study.codebook_path.is_file() else {}
    ns = refi.study_namespace(study.root)
    by_guid = {refi.guid(ns, "code", cid): cid for cid in existing}
    by_label = {(c.label.lower(), c.parent): c.id for c in existing.values()}
    taken = set(existing)
    merge = CodebookMerge({}, [], 0, [])
    bad_colors = 0
    for code in imported:
        fields = refi.parse_code_description(code.description)
        parent = merge.ids.get(code.parent) if code.parent else None
        label = code.name or "Code zonder naam"
        found = by_guid.get(code.guid)
        if found is None and fields.get("id") in existing:
            found = fields["id"]
        if found is None:
            found = by_label.get((label.lower(), parent))
        if found is not None:
            merge.ids[code.guid] = found
            merge.matched += 1
            continue
        wanted = fields.get("id") or ""
        base = wanted if codebook_mod.CODE_ID_RE.match(wanted) else (slugify(label)[:56].strip("-") or "code")
        cid, n = base, 2
        while cid in taken:
            cid, n = f"{base}-{n}", n + 1
        taken.add(cid)
        merge.ids[code.guid] = cid
        by_label[(label.lower(), parent)] = cid
        entry: dict[str, Any] = {"id": cid}
        if parent:
            entry["parent"] = parent
        entry["label"] = label
        entry["description"] = fields["description"] or NO_DESCRIPTION
        for key in ("use_when", "not_when"):
            if fields.get(key):
                entry[key] = fields[key]
        for key in ("examples", "keywords"):
            if fields.get(key):
                entry[key] = list(fields[key])
        if code.color:
            entry["color"] = code.color
        elif code.raw_color:
            bad_colors += 1
        merge.new.append(entry)
    if bad_colors:
        merge.notes.append(f"{bad_colors} code colour(s) not understood and left out")
    return merge


def codebook_text(study: Study, new: list[dict[str, Any]]) -> tuple[str, bool]:
    """The codebook file with `new` codes appended; (text, whether comments/formatting were kept)."""
    path = study.codebook_path
    dumped = yaml.safe_dump(new, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    if not path.is_file():
        header = "# Codebook: a code with `parent` is a subcode. Created by dialoog import-qdpx/import-qdc.\n"
        return header + "codes:\n" + _indent(dumped, "  "), True
    old = path.read_text(encoding="utf-8-sig")
    existing = list(study.codebook.codes)
    indents = re.findall(r"^([ \t]*)- +id:", old, re.MULTILINE)
    indent = indents[-1] if indents else "  "
    appended = old.rstrip("\n") + "\n\n" + _indent(dumped, indent)
    if _ids_of(appended, path) == existing + [e["id"] for e in new]:
        return appended, True
    data = yaml.safe_load(old) or {}
    data["codes"] = list(data.get("codes") or []) + new
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100), False


def _indent(text: str, indent: str) -> str:
    return "".join(indent + line if line.strip() else line for line in text.splitlines(keepends=True))


def _ids_of(text: str, path: Path) -> list[str] | None:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        return None
    return [c.get("id") for c in data["codes"] if isinstance(c, dict)]
