"""Study files that a municipality edits for its report and leaflet, validated on load.

Layout (all optional; a missing file makes its chapter say so in one line)::

    <study>/rapport/contacten.yaml                      contacts for every gemeente (national)
    <study>/rapport/<gemeente>/contacten.yaml           local contacts, listed before the national ones
    <study>/rapport/<gemeente>/doelen-en-acties.yaml    goals, actions and (optional) key findings
    <study>/rapport/<gemeente>/organisaties.yaml        organisations spoken with (never persons)

Every problem names the file, the line and the key, and says what to write instead (schemas:
`dialoog.study.schemas.files`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dialoog.study.schemas import files as schema
from dialoog.study.schemas.files import CONTACT_KINDS
from dialoog.study.yamlload import load_file

FOLDER = "rapport"
GOALS_FILE = "doelen-en-acties.yaml"
CONTACTS_FILE = "contacten.yaml"
ORGANISATIONS_FILE = "organisaties.yaml"
__all__ = ["CONTACT_KINDS", "ReportFiles", "input_files", "load"]


@dataclass(frozen=True)
class Action:
    text: str
    who: str = ""
    when: str = ""


@dataclass(frozen=True)
class Goal:
    text: str
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class GoalsFile:
    path: Path
    goals: tuple[Goal, ...]
    key_findings: tuple[str, ...] = ()
    fictional: bool = False


@dataclass(frozen=True)
class Contact:
    name: str
    kind: str
    what: str = ""
    phone: str = ""
    website: str = ""
    fictional: bool = False


@dataclass(frozen=True)
class Organisation:
    name: str
    kind: str = ""
    fictional: bool = False


@dataclass
class ReportFiles:
    """Everything from ``rapport/`` that the report and leaflet of one gemeente use."""

    goals: GoalsFile | None = None
    contacts: list[Contact] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    organisations_path: Path | None = None


def load_goals(path: Path) -> GoalsFile:
    data = load_file(path, schema.GoalsFile)
    goals = tuple(Goal(g.doel, tuple(Action(a.actie, a.wie, a.wanneer) for a in g.acties)) for g in data.doelen)
    return GoalsFile(path, goals, tuple(data.kernbevindingen), data.fictief)


def load_contacts(path: Path) -> list[Contact]:
    return [
        Contact(c.naam, c.soort, c.wat, c.telefoon, c.website, c.fictief)
        for c in load_file(path, schema.ContactsFile).contacten
    ]


def load_organisations(path: Path) -> list[Organisation]:
    return [Organisation(o.naam, o.soort, o.fictief) for o in load_file(path, schema.OrganisationsFile).organisaties]


def load(study_root: Path, slug: str) -> ReportFiles:
    """The report files of gemeente `slug` (absent files give empty values)."""
    root = Path(study_root) / FOLDER
    local = root / slug
    files = ReportFiles()
    if (local / GOALS_FILE).is_file():
        files.goals = load_goals(local / GOALS_FILE)
    for path in (local / CONTACTS_FILE, root / CONTACTS_FILE):
        if path.is_file():
            files.contacts.extend(load_contacts(path))
    if (local / ORGANISATIONS_FILE).is_file():
        files.organisations_path = local / ORGANISATIONS_FILE
        files.organisations = load_organisations(files.organisations_path)
    return files


def input_files(study_root: Path, slug: str) -> list[Path]:
    """The files `load` may read for `slug` (for the incremental-render manifest)."""
    root = Path(study_root) / FOLDER
    return [root / CONTACTS_FILE, *(sorted((root / slug).glob("*")) if (root / slug).is_dir() else [])]
