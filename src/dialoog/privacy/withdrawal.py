"""Withdrawal of consent: remove a transcript and everything the study derived from it.

`withdraw` works in an order that survives a kill at any point (run it again to finish):

1. the withdrawal is logged (``withdrawals.yaml``: id, gemeente, times; never content). From then on no
   coder can write codings of the transcript back (`update_codings` drops them);
2. derived files lose their rows of the transcript, each under the same file lock as the coder: the
   coders' codings, every CSV with a ``transcript`` column in the study (consensus, suggestions, rejected
   suggestions, disagreement files) and those recorded outside it; ``suggestions/<id>.csv`` is deleted;
   fragment links in the inventory registers are removed; its persons leave the pseudonymisation key
   (found where `dialoog pseudonymise --key` recorded it);
3. every output that still holds it is listed and marked stale until rendered again or deleted: all
   files of its gemeente's report folder, and any file in the study (exports, notebooks, leftover
   temporary files, PDFs, Word files) that holds one of its sentences;
4. the transcript is deleted and the log entry closed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text, locked, remove_study_cache
from dialoog.privacy import traces
from dialoog.privacy.pseudonymise import key_path
from dialoog.study import codings as codings_mod
from dialoog.study import ledger
from dialoog.study import transcripts as transcripts_mod
from dialoog.study.folder import Study

STALE_NOTE = "STALE.txt"
#: folders whose CSVs are not derived data: transcripts, rendered reports, the user's private files, and
#: the dialoog repository's own folders where the demo study is the repository (their files are still scanned)
_NOT_DERIVED = {"interviews", "reports", "private", "src", "tests", "benchmarks"}


@dataclass
class Withdrawal:
    id: str
    transcript: Path | None  # None when an interrupted withdrawal was finished
    codings_removed: int = 0
    rows_removed: dict[Path, int] = field(default_factory=dict)  # other derived files -> rows removed
    files_removed: list[Path] = field(default_factory=list)
    links_removed: int = 0
    key: Path | None = None  # None when no key file was found
    key_persons_removed: int = 0
    stale: list[traces.Trace] = field(default_factory=list)

    @property
    def stale_reports(self) -> list[Path]:  # the old name of `stale`, kept for callers
        return [t.path for t in self.stale]


def _transcript_files(study: Study, tid: str) -> list[Path]:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,120}", tid):
        raise DialoogError(f"'{tid}' is not a transcript id", key="id", hint="'dialoog list' shows the ids")
    return sorted(study.interviews_dir.glob(f"*/{tid}.md"))


def _body(path: Path) -> str:
    """The text of the transcript's turns (without speaker labels, which begin its first sentences)."""
    try:
        return "\n".join(turn.text for turn in transcripts_mod.load(path).turns)
    except DialoogError:  # a broken transcript is withdrawn all the same; look for all of its text
        text = path.read_text(encoding="utf-8", errors="replace")
        return re.sub(r"(?m)^\s*\**[^:\n]{1,60}:\**\s*", "\n", text)


def _wanted(study: Study, paths: list[Path]) -> set[str]:
    """The sentences of the transcript that no other transcript of the study has."""
    if not paths:
        return set()
    others = [
        traces.normalise(p.read_text(encoding="utf-8", errors="replace"))
        for p in sorted(study.interviews_dir.glob("*/*.md"))
        if p not in paths
    ]
    return traces.sentences("\n".join(_body(p) for p in paths), others)


def withdraw(study: Study, tid: str, key: Path | None = None, progress: bool = False) -> Withdrawal:
    """Remove transcript `tid` and everything derived from it; list and mark what still holds it
    (with `progress`, a progress bar on stderr while the study's files are checked)."""
    study.check_layout()
    paths = _transcript_files(study, tid)
    logged = {e["id"]: e for e in ledger.read_log(study.root)}
    if not paths and tid not in logged:
        raise DialoogError(
            f"no transcript with id '{tid}'", path=study.interviews_dir, hint="'dialoog list' shows the ids"
        )
    gemeente = paths[0].parent.name if paths else str(logged[tid].get("gemeente", ""))
    wanted = _wanted(study, paths)
    _log(study.root, tid, gemeente, started=True)
    w = Withdrawal(tid, paths[0] if paths else None)
    w.codings_removed = _remove_codings(study, tid)
    _remove_rows(study, tid, w)
    w.links_removed = _remove_links(study, tid)
    remove_study_cache(study.root)  # the suggestion model and lemmas hold its words
    w.key, w.key_persons_removed = _remove_from_key(study, tid, key)
    w.stale = stale_outputs(study, tid, gemeente, wanted, skip=paths, progress=progress)
    _mark_stale(study, tid, gemeente, w.stale)
    for p in paths:
        p.unlink()
    _log(study.root, tid, gemeente, started=False)
    return w


# -- 1. the log --------------------------------------------------------------------------------------------


def _log(root: Path, tid: str, gemeente: str, started: bool) -> None:
    def change(entries: list[dict]) -> list[dict]:
        entry = next((e for e in entries if e["id"] == tid), None)
        if entry is None:
            entry = {"id": tid, "gemeente": gemeente}
            entries.append(entry)
        if started:
            entry["started"] = ledger.now()
            entry.pop("withdrawn", None)
        else:
            entry["withdrawn"] = ledger.now()
        return entries

    ledger.update_log(root, change)


# -- 2. derived files ------------------------------------------------------------------------------------


def _remove_codings(study: Study, tid: str) -> int:
    removed = 0
    for path in study.coder_files():
        counted = []

        def drop(rows: list, counted: list = counted) -> list:
            keep = [c for c in rows if c.transcript != tid]
            counted.append(len(rows) - len(keep))
            return keep

        try:
            codings_mod.update_codings(path, drop)
        except DialoogError:
            continue  # a malformed file: its rows go in the pass over every CSV
        removed += counted[-1] if counted else 0
    return removed


def _derived_csvs(study: Study) -> list[Path]:
    out = []
    for p in traces.files_of(study.root):
        rel = p.relative_to(study.root)
        if p.suffix.lower() == ".csv" and rel.parts[0] not in _NOT_DERIVED:
            out.append(p)
    out += [p for p in ledger.recorded_outputs(study.root) if p.suffix.lower() == ".csv" and p.is_file()]
    return sorted(set(out))


def filter_csv(path: Path, tid: str) -> int | None:
    """Remove the rows of transcript `tid` from a CSV with a ``transcript`` column, under its lock.
    Returns the rows removed (-1 when the file went: it held only that transcript), or None when the
    file is not such a CSV or cannot be read as one."""
    with locked([path]):
        try:
            if path.stat().st_size > traces.MAX_BYTES:
                return None
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
        except (OSError, UnicodeDecodeError, csv.Error):
            return None
        header = [h.strip() for h in rows[0]] if rows else []
        if "transcript" not in header:
            return None
        col = header.index("transcript")
        keep = [rows[0]] + [r for r in rows[1:] if not (len(r) > col and r[col] == tid)]
        removed = len(rows) - len(keep)
        if removed and path.stem == tid and len(keep) == 1:
            path.unlink()
            return -1
        if removed:
            buf = io.StringIO(newline="")
            csv.writer(buf, lineterminator="\n").writerows(keep)
            atomic_write_text(path, buf.getvalue())
        return removed


def _remove_rows(study: Study, tid: str, w: Withdrawal) -> None:
    for path in _derived_csvs(study):
        n = filter_csv(path, tid)
        if n == -1:
            w.files_removed.append(path)
        elif n:
            w.rows_removed[path] = n


def _remove_links(study: Study, tid: str) -> int:
    """Remove the fragment links ``<tid>:<start>-<end>`` from the inventory registers (comments kept)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    link = re.compile(rf"^{re.escape(tid)}:\d+-\d+$")

    def prune(node: object) -> int:
        n = 0
        if isinstance(node, list):
            for i in reversed(range(len(node))):
                if isinstance(node[i], str) and link.match(node[i].strip()):
                    del node[i]
                    n += 1
                else:
                    n += prune(node[i])
        elif isinstance(node, dict):
            n += sum(prune(v) for v in node.values())
        return n

    total = 0
    for path in sorted((study.root / "inventaris").glob("*/*.yaml")):
        with locked([path]):
            text = path.read_text(encoding="utf-8")
            if tid not in text:
                continue
            yaml = YAML()
            yaml.preserve_quotes = True
            yaml.width = 4096
            yaml.indent(mapping=2, sequence=4, offset=2)
            try:
                data = yaml.load(text)
            except YAMLError:
                continue  # 'dialoog validate' names the problem; the scan lists the file if it holds text
            n = prune(data)
            if n:
                buf = io.StringIO()
                yaml.dump(data, buf)
                atomic_write_text(path, buf.getvalue())
                total += n
    return total


def _remove_from_key(study: Study, tid: str, key: Path | None) -> tuple[Path | None, int]:
    from dialoog.privacy import detect as ps

    kpath = key_path(study, key)
    if not kpath.is_file():
        return None, 0
    with locked([kpath]):
        k = ps.PseudonymKey.load(kpath)
        n = k.remove_transcript(tid)
        k.save()
    return kpath, n


# -- 3. what still holds it ------------------------------------------------------------------------------


def _own_files(study: Study) -> list[Path]:
    return [study.root / ledger.LOG, study.root / ledger.LOCATIONS]


def stale_outputs(
    study: Study, tid: str, gemeente: str, wanted: set[str], skip: list[Path], progress: bool = False
) -> list[traces.Trace]:
    """Every file that still holds the transcript: all files of its gemeente's report folder (whatever
    their format), and every other file of the study (and recorded output) holding one of its sentences."""
    out: list[traces.Trace] = []
    report_dir = study.reports_dir / gemeente if gemeente else None
    if report_dir is not None and report_dir.is_dir():
        for p in traces.files_of(report_dir):
            if p.name not in {STALE_NOTE, "manifest.json"}:
                out.append(traces.Trace(p, f"a report of {gemeente}, made with the transcript"))
    ignore = [*skip, *_own_files(study)]
    kpath = key_path(study, None)
    ignore.append(kpath)
    candidates = [
        p for p in traces.files_of(study.root, ignore) if report_dir is None or not p.is_relative_to(report_dir)
    ]
    candidates += [p for p in ledger.recorded_outputs(study.root) if p.is_file() and not p.is_relative_to(study.root)]
    from tqdm import tqdm

    for p in tqdm(candidates, desc="checking files", unit="file", disable=not progress, file=sys.stderr):
        if p.name == STALE_NOTE:
            continue
        found = traces.check_file(p, wanted, ids=[tid]) if wanted or p.suffix == ".qdpx" else None
        if found is not None:
            out.append(found)
    return out


def _digest(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def _shown(study: Study, path: Path) -> str:
    return str(path.relative_to(study.root)) if path.is_relative_to(study.root) else str(path)


def _mark_stale(study: Study, tid: str, gemeente: str, stale: list[traces.Trace]) -> None:
    """Record the stale files with their hashes in the log, and a note in each report folder among them."""
    items = [{"path": _shown(study, t.path), "sha256": _digest(t.path), "reason": t.reason} for t in stale]

    def change(entries: list[dict]) -> list[dict]:
        for e in entries:
            if e["id"] == tid:
                known = {s.get("path"): s for s in e.get("stale") or [] if isinstance(s, dict)}
                known.update({s["path"]: s for s in items})
                e["stale"] = list(known.values())
        return entries

    ledger.update_log(study.root, change)
    folders = sorted({t.path.parent for t in stale if t.path.is_relative_to(study.reports_dir)})
    for folder in folders:
        names = "\n".join(f"- {t.path.name}" for t in stale if t.path.parent == folder)
        atomic_write_text(
            folder / STALE_NOTE,
            f"Verouderd: deze bestanden bevatten gegevens van een ingetrokken gesprek ({tid}).\n"
            f"Maak het rapport opnieuw met 'dialoog report {folder.name}' of verwijder de bestanden.\n{names}\n",
        )


# -- for 'dialoog validate' ------------------------------------------------------------------------------


def leftover_problems(study: Study) -> list[DialoogError]:
    """Stale outputs not yet rendered again or deleted, unfinished withdrawals, and derived files (CSVs with
    a transcript column) that refer to transcripts the study no longer has."""
    problems: list[DialoogError] = []
    log_path = study.root / ledger.LOG
    try:
        entries = ledger.read_log(study.root)
    except DialoogError as exc:
        return [exc]
    present = {p.stem for p in study.interviews_dir.glob("*/*.md")}
    for e in entries:
        if e["id"] in present or not e.get("withdrawn"):
            problems.append(
                DialoogError(
                    f"the withdrawal of '{e['id']}' was not finished",
                    path=log_path,
                    key=e["id"],
                    hint=f"run 'dialoog withdraw {e['id']}' again",
                )
            )
        for s in e.get("stale") or []:
            if not isinstance(s, dict) or not isinstance(s.get("path"), str):
                continue
            p = Path(s["path"])
            p = p if p.is_absolute() else study.root / p
            if p.is_file() and _digest(p) == s.get("sha256"):
                problems.append(
                    DialoogError(
                        f"stale: still holds data of withdrawn transcript '{e['id']}'",
                        path=p,
                        hint="render the report again or delete the file",
                    )
                )
    problems += _orphan_rows(study, present)
    return problems


def _orphan_rows(study: Study, present: set[str]) -> list[DialoogError]:
    problems = []
    for path in _derived_csvs(study):
        if path.parent == study.codings_dir:
            continue  # the coders' files are validated with the study
        try:
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
        except (OSError, UnicodeDecodeError, csv.Error):
            continue
        header = [h.strip() for h in rows[0]] if rows else []
        if "transcript" not in header:
            continue
        col = header.index("transcript")
        for line, row in enumerate(rows[1:], start=2):
            if len(row) > col and row[col] and row[col] not in present:
                problems.append(
                    DialoogError(
                        f"refers to transcript '{row[col]}', which the study no longer has",
                        path=path,
                        line=line,
                        key="transcript",
                        hint=f"run 'dialoog withdraw {row[col]}' to remove what is derived from it",
                    )
                )
                break
    return problems
