"""Schemas of the monitor's aggregate files (``monitor/enquete.csv``, ``monitor/statline.csv``,
``monitor/discriminatie.csv``) and of the survey mapping (``monitor/enquete-mapping.yaml``).

They are declared here, with the other study files, so that ``dialoog schema`` publishes them and
``dialoog validate`` checks them; `dialoog.monitor.schemas` reads and writes the files.
"""

from __future__ import annotations

from typing import Annotated, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, field_validator

from dialoog.study.gemeenten import find_gemeente

NATIONAL = "Nederland"
#: survey indicators a mapping may fill (ids of `data.INDICATORS`)
SURVEY_INDICATORS = ("slachtoffer", "onveilig-algemeen", "onveilig-buurt", "discriminatie", "aangifte")
Year = Annotated[int, Field(ge=1990, le=2100)]
Code = int | float | str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LhbtiqRule(_Strict):
    """A respondent is LHBTIQ+ when `variabele` has one of `waarden` (codes, or value labels as text)."""

    variabele: str
    waarden: list[Code] = Field(min_length=1)


class IndicatorRule(_Strict):
    variabele: str
    ja: list[Code] = Field(min_length=1)  # codes or labels that mean "yes"
    nee: list[Code] = Field(min_length=1)  # codes or labels that mean "no"; anything else is missing
    onder: Literal[*SURVEY_INDICATORS] | None = None  # only among respondents with "yes" on this indicator


class SurveyMapping(_Strict):
    """How a survey file (one year) maps onto the monitor's indicators."""

    bron: str = Field(min_length=3)  # the survey as named in the report, e.g. 'Veiligheidsmonitor 2026'
    gewicht: str  # the weight variable
    gemeente: str  # the variable holding the gemeente (value labels: names or CBS codes)
    gemeenten: dict[Code, str] = Field(default_factory=dict)  # code -> gemeente, where labels are missing
    lhbtiq: list[LhbtiqRule] = Field(min_length=1)
    indicatoren: dict[Literal[*SURVEY_INDICATORS], IndicatorRule] = Field(min_length=1)

    @field_validator("gemeenten")
    @classmethod
    def _known_gemeenten(cls, value: dict) -> dict:
        for name in value.values():
            find_gemeente(str(name))
        return value


def _gemeente(value: str) -> str:
    value = str(value).strip()
    return NATIONAL if value.lower() == NATIONAL.lower() else find_gemeente(value).name


Gemeente = Annotated[str, pydantic.AfterValidator(_gemeente)]
Share = Annotated[float, Field(ge=0, le=1)]


class EnqueteRow(_Strict):
    """One cell of `monitor/enquete.csv`; a suppressed cell has no n, waarde, interval or n_eff."""

    jaar: Year
    gemeente: Gemeente
    indicator: Literal[*SURVEY_INDICATORS]
    groep: Literal["lhbt", "niet-lhbt"]
    n: int | None = Field(default=None, ge=1)
    waarde: Share | None = None
    ondergrens: Share | None = None
    bovengrens: Share | None = None
    n_eff: float | None = Field(default=None, gt=0)
    bron: str = Field(min_length=1)


class StatlineRow(_Strict):
    """One figure of `monitor/statline.csv`; CBS's "." (suppressed or unknown) is an empty waarde."""

    jaar: Year
    gemeente: Gemeente
    indicator: Literal["slachtoffer", "onveilig-algemeen", "onveilig-buurt", "discriminatie", "aangifte"]
    waarde: Share | None = None
    ondergrens: Share | None = None
    bovengrens: Share | None = None
    n_eff: float | None = Field(default=None, gt=0)  # derived from the margins
    tabel: str = Field(pattern=r"^\d{5}(NED|ENG)$")
    periode: str = Field(min_length=4)
    bron: str = Field(min_length=1)


class DiscriminatieRow(_Strict):
    jaar: Year
    gemeente: Gemeente
    instantie: Literal["adv", "politie"]
    grond: Literal["seksuele-orientatie", "genderidentiteit"]
    aantal: int = Field(ge=0)
    bron: str = Field(min_length=1)


# -- one loader for the CSV files and the mapping --------------------------------------------------
