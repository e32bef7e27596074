"""Inter-coder agreement: percent agreement, Cohen's kappa and Krippendorff's alpha, per code and overall.

The transcripts are cut into units: speaker turns (``unit="turn"``) or sentences (``unit="sentence"``, the
sentence segments of `dialoog.assist.nlp`, the same ones suggestions are made for).
For every unit, code and coder there is one yes/no decision: *yes* when a coding of that code by that
coder overlaps the unit by at least one character. A coder takes part in a transcript when they have at
least one coding in it; only transcripts with two or more such coders are compared, and a coder who did
not code a transcript counts as missing there (not as "no").

- percent agreement and Cohen's kappa (scikit-learn) are computed for every pair of coders over the units
  both coded, and averaged over the pairs (for more than two coders that is Light's kappa);
- Krippendorff's alpha (nominal, the `krippendorff` package) takes all coders at once, with missing values;
- "overall" pools the decisions of all codes (every unit-code pair is one decision).

`disagreements` lists each unit and code where the coders differ; `merge_consensus` turns the team's
decisions on them (a CSV with a column ``decision``) into a consensus coding.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import krippendorff
import numpy as np
import pandas as pd

from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text
from dialoog.study import codings as codings_mod
from dialoog.study.codebook import Codebook
from dialoog.study.codings import Coding
from dialoog.study.folder import Study
from dialoog.study.transcripts import Transcript

if TYPE_CHECKING:
    from spacy.language import Language

UNITS = ("turn", "sentence")
CONSENSUS = "consensus"  # the coder name of a consensus coding; never counted as a coder
DISAGREEMENT_COLUMNS = ("transcript", "unit", "start", "end", "code", "label", "with", "without", "text")
RESOLUTION_COLUMNS = ("decision", "decided_by", "note")
YES = {"yes", "ja", "j", "y", "1", "true"}
NO = {"no", "nee", "n", "0", "false"}


@dataclass(frozen=True)
class Unit:
    """A unit of analysis: a turn or a sentence; `start`/`end` are offsets into the transcript body."""

    transcript: str
    name: str  # "3" for turn 3, "3.2" for the second sentence of turn 3
    start: int
    end: int


def units(transcript: Transcript, unit: str = "turn", nlp: Language | None = None) -> list[Unit]:
    """The units of one transcript, in order."""
    return units_of([transcript], unit, nlp)[transcript.id]


def units_of(
    transcripts: Iterable[Transcript], unit: str = "turn", nlp: Language | None = None
) -> dict[str, list[Unit]]:
    """The units of each transcript, by transcript id.

    Sentence units are the sentence segments of `dialoog.assist.nlp` (the pipeline `nlp`, by default the offline
    one), the same segments that suggestions are made for, so a sentence unit and a suggestion line up
    exactly. They are named "turn.sentence", counted from 1.
    """
    if unit not in UNITS:
        raise DialoogError(f"unknown unit '{unit}'", key="unit", hint="use 'turn' or 'sentence'")
    transcripts = list(transcripts)
    if unit == "turn":
        return {t.id: [Unit(t.id, str(turn.index + 1), turn.start, turn.end) for turn in t.turns] for t in transcripts}
    from dialoog.assist.nlp import load_pipeline, parse, transcript_segments

    out: dict[str, list[Unit]] = {}
    for t, doc in parse(nlp or load_pipeline(), transcripts):
        found: list[Unit] = []
        counts: dict[int, int] = {}
        for seg in transcript_segments(t, doc, with_lemmas=False):
            counts[seg.turn] = counts.get(seg.turn, 0) + 1
            found.append(Unit(t.id, f"{seg.turn + 1}.{counts[seg.turn]}", seg.start, seg.end))
        out[t.id] = found
    return out


def coders_of(codings: Iterable[Coding]) -> list[str]:
    return sorted({c.coder for c in codings if c.coder != CONSENSUS})


@dataclass
class Decisions:
    """The yes/no decisions: one row per (unit, code), one column per coder (1, 0, or NaN when missing)."""

    table: pd.DataFrame  # columns: transcript, unit, start, end, code, <coder>...
    coders: list[str]
    units: list[Unit]
    codes: list[str]
    #: (transcript, code, coder) -> that coder's codings of that code in that transcript
    spans: dict[tuple[str, str, str], list[Coding]]


def decisions(
    transcripts: Mapping[str, Transcript],
    codings: Iterable[Coding],
    codebook: Codebook,
    coders: list[str] | None = None,
    unit: str = "turn",
    nlp: Language | None = None,
) -> Decisions:
    """Build the decision table from codings (of the given `coders`; default all but the consensus).

    `nlp` is the pipeline for sentence units (see `units_of`)."""
    codings = [c for c in codings if c.transcript in transcripts]
    coders = sorted(coders) if coders else coders_of(codings)
    codings = [c for c in codings if c.coder in coders]
    codes = [c.id for c in codebook.walk()]
    took_part: dict[str, set[str]] = {}
    spans: dict[tuple[str, str, str], list[Coding]] = {}
    for c in codings:
        took_part.setdefault(c.transcript, set()).add(c.coder)
        spans.setdefault((c.transcript, c.code, c.coder), []).append(c)
    rows = []
    all_units = []
    compared = [tid for tid in sorted(transcripts) if len(took_part.get(tid, ())) >= 2]
    unit_lists = units_of([transcripts[tid] for tid in compared], unit, nlp)
    for tid in compared:
        present = took_part[tid]
        for u in unit_lists[tid]:
            all_units.append(u)
            for code in codes:
                row = {"transcript": tid, "unit": u.name, "start": u.start, "end": u.end, "code": code}
                for coder in coders:
                    if coder not in present:
                        row[coder] = np.nan
                        continue
                    hits = spans.get((tid, code, coder), [])
                    row[coder] = float(any(c.start < u.end and u.start < c.end for c in hits))
                rows.append(row)
    table = pd.DataFrame(rows, columns=["transcript", "unit", "start", "end", "code", *coders])
    return Decisions(table, coders, all_units, codes, spans)


def _kappa(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) == 0:
        return math.nan
    if len(set(a) | set(b)) < 2:  # both coders said the same single thing throughout: kappa is undefined
        return math.nan
    from sklearn.metrics import cohen_kappa_score  # here: importing scikit-learn costs most of a second

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(cohen_kappa_score(a, b, labels=[0.0, 1.0]))


def _alpha(matrix: np.ndarray) -> float:
    values = matrix[~np.isnan(matrix)]
    if matrix.shape[1] == 0 or len(set(values)) < 2:
        return math.nan
    # a unit with fewer than two values carries no information about agreement
    paired = (~np.isnan(matrix)).sum(axis=0) >= 2
    if not paired.any():
        return math.nan
    return float(krippendorff.alpha(reliability_data=matrix[:, paired], level_of_measurement="nominal"))


def figures(sub: pd.DataFrame, coders: list[str]) -> dict[str, float]:
    """Percent agreement, Cohen's kappa (mean over pairs) and Krippendorff's alpha of one set of decisions."""
    pct, kap = [], []
    n_units = 0
    for a, b in itertools.combinations(coders, 2):
        both = sub[[a, b]].dropna()
        if both.empty:
            continue
        x, y = both[a].to_numpy(), both[b].to_numpy()
        pct.append(float((x == y).mean()))
        kap.append(_kappa(x, y))
        n_units = max(n_units, len(both))
    kap_defined = [k for k in kap if not math.isnan(k)]
    coded = {c: int(np.nansum(sub[c].to_numpy())) for c in coders}
    return {
        "units": n_units,
        **{f"n_{c}": coded[c] for c in coders},
        "percent": float(np.mean(pct)) * 100 if pct else math.nan,
        "kappa": float(np.mean(kap_defined)) if kap_defined else math.nan,
        "alpha": _alpha(sub[coders].to_numpy(dtype=float).T),
    }


def agreement_table(d: Decisions, codebook: Codebook, all_codes: bool = False) -> pd.DataFrame:
    """One row per code (codes nobody used are left out unless `all_codes`) and a last row "Totaal"."""
    rows = []
    for code in d.codes:
        sub = d.table[d.table["code"] == code]
        f = figures(sub, d.coders)
        if not all_codes and sum(f[f"n_{c}"] for c in d.coders) == 0:
            continue
        rows.append({"code": code, "label": codebook.label(code), **f})
    rows.append({"code": "", "label": "Totaal", **figures(d.table, d.coders)})
    columns = ["code", "label", "units", *[f"n_{c}" for c in d.coders], "percent", "kappa", "alpha"]
    return pd.DataFrame(rows, columns=columns)


def pairwise_table(d: Decisions) -> pd.DataFrame:
    """Overall percent agreement and Cohen's kappa for every pair of coders."""
    rows = []
    for a, b in itertools.combinations(d.coders, 2):
        f = figures(d.table, [a, b])
        rows.append({"coder_a": a, "coder_b": b, "units": f["units"], "percent": f["percent"], "kappa": f["kappa"]})
    return pd.DataFrame(rows, columns=["coder_a", "coder_b", "units", "percent", "kappa"])


def disagreements(d: Decisions, transcripts: Mapping[str, Transcript], codebook: Codebook) -> pd.DataFrame:
    """Each unit and code where the coders who coded the transcript differ, with what each coder gave it.

    Columns: transcript, unit, start, end, code, label, with (coders who gave the code), without, text (the
    unit), one column per coder with all their codes on that unit, and decision, decided_by, note (empty,
    for the team to fill in before `dialoog merge`).
    """
    t = d.table
    out = []
    for row in t.itertuples(index=False):
        values = dict(zip(d.coders, row[5:], strict=True))
        given = {c: v for c, v in values.items() if not math.isnan(v)}
        if len(set(given.values())) < 2:
            continue
        out.append(
            {
                "transcript": row.transcript,
                "unit": row.unit,
                "start": row.start,
                "end": row.end,
                "code": row.code,
                "label": codebook.label(row.code),
                "with": ", ".join(c for c, v in given.items() if v == 1),
                "without": ", ".join(c for c, v in given.items() if v == 0),
                "text": transcripts[row.transcript].body[row.start : row.end],
            }
        )
    df = pd.DataFrame(out, columns=list(DISAGREEMENT_COLUMNS))
    if df.empty:
        for c in d.coders:
            df[c] = []
    else:
        yes = t.set_index(["transcript", "unit", "code"])
        for coder in d.coders:
            given = yes[yes[coder] == 1].reset_index().groupby(["transcript", "unit"])["code"].agg("; ".join)
            df[coder] = [given.get((r.transcript, r.unit), "") for r in df.itertuples(index=False)]
    for c in RESOLUTION_COLUMNS:
        df[c] = ""
    return df


def write_disagreements(df: pd.DataFrame, path: Path) -> None:
    buf = io.StringIO(newline="")
    df.to_csv(buf, index=False, lineterminator="\n")
    atomic_write_text(Path(path), buf.getvalue())


# -- consensus ---------------------------------------------------------------------------------


def _span(codings: list[Coding], unit_start: int, unit_end: int) -> tuple[int, int] | None:
    """The part of the unit the coders' codings cover: from the first start to the last end of the codings
    that overlap the unit, kept within the unit (a coding that runs on into the next turn does not widen it)."""
    hits = [c for c in codings if c.start < unit_end and unit_start < c.end]
    if not hits:
        return None
    return max(min(c.start for c in hits), unit_start), min(max(c.end for c in hits), unit_end)


def read_resolution(path: Path) -> dict[tuple[str, str, str], dict[str, str]]:
    """The team's decisions by (transcript, unit, code); every row needs a decision and who decided."""
    path = Path(path)
    if not path.is_file():
        raise DialoogError(
            "resolution file not found", path=path, hint="make it with 'dialoog agreement --disagreements'"
        )
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    need = {"transcript", "unit", "code", "decision", "decided_by"}
    missing = need - set(reader.fieldnames or ())
    if missing:
        raise DialoogError(
            "missing column(s): " + ", ".join(sorted(missing)),
            path=path,
            line=1,
            hint="start from the file written by 'dialoog agreement --disagreements FILE'",
        )
    out = {}
    for row in reader:
        line = reader.line_num
        decision = (row.get("decision") or "").strip().lower()
        if decision not in YES | NO:
            raise DialoogError(
                f"decision '{row.get('decision') or ''}' is not yes or no",
                path=path,
                line=line,
                key="decision",
                hint="write 'ja' (the code applies) or 'nee' (it does not) in every row",
            )
        if not (row.get("decided_by") or "").strip():
            raise DialoogError("who decided is missing", path=path, line=line, key="decided_by", hint="write a name")
        k = (row["transcript"], str(row["unit"]), row["code"])
        out[k] = {
            "decision": "ja" if decision in YES else "nee",
            "decided_by": row["decided_by"].strip(),
            "note": " ".join((row.get("note") or "").split()),
            "line": str(line),
        }
    return out


def consensus(
    d: Decisions,
    transcripts: Mapping[str, Transcript],
    resolution: Mapping[tuple[str, str, str], dict[str, str]],
    resolution_path: Path | None = None,
) -> list[Coding]:
    """Consensus codings: what all coders agreed on, plus the disagreements the team decided 'ja'.

    A consensus coding spans the codings it came from (of the coders who gave the code), cut to the unit;
    its memo says who agreed or who decided, so the file keeps who decided what.
    """
    out: dict[tuple[str, int, int, str], Coding] = {}
    undecided = 0
    for row in d.table.itertuples(index=False):
        values = dict(zip(d.coders, row[5:], strict=True))
        given = {c: v for c, v in values.items() if not math.isnan(v)}
        with_ = [c for c, v in given.items() if v == 1]
        if not with_:
            continue
        if len(with_) == len(given):
            memo = "eens: " + ", ".join(with_)
        else:
            decision = resolution.get((row.transcript, row.unit, row.code))
            if decision is None:
                undecided += 1
                continue
            if decision["decision"] != "ja":
                continue
            without = [c for c, v in given.items() if v == 0]
            memo = f"besluit ja door {decision['decided_by']} (wel: {', '.join(with_)}; niet: {', '.join(without)})"
            if decision["note"]:
                memo += f"; {decision['note']}"
        hits = [c for coder in with_ for c in d.spans.get((row.transcript, row.code, coder), [])]
        span = _span(hits, row.start, row.end)
        assert span is not None  # a coder said yes, so one of their codings overlaps the unit
        t = transcripts[row.transcript]
        k = (row.transcript, *span, row.code)
        if k in out:
            if memo not in out[k].memo:
                out[k] = Coding(*k[:3], t.body[span[0] : span[1]], row.code, CONSENSUS, out[k].memo + " | " + memo)
            continue
        out[k] = Coding(row.transcript, *span, t.body[span[0] : span[1]], row.code, CONSENSUS, memo, codings_mod.now())
    if undecided:
        raise DialoogError(
            f"{undecided} disagreement(s) have no decision in the resolution file",
            path=resolution_path,
            hint="run 'dialoog agreement --disagreements FILE' with the same --coders, --gemeente and --unit "
            "and fill in decision and decided_by in every row",
        )
    return sorted(out.values(), key=Coding.sort_key)


# -- from a study --------------------------------------------------------------------------------


def study_transcripts(study: Study, gemeente: str | None = None, included_only: bool = False) -> dict[str, Transcript]:
    from dialoog.study.analysis import is_included

    slug = study.gemeente(gemeente).slug if gemeente else None
    return {
        tid: t
        for tid, t in study.transcripts.items()
        if (slug is None or t.path.parent.name == slug) and (not included_only or is_included(t))
    }


def study_decisions(
    study: Study, coders: list[str] | None = None, gemeente: str | None = None, unit: str = "turn"
) -> tuple[Decisions, dict[str, Transcript]]:
    transcripts = study_transcripts(study, gemeente)
    known = coders_of(study.codings)
    if coders:
        coders = [codings_mod.coder_name(c) for c in coders]
        unknown = [c for c in coders if c not in known]
        if unknown:
            raise DialoogError(
                "no codings of coder(s) " + ", ".join(unknown),
                path=study.codings_dir,
                key="--coders",
                hint="coders in this study: " + (", ".join(known) or "none"),
            )
    selected = coders or known
    if len(selected) < 2:
        raise DialoogError(
            "agreement needs at least two coders",
            path=study.codings_dir,
            hint="coders in this study: " + (", ".join(known) or "none"),
        )
    nlp = None
    if unit == "sentence":
        from dialoog.assist.nlp import pipeline_for

        nlp = pipeline_for(study)
    return decisions(transcripts, study.codings, study.codebook, selected, unit, nlp), transcripts
