"""Schemas of the inventory registers, ``inventaris/<gemeente>/``: initiatieven, behoeften, netwerk.

Validated with a context (see `dialoog.inventory.registers.load`), the links to interview fragments,
the wijken and the references between the three files are checked too::

    {"gemeente": Gemeente, "transcripts": set of ids, "spans": {(transcript, start, end): codes},
     "need_codes": codes a need's fragment must have (behoeften.yaml only),
     "organisations": ids, "initiatives": ids}

The netwerk file fills "organisations" and the initiatieven file "initiatives" while they are validated,
so load them in that order (netwerk, initiatieven, behoeften) with one context.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from dialoog.study.schemas.errors import Issue, fail, issues
from dialoog.study.schemas.types import FileModel, Id, OptionalText, RequiredText, TextList, Year, vocabulary

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
#: themes of the LHBT-platform (`dialoog.platform.model.THEMES` has their labels and descriptions)
THEME_IDS: tuple[str, ...] = (
    "veiligheid",
    "onderwijs",
    "zorg",
    "sport",
    "ouderen",
    "jongeren",
    "werk",
    "asiel-en-nieuwkomers",
    "bi-trans-intersekse",
)
#: the keys of a register entry that only the LHBT-platform reads (`dialoog.platform.registerfields`)
PLATFORM_KEYS: tuple[str, ...] = (
    "thema",
    "doel",
    "aanpak",
    "werkzame_elementen",
    "evaluatie",
    "contact_organisatie",
    "partners",
    "publiceerbaar",
    "publiceerbare_citaten",
)
#: how an initiative was evaluated
EVALUATION_FORMS: tuple[str, ...] = ("geen", "eigen", "extern", "onderzoek")
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
LINK_PATTERN = r"^\s*([a-z0-9][a-z0-9_-]*):(\d+)-(\d+)\s*$"
LINK_RE = re.compile(LINK_PATTERN)


def _items(item: Any) -> Any:
    """A list that may be written empty (``key:``) as well as ``key: []``; a single text is a list of one."""

    def before(value: Any) -> Any:
        if value is None:
            return []
        return [value] if isinstance(value, str) else value

    return Annotated[list[item], BeforeValidator(before, json_schema_input_type=list[item] | str | None)]


def _fragment(value: str, info: ValidationInfo) -> str:
    m = LINK_RE.match(value)
    if not m:
        raise fail(
            f"'{value}' is not a fragment link", "write <transcript-id>:<start>-<end>, e.g. groningen-01:3105-3247"
        )
    link = f"{m.group(1)}:{int(m.group(2))}-{int(m.group(3))}"
    ctx = info.context or {}
    if "spans" not in ctx:
        return link
    codes = ctx["spans"].get((m.group(1), int(m.group(2)), int(m.group(3))))
    if m.group(1) not in ctx["transcripts"]:
        raise fail(f"fragment {link}: unknown transcript '{m.group(1)}'")
    if codes is None:
        raise fail(
            f"fragment {link} is not a coded segment", "link to the exact start-end of a coding in codings/*.csv"
        )
    if ctx.get("need_codes") is not None and not codes & ctx["need_codes"]:
        raise fail(
            f"fragment {link} is not coded '{NEEDS_CODE}'",
            f"a need's source fragments are codings with the code '{NEEDS_CODE}'",
        )
    return link


def _wijk(value: str, info: ValidationInfo) -> str:
    from dialoog.study.gemeenten import match_wijk, wijken

    if value.lower() in {WHOLE, "hele gemeente"}:
        return WHOLE
    gemeente = (info.context or {}).get("gemeente")
    if gemeente is None:
        return value
    found = match_wijk(gemeente, value)
    if found is None:
        known = ", ".join(wijken(gemeente.code))
        raise fail(
            f"unknown wijk '{value}' in {gemeente.name}",
            f"use '{WHOLE}' for the whole municipality or a CBS wijk: {known}",
        )
    return found


def _reference(kind: str, where: str, quote: bool = True) -> Any:
    """An id that must be in ``context[kind]`` (when validated with a context). Without `quote` the message
    does not repeat the value (a public contact that is a person's name by mistake is not echoed)."""

    def check(value: str, info: ValidationInfo) -> str:
        known = (info.context or {}).get(kind)
        if known is not None and value not in known:
            singular = {"organisations": "organisation", "initiatives": "initiative"}[kind]
            raise fail(f"unknown {singular} '{value}'" if quote else f"not the id of an {singular}", where)
        return value

    return AfterValidator(check)


Fragment = Annotated[str, AfterValidator(_fragment), Field(json_schema_extra={"pattern": LINK_PATTERN})]
Wijk = Annotated[RequiredText, AfterValidator(_wijk)]
TargetGroups = Annotated[_items(vocabulary(TARGET_GROUPS)), Field(min_length=1)]
Wijken = Annotated[_items(Wijk), Field(min_length=1)]
OrganisationRef = Annotated[
    RequiredText, _reference("organisations", "use the id of an entry under 'organisaties:' in netwerk.yaml")
]
#: a public contact: an organisation of netwerk.yaml, never a person (so the value is never repeated)
ContactRef = Annotated[
    RequiredText,
    _reference(
        "organisations",
        "use the id of an organisation under 'organisaties:' in netwerk.yaml; never a person",
        quote=False,
    ),
]


def _duplicates(key: str, entries: list[Any], what: str) -> list[Issue]:
    seen: set[str] = set()
    found = []
    for i, entry in enumerate(entries):
        if entry.id in seen:
            found.append(Issue((key, i, "id"), f"duplicate {what} id '{entry.id}'"))
        seen.add(entry.id)
    return found


def _remember(kind: str, value: Any, info: ValidationInfo) -> Any:
    """Keep the ids of the raw entries in the context, for the references validated after them."""
    if info.context is not None and isinstance(value, list):
        info.context[kind] = {str(v["id"]) for v in value if isinstance(v, dict) and "id" in v}
    return value


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Themes = Annotated[_items(vocabulary(dict.fromkeys(THEME_IDS, ""))), BeforeValidator(_as_list)]


class Evaluation(FileModel):
    """How an initiative was evaluated (for the LHBT-platform)."""

    vorm: vocabulary(dict.fromkeys(EVALUATION_FORMS, ""))
    jaar: Year | None = None
    samenvatting: OptionalText = ""
    bron: OptionalText = ""


class InitiativeEntry(FileModel):
    id: Id
    naam: RequiredText
    organisatie: OrganisationRef
    soort: vocabulary(KINDS)
    doelgroepen: TargetGroups
    wijken: Wijken
    status: vocabulary(STATUSES)
    sinds: Year | None = None
    tot: Year | None = None
    bereik: OptionalText = ""
    werkt: OptionalText = ""
    werkt_niet: OptionalText = ""
    aliassen: TextList = Field(default_factory=list)
    fragmenten: _items(Fragment) = Field(default_factory=list)
    toelichting: OptionalText = ""
    # for the LHBT-platform (`dialoog platform export`); all optional
    thema: Themes = Field(default_factory=list, description="themes (fixed list); derived when absent")
    doel: OptionalText = Field("", description="what the initiative wants to achieve")
    aanpak: OptionalText = Field("", description="how it works")
    werkzame_elementen: TextList = Field(default_factory=list, description="what makes it work")
    evaluatie: Evaluation | None = None
    contact_organisatie: ContactRef | None = Field(None, description="a public contact: an organisation id")
    partners: _items(ContactRef) = Field(default_factory=list, description="more organisations that run it")
    publiceerbaar: bool = Field(True, description="false keeps the initiative off the platform")
    publiceerbare_citaten: _items(Fragment) = Field(
        default_factory=list, description="coded fragments that may be quoted on the platform (role only)"
    )


class InitiativesFile(FileModel):
    """``inventaris/<gemeente>/initiatieven.yaml``: what exists (or existed), who runs it, for whom, where."""

    shape = "expected a top-level key 'initiatieven:' with a list"
    gemeente: OptionalText = ""
    fictief: bool = False
    initiatieven: _items(InitiativeEntry)
    beoordeeld: _items(Fragment) = Field(
        default_factory=list, description="fragments a researcher judged: no initiative of this gemeente"
    )

    @field_validator("initiatieven", mode="before")
    @classmethod
    def _ids(cls, value: Any, info: ValidationInfo) -> Any:
        return _remember("initiatives", value, info)

    @model_validator(mode="after")
    def _unique(self) -> InitiativesFile:
        if found := _duplicates("initiatieven", self.initiatieven, "initiative"):
            raise issues(found)
        return self


class NeedEntry(FileModel):
    id: Id
    behoefte: RequiredText
    doelgroepen: TargetGroups
    wijken: Wijken
    fragmenten: _items(Fragment) = Field(default_factory=list)
    beantwoord_door: _items(
        Annotated[RequiredText, _reference("initiatives", "use the id of an entry in initiatieven.yaml")]
    ) = Field(default_factory=list)
    toelichting: OptionalText = ""
    thema: Themes = Field(default_factory=list, description="themes (fixed list), for the LHBT-platform")


class NeedsFile(FileModel):
    """``inventaris/<gemeente>/behoeften.yaml``: needs and questions from the interviews, and their answers."""

    shape = "expected a top-level key 'behoeften:' with a list"
    gemeente: OptionalText = ""
    fictief: bool = False
    behoeften: _items(NeedEntry)

    @model_validator(mode="after")
    def _unique(self) -> NeedsFile:
        if found := _duplicates("behoeften", self.behoeften, "need"):
            raise issues(found)
        return self


class OrganisationEntry(FileModel):
    id: Id
    naam: RequiredText
    soort: vocabulary(ORG_KINDS)
    lhbt_netwerk: bool = Field(False, description="part of the LHBT network itself (COC, Roze in Blauw, ...)")
    aliassen: TextList = Field(default_factory=list)
    toelichting: OptionalText = ""


class TieEntry(FileModel):
    van: OrganisationRef
    naar: OrganisationRef
    soort: vocabulary(TIE_KINDS)
    fragmenten: _items(Fragment) = Field(default_factory=list)
    toelichting: OptionalText = ""


class NetworkFile(FileModel):
    """``inventaris/<gemeente>/netwerk.yaml``: organisations and roles, their ties, and the expected ties."""

    shape = "expected a top-level key 'organisaties:' with a list"
    gemeente: OptionalText = ""
    fictief: bool = False
    organisaties: _items(OrganisationEntry)
    banden: _items(TieEntry) = Field(default_factory=list)
    verwacht: _items(TieEntry) = Field(default_factory=list, description="ties that should exist")

    @field_validator("organisaties", mode="before")
    @classmethod
    def _ids(cls, value: Any, info: ValidationInfo) -> Any:
        return _remember("organisations", value, info)

    @model_validator(mode="after")
    def _unique(self) -> NetworkFile:
        if found := _duplicates("organisaties", self.organisaties, "organisation"):
            raise issues(found)
        return self
