"""Safety monitoring: monitor figures, the alliance's agreements and actions, and regions.

Study files (all in ``monitor/``)::

    monitor.csv      jaar,gemeente,indicator,groep,n,waarde,bron   one figure per row
    alliantie.yaml   the agreements, the partners and their actions per year (status and evidence)
    regios.yaml      regions of several municipalities, e.g. noord-nederland

`waarde` is a proportion between 0 and 1 for a proportion indicator (with `n`, the number of respondents
it is based on) and a whole number for a count (reports to the meldpunt or the police). Every problem
names the file, the row (line) and the column; loading fails when there is any, so nothing is dropped.
The files' schemas are in `dialoog.study.schemas.monitor`; the statistics live in `dialoog.monitor.stats`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dialoog.errors import DialoogError, ValidationError
from dialoog.study.folder import Study
from dialoog.study.gemeenten import Gemeente, find_gemeente
from dialoog.study.schemas.monitor import MONITOR_COLUMNS, AllianceFile, MonitorRow, RegionsFile
from dialoog.study.schemas.monitor import NATIONAL as NATIONAL
from dialoog.study.schemas.monitor import STATUSES as STATUSES
from dialoog.study.yamlload import line_at, load_file, load_yaml, read_rows, read_text, validate

FOLDER = "monitor"
COLUMNS = MONITOR_COLUMNS


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str  # Dutch, for the report
    kind: str  # "aandeel" (a proportion of n respondents) or "aantal" (a count)
    groups: tuple[str, ...]
    reference: str = ""  # a national reference figure, quoted with its source
    reference_value: float | None = None  # the national LHBTQIA figure, where it is a proportion
    reference_other: float | None = None  # the national figure of the others (not LHBTQIA)


VM2023 = "CBS, Statistische Trends 2024, Veiligheidsmonitor 2023"
SHARES = ("lhbt", "niet-lhbt", "totaal")
#: the indicators a monitor file may hold; national references from CBS (see README, "Reference data")
INDICATORS: dict[str, Indicator] = {
    i.id: i
    for i in [
        Indicator(
            "onveilig-algemeen",
            "Voelt zich weleens onveilig",
            "aandeel",
            SHARES,
            f"landelijk voelt 42% van de LHBT's zich weleens onveilig, tegen 34% van de anderen ({VM2023})",
            0.42,
            0.34,
        ),
        Indicator(
            "onveilig-buurt",
            "Voelt zich weleens onveilig in de eigen buurt",
            "aandeel",
            SHARES,
            f"landelijk voelt 18% van de LHBT's zich weleens onveilig in de eigen buurt, tegen 14% "
            f"van de anderen ({VM2023})",
            0.18,
            0.14,
        ),
        Indicator(
            "slachtoffer",
            "Slachtoffer van criminaliteit (afgelopen 12 maanden)",
            "aandeel",
            SHARES,
            f"landelijk was 25% van de LHBT's slachtoffer, tegen 19% van de anderen ({VM2023})",
            0.25,
            0.19,
        ),
        Indicator("discriminatie", "Voelde zich gediscrimineerd (afgelopen 12 maanden)", "aandeel", SHARES),
        Indicator(
            "aangifte",
            "Slachtoffers die aangifte deden bij de politie",
            "aandeel",
            SHARES,
            f"landelijk doet iets minder dan 1 op 3 LHBT-slachtoffers aangifte ({VM2023})",
            1 / 3,
        ),
        Indicator(
            "meldingen-meldpunt",
            "Meldingen bij het discriminatiemeldpunt (ADV)",
            "aantal",
            ("seksuele-orientatie", "genderidentiteit"),
        ),
        Indicator(
            "meldingen-politie",
            "Registraties van discriminatie door de politie",
            "aantal",
            ("seksuele-orientatie", "genderidentiteit"),
        ),
    ]
}
GROUP_LABELS = {
    "lhbt": "LHBT's",
    "niet-lhbt": "niet-LHBT's",
    "totaal": "alle inwoners",
    "seksuele-orientatie": "grond seksuele oriëntatie",
    "genderidentiteit": "grond genderidentiteit",
}


# -- monitor figures -------------------------------------------------------------------------------


def monitor_path(study: Study) -> Path:
    return study.root / FOLDER / "monitor.csv"


def load_figures(path: Path) -> pd.DataFrame:
    """Read and validate a monitor file (schema: `MonitorRow`); raise ValidationError naming the file, row
    (line) and column of every problem."""
    path = Path(path)
    if not path.is_file():
        raise DialoogError("the monitor file is missing", path=path, hint="see README: monitor/monitor.csv")
    rows, problems = read_rows(path, COLUMNS, MonitorRow, quote=True)
    seen: dict[tuple, int] = {}
    records = []
    for line, row in rows:
        key = (row.jaar, row.gemeente, row.indicator, row.groep)
        if key in seen:
            problems.append(
                DialoogError(
                    f"duplicate figure (also on line {seen[key]})",
                    path=path,
                    line=line,
                    key="jaar/gemeente/indicator/groep",
                )
            )
            continue
        seen[key] = line
        records.append({**row.model_dump(), "line": line})
    if problems:
        raise ValidationError(sorted(problems, key=lambda p: p.line or 0))
    df = pd.DataFrame(records, columns=[*COLUMNS, "line"])
    df["n"] = df["n"].astype("Int64")
    return df


# -- statistics -----------------------------------------------------------------------------------


# -- the alliance ----------------------------------------------------------------------------------


@dataclass
class Agreement:
    nummer: int
    tekst: str


@dataclass
class Partner:
    id: str
    naam: str
    gemeente: str | None = None  # CBS name, or None for a regional partner


@dataclass
class Action:
    id: str
    jaar: int
    gemeente: str
    partners: list[str]
    actie: str
    afspraken: list[int]
    status: str
    bewijs: str = ""
    fictief: bool = False
    line: int | None = None


@dataclass
class Alliance:
    naam: str
    opgericht: int | None
    agreements: list[Agreement]
    partners: list[Partner]
    actions: list[Action] = field(default_factory=list)

    def partner_name(self, pid: str) -> str:
        return next((p.naam for p in self.partners if p.id == pid), pid)


def load_alliance(path: Path) -> Alliance:
    """Read and validate ``alliantie.yaml`` (schema: `AllianceFile`); every problem names the file, line and key."""
    path = Path(path)
    if not path.is_file():
        raise DialoogError("the alliance file is missing", path=path, hint="see README: monitor/alliantie.yaml")
    data = load_yaml(read_text(path), path)
    alliance = validate(data, AllianceFile, path, context={})
    actions = [
        Action(
            id=a.id or f"actie-{i}",
            jaar=a.jaar,
            gemeente=a.gemeente,
            partners=list(a.partners),
            actie=a.actie,
            afspraken=list(a.afspraken),
            status=a.status,
            bewijs=a.bewijs,
            fictief=a.fictief,
            line=line_at(data, ("acties", i - 1)),
        )
        for i, a in enumerate(alliance.acties, start=1)
    ]
    return Alliance(
        alliance.naam,
        alliance.opgericht,
        [Agreement(a.nummer, a.tekst) for a in alliance.afspraken],
        [Partner(p.id, p.naam, p.gemeente) for p in alliance.partners],
        actions,
    )


def actions_table(alliance: Alliance, gemeenten: list[str], jaar: int) -> pd.DataFrame:
    """The actions of `gemeenten` up to and including `jaar`, latest first."""
    rows = [
        {
            "jaar": a.jaar,
            "gemeente": a.gemeente,
            "wie": ", ".join(alliance.partner_name(p) for p in a.partners),
            "actie": a.actie + (" *" if a.fictief else ""),
            "afspraak": ", ".join(str(n) for n in a.afspraken),
            "status": a.status,
            "bewijs": a.bewijs,
        }
        for a in alliance.actions
        if a.gemeente in gemeenten and a.jaar <= jaar
    ]
    df = pd.DataFrame(rows, columns=["jaar", "gemeente", "wie", "actie", "afspraak", "status", "bewijs"])
    return df.sort_values(["jaar", "gemeente"], ascending=[False, True], kind="stable").reset_index(drop=True)


def agreements_state(alliance: Alliance, gemeenten: list[str], jaar: int) -> pd.DataFrame:
    """Per agreement: the actions in `jaar` that serve it, by status, per gemeente."""
    rows = []
    for ag in alliance.agreements:
        row = {"afspraak": f"{ag.nummer}. {ag.tekst}"}
        for g in gemeenten:
            acts = [a for a in alliance.actions if a.gemeente == g and a.jaar == jaar and ag.nummer in a.afspraken]
            if not acts:
                row[g] = "geen actie"
            else:
                counts = pd.Series([a.status for a in acts]).value_counts()
                row[g] = ", ".join(f"{n} {s}" for s, n in counts.items())
        rows.append(row)
    return pd.DataFrame(rows, columns=["afspraak", *gemeenten])


# -- regions ---------------------------------------------------------------------------------------


@dataclass
class Region:
    id: str
    naam: str
    gemeenten: list[Gemeente]


def load_regions(path: Path) -> dict[str, Region]:
    """Read and validate ``regios.yaml`` (schema: `RegionsFile`)."""
    path = Path(path)
    if not path.is_file():
        raise DialoogError("the regions file is missing", path=path, hint="see README: monitor/regios.yaml")
    regions = load_file(path, RegionsFile).regios
    return {r.id: Region(r.id, r.naam or r.id, [find_gemeente(g) for g in r.gemeenten]) for r in regions}


def region(study: Study, region_id: str) -> Region:
    regions = load_regions(study.root / FOLDER / "regios.yaml")
    if region_id not in regions:
        raise DialoogError(
            f"unknown region '{region_id}'",
            path=study.root / FOLDER / "regios.yaml",
            hint="regions in this study: " + (", ".join(regions) or "none"),
        )
    return regions[region_id]
