"""All monitor figures of a study in one table, and how a figure may be shown (suppression).

`load_all` reads ``monitor/monitor.csv`` (hand-entered) and the aggregates that `dialoog monitor import-*`
wrote (enquete.csv, statline.csv, discriminatie.csv) into one frame with the columns::

    jaar gemeente indicator groep n waarde ondergrens bovengrens n_eff bron herkomst onderdrukt

`n` is the unweighted number of respondents (missing for CBS figures, whose `n_eff` is derived from the
margins), `ondergrens`/`bovengrens` the 95% interval, `herkomst` the file it came from. A series (for a
trend) is one gemeente, indicator, group and herkomst.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from dialoog.monitor import data, schemas
from dialoog.monitor.stats import pct, wilson
from dialoog.study.folder import Study

COLUMNS = [
    "jaar",
    "gemeente",
    "indicator",
    "groep",
    "n",
    "waarde",
    "ondergrens",
    "bovengrens",
    "n_eff",
    "bron",
    "herkomst",
]
FILES = {
    "enquete": ("enquete.csv", schemas.EnqueteRow),
    "statline": ("statline.csv", schemas.StatlineRow),
    "discriminatie": ("discriminatie.csv", schemas.DiscriminatieRow),
}
INSTANTIES = {"adv": "meldingen-meldpunt", "politie": "meldingen-politie"}
#: groups that together make up everybody: a suppressed one must not be recoverable from the others
PARTITION = ("lhbt", "niet-lhbt")


def _hand_entered(path: Path) -> pd.DataFrame:
    df = data.load_figures(path).drop(columns="line")
    share = df["indicator"].map(lambda i: data.INDICATORS[i].kind == "aandeel")
    bounds = [wilson(w, n) if s else (math.nan, math.nan) for w, n, s in zip(df["waarde"], df["n"], share, strict=True)]
    df["ondergrens"] = [b[0] for b in bounds]
    df["bovengrens"] = [b[1] for b in bounds]
    df["n_eff"] = df["n"].astype(float).where(share)
    return df.assign(herkomst="monitor")


def _imported(path: Path, kind: str) -> pd.DataFrame:
    rows = [r.model_dump() for _, r in schemas.read_rows(path, FILES[kind][1])]
    df = pd.DataFrame(rows)
    if df.empty:
        return pd.DataFrame(columns=COLUMNS)
    if kind == "statline":
        df["groep"] = "totaal"
        df["n"] = pd.NA
        df["bron"] = df["bron"] + ", periode " + df["periode"]
    if kind == "discriminatie":
        df["indicator"] = df["instantie"].map(INSTANTIES)
        df = df.rename(columns={"grond": "groep", "aantal": "waarde"})
        df["n"] = pd.NA
    return df.assign(herkomst=kind).reindex(columns=COLUMNS)


def load_all(study: Study, threshold: int) -> pd.DataFrame:
    """Every monitor figure of the study, with the column `onderdrukt` (see `suppress`)."""
    folder = study.root / data.FOLDER
    frames = []
    if data.monitor_path(study).is_file():
        frames.append(_hand_entered(data.monitor_path(study)))
    for kind, (name, _) in FILES.items():
        if (folder / name).is_file():
            frames.append(_imported(folder / name, kind))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=[*COLUMNS, "onderdrukt"])
    df = pd.concat([f.reindex(columns=COLUMNS) for f in frames], ignore_index=True)
    df["n"] = pd.array(df["n"], dtype="Int64")
    for col in ("waarde", "ondergrens", "bovengrens", "n_eff"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    df["jaar"] = df["jaar"].astype(int)
    return suppress(df, threshold)


def is_suppressed(row, threshold: int) -> bool:
    """Whether one figure is too small to show on its own: no value (suppressed at import or by CBS),
    fewer than `threshold` respondents, 1 to threshold - 1 respondents with (or without) the trait, or a
    count between 1 and threshold - 1. Survey aggregates were checked on exact counts at import."""
    if pd.isna(row["waarde"]):
        return True
    if data.INDICATORS[row["indicator"]].kind == "aantal":
        return 0 < row["waarde"] < threshold
    if pd.isna(row["n"]):
        return False  # a CBS figure: CBS suppresses its own small cells
    n = int(row["n"])
    if row.get("herkomst") == "enquete":
        return n < threshold
    cases = round(row["waarde"] * n)
    return n < threshold or 0 < cases < threshold or 0 < n - cases < threshold


def suppress(df: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Add `onderdrukt`: the figure's own rule, and complementary suppression: where one group of
    `PARTITION` is suppressed, the other groups of the same year, gemeente, indicator and source are too,
    so that the suppressed figure is not the difference between a total and the others."""
    df = df.copy()
    own = df.apply(lambda r: is_suppressed(r, threshold), axis=1) if len(df) else pd.Series(dtype=bool)
    df["onderdrukt"] = own.astype(bool)
    part = df["groep"].isin(PARTITION)
    hit = df[part & df["onderdrukt"]].groupby(["jaar", "gemeente", "indicator", "herkomst"]).size().index
    keys = pd.MultiIndex.from_frame(df[["jaar", "gemeente", "indicator", "herkomst"]])
    df.loc[part & keys.isin(hit), "onderdrukt"] = True
    df["aanvullend"] = df["onderdrukt"] & ~own.astype(bool)
    return df


def display_value(row, threshold: int) -> str:
    """The value as shown in a report table: a percentage with its interval and n, a count, or why not."""
    ind = data.INDICATORS[row["indicator"]]
    suppressed = row["onderdrukt"] if "onderdrukt" in row else is_suppressed(row, threshold)
    if suppressed:
        if ind.kind == "aantal":
            return f"< {threshold}" if not pd.isna(row["waarde"]) else "niet getoond"
        if row.get("aanvullend") or pd.isna(row["n"]):
            return "niet getoond"
        return f"niet getoond (n = {row['n']})" if int(row["n"]) >= threshold else f"niet getoond (n < {threshold})"
    if ind.kind == "aantal":
        return str(int(row["waarde"]))
    lo, hi = row.get("ondergrens"), row.get("bovengrens")
    if lo is None or pd.isna(lo):
        lo, hi = wilson(row["waarde"], int(row["n"]))
    n = f"n = {row['n']}" if not pd.isna(row["n"]) else "marge CBS"
    return f"{pct(row['waarde'])} ({pct(lo)}–{pct(hi)}; {n})"
