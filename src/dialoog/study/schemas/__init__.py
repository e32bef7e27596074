"""One declared schema (a pydantic model) per kind of study file; `dialoog schema KIND` prints its JSON Schema.

Every study file is loaded through `dialoog.study.yamlload` (`load_file` for YAML, `read_rows` for CSV),
which refuses duplicate keys, anchors and aliases, tabs and bytes that are not UTF-8, and turns every
validation error into a `DialoogError` naming the file, line and key. The modules:

    types.py       base models and shared field types (text, ids, years, gemeenten)
    errors.py      pydantic errors -> DialoogErrors; `fail` and `issues` for validators
    files.py       dialoog.yaml, privacy.yaml, codebook, transcript front matter, rapport/ files
    inventaris.py  the three inventory registers per gemeente
    monitor.py     monitor.csv rows, alliantie.yaml, regios.yaml
    rows.py        codings and suggestions CSV rows
    kinds.py       the kinds of study file (`KINDS`) and their JSON Schemas

Importing one module (`dialoog.study.schemas.files`) does not import the others: `KINDS`, `Kind`,
`json_schema` and `json_schema_text` are read from `kinds.py` when first asked for here.
"""

from __future__ import annotations

from typing import Any

__all__ = ["KINDS", "Kind", "json_schema", "json_schema_text"]


def __getattr__(name: str) -> Any:
    """`KINDS` and the rest from `kinds.py`, imported only when asked for (it imports every schema)."""
    if name in __all__:
        from dialoog.study.schemas import kinds

        return getattr(kinds, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
