"""The kinds of study file: where each lives, its schema, its format; and their JSON Schemas."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pydantic

from dialoog.study.schemas import aggregates, files, inventaris, monitor, rows


@dataclass(frozen=True)
class Kind:
    """A kind of study file: its name, where such files live, and its schema."""

    name: str
    files: str  # where in the study (glob-like, for people)
    model: type[pydantic.BaseModel]
    format: str = "yaml"  # "yaml", "front-matter" (YAML between --- lines) or "csv" (one object per row)
    columns: tuple[str, ...] = ()  # CSV: the header
    older: tuple[tuple[str, ...], ...] = ()  # CSV: headers of files written by an earlier dialoog


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind("settings", "dialoog.yaml", files.Settings),
        Kind("privacy", "privacy.yaml", files.PrivacyLists),
        Kind("codebook", "codebook/codebook.yaml", files.CodebookFile),
        Kind("transcript", "interviews/*/*.md", files.FrontMatter, "front-matter"),
        Kind("codings", "codings/*.csv", rows.CodingRow, "csv", rows.CODING_COLUMNS),
        Kind(
            "suggestions",
            "suggestions/*.csv",
            rows.SuggestionRow,
            "csv",
            rows.SUGGESTION_COLUMNS,
            (rows.OLD_SUGGESTION_COLUMNS,),
        ),
        Kind("rejected", "suggestions/rejected/*.csv", rows.RejectedRow, "csv", rows.REJECTED_COLUMNS),
        Kind("initiatieven", "inventaris/*/initiatieven.yaml", inventaris.InitiativesFile),
        Kind("behoeften", "inventaris/*/behoeften.yaml", inventaris.NeedsFile),
        Kind("netwerk", "inventaris/*/netwerk.yaml", inventaris.NetworkFile),
        Kind("doelen-en-acties", "rapport/*/doelen-en-acties.yaml", files.GoalsFile),
        Kind("contacten", "rapport/contacten.yaml, rapport/*/contacten.yaml", files.ContactsFile),
        Kind("organisaties", "rapport/*/organisaties.yaml", files.OrganisationsFile),
        Kind("monitor", "monitor/monitor.csv", monitor.MonitorRow, "csv", monitor.MONITOR_COLUMNS),
        Kind("alliantie", "monitor/alliantie.yaml", monitor.AllianceFile),
        Kind("regios", "monitor/regios.yaml", monitor.RegionsFile),
        Kind("enquete", "monitor/enquete.csv", aggregates.EnqueteRow, "csv", tuple(aggregates.EnqueteRow.model_fields)),
        Kind(
            "statline",
            "monitor/statline.csv",
            aggregates.StatlineRow,
            "csv",
            tuple(aggregates.StatlineRow.model_fields),
        ),
        Kind(
            "discriminatie",
            "monitor/discriminatie.csv",
            aggregates.DiscriminatieRow,
            "csv",
            tuple(aggregates.DiscriminatieRow.model_fields),
        ),
        Kind("enquete-mapping", "monitor/enquete-mapping.yaml", aggregates.SurveyMapping),
    ]
}


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of a kind of study file (for a CSV kind: of one row, as text cells converted)."""
    kind = KINDS[name]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **kind.model.model_json_schema(mode="validation"),
        "title": f"dialoog {kind.name}: {kind.files}",
    }
    # the first paragraph of the model's docstring, without its reStructuredText quotes
    schema["description"] = " ".join((kind.model.__doc__ or "").split("\n\n")[0].split()).replace("`", "")
    if kind.format == "csv":
        schema["description"] = (
            f"One row of a CSV file with the header {','.join(kind.columns)} (UTF-8). "
            + (schema.get("description") or "")
        ).strip()
    elif kind.format == "front-matter":
        schema["description"] = (
            "The YAML between the two '---' lines at the top of the file. " + (schema.get("description") or "")
        ).strip()
    return schema


def json_schema_text(name: str) -> str:
    return json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"
