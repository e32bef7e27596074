"""Base models and field types shared by the schemas of the study files."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from dialoog.errors import DialoogError
from dialoog.study.schemas.errors import PATTERN_HINTS, fail


class FileModel(BaseModel):
    """A YAML mapping of a study file: unknown keys are errors and YAML types are not converted."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)
    #: the message when the file (or this mapping) is not a mapping at all
    shape: ClassVar[str] = "expected a mapping (key: value lines)"
    #: what its keys are called in "known ...: a, b" hints
    noun: ClassVar[str] = "keys"


class RowModel(BaseModel):
    """One row of a CSV study file: every cell is text, converted to the declared type."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _scalar_text(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _strip(value: str) -> str:
    return value.strip()


def _not_empty(value: str) -> str:
    if not value:
        raise fail("must not be empty", "write a text after the colon")
    return value


def _as_list(value: Any) -> Any:
    if value is None:
        return []
    return [value] if isinstance(value, str | int | float) and not isinstance(value, bool) else value


#: text; a number written without quotes (``telefoon: 112``, ``wanneer: 2026``) is read as text
Text = Annotated[str, BeforeValidator(_scalar_text, json_schema_input_type=str | int | float), AfterValidator(_strip)]
#: text that must be there and must not be empty
RequiredText = Annotated[Text, AfterValidator(_not_empty)]
#: optional text (absent, empty or null is "")
OptionalText = Annotated[Text, BeforeValidator(lambda v: "" if v is None else v, json_schema_input_type=str | None)]
#: a list of texts; a single text is a list of one
TextList = Annotated[list[Text], BeforeValidator(_as_list, json_schema_input_type=list[str | int | float] | str | None)]
#: a list of non-empty texts; a single text is a list of one
RequiredTextList = Annotated[
    list[RequiredText], BeforeValidator(_as_list, json_schema_input_type=list[str | int | float] | str | None)
]

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
PATTERN_HINTS[ID_PATTERN] = "use lower-case letters, digits and '-', e.g. 'melden-aangifte'"
#: an id: lower-case letters, digits and '-'
Id = Annotated[str, Field(pattern=ID_PATTERN)]


def _year(value: int) -> int:
    if not 1900 <= value <= 2100:
        raise fail(f"'{value}' is not a year", "write a year, e.g. 2016")
    return value


#: a year between 1900 and 2100
Year = Annotated[int, AfterValidator(_year), Field(json_schema_extra={"minimum": 1900, "maximum": 2100})]


def canonical_gemeente(value: str) -> str:
    from dialoog.study.gemeenten import find_gemeente

    try:
        return find_gemeente(str(value)).name
    except DialoogError as exc:
        raise fail(exc.detail, exc.hint) from None


#: the name of a Dutch municipality (CBS; case and spelling variants are accepted); read as its CBS name
GemeenteName = Annotated[str, AfterValidator(canonical_gemeente)]


def vocabulary(values: dict[str, Any] | tuple[str, ...]) -> Any:
    """A Literal type of the keys of `values` (a vocabulary such as KINDS), for an enum in the JSON Schema."""
    return Literal[tuple(values)]  # type: ignore[valid-type]
