"""Is a gemeente ready for a good report? What is still missing, and the command that fixes each.

`check` looks at what a municipal officer would otherwise find out from a thin report: transcripts
without consent or pseudonymisation, too few interviews for counts to be shown, fewer than two coders, no
consensus, codes on which the coders agree too little, no inventory, no goals and actions, no contacts
for the leaflet. `dialoog check GEMEENTE` prints the list; `dialoog report` prints it as a warning first.
Nothing here quotes a transcript: items name files, ids, codes and counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from dialoog.coding.agreement import CONSENSUS, agreement_table, decisions
from dialoog.study import reportfiles
from dialoog.study.folder import Study
from dialoog.study.gemeenten import Gemeente

#: kappa below this is "not acceptable" (Krippendorff's 0.67, as the methode chapter says)
KAPPA_THRESHOLD = 0.67


@dataclass(frozen=True)
class Item:
    """One thing missing for a good report: what, why it matters, and how to fix it."""

    what: str
    fix: str
    blocking: bool = False  # the report cannot be rendered until this is fixed

    def __str__(self) -> str:
        return f"{'error' if self.blocking else 'missing'}: {self.what}\n    fix: {self.fix}"


def check(
    study: Study, gemeente: Gemeente, study_arg: Path | str | None = None, *, agreement: bool = True
) -> list[Item]:
    """Everything still missing for a good report of `gemeente`, most important first. `study_arg` is the
    study folder as the user wrote it (for the commands in the fixes). Without `agreement` the agreement per
    code is not computed (the quick check that `dialoog report` prints before every run)."""
    study_dir = _arg(study_arg if study_arg is not None else study.root)
    slug = gemeente.slug
    mine = {tid: t for tid, t in study.transcripts.items() if t.path.parent.name == slug}
    items: list[Item] = []
    no_consent = sorted(tid for tid, t in mine.items() if not t.meta.get("consent"))
    if no_consent:
        items.append(
            Item(
                f"{len(no_consent)} transcript(s) without recorded consent: {', '.join(no_consent)}",
                "set 'consent: true' in their front matter once consent is given; until then they are left out",
            )
        )
    raw = sorted(tid for tid, t in mine.items() if not t.meta.get("pseudonymised"))
    if raw:
        items.append(
            Item(
                f"{len(raw)} transcript(s) not pseudonymised: {', '.join(raw)}",
                f"dialoog pseudonymise --study {study_dir}",
                blocking=True,
            )
        )
    included = [t for t in mine.values() if t.meta.get("consent") and t.meta.get("pseudonymised")]
    threshold = study.settings.small_cell_threshold
    if len(included) < threshold:
        items.append(
            Item(
                f"only {len(included)} interview(s) can be reported (fewer than {threshold}): counts will show as "
                f"'< {threshold}' and quotes lose their role",
                f"import more interviews (dialoog import FILE --gemeente {slug} --study {study_dir}), and write the "
                f"team's key findings under 'kernbevindingen:' in rapport/{slug}/{reportfiles.GOALS_FILE}",
            )
        )
    items += _coding_items(study, included, study_dir, slug, agreement)
    items += _file_items(study, gemeente, study_dir)
    return items


def _has_consensus(study: Study, ids: set[str], codings: list) -> bool:
    """Whether the team's consensus codes any of `ids`: in ``consensus/consensus.csv`` (where `dialoog merge`
    and the coder write it) or as coder 'consensus' among the codings."""
    from dialoog.coding.consensus import consensus_path
    from dialoog.errors import DialoogError
    from dialoog.study import codings as codings_mod

    if any(c.coder == CONSENSUS for c in codings):
        return True
    path = consensus_path(study)
    if not path.is_file():
        return False
    try:
        return any(r.transcript in ids for r in codings_mod.read(path))
    except DialoogError:
        return True  # there is one; `validate` and the report name what is wrong with it


def _coding_items(study: Study, included: list, study_dir: str, slug: str, agreement: bool = True) -> list[Item]:
    ids = {t.id for t in included}
    codings = [c for c in study.codings if c.transcript in ids]
    coders = sorted({c.coder for c in codings if c.coder != CONSENSUS})
    uncoded = sorted(ids - {c.transcript for c in codings})
    items = []
    if uncoded:
        items.append(
            Item(
                f"{len(uncoded)} transcript(s) not coded yet: {', '.join(uncoded)}", f"dialoog code --study {study_dir}"
            )
        )
    if len(coders) < 2:
        items.append(
            Item(
                f"coded by {len(coders)} coder(s); agreement between coders needs two or more",
                f"let a second coder code the same transcripts: dialoog code --study {study_dir}",
            )
        )
        return items
    if not _has_consensus(study, ids, codings):
        items.append(
            Item(
                "no consensus coding: the report counts every coder's codings together",
                f"dialoog agreement --gemeente {slug} --disagreements disagreements.csv --study {study_dir}, decide "
                f"them as a team, then dialoog merge disagreements.csv --gemeente {slug} --study {study_dir}",
            )
        )
    if not agreement:
        return items
    transcripts = {t.id: t for t in included}
    d = decisions(transcripts, [c for c in codings if c.coder != CONSENSUS], study.codebook, coders, "turn")
    if not d.table.empty:
        table = agreement_table(d, study.codebook)
        low = [
            f"{row.label} ({row.kappa:.2f})"
            for row in table.iloc[:-1].itertuples()
            if not (isinstance(row.kappa, float) and math.isnan(row.kappa)) and row.kappa < KAPPA_THRESHOLD
        ]
        if low:
            items.append(
                Item(
                    f"coders agree too little (kappa < {KAPPA_THRESHOLD:.2f}) on: {', '.join(low)}",
                    f"discuss these codes' definitions, then dialoog agreement --gemeente {slug} --disagreements "
                    f"disagreements.csv --study {study_dir}",
                )
            )
    return items


def _file_items(study: Study, gemeente: Gemeente, study_dir: str) -> list[Item]:
    slug = gemeente.slug
    items = []
    if not (study.root / "inventaris" / slug).is_dir():
        items.append(
            Item(
                "no inventory of initiatives, needs and network (chapters 8 and 9 will be nearly empty)",
                f"dialoog inventory --init --gemeente {slug} --study {study_dir}",
            )
        )
    files = reportfiles.load(study.root, slug)
    if files.goals is None or not files.goals.goals:
        items.append(
            Item(
                "no goals and actions of the gemeente (chapter 11 and the leaflet's back page stay empty)",
                f"write them in rapport/{slug}/{reportfiles.GOALS_FILE} (see rapport/schiedam/ in the demo study)",
            )
        )
    if not files.contacts:
        items.append(
            Item(
                "no contacts for the leaflet",
                f"list them in rapport/{reportfiles.CONTACTS_FILE} (national) or rapport/{slug}/"
                f"{reportfiles.CONTACTS_FILE} (local)",
            )
        )
    return items


def _arg(path: Path) -> str:
    text = str(path)
    return f"'{text}'" if any(c.isspace() for c in text) else text
