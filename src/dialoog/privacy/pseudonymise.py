"""Privacy at study level: pseudonymise transcripts, review them, withdraw an interview, suppress small cells.

The detection itself is in `dialoog.privacy.detect`; this module applies it to a `Study`.
"""

from __future__ import annotations

import copy
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dialoog.errors import DialoogError
from dialoog.study import codings as codings_mod
from dialoog.study import transcripts as transcripts_mod
from dialoog.study.folder import Study

#: Default key file, relative to the study (git-ignored; outside reports/).
KEY_FILE = Path("private") / "pseudonyms.key.yaml"
_GENERIC_INTERVIEWER = re.compile(r"^(?:Onderzoeker|Interviewer|Interviewster)(?: \d+)?$")


def key_path(study: Study, path: Path | None = None) -> Path:
    """The key file: `path` if given, else where the study recorded it (``private/locations.yaml``, written
    when a key is made with ``--key``), else ``<study>/private/pseudonyms.key.yaml``; never inside reports/."""
    from dialoog.study.ledger import recorded_key

    p = Path(path).resolve() if path else recorded_key(study.root) or study.root / KEY_FILE
    if p.is_relative_to(study.reports_dir):
        raise DialoogError(
            "the pseudonymisation key must not be inside the reports folder",
            path=p,
            hint=f"use the default {study.root / KEY_FILE} or a folder outside the study",
        )
    return p


@dataclass
class Result:
    id: str
    skipped: bool
    counts: Counter[str] = field(default_factory=Counter)


def _has_codings(study: Study, tid: str) -> list[Path]:
    found = []
    for path in study.coder_files():
        if any(c.transcript == tid for c in codings_mod.read(path)):
            found.append(path)
    return found


def pseudonymise_study(
    study: Study, key: Path | None = None, ids: list[str] | None = None, progress: bool = False
) -> list[Result]:
    """Pseudonymise every transcript of the study not yet marked pseudonymised (in place), reusing the key.

    Each transcript and the key are written atomically (a full disk is a DialoogError, nothing half
    written); with `progress`, a progress bar on stderr."""
    from dialoog.privacy import detect as ps

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
    pkey = ps.PseudonymKey.load(key_path(study, key))
    if key is not None:
        from dialoog.study.ledger import record_key

        record_key(study.root, key_path(study, key))  # so that 'dialoog withdraw' finds it without --key
    lists = ps.load_study_lists(study.root)
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
        for turn in t.turns:
            spans = ps.find_personal_data(turn.text, lists, scratch.known_names())
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
        transcripts_mod.save(t.path, meta, turns, exact=True)  # the text as it was, names replaced
        results.append(res)
    return sorted(results, key=lambda r: r.id)


def _speaker_name(speaker: str) -> str | None:
    """The person's name in a speaker label ('Marloes (COC)' -> 'Marloes'); None for generic labels."""
    from dialoog.ingest.text import canonical_speaker
    from dialoog.privacy import detect as ps

    if canonical_speaker(speaker) is not None or re.match(r"^(Interviewer|Respondent|Spreker)( \d+)?$", speaker):
        return None
    if ps.PLACEHOLDER_RE.search(speaker):
        return None
    m = re.match(r"^(?P<name>[^()]+?)\s*(?P<org>\([^()]*\))?$", speaker)
    return m.group("name") if m else speaker


def _pseudonymise_speaker(speaker: str, key, lists, tid: str) -> str:  # noqa: ANN001
    """'Marloes (COC)' -> '[persoon-2] (COC)'; generic labels ('Respondent 2') stay."""
    name = _speaker_name(speaker)
    if not name:  # generic labels, and document blocks without a speaker
        return speaker
    m = re.match(r"^(?P<name>[^()]+?)\s*(?P<org>\([^()]*\))?$", speaker)
    org = f" {m.group('org')}" if m and m.group("org") else ""
    return key.person(name, tid) + org


def review_study(study: Study, ids: list[str] | None = None) -> list[tuple[str, list]]:
    """Per transcript, (turn index, Suspicion) for what still looks identifying."""
    from dialoog.privacy import detect as ps

    lists = ps.load_study_lists(study.root)
    out = []
    for tid, t in sorted(study.transcripts.items()):
        if ids and tid not in ids:
            continue
        items = [(turn.index, s) for turn in t.turns for s in ps.review(turn.text, lists)]
        out.append((tid, items))
    return out
