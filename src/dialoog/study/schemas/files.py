"""Schemas of the study's own files: dialoog.yaml, privacy.yaml, the codebook, transcript front matter,
and the rapport/ files a municipality edits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from dialoog.study.schemas.errors import Issue, fail, issues
from dialoog.study.schemas.types import (
    FileModel,
    GemeenteName,
    Id,
    OptionalText,
    RequiredText,
    RequiredTextList,
    TextList,
    vocabulary,
)

# -- dialoog.yaml -----------------------------------------------------------------------------------


class Settings(FileModel):
    """``dialoog.yaml``: the study's settings; every key is optional."""

    shape: ClassVar[str] = "settings must be a mapping of keys to values"
    noun: ClassVar[str] = "settings"

    #: counts below this are shown as "< N" in report tables and figures
    small_cell_threshold: int = Field(5, ge=0, description='counts below this are shown as "< N" in reports')
    #: whether quotes in reports may name the wijk of the respondent as well as the role
    quote_wijk: bool = Field(False, description="whether quotes in reports may name the wijk of the respondent")
    #: a trained spaCy pipeline for Dutch (e.g. nl_core_news_md) used when installed; "" = built-in offline one
    spacy_model: str = Field("", description="a trained spaCy pipeline for Dutch; empty: the built-in one")
    #: the one word for the community in every report, leaflet and analysis: "LHBT" (as in the Schiedam model)
    #: or, for example, "lhbtiq+" (as in the government's letter of 2025 on lhbtiq+ safety)
    term: str = Field(
        "LHBT",
        pattern=r"^[A-Za-z][A-Za-z+]{1,11}$",
        description="the word for the community in reports: LHBT (default), lhbtiq+, LHBTI+, ...",
    )
    #: whether `dialoog suggest` also learns from the reference corpus shipped with dialoog (the project's
    #: own fictional coded studies), for the codes whose ids the study's codebook shares
    suggest_reference: bool = Field(
        True, description="dialoog suggest also learns from dialoog's fictional reference codings (shared code ids)"
    )
    #: other study folders (relative to this one) coded with the same codebook whose codings the assistant
    #: learns from as well, such as an alliance partner's study; read on this machine only
    learn_from: RequiredTextList = Field(
        default_factory=list, description="other study folders with the same codebook that dialoog suggest learns from"
    )
    #: the study's permanent id (a UUID): REFI-QDA exports derive their GUIDs from it, so they stay the same
    #: when the folder is renamed; written by `dialoog init`, or by the first export when missing
    study_id: str = Field(
        "",
        pattern=r"^$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        description="the study's permanent id (a UUID); REFI-QDA GUIDs derive from it",
    )


# -- privacy.yaml ----------------------------------------------------------------------------------


class PrivacyLists(FileModel):
    """``privacy.yaml``: names to always pseudonymise, and places, organisations and words that stay readable."""

    shape: ClassVar[str] = "privacy lists must be a mapping of list names to lists"
    noun: ClassVar[str] = "lists"

    names: RequiredTextList = Field(default_factory=list, description="names to always pseudonymise")
    places: RequiredTextList = Field(default_factory=list, description="places that stay readable")
    organisations: RequiredTextList = Field(default_factory=list, description="organisations that stay readable")
    allow: RequiredTextList = Field(default_factory=list, description="other words that stay readable")


# -- codebook/codebook.yaml ---------------------------------------------------------------------------

COLOR_PATTERN = r"^(#[0-9A-Fa-f]{6})?$"


class CodeEntry(FileModel):
    id: Id
    label: RequiredText
    description: RequiredText
    parent: Id | None = None
    use_when: OptionalText = ""
    not_when: OptionalText = ""
    examples: TextList = Field(default_factory=list)
    keywords: TextList = Field(default_factory=list)
    color: Annotated[str, Field(pattern=COLOR_PATTERN)] | None = Field(None, description="#RRGGBB")


class CodebookFile(FileModel):
    """``codebook/codebook.yaml``: a flat list of codes; a code with `parent` is a subcode of that code."""

    shape: ClassVar[str] = "the codebook must have a key 'codes' with a list of codes"
    codes: list[CodeEntry]

    @model_validator(mode="after")
    def _ids_and_parents(self) -> CodebookFile:
        found: list[Issue] = []
        first: dict[str, int] = {}
        for i, code in enumerate(self.codes):
            if code.id in first:
                found.append(
                    Issue(
                        ("codes", i, "id"),
                        f"duplicate code id '{code.id}' (first defined on line {{first}})",
                        lines={"first": ("codes", first[code.id], "id")},
                    )
                )
            else:
                first[code.id] = i
        for i, code in enumerate(self.codes):
            if code.parent is not None and code.parent not in first:
                found.append(
                    Issue(
                        ("codes", i, "parent"),
                        f"code '{code.id}' has unknown parent '{code.parent}'",
                        "use the id of a code defined in this file",
                    )
                )
        if not found:
            found = self._cycles()
        if found:
            raise issues(found)
        return self

    def _cycles(self) -> list[Issue]:
        parents = {c.id: c.parent for c in self.codes}
        for i, code in enumerate(self.codes):
            seen = [code.id]
            parent = code.parent
            while parent is not None:
                if parent in seen:
                    cycle = " -> ".join([*seen[seen.index(parent) :], parent])
                    return [Issue(("codes", i, "parent"), f"the parents form a cycle: {cycle}")]
                seen.append(parent)
                parent = parents[parent]
        return []


# -- transcript front matter -------------------------------------------------------------------------

#: Respondent roles, with the Dutch label used in reports.
ROLES: dict[str, str] = {
    "lhbt-inwoner": "LHBT-inwoner",
    "wijkprofessional": "Wijkprofessional",
    "politie": "Politie",
    "woningcorporatie": "Woningcorporatie",
    "vrijwilliger": "Vrijwilliger",
    "gemeente": "Gemeente",
    "belangenorganisatie": "Belangenorganisatie",
    "onderwijs": "Onderwijs",
    "zorg": "Zorg",
    "onbekend": "Onbekend",
}


class FrontMatter(FileModel):
    """The YAML front matter of a normalised transcript, ``interviews/<gemeente>/<id>.md``.

    Validated with ``context={"path": ...}``, the id must match the file name and the gemeente the folder.
    Messages never repeat a value (quote=False): the file is a transcript.
    """

    shape: ClassVar[str] = "front matter must be a mapping of keys to values"

    id: Id = Field(description="the file name without .md, e.g. schiedam-01")
    gemeente: GemeenteName = Field(description="the municipality (CBS name); the file is in its folder")
    wijk: str | None = Field(description="a CBS wijk of the gemeente, or null")
    datum: dt.date | None = Field(description="the date of the interview (YYYY-MM-DD), or null")
    interviewer: str | None = Field(description="who interviewed (a role or code, never a name of a respondent)")
    respondent: vocabulary(ROLES) = Field(description="the respondent's role")
    consent: bool = Field(description="whether the respondent consented to the use of the interview")
    pseudonymised: bool = Field(description="whether names and places were replaced ('dialoog pseudonymise')")
    fictional: bool = Field(False, description="a fictional demo transcript")
    checked: str | None = Field(
        None,
        pattern=r"^sha256:[0-9a-f]{64}$",
        description="the SHA-256 of the body that 'dialoog pseudonymise' produced or last checked",
    )

    @field_validator("id")
    @classmethod
    def _id_is_file_name(cls, value: str, info: ValidationInfo) -> str:
        path = Path((info.context or {}).get("path") or f"{value}.md")
        if value != path.stem:
            raise fail(
                f"id '{value}' does not match the file name '{path.name}'", hint=f"rename the file to '{value}.md'"
            )
        return value

    @field_validator("gemeente")
    @classmethod
    def _gemeente_is_folder(cls, value: str, info: ValidationInfo) -> str:
        from dialoog.study.gemeenten import slugify

        path = (info.context or {}).get("path")
        if path is not None and slugify(value) != Path(path).parent.name:
            raise fail(
                f"gemeente '{value}' does not match the folder '{Path(path).parent.name}'",
                hint=f"move the file to interviews/{slugify(value)}/",
            )
        return value

    @field_validator("wijk")
    @classmethod
    def _wijk_of_gemeente(cls, value: str | None, info: ValidationInfo) -> str | None:
        from dialoog.study.gemeenten import find_gemeente, match_wijk, wijken

        name = info.data.get("gemeente")
        if value is None or name is None:
            return value
        gemeente = find_gemeente(name)
        found = match_wijk(gemeente, value)
        if found is None:
            raise fail(
                f"the wijk is not a CBS wijk of {gemeente.name}", "known wijken: " + ", ".join(wijken(gemeente.code))
            )
        return found


# -- rapport/ --------------------------------------------------------------------------------------

#: kinds of contact, in the order the leaflet lists them, with their Dutch heading
CONTACT_KINDS = {
    "noodgeval": "Bij direct gevaar",
    "melden": "Discriminatie of geweld melden",
    "politie": "Politie",
    "steun": "Steun en contact",
}


def _text_to(key: str) -> Any:
    """Accept a plain text for a mapping with only `key` (``- Een actie`` for ``- actie: Een actie``)."""
    return BeforeValidator(lambda v: {key: v} if isinstance(v, str) else v, json_schema_input_type=Any)


class ActionEntry(FileModel):
    actie: RequiredText
    wie: OptionalText = ""
    wanneer: OptionalText = ""


class GoalEntry(FileModel):
    doel: RequiredText
    acties: list[Annotated[ActionEntry, _text_to("actie")]] = Field(default_factory=list)


def _findings(value: list[str]) -> list[str]:
    if len(value) > 5:
        raise fail(f"{len(value)} key findings; the leaflet has room for three to five")
    return value


class GoalsFile(FileModel):
    """``rapport/<gemeente>/doelen-en-acties.yaml``: goals, actions and (optional) key findings."""

    doelen: list[GoalEntry] = Field(default_factory=list)
    kernbevindingen: Annotated[list[RequiredText], AfterValidator(_findings)] = Field(
        default_factory=list, description="three to five short sentences for the leaflet"
    )
    fictief: bool = False


class ContactEntry(FileModel):
    naam: RequiredText
    soort: vocabulary(CONTACT_KINDS)
    wat: OptionalText = ""
    telefoon: OptionalText = ""
    website: OptionalText = ""
    fictief: bool = False

    @model_validator(mode="after")
    def _reachable(self) -> ContactEntry:
        if not (self.telefoon or self.website):
            raise fail("a contact needs a 'telefoon' or a 'website'", loc=("naam",))
        return self


class ContactsFile(FileModel):
    """``rapport/contacten.yaml`` and ``rapport/<gemeente>/contacten.yaml``: organisations to contact."""

    contacten: list[ContactEntry] = Field(default_factory=list)


class OrganisationEntry(FileModel):
    naam: RequiredText
    soort: OptionalText = ""
    fictief: bool = False


class OrganisationsFile(FileModel):
    """``rapport/<gemeente>/organisaties.yaml``: organisations spoken with (never persons)."""

    organisaties: list[Annotated[OrganisationEntry, _text_to("naam")]] = Field(default_factory=list)
