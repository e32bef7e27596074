"""The agreement part of the coding notebook: a table when there is something to compare, else one Dutch
sentence that says what is missing (so "Run all" on a fresh study ends without a traceback)."""

from __future__ import annotations

from pathlib import Path

from dialoog.coding import agreement
from dialoog.errors import DialoogError
from dialoog.study.folder import Study, open_study


class Note(str):
    """A Dutch sentence shown as Markdown in a notebook."""

    def _repr_markdown_(self) -> str:
        return f"*{self}*"


def _decisions(study: Study | Path | str, gemeente: str | None, unit: str):
    st = study if isinstance(study, Study) else open_study(study, strict=False)
    coders = agreement.coders_of(st.codings)
    if len(coders) < 2:
        return (
            st,
            None,
            Note(
                "Er is nog niets te vergelijken: overeenstemming vraagt om gesprekken die door twee of meer codeurs "
                f"zijn gecodeerd (nu {len(coders)} codeur{'' if len(coders) == 1 else 's'} met coderingen)."
            ),
        )
    try:
        d, transcripts = agreement.study_decisions(st, gemeente=gemeente or None, unit=unit)
    except DialoogError as exc:
        from dialoog.coding.view import dutch_message

        return st, None, Note(dutch_message(exc))
    if d.table.empty:
        return st, None, Note("Nog geen gesprek is door twee of meer codeurs gecodeerd; er is niets te vergelijken.")
    return st, (d, transcripts), None


def agreement_overview(study: Study | Path | str = "..", gemeente: str | None = None, unit: str = "turn"):
    """Per code and overall: percent agreement, Cohen's kappa and Krippendorff's alpha; or a Dutch note."""
    st, found, note = _decisions(study, gemeente, unit)
    if found is None:
        return note
    return agreement.agreement_table(found[0], st.codebook)


def disagreements_overview(study: Study | Path | str = "..", gemeente: str | None = None, unit: str = "turn"):
    """Every unit and code where the coders differ; or a Dutch note."""
    st, found, note = _decisions(study, gemeente, unit)
    if found is None:
        return note
    d, transcripts = found
    table = agreement.disagreements(d, transcripts, st.codebook)
    return table if not table.empty else Note("De codeurs verschillen nergens.")
