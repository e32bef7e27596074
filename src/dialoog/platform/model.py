"""The platform export format: pydantic models, the fixed theme list and the published JSON Schema.

One export (``dialoog platform export``) holds the public inventory of one or more municipalities:
their initiatives (what exists, for whom, what works and what does not) and their gaps (lege plekken).
A merged export (``dialoog platform merge``) has the same shape, with the provenance of every record.
Field names are Dutch, like the registers they come from; the vocabularies are those of the registers.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from dialoog.inventory.registers import KINDS, STATUSES, TARGET_GROUPS

FORMAT = "dialoog-platform"
VERSION = 1
SCHEMA_ID = "https://dialoog.example.org/schema/platform-1.json"

#: The fixed list of themes (id: (Dutch label, what belongs to it)). Keep it short and stable: the site's
#: overview and the matching of gaps to initiatives elsewhere use it.
THEMES: dict[str, tuple[str, str]] = {
    "veiligheid": ("Veiligheid", "veiligheid in buurt en wijk, discriminatie, geweld, melden en aangifte"),
    "onderwijs": ("Onderwijs", "school, mbo, hbo en universiteit: voorlichting, GSA's, docenten"),
    "zorg": ("Zorg", "gezondheid en zorg: huisarts, ggz, transgenderzorg, wijkteams"),
    "sport": ("Sport", "sportverenigingen, sportscholen en bewegen"),
    "ouderen": ("Ouderen", "LHBT-ouderen: ontmoeting, wonen en zorg"),
    "jongeren": ("Jongeren", "LHBT-jongeren: ontmoeting, jongerenwerk, uit de kast komen"),
    "werk": ("Werk", "werk en inkomen: werkgevers, collega's, re-integratie"),
    "asiel-en-nieuwkomers": ("Asiel en nieuwkomers", "LHBT-vluchtelingen, statushouders en andere nieuwkomers"),
    "bi-trans-intersekse": ("Bi+, trans en intersekse", "wat vooral bi+, transgender en intersekse personen aangaat"),
}
#: how an initiative was evaluated (id: Dutch label)
EVALUATIONS: dict[str, str] = {
    "geen": "niet geëvalueerd",
    "eigen": "eigen evaluatie",
    "extern": "externe evaluatie",
    "onderzoek": "wetenschappelijk onderzoek",
}
#: kinds of gap (id: Dutch label), one per gap rule of `dialoog.inventory.registers`
GAP_KINDS: dict[str, str] = {
    "behoefte": "behoefte zonder lopend initiatief",
    "gestopt": "initiatief gestopt, behoefte blijft",
    "doelgroep": "doelgroep zonder lopend initiatief",
    "wijken": "wijken zonder initiatief in de wijk zelf",
    "organisatie": "organisatie zonder band met het LHBT-netwerk",
    "band": "verwachte band ontbreekt",
}

ThemeId = Literal[tuple(THEMES)]  # type: ignore[valid-type]
GroupId = Literal[tuple(TARGET_GROUPS)]  # type: ignore[valid-type]
KindId = Literal[tuple(KINDS)]  # type: ignore[valid-type]
StatusId = Literal[tuple(STATUSES)]  # type: ignore[valid-type]
EvaluationId = Literal[tuple(EVALUATIONS)]  # type: ignore[valid-type]
GapKindId = Literal[tuple(GAP_KINDS)]  # type: ignore[valid-type]

#: a short text (a name, a label); hostile input is refused by these limits
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
#: a running text (doel, aanpak, wat werkt)
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Year = Annotated[int, Field(ge=1900, le=2100)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120)]
InitiativeId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$", max_length=250)]
CbsCode = Annotated[str, StringConstraints(pattern=r"^GM[0-9]{4}$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Herkomst(_Model):
    """Where a record comes from: who published the export and when."""

    uitgever: Short = Field(description="who published the export, e.g. 'Gemeente Schiedam'")
    datum: dt.date = Field(description="the date of the export")
    bestand: Annotated[str, StringConstraints(max_length=300)] = Field(
        "", description="the file name of the export it was read from (set by merge)"
    )


class Bron(Herkomst):
    """One export that went into this file."""

    dialoog_versie: Annotated[str, StringConstraints(max_length=40)] = ""
    fictief: bool = Field(False, description="true for made-up demonstration data")


class Evaluatie(_Model):
    vorm: EvaluationId = Field(description="geen, eigen, extern or onderzoek (wetenschappelijk onderzoek)")
    jaar: Year | None = None
    samenvatting: Text = ""
    bron: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = Field(
        "", description="a publication or web address of the evaluation"
    )


class Citaat(_Model):
    """A quote the register marked as publishable; attributed to a respondent role only."""

    tekst: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1500)]
    rol: Short


class Initiatief(_Model):
    id: InitiativeId = Field(description="<gemeente-slug>/<id in the register>, unique within an export")
    naam: Short
    gemeente: Short = Field(description="the municipality as CBS spells it")
    gemeente_code: CbsCode
    wijken: list[Short] = Field([], max_length=200, description="CBS wijken; empty means the whole municipality")
    organisaties: list[Short] = Field(
        min_length=1, max_length=50, description="who runs it (organisations, never persons)"
    )
    doelgroepen: list[GroupId] = Field(min_length=1, max_length=len(TARGET_GROUPS))
    themas: list[ThemeId] = Field([], max_length=len(THEMES), description="themes from the fixed list")
    soort: KindId
    status: StatusId
    sinds: Year | None = None
    tot: Year | None = None
    doel: Text = ""
    aanpak: Text = ""
    werkt: Text = Field("", description="what works, from the register")
    werkt_niet: Text = Field("", description="what does not work, from the register")
    werkzame_elementen: list[Short] = Field([], max_length=30)
    evaluatie: Evaluatie | None = None
    contact_organisatie: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = Field(
        "", description="a public contact organisation (never a person)"
    )
    ook_bekend_als: list[Short] = Field([], max_length=30)
    vermeld_in_gesprekken: Annotated[str, StringConstraints(pattern=r"^(< )?[0-9]{1,6}$")] = Field(
        "0", description="in how many dialogue interviews it came up; '< N' below the study's small-cell threshold"
    )
    citaten: list[Citaat] = Field([], max_length=10)
    groep: Annotated[str, StringConstraints(max_length=250)] = Field(
        "", description="set by merge: the same initiative in several municipalities shares a group id"
    )
    herkomst: list[Herkomst] = Field([], max_length=100)

    @property
    def slug(self) -> str:
        return self.id.split("/", 1)[1]

    @property
    def gemeente_slug(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def reported_to_work(self) -> bool:
        return bool(self.werkt) and self.status != "idee"


class LegePlek(_Model):
    """A gap (lege plek) of a municipality, from the gap rules of the inventory."""

    soort: GapKindId
    omschrijving: Text
    doelgroepen: list[GroupId] = Field([], max_length=len(TARGET_GROUPS))
    themas: list[ThemeId] = Field([], max_length=len(THEMES))
    wijken: list[Short] = Field([], max_length=200, description="only where the disclosure rules allow")
    initiatief: Annotated[str, StringConstraints(max_length=250)] = Field(
        "", description="for soort 'gestopt': the id of the stopped initiative"
    )


class GemeenteExport(_Model):
    naam: Short
    code: CbsCode
    slug: Slug
    fictief: bool = False
    lege_plekken: list[LegePlek] = Field([], max_length=500)
    herkomst: list[Herkomst] = Field([], max_length=100)


class PlatformExport(_Model):
    """The whole export: `dialoog platform export` writes it, `merge` and `build` read it."""

    model_config = ConfigDict(
        extra="forbid",
        title="dialoog platform export",
        json_schema_extra={
            "description": "The public inventory of LHBT initiatives of one or more Dutch municipalities: "
            "initiatives, what works and what does not, and gaps (lege plekken). Never persons, never quotes "
            "unless the register marks them publishable. Themes: "
            + "; ".join(f"{k} ({label}: {what})" for k, (label, what) in THEMES.items()),
        },
    )

    formaat: Literal["dialoog-platform"] = FORMAT
    versie: Literal[1] = VERSION
    bronnen: list[Bron] = Field(min_length=1, max_length=5000)
    gemeenten: list[GemeenteExport] = Field(max_length=1000)
    initiatieven: list[Initiatief] = Field(max_length=200_000)

    @property
    def fictief(self) -> bool:
        return any(b.fictief for b in self.bronnen)

    @model_validator(mode="after")
    def _unique(self) -> PlatformExport:
        for what, ids in (
            ("initiative id", [i.id for i in self.initiatieven]),
            ("gemeente", [g.slug for g in self.gemeenten]),
        ):
            seen: set[str] = set()
            for x in ids:
                if x in seen:
                    raise ValueError(f"duplicate {what} '{x}'")
                seen.add(x)
        known = {g.slug for g in self.gemeenten}
        for i in self.initiatieven:
            if i.gemeente_slug not in known:
                raise ValueError(f"initiative '{i.id}' belongs to no gemeente of the export")
        return self


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `PlatformExport`, with its id and vocabularies documented."""
    schema = PlatformExport.model_json_schema(mode="validation")
    schema["required"] = ["formaat", "versie", *schema.get("required", [])]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
