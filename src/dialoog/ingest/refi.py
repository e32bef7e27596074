"""Import a REFI-QDA project (``.qdpx``, or a bare ``.qde``) or codebook (``.qdc``) into a study.

What comes in: text sources become normalised transcripts (speaker turns found with
`dialoog.ingest.text.detect_turns`; consent and pseudonymisation recorded as false unless the user says
otherwise), the codebook is merged into ``codebook/codebook.yaml`` (existing codes are kept and
matched by GUID, dialoog code id or label; new codes get ids slugged from their names), and every
plain-text selection becomes one coding per code in ``codings/<user>.csv``.

Every selection is checked: its offsets are read in the convention the source's tool used (detected
per source, see `dialoog.exchange.offsets`), mapped from the source text into the new transcript body,
and compared with the text there. A selection that cannot be placed is reported and left out, never
shifted; one that spans turns is split at the turn boundary and reported.

`plan_project`/`plan_codebook` read and check everything and return a `Plan`; nothing is written
until `Plan.write`, so a file that cannot be read leaves the study as it was.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from lxml import etree

from dialoog.errors import DialoogError
from dialoog.exchange import refi
from dialoog.exchange.offsets import SourceText, detect, name_matches
from dialoog.fileio import atomic_write_text
from dialoog.ingest.text import detect_turns, next_id
from dialoog.study import codebook as codebook_mod
from dialoog.study import codings as codings_mod
from dialoog.study import transcripts as transcripts_mod
from dialoog.study.codings import Coding
from dialoog.study.folder import Study
from dialoog.study.gemeenten import Gemeente, find_gemeente, match_wijk, slugify
from dialoog.study.transcripts import ID_RE, ROLES

NO_DESCRIPTION = "Geen beschrijving (geïmporteerd uit REFI-QDA)."
UNKNOWN_CODER = "onbekend"


def _guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


def _items(element: etree._Element, container: str, item: str) -> list[etree._Element]:
    """The `item` children of the `container` child of `element` (empty when there is none)."""
    found = refi.child(element, container)
    return refi.children(found, item) if found is not None else []


def _codes_of(root: etree._Element) -> etree._Element | None:
    book = refi.child(root, "CodeBook")
    return refi.child(book, "Codes") if book is not None else None


def _norm(text: str) -> str:
    return " ".join(text.split())


# -- reading the package ---------------------------------------------------------------------


class Package:
    """A .qdpx zip, or a bare .qde/.qdc file with an optional sources/ folder beside it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise DialoogError("file not found", path=self.path)
        self.zip: zipfile.ZipFile | None = None
        if zipfile.is_zipfile(self.path):
            self.zip = zipfile.ZipFile(self.path)
            self.members = {n.lower(): n for n in self.zip.namelist() if not n.endswith("/")}

    def document(self) -> bytes:
        if self.zip is None:
            return self.path.read_bytes()
        candidates = [n for n in self.members if n.endswith(".qde")]
        if not candidates:
            raise DialoogError(
                "this zip has no project.qde", path=self.path, hint="export a REFI-QDA project (.qdpx) from your tool"
            )
        best = "project.qde" if "project.qde" in candidates else sorted(candidates, key=len)[0]
        return self.zip.read(self.members[best])

    def source(self, ref: str) -> bytes | None:
        """The bytes of a source named by a plainTextPath (internal:// or relative://), or None."""
        m = re.match(r"^(internal|relative)://(.+)$", ref.strip(), re.IGNORECASE)
        if not m:
            return None
        name = PurePosixPath(m.group(2).replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts:
            return None
        if m.group(1).lower() == "internal":
            wanted = [f"sources/{name}".lower(), str(name).lower()]
        else:
            wanted = [str(name).lower()]
        if self.zip is not None:
            for w in wanted:
                if w in self.members:
                    return self.zip.read(self.members[w])
            return None
        folder = self.path.parent
        for sub in ("sources", "Sources", ""):
            candidate = (folder / sub / str(name)) if sub else folder / str(name)
            if candidate.is_file():
                return candidate.read_bytes()
        return None


def _parse(data: bytes, path: Path, root_name: str) -> etree._Element:
    try:
        root = etree.fromstring(data, refi.safe_parser())
    except etree.XMLSyntaxError as exc:
        raise DialoogError(
            f"not a readable REFI-QDA file: XML error at line {exc.lineno}",
            path=path,
            hint="export it again from your tool",
        ) from None
    if refi.local(root) != root_name:
        raise DialoogError(
            f"expected a REFI-QDA {root_name} document, found <{refi.local(root)}>",
            path=path,
            hint="use import-qdpx for projects (.qdpx, .qde) and import-qdc for codebooks (.qdc)",
        )
    return root


# -- the codebook ----------------------------------------------------------------------------


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


# -- text sources into transcripts -----------------------------------------------------------


@dataclass
class Word:
    t_start: int  # in the source text
    t_end: int
    b_start: int  # in the transcript body
    turn: int


@dataclass
class Converted:
    """A source text turned into transcript turns, with the map from source positions to the body."""

    turns: list[tuple[str, str]]
    body: str
    words: list[Word]
    shift: int | None  # set when the source text is already a dialoog body (positions shift by it)
    spans: list[tuple[int, int]]  # per turn: its text span in the source (exact when shift is set)
    labelled: bool = True

    def __post_init__(self) -> None:
        self._starts = [w.t_start for w in self.words]
        self._ends = [w.t_end for w in self.words]

    def map(self, source: str, start: int, end: int) -> tuple[list[tuple[int, int]], str | None]:
        """Body spans for source[start:end] (one per turn it touches), or a reason it cannot be placed."""
        if self.shift is not None:
            for s, e in self.spans:
                if s <= start and end <= e:
                    return [(start + self.shift, end + self.shift)], None
        lo = bisect.bisect_right(self._ends, start)
        hi = bisect.bisect_left(self._starts, end)
        covered = self.words[lo:hi]
        if not covered:
            return [], "it covers no words of a speaker turn (only labels, blank lines or text before the first label)"
        groups: list[list[Word]] = []
        for w in covered:
            if groups and groups[-1][0].turn == w.turn:
                groups[-1].append(w)
            else:
                groups.append([w])
        pieces = []
        for group in groups:
            first, last = group[0], group[-1]
            bs = first.b_start + max(0, start - first.t_start)
            be = last.b_start + min(last.t_end, end) - last.t_start
            src = source[max(start, first.t_start) : min(end, last.t_end)]
            if _norm(src) != _norm(self.body[bs:be]):
                return [], "its text differs from the transcript made of the source"
            pieces.append((bs, be))
        return pieces, None


def _body(turns: list[tuple[str, str]]) -> str:
    text = transcripts_mod.render({}, turns)
    return transcripts_mod.split_front_matter(text, Path("source"))[1]


def convert(text: str) -> Converted:
    """Turn a source text (canonical: LF line ends) into speaker turns and a position map."""
    where = Path("source")
    try:  # a dialoog export: the text is already a transcript body
        parsed = transcripts_mod.parse_turns(text, where, 0)
    except DialoogError:
        parsed = []
    if parsed:
        turns = [(t.speaker, t.text) for t in parsed]
        body = _body(turns)
        core = text.strip("\n")
        if body.strip("\n") == core:
            shift = body.index(core) - text.index(core)
            words = [
                Word(t.start + m.start(), t.start + m.end(), t.start + shift + m.start(), i)
                for i, t in enumerate(parsed)
                for m in re.finditer(r"\S+", t.text)
            ]
            return Converted(turns, body, words, shift, [(t.start, t.end) for t in parsed])
    lines = text.split("\n")
    labelled = True
    try:
        turns, _skipped = detect_turns(lines, where)
    except DialoogError:
        turns = [("Spreker", _norm(line)) for line in lines if line.strip()]
        labelled = False
    if not turns:
        raise DialoogError("the source has no text")
    body = _body(turns)
    body_turns = transcripts_mod.parse_turns(body, where, 0)
    words: list[Word] = []
    pos = 0
    for i, ((_speaker, turn_text), bt) in enumerate(zip(turns, body_turns, strict=True)):
        b = bt.start
        for token in turn_text.split(" "):
            k = text.find(token, pos)
            if k < 0:  # cannot happen for text that detect_turns made; stop mapping rather than guess
                return Converted(turns, body, words, None, [], labelled)
            words.append(Word(k, k + len(token), b, i))
            pos = k + len(token)
            b += len(token) + 1
    return Converted(turns, body, words, None, [], labelled)


# -- the plan --------------------------------------------------------------------------------


@dataclass
class NewTranscript:
    path: Path
    meta: dict[str, Any]
    turns: list[tuple[str, str]]
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
                transcripts_mod.save(t.path, t.meta, t.turns)
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


def _coder(name: str | None, user_guid: str) -> str:
    slug = slugify(name or "")[:40].strip("-")
    if not slug:
        slug = f"user-{user_guid[:8]}" if user_guid else UNKNOWN_CODER
    return slug


def _value(element: etree._Element) -> Any:
    for tag in ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue"):
        node = refi.child(element, tag)
        if node is None:
            continue
        text = (node.text or "").strip()
        if tag == "BooleanValue":
            return text.lower() in ("true", "1")
        if tag in ("DateValue", "DateTimeValue"):
            try:
                return dt.date.fromisoformat(text[:10])
            except ValueError:
                return None
        return text
    return None


def _variables(root: etree._Element) -> dict[str, dict[str, Any]]:
    """Variable values per source guid: from cases that refer to the source and from the source itself."""
    names = {}
    for var in _items(root, "Variables", "Variable"):
        names[_guid(var.get("guid"))] = (var.get("name") or "").strip().lower()

    def values_of(element: etree._Element) -> dict[str, Any]:
        out = {}
        for vv in refi.children(element, "VariableValue"):
            ref = refi.child(vv, "VariableRef")
            name = names.get(_guid(ref.get("targetGUID") if ref is not None else ""))
            if name:
                out[name] = _value(vv)
        return out

    per_source: dict[str, dict[str, Any]] = {}
    for case in _items(root, "Cases", "Case"):
        values = values_of(case)
        for ref in refi.children(case, "SourceRef"):
            per_source.setdefault(_guid(ref.get("targetGUID")), {}).update(values)
    for source in _items(root, "Sources", "TextSource"):
        per_source.setdefault(_guid(source.get("guid")), {}).update(values_of(source))
    return per_source


def _meta(
    values: dict[str, Any],
    gemeente: Gemeente,
    tid: str,
    consent: bool,
    pseudonymised: bool,
    info: list[str],
    label: str,
) -> dict[str, Any]:
    wijk = values.get("wijk")
    if wijk:
        matched = match_wijk(gemeente, str(wijk))
        if matched is None:
            info.append(f"{label}: the wijk is not a CBS wijk of {gemeente.name}; left empty")
        wijk = matched
    role = str(values.get("respondent") or values.get("role") or "onbekend").strip().lower()
    if role not in ROLES:
        info.append(f"{label}: unknown respondent role; recorded as 'onbekend'")
        role = "onbekend"
    datum = values.get("datum") or values.get("date")
    if isinstance(datum, str):
        try:
            datum = dt.date.fromisoformat(datum[:10])
        except ValueError:
            datum = None
    interviewer = values.get("interviewer")
    meta: dict[str, Any] = {
        "id": tid,
        "gemeente": gemeente.name,
        "wijk": wijk or None,
        "datum": datum if isinstance(datum, dt.date) else None,
        "interviewer": str(interviewer) if interviewer else None,
        "respondent": role,
        "consent": consent,
        "pseudonymised": pseudonymised,
    }
    if values.get("fictional") is True:
        meta["fictional"] = True
    return meta


def plan_codebook(study: Study, path: Path) -> Plan:
    """Read a .qdc and plan its merge into the study's codebook."""
    package = Package(path)
    root = _parse(package.document(), package.path, "CodeBook")
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


def plan_project(
    study: Study,
    path: Path,
    gemeente: str | None = None,
    *,
    consent: bool = False,
    pseudonymised: bool = False,
) -> Plan:
    """Read a REFI-QDA project and plan transcripts, codebook and codings; nothing is written."""
    package = Package(path)
    root = _parse(package.document(), package.path, "Project")
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
            data = package.source(note.get("plainTextPath"))
            text = SourceText.from_bytes(data).text if data is not None else ""
        notes[_guid(note.get("guid"))] = text.strip()
    variables = _variables(root)

    existing_ids = {p.stem for p in study.interviews_dir.glob("*/*.md")}
    taken: set[str] = set()
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
        _plan_source(
            plan, package, source, number, default, users, notes, variables, existing_ids, taken, consent, pseudonymised
        )
    for kind, n in sorted(skipped.items()):
        plan.info.append(f"{n} {kind}(s) not imported: dialoog imports text sources only")
    for name in ("Sets", "Links", "Graphs"):
        element = refi.child(root, name)
        if element is not None and len(element):
            plan.info.append(f"{len(element)} {name[:-1].lower()}(s) not imported")
    return plan


def _plan_source(
    plan: Plan,
    package: Package,
    source: etree._Element,
    number: int,
    default: Gemeente | None,
    users: dict[str, str],
    notes: dict[str, str],
    variables: dict[str, dict[str, Any]],
    existing_ids: set[str],
    taken: set[str],
    consent: bool,
    pseudonymised: bool,
) -> None:
    label = f"source {number}"
    selections = refi.children(source, "PlainTextSelection")
    whole = refi.children(source, "Coding")
    if whole:
        plan.problems.append(f"{label}: {len(whole)} coding(s) of the whole source not imported (no text selection)")
    content = refi.child(source, "PlainTextContent")
    if content is not None and content.text:
        text = SourceText(content.text)
    else:
        ref = source.get("plainTextPath") or ""
        data = package.source(ref) if ref else None
        if data is None:
            plan.problems.append(
                f"{label}: its text is not in the file ({ref or 'no plainTextPath'}); source and its "
                f"{len(selections)} selection(s) not imported"
            )
            return
        text = SourceText.from_bytes(data)
    values = variables.get(_guid(source.get("guid")), {})
    gemeente = default
    if values.get("gemeente"):
        try:
            gemeente = find_gemeente(str(values["gemeente"]))
        except DialoogError:
            plan.info.append(f"{label}: gemeente variable is not a CBS municipality; using --gemeente")
    if gemeente is None:
        plan.problems.append(f"{label}: no gemeente (no variable 'gemeente'); not imported — pass --gemeente")
        return
    try:
        converted = convert(text.text)
    except DialoogError:
        plan.problems.append(f"{label}: the source has no text; not imported")
        return
    if not converted.labelled:
        plan.info.append(f"{label}: no speaker labels found; every paragraph became a turn of 'Spreker'")

    body = converted.body
    folder = plan.study.interviews_dir / gemeente.slug
    stem = re.sub(r"\.(txt|md|docx|doc|odt|rtf|pdf)$", "", (source.get("name") or "").strip(), flags=re.IGNORECASE)
    tid = stem if ID_RE.match(stem) and stem.startswith(gemeente.slug + "-") and stem not in taken else None
    write = True
    if tid is not None and tid in existing_ids:
        target = folder / f"{tid}.md"
        same = False
        if target.is_file():
            try:
                same = transcripts_mod.load(target).body == body
            except DialoogError:
                same = False
        if same:
            write = False
        else:
            tid = None
    if tid is None:
        tid = next_id(folder, gemeente.slug, taken | existing_ids)
    taken.add(tid)
    meta = _meta(values, gemeente, tid, consent, pseudonymised, plan.info, label)
    plan.transcripts.append(NewTranscript(folder / f"{tid}.md", meta, converted.turns, write))

    raw = []
    for sel in selections:
        try:
            raw.append((int(sel.get("startPosition")), int(sel.get("endPosition")), sel.get("name") or ""))
        except (TypeError, ValueError):
            raw.append((-1, -1, ""))
    detection = detect(text, raw)
    conv = detection.convention
    summary = f"{label} -> {tid}: {len(converted.turns)} turns; offsets: {conv.describe()}"
    if not write:
        summary += "; the study has this transcript already"
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
        pieces, reason = converted.map(text.text, *span)
        if reason:
            plan.problems.append(f"{where}: cannot be placed: {reason}; not imported")
            continue
        if len(pieces) > 1:
            split += 1
            plan.info.append(f"{where}: spans {len(pieces)} turns; split into {len(pieces)} codings")
        codings = refi.children(sel, "Coding")
        if not codings:
            plan.problems.append(f"{where}: has no coding; not imported")
            continue
        sel_notes = [notes.get(_guid(r.get("targetGUID")), "") for r in refi.children(sel, "NoteRef")]
        for coding in codings:
            ref = refi.child(coding, "CodeRef")
            code = (
                plan.codebook.ids.get(_guid(ref.get("targetGUID") if ref is not None else ""))
                if plan.codebook
                else None
            )
            if code is None:
                plan.problems.append(f"{where}: a coding refers to a code that is not in the codebook; not imported")
                continue
            user = _guid(coding.get("creatingUser") or sel.get("creatingUser"))
            coder = users.get(user) or (f"user-{user[:8]}" if user else UNKNOWN_CODER)
            memo_parts = [notes.get(_guid(r.get("targetGUID")), "") for r in refi.children(coding, "NoteRef")]
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
        placed += 1
    summary += f"; {placed} of {len(selections)} selection(s) placed" + (f", {split} split" if split else "")
    plan.info.append(summary)
