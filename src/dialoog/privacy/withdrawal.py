"""Withdrawal of consent: remove a transcript and what the study derived from it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text
from dialoog.privacy.pseudonymise import key_path
from dialoog.study import codings as codings_mod
from dialoog.study.folder import Study


@dataclass
class Withdrawal:
    transcript: Path
    codings_removed: int
    key_persons_removed: int
    stale_reports: list[Path]


STALE_NOTE = "STALE.txt"


def withdraw(study: Study, tid: str, key: Path | None = None) -> Withdrawal:
    """Remove transcript `tid`, its codings and its key entries; mark the reports of its gemeente stale."""
    from dialoog.privacy import detect as ps

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
