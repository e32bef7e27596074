"""Import raw transcripts (.txt, .md, .docx, .odt) into the normalised form.

Speaker labels in the common styles are recognised: ``Interviewer:``/``Respondent:``, ``I:``/``R:``,
``R1:``/``R2:``, ``Int.:``/``Resp.:``, a name with an organisation like ``Marloes (COC):``, each
optionally preceded by a timestamp like ``[00:12:31]``. Lines without a label continue the turn
before them. Raw files are read, never changed.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dialoog.errors import DialoogError
from dialoog.study import transcripts as transcripts_mod
from dialoog.study.gemeenten import Gemeente, match_wijk, wijken
from dialoog.study.transcripts import ROLES

SUPPORTED = (".txt", ".md", ".docx", ".odt")

_TS = r"(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?\s*[-–]?\s*)"
_LABEL = r"(?P<label>[^\W\d_][\w.'’\- ]{0,30}?(?:\s*\([^()\n]{1,50}\))?)"
LINE_RE = re.compile(rf"^\s*{_TS}?(?:\*\*|__)?\s*{_LABEL}\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?P<text>.*?)\s*$")
_GENERIC = {
    "i": "Interviewer",
    "int": "Interviewer",
    "interviewer": "Interviewer",
    "interviewster": "Interviewer",
    "onderzoeker": "Interviewer",
    "r": "Respondent",
    "resp": "Respondent",
    "respondent": "Respondent",
    "respondente": "Respondent",
    "geinterviewde": "Respondent",
    "geïnterviewde": "Respondent",
    "spreker": "Spreker",
    "speaker": "Spreker",
}
_NUMBERED = re.compile(r"^(?P<base>[^\W\d_][\w]*?)\.?\s*(?P<n>\d{1,2})$")


@dataclass
class ImportResult:
    source: Path
    turns: list[tuple[str, str]]
    skipped_lines: int
    encoding: str | None = None

    def speakers(self) -> Counter[str]:
        return Counter(s for s, _ in self.turns)

    def words(self) -> int:
        return sum(len(t.split()) for _, t in self.turns)


def canonical_speaker(label: str) -> str | None:
    """The normalised speaker name of a generic label ('Int.' -> 'Interviewer', 'R2' -> 'Respondent 2')."""
    key = label.strip().rstrip(".").lower()
    if key in _GENERIC:
        return _GENERIC[key]
    m = _NUMBERED.match(key)
    if m and m.group("base").rstrip(".") in _GENERIC:
        return f"{_GENERIC[m.group('base').rstrip('.')]} {int(m.group('n'))}"
    return None


def _is_name_label(label: str) -> bool:
    """A label such as 'Marloes' or 'Marloes (COC)': at most four words, starting with a capital."""
    words = re.sub(r"\(.*\)", "", label).split()
    return 1 <= len(words) <= 4 and label[0].isupper()


def mask_label(speaker: str) -> str:
    """Speaker label safe to print: generic labels in full, names reduced to their initial."""
    if canonical_speaker(speaker) is not None or re.match(r"^(Interviewer|Respondent|Spreker)( \d+)?$", speaker):
        return speaker
    org = re.search(r"\(([^()]*)\)", speaker)
    return speaker[0] + "…" + (f" ({org.group(1)})" if org else "")


# -- reading files ---------------------------------------------------------------------------


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM) or Windows-1252; returns (text, encoding)."""
    if b"\x00" in data[:4096]:
        raise DialoogError(
            "this is not a text file (it contains binary data)", path=path, hint="save it as .txt, .docx or .odt"
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        raise DialoogError(
            "the text is neither UTF-8 nor Windows-1252",
            path=path,
            hint="open it in a text editor and save it as UTF-8",
        ) from None


def _docx_lines(path: Path) -> list[str]:
    import docx  # python-docx
    from docx.opc.exceptions import OpcError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError) as exc:
        raise DialoogError(
            f"cannot read this Word file ({type(exc).__name__})",
            path=path,
            hint="open it in Word or LibreOffice and save it again as .docx",
        ) from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:  # some transcription services put turns in a table
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            if len(cells) >= 2 and cells[0] and not cells[0].endswith(":"):
                cells[0] += ":"
            lines.append(" ".join(cells))
    return lines


def _odt_lines(path: Path) -> list[str]:
    from odf import teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    try:
        document = load(str(path))
    except Exception as exc:  # odfpy raises many kinds for damaged files
        raise DialoogError(
            f"cannot read this OpenDocument file ({type(exc).__name__})",
            path=path,
            hint="open it in LibreOffice and save it again as .odt",
        ) from None
    lines: list[str] = []

    def walk(node: Any) -> None:  # paragraphs and headings in document order
        for child in node.childNodes:
            if getattr(child, "qname", None) in {(TEXTNS, "p"), (TEXTNS, "h")}:
                lines.append(teletype.extractText(child))
            elif child.nodeType == child.ELEMENT_NODE:
                walk(child)

    walk(document.text)
    return lines


def read_lines(path: Path) -> tuple[list[str], str | None]:
    """The lines of a raw transcript and the encoding it was read with (None for .docx/.odt)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DialoogError(
            f"unsupported file type '{suffix or '(none)'}'", path=path, hint="supported: " + ", ".join(SUPPORTED)
        )
    if not path.is_file():
        raise DialoogError("file not found", path=path)
    if suffix == ".docx":
        return _docx_lines(path), None
    if suffix == ".odt":
        return _odt_lines(path), None
    text, encoding = decode(path.read_bytes(), path)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if suffix == ".md":
        lines = _strip_markdown(lines)
    return lines, encoding


def _strip_markdown(lines: list[str]) -> list[str]:
    if lines and lines[0].strip() == "---":  # drop a YAML front matter block
        for i, line in enumerate(lines[1:], start=1):
            if line.strip() == "---":
                lines = lines[i + 1 :]
                break
    return ["" if re.match(r"^\s*(#{1,6}\s|---+\s*$|\*\*\*+\s*$)", ln) else ln.lstrip("> ") for ln in lines]


# -- turns -----------------------------------------------------------------------------------


def detect_turns(lines: list[str], path: Path) -> tuple[list[tuple[str, str]], int]:
    """Split lines into (speaker, text) turns; returns the turns and the number of lines skipped
    before the first label."""
    candidates: Counter[str] = Counter()
    parsed: list[tuple[str | None, str]] = []
    for raw in lines:
        line = raw.strip()
        m = LINE_RE.match(line) if line else None
        if m and m.group("text"):
            label = " ".join(m.group("label").split())
            candidates[label] += 1
            parsed.append((label, m.group("text")))
        else:
            parsed.append((None, line))
    accepted = {
        label
        for label, n in candidates.items()
        if canonical_speaker(label) is not None or (n >= 2 and _is_name_label(label))
    }
    turns: list[tuple[str, list[str]]] = []
    skipped = 0
    for label, text in parsed:
        if label is not None and label in accepted:
            speaker = canonical_speaker(label) or label
            turns.append((speaker, [text]))
        else:
            full = text if label is None else f"{label}: {text}"
            if not full:
                continue
            if turns:
                turns[-1][1].append(full)
            else:
                skipped += 1
    if not turns:
        raise DialoogError(
            "no speaker labels found",
            path=path,
            hint="start each turn with a label such as 'Interviewer:', 'I:', 'R1:' or 'Naam (organisatie):'",
        )
    return [(s, " ".join(" ".join(parts).split())) for s, parts in turns], skipped


def read_transcript(path: Path) -> ImportResult:
    lines, encoding = read_lines(path)
    turns, skipped = detect_turns(lines, Path(path))
    return ImportResult(Path(path), turns, skipped, encoding)


def next_id(folder: Path, slug: str, taken: set[str]) -> str:
    n = 1
    existing = {p.stem for p in folder.glob("*.md")} | taken
    while f"{slug}-{n:02d}" in existing:
        n += 1
    return f"{slug}-{n:02d}"


def build_meta(
    tid: str,
    gemeente: Gemeente,
    *,
    wijk: str | None = None,
    datum: Any = None,
    interviewer: str | None = None,
    respondent: str = "onbekend",
    consent: bool = False,
) -> dict[str, Any]:
    if respondent not in ROLES:
        raise DialoogError(
            f"unknown respondent role '{respondent}'", key="--respondent", hint="use one of: " + ", ".join(ROLES)
        )
    if wijk is not None:
        matched = match_wijk(gemeente, wijk)
        if matched is None:
            raise DialoogError(
                f"'{wijk}' is not a CBS wijk of {gemeente.name}",
                key="--wijk",
                hint="known wijken: " + ", ".join(wijken(gemeente.code)),
            )
        wijk = matched
    return {
        "id": tid,
        "gemeente": gemeente.name,
        "wijk": wijk,
        "datum": datum,
        "interviewer": interviewer,
        "respondent": respondent,
        "consent": consent,
        "pseudonymised": False,
    }


def write_transcript(study_interviews: Path, gemeente: Gemeente, result: ImportResult, meta: dict[str, Any]) -> Path:
    target = study_interviews / gemeente.slug / f"{meta['id']}.md"
    if target.exists():
        raise DialoogError(
            "a transcript with this id exists already", path=target, hint="choose another --id or leave --id out"
        )
    return transcripts_mod.save(target, meta, result.turns)
