"""Consensus: the team's decisions on where coders differ, and the consensus coding made from them.

`dialoog merge FILE` and the coder's consensus mode both write ``consensus/consensus.csv`` through
`merge_into`: the consensus rows of the transcripts in scope are replaced, the others are kept, under the
file's lock. The consensus mode keeps its decisions in ``consensus/besluiten.csv`` (the columns of the
resolution file of ``dialoog agreement --disagreements``), one row per decided unit and code; a transcript's
consensus is (re)written as soon as every disagreement in it is decided.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from pathlib import Path

from dialoog.coding import agreement
from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text, locked
from dialoog.study.codings import Coding, update_codings
from dialoog.study.folder import Study

DECISION_COLUMNS = ("transcript", "unit", "start", "end", "code", "label", "with", "without", "decision",
                    "decided_by", "note")  # fmt: skip


def consensus_path(study: Study) -> Path:
    return study.root / "consensus" / "consensus.csv"


def decisions_path(study: Study) -> Path:
    return study.root / "consensus" / "besluiten.csv"


def merge_into(path: Path, rows: Iterable[Coding], transcript_ids: Iterable[str]) -> list[Coding]:
    """Replace the consensus codings of `transcript_ids` in the file at `path` by `rows`; keep the rest."""
    ids = set(transcript_ids)
    rows = list(rows)
    outside = [r.transcript for r in rows if r.transcript not in ids]
    if outside:
        raise ValueError(f"consensus rows outside the transcripts merged: {sorted(set(outside))}")
    return update_codings(Path(path), lambda old: [c for c in old if c.transcript not in ids] + rows)


def merge(
    study: Study,
    resolution: Path,
    coders: list[str] | None = None,
    gemeente: str | None = None,
    unit: str = "turn",
    output: Path | None = None,
) -> tuple[list[Coding], Path]:
    """`dialoog merge`: the consensus of the selection from a resolution file, merged into the output file."""
    d, transcripts = agreement.study_decisions(study, coders, gemeente, unit)
    rows = agreement.consensus(d, transcripts, agreement.read_resolution(resolution), resolution)
    output = Path(output) if output else consensus_path(study)
    compared = {u.transcript for u in d.units}
    merge_into(output, rows, compared)
    return rows, output


# -- the consensus mode of the coder ---------------------------------------------------------------


def _read_decisions(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    if tuple(reader.fieldnames or ()) != DECISION_COLUMNS:
        raise DialoogError(
            "onverwachte kopregel", path=path, line=1, hint="de eerste regel moet zijn: " + ",".join(DECISION_COLUMNS)
        )
    return list(reader)


def _write_decisions(path: Path, rows: list[dict[str, str]]) -> None:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=DECISION_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in sorted(rows, key=lambda r: (r["transcript"], int(r["start"]), r["unit"], r["code"])):
        writer.writerow(row)
    atomic_write_text(path, buf.getvalue())


def _transcript_decisions(study: Study, transcript_id: str, unit: str) -> agreement.Decisions:
    t = study.transcripts.get(transcript_id)
    if t is None:
        raise DialoogError(f"onbekend gesprek '{transcript_id}'", path=study.interviews_dir)
    return agreement.decisions({t.id: t}, study.codings, study.codebook, None, unit)


def _differences(d: agreement.Decisions) -> list[dict]:
    """(unit, code) rows where the coders differ, with who gave the code and who did not."""
    out = []
    for row in d.table.itertuples(index=False):
        given = {c: v for c, v in zip(d.coders, row[5:], strict=True) if not math.isnan(v)}
        if len(set(given.values())) < 2:
            continue
        out.append(
            {
                "transcript": row.transcript,
                "unit": row.unit,
                "start": int(row.start),
                "end": int(row.end),
                "code": row.code,
                "with": [c for c, v in given.items() if v == 1],
                "without": [c for c, v in given.items() if v == 0],
            }
        )
    return out


def side_by_side(study: Study, transcript_id: str, unit: str = "turn") -> dict:
    """One transcript's codings of every coder, unit by unit, with the differences and the team's decisions."""
    d = _transcript_decisions(study, transcript_id, unit)
    if len(d.coders) < 2 or d.table.empty:
        return {"transcript": transcript_id, "coders": d.coders, "units": [], "open": 0, "decided": 0}
    decided = {
        (r["unit"], r["code"]): r for r in _read_decisions(decisions_path(study)) if r["transcript"] == transcript_id
    }
    diffs: dict[str, list[dict]] = {}
    for diff in _differences(d):
        got = decided.get((diff["unit"], diff["code"]), {})
        diff.update(decision=got.get("decision", ""), decided_by=got.get("decided_by", ""), note=got.get("note", ""))
        diff["label"] = study.codebook.label(diff["code"])
        diffs.setdefault(diff["unit"], []).append(diff)
    units = []
    yes = d.table[d.table[d.coders].eq(1).any(axis=1)]
    given = {(r.unit, coder): [] for r in yes.itertuples(index=False) for coder in d.coders}
    for r in yes.itertuples(index=False):
        for coder, v in zip(d.coders, r[5:], strict=True):
            if v == 1:
                given[(r.unit, coder)].append(r.code)
    for u in d.units:
        if not any(given.get((u.name, c)) for c in d.coders):
            continue
        units.append(
            {
                "unit": u.name,
                "start": u.start,
                "end": u.end,
                "codes": {c: given.get((u.name, c), []) for c in d.coders},
                "differences": diffs.get(u.name, []),
            }
        )
    all_diffs = [x for xs in diffs.values() for x in xs]
    n_decided = sum(1 for x in all_diffs if x["decision"])
    return {
        "transcript": transcript_id,
        "coders": d.coders,
        "units": units,
        "open": len(all_diffs) - n_decided,
        "decided": n_decided,
    }


def decide(
    study: Study, transcript_id: str, unit_name: str, code: str, decision: str, decided_by: str, note: str = "",
    unit: str = "turn",
) -> tuple[int, list[Coding] | None]:  # fmt: skip
    """Record the team's decision ('ja' or 'nee') on one difference; when none is left open in the transcript,
    write its consensus (as `dialoog merge` does). Returns (differences still open, consensus rows or None)."""
    if decision not in ("ja", "nee"):
        raise DialoogError("kies 'ja' of 'nee'", key="decision")
    if not decided_by.strip():
        raise DialoogError("vul in wie besliste", key="decided_by", hint="vul je naam in als codeur")
    d = _transcript_decisions(study, transcript_id, unit)
    diff = next((x for x in _differences(d) if (x["unit"], x["code"]) == (unit_name, code)), None)
    if diff is None:
        raise DialoogError("hier verschillen de codeurs niet (meer) over", key="unit", hint="laad het gesprek opnieuw")
    path = decisions_path(study)
    row = {
        **{k: str(diff[k]) for k in ("transcript", "unit", "start", "end", "code")},
        "label": study.codebook.label(code),
        "with": ", ".join(diff["with"]),
        "without": ", ".join(diff["without"]),
        "decision": decision,
        "decided_by": " ".join(decided_by.split()),
        "note": " ".join(note.split()),
    }
    with locked([path]):
        rows = [
            r
            for r in _read_decisions(path)
            if (r["transcript"], r["unit"], r["code"]) != (transcript_id, unit_name, code)
        ]
        _write_decisions(path, [*rows, row])
    resolution = agreement.read_resolution(path)
    still_open = sum(1 for x in _differences(d) if (x["transcript"], x["unit"], x["code"]) not in resolution)
    if still_open:
        return still_open, None
    rows = agreement.consensus(d, {transcript_id: study.transcripts[transcript_id]}, resolution, path)
    merge_into(consensus_path(study), rows, [transcript_id])
    return 0, rows
