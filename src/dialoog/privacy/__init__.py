"""Privacy: finding personal data, pseudonymising a study, the key, withdrawal, and disclosure control.

Owns: `detect` (what counts as personal data in Dutch text: `find_personal_data`), with `patterns` (regular
forms: numbers, ages, addresses, schools, workplaces), `lexicon` (labels, readable organisations, number
words), `gazetteer` (Dutch places that stay readable), `engine` (deduce, loaded once) and `key` (the
pseudonym key, `apply`); `pseudonymise` (applying that to a study's transcripts), `review` (what still looks
identifying; the researcher's mask/keep marks), `integrity` (the ``checked`` hash: a trustworthy
pseudonymised flag), `withdrawal` (consent withdrawn), `disclosure` (how counts, wijken and roles may appear
in a published report) and `evaluation` (scoring against annotations).
May import: `dialoog.errors`, `dialoog.fileio`, `dialoog.study`, `dialoog.ingest`. Never report code.

The public Python API is importable from here: ``from dialoog.privacy import find_personal_data, apply``.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "detect": ("Span", "StudyLists", "PseudonymKey", "find_personal_data", "apply", "review", "load_study_lists"),
    "pseudonymise": ("pseudonymise_study", "key_path", "KEY_FILE"),
    "review": ("review_study", "write_review_file", "apply_review", "REVIEW_FILE"),
    "integrity": ("recheck", "check_before_use"),
    "withdrawal": ("withdraw", "Withdrawal", "STALE_NOTE"),
    "disclosure": (
        "small",
        "display_count",
        "count_text",
        "share_text",
        "share_label",
        "suppress_counts",
        "pool_counts",
        "breakdown_table",
        "recoverable",
        "Disclosure",
    ),
    "evaluation": ("expected_spans", "score", "annotated_set"),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:  # lazy: importing dialoog.privacy does not load deduce
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'dialoog.privacy' has no attribute '{name}'")
    return getattr(importlib.import_module(f"dialoog.privacy.{module}"), name)
