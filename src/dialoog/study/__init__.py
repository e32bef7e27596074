"""The study folder and its files: `Study` (folder.py), transcripts, codebook, codings, settings
(dialoog.yaml), the report files in rapport/, the CBS municipality lists (gemeenten), and the tables
that every later stage reads (analysis: interviews, codings, fragments, quotes per gemeente).

Owns: where each file lives, its declared schema (`schemas/`, one pydantic model per kind of study file),
the one strict loader that reads and validates every file (`yamlload`), and the normalised form of a
transcript.
May import: `dialoog.errors`, `dialoog.fileio` and third-party libraries only. Every other stage builds on it.
"""

from typing import Any


def __getattr__(name: str) -> Any:  # ``from dialoog.study import Study`` without loading every file module eagerly
    if name in ("Study", "open_study"):
        from dialoog.study import folder

        return getattr(folder, name)
    raise AttributeError(f"module 'dialoog.study' has no attribute '{name}'")
