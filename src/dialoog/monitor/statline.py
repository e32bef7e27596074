"""Import CBS StatLine indicators per gemeente with their margins (tables shaped as 85146NED).

Input, either:
- the folder (or its ``TypedDataSet.json``) that ``cbsodata.get_data(table, dir=...)`` writes: data rows with
  dimension keys (``Marges`` MW00000 / MOG0095 / MBG0095, ``RegioS`` GMxxxx or NL01, ``Perioden`` 2023JJ00),
  with ``TableInfos.json`` beside it for the table id and title;
- a CSV downloaded from StatLine with the columns Marges, Regio's (or RegioS), Perioden and one column per
  measure; ``;`` or ``,`` separated, decimal comma or point, "." for a suppressed or unknown value.

Measures are percentages; they are stored as proportions with CBS's 95% margins, an effective n derived
from the margins (for the trend model), and the table id and period as the source.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dialoog.errors import DialoogError
from dialoog.monitor import schemas
from dialoog.study.folder import Study
from dialoog.study.gemeenten import find_gemeente

MAX_BYTES = 200 << 20
#: measure keys (without CBS's numeric suffix) -> indicator; extend with --maat KEY=INDICATOR
MEASURES = {
    "VoeltZichWeleensOnveilig": "onveilig-algemeen",
    "VoeltZichWeleensOnveiligInBuurt": "onveilig-buurt",
    "SlachtofferschapTotaal": "slachtoffer",
    "ErvarenDiscriminatie": "discriminatie",
    "AangifteGedaan": "aangifte",
}
MARGINS = {"MW00000": "waarde", "MOG0095": "ondergrens", "MBG0095": "bovengrens"}


@dataclass
class StatlineSummary:
    path: Path
    tabel: str
    jaren: list[int]
    gemeenten: list[str]
    figures: int
    suppressed: int


def _read(path: Path) -> tuple[pd.DataFrame, dict]:
    path = Path(path)
    if path.is_dir():
        path = path / "TypedDataSet.json"
    if not path.is_file():
        raise DialoogError("the StatLine file is missing", path=path)
    if path.stat().st_size > MAX_BYTES:
        raise DialoogError("the StatLine file is over 200 MB", path=path, hint="select the gemeenten you need")
    info: dict = {}
    if path.suffix.lower() == ".json":
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
            infos = path.parent / "TableInfos.json"
            if infos.is_file():
                loaded = json.loads(infos.read_text(encoding="utf-8"))
                info = loaded[0] if isinstance(loaded, list) and loaded else loaded
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DialoogError(f"not valid JSON ({type(exc).__name__})", path=path) from None
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise DialoogError("expected a list of data rows as cbsodata writes them", path=path)
        return pd.DataFrame(rows), info
    try:
        frame = pd.read_csv(path, sep=None, engine="python", dtype=str, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DialoogError(f"cannot read the CSV file ({type(exc).__name__})", path=path) from None
    return frame.rename(columns={"Regio's": "RegioS", "Regio 's": "RegioS"}), info


def _margin(value: str) -> str | None:
    value = str(value).strip()
    if value in MARGINS:
        return MARGINS[value]
    low = value.lower()
    return next((m for m in ("waarde", "ondergrens", "bovengrens") if low.startswith(m)), None)


def _region(value: str) -> str | None:
    value = str(value).strip()
    if value.upper().startswith("NL0") or value.lower() == "nederland":
        return schemas.NATIONAL
    name = re.sub(r"\s*\((gemeente|gem\.)\)$", "", value, flags=re.IGNORECASE)
    if value.upper().startswith(("PV", "LD", "RE", "CR", "WK", "BU")):
        return None  # provinces, parts of the country, police units, wijken: not kept
    try:
        return find_gemeente(name).name
    except DialoogError:
        return None


def _year(value: str) -> int | None:
    m = re.match(r"^\s*(\d{4})(JJ00)?\s*$", str(value))
    return int(m.group(1)) if m else None


def _number(value) -> float | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip().replace(",", ".")
    if text in {".", "", "x", "-"}:
        return None
    return float(text)


def figures(path: Path, tabel: str | None, bron: str | None, extra: dict[str, str]) -> list[schemas.StatlineRow]:
    """Read a StatLine table into rows of statline.csv (group: all residents)."""
    frame, info = _read(path)
    for col in ("Marges", "RegioS", "Perioden"):
        if col not in frame.columns:
            raise DialoogError(f"the column '{col}' is missing", path=path, hint="download the table with its margins")
    tabel = tabel or str(info.get("Identifier") or "")
    if not re.match(r"^\d{5}(NED|ENG)$", tabel):
        raise DialoogError("the table id is unknown", path=path, key="--tabel", hint="give it, e.g. --tabel 85146NED")
    title = str(info.get("Title") or "Veiligheidsmonitor; kerncijfers, regio")
    wrong = [i for i in extra.values() if i not in schemas.SURVEY_INDICATORS]
    if wrong:
        raise DialoogError(
            f"unknown indicator '{wrong[0]}'", key="--maat", hint="use one of: " + ", ".join(schemas.SURVEY_INDICATORS)
        )
    known = {**MEASURES, **extra}
    measures = {c: known[re.sub(r"_\d+$", "", c)] for c in frame.columns if re.sub(r"_\d+$", "", c) in known}
    if not measures:
        raise DialoogError("no known measure in this table", path=path, hint="name them with --maat KEY=INDICATOR")
    cells: dict[tuple, dict] = {}
    for i, raw in frame.iterrows():
        margin, gem, jaar = _margin(raw["Marges"]), _region(raw["RegioS"]), _year(raw["Perioden"])
        if margin is None or gem is None or jaar is None:
            continue
        for col, ind in measures.items():
            try:
                value = _number(raw[col])
            except ValueError:
                raise DialoogError(
                    "not a number", path=path, line=i + 2, key=col, hint="StatLine writes '.' for no value"
                ) from None
            cell = cells.setdefault((jaar, gem, ind), {"periode": str(raw["Perioden"]).strip()})
            cell[margin] = None if value is None else value / 100
    rows = []
    for (jaar, gem, ind), c in sorted(cells.items()):
        p, lo, hi = c.get("waarde"), c.get("ondergrens"), c.get("bovengrens")
        if p is None:
            lo = hi = None
        n_eff = p * (1 - p) / ((hi - lo) / (2 * 1.96)) ** 2 if None not in (p, lo, hi) and hi > lo else None
        source = bron or f"CBS StatLine, tabel {tabel} ({title})"
        rows.append(
            schemas.StatlineRow(
                jaar=jaar,
                gemeente=gem,
                indicator=ind,
                waarde=p,
                ondergrens=lo,
                bovengrens=hi,
                n_eff=None if n_eff is None else round(n_eff),
                tabel=tabel,
                periode=c["periode"],
                bron=source,
            )
        )
    return rows


def statline_path(study: Study) -> Path:
    return study.root / "monitor" / "statline.csv"


def import_statline(
    study: Study, path: Path, tabel: str | None = None, bron: str | None = None, extra: dict[str, str] | None = None
) -> StatlineSummary:
    """Import a StatLine table; replaces the rows of the same table, year and gemeente in statline.csv."""
    rows = figures(Path(path), tabel, bron, extra or {})
    if not rows:
        raise DialoogError(
            "no figure of a Dutch gemeente or of Nederland in this table",
            path=path,
            hint="select gemeenten (GMxxxx) and the margins when you download the table",
        )
    out = statline_path(study)
    new = {(r.tabel, r.jaar, r.gemeente) for r in rows}
    old = [r for _, r in schemas.read_rows(out, schemas.StatlineRow)] if out.is_file() else []
    merged = [r for r in old if (r.tabel, r.jaar, r.gemeente) not in new] + rows
    merged.sort(key=lambda r: (r.jaar, r.gemeente, r.indicator))
    out.parent.mkdir(parents=True, exist_ok=True)
    schemas.write_rows(out, merged, schemas.StatlineRow)
    return StatlineSummary(
        out,
        rows[0].tabel,
        sorted({r.jaar for r in rows}),
        sorted({r.gemeente for r in rows}),
        len(rows),
        sum(r.waarde is None for r in rows),
    )
