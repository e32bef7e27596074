"""Export a study to REFI-QDA: a project (``.qdpx``) or the codebook alone (``.qdc``).

A project holds the transcripts that have consent and are pseudonymised, as text sources whose
text is the transcript body (so a selection's positions are the coding's offsets, in Unicode code
points, as the standard says; ``offsets="utf16"`` counts UTF-16 code units instead, as NVivo does);
the codebook with its hierarchy, descriptions and colours; each coder as a user; each coding as a
plain-text selection with one coding of its code by its coder, and its memo as a note; and the
respondent metadata (gemeente, wijk, datum, interviewer, respondent role) as variables of one case per
transcript. GUIDs come from the study's ``study_id`` (`dialoog.exchange.refi.study_namespace`). The
document is validated against the official schema before anything is written, and the file is written
atomically. Zip entries carry a fixed date, so the same study exported twice gives identical files.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from dialoog.errors import DialoogError
from dialoog.exchange import refi
from dialoog.fileio import atomic_write_bytes
from dialoog.study.codebook import Codebook
from dialoog.study.codings import Coding
from dialoog.study.folder import Study, open_study
from dialoog.study.transcripts import Transcript

ORIGIN = refi.ORIGIN
OFFSETS = ("codepoint", "utf16")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

#: Respondent metadata exported as case variables: front-matter key -> REFI type.
VARIABLES: dict[str, str] = {
    "gemeente": "Text",
    "wijk": "Text",
    "datum": "Date",
    "interviewer": "Text",
    "respondent": "Text",
    "fictional": "Boolean",
}
_VALUE_TAG = {"Text": "TextValue", "Date": "DateValue", "Boolean": "BooleanValue"}


@dataclass
class ExportSummary:
    path: Path
    transcripts: int = 0
    left_out: int = 0  # transcripts without consent or pseudonymisation
    codes: int = 0
    codings: int = 0
    users: list[str] = field(default_factory=list)
    notes: int = 0


class _Builder:
    def __init__(self, ns_uri: str, namespace: Any) -> None:
        self.ns = "{" + ns_uri + "}"
        self.namespace = namespace

    def el(self, parent: etree._Element | None, tag: str, text: str | None = None, **attrs: Any) -> etree._Element:
        values = {k: str(v) for k, v in attrs.items() if v is not None and v != ""}
        if parent is None:
            node = etree.Element(self.ns + tag, values, nsmap={None: self.ns[1:-1]})
        else:
            node = etree.SubElement(parent, self.ns + tag, values)
        if text is not None:
            node.text = text
        return node

    def guid(self, kind: str, *parts: object) -> str:
        return refi.guid(self.namespace, kind, *parts)


def _codes(b: _Builder, parent: etree._Element, codebook: Codebook, with_notes: bool = False) -> None:
    codes = b.el(parent, "Codes")

    def add(into: etree._Element, code_id: str) -> None:
        code = codebook[code_id]
        node = b.el(into, "Code", guid=b.guid("code", code.id), name=code.label, isCodable="true", color=code.color)
        b.el(node, "Description", refi.code_description(code))
        for child in codebook.children.get(code.id, []):
            add(node, child)

    for top in codebook.children.get(None, []):
        add(codes, top)


def _timestamp(value: str) -> str | None:
    """An ISO timestamp usable as xsd:dateTime, or None."""
    if not value:
        return None
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return value if "T" in value else None


def codebook_xml(study: Study) -> bytes:
    """The codebook as a validated REFI codebook document (``.qdc``)."""
    b = _Builder(refi.CODEBOOK_NS, refi.study_namespace(study.root, create=True))
    root = b.el(None, "CodeBook", origin=ORIGIN)
    _codes(b, root, study.codebook)
    refi.validate(root, refi.CODEBOOK_XSD, study.codebook_path)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def select(study: Study, gemeente: str | None) -> tuple[list[Transcript], list[Coding], int]:
    """The transcripts to export (consent and pseudonymised), their codings, and how many were left out."""
    slug = study.gemeente(gemeente).slug if gemeente else None
    chosen: list[Transcript] = []
    left_out = 0
    for t in study.transcripts.values():
        if slug and t.path.parent.name != slug:
            continue
        if t.meta.get("consent") is True and t.meta.get("pseudonymised") is True:
            chosen.append(t)
        else:
            left_out += 1
    ids = {t.id for t in chosen}
    codings = sorted((c for c in study.codings if c.transcript in ids), key=lambda c: (c.coder, *c.sort_key()))
    return chosen, codings, left_out


def _positions(body: str, offsets: str) -> Callable[[int], int]:
    """Offset in the body (code points) -> offset in the export's convention."""
    if offsets == "codepoint" or body.isascii() or not _ASTRAL.search(body):
        return lambda i: i
    extra = [0]
    for ch in body:
        extra.append(extra[-1] + (1 if ord(ch) > 0xFFFF else 0))
    return lambda i: i + extra[i]


def _variables(b: _Builder, root: etree._Element, transcripts: list[Transcript]) -> Callable[[Any, str], None]:
    """The Variables element; returns a function that adds a transcript's values to an element."""
    values = {t.id: {k: t.meta.get(k) for k in VARIABLES if t.meta.get(k) not in (None, "")} for t in transcripts}
    used = [k for k in VARIABLES if any(k in v for v in values.values())]

    def add_values(parent: etree._Element, tid: str) -> None:
        for key in used:
            if key not in values[tid]:
                continue
            node = b.el(parent, "VariableValue")
            b.el(node, "VariableRef", targetGUID=b.guid("variable", key))
            value = values[tid][key]
            text = str(value).lower() if isinstance(value, bool) else str(value)
            b.el(node, _VALUE_TAG[VARIABLES[key]], text)

    if used:
        variables = b.el(root, "Variables")
        for key in used:
            b.el(variables, "Variable", guid=b.guid("variable", key), name=key, typeOfVariable=VARIABLES[key])
    return add_values


def _selection(b: _Builder, source: etree._Element, c: Coding, pos: Callable[[int], int]) -> str | None:
    """A PlainTextSelection with its coding; returns the GUID of its note (None without a memo)."""
    key = (c.transcript, c.start, c.end, c.code, c.coder)
    user = b.guid("user", c.coder)
    when = _timestamp(c.timestamp)
    selection = b.el(
        source,
        "PlainTextSelection",
        guid=b.guid("selection", *key),
        name=" ".join(c.text.split())[:100],
        startPosition=pos(c.start),
        endPosition=pos(c.end),
        creatingUser=user,
        creationDateTime=when,
    )
    coding = b.el(selection, "Coding", guid=b.guid("coding", *key), creatingUser=user, creationDateTime=when)
    b.el(coding, "CodeRef", targetGUID=b.guid("code", c.code))
    if not c.memo:
        return None
    note_guid = b.guid("note", *key)
    b.el(selection, "NoteRef", targetGUID=note_guid)
    return note_guid


def _sources(
    b: _Builder, root: etree._Element, transcripts: list[Transcript], codings: list[Coding], offsets: str
) -> tuple[dict[str, bytes], list[tuple[str, Coding]]]:
    add_values = _variables(b, root, transcripts)
    if transcripts:
        cases = b.el(root, "Cases")
        for t in transcripts:
            case = b.el(cases, "Case", guid=b.guid("case", t.id), name=t.id)
            add_values(case, t.id)
            b.el(case, "SourceRef", targetGUID=b.guid("source", t.id))
    files: dict[str, bytes] = {}
    notes: list[tuple[str, Coding]] = []
    by_transcript: dict[str, list[Coding]] = {}
    for c in codings:
        by_transcript.setdefault(c.transcript, []).append(c)
    sources = b.el(root, "Sources") if transcripts else None
    for t in transcripts:
        source_guid = b.guid("source", t.id)
        files[f"sources/{source_guid}.txt"] = t.body.encode("utf-8")
        source = b.el(sources, "TextSource", guid=source_guid, name=t.id, plainTextPath=f"internal://{source_guid}.txt")
        pos = _positions(t.body, offsets)
        for c in by_transcript.get(t.id, []):
            note_guid = _selection(b, source, c, pos)
            if note_guid:
                notes.append((note_guid, c))
        add_values(source, t.id)
    return files, notes


def project_files(
    study: Study, gemeente: str | None = None, offsets: str = "codepoint"
) -> tuple[bytes, dict[str, bytes], ExportSummary]:
    """project.qde (validated) and the source files of the project, with a summary. `offsets`:
    "codepoint" (the standard) or "utf16" (UTF-16 code units, as NVivo counts)."""
    if offsets not in OFFSETS:
        raise DialoogError(f"unknown offsets '{offsets}'", key="--offsets", hint="use codepoint or utf16")
    transcripts, codings, left_out = select(study, gemeente)
    b = _Builder(refi.PROJECT_NS, refi.study_namespace(study.root, create=True))
    name = f"dialoog: {study.root.name}" + (f" ({study.gemeente(gemeente).name})" if gemeente else "")
    root = b.el(None, "Project", name=name, origin=ORIGIN)
    summary = ExportSummary(Path(), len(transcripts), left_out, len(study.codebook.codes), len(codings))
    coders = sorted({c.coder for c in codings})
    summary.users = coders
    if coders:
        users = b.el(root, "Users")
        for coder in coders:
            b.el(users, "User", guid=b.guid("user", coder), name=coder, id=coder)
    if study.codebook.codes:
        _codes(b, b.el(root, "CodeBook"), study.codebook)
    files, notes = _sources(b, root, transcripts, codings, offsets)
    if notes:
        container = b.el(root, "Notes")
        for note_guid, c in notes:
            note = b.el(
                container,
                "Note",
                guid=note_guid,
                name=f"Memo: {study.codebook.label(c.code)} ({c.transcript})",
                creatingUser=b.guid("user", c.coder),
                creationDateTime=_timestamp(c.timestamp),
            )
            b.el(note, "PlainTextContent", c.memo)
    summary.notes = len(notes)
    refi.validate(root, refi.PROJECT_XSD, "project.qde")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True), files, summary


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def export_qdpx(
    study_root: Path | str, out: Path | str, gemeente: str | None = None, offsets: str = "codepoint"
) -> ExportSummary:
    """Write the study (or one gemeente) as a REFI-QDA project; a study with problems is not exported."""
    study = open_study(study_root)
    qde, files, summary = project_files(study, gemeente, offsets)
    atomic_write_bytes(Path(out), _zip({"project.qde": qde, **files}))
    summary.path = Path(out)
    return summary


def export_qdc(study_root: Path | str, out: Path | str) -> ExportSummary:
    """Write the study's codebook as a REFI-QDA codebook."""
    study = open_study(study_root, strict=False)
    data = codebook_xml(study)
    atomic_write_bytes(Path(out), data)
    return ExportSummary(Path(out), codes=len(study.codebook.codes))
