"""Import discrimination registrations by ground, per gemeente and year.

Input: a CSV as an antidiscriminatievoorziening (ADV) or the police hands it out, one row per gemeente,
year and ground, with the columns gemeente, jaar, grond (or discriminatiegrond) and aantal (or meldingen,
registraties); ``;`` or ``,`` separated; optional columns instantie (adv or politie) and bron. Only the
grounds sexual orientation and gender identity are kept; the other grounds are counted and left out, and
so is any total, so that no count can be derived from a difference with one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pydantic

from dialoog.errors import DialoogError, ValidationError
from dialoog.monitor import schemas
from dialoog.study.folder import Study

MAX_BYTES = 50 << 20
COLUMNS = {
    "gemeente": ("gemeente", "gemeentenaam", "regio"),
    "jaar": ("jaar", "periode", "year"),
    "grond": ("grond", "discriminatiegrond", "discriminatiegronden"),
    "aantal": ("aantal", "meldingen", "aantal meldingen", "registraties", "aantal registraties"),
    "instantie": ("instantie", "bron instantie"),
    "bron": ("bron",),
}
#: ground labels (lower case, without accents) -> ground; labels as ADVs and the police write them
GROUNDS = {
    "seksuele gerichtheid": "seksuele-orientatie",
    "seksuele orientatie": "seksuele-orientatie",
    "hetero/homoseksuele gerichtheid": "seksuele-orientatie",
    "seksuele-orientatie": "seksuele-orientatie",
    "genderidentiteit": "genderidentiteit",
    "geslacht: genderidentiteit": "genderidentiteit",
    "genderidentiteit en genderexpressie": "genderidentiteit",
    "transgender": "genderidentiteit",
}


@dataclass
class DiscriminatieSummary:
    path: Path
    jaren: list[int]
    gemeenten: list[str]
    figures: int
    other_grounds: int  # rows of other grounds or totals, left out


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", text.strip().lower())


def _read(path: Path) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise DialoogError("the registrations file is missing", path=path)
    if path.stat().st_size > MAX_BYTES:
        raise DialoogError("the registrations file is over 50 MB", path=path)
    try:
        frame = pd.read_csv(path, sep=None, engine="python", dtype=str, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DialoogError(f"cannot read the CSV file ({type(exc).__name__})", path=path) from None
    names = {}
    for col in frame.columns:
        for key, options in COLUMNS.items():
            if _plain(col) in options:
                names[col] = key
    frame = frame.rename(columns=names)
    for key in ("gemeente", "jaar", "grond", "aantal"):
        if key not in frame.columns:
            raise DialoogError(
                f"the column '{key}' is missing",
                path=path,
                line=1,
                hint="columns: gemeente, jaar, grond, aantal (and optionally instantie, bron)",
            )
    return frame


def registrations(path: Path, instantie: str, bron: str | None) -> tuple[list[schemas.DiscriminatieRow], int]:
    frame = _read(path)
    if "bron" not in frame.columns and not bron:
        raise DialoogError("the source is missing", path=path, key="--bron", hint="e.g. --bron 'Jaarcijfers ADV 2025'")
    rows, problems, other = [], [], 0
    for i, raw in frame.iterrows():
        ground = GROUNDS.get(_plain(raw["grond"]))
        if ground is None:
            other += 1
            continue
        values = {
            "jaar": str(raw["jaar"]).strip()[:4],
            "gemeente": raw["gemeente"],
            "instantie": _plain(raw.get("instantie") or instantie),
            "grond": ground,
            "aantal": str(raw["aantal"]).strip(),
            "bron": (raw.get("bron") if isinstance(raw.get("bron"), str) else None) or bron,
        }
        values["bron"] = str(values["bron"]).replace("{jaar}", values["jaar"])
        try:
            rows.append(schemas.DiscriminatieRow.model_validate(values))
        except pydantic.ValidationError as exc:
            problems.extend(schemas.problems_of(exc, path, i + 2))
        except DialoogError as exc:
            problems.append(DialoogError(exc.detail, path=path, line=i + 2, key="gemeente", hint=exc.hint))
    if problems:
        raise ValidationError(problems)
    return rows, other


def discriminatie_path(study: Study) -> Path:
    return study.root / "monitor" / "discriminatie.csv"


def import_discriminatie(
    study: Study, path: Path, instantie: str = "adv", bron: str | None = None
) -> DiscriminatieSummary:
    """Import registrations; replaces the rows of the same year, gemeente and instantie."""
    rows, other = registrations(Path(path), instantie, bron)
    if not rows:
        raise DialoogError(
            "no registration on the grounds sexual orientation or gender identity",
            path=path,
            hint="ground labels understood: " + ", ".join(sorted(GROUNDS)),
        )
    keys = {(r.jaar, r.gemeente, r.instantie, r.grond) for r in rows}
    if len(keys) < len(rows):
        raise DialoogError(
            "a gemeente, year and ground occur more than once", path=path, hint="give one row per ground"
        )
    out = discriminatie_path(study)
    new = {(r.jaar, r.gemeente, r.instantie) for r in rows}
    old = [r for _, r in schemas.read_rows(out, schemas.DiscriminatieRow)] if out.is_file() else []
    merged = [r for r in old if (r.jaar, r.gemeente, r.instantie) not in new] + rows
    merged.sort(key=lambda r: (r.jaar, r.gemeente, r.instantie, r.grond))
    out.parent.mkdir(parents=True, exist_ok=True)
    schemas.write_rows(out, merged, schemas.DiscriminatieRow)
    return DiscriminatieSummary(
        out, sorted({r.jaar for r in rows}), sorted({r.gemeente for r in rows}), len(rows), other
    )
