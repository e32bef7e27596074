"""Safety monitoring: monitor figures, the alliance's agreements and actions, and regions.

Study files (all in ``monitor/``)::

    monitor.csv      jaar,gemeente,indicator,groep,n,waarde,bron   hand-entered figures, one per row
    enquete.csv, statline.csv, discriminatie.csv   aggregates written by `dialoog monitor import-*`
                     (see `dialoog.monitor.schemas`; `dialoog.monitor.sources` reads them all together)
    alliantie.yaml   the agreements, the partners and their actions per year (status and evidence)
    regios.yaml      regions of several municipalities, e.g. noord-nederland

`waarde` is a proportion between 0 and 1 for a proportion indicator (with `n`, the number of respondents
it is based on) and a whole number for a count (reports to the meldpunt or the police). Every problem
names the file, the row (line) and the column; loading fails when there is any, so nothing is dropped.
The statistics live in `dialoog.monitor.stats`.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dialoog.errors import DialoogError, ValidationError
from dialoog.study.folder import Study
from dialoog.study.gemeenten import Gemeente, find_gemeente
from dialoog.study.yamlload import line_of, load_yaml

FOLDER = "monitor"
COLUMNS = ("jaar", "gemeente", "indicator", "groep", "n", "waarde", "bron")
NATIONAL = "Nederland"


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
            f"landelijk voelt 42% van de LHBTQIA-personen zich weleens onveilig, tegen 34% van de anderen ({VM2023})",
            0.42,
            0.34,
        ),
        Indicator(
            "onveilig-buurt",
            "Voelt zich weleens onveilig in de eigen buurt",
            "aandeel",
            SHARES,
            f"landelijk voelt 18% van de LHBTQIA-personen zich weleens onveilig in de eigen buurt, tegen 14% "
            f"van de anderen ({VM2023})",
            0.18,
            0.14,
        ),
        Indicator(
            "slachtoffer",
            "Slachtoffer van criminaliteit (afgelopen 12 maanden)",
            "aandeel",
            SHARES,
            f"landelijk was 25% van de LHBTQIA-personen slachtoffer, tegen 19% van de anderen ({VM2023})",
            0.25,
            0.19,
        ),
        Indicator("discriminatie", "Voelde zich gediscrimineerd (afgelopen 12 maanden)", "aandeel", SHARES),
        Indicator(
            "aangifte",
            "Slachtoffers die aangifte deden bij de politie",
            "aandeel",
            SHARES,
            f"landelijk doet iets minder dan 1 op 3 LHBTQIA-slachtoffers aangifte ({VM2023})",
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
STATUSES = {
    "gepland": "gepland",
    "lopend": "lopend",
    "uitgevoerd": "uitgevoerd",
    "vertraagd": "vertraagd",
    "gestopt": "gestopt",
}


# -- monitor figures -------------------------------------------------------------------------------


def monitor_path(study: Study) -> Path:
    return study.root / FOLDER / "monitor.csv"


def _check_figure(v: dict, bad) -> dict | None:
    """The checked values of one row of monitor.csv, or None (after `bad(...)`) when it has a problem."""
    ok = True
    try:
        jaar = int(v["jaar"])
        if not 1990 <= jaar <= 2100:
            raise ValueError
    except ValueError:
        bad(f"'{v['jaar']}' is not a year", "jaar")
        ok = False
        jaar = 0
    gemeente = v["gemeente"]
    if gemeente.lower() == NATIONAL.lower():
        gemeente = NATIONAL
    else:
        try:
            gemeente = find_gemeente(gemeente).name
        except DialoogError as exc:
            bad(exc.detail, "gemeente", exc.hint)
            ok = False
    ind = INDICATORS.get(v["indicator"])
    if ind is None:
        bad(f"unknown indicator '{v['indicator']}'", "indicator", "use one of: " + ", ".join(INDICATORS))
        return None
    if v["groep"] not in ind.groups:
        bad(f"unknown groep '{v['groep']}' for {ind.id}", "groep", "use one of: " + ", ".join(ind.groups))
        ok = False
    n: int | None = None
    if v["n"]:
        try:
            n = int(v["n"])
            if n < 0:
                raise ValueError
        except ValueError:
            bad(f"n must be a whole number of 0 or more, not '{v['n']}'", "n")
            ok = False
    elif ind.kind == "aandeel":
        bad("n is missing", "n", "a proportion needs the number of respondents it is based on")
        ok = False
    try:
        waarde = float(v["waarde"])
        if math.isnan(waarde):
            raise ValueError
    except ValueError:
        bad(f"'{v['waarde']}' is not a number", "waarde")
        return None
    if ind.kind == "aandeel" and not 0 <= waarde <= 1:
        bad(f"impossible value {waarde} for a proportion", "waarde", "write a proportion between 0 and 1, e.g. 0.23")
        ok = False
    if ind.kind == "aantal" and (waarde < 0 or waarde != int(waarde)):
        bad(f"impossible value {waarde} for a count", "waarde", "a count is a whole number of 0 or more")
        ok = False
    if n == 0 and ind.kind == "aandeel":
        bad("n is 0: a proportion of nobody", "n")
        ok = False
    if not v["bron"]:
        bad("the source is missing", "bron", "name the survey or register, e.g. 'Veiligheidsmonitor 2023'")
        ok = False
    if not ok:
        return None
    return {
        "jaar": jaar,
        "gemeente": gemeente,
        "indicator": ind.id,
        "groep": v["groep"],
        "n": n,
        "waarde": waarde,
        "bron": v["bron"],
    }


def load_figures(path: Path) -> pd.DataFrame:
    """Read and validate a monitor file; raise ValidationError naming the file, row (line) and column."""
    path = Path(path)
    if not path.is_file():
        raise DialoogError("the monitor file is missing", path=path, hint="see README: monitor/monitor.csv")
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != COLUMNS:
        raise DialoogError("unexpected header", path=path, line=1, hint="the first row must be: " + ",".join(COLUMNS))
    problems: list[DialoogError] = []
    rows: list[dict] = []
    seen: dict[tuple, int] = {}
    line = reader.line_num + 1
    for raw in reader:
        this, line = line, reader.line_num + 1
        if not raw or not any(v.strip() for v in raw):
            continue

        def bad(message: str, key: str, hint: str | None = None, at: int = this) -> None:
            problems.append(DialoogError(message, path=path, line=at, key=key, hint=hint))

        if len(raw) != len(COLUMNS):
            bad(
                f"expected {len(COLUMNS)} columns, found {len(raw)}",
                "row",
                "quote a text with a comma in double quotes",
            )
            continue
        v = {k: s.strip() for k, s in zip(COLUMNS, raw, strict=True)}
        row = _check_figure(v, bad)
        if row is None:
            continue
        key = (row["jaar"], row["gemeente"], row["indicator"], row["groep"])
        if key in seen:
            bad(f"duplicate figure (also on line {seen[key]})", "jaar/gemeente/indicator/groep")
            continue
        seen[key] = this
        rows.append({**row, "line": this})
    if problems:
        raise ValidationError(problems)
    df = pd.DataFrame(rows, columns=[*COLUMNS, "line"])
    df["n"] = df["n"].astype("Int64")
    return df


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


def _actions(data: dict, bad, partner_ids: set[str], numbers: set[int]) -> list[Action]:
    """The checked actions of alliantie.yaml; each problem is passed to `bad`."""
    actions = []
    for i, item in enumerate(data.get("acties") or [], start=1):
        where = f"acties[{i}]"
        if not isinstance(item, dict):
            bad("expected a mapping", item, "", where)
            continue
        for k in item:
            if k not in {"id", "jaar", "gemeente", "partners", "actie", "afspraken", "status", "bewijs", "fictief"}:
                bad("unknown key", item, k, f"{where}.{k}")
        jaar = item.get("jaar")
        if not isinstance(jaar, int) or isinstance(jaar, bool) or not 1990 <= jaar <= 2100:
            bad(f"'{jaar}' is not a year", item, "jaar", f"{where}.jaar")
            jaar = 0
        gem = str(item.get("gemeente") or "")
        try:
            gem = find_gemeente(gem).name
        except DialoogError as exc:
            bad(exc.detail, item, "gemeente", f"{where}.gemeente", exc.hint)
        refs = item.get("partners") or []
        for ref in refs:
            if ref not in partner_ids:
                bad(f"unknown partner '{ref}'", item, "partners", f"{where}.partners", "use an id under 'partners:'")
        serves = item.get("afspraken") or []
        for ref in serves:
            if ref not in numbers:
                bad(
                    f"unknown agreement '{ref}'",
                    item,
                    "afspraken",
                    f"{where}.afspraken",
                    "use the nummer of an agreement under 'afspraken:'",
                )
        if not serves:
            bad("name the agreement(s) this action serves", item, "afspraken", f"{where}.afspraken")
        status = item.get("status")
        if status not in STATUSES:
            bad(f"unknown status '{status}'", item, "status", f"{where}.status", "use one of: " + ", ".join(STATUSES))
        if not item.get("actie"):
            bad("the action is missing", item, "actie", f"{where}.actie")
        actions.append(
            Action(
                id=str(item.get("id") or f"actie-{i}"),
                jaar=jaar,
                gemeente=gem,
                partners=[str(r) for r in refs],
                actie=str(item.get("actie") or "").strip(),
                afspraken=[int(r) for r in serves if isinstance(r, int)],
                status=str(status),
                bewijs=str(item.get("bewijs") or "").strip(),
                fictief=bool(item.get("fictief", False)),
                line=line_of(item),
            )
        )
    return actions


def load_alliance(path: Path) -> Alliance:
    """Read and validate ``alliantie.yaml``; every problem names the file, line and key."""
    path = Path(path)
    if not path.is_file():
        raise DialoogError("the alliance file is missing", path=path, hint="see README: monitor/alliantie.yaml")
    data = load_yaml(path.read_text(encoding="utf-8"), path)
    if not isinstance(data, dict):
        raise DialoogError("expected a mapping with afspraken, partners and acties", path=path, line=1)
    problems: list[DialoogError] = []

    def bad(message: str, item, key: str, where: str, hint: str | None = None) -> None:
        problems.append(DialoogError(message, path=path, line=line_of(item, key), key=where, hint=hint))

    for k in data:
        if k not in {"naam", "opgericht", "afspraken", "partners", "acties", "fictief"}:
            bad("unknown key", data, k, str(k), "known keys: naam, opgericht, afspraken, partners, acties")
    agreements = []
    for i, item in enumerate(data.get("afspraken") or [], start=1):
        where = f"afspraken[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("nummer"), int) or not item.get("tekst"):
            bad("each agreement needs a nummer (whole number) and a tekst", item, "nummer", where)
            continue
        agreements.append(Agreement(item["nummer"], str(item["tekst"]).strip()))
    numbers = {a.nummer for a in agreements}
    partners = []
    for i, item in enumerate(data.get("partners") or [], start=1):
        where = f"partners[{i}]"
        if not isinstance(item, dict) or not item.get("id") or not item.get("naam"):
            bad("each partner needs an id and a naam", item, "id", where)
            continue
        gem = item.get("gemeente")
        if gem:
            try:
                gem = find_gemeente(str(gem)).name
            except DialoogError as exc:
                bad(exc.detail, item, "gemeente", f"{where}.gemeente", exc.hint)
        partners.append(Partner(str(item["id"]), str(item["naam"]), gem or None))
    actions = _actions(data, bad, {p.id for p in partners}, numbers)
    if problems:
        raise ValidationError(problems)
    return Alliance(str(data.get("naam") or ""), data.get("opgericht"), agreements, partners, actions)


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
    path = Path(path)
    if not path.is_file():
        raise DialoogError("the regions file is missing", path=path, hint="see README: monitor/regios.yaml")
    data = load_yaml(path.read_text(encoding="utf-8"), path)
    items = data.get("regios") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise DialoogError("expected a key 'regios:' with a list", path=path, line=1, key="regios")
    problems: list[DialoogError] = []
    out: dict[str, Region] = {}
    for i, item in enumerate(items, start=1):
        where = f"regios[{i}]"
        if not isinstance(item, dict) or not item.get("id") or not isinstance(item.get("gemeenten"), list):
            problems.append(
                DialoogError(
                    "each region needs an id, a naam and a list of gemeenten", path=path, line=line_of(item), key=where
                )
            )
            continue
        gems = []
        for name in item["gemeenten"]:
            try:
                gems.append(find_gemeente(str(name)))
            except DialoogError as exc:
                problems.append(
                    DialoogError(
                        exc.detail, path=path, line=line_of(item, "gemeenten"), key=f"{where}.gemeenten", hint=exc.hint
                    )
                )
        out[str(item["id"])] = Region(str(item["id"]), str(item.get("naam") or item["id"]), gems)
    if problems:
        raise ValidationError(problems)
    return out


def region(study: Study, region_id: str) -> Region:
    regions = load_regions(study.root / FOLDER / "regios.yaml")
    if region_id not in regions:
        raise DialoogError(
            f"unknown region '{region_id}'",
            path=study.root / FOLDER / "regios.yaml",
            hint="regions in this study: " + (", ".join(regions) or "none"),
        )
    return regions[region_id]
