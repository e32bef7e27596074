"""The pseudonymisation key (original names -> study-wide pseudonyms) and `apply`, which uses it.

The key is personal data: it is written only with mode 0600 (created so, never widened and narrowed
afterwards) in a folder of mode 0700, and it is never printed.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dialoog.errors import DialoogError
from dialoog.privacy.lexicon import LABELS, Span
from dialoog.study.yamlload import load_yaml

_TITLE_RE = re.compile(r"^(?:meneer|mevrouw|mevr\.?|mw\.?|dhr\.?|juf|meester|dokter|dr\.?)\s+", re.IGNORECASE)
_INTERFIXES = {"de", "den", "der", "van", "von", "ten", "ter", "te", "el", "al", "la", "le", "da", "di", "bin", "ibn"}


_SPACES = re.compile(r"\s+")
_AL_EL = re.compile(r"(?i)(?:al|el)-\w{3,}")
_POSSESSIVE = re.compile(r"['’]s?$")


def _norm(s: str) -> str:
    return " ".join(s.casefold().split())


def name_parts(name: str) -> tuple[str, str | None, list[str]]:
    """(full name, first name, other parts) of a name without title or possessive."""
    name = _strip_possessive(_TITLE_RE.sub("", name.strip()))
    parts = [p for p in _SPACES.split(name) if p]
    if len(parts) <= 1:
        return name, None, []
    others = [p for p in parts[1:] if len(p) >= 3 and p.casefold() not in _INTERFIXES]
    others += [p.split("-", 1)[1] for p in parts[1:] if _AL_EL.match(p)]
    first = parts[0] if len(parts[0]) >= 2 and parts[0].casefold() not in _INTERFIXES | {"het"} else None
    return name, first, others


def name_tokens(name: str) -> set[str]:
    """The full name and its parts that identify the person ("Sanne de Vries" -> Sanne de Vries, Sanne, Vries)."""
    full, first, others = name_parts(name)
    return {t for t in (full, first, *others) if t and len(t) >= 2}


def _strip_possessive(name: str) -> str:
    if _POSSESSIVE.search(name):
        return _POSSESSIVE.sub("", name)
    return name


def private_dir(folder: Path) -> None:
    """Make `folder` (mode 0700) for secrets; an existing one is narrowed to 0700."""
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o077:
        os.chmod(folder, 0o700)


def write_secret(path: Path, text: str) -> None:
    """Write `text` atomically to `path` with mode 0600 from the moment any file exists.

    The temporary file is created by `mkstemp` (0600, whatever the umask), written, synced and renamed over
    `path`; its mode is never changed, so no copy of the secret is ever readable by others, not even briefly.
    """
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@dataclass
class Person:
    number: int
    names: list[str]
    transcripts: list[str]


@dataclass
class PseudonymKey:
    """The key from original names to pseudonyms, for the whole study. Never print it.

    Stored as YAML in a git-ignored file outside the report tree (default
    ``<study>/private/pseudonyms.key.yaml``). Each person has a number (``[persoon-N]``), the name
    forms seen (full name, first name, surname; lower case) and the transcripts they occur in.
    """

    path: Path | None = None
    persons: list[Person] = field(default_factory=list)
    next_number: int = 1

    @classmethod
    def load(cls, path: Path) -> PseudonymKey:
        path = Path(path)
        if not path.is_file():
            return cls(path=path)
        data = load_yaml(path.read_text(encoding="utf-8"), path) or {}
        try:
            persons = [
                Person(int(p["number"]), [str(n) for n in p["names"]], [str(t) for t in p.get("transcripts", [])])
                for p in data.get("persons", [])
            ]
            next_number = int(data.get("next_number", 1))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise DialoogError(
                "the pseudonymisation key is damaged (expected persons with number, names and transcripts)",
                path=path,
                hint="restore it from your backup; do not edit it by hand",
            ) from None
        next_number = max([next_number, *(p.number + 1 for p in persons)])
        return cls(path=path, persons=persons, next_number=next_number)

    def save(self) -> None:
        if self.path is None:
            return
        data = {
            "next_number": self.next_number,
            "persons": [{"number": p.number, "names": p.names, "transcripts": p.transcripts} for p in self.persons],
        }
        header = (
            "# dialoog pseudonymisation key: original names -> pseudonyms. Personal data!\n"
            "# Keep it secret and out of git; never share it with a report.\n"
        )
        write_secret(self.path, header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    def _index(self) -> dict[str, Person]:
        return {n: p for p in self.persons for n in p.names}

    def known_names(self) -> set[str]:
        return {n for p in self.persons for n in p.names}

    def person(self, name: str, transcript: str | None = None) -> str:
        """The pseudonym of the person called `name` (a new one if the name is new), e.g. ``[persoon-3]``."""
        tokens = name_tokens(name)
        full = _norm(_strip_possessive(_TITLE_RE.sub("", name.strip())))
        index = self._index()
        # a known form (full name, first name or surname) is the person already known by it, except that a
        # first name or surname alone is, if it fits one, the person whose full name is in the same
        # transcript ("Sanne" next to "Sanne Bakker" is not the "Sanne de Vries" of another interview);
        # an unknown full name is a new person
        found = self._in_transcript(full, transcript) or index.get(full)
        if found is None:
            found = Person(self.next_number, [], [])
            self.next_number += 1
            self.persons.append(found)
        for t in sorted({_norm(t) for t in tokens} | {full}):
            if t and t not in index:
                found.names.append(t)
        if transcript and transcript not in found.transcripts:
            found.transcripts.append(transcript)
        return f"[persoon-{found.number}]"

    def _in_transcript(self, form: str, transcript: str | None) -> Person | None:
        """The one person seen in `transcript` under a full name of which `form` (one word) is a part."""
        if not transcript or " " in form:
            return None
        fits = [
            p
            for p in self.persons
            if transcript in p.transcripts
            and any(" " in n and form in {_norm(t) for t in name_tokens(n)} for n in p.names)
        ]
        return fits[0] if len(fits) == 1 else None

    def remove_transcript(self, transcript: str) -> int:
        """Forget `transcript`: drop it from every person, and drop persons seen only there. Returns how many."""
        before = len(self.persons)
        for p in self.persons:
            if transcript in p.transcripts:
                p.transcripts.remove(transcript)
        self.persons = [p for p in self.persons if p.transcripts]
        return before - len(self.persons)


def apply(text: str, spans: Iterable[Span], key: PseudonymKey | None = None, transcript: str | None = None) -> str:
    """Replace every span by its placeholder; with a `key`, persons get their study-wide pseudonym."""
    out = []
    pos = 0
    for s in sorted(spans, key=lambda s: s.start):
        if s.start < pos:
            continue
        out.append(text[pos : s.start])
        if s.label == "persoon" and key is not None:
            out.append(key.person(s.text, transcript))
        else:
            out.append(LABELS.get(s.label, "[gegevens]"))
        pos = s.end
    out.append(text[pos:])
    return "".join(out)
