"""Pseudonymise a study's transcripts in place, with the study-wide key.

The detection itself is in `dialoog.privacy.detect`; this module applies it to a `Study`. Each transcript it
writes records the hash of its new body (``checked``), see `dialoog.privacy.integrity`. The key lives in
``private/`` (mode 0700, with its own ``.gitignore``), is written with mode 0600 and never under ``reports/``.
"""

from __future__ import annotations

import copy
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text, remove_study_cache
from dialoog.study import codings as codings_mod
from dialoog.study import transcripts as transcripts_mod
from dialoog.study.folder import Study

#: Default key file, relative to the study (git-ignored; outside reports/).
KEY_FILE = Path("private") / "pseudonyms.key.yaml"
_GENERIC_INTERVIEWER = re.compile(r"^(?:Onderzoeker|Interviewer|Interviewster)(?: \d+)?$")


def key_path(study: Study, path: Path | None = None) -> Path:
    """The key file: `path` if given, else where the study recorded it (``private/locations.yaml``, written
    when a key is made with ``--key``), else ``<study>/private/pseudonyms.key.yaml``; never inside reports/
    (also not through a symbolic link: both paths are resolved first)."""
    from dialoog.study.ledger import recorded_key

    p = Path(path).expanduser() if path else (recorded_key(study.root) or study.root / KEY_FILE)
    resolved = p.resolve()
    reports = study.reports_dir.resolve()
    if resolved.is_relative_to(reports) or p.absolute().is_relative_to(study.reports_dir.absolute()):
        raise DialoogError(
            "the pseudonymisation key must not be inside the reports folder",
            path=p,
            hint=f"use the default {study.root / KEY_FILE} or a folder outside the study",
        )
    return resolved


PRIVATE_GITIGNORE = "# dialoog: everything in this folder is secret (the pseudonymisation key, review files)\n*\n"


def prepare_private_dir(study: Study) -> Path:
    """``<study>/private/``: mode 0700 (narrowed if it was wider), with a ``.gitignore`` that ignores all."""
    from dialoog.privacy.key import private_dir

    folder = study.root / KEY_FILE.parent
    private_dir(folder)
    ignore = folder / ".gitignore"
    if not ignore.is_file():
        atomic_write_text(ignore, PRIVATE_GITIGNORE)
    return folder


def git_ignored(path: Path) -> bool | None:
    """Whether git ignores `path` (None: not in a git work tree, or git is not installed)."""
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        return None
    folder = Path(path).parent
    while not folder.exists():
        folder = folder.parent
    inside = subprocess.run(
        [git, "-C", str(folder), "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True, check=False
    )
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return None
    check = subprocess.run([git, "-C", str(folder), "check-ignore", "-q", str(path)], capture_output=True, check=False)
    return check.returncode == 0


@dataclass
class Result:
    id: str
    skipped: bool
    counts: Counter[str] = field(default_factory=Counter)
    speakers: set[str] = field(default_factory=set)  #: distinct names in speaker labels, replaced


def _has_codings(study: Study, tid: str) -> list[Path]:
    found = []
    for path in study.coder_files():
        if any(c.transcript == tid for c in codings_mod.read(path)):
            found.append(path)
    return found


def _to_do(study: Study, ids: list[str] | None) -> tuple[dict, list[str], list]:
    """The study's transcripts, the ids asked for and the transcripts among them still to pseudonymise
    (checked: readable, known, and not yet coded)."""
    study.check_layout()
    transcripts = study.transcripts
    problems = [p for p in study.problems() if p.path and p.path.suffix == ".md"]
    if problems:
        raise problems[0]
    wanted = ids or sorted(transcripts)
    unknown = [i for i in wanted if i not in transcripts]
    if unknown:
        raise DialoogError(f"unknown transcript id(s): {', '.join(unknown)}", path=study.interviews_dir)
    todo = [transcripts[i] for i in wanted if not transcripts[i].meta.get("pseudonymised")]
    for t in todo:
        coded = _has_codings(study, t.id)
        if coded:
            raise DialoogError(
                f"transcript '{t.id}' is not pseudonymised but already has codings; their offsets would break",
                path=coded[0],
                hint="remove its codings, pseudonymise, then code it again",
            )
    return transcripts, wanted, todo


def pseudonymise_study(
    study: Study, key: Path | None = None, ids: list[str] | None = None, progress: bool = False
) -> list[Result]:
    """Pseudonymise every transcript of the study not yet marked pseudonymised (in place), reusing the key.

    Each transcript and the key are written atomically (a full disk is a DialoogError, nothing half
    written); with `progress`, a progress bar on stderr."""
    from dialoog.privacy import detect as ps

    transcripts, wanted, todo = _to_do(study, ids)
    if todo:  # the suggestion model and lemmas cached from the transcripts as they were
        remove_study_cache(study.root)
    kpath = key_path(study, key)
    if kpath.parent == (study.root / KEY_FILE.parent).resolve():
        prepare_private_dir(study)
    if key is not None:
        from dialoog.study.ledger import record_key

        record_key(study.root, kpath)  # so that 'dialoog withdraw' finds it without --key
    pkey = ps.PseudonymKey.load(kpath)
    lists = ps.lists_for_study(study)
    results = [Result(t.id, True) for t in (transcripts[i] for i in wanted) if t.meta.get("pseudonymised")]
    from tqdm import tqdm

    for t in tqdm(todo, desc="pseudonymise", unit="transcript", disable=not progress or not todo, file=sys.stderr):
        res = Result(t.id, False)
        # first find everything, turn by turn, with a scratch copy of the key (names found in one turn are
        # looked for in the next, as they will be in the key); then give the full names of this transcript
        # their pseudonyms before anything else, so that a first name alone ("Sanne") goes to the person
        # with that name in this transcript rather than to another person the key saw first
        scratch = copy.deepcopy(pkey)
        scratch.path = None
        found: list[list] = []
        for i, turn in enumerate(t.turns):
            spans = ps.find_personal_data(turn.text, lists, scratch.known_names())
            spans += _answered_ages(t.turns[i - 1].text if i else "", turn.text, lists)
            spans = ps.merge_spans(turn.text, spans)
            ps.apply(turn.text, spans, scratch, t.id)
            _pseudonymise_speaker(turn.speaker, scratch, lists, t.id)
            found.append(spans)
        for turn, spans in zip(t.turns, found, strict=True):
            for name in [s.text for s in spans if s.label == "persoon"] + [_speaker_name(turn.speaker)]:
                if name and " " in ps.name_parts(name)[0]:
                    pkey.person(name, t.id)
        turns: list[tuple[str, str, str | None]] = []
        for turn, spans in zip(t.turns, found, strict=True):
            res.counts.update(s.label for s in spans)
            text = ps.apply(turn.text, spans, pkey, t.id)
            turns.append((_pseudonymise_speaker(turn.speaker, pkey, lists, t.id), text, turn.time))
        res.speakers = {name for turn in t.turns if (name := _speaker_name(turn.speaker))}
        meta = dict(t.meta)
        interviewer = meta.get("interviewer")
        if (
            interviewer
            and not _GENERIC_INTERVIEWER.match(str(interviewer))
            and not ps.PLACEHOLDER_RE.fullmatch(str(interviewer))
        ):
            meta["interviewer"] = pkey.person(str(interviewer), t.id)
        meta["pseudonymised"] = True
        pkey.save()  # the key first: a transcript is never pseudonymised with a key that was not saved
        text = transcripts_mod.render(meta, turns, exact=True)  # the text as it was, names replaced
        meta["checked"] = transcripts_mod.body_hash(transcripts_mod.split_front_matter(text, t.path)[1])
        transcripts_mod.save(t.path, meta, turns, exact=True)
        results.append(res)
    return sorted(results, key=lambda r: r.id)


_AGE_QUESTION = re.compile(r"(?i)\b(?:oud|leeftijd|age|old)\b[^?]*\?\s*$")


def _answered_ages(question: str, answer: str, lists) -> list:  # noqa: ANN001
    """An age given on its own in answer to a question about age in the turn before ("Naam en leeftijd?" --
    "Priya Ramdin. 38."): found with the question as context."""
    from dialoog.privacy import detect as ps

    if not _AGE_QUESTION.search(question):
        return []
    offset = len(question) + 1
    spans = ps.find_personal_data(question + "\n" + answer, lists)
    return [
        ps.Span(s.start - offset, s.end - offset, s.label, s.text)
        for s in spans
        if s.label == "leeftijd" and s.start >= offset
    ]


def _speaker_name(speaker: str) -> str | None:
    """The person's name in a speaker label ('Marloes (COC)' -> 'Marloes'); None for generic labels."""
    from dialoog.ingest.text import canonical_speaker
    from dialoog.privacy import detect as ps

    if canonical_speaker(speaker) is not None or re.match(r"^(Interviewer|Respondent|Spreker)( \d+)?$", speaker):
        return None
    if ps.PLACEHOLDER_RE.search(speaker):
        return None
    m = re.match(r"^(?P<name>[^()]+?)\s*(?P<org>\([^()]*\))?$", speaker)
    name = m.group("name") if m else speaker
    return None if _is_role_label(name) else name


_ROLE_LABEL = re.compile(
    r"(?i)^(?:deelnemer|deelneemster|gespreksleider|onderzoeker|interviewster|wijkagent|vrijwilliger|jongere|"
    r"bewoner|bewoonster|ouder|moeder|vader|boer|boerin|professional|agent|docent|leerkracht|participant|"
    r"medewerker|ambtenaar|beleidsmedewerker|wethouder|huisarts|verpleegkundige|student|leerling|int|resp|q|a|i|r)"
    r"(?:\s*\d+)?$"
)


def _is_role_label(label: str) -> bool:
    """A speaker label that names a role, not a person ("Wijkagent", "Deelnemer 2", "Moeder")."""
    return bool(_ROLE_LABEL.match(label.strip()))


def _pseudonymise_speaker(speaker: str, key, lists, tid: str) -> str:  # noqa: ANN001
    """'Marloes (COC)' -> '[persoon-2] (COC)'; generic labels ('Respondent 2') stay."""
    name = _speaker_name(speaker)
    if not name:  # generic labels, and document blocks without a speaker
        return speaker
    m = re.match(r"^(?P<name>[^()]+?)\s*(?P<org>\([^()]*\))?$", speaker)
    org = f" {m.group('org')}" if m and m.group("org") else ""
    return key.person(name, tid) + org
