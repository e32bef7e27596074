"""Study files that a municipality edits for its report and leaflet, validated on load.

Layout (all optional; a missing file makes its chapter say so in one line)::

    <study>/rapport/contacten.yaml                      contacts for every gemeente (national)
    <study>/rapport/<gemeente>/contacten.yaml           local contacts, listed before the national ones
    <study>/rapport/<gemeente>/doelen-en-acties.yaml    goals, actions and (optional) key findings
    <study>/rapport/<gemeente>/organisaties.yaml        organisations spoken with (never persons)

Every problem names the file, the line and the key, and says what to write instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dialoog.errors import DialoogError
from dialoog.study.yamlload import line_of, load_yaml

FOLDER = "rapport"
GOALS_FILE = "doelen-en-acties.yaml"
CONTACTS_FILE = "contacten.yaml"
ORGANISATIONS_FILE = "organisaties.yaml"

#: kinds of contact, in the order the leaflet lists them, with their Dutch heading
CONTACT_KINDS = {
    "noodgeval": "Bij direct gevaar",
    "melden": "Discriminatie of geweld melden",
    "politie": "Politie",
    "steun": "Steun en contact",
}


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


def _load(path: Path) -> Any:
    return load_yaml(path.read_text(encoding="utf-8"), path)


def _mapping(data: Any, path: Path, where: Any = None) -> dict:
    if not isinstance(data, dict):
        raise DialoogError("expected a mapping (key: value lines)", path=path, line=line_of(where) or 1)
    return data


def _text(item: dict, key: str, path: Path, required: bool = True) -> str:
    value = item.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DialoogError(
                f"'{key}' is missing or empty", path=path, line=line_of(item), key=key, hint=f"write '{key}: ...'"
            )
        return ""
    if not isinstance(value, str | int | float):
        raise DialoogError("expected text", path=path, line=line_of(item, key), key=key)
    return str(value).strip()


def _list(item: dict, key: str, path: Path) -> list:
    value = item.get(key) or []
    if not isinstance(value, list):
        raise DialoogError("expected a list (lines starting with '- ')", path=path, line=line_of(item, key), key=key)
    return value


def _flag(item: dict, key: str, path: Path) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        raise DialoogError("expected true or false", path=path, line=line_of(item, key), key=key)
    return value


def load_goals(path: Path) -> GoalsFile:
    data = _mapping(_load(path), path)
    unknown = sorted(set(data) - {"doelen", "kernbevindingen", "fictief"})
    if unknown:
        raise DialoogError(
            "unknown key",
            path=path,
            line=line_of(data, unknown[0]),
            key=unknown[0],
            hint="known keys: doelen, kernbevindingen, fictief",
        )
    goals = []
    for g in _list(data, "doelen", path):
        g = _mapping(g, path, data)
        actions = []
        for a in _list(g, "acties", path):
            if isinstance(a, str):
                actions.append(Action(a.strip()))
                continue
            a = _mapping(a, path, g)
            actions.append(
                Action(_text(a, "actie", path), _text(a, "wie", path, False), _text(a, "wanneer", path, False))
            )
        goals.append(Goal(_text(g, "doel", path), tuple(actions)))
    findings = []
    for i, f in enumerate(_list(data, "kernbevindingen", path)):
        if not isinstance(f, str) or not f.strip():
            raise DialoogError(
                f"key finding {i + 1} must be a sentence",
                path=path,
                line=line_of(data, "kernbevindingen"),
                key="kernbevindingen",
            )
        findings.append(f.strip())
    if len(findings) > 5:
        raise DialoogError(
            f"{len(findings)} key findings; the leaflet has room for three to five",
            path=path,
            line=line_of(data, "kernbevindingen"),
            key="kernbevindingen",
        )
    return GoalsFile(path, tuple(goals), tuple(findings), _flag(data, "fictief", path))


def load_contacts(path: Path) -> list[Contact]:
    data = _mapping(_load(path), path)
    out = []
    for c in _list(data, "contacten", path):
        c = _mapping(c, path, data)
        kind = _text(c, "soort", path)
        if kind not in CONTACT_KINDS:
            raise DialoogError(
                f"unknown kind of contact '{kind}'",
                path=path,
                line=line_of(c, "soort"),
                key="soort",
                hint="use one of: " + ", ".join(CONTACT_KINDS),
            )
        contact = Contact(
            name=_text(c, "naam", path),
            kind=kind,
            what=_text(c, "wat", path, False),
            phone=_text(c, "telefoon", path, False),
            website=_text(c, "website", path, False),
            fictional=_flag(c, "fictief", path),
        )
        if not (contact.phone or contact.website):
            raise DialoogError("a contact needs a 'telefoon' or a 'website'", path=path, line=line_of(c), key="naam")
        out.append(contact)
    return out


def load_organisations(path: Path) -> list[Organisation]:
    data = _mapping(_load(path), path)
    out = []
    for o in _list(data, "organisaties", path):
        if isinstance(o, str):
            out.append(Organisation(o.strip()))
            continue
        o = _mapping(o, path, data)
        out.append(Organisation(_text(o, "naam", path), _text(o, "soort", path, False), _flag(o, "fictief", path)))
    return out


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
