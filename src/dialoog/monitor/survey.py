"""Import a municipality's own survey file (.sav or .csv microdata) as weighted aggregates.

`import_survey` reads the microdata in memory (SPSS files with pyreadstat, value labels kept), computes per
gemeente, group (LHBTIQ+ or not) and indicator the weighted share with a design-based interval
(`stats.weighted_share`) and the unweighted n, suppresses small cells, and writes only those aggregates to
``monitor/enquete.csv``. The microdata are never copied into the study, and no message or output holds a
row-level value: messages name variables and counts of respondents only.

Suppression (threshold t = `small_cell_threshold` of dialoog.yaml): a cell is left out when fewer than t
respondents answered, or when 1 to t - 1 of them have, or have not, the trait. When one group's cell is left
out, the other group's cell of the same gemeente, year and indicator is left out too, so that the
suppressed cell cannot be recovered as the difference between a published total and the other group.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dialoog.errors import DialoogError
from dialoog.monitor import schemas
from dialoog.monitor.stats import weighted_share
from dialoog.study.folder import Study
from dialoog.study.gemeenten import find_gemeente

MAX_BYTES = 1 << 30  # a survey file over 1 GB is refused before it is read
GROUPS = ("lhbt", "niet-lhbt")


@dataclass
class Microdata:
    frame: pd.DataFrame
    labels: dict[str, dict]  # variable -> {code: value label}


@dataclass
class SurveySummary:
    path: Path  # the aggregate file written
    gemeenten: list[str]
    respondents: int  # rows read
    without_weight: int  # left out: no or no positive weight
    without_group: int  # left out: not classifiable as LHBTIQ+ or not
    cells: int
    suppressed: int


def read_microdata(path: Path) -> Microdata:
    """Read an SPSS (.sav, .zsav) or CSV survey file; user-missing SPSS values become missing."""
    path = Path(path)
    if not path.is_file():
        raise DialoogError("the survey file is missing", path=path)
    if path.stat().st_size > MAX_BYTES:
        raise DialoogError("the survey file is over 1 GB", path=path, hint="select the variables you map first")
    suffix = path.suffix.lower()
    if suffix in {".sav", ".zsav"}:
        import pyreadstat

        try:
            frame, meta = pyreadstat.read_sav(str(path), user_missing=False)
        except Exception as exc:  # pyreadstat raises its own errors for broken files
            raise DialoogError(
                f"cannot read the SPSS file ({type(exc).__name__})",
                path=path,
                hint="export it again from SPSS as .sav",
            ) from None
        return Microdata(frame, dict(meta.variable_value_labels))
    if suffix == ".csv":
        try:
            frame = pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig")
        except (UnicodeDecodeError, pd.errors.ParserError, csv.Error) as exc:
            raise DialoogError(
                f"cannot read the CSV file ({type(exc).__name__})", path=path, hint="save it as UTF-8 CSV"
            ) from None
        return Microdata(frame, {})
    raise DialoogError("unknown survey file type", path=path, hint="use an SPSS .sav file or a .csv file")


def _matches(data: Microdata, variable: str, wanted: list) -> pd.Series:
    """Whether each respondent's value of `variable` is one of `wanted` (codes, or value labels as text)."""
    col = data.frame[variable]
    labels = data.labels.get(variable, {})
    codes = {w for w in wanted if not isinstance(w, str)}
    texts = {str(w).strip().lower() for w in wanted if isinstance(w, str)}
    codes |= {code for code, label in labels.items() if str(label).strip().lower() in texts}
    hit = col.isin(codes)
    if texts and not pd.api.types.is_numeric_dtype(col):
        hit |= col.astype(str).str.strip().str.lower().isin(texts)
    return hit & col.notna()


def _check_variables(data: Microdata, mapping: schemas.SurveyMapping, mapping_path: Path, path: Path) -> None:
    wanted = {"gewicht": mapping.gewicht, "gemeente": mapping.gemeente}
    wanted |= {f"lhbtiq[{i}].variabele": r.variabele for i, r in enumerate(mapping.lhbtiq)}
    wanted |= {f"indicatoren.{k}.variabele": r.variabele for k, r in mapping.indicatoren.items()}
    missing = [(key, var) for key, var in wanted.items() if var not in data.frame.columns]
    if missing:
        key, var = missing[0]
        raise DialoogError(
            f"the survey file {path.name} has no variable '{var}'"
            + (f" (and {len(missing) - 1} more mapped variables are missing)" if len(missing) > 1 else ""),
            path=mapping_path,
            key=key,
            hint="use the variable names of the file (as in SPSS's Variable View)",
        )


def _gemeenten(data: Microdata, mapping: schemas.SurveyMapping, mapping_path: Path) -> pd.Series:
    """The CBS name of each respondent's gemeente (missing where it is unknown)."""
    col = data.frame[mapping.gemeente]
    labels = data.labels.get(mapping.gemeente, {})
    names: dict = {}
    unknown = []
    for code in col.dropna().unique():
        label = mapping.gemeenten.get(code) or mapping.gemeenten.get(str(code)) or labels.get(code) or code
        if isinstance(label, int | float | np.number) and float(label).is_integer():
            label = f"GM{int(label):04d}"  # a CBS gemeente code without its value label
        try:
            names[code] = find_gemeente(str(label)).name
        except DialoogError:
            unknown.append(labels.get(code))
    if unknown:
        known = [str(u) for u in unknown if u is not None]
        raise DialoogError(
            f"{len(unknown)} value(s) of variable '{mapping.gemeente}' are not Dutch municipalities",
            path=mapping_path,
            key="gemeenten",
            hint=("value labels: " + ", ".join(known) + "; " if known else "")
            + "map each code to a CBS name under 'gemeenten:'",
        )
    return col.map(names)


def _groups(data: Microdata, mapping: schemas.SurveyMapping) -> pd.Series:
    """'lhbt' where any rule holds; 'niet-lhbt' where none holds and every rule's variable is answered."""
    frame = data.frame
    lhbt = pd.Series(False, index=frame.index)
    answered = pd.Series(True, index=frame.index)
    for rule in mapping.lhbtiq:
        lhbt |= _matches(data, rule.variabele, rule.waarden)
        answered &= frame[rule.variabele].notna()
    return pd.Series(np.where(lhbt, "lhbt", np.where(answered, "niet-lhbt", None)), index=frame.index)


def _suppressed(est, threshold: int) -> bool:
    return est.n < threshold or 0 < est.cases < threshold or 0 < est.n - est.cases < threshold


def aggregate(
    data: Microdata, mapping: schemas.SurveyMapping, jaar: int, threshold: int, mapping_path: Path, path: Path
) -> tuple[list[schemas.EnqueteRow], dict]:
    """The aggregate rows of one survey year, suppressed cells without values; and counts for the summary."""
    _check_variables(data, mapping, mapping_path, path)
    frame = data.frame
    weight = pd.to_numeric(frame[mapping.gewicht], errors="coerce")
    has_weight = weight.notna() & (weight > 0)
    gemeente = _gemeenten(data, mapping, mapping_path)
    group = _groups(data, mapping)
    keep = has_weight & gemeente.notna() & group.notna()
    yes = {k: _matches(data, r.variabele, r.ja) for k, r in mapping.indicatoren.items()}
    no = {k: _matches(data, r.variabele, r.nee) for k, r in mapping.indicatoren.items()}
    bron = mapping.bron.replace("{jaar}", str(jaar))
    rows: list[schemas.EnqueteRow] = []
    for gem in sorted(gemeente[keep].unique()):
        for ind, rule in mapping.indicatoren.items():
            base = keep & (gemeente == gem) & (yes[ind] | no[ind])
            if rule.onder:
                base &= yes[rule.onder]
            cells = {g: weighted_share(yes[ind][base & (group == g)], weight[base & (group == g)]) for g in GROUPS}
            hide = any(_suppressed(e, threshold) for e in cells.values())  # primary and complementary
            for g, e in cells.items():
                key = {"jaar": jaar, "gemeente": gem, "indicator": ind, "groep": g, "bron": bron}
                if hide:
                    rows.append(schemas.EnqueteRow(**key))
                else:
                    rows.append(
                        schemas.EnqueteRow(
                            **key,
                            n=e.n,
                            waarde=e.waarde,
                            ondergrens=e.ondergrens,
                            bovengrens=e.bovengrens,
                            n_eff=round(e.n_eff, 1),
                        )
                    )
    counts = {
        "respondents": len(frame),
        "without_weight": int((~has_weight).sum()),
        "without_group": int((has_weight & group.isna()).sum()),
    }
    return rows, counts


def enquete_path(study: Study) -> Path:
    return study.root / "monitor" / "enquete.csv"


def import_survey(study: Study, path: Path, jaar: int, mapping_path: Path) -> SurveySummary:
    """Import one year of a survey file; replaces that year's rows of the same gemeenten in enquete.csv."""
    path, mapping_path = Path(path).resolve(), Path(mapping_path)
    if not 1990 <= int(jaar) <= 2100:
        raise DialoogError(f"{jaar} is not a year", key="--jaar")
    if path.is_relative_to((study.root / "monitor").resolve()):
        raise DialoogError(
            "the survey file lies inside the study's monitor/ folder",
            path=path,
            hint="microdata are special-category personal data: keep them outside the study; "
            "only the aggregates belong in monitor/",
        )
    mapping = schemas.load_mapping(mapping_path)
    data = read_microdata(path)
    threshold = study.settings.small_cell_threshold
    rows, counts = aggregate(data, mapping, int(jaar), threshold, mapping_path, path)
    if not rows:
        raise DialoogError(
            "no respondent has a weight, a known gemeente and a group",
            path=mapping_path,
            hint="check the variables named under gewicht, gemeente and lhbtiq",
        )
    del data  # the microdata stay in memory only
    out = enquete_path(study)
    new_keys = {(r.jaar, r.gemeente) for r in rows}
    old = [r for _, r in schemas.read_rows(out, schemas.EnqueteRow)] if out.is_file() else []
    kept = [r for r in old if (r.jaar, r.gemeente) not in new_keys]
    merged = sorted(kept + rows, key=lambda r: (r.jaar, r.gemeente, r.indicator, r.groep))
    out.parent.mkdir(parents=True, exist_ok=True)
    schemas.write_rows(out, merged, schemas.EnqueteRow)
    return SurveySummary(
        out,
        sorted(g for _, g in new_keys),
        counts["respondents"],
        counts["without_weight"],
        counts["without_group"],
        len(rows),
        sum(r.waarde is None for r in rows),
    )
