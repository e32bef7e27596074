"""REFI-QDA (QDA-XML 1.0): what the export and the import share.

The exchange standard of ATLAS.ti, NVivo, MAXQDA, QualCoder and others: a project is a zip
(``.qdpx``) with ``project.qde`` (XML, namespace ``urn:QDA-XML:project:1.0``) and the source
files in ``sources/``; a codebook alone is a ``.qdc`` (namespace ``urn:QDA-XML:codebook:1.0``).
The official schemas are in ``dialoog/data/refi/``; every export is validated against them.

GUIDs are derived with `uuid.uuid5` from a namespace of the study: its ``study_id`` in ``dialoog.yaml``
(made by `dialoog init`, or by the first export), so the same study exported twice, also after its folder
was renamed, gives the same ids for the same codes, sources, users and codings. A study without an id
(only read, never exported) falls back to its folder name.

A dialoog code has more fields than a REFI code (which has a name, a description and a colour);
`code_description` writes `use_when`, `not_when`, `examples`, `keywords` and the code id as
labelled lines after the description, and `parse_code_description` reads them back.
"""

from __future__ import annotations

import re
import uuid
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from lxml import etree

from dialoog.errors import DialoogError
from dialoog.study.codebook import Code

PROJECT_NS = "urn:QDA-XML:project:1.0"
ORIGIN = "dialoog"  # the origin attribute of dialoog's exports
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_XSD = "Project-mrt2019.xsd"
CODEBOOK_XSD = "Codebook.xsd"

#: Root of all dialoog GUIDs; a study's namespace is derived from it and the study's folder name.
DIALOOG_NAMESPACE = uuid.UUID("6f1d2c3e-8a5b-5c4d-9e7f-0a1b2c3d4e5f")

#: Labels of the extra code fields inside a REFI code description (Dutch: users read them).
SECTIONS = {
    "use_when": "Gebruiken wanneer:",
    "not_when": "Niet gebruiken wanneer:",
    "examples": "Voorbeelden:",
    "keywords": "Trefwoorden:",
    "id": "Code-id (dialoog):",
}


def study_namespace(study_root: Path | str, *, create: bool = False) -> uuid.UUID:
    """The namespace of a study's GUIDs, from its `study_id` (made and saved first when `create`)."""
    from dialoog.study import settings

    root = Path(study_root)
    study_id = settings.load(root).study_id or (ensure_study_id(root) if create else "")
    if study_id:
        return uuid.uuid5(DIALOOG_NAMESPACE, "study-id:" + study_id)
    return uuid.uuid5(DIALOOG_NAMESPACE, "study:" + root.resolve().name)


def ensure_study_id(study_root: Path | str) -> str:
    """The study's id; when dialoog.yaml has none, a new one is added to it (the rest of the file is kept)."""
    from dialoog.fileio import atomic_write_text
    from dialoog.study import settings

    root = Path(study_root)
    current = settings.load(root).study_id
    if current:
        return current
    path = root / settings.FILENAME
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    new_id = str(uuid.uuid4())
    line = f"# permanent id of the study (REFI-QDA export ids come from it); do not change\nstudy_id: {new_id}\n"
    if re.search(r"^study_id:", old, re.MULTILINE):  # an empty one
        text = re.sub(r"^study_id:.*$", f"study_id: {new_id}", old, count=1, flags=re.MULTILINE)
    else:
        text = (old.rstrip("\n") + "\n\n" if old.strip() else "") + line
    atomic_write_text(path, text)
    settings.load(root)  # the file must still be valid
    return new_id


def guid(namespace: uuid.UUID, kind: str, *parts: object) -> str:
    """A stable GUID for the object `kind` identified by `parts` within `namespace`."""
    return str(uuid.uuid5(namespace, kind + ":" + "\x1f".join(str(p) for p in parts)))


# -- schemas ---------------------------------------------------------------------------------


@cache
def schema(name: str) -> etree.XMLSchema:
    """One of the official REFI-QDA schemas shipped in dialoog/data/refi/."""
    with resources.files("dialoog.data").joinpath("refi", name).open("rb") as fh:
        return etree.XMLSchema(etree.parse(fh))


def validate(document: etree._Element | bytes, xsd: str, what: Path | str) -> None:
    """Raise DialoogError when `document` does not validate against `xsd` (names the first errors)."""
    if isinstance(document, bytes):
        document = etree.fromstring(document, safe_parser())
    checker = schema(xsd)
    if checker.validate(document):
        return
    errors = [f"line {e.line}: {e.message[:160]}" for e in list(checker.error_log)[:5]]
    raise DialoogError(
        f"the export does not validate against {xsd}; nothing was written ({'; '.join(errors)})",
        path=what,
        hint="this is a bug in dialoog; please report it with the messages above",
    )


def safe_parser() -> etree.XMLParser:
    """An XML parser that resolves no entities and fetches nothing from the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False)


def local(element: Any) -> str | None:
    """The tag of `element` without its namespace (None for comments and processing instructions)."""
    tag = getattr(element, "tag", None)
    return etree.QName(element).localname if isinstance(tag, str) else None


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """Children with local name `name`, whatever namespace (1.0, 0:4, none) the file uses."""
    return [c for c in element if local(c) == name]


def child(element: etree._Element, name: str) -> etree._Element | None:
    found = children(element, name)
    return found[0] if found else None


def child_text(element: etree._Element, name: str) -> str:
    found = child(element, name)
    return (found.text or "") if found is not None else ""


# -- colours ---------------------------------------------------------------------------------

_HEX = re.compile(r"^#?(?P<hex>[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$")
_FUNC = re.compile(r"^rgba?\((?P<args>[^)]*)\)$", re.IGNORECASE)


def parse_color(value: str | None) -> str | None:
    """A colour as '#RRGGBB' from the forms tools write, or None when it is not a colour.

    Accepted: '#RGB', '#RRGGBB', 8 hex digits with transparency ('#AARRGGBB' as .NET tools
    write it, or '#RRGGBBAA' when the last pair is 'FF' and the first is not), 'rgb(r, g, b)',
    'rgba(r, g, b, a)', 'r,g,b' and a decimal integer 0xRRGGBB. Transparency is dropped.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    m = _HEX.match(text)
    if m:
        digits = m.group("hex").upper()
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        elif len(digits) == 8:
            rgba = digits[6:] == "FF" and digits[:2] != "FF"
            digits = digits[:6] if rgba else digits[2:]
        return "#" + digits
    m = _FUNC.match(text)
    args = m.group("args") if m else text
    parts = [p.strip() for p in args.split(",")]
    if len(parts) in (3, 4) and all(re.fullmatch(r"\d{1,3}", p) for p in parts[:3]):
        rgb = [int(p) for p in parts[:3]]
        if all(0 <= v <= 255 for v in rgb):
            return "#" + "".join(f"{v:02X}" for v in rgb)
        return None
    if re.fullmatch(r"\d{1,8}", text) and int(text) <= 0xFFFFFF:
        return f"#{int(text):06X}"
    return None


# -- code descriptions -----------------------------------------------------------------------


def code_description(code: Code) -> str:
    """The REFI description of a dialoog code: its description, then the other fields as labelled lines."""
    parts = [code.description.strip()]
    if code.use_when:
        parts.append(f"{SECTIONS['use_when']} {code.use_when}")
    if code.not_when:
        parts.append(f"{SECTIONS['not_when']} {code.not_when}")
    if code.examples:
        parts.append(SECTIONS["examples"] + "".join(f"\n- {' '.join(e.split())}" for e in code.examples))
    if code.keywords:
        parts.append(f"{SECTIONS['keywords']} " + "; ".join(code.keywords))
    parts.append(f"{SECTIONS['id']} {code.id}")
    return "\n\n".join(p for p in parts if p)


def parse_code_description(text: str | None) -> dict[str, Any]:
    """The fields of a description written by `code_description`; any other text is the description."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    out: dict[str, Any] = {}
    description: list[str] = []
    current: str | None = None
    for line in lines:
        stripped = line.strip()
        key = next((k for k, label in SECTIONS.items() if stripped.startswith(label)), None)
        if key is not None:
            current = key
            rest = stripped[len(SECTIONS[key]) :].strip()
            if key == "examples":
                out["examples"] = [rest] if rest else []
            elif key == "keywords":
                out["keywords"] = [k.strip() for k in rest.split(";") if k.strip()]
            else:
                out[key] = rest
            continue
        if current is None:
            description.append(line)
        elif not stripped:
            continue
        elif current == "examples" and stripped.startswith("- "):
            out["examples"].append(stripped[2:].strip())
        elif current in ("use_when", "not_when"):
            out[current] += " " + stripped
        else:  # text after the labelled lines that dialoog did not write: keep it as description
            description.append(line)
    out["description"] = "\n".join(description).strip()
    return out
