"""Retrieval: every fragment of a code (and its subcodes), filtered by gemeente, respondent role and coder,
and exported as CSV or as a Word table for a team meeting.

Exports go to ``reports/fragmenten/`` in the study: like every report output they hold transcript text, and
git ignores that folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_bytes, atomic_write_text
from dialoog.study.folder import Study
from dialoog.study.transcripts import ROLES

COLUMNS = ("transcript", "gemeente", "rol", "coder", "code", "label", "start", "end", "text", "memo")


@dataclass(frozen=True)
class Filter:
    code: str
    gemeente: str = ""  # a slug, or "" for all
    rol: str = ""  # a respondent role (key of ROLES), or "" for all
    coder: str = ""  # a coder, or "" for all
    subcodes: bool = True


def fragments(study: Study, f: Filter, only_coder: str | None = None) -> list[dict]:
    """The fragments of `f.code` (with its subcodes unless `f.subcodes` is false), in transcript order.

    `only_coder` restricts the list to one coder whatever the filter says (blind coding)."""
    cb = study.codebook
    if f.code not in cb:
        raise DialoogError(f"onbekende code '{f.code}'", path=cb.path, key="code")
    wanted = {f.code, *(cb.descendants(f.code) if f.subcodes else [])}
    out = []
    for c in study.codings:
        if c.code not in wanted or c.transcript not in study.transcripts:
            continue
        t = study.transcripts[c.transcript]
        if f.gemeente and t.path.parent.name != f.gemeente:
            continue
        if f.rol and t.role != f.rol:
            continue
        if (f.coder and c.coder != f.coder) or (only_coder and c.coder != only_coder):
            continue
        out.append(
            {
                "transcript": c.transcript,
                "gemeente": t.gemeente,
                "rol": ROLES.get(t.role, t.role),
                "coder": c.coder,
                "code": c.code,
                "label": cb.label(c.code),
                "start": c.start,
                "end": c.end,
                "text": c.text,
                "memo": c.memo,
            }
        )
    out.sort(key=lambda r: (r["transcript"], r["start"], r["end"], r["code"], r["coder"]))
    return out


def export_path(study: Study, code: str, suffix: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return study.reports_dir / "fragmenten" / f"{code}-{stamp}{suffix}"


def export_csv(rows: list[dict], path: Path) -> Path:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row[k] for k in COLUMNS})
    atomic_write_text(path, buf.getvalue())
    return path


def export_docx(rows: list[dict], path: Path, title: str) -> Path:
    """A Word document with one table: gesprek, rol, codeur, code, fragment, memo (python-docx)."""
    import docx
    from docx.shared import Pt

    doc = docx.Document()
    doc.add_heading(title, level=1)
    doc.add_paragraph(f"{len(rows)} fragment(en), geëxporteerd op {dt.date.today():%d-%m-%Y}.")
    headers = ("Gesprek", "Rol", "Codeur", "Code", "Fragment", "Memo")
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        values = (row["transcript"], row["rol"], row["coder"], row["label"], row["text"], row["memo"])
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    buf = io.BytesIO()
    doc.save(buf)
    atomic_write_bytes(path, buf.getvalue())
    return path
