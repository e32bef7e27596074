"""Study settings: an optional ``dialoog.yaml`` in the study folder, validated on load.

Every key is optional; unknown keys and wrong types are errors naming the file, line and key.
Add a setting by adding a field (with its default and a short comment) to `Settings`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dialoog.errors import DialoogError, ValidationError
from dialoog.study.yamlload import line_of, load_yaml

FILENAME = "dialoog.yaml"


@dataclass(frozen=True)
class Settings:
    #: counts below this are shown as "< N" in report tables and figures
    small_cell_threshold: int = 5
    #: whether quotes in reports may name the wijk of the respondent as well as the role
    quote_wijk: bool = False
    #: a trained spaCy pipeline for Dutch (e.g. nl_core_news_md) used when installed; "" = built-in offline one
    spacy_model: str = ""
    #: the study's permanent id (a UUID): REFI-QDA exports derive their GUIDs from it, so they stay the same
    #: when the folder is renamed; written by `dialoog init`, or by the first export when missing
    study_id: str = ""


def _type_ok(value: Any, default: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, type(default))


def load(study_root: Path) -> Settings:
    path = Path(study_root) / FILENAME
    if not path.is_file():
        return Settings()
    data = load_yaml(path.read_text(encoding="utf-8"), path) or {}
    if not isinstance(data, dict):
        raise DialoogError("settings must be a mapping of keys to values", path=path, line=1)
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    defaults = Settings()
    problems = []
    for key, value in data.items():
        if key not in fields:
            problems.append(
                DialoogError(
                    "unknown setting",
                    path=path,
                    line=line_of(data, key),
                    key=str(key),
                    hint="known settings: " + ", ".join(fields),
                )
            )
        elif not _type_ok(value, getattr(defaults, key)):
            problems.append(
                DialoogError(
                    f"expected {type(getattr(defaults, key)).__name__}, got '{value}'",
                    path=path,
                    line=line_of(data, key),
                    key=str(key),
                )
            )
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationError(problems)
    return Settings(**{k: v for k, v in data.items()})
