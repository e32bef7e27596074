"""Import a REFI-QDA project (``.qdpx``, or a bare ``.qde``) or codebook (``.qdc``) into a study.

What comes in: text sources become normalised transcripts (`dialoog.ingest.normalise`: interviews when the
text has consistent speaker labels, documents otherwise; the text is kept exactly; consent and
pseudonymisation recorded as false unless the user says otherwise), the codebook is merged into
``codebook/codebook.yaml`` (`dialoog.ingest.refi_codebook`), and every plain-text selection becomes one
coding per code in ``codings/<user>.csv``.

Every selection is placed or reported with its reason, never truncated: its offsets are read in the
convention the source's tool used (detected per source, see `dialoog.exchange.offsets`) and mapped
exactly from the source text into the body. A selection that starts on a speaker label is placed on the
turn's text; one that spans turns is split at the turn boundary; both are reported. A source whose text
cannot be kept exactly is not imported, with the reason.

`plan_project`/`plan_codebook` read and check everything and return a `Plan`; nothing is written
until `Plan.write`, so a file that cannot be read leaves the study as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

from dialoog.errors import DialoogError
from dialoog.exchange import refi
from dialoog.exchange.offsets import DecodeError, SourceText, decode_text, detect, name_matches
from dialoog.fileio import atomic_write_text
from dialoog.ingest.formats import docx_text
from dialoog.ingest.normalise import Normalised, Segment, segment
from dialoog.ingest.refi_codebook import (
    NO_DESCRIPTION,
    CodebookMerge,
    ImportedCode,
    _guid,
    codebook_text,
    merge_codes,
    read_codes,
)
from dialoog.ingest.refi_package import Package, parse
from dialoog.ingest.refi_values import UNKNOWN_CODER, _coder, _meta, _variables
from dialoog.ingest.text import content_hash, describe_labels, next_id
from dialoog.study import codebook as codebook_mod
from dialoog.study import codings as codings_mod
from dialoog.study import transcripts as transcripts_mod
from dialoog.study.codings import Coding
from dialoog.study.folder import Study
from dialoog.study.gemeenten import Gemeente, find_gemeente
from dialoog.study.transcripts import ID_RE

__all__ = ["NO_DESCRIPTION", "CodebookMerge", "ImportedCode", "Plan", "convert", "plan_codebook", "plan_project"]
__all__ += ["read_codes", "merge_codes"]


def _items(element: etree._Element, container: str, item: str) -> list[etree._Element]:
    """The `item` children of the `container` child of `element` (empty when there is none)."""
    found = refi.child(element, container)
    return refi.children(found, item) if found is not None else []


def _codes_of(root: etree._Element) -> etree._Element | None:
    book = refi.child(root, "CodeBook")
    return refi.child(book, "Codes") if book is not None else None


# -- text sources into transcripts -----------------------------------------------------------


def convert(text: str, from_dialoog: bool = False) -> Normalised:
    """Turn a source text (canonical: LF line ends) into turns with an exact position map. A text that is a
    dialoog body already keeps its turns as they are: one with speaker labels (``**Name:**``), or any body
    of a project that dialoog exported (`from_dialoog`: documents, whose blocks have no label, too)."""
    if "**" in text or from_dialoog:
        try:
            parsed = transcripts_mod.parse_turns(text, Path("source"), 0)
        except DialoogError:
            parsed = []
        if parsed and (from_dialoog or any(t.speaker for t in parsed)):
            segments = [Segment(t.speaker, t.start, t.end, t.time) for t in parsed]
            removed = []
            for t in parsed:
                line_start = text.rfind("\n", 0, t.start) + 1
                if line_start < t.start:
                    removed.append((line_start, t.start, "label"))
            kind = "interview" if any(t.speaker for t in parsed) else "document"
            result = Normalised(text, segments, removed, kind)
            if result.body.strip("\n") == text.strip("\n"):
                return result
    return segment(text)


# -- the plan --------------------------------------------------------------------------------


@dataclass
class NewTranscript:
    path: Path
    meta: dict[str, Any]
    turns: list[tuple[str, str, str | None]]
    write: bool  # False when the study has this transcript already


@dataclass
class Plan:
    study: Study
    codebook: CodebookMerge | None = None
    transcripts: list[NewTranscript] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)
    info: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    kept_format: bool = True

    def write(self) -> list[Path]:
        """Write transcripts, the codebook and the codings (each file atomically); returns the files written."""
        written: list[Path] = []
        for t in self.transcripts:
            if t.write:
                transcripts_mod.save(t.path, t.meta, t.turns, exact=True)
                written.append(t.path)
        if self.codebook is not None and self.codebook.new:
            text, self.kept_format = codebook_text(self.study, self.codebook.new)
            codebook_mod.parse(yaml.safe_load(text), self.study.codebook_path)  # a bad merge is never written
            atomic_write_text(self.study.codebook_path, text)
            written.append(self.study.codebook_path)
        by_coder: dict[str, list[Coding]] = {}
        for c in self.codings:
            by_coder.setdefault(c.coder, []).append(c)
        for coder, rows in sorted(by_coder.items()):
            path = self.study.codings_dir / f"{coder}.csv"
            old = codings_mod.read(path) if path.is_file() else []
            seen = {(c.transcript, c.start, c.end, c.code) for c in old}
            new = [c for c in rows if (c.transcript, c.start, c.end, c.code) not in seen]
            if new:
                codings_mod.write(path, old + new)
                written.append(path)
        return written


def plan_codebook(study: Study, path: Path) -> Plan:
    """Read a .qdc and plan its merge into the study's codebook."""
    package = Package(path)
    root = parse(package.document(), package.path, "CodeBook")
    plan = Plan(study)
    _namespace_note(root, plan, "urn:QDA-XML:codebook:1.0")
    plan.codebook = merge_codes(study, read_codes(refi.child(root, "Codes")))
    sets = _items(root, "Sets", "Set")
    if sets:
        plan.info.append(f"{len(sets)} code set(s)/group(s) not imported (dialoog has no code sets)")
    return plan


def _namespace_note(root: etree._Element, plan: Plan, expected: str) -> None:
    ns = etree.QName(root).namespace
    if ns != expected:
        plan.info.append(f"namespace '{ns or '(none)'}' read as {expected}")


@dataclass
class _Context:
    """What every source of one project needs."""

    plan: Plan
    package: Package
    default: Gemeente | None
    users: dict[str, str]
    notes: dict[str, str]
    variables: dict[str, dict[str, Any]]
    existing: dict[str, str]  # content hash -> id of the transcripts in the study
    existing_ids: set[str]
    consent: bool
    pseudonymised: bool
    from_dialoog: bool = False  # the project is an export of dialoog: its sources are transcript bodies
    taken: set[str] = field(default_factory=set)


def plan_project(
    study: Study,
    path: Path,
    gemeente: str | None = None,
    *,
    consent: bool = False,
    pseudonymised: bool = False,
) -> Plan:
    """Read a REFI-QDA project and plan transcripts, codebook and codings; nothing is written."""
    from dialoog.ingest.text import existing_hashes

    package = Package(path)
    root = parse(package.document(), package.path, "Project")
    plan = Plan(study)
    _namespace_note(root, plan, refi.PROJECT_NS)
    default = find_gemeente(gemeente) if gemeente else None
    plan.codebook = merge_codes(study, read_codes(_codes_of(root)))
    plan.info.extend(plan.codebook.notes)
    users = {_guid(u.get("guid")): _coder(u.get("name"), _guid(u.get("guid"))) for u in _items(root, "Users", "User")}
    notes: dict[str, str] = {}
    for note in _items(root, "Notes", "Note"):
        text = refi.child_text(note, "PlainTextContent")
        if not text and note.get("plainTextPath"):
            data, _reason = package.source(note.get("plainTextPath"))
            try:
                text = decode_text(data)[0] if data is not None else ""
            except DecodeError:
                text = ""
        notes[_guid(note.get("guid"))] = text.strip()
    ctx = _Context(
        plan,
        package,
        default,
        users,
        notes,
        _variables(root),
        existing_hashes(study.interviews_dir),
        {p.stem for p in study.interviews_dir.glob("*/*.md")},
        consent,
        pseudonymised,
        from_dialoog=(root.get("origin") or "").strip() == refi.ORIGIN,
    )
    skipped: dict[str, int] = {}
    sources = refi.child(root, "Sources")
    number = 0
    for source in list(sources) if sources is not None else []:
        kind = refi.local(source)
        if kind is None:
            continue
        if kind != "TextSource":
            skipped[kind] = skipped.get(kind, 0) + 1
            continue
        number += 1
        _plan_source(ctx, source, f"source {number}")
    for kind, n in sorted(skipped.items()):
        plan.info.append(f"{n} {kind}(s) not imported: dialoog imports text sources only")
    for name in ("Sets", "Links", "Graphs"):
        element = refi.child(root, name)
        if element is not None and len(element):
            plan.info.append(f"{len(element)} {name[:-1].lower()}(s) not imported")
    return plan


def _source_text(ctx: _Context, source: etree._Element, label: str) -> tuple[SourceText | None, str]:
    """The text of a source: inline, from its plainTextPath, or from its richTextPath (.docx) when there
    is no plain text; None and the reason when there is none."""
    content = refi.child(source, "PlainTextContent")
    if content is not None and content.text:
        return SourceText(content.text), ""
    reasons = []
    ref = (source.get("plainTextPath") or "").strip()
    if ref:
        data, reason = ctx.package.source(ref)
        if data is not None:
            try:
                text, _encoding, bom = decode_text(data)
            except DecodeError as exc:
                return None, f"its text file cannot be read: {exc}" + (f" (line {exc.line})" if exc.line else "")
            if text.strip():
                return SourceText(text, bom), ""
            reason = "its text file is empty"
        reasons.append(reason)
    rich = (source.get("richTextPath") or "").strip()
    if rich:
        data, reason = ctx.package.source(rich)
        if data is not None and rich.lower().endswith(".docx"):
            try:
                return SourceText(docx_text(Path(f"{label}.docx"), data)), ""
            except DialoogError as exc:
                reason = f"its Word file cannot be read ({exc.detail})"
        elif data is not None:
            reason = "its rich text is not a .docx file"
        reasons.append(reason)
    return None, "its text is not in the file (" + ("; ".join(r for r in reasons if r) or "no plainTextPath") + ")"


def _gemeente(ctx: _Context, values: dict[str, Any], label: str) -> Gemeente | None:
    if values.get("gemeente"):
        try:
            return find_gemeente(str(values["gemeente"]))
        except DialoogError:
            ctx.plan.info.append(f"{label}: gemeente variable is not a CBS municipality; using --gemeente")
    return ctx.default


def _same_body(study: Study, tid: str, body: str) -> bool:
    """Whether the study's transcript `tid` has exactly this body (so codings' offsets fit it)."""
    for path in study.interviews_dir.glob(f"*/{tid}.md"):
        try:
            return transcripts_mod.load(path).body == body
        except DialoogError:
            return False
    return False


def _transcript_id(
    ctx: _Context, gemeente: Gemeente, source: etree._Element, converted: Normalised
) -> tuple[str, bool]:
    """The id of the new transcript, and whether to write it (not when the study has this text already)."""
    same = ctx.existing.get(content_hash(converted.texts()))
    if same is not None and same not in ctx.taken and _same_body(ctx.plan.study, same, converted.body):
        ctx.taken.add(same)
        return same, False
    stem = re.sub(r"\.(txt|md|docx|doc|odt|rtf|pdf)$", "", (source.get("name") or "").strip(), flags=re.IGNORECASE)
    ok = ID_RE.match(stem) and stem.startswith(gemeente.slug + "-")
    tid = stem if ok and stem not in ctx.taken and stem not in ctx.existing_ids else None
    if tid is None:
        tid = next_id(ctx.plan.study.interviews_dir / gemeente.slug, gemeente.slug, ctx.taken | ctx.existing_ids)
    ctx.taken.add(tid)
    return tid, True


def _plan_source(ctx: _Context, source: etree._Element, label: str) -> None:
    plan = ctx.plan
    selections = refi.children(source, "PlainTextSelection")
    whole = refi.children(source, "Coding")
    if whole:
        plan.problems.append(f"{label}: {len(whole)} coding(s) of the whole source not imported (no text selection)")
    text, reason = _source_text(ctx, source, label)
    if text is None:
        plan.problems.append(f"{label}: {reason}; source and its {len(selections)} selection(s) not imported")
        return _fail_selections(plan, label, selections)
    values = ctx.variables.get(_guid(source.get("guid")), {})
    gemeente = _gemeente(ctx, values, label)
    if gemeente is None:
        plan.problems.append(f"{label}: no gemeente (no variable 'gemeente'); not imported — pass --gemeente")
        return _fail_selections(plan, label, selections)
    try:
        converted = convert(text.text, ctx.from_dialoog)
    except DialoogError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        plan.problems.append(
            f"{label}: not imported{where}: {exc.detail}; its {len(selections)} selection(s) not imported either"
        )
        return _fail_selections(plan, label, selections)
    tid, write = _transcript_id(ctx, gemeente, source, converted)
    meta = _meta(values, gemeente, tid, ctx.consent, ctx.pseudonymised, plan.info, label)
    folder = plan.study.interviews_dir / gemeente.slug
    plan.transcripts.append(NewTranscript(folder / f"{tid}.md", meta, converted.turns(), write))
    _plan_selections(ctx, text, converted, selections, label, tid, write)


def _fail_selections(plan: Plan, label: str, selections: list[etree._Element]) -> None:
    """One line per selection of a source that was not imported: every coding is accounted for."""
    for n, sel in enumerate(selections, start=1):
        plan.problems.append(f"{label}, selection {n} [{_guid(sel.get('guid'))}]: its source was not imported")


def _plan_selections(
    ctx: _Context,
    text: SourceText,
    converted: Normalised,
    selections: list[etree._Element],
    label: str,
    tid: str,
    write: bool,
) -> None:
    plan = ctx.plan
    raw = []
    for sel in selections:
        try:
            raw.append((int(sel.get("startPosition")), int(sel.get("endPosition")), sel.get("name") or ""))
        except (TypeError, ValueError):
            raw.append((-1, -1, ""))
    detection = detect(text, raw)
    conv = detection.convention
    what = "document, no speakers" if converted.kind == "document" else "interview"
    if converted.labels.speakers:
        what += "; labels: " + describe_labels(converted.labels)
    summary = f"{label} -> {tid}: {len(converted.segments)} turns ({what}); offsets: {conv.describe()}"
    if not write:
        summary += f"; the study has this transcript already ({tid})"
    if detection.ambiguous:
        summary += " (other conventions fit as well; check a few codings)"
    placed = split = 0
    for n, (sel, (start, end, name)) in enumerate(zip(selections, raw, strict=True), start=1):
        where = f"{label} ({tid}), selection {n} [{_guid(sel.get('guid'))}]"
        span = text.place(conv, start, end)
        if span is None:
            plan.problems.append(f"{where}: positions {start}-{end} do not fall on the text; not imported")
            continue
        if detection.by_names and name and not name_matches(text.text[span[0] : span[1]], name):
            plan.problems.append(
                f"{where}: the text at {start}-{end} is not the text the selection names; not imported"
            )
            continue
        pieces, on_label = converted.to_body(*span)
        if not pieces:
            plan.problems.append(
                f"{where}: it covers no text of a turn (only a speaker label or white space); not imported"
            )
            continue
        if on_label:
            plan.info.append(f"{where}: includes a speaker label; placed on the turn's text")
        if len(pieces) > 1:
            split += 1
            plan.info.append(f"{where}: spans {len(pieces)} turns; split into {len(pieces)} codings")
        if _add_codings(ctx, sel, where, tid, pieces, converted.body):
            placed += 1
    summary += f"; {placed} of {len(selections)} selection(s) placed" + (f", {split} split" if split else "")
    plan.info.append(summary)


def _add_codings(
    ctx: _Context, sel: etree._Element, where: str, tid: str, pieces: list[tuple[int, int]], body: str
) -> bool:
    plan = ctx.plan
    codings = refi.children(sel, "Coding")
    if not codings:
        plan.problems.append(f"{where}: has no coding; not imported")
        return False
    sel_notes = [ctx.notes.get(_guid(r.get("targetGUID")), "") for r in refi.children(sel, "NoteRef")]
    added = False
    for coding in codings:
        ref = refi.child(coding, "CodeRef")
        target = _guid(ref.get("targetGUID") if ref is not None else "")
        code = plan.codebook.ids.get(target) if plan.codebook else None
        if code is None:
            plan.problems.append(f"{where}: a coding refers to a code that is not in the codebook; not imported")
            continue
        user = _guid(coding.get("creatingUser") or sel.get("creatingUser"))
        coder = ctx.users.get(user) or (f"user-{user[:8]}" if user else UNKNOWN_CODER)
        memo_parts = [ctx.notes.get(_guid(r.get("targetGUID")), "") for r in refi.children(coding, "NoteRef")]
        memo_parts = [m for m in memo_parts if m] or [m for m in sel_notes if m]
        if not memo_parts and refi.child_text(sel, "Description").strip():
            memo_parts = [refi.child_text(sel, "Description").strip()]
        stamp = (coding.get("creationDateTime") or sel.get("creationDateTime") or "").strip()
        try:
            dt.datetime.fromisoformat(stamp)
        except ValueError:
            stamp = ""
        for bs, be in pieces:
            plan.codings.append(Coding(tid, bs, be, body[bs:be], code, coder, "\n\n".join(memo_parts), stamp))
        added = True
    return added
