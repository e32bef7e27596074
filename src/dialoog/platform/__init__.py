"""The LHBT-platform: an open format for a study's public inventory of initiatives, and a static site
built from the exports of many municipalities (issue 20).

Owns: the export format and its JSON Schema (model.py), the new optional register fields it reads
(registerfields.py), the export of a study (export.py), merging exports (merge.py), the gaps with
initiatives elsewhere (matching.py), the search index (searchindex.py), the static site (site.py,
templates/) and fictional synthetic exports for benchmarks and tests (synthetic.py).

May import: `dialoog.study`, `dialoog.inventory`, `dialoog.privacy`, `dialoog.exchange`, errors, fileio.
Never report code; commands/platform.py is its command line.
"""

from __future__ import annotations

from typing import Any


def platform_json_schema() -> dict[str, Any]:
    """The published JSON Schema of a platform export (what `dialoog platform schema` prints)."""
    from dialoog.platform.model import json_schema

    return json_schema()


__all__ = ["platform_json_schema"]
