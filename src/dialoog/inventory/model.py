"""The registers of one gemeente as loaded: initiatives, needs, organisations and ties (see `registers`).

The vocabularies and the file schemas are declared in `dialoog.study.schemas.inventaris`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dialoog.study.folder import Study
from dialoog.study.gemeenten import Gemeente
from dialoog.study.schemas.inventaris import (
    KINDS,
    LINK_RE,
    NEEDS_CODE,
    ORG_KINDS,
    STATUSES,
    TARGET_GROUPS,
    TIE_KINDS,
    WHOLE,
)

FOLDER = "inventaris"
FILES = ("initiatieven.yaml", "behoeften.yaml", "netwerk.yaml")
__all__ = ["KINDS", "LINK_RE", "NEEDS_CODE", "ORG_KINDS", "STATUSES", "TARGET_GROUPS", "TIE_KINDS", "WHOLE"]


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


def _wijk_text(ws: list[str]) -> str:
    return "hele gemeente" if ws == [WHOLE] or not ws else ", ".join("hele gemeente" if w == WHOLE else w for w in ws)
