"""The reports, their output formats and file names, and where templates and the package live."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

REPORTS = {"perspectieven": "Perspectieven voor LHBT's in {gemeente}"}

#: output formats and their file names (``{report}`` is the report's name)
FORMATS = {
    "html": "{report}.html",
    "pdf": "{report}.pdf",
    "docx": "{report}.docx",
    "leaflet": "leaflet.pdf",
}
DEFAULT_FORMATS = tuple(FORMATS)
MANIFEST = "manifest.json"

#: study files and folders that are inputs of every report besides transcripts, codings and codebook;
#: ``{slug}`` stands for the gemeente. Add an entry when a chapter reads a new study file or register.
STUDY_INPUTS = [
    "dialoog.yaml",
    "codebook",
    "consensus/consensus.csv",
    "inventaris/{slug}",
    "rapport/*.yaml",
    "rapport/{slug}",
]

TEMPLATES = Path(str(resources.files("dialoog.report").joinpath("templates")))
PACKAGE = Path(__file__).resolve().parents[1]  # the dialoog package
