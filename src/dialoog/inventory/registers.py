"""The inventory of a municipality: initiatives, needs and the local network, and their gaps.

Three YAML files per municipality, written and edited by researchers and policy officers::

    inventaris/<gemeente-slug>/initiatieven.yaml   what exists (or existed), who runs it, for whom, where
    inventaris/<gemeente-slug>/behoeften.yaml      needs and questions from the interviews, and what answers them
    inventaris/<gemeente-slug>/netwerk.yaml        organisations and roles, their ties, and the expected ties

Every entry is validated on load against the vocabularies below, the CBS wijken of the municipality
and the study's transcripts and codings; each problem names the file, line and key, and loading fails
when there is any problem, so nothing is silently dropped. Links to interview fragments are written
``<transcript-id>:<start>-<end>`` and must be the span of a coding in ``codings/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dialoog.errors import DialoogError, ValidationError
from dialoog.fileio import atomic_write_text
from dialoog.study.folder import Study
from dialoog.study.gemeenten import Gemeente, match_wijk, wijken
from dialoog.study.yamlload import line_of, load_yaml

FOLDER = "inventaris"
FILES = ("initiatieven.yaml", "behoeften.yaml", "netwerk.yaml")

#: kinds of initiative (id: Dutch label)
KINDS: dict[str, str] = {
    "voorlichting": "voorlichting",
    "ontmoeting": "ontmoeting",
    "training-professionals": "training professionals",
    "melden": "melden en aangifte",
    "zichtbaarheid": "zichtbaarheid",
    "ondersteuning": "ondersteuning",
    "netwerk": "netwerk en kennisdeling",
    "inspraak": "inspraak en platform",
}
#: target groups; `lhbt` means LHBT residents in general
TARGET_GROUPS: dict[str, str] = {
    "lhbt": "LHBT's algemeen",
    "lesbisch": "lesbische vrouwen",
    "homo": "homoseksuele mannen",
    "bi": "biseksuelen",
    "trans": "transgender personen",
    "intersekse": "intersekse personen",
    "jongeren": "jongeren",
    "ouderen": "ouderen",
    "vluchtelingen": "vluchtelingen en statushouders",
    "gezinnen": "regenboogfamilies",
    "migratieachtergrond": "LHBT's met een migratie- of religieuze achtergrond",
    "professionals": "professionals",
}
STATUSES: dict[str, str] = {"idee": "idee", "lopend": "lopend", "gestopt": "gestopt"}
#: kinds of organisation or professional role
ORG_KINDS: dict[str, str] = {
    "wijkteam": "wijk- of gebiedsteam",
    "politie": "politie",
    "roze-in-blauw": "Roze in Blauw",
    "coc": "COC",
    "meldpunt": "discriminatiemeldpunt",
    "woningcorporatie": "woningcorporatie",
    "school": "school",
    "buurtbemiddeling": "buurtbemiddeling",
    "zorg": "zorg",
    "jongerenwerk": "jongerenwerk",
    "gemeente": "gemeente",
    "belangenorganisatie": "belangenorganisatie",
    "vrijwilligersorganisatie": "vrijwilligersorganisatie",
    "sport": "sportvereniging",
}
TIE_KINDS: dict[str, str] = {
    "samenwerking": "samenwerking",
    "doorverwijzing": "doorverwijzing",
    "kennisdeling": "kennisdeling",
}
#: the whole municipality rather than particular wijken
WHOLE = "gemeente"
NEEDS_CODE = "vragen-behoeften"
LINK_RE = re.compile(r"^\s*([a-z0-9][a-z0-9_-]*):(\d+)-(\d+)\s*$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Link:
    """A link to a coded interview fragment."""

    transcript: str
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.transcript}:{self.start}-{self.end}"


@dataclass
class Initiative:
    id: str
    naam: str
    organisatie: str  # id of an organisation in netwerk.yaml
    soort: str
    doelgroepen: list[str]
    wijken: list[str]  # CBS names, or [WHOLE]
    status: str
    sinds: int | None = None
    tot: int | None = None
    bereik: str = ""
    werkt: str = ""
    werkt_niet: str = ""
    aliassen: list[str] = field(default_factory=list)
    fragmenten: list[Link] = field(default_factory=list)
    line: int | None = None


@dataclass
class Need:
    id: str
    behoefte: str
    doelgroepen: list[str]
    wijken: list[str]
    fragmenten: list[Link] = field(default_factory=list)
    beantwoord_door: list[str] = field(default_factory=list)  # initiative ids
    line: int | None = None


@dataclass
class Organisation:
    id: str
    naam: str
    soort: str
    lhbt_netwerk: bool = False  # part of the LHBT network itself (COC, Roze in Blauw, meldpunt, ...)
    aliassen: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class Tie:
    van: str
    naar: str
    soort: str
    fragmenten: list[Link] = field(default_factory=list)
    toelichting: str = ""
    line: int | None = None


@dataclass
class Inventory:
    gemeente: Gemeente
    folder: Path
    initiatives: list[Initiative]
    needs: list[Need]
    organisations: list[Organisation]
    ties: list[Tie]
    expected: list[Tie]  # ties that should exist (from netwerk.yaml `verwacht`)
    reviewed: list[Link] = field(default_factory=list)  # fragments a researcher judged: no initiative of ours

    @property
    def exists(self) -> bool:
        return any((self.folder / f).is_file() for f in FILES)

    def organisation(self, org_id: str) -> Organisation:
        return next(o for o in self.organisations if o.id == org_id)

    def initiative(self, init_id: str) -> Initiative:
        return next(i for i in self.initiatives if i.id == init_id)


def folder(study: Study, gemeente: Gemeente) -> Path:
    return study.root / FOLDER / gemeente.slug


# -- loading and validation -----------------------------------------------------------------------


class _Checker:
    """Collects the problems of one file; every message names the file, line and key."""

    def __init__(self, path: Path, gemeente: Gemeente, spans: dict[tuple[str, int, int], set[str]], study: Study):
        self.path = path
        self.gemeente = gemeente
        self.spans = spans
        self.study = study
        self.problems: list[DialoogError] = []

    def bad(self, message: str, item: Any, key: str, where: str, hint: str | None = None) -> None:
        self.problems.append(DialoogError(message, path=self.path, line=line_of(item, key), key=where, hint=hint))

    def text(self, item: dict, key: str, where: str, required: bool = True) -> str:
        value = item.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.bad("this field is required", item, key, f"{where}.{key}")
            return ""
        if not isinstance(value, str | int | float):
            self.bad("expected a text", item, key, f"{where}.{key}")
            return ""
        return str(value).strip()

    def ident(self, item: dict, where: str) -> str:
        value = self.text(item, "id", where)
        if value and not ID_RE.match(value):
            self.bad(f"invalid id '{value}'", item, "id", f"{where}.id", hint="use lower-case letters, digits and '-'")
        return value

    def year(self, item: dict, key: str, where: str) -> int | None:
        value = item.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
            self.bad(f"'{value}' is not a year", item, key, f"{where}.{key}", hint="write a year, e.g. 2016")
            return None
        return value

    def choice(self, item: dict, key: str, where: str, vocab: dict[str, str]) -> str:
        value = self.text(item, key, where)
        if value and value not in vocab:
            self.bad(f"unknown {key} '{value}'", item, key, f"{where}.{key}", hint="use one of: " + ", ".join(vocab))
        return value

    def strings(self, item: dict, key: str, where: str, required: bool = False) -> list[str]:
        value = item.get(key)
        if value is None:
            if required:
                self.bad("this field is required", item, key, f"{where}.{key}")
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.bad("expected a list of texts, e.g. [a, b]", item, key, f"{where}.{key}")
            return []
        if required and not value:
            self.bad("the list is empty", item, key, f"{where}.{key}")
        return [str(v).strip() for v in value]

    def choices(self, item: dict, key: str, where: str, vocab: dict[str, str], singular: str) -> list[str]:
        out = []
        for v in self.strings(item, key, where, required=True):
            if v not in vocab:
                self.bad(
                    f"unknown {singular} '{v}'", item, key, f"{where}.{key}", hint="use one of: " + ", ".join(vocab)
                )
            else:
                out.append(v)
        return out

    def wijk_list(self, item: dict, where: str) -> list[str]:
        out = []
        for v in self.strings(item, "wijken", where, required=True):
            if v.lower() in {WHOLE, "hele gemeente"}:
                out.append(WHOLE)
                continue
            found = match_wijk(self.gemeente, v)
            if found is None:
                known = ", ".join(wijken(self.gemeente.code))
                self.bad(
                    f"unknown wijk '{v}' in {self.gemeente.name}",
                    item,
                    "wijken",
                    f"{where}.wijken",
                    hint=f"use '{WHOLE}' for the whole municipality or a CBS wijk: {known}",
                )
            else:
                out.append(found)
        return out

    def links(self, item: dict, key: str, where: str, need_code: str | None = None) -> list[Link]:
        out = []
        for v in self.strings(item, key, where):
            m = LINK_RE.match(v)
            if not m:
                self.bad(
                    f"'{v}' is not a fragment link",
                    item,
                    key,
                    f"{where}.{key}",
                    hint="write <transcript-id>:<start>-<end>, e.g. groningen-01:3105-3247",
                )
                continue
            link = Link(m.group(1), int(m.group(2)), int(m.group(3)))
            codes = self.spans.get((link.transcript, link.start, link.end))
            if link.transcript not in self.study.transcripts:
                self.bad(f"fragment {link}: unknown transcript '{link.transcript}'", item, key, f"{where}.{key}")
            elif codes is None:
                self.bad(
                    f"fragment {link} is not a coded segment",
                    item,
                    key,
                    f"{where}.{key}",
                    hint="link to the exact start-end of a coding in codings/*.csv",
                )
            elif need_code and not (codes & need_code_family(self.study, need_code)):
                self.bad(
                    f"fragment {link} is not coded '{need_code}'",
                    item,
                    key,
                    f"{where}.{key}",
                    hint=f"a need's source fragments are codings with the code '{need_code}'",
                )
            else:
                out.append(link)
        return out


def need_code_family(study: Study, code: str) -> set[str]:
    try:
        return {code, *study.codebook.descendants(code)}
    except (KeyError, DialoogError):
        return {code}


def _entries(data: Any, key: str, path: Path, problems: list[DialoogError]) -> list[dict]:
    if data is None:
        return []
    if not isinstance(data, dict) or key not in data:
        problems.append(DialoogError(f"expected a top-level key '{key}:' with a list", path=path, line=1, key=key))
        return []
    allowed = {"initiatieven": {"beoordeeld"}, "netwerk": {"banden", "verwacht"}}.get(
        "netwerk" if key == "organisaties" else key, set()
    )
    unknown = sorted(set(data) - {key, "gemeente", "fictief", *allowed})
    for k in unknown:
        problems.append(DialoogError("unknown top-level key", path=path, line=line_of(data, k), key=str(k)))
    items = data[key] or []
    if not isinstance(items, list):
        problems.append(DialoogError("expected a list", path=path, line=line_of(data, key), key=key))
        return []
    out = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(DialoogError("expected a mapping (key: value lines)", path=path, key=f"{key}[{i}]"))
        else:
            out.append(item)
    return out


def _unknown_keys(chk: _Checker, item: dict, where: str, allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    for k in item:
        if k not in allowed:
            chk.bad("unknown key", item, str(k), f"{where}.{k}", hint="known keys: " + ", ".join(sorted(allowed)))


def _read(path: Path, problems: list[DialoogError]) -> Any:
    if not path.is_file():
        return None
    try:
        return load_yaml(path.read_text(encoding="utf-8"), path)
    except DialoogError as exc:
        problems.append(exc)
        return None


def coded_spans(study: Study) -> dict[tuple[str, int, int], set[str]]:
    """(transcript, start, end) of every valid coding, with the codes given to that span."""
    out: dict[tuple[str, int, int], set[str]] = {}
    for c in study.codings:
        out.setdefault((c.transcript, c.start, c.end), set()).add(c.code)
    return out


def load(study: Study, gemeente: Gemeente) -> Inventory:
    """Load and validate the inventory of `gemeente`; raise ValidationError listing every problem.

    A municipality without an ``inventaris/<slug>/`` folder gets an empty inventory (`exists` is False).
    """
    base = folder(study, gemeente)
    spans = coded_spans(study)
    problems: list[DialoogError] = []

    # netwerk.yaml first: initiatives refer to its organisations
    path = base / "netwerk.yaml"
    data = _read(path, problems)
    chk = _Checker(path, gemeente, spans, study)
    orgs: list[Organisation] = []
    ties: list[Tie] = []
    expected: list[Tie] = []
    if data is not None:
        for i, item in enumerate(_entries(data, "organisaties", path, problems), start=1):
            where = f"organisaties[{i}]"
            _unknown_keys(chk, item, where, ["id", "naam", "soort", "lhbt_netwerk", "aliassen", "toelichting"])
            lhbt = item.get("lhbt_netwerk", False)
            if not isinstance(lhbt, bool):
                chk.bad("expected true or false", item, "lhbt_netwerk", f"{where}.lhbt_netwerk")
            org = Organisation(
                id=chk.ident(item, where),
                naam=chk.text(item, "naam", where),
                soort=chk.choice(item, "soort", where, ORG_KINDS),
                lhbt_netwerk=lhbt is True,
                aliassen=chk.strings(item, "aliassen", where),
                line=line_of(item),
            )
            if org.id and any(o.id == org.id for o in orgs):
                chk.bad(f"duplicate organisation id '{org.id}'", item, "id", f"{where}.id")
            orgs.append(org)
        org_ids = {o.id for o in orgs}
        for key, target in (("banden", ties), ("verwacht", expected)):
            items = data.get(key) if isinstance(data, dict) else None
            if items is None:
                continue
            if not isinstance(items, list):
                problems.append(DialoogError("expected a list", path=path, line=line_of(data, key), key=key))
                continue
            for i, item in enumerate(items, start=1):
                where = f"{key}[{i}]"
                if not isinstance(item, dict):
                    problems.append(DialoogError("expected a mapping (key: value lines)", path=path, key=where))
                    continue
                _unknown_keys(chk, item, where, ["van", "naar", "soort", "fragmenten", "toelichting"])
                tie = Tie(
                    van=chk.text(item, "van", where),
                    naar=chk.text(item, "naar", where),
                    soort=chk.choice(item, "soort", where, TIE_KINDS),
                    fragmenten=chk.links(item, "fragmenten", where),
                    toelichting=chk.text(item, "toelichting", where, required=False),
                    line=line_of(item),
                )
                for end in ("van", "naar"):
                    value = getattr(tie, end)
                    if value and value not in org_ids:
                        chk.bad(
                            f"unknown organisation '{value}'",
                            item,
                            end,
                            f"{where}.{end}",
                            hint="use the id of an entry under 'organisaties:'",
                        )
                target.append(tie)
        problems.extend(chk.problems)
    org_ids = {o.id for o in orgs}

    path = base / "initiatieven.yaml"
    chk = _Checker(path, gemeente, spans, study)
    initiatives: list[Initiative] = []
    data = _read(path, problems)
    reviewed = chk.links(data, "beoordeeld", "beoordeeld") if isinstance(data, dict) else []
    for i, item in enumerate(_entries(data, "initiatieven", path, problems), start=1):
        where = f"initiatieven[{i}]"
        _unknown_keys(
            chk,
            item,
            where,
            [
                "id",
                "naam",
                "organisatie",
                "soort",
                "doelgroepen",
                "wijken",
                "status",
                "sinds",
                "tot",
                "bereik",
                "werkt",
                "werkt_niet",
                "aliassen",
                "fragmenten",
                "toelichting",
                # the platform's optional fields, read by dialoog.platform.registerfields
                "thema",
                "doel",
                "aanpak",
                "werkzame_elementen",
                "evaluatie",
                "contact_organisatie",
                "partners",
                "publiceerbaar",
                "publiceerbare_citaten",
            ],
        )
        init = Initiative(
            id=chk.ident(item, where),
            naam=chk.text(item, "naam", where),
            organisatie=chk.text(item, "organisatie", where),
            soort=chk.choice(item, "soort", where, KINDS),
            doelgroepen=chk.choices(item, "doelgroepen", where, TARGET_GROUPS, "doelgroep"),
            wijken=chk.wijk_list(item, where),
            status=chk.choice(item, "status", where, STATUSES),
            sinds=chk.year(item, "sinds", where),
            tot=chk.year(item, "tot", where),
            bereik=chk.text(item, "bereik", where, required=False),
            werkt=chk.text(item, "werkt", where, required=False),
            werkt_niet=chk.text(item, "werkt_niet", where, required=False),
            aliassen=chk.strings(item, "aliassen", where),
            fragmenten=chk.links(item, "fragmenten", where),
            line=line_of(item),
        )
        if init.organisatie and init.organisatie not in org_ids:
            chk.bad(
                f"unknown organisation '{init.organisatie}'",
                item,
                "organisatie",
                f"{where}.organisatie",
                hint="add it under 'organisaties:' in netwerk.yaml or use the id of one there",
            )
        if init.id and any(x.id == init.id for x in initiatives):
            chk.bad(f"duplicate initiative id '{init.id}'", item, "id", f"{where}.id")
        initiatives.append(init)
    problems.extend(chk.problems)
    init_ids = {x.id for x in initiatives}

    path = base / "behoeften.yaml"
    chk = _Checker(path, gemeente, spans, study)
    needs: list[Need] = []
    for i, item in enumerate(_entries(_read(path, problems), "behoeften", path, problems), start=1):
        where = f"behoeften[{i}]"
        _unknown_keys(
            chk,
            item,
            where,
            ["id", "behoefte", "doelgroepen", "wijken", "fragmenten", "beantwoord_door", "toelichting", "thema"],
        )
        need = Need(
            id=chk.ident(item, where),
            behoefte=chk.text(item, "behoefte", where),
            doelgroepen=chk.choices(item, "doelgroepen", where, TARGET_GROUPS, "doelgroep"),
            wijken=chk.wijk_list(item, where),
            fragmenten=chk.links(item, "fragmenten", where, need_code=NEEDS_CODE),
            beantwoord_door=chk.strings(item, "beantwoord_door", where),
            line=line_of(item),
        )
        for ref in need.beantwoord_door:
            if ref not in init_ids:
                chk.bad(
                    f"unknown initiative '{ref}'",
                    item,
                    "beantwoord_door",
                    f"{where}.beantwoord_door",
                    hint="use the id of an entry in initiatieven.yaml",
                )
        if need.id and any(x.id == need.id for x in needs):
            chk.bad(f"duplicate need id '{need.id}'", item, "id", f"{where}.id")
        needs.append(need)
    problems.extend(chk.problems)

    if problems:
        raise ValidationError(problems)
    return Inventory(gemeente, base, initiatives, needs, orgs, ties, expected, reviewed)


# -- gap analysis ----------------------------------------------------------------------------------


def need_coverage(inv: Inventory) -> pd.DataFrame:
    """One row per need: its coverage `dekking` (beantwoord, alleen idee, alleen gestopt, open) and the answers."""
    status = {i.id: i.status for i in inv.initiatives}
    rows = []
    for n in inv.needs:
        answers = [inv.initiative(a) for a in n.beantwoord_door]
        statuses = {status[a] for a in n.beantwoord_door}
        if "lopend" in statuses:
            dekking = "beantwoord"
        elif "idee" in statuses:
            dekking = "alleen idee"
        elif "gestopt" in statuses:
            dekking = "alleen gestopt"
        else:
            dekking = "open"
        rows.append(
            {
                "id": n.id,
                "behoefte": n.behoefte,
                "doelgroepen": ", ".join(TARGET_GROUPS[g] for g in n.doelgroepen),
                "wijken": _wijk_text(n.wijken),
                "fragmenten": len(n.fragmenten),
                "initiatieven": ", ".join(f"{a.naam} ({a.status})" for a in answers) or "geen",
                "dekking": dekking,
            }
        )
    return pd.DataFrame(
        rows, columns=["id", "behoefte", "doelgroepen", "wijken", "fragmenten", "initiatieven", "dekking"]
    )


def unanswered_needs(inv: Inventory) -> list[Need]:
    """Needs that no running initiative answers (none at all, only ideas, or only stopped ones)."""
    cov = need_coverage(inv)
    open_ids = set(cov.loc[cov["dekking"] != "beantwoord", "id"])
    return [n for n in inv.needs if n.id in open_ids]


def stopped_while_needed(inv: Inventory) -> list[tuple[Initiative, Need]]:
    """Stopped initiatives that answered a need which no running initiative answers now."""
    out = []
    for n in unanswered_needs(inv):
        for ref in n.beantwoord_door:
            init = inv.initiative(ref)
            if init.status == "gestopt":
                out.append((init, n))
    return out


def _running(inv: Inventory) -> list[Initiative]:
    return [i for i in inv.initiatives if i.status == "lopend"]


def groups_without_initiative(inv: Inventory) -> list[str]:
    """Target groups (except `lhbt`, LHBT's in general) that no running initiative names."""
    served = {g for i in _running(inv) for g in i.doelgroepen}
    return [g for g in TARGET_GROUPS if g != "lhbt" and g not in served]


def wijken_without_initiative(inv: Inventory) -> list[str]:
    """CBS wijken where no running initiative takes place in the wijk itself (whole-gemeente ones do not count)."""
    served = {w for i in _running(inv) for w in i.wijken}
    return [w for w in wijken(inv.gemeente.code) if w not in served]


def lhbt_network(inv: Inventory) -> set[str]:
    return {o.id for o in inv.organisations if o.lhbt_netwerk}


def unconnected_organisations(inv: Inventory) -> list[Organisation]:
    """Organisations outside the LHBT network with no tie (either way) to an organisation in it."""
    core = lhbt_network(inv)
    linked = {t.van for t in inv.ties if t.naar in core} | {t.naar for t in inv.ties if t.van in core}
    return [o for o in inv.organisations if o.id not in core and o.id not in linked]


def missing_ties(inv: Inventory) -> list[Tie]:
    """Expected ties (netwerk.yaml `verwacht`) with no tie of that kind between the two, in either direction."""
    have = {(t.van, t.naar, t.soort) for t in inv.ties} | {(t.naar, t.van, t.soort) for t in inv.ties}
    return [t for t in inv.expected if (t.van, t.naar, t.soort) not in have]


def _wijk_text(ws: list[str]) -> str:
    return "hele gemeente" if ws == [WHOLE] or not ws else ", ".join("hele gemeente" if w == WHOLE else w for w in ws)


def coverage_matrix(inv: Inventory, by: str = "doelgroep", running_only: bool = True) -> pd.DataFrame:
    """Number of initiatives per target group (`by="doelgroep"`) or wijk (`by="wijk"`) and kind."""
    rows = []
    for i in inv.initiatives:
        if running_only and i.status != "lopend":
            continue
        keys = [TARGET_GROUPS[g] for g in i.doelgroepen] if by == "doelgroep" else [_wijk_text([w]) for w in i.wijken]
        rows.extend({"rij": k, "soort": KINDS[i.soort]} for k in keys)
    if by == "doelgroep":
        index = list(TARGET_GROUPS.values())
    else:
        index = ["hele gemeente", *wijken(inv.gemeente.code)]
    df = pd.DataFrame(rows, columns=["rij", "soort"])
    table = pd.crosstab(df["rij"], df["soort"]) if not df.empty else pd.DataFrame()
    table = table.reindex(index=index, columns=list(KINDS.values()), fill_value=0).fillna(0).astype(int)
    if by == "wijk":  # keep the wijken with an initiative; the others are listed as gaps
        table = table[(table.sum(axis=1) > 0) | (table.index == "hele gemeente")]
    table.index.name, table.columns.name = None, None
    return table


# -- tables and export ---------------------------------------------------------------------------


def initiatives_table(inv: Inventory) -> pd.DataFrame:
    names = {o.id: o.naam for o in inv.organisations}
    rows = [
        {
            "id": i.id,
            "naam": i.naam,
            "organisatie": names.get(i.organisatie, i.organisatie),
            "soort": KINDS[i.soort],
            "doelgroepen": ", ".join(TARGET_GROUPS[g] for g in i.doelgroepen),
            "wijken": _wijk_text(i.wijken),
            "status": i.status,
            "sinds": i.sinds or "",
            "tot": i.tot or "",
            "bereik": i.bereik,
            "wat werkt": i.werkt,
            "wat werkt niet": i.werkt_niet,
            "fragmenten": " ".join(str(x) for x in i.fragmenten),
        }
        for i in inv.initiatives
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "naam",
            "organisatie",
            "soort",
            "doelgroepen",
            "wijken",
            "status",
            "sinds",
            "tot",
            "bereik",
            "wat werkt",
            "wat werkt niet",
            "fragmenten",
        ],
    )


def organisations_table(inv: Inventory) -> pd.DataFrame:
    rows = [
        {"id": o.id, "naam": o.naam, "soort": ORG_KINDS[o.soort], "LHBT-netwerk": "ja" if o.lhbt_netwerk else "nee"}
        for o in inv.organisations
    ]
    return pd.DataFrame(rows, columns=["id", "naam", "soort", "LHBT-netwerk"])


def ties_table(inv: Inventory) -> pd.DataFrame:
    names = {o.id: o.naam for o in inv.organisations}
    missing = {(t.van, t.naar, t.soort) for t in missing_ties(inv)}
    rows = [
        {
            "van": names[t.van],
            "naar": names[t.naar],
            "soort": t.soort,
            "status": "bestaat",
            "fragmenten": " ".join(str(x) for x in t.fragmenten),
            "toelichting": t.toelichting,
        }
        for t in inv.ties
    ] + [
        {
            "van": names[t.van],
            "naar": names[t.naar],
            "soort": t.soort,
            "status": "ontbreekt (verwacht)",
            "fragmenten": "",
            "toelichting": t.toelichting,
        }
        for t in inv.expected
        if (t.van, t.naar, t.soort) in missing
    ]
    return pd.DataFrame(rows, columns=["van", "naar", "soort", "status", "fragmenten", "toelichting"])


def export_excel(inv: Inventory, out: Path) -> None:
    """Write the registers and their gaps to one Excel workbook (one sheet each), atomically."""
    import io

    from openpyxl.utils import get_column_letter

    from dialoog.fileio import atomic_write_bytes

    sheets = {
        "Initiatieven": initiatives_table(inv),
        "Behoeften": need_coverage(inv),
        "Organisaties": organisations_table(inv),
        "Banden": ties_table(inv),
        "Lege plekken": gaps_table(inv),
    }
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in sheets.items():
            df.to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            ws.freeze_panes = "A2"
            for col, header in enumerate(df.columns, start=1):
                width = max([len(str(header)), *(len(str(v)) for v in df[header])] or [10])
                ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
    atomic_write_bytes(Path(out), buf.getvalue())


def gaps_table(inv: Inventory) -> pd.DataFrame:
    """Every gap of the inventory as one row: soort lege plek, wat, toelichting."""
    rows = []
    for n in unanswered_needs(inv):
        rows.append(
            {
                "lege plek": "behoefte zonder lopend initiatief",
                "wat": n.behoefte,
                "toelichting": f"doelgroepen: {', '.join(TARGET_GROUPS[g] for g in n.doelgroepen)}; "
                f"wijken: {_wijk_text(n.wijken)}",
            }
        )
    for init, n in stopped_while_needed(inv):
        rows.append(
            {
                "lege plek": "initiatief gestopt, behoefte blijft",
                "wat": init.naam,
                "toelichting": f"gestopt{f' in {init.tot}' if init.tot else ''}; behoefte: {n.behoefte}",
            }
        )
    for g in groups_without_initiative(inv):
        rows.append({"lege plek": "doelgroep zonder lopend initiatief", "wat": TARGET_GROUPS[g], "toelichting": ""})
    ws = wijken_without_initiative(inv)
    if ws:
        rows.append(
            {
                "lege plek": "wijken zonder initiatief in de wijk zelf",
                "wat": f"{len(ws)} wijken",
                "toelichting": ", ".join(ws),
            }
        )
    for o in unconnected_organisations(inv):
        rows.append(
            {
                "lege plek": "organisatie zonder band met het LHBT-netwerk",
                "wat": o.naam,
                "toelichting": ORG_KINDS[o.soort],
            }
        )
    names = {o.id: o.naam for o in inv.organisations}
    for t in missing_ties(inv):
        rows.append(
            {
                "lege plek": "verwachte band ontbreekt",
                "wat": f"{names[t.van]} – {names[t.naar]}",
                "toelichting": t.soort + (f": {t.toelichting}" if t.toelichting else ""),
            }
        )
    return pd.DataFrame(rows, columns=["lege plek", "wat", "toelichting"])


TEMPLATES = {
    "initiatieven.yaml": """\
# Initiatieven in {name}. Eén blok per initiatief; `dialoog inventory --study .` controleert het bestand.
# soort: {kinds}
# doelgroepen: {groups}
# wijken: '{whole}' (de hele gemeente) of CBS-wijken; status: idee, lopend of gestopt
# fragmenten: gecodeerde fragmenten als <transcript-id>:<start>-<end>
# beoordeeld: fragmenten die `dialoog inventory` voorstelde maar die geen initiatief van deze gemeente noemen
initiatieven: []
beoordeeld: []
""",
    "behoeften.yaml": """\
# Vragen en behoeften in {name}, uit fragmenten met de code '{needs}'.
# beantwoord_door: ids van initiatieven uit initiatieven.yaml
behoeften: []
""",
    "netwerk.yaml": """\
# Het lokale netwerk in {name}: organisaties en rollen, hun banden, en de banden die er zouden moeten zijn.
# soort (organisatie): {org_kinds}
# soort (band): {tie_kinds}
# lhbt_netwerk: true voor organisaties die zelf tot het LHBT-netwerk horen (COC, Roze in Blauw, meldpunt)
organisaties: []
banden: []
verwacht: []
""",
}


def init_folder(study: Study, gemeente: Gemeente) -> list[Path]:
    """Create empty, commented register files for `gemeente`; existing files are left alone."""
    base = folder(study, gemeente)
    written = []
    for name, template in TEMPLATES.items():
        path = base / name
        if path.exists():
            continue
        atomic_write_text(
            path,
            template.format(
                name=gemeente.name,
                kinds=", ".join(KINDS),
                groups=", ".join(TARGET_GROUPS),
                whole=WHOLE,
                needs=NEEDS_CODE,
                org_kinds=", ".join(ORG_KINDS),
                tie_kinds=", ".join(TIE_KINDS),
            ),
        )
        written.append(path)
    return written
