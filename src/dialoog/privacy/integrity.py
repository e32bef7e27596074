"""A pseudonymised flag that can be trusted.

`dialoog pseudonymise` records in each transcript it writes the hash of the body it produced (front-matter
key ``checked``). A transcript whose body no longer matches (edited by hand), or that says
``pseudonymised: true`` without a hash (marked by hand or imported as pseudonymised), is checked again by
`recheck`: the detector runs over it, and only when it finds nothing is a fresh hash recorded. `dialoog
validate` and `dialoog report` call it first; the report itself refuses a transcript whose hash does not
match (`dialoog.study.analysis.check_pseudonymised`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text
from dialoog.study import transcripts as transcripts_mod
from dialoog.study.folder import Study
from dialoog.study.transcripts import Transcript, body_hash, edited_after_check
from dialoog.study.yamlload import load_yaml

#: what a researcher reviewed and marked 'keep' (written by `dialoog.privacy.review.apply_review`)
KEPT_FILE = Path("private") / "review-kept.yaml"


def kept_items(study: Study) -> set[tuple[str, str]]:
    path = study.root / KEPT_FILE
    if not path.is_file():
        return set()
    data = load_yaml(path.read_text(encoding="utf-8"), path) or {}
    return {(str(i.get("transcript")), str(i.get("text"))) for i in data.get("kept", []) if isinstance(i, dict)}


@dataclass
class Recheck:
    """What `recheck` did: transcripts found clean (hash recorded) and problems (never quoting text)."""

    clean: list[str] = field(default_factory=list)
    problems: list[DialoogError] = field(default_factory=list)


def write_meta(t: Transcript, meta: dict) -> None:
    """Rewrite only the front matter of `t`; the body stays byte for byte (so coding offsets stay valid)."""
    ordered = {k: meta.get(k) for k in transcripts_mod.META_KEYS if k in meta or k in transcripts_mod.REQUIRED_KEYS}
    front = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, default_flow_style=False)
    atomic_write_text(t.path, transcripts_mod.FENCE + front + transcripts_mod.FENCE + t.body)


def record_check(t: Transcript) -> None:
    """Record the hash of `t`'s current body as checked."""
    write_meta(t, {**t.meta, "checked": body_hash(t.body)})


def _body_first_line(t: Transcript) -> int:
    text = t.path.read_text(encoding="utf-8")
    return transcripts_mod.split_front_matter(text, t.path)[2]


def recheck(study: Study, gemeente_slug: str | None = None, *, record: bool = True) -> Recheck:
    """Run the detector on every pseudonymised transcript that changed since its last check (or was never
    checked); record a fresh hash for those where it finds nothing, and return a problem (file, line of the
    first finding, labels and counts, never the text) for the others."""
    todo = [
        t
        for t in study.transcripts.values()
        if edited_after_check(t) and (gemeente_slug is None or t.path.parent.name == gemeente_slug)
    ]
    out = Recheck()
    if not todo:
        return out
    from dialoog.privacy import detect as ps
    from dialoog.privacy.key import PseudonymKey
    from dialoog.privacy.pseudonymise import KEY_FILE

    lists = ps.lists_for_study(study)
    key_file = study.root / KEY_FILE
    known = PseudonymKey.load(key_file).known_names() if key_file.is_file() else set()
    kept = kept_items(study)  # what a researcher reviewed and marked 'keep' stays readable
    for t in sorted(todo, key=lambda t: t.id):
        found = [
            (turn, s)
            for turn in t.turns
            for s in ps.find_personal_data(turn.text, lists, known)
            if (t.id, s.text) not in kept
        ]
        if not found:
            if record:
                record_check(t)
            out.clean.append(t.id)
            continue
        turn = found[0][0]
        line = _body_first_line(t) + t.body[: turn.start].count("\n")
        labels = Counter(s.label for _, s in found)
        what = ", ".join(f"{label} {n}" for label, n in sorted(labels.items()))
        out.problems.append(
            DialoogError(
                f"marked pseudonymised but changed since it was pseudonymised, and the detector finds "
                f"possible personal data in it ({what})",
                path=t.path,
                line=line,
                key="pseudonymised",
                hint=f"run 'dialoog pseudonymise --review {t.id}', mark the items in the review file and run "
                "'dialoog pseudonymise --apply-review'",
            )
        )
    return out


def check_before_use(study: Study, gemeente_slug: str | None = None) -> list[str]:
    """`recheck` for `validate` and `report`: raise the problems; return the ids that were found clean."""
    from dialoog.errors import ValidationError

    result = recheck(study, gemeente_slug)
    if len(result.problems) == 1:
        raise result.problems[0]
    if result.problems:
        raise ValidationError(result.problems)
    return result.clean
