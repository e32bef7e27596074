"""Schemas of the monitor files, ``monitor/``: monitor.csv rows, alliantie.yaml and regios.yaml."""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from dialoog.study.schemas.errors import fail
from dialoog.study.schemas.types import (
    FileModel,
    GemeenteName,
    Id,
    OptionalText,
    RequiredText,
    RowModel,
    canonical_gemeente,
    vocabulary,
)

MONITOR_COLUMNS = ("jaar", "gemeente", "indicator", "groep", "n", "waarde", "bron")
NATIONAL = "Nederland"
#: indicator id: (kind, groups); "aandeel" is a proportion of n respondents, "aantal" a count.
#: `dialoog.monitor.data.INDICATORS` adds the Dutch labels and national references.
INDICATOR_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "onveilig-algemeen": ("aandeel", ("lhbt", "niet-lhbt", "totaal")),
    "onveilig-buurt": ("aandeel", ("lhbt", "niet-lhbt", "totaal")),
    "slachtoffer": ("aandeel", ("lhbt", "niet-lhbt", "totaal")),
    "discriminatie": ("aandeel", ("lhbt", "niet-lhbt", "totaal")),
    "aangifte": ("aandeel", ("lhbt", "niet-lhbt", "totaal")),
    "meldingen-meldpunt": ("aantal", ("seksuele-orientatie", "genderidentiteit")),
    "meldingen-politie": ("aantal", ("seksuele-orientatie", "genderidentiteit")),
}
#: the status of an action of the alliance
STATUSES = {
    "gepland": "gepland",
    "lopend": "lopend",
    "uitgevoerd": "uitgevoerd",
    "vertraagd": "vertraagd",
    "gestopt": "gestopt",
}


# -- monitor.csv -------------------------------------------------------------------------------------


def _year(value: int) -> int:
    if not 1990 <= value <= 2100:
        raise fail(f"'{value}' is not a year", "write a year, e.g. 2024")
    return value


def _place(value: str) -> str:
    return NATIONAL if value.strip().lower() == NATIONAL.lower() else canonical_gemeente(value.strip())


def _count(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _source(value: str) -> str:
    if not value.strip():
        raise fail("the source is missing", "name the survey or register, e.g. 'Veiligheidsmonitor 2023'")
    return value.strip()


def _finite(value: float) -> float:
    if math.isnan(value):
        raise fail("the value is not a number")
    return value


class MonitorRow(RowModel):
    """One figure of ``monitor/monitor.csv`` (a proportion with its n, or a count)."""

    jaar: Annotated[int, AfterValidator(_year)]
    gemeente: Annotated[str, AfterValidator(_place)] = Field(description=f"a CBS gemeente or '{NATIONAL}'")
    indicator: vocabulary(INDICATOR_KINDS)
    groep: str
    n: Annotated[int | None, BeforeValidator(_count)] = Field(ge=0, description="respondents (for a proportion)")
    waarde: Annotated[float, AfterValidator(_finite)] = Field(description="a proportion 0..1, or a count")
    bron: Annotated[str, AfterValidator(_source)]

    @model_validator(mode="after")
    def _fits_indicator(self) -> MonitorRow:
        kind, groups = INDICATOR_KINDS[self.indicator]
        if self.groep not in groups:
            raise fail(
                f"unknown groep '{self.groep}' for {self.indicator}", "use one of: " + ", ".join(groups), ("groep",)
            )
        if kind == "aandeel" and self.n is None:
            raise fail("n is missing", "a proportion needs the number of respondents it is based on", ("n",))
        if kind == "aandeel" and not 0 <= self.waarde <= 1:
            raise fail(
                f"impossible value {self.waarde} for a proportion",
                "write a proportion between 0 and 1, e.g. 0.23",
                ("waarde",),
            )
        if kind == "aantal" and (self.waarde < 0 or self.waarde != int(self.waarde)):
            raise fail(
                f"impossible value {self.waarde} for a count", "a count is a whole number of 0 or more", ("waarde",)
            )
        if kind == "aandeel" and self.n == 0:
            raise fail("n is 0: a proportion of nobody", loc=("n",))
        return self


# -- alliantie.yaml --------------------------------------------------------------------------------


def _remember(kind: str, key: str, value: Any, info: ValidationInfo) -> Any:
    if info.context is not None and isinstance(value, list):
        info.context[kind] = {v[key] for v in value if isinstance(v, dict) and key in v}
    return value


def _known(kind: str, what: str, hint: str) -> Any:
    def check(value: Any, info: ValidationInfo) -> Any:
        known = (info.context or {}).get(kind)
        if known is not None and value not in known:
            raise fail(f"unknown {what} '{value}'", hint)
        return value

    return AfterValidator(check)


class AgreementEntry(FileModel):
    nummer: int
    tekst: RequiredText


class PartnerEntry(FileModel):
    id: Id
    naam: RequiredText
    gemeente: GemeenteName | None = Field(None, description="the partner's gemeente; none for a regional partner")


def _serves(value: list[int]) -> list[int]:
    if not value:
        raise fail("name the agreement(s) this action serves", "write e.g. afspraken: [1, 3]")
    return value


class AllianceAction(FileModel):
    id: OptionalText = ""
    jaar: Annotated[int, AfterValidator(_year)]
    gemeente: GemeenteName
    partners: list[Annotated[str, _known("partners", "partner", "use an id under 'partners:'")]] = Field(
        default_factory=list
    )
    actie: RequiredText
    afspraken: Annotated[
        list[Annotated[int, _known("agreements", "agreement", "use the nummer of an agreement under 'afspraken:'")]],
        AfterValidator(_serves),
    ]
    status: vocabulary(STATUSES)
    bewijs: OptionalText = ""
    fictief: bool = False


class AllianceFile(FileModel):
    """``monitor/alliantie.yaml``: the alliance's agreements, its partners and their actions per year."""

    shape = "expected a mapping with afspraken, partners and acties"
    naam: OptionalText = ""
    opgericht: int | None = None
    fictief: bool = False
    afspraken: list[AgreementEntry] = Field(default_factory=list)
    partners: list[PartnerEntry] = Field(default_factory=list)
    acties: list[AllianceAction] = Field(default_factory=list)

    @field_validator("afspraken", mode="before")
    @classmethod
    def _numbers(cls, value: Any, info: ValidationInfo) -> Any:
        return _remember("agreements", "nummer", value, info)

    @field_validator("partners", mode="before")
    @classmethod
    def _partner_ids(cls, value: Any, info: ValidationInfo) -> Any:
        return _remember("partners", "id", value, info)


# -- regios.yaml -----------------------------------------------------------------------------------


class RegionEntry(FileModel):
    id: Id
    naam: OptionalText = ""
    gemeenten: Annotated[list[GemeenteName], Field(min_length=1)]


class RegionsFile(FileModel):
    """``monitor/regios.yaml``: regions of several municipalities that get one regional analysis."""

    shape = "expected a key 'regios:' with a list"
    regios: list[RegionEntry]
