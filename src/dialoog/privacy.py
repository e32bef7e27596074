"""Privacy at study level: pseudonymise transcripts, review them, withdraw an interview, suppress small cells.

The detection itself is in `dialoog.pseudonymise`; this module applies it to a `Study`.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import codings as codings_mod
from . import transcripts as transcripts_mod
from .errors import DialoogError
from .fileio import atomic_write_text
from .study import Study

#: Default key file, relative to the study (git-ignored; outside reports/).
KEY_FILE = Path("private") / "pseudonyms.key.yaml"
_GENERIC_INTERVIEWER = re.compile(r"^(?:Onderzoeker|Interviewer|Interviewster)(?: \d+)?$")


def key_path(study: Study, path: Path | None = None) -> Path:
    """The key file: `path` if given, else ``<study>/private/pseudonyms.key.yaml``; never inside reports/."""
    p = Path(path).resolve() if path else study.root / KEY_FILE
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


def pseudonymise_study(study: Study, key: Path | None = None, ids: list[str] | None = None) -> list[Result]:
    """Pseudonymise every transcript of the study not yet marked pseudonymised (in place), reusing the key."""
    from . import pseudonymise as ps

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
    lists = ps.load_study_lists(study.root)
    results = [Result(t.id, True) for t in (transcripts[i] for i in wanted) if t.meta.get("pseudonymised")]
    for t in todo:
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
        turns: list[tuple[str, str]] = []
        for turn, spans in zip(t.turns, found, strict=True):
            res.counts.update(s.label for s in spans)
            text = ps.apply(turn.text, spans, pkey, t.id)
            turns.append((_pseudonymise_speaker(turn.speaker, pkey, lists, t.id), text))
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
        transcripts_mod.save(t.path, meta, turns)
        results.append(res)
    return sorted(results, key=lambda r: r.id)


def _speaker_name(speaker: str) -> str | None:
    """The person's name in a speaker label ('Marloes (COC)' -> 'Marloes'); None for generic labels."""
    from . import pseudonymise as ps
    from .importer import canonical_speaker

    if canonical_speaker(speaker) is not None or re.match(r"^(Interviewer|Respondent|Spreker)( \d+)?$", speaker):
        return None
    if ps.PLACEHOLDER_RE.search(speaker):
        return None
    m = re.match(r"^(?P<name>[^()]+?)\s*(?P<org>\([^()]*\))?$", speaker)
    return m.group("name") if m else speaker


def _pseudonymise_speaker(speaker: str, key, lists, tid: str) -> str:  # noqa: ANN001
    """'Marloes (COC)' -> '[persoon-2] (COC)'; generic labels ('Respondent 2') stay."""
    name = _speaker_name(speaker)
    if name is None:
        return speaker
    m = re.match(r"^(?P<name>[^()]+?)\s*(?P<org>\([^()]*\))?$", speaker)
    org = f" {m.group('org')}" if m and m.group("org") else ""
    return key.person(name, tid) + org


def review_study(study: Study, ids: list[str] | None = None) -> list[tuple[str, list]]:
    """Per transcript, (turn index, Suspicion) for what still looks identifying."""
    from . import pseudonymise as ps

    lists = ps.load_study_lists(study.root)
    out = []
    for tid, t in sorted(study.transcripts.items()):
        if ids and tid not in ids:
            continue
        items = [(turn.index, s) for turn in t.turns for s in ps.review(turn.text, lists)]
        out.append((tid, items))
    return out


# -- withdrawal -----------------------------------------------------------------------------------


@dataclass
class Withdrawal:
    transcript: Path
    codings_removed: int
    key_persons_removed: int
    stale_reports: list[Path]


STALE_NOTE = "STALE.txt"


def withdraw(study: Study, tid: str, key: Path | None = None) -> Withdrawal:
    """Remove transcript `tid`, its codings and its key entries; mark the reports of its gemeente stale."""
    from . import pseudonymise as ps

    study.check_layout()
    matches = sorted(study.interviews_dir.glob(f"*/{tid}.md"))
    if not matches:
        raise DialoogError(
            f"no transcript with id '{tid}'", path=study.interviews_dir, hint="'dialoog list' shows the ids"
        )
    path = matches[0]
    removed = 0
    for cpath in study.coder_files():
        rows = codings_mod.read(cpath)
        keep = [c for c in rows if c.transcript != tid]
        if len(keep) != len(rows):
            removed += len(rows) - len(keep)
            codings_mod.write(cpath, keep)
    kpath = key_path(study, key)
    persons_removed = 0
    if kpath.is_file():
        k = ps.PseudonymKey.load(kpath)
        persons_removed = k.remove_transcript(tid)
        k.save()
    stale: list[Path] = []
    report_dir = study.reports_dir / path.parent.name
    if report_dir.is_dir():
        outputs = sorted(p for p in report_dir.iterdir() if p.suffix in (".html", ".ipynb") and p.is_file())
        if outputs:
            names = "\n".join(f"- {p.name}" for p in outputs)
            atomic_write_text(
                report_dir / STALE_NOTE,
                f"Verouderd: deze rapporten bevatten gegevens van een ingetrokken gesprek ({tid}).\n"
                f"Maak ze opnieuw met 'dialoog report {path.parent.name}' en verwijder oude kopieën.\n{names}\n",
            )
            stale = outputs
    path.unlink()
    return Withdrawal(path, removed, persons_removed, stale)


# -- small cells ----------------------------------------------------------------------------------


def small(n: int, threshold: int) -> bool:
    return 0 < n < threshold


def display_count(n: int, threshold: int) -> str:
    """A count for a report: "< 5" when it is below the threshold (zero stays 0)."""
    return f"< {threshold}" if small(int(n), threshold) else str(int(n))


def count_text(n: int, threshold: int) -> str:
    """A count of interviews or people in running Dutch text: "minder dan 5" below the threshold."""
    return f"minder dan {threshold}" if small(int(n), threshold) else str(int(n))


def share_text(k: int, n: int, threshold: int, plural: str = "gesprekken") -> str:
    """'in 12 van de 20 gesprekken' for k of n interviews, without revealing a small count.

    Below the threshold: 'in minder dan 5 gesprekken' (with 'van de N' only when N is larger). When the
    complement (the interviews where it did *not* come up) is small, k is shown as a bound instead:
    'in meer dan 15 van de 20 gesprekken'. Zero and all are exact ('in geen van de ...', 'in alle ...').
    """
    k, n = int(k), int(n)
    if k == 0:
        return f"in geen van de {n} {plural}"
    if small(k, threshold):
        return (
            f"in minder dan {threshold} van de {n} {plural}" if n > threshold else f"in minder dan {threshold} {plural}"
        )
    if k == n:
        return f"in alle {n} {plural}"
    if small(n - k, threshold):
        return f"in meer dan {n - threshold} van de {n} {plural}"
    return f"in {k} van de {n} {plural}"


def share_label(k: int, n: int, threshold: int) -> str:
    """The short form of `share_text` for tables, figure labels and alt text: '< 5', '> 15', '12'."""
    k, n = int(k), int(n)
    if small(k, threshold):
        return f"< {threshold}"
    if k != n and small(n - k, threshold):
        return f"> {n - threshold}"
    return str(k)


def suppress_counts(df: pd.DataFrame, columns: list[str], threshold: int) -> pd.DataFrame:
    """A copy of `df` with counts below `threshold` in `columns` shown as "< threshold".

    When only one cell of a column would be hidden, the next smallest count is hidden as well, so the
    hidden one cannot be worked out from the total.
    """
    out = df.copy()
    for col in columns:
        values = df[col].astype(int)
        hide = values.map(lambda v: small(v, threshold))
        if hide.sum() == 1 and (values[~hide] > 0).any():
            hide[values[~hide & (values > 0)].idxmin()] = True
        out[col] = [f"< {threshold}" if h else str(v) for v, h in zip(values, hide, strict=True)]
    return out


# -- evaluation on annotated transcripts ----------------------------------------------------------


def expected_spans(text: str, entities: dict[str, list[str]]) -> list[tuple[int, int, str]]:
    """Every occurrence (whole words, case-sensitive, longest strings first) of each annotated string."""
    items = sorted(((s, label) for label, strings in entities.items() for s in strings), key=lambda x: -len(x[0]))
    taken: list[tuple[int, int, str]] = []
    for string, label in items:
        for m in re.finditer(rf"(?<![\w@]){re.escape(string)}(?![\w@])", text):
            if not any(a < m.end() and m.start() < b for a, b, _ in taken):
                taken.append((m.start(), m.end(), label))
    return sorted(taken)


def score(found: list, expected: list[tuple[int, int, str]], keep: list[tuple[int, int]]) -> dict[str, Counter]:
    """Counts per label: `tp` (expected spans fully covered by found spans), `fn`, `fp` (found spans that
    overlap no expected span), `found`; and for `keep` spans, `kept` and `lost`."""
    stats: dict[str, Counter] = {}
    for s, e, label in expected:
        covered = sum(max(0, min(e, f.end) - max(s, f.start)) for f in found) >= e - s
        stats.setdefault(label, Counter())["tp" if covered else "fn"] += 1
    for f in found:
        c = stats.setdefault(f.label, Counter())
        c["found"] += 1
        if not any(f.start < e and s < f.end for s, e, _ in expected):
            c["fp"] += 1
    k = stats.setdefault("(behouden)", Counter())
    for s, e in keep:
        k["kept" if not any(f.start < e and s < f.end for f in found) else "lost"] += 1
    return stats
