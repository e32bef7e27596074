"""Study settings: an optional ``dialoog.yaml`` in the study folder, validated on load.

Every key is optional; unknown keys and wrong types are errors naming the file, line and key.
Add a setting by adding a field (with its default and a description) to
`dialoog.study.schemas.files.Settings`.
"""

from __future__ import annotations

from pathlib import Path

from dialoog.study.schemas.files import Settings
from dialoog.study.yamlload import load_file

FILENAME = "dialoog.yaml"

__all__ = ["FILENAME", "Settings", "load"]


def load(study_root: Path) -> Settings:
    path = Path(study_root) / FILENAME
    if not path.is_file():
        return Settings()
    return load_file(path, Settings)
