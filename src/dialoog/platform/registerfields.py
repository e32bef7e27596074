"""The register fields the platform adds to ``inventaris/<gemeente>/initiatieven.yaml`` and ``behoeften.yaml``.

Every field is optional, so existing registers stay valid. The inventory's own loader checks the fields
it knows; these are read here from the raw register entries and checked with pydantic, each problem
naming the file, line and key (never the value: a register may hold text from interviews).

Initiatives (`initiatieven:`):

=========================  ===================  ==========================================================
field                      type                 meaning
=========================  ===================  ==========================================================
thema                      list of theme ids    themes from the fixed list (`model.THEMES`); when absent,
                                                derived from doelgroepen, soort and organisation
doel                       text                 what the initiative wants to achieve
aanpak                     text                 how it works: activities, who does what, how often
werkzame_elementen         list of texts        the elements that make it work (as in Movisie's databank)
evaluatie                  mapping              vorm (geen, eigen, extern, onderzoek), jaar, samenvatting,
                                                bron (publication or web address)
contact_organisatie        organisation id      a public contact organisation from netwerk.yaml
partners                   list of org ids      further organisations (netwerk.yaml) that run it
publiceerbaar              true/false           false keeps the initiative off the platform (default true),
                                                e.g. a closed group whose meeting place must stay unknown
publiceerbare_citaten      list of fragments    coded fragments (``<transcript>:<start>-<end>``) whose text
                                                may be published as a quote, attributed to the role only
=========================  ===================  ==========================================================

Needs (`behoeften:`): ``thema`` (list of theme ids), used to find initiatives elsewhere that answer them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

import pydantic
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints, field_validator

from dialoog.errors import DialoogError, ValidationError
from dialoog.inventory.registers import LINK_RE, folder
from dialoog.platform.model import EvaluationId, ThemeId, Year
from dialoog.study.folder import Study
from dialoog.study.gemeenten import Gemeente
from dialoog.study.schemas.inventaris import PLATFORM_KEYS
from dialoog.study.yamlload import line_of, load_yaml

#: the platform's keys of an initiative and of a need (declared with the register: `study.schemas.inventaris`)
INITIATIVE_KEYS = PLATFORM_KEYS
NEED_KEYS = ("thema",)

_Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
_Item = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class EvaluationFields(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vorm: EvaluationId
    jaar: Year | None = None
    samenvatting: _Text = ""
    bron: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class InitiativeFields(BaseModel):
    """The platform's fields of one initiative (the inventory's own keys are ignored here)."""

    model_config = ConfigDict(extra="ignore")
    thema: list[ThemeId] = Field(default_factory=list)
    doel: _Text = ""
    aanpak: _Text = ""
    werkzame_elementen: list[_Item] = Field(default_factory=list, max_length=30)
    evaluatie: EvaluationFields | None = None
    contact_organisatie: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] = ""
    partners: list[_Item] = Field(default_factory=list, max_length=30)
    publiceerbaar: StrictBool = True
    publiceerbare_citaten: list[_Item] = Field(default_factory=list, max_length=10)

    _lists = field_validator("thema", "werkzame_elementen", "partners", "publiceerbare_citaten", mode="before")(
        _as_list
    )


class NeedFields(BaseModel):
    model_config = ConfigDict(extra="ignore")
    thema: list[ThemeId] = Field(default_factory=list)

    _lists = field_validator("thema", mode="before")(_as_list)


@dataclass
class RegisterFields:
    """The platform's fields of one municipality's registers, by initiative and need id."""

    initiatives: dict[str, InitiativeFields] = field(default_factory=dict)
    needs: dict[str, NeedFields] = field(default_factory=dict)
    fictief: bool = False
    quote_lines: dict[str, int | None] = field(default_factory=dict)  # initiative id -> line of its quotes


def _entries(path, key: str) -> tuple[Any, list[tuple[int, dict]]]:
    if not path.is_file():
        return None, []
    data = load_yaml(path.read_text(encoding="utf-8"), path)
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        return data, []
    return data, [(i, item) for i, item in enumerate(data[key], start=1) if isinstance(item, dict)]


def _parse(model: type[BaseModel], item: dict, path, where: str, problems: list[DialoogError]) -> Any:
    try:
        return model.model_validate(item)
    except pydantic.ValidationError as exc:
        for err in exc.errors(include_input=False, include_url=False):
            loc = [str(x) for x in err["loc"]]
            problems.append(
                DialoogError(
                    err["msg"],
                    path=path,
                    line=line_of(item, loc[0]) if loc else line_of(item),
                    key=".".join([where, *loc]),
                    hint="see the platform fields in the README (section 'The LHBT-platform')",
                )
            )
        return None


def _check_orgs(item: dict, fields: InitiativeFields, org_ids: set[str], path, where: str) -> list[DialoogError]:
    problems = []
    refs = [("partners", p) for p in fields.partners]
    if fields.contact_organisatie:
        refs.append(("contact_organisatie", fields.contact_organisatie))
    for key, ref in refs:
        if ref not in org_ids:
            problems.append(
                DialoogError(
                    "unknown organisation",
                    path=path,
                    line=line_of(item, key),
                    key=f"{where}.{key}",
                    hint="use the id of an organisation under 'organisaties:' in netwerk.yaml (never a person)",
                )
            )
    for link in fields.publiceerbare_citaten:
        if not LINK_RE.match(link):
            problems.append(
                DialoogError(
                    "not a fragment link",
                    path=path,
                    line=line_of(item, "publiceerbare_citaten"),
                    key=f"{where}.publiceerbare_citaten",
                    hint="write <transcript-id>:<start>-<end>, the span of a coding",
                )
            )
    return problems


def load_fields(study: Study, gemeente: Gemeente, org_ids: set[str]) -> RegisterFields:
    """Read and check the platform's fields of `gemeente`'s registers; raise ValidationError on problems."""
    base = folder(study, gemeente)
    problems: list[DialoogError] = []
    out = RegisterFields()
    path = base / "initiatieven.yaml"
    data, items = _entries(path, "initiatieven")
    out.fictief = isinstance(data, dict) and data.get("fictief") is True
    for n, item in items:
        where = f"initiatieven[{n}]"
        fields = _parse(InitiativeFields, item, path, where, problems)
        if fields is not None:
            problems.extend(_check_orgs(item, fields, org_ids, path, where))
            out.initiatives[str(item.get("id", "")).strip()] = fields
            out.quote_lines[str(item.get("id", "")).strip()] = line_of(item, "publiceerbare_citaten")
    path = base / "behoeften.yaml"
    for n, item in _entries(path, "behoeften")[1]:
        fields = _parse(NeedFields, item, path, f"behoeften[{n}]", problems)
        if fields is not None:
            out.needs[str(item.get("id", "")).strip()] = fields
    if problems:
        raise ValidationError(problems)
    return out
