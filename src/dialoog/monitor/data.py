"""Safety monitoring: monitor figures, the alliance's agreements and actions, and regions.

Study files (all in ``monitor/``)::

    monitor.csv      jaar,gemeente,indicator,groep,n,waarde,bron   one figure per row
    alliantie.yaml   the agreements, the partners and their actions per year (status and evidence)
    regios.yaml      regions of several municipalities, e.g. noord-nederland

`waarde` is a proportion between 0 and 1 for a proportion indicator (with `n`, the number of respondents
it is based on) and a whole number for a count (reports to the meldpunt or the police). Every problem
names the file, the row (line) and the column; loading fails when there is any, so nothing is dropped.
The files' schemas are in `dialoog.study.schemas.monitor`.

The statistics are deliberately simple and honest: Wilson intervals for proportions, a two-proportion
z-test or an exact conditional test for counts, and a change is only called a rise or fall when the
test supports it at the 5% level.
"""

from __future__ import annotations

import math
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
    reference_value: float | None = None  # where the reference is a proportion that can be drawn


#: the indicators a monitor file may hold; national references from CBS (see README, "Reference data")
INDICATORS: dict[str, Indicator] = {
    i.id: i
    for i in [
        Indicator(
            "onveilig-buurt",
            "Voelt zich weleens onveilig in de eigen buurt",
            "aandeel",
            ("lhbt", "niet-lhbt", "totaal"),
        ),
        Indicator(
            "slachtoffer",
            "Slachtoffer van discriminatie, bedreiging of geweld (afgelopen 12 maanden)",
            "aandeel",
            ("lhbt", "niet-lhbt", "totaal"),
        ),
        Indicator(
            "aangifte",
            "Slachtoffers die aangifte deden bij de politie",
            "aandeel",
            ("lhbt", "niet-lhbt", "totaal"),
            reference="landelijk doet iets minder dan 1 op 3 LHBTQIA-slachtoffers aangifte "
            "(CBS, Statistische Trends 2024, Veiligheidsmonitor 2023)",
            reference_value=1 / 3,
        ),
        Indicator(
            "meldingen-meldpunt",
            "Meldingen bij het discriminatiemeldpunt",
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


def wilson(p: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95% by default) of a proportion p of n."""
    if n <= 0:
        return (math.nan, math.nan)
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _normal_sf(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2))


def two_proportion_p(p1: float, n1: int, p2: float, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test."""
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0
    return min(1.0, 2 * _normal_sf(abs(p2 - p1) / se))


def two_counts_p(k1: int, k2: int) -> float:
    """Two-sided exact p-value that two Poisson counts have the same rate (k1 ~ Binomial(k1+k2, 1/2))."""
    total = k1 + k2
    if total == 0:
        return 1.0
    probs = [math.comb(total, k) / 2**total for k in range(total + 1)]
    observed = probs[k1]
    return min(1.0, sum(p for p in probs if p <= observed * (1 + 1e-9)))


@dataclass(frozen=True)
class Trend:
    direction: str  # "stijging", "daling", "geen aantoonbare verandering", "te weinig gegevens"
    text: str  # one Dutch sentence that states the n
    p: float | None = None


def trend(rows: pd.DataFrame, threshold: int, alpha: float = 0.05) -> Trend:
    """Compare the first and the last year of one indicator for one gemeente and group.

    A change is only called a rise or fall when the test gives p < alpha; suppressed figures (fewer than
    `threshold` respondents or cases) are not compared.
    """
    rows = rows.sort_values("jaar")
    rows = rows[~rows.apply(lambda r: is_suppressed(r, threshold), axis=1)] if not rows.empty else rows
    if len(rows) < 2:
        return Trend("te weinig gegevens", "Er zijn te weinig (niet-onderdrukte) jaren om een trend te bepalen.")
    a, b = rows.iloc[0], rows.iloc[-1]
    kind = INDICATORS[a["indicator"]].kind
    if kind == "aandeel":
        p = two_proportion_p(a["waarde"], int(a["n"]), b["waarde"], int(b["n"]))
        values = (
            f"van {pct(a['waarde'])} in {a['jaar']} (n = {a['n']}) "
            f"naar {pct(b['waarde'])} in {b['jaar']} (n = {b['n']})"
        )
    else:
        p = two_counts_p(int(a["waarde"]), int(b["waarde"]))
        values = f"van {int(a['waarde'])} in {a['jaar']} naar {int(b['waarde'])} in {b['jaar']}"
    if p < alpha:
        direction = "stijging" if b["waarde"] > a["waarde"] else "daling"
        return Trend(direction, f"Een {direction}, {values}; dit verschil is statistisch betrouwbaar ({_p(p)}).", p)
    return Trend(
        "geen aantoonbare verandering",
        f"Geen aantoonbare verandering: {values}; het verschil kan op toeval berusten ({_p(p)}).",
        p,
    )


def _p(p: float) -> str:
    if p < 0.001:
        return "p < 0,001"
    return "p = " + (f"{p:.3f}" if p < 0.05 else f"{p:.2f}").replace(".", ",")


def is_suppressed(row, threshold: int) -> bool:
    """Whether a figure is too small to show: fewer than `threshold` respondents, or a count (or the
    number of respondents behind a proportion) between 1 and threshold - 1."""
    if INDICATORS[row["indicator"]].kind == "aandeel":
        n = int(row["n"])
        cases = round(row["waarde"] * n)
        return n < threshold or 0 < cases < threshold or 0 < n - cases < threshold
    return 0 < row["waarde"] < threshold


def pct(x: float) -> str:
    return f"{x * 100:.0f}%".replace(".", ",")


def display_value(row, threshold: int) -> str:
    """The value as shown in a report table: a percentage with its interval and n, a count, or '< N'."""
    ind = INDICATORS[row["indicator"]]
    if is_suppressed(row, threshold):
        return f"< {threshold}" if ind.kind == "aantal" else f"onderdrukt (n = {row['n']})"
    if ind.kind == "aantal":
        return str(int(row["waarde"]))
    lo, hi = wilson(row["waarde"], int(row["n"]))
    return f"{pct(row['waarde'])} ({pct(lo)}–{pct(hi)}; n = {row['n']})"


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
