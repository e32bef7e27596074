"""Tables behind the reports: interviews, codings merged across coders, theme frequencies, quotes.

Only transcripts with consent and pseudonymisation are analysed (`included`); the others are
counted, never read into a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dialoog.study.codebook import Codebook
from dialoog.study.folder import Study
from dialoog.study.gemeenten import Gemeente
from dialoog.study.transcripts import ROLES, Transcript


def is_included(t: Transcript) -> bool:
    return bool(t.meta.get("consent")) and bool(t.meta.get("pseudonymised"))


def check_pseudonymised(study: Study, gemeente: Gemeente) -> None:
    """Refuse a report while a transcript with consent is not pseudonymised (without consent it is left out)."""
    from dialoog.errors import DialoogError

    raw = sorted(
        t.path.name
        for t in study.transcripts.values()
        if t.path.parent.name == gemeente.slug and t.meta.get("consent") and not t.meta.get("pseudonymised")
    )
    if raw:
        raise DialoogError(
            f"{len(raw)} transcript(s) with consent are not pseudonymised: {', '.join(raw)}",
            path=study.interviews_dir / gemeente.slug,
            key="pseudonymised",
            hint=f"run 'dialoog pseudonymise --study {study.root}' and check with '--review'; "
            "or set 'consent: false' to leave a transcript out",
        )
    from dialoog.study.transcripts import body_hash

    edited = sorted(
        t.path.name
        for t in study.transcripts.values()
        if t.path.parent.name == gemeente.slug
        and t.meta.get("consent")
        and t.meta.get("checked") not in (None, body_hash(t.body))
    )
    if edited:
        raise DialoogError(
            f"{len(edited)} pseudonymised transcript(s) were changed after the last check: {', '.join(edited)}",
            path=study.interviews_dir / gemeente.slug,
            key="checked",
            hint=f"run 'dialoog validate --study {study.root}' or 'dialoog report' to check them again",
        )


@dataclass
class GemeenteData:
    """Everything a report of one municipality needs, loaded once."""

    gemeente: Gemeente
    codebook: Codebook
    interviews: pd.DataFrame  # one row per included transcript
    excluded: int  # transcripts left out (no consent or not pseudonymised)
    codings: pd.DataFrame  # one row per coding of an included transcript
    segments: pd.DataFrame  # codings merged across coders
    fictional: bool
    transcripts: dict[str, Transcript]
    study_root: Path | None = None  # for study files beside the data (rapport/, registers)
    #: transcripts whose counts and quotes come from the team's consensus (consensus/consensus.csv)
    consensus: frozenset[str] = frozenset()
    small_cell_threshold: int = 5  # counts below this are shown as "< N" (study setting)
    quote_wijk: bool = False  # may a quote name the wijk besides the role (study setting)
    term: str = "LHBT"  # the study's word for the community (study setting)


def load(study: Study, gemeente: Gemeente) -> GemeenteData:
    check_pseudonymised(study, gemeente)
    all_t = [t for t in study.transcripts.values() if t.path.parent.name == gemeente.slug]
    included = {t.id: t for t in all_t if is_included(t)}
    interviews = pd.DataFrame(
        [
            {
                "id": t.id,
                "wijk": t.wijk or "onbekend",
                "datum": pd.Timestamp(t.meta["datum"]) if t.meta.get("datum") else pd.NaT,
                "respondent": t.role,
                "rol": ROLES[t.role],
                "woorden": t.word_count(),
            }
            for t in included.values()
        ],
        columns=["id", "wijk", "datum", "respondent", "rol", "woorden"],
    )
    role_of = dict(zip(interviews["id"], interviews["rol"], strict=True))
    codings = pd.DataFrame(
        [
            {
                "transcript": c.transcript,
                "start": c.start,
                "end": c.end,
                "text": c.text,
                "code": c.code,
                "label": study.codebook.label(c.code),
                "coder": c.coder,
                "rol": role_of[c.transcript],
            }
            for c in study.codings
            if c.transcript in included
        ],
        columns=["transcript", "start", "end", "text", "code", "label", "coder", "rol"],
    )
    agreed = consensus_codings(study, included, role_of)
    with_consensus = frozenset(agreed["transcript"])
    segments = merge_segments(codings[~codings["transcript"].isin(with_consensus)])
    if with_consensus:
        segments = pd.concat([segments, consensus_segments(agreed, codings)], ignore_index=True)
    return GemeenteData(
        gemeente=gemeente,
        codebook=study.codebook,
        interviews=interviews,
        excluded=len(all_t) - len(included),
        codings=codings,
        segments=segments,
        consensus=with_consensus,
        fictional=bool(all_t) and all(t.meta.get("fictional") for t in all_t),
        transcripts=included,
        study_root=study.root,
        small_cell_threshold=study.settings.small_cell_threshold,
        quote_wijk=study.settings.quote_wijk,
        term=study.settings.term,
    )


CONSENSUS_FILE = Path("consensus") / "consensus.csv"


def consensus_codings(study: Study, included: dict[str, Transcript], role_of: dict[str, str]) -> pd.DataFrame:
    """The team's consensus codings (``consensus/consensus.csv``, written by `dialoog merge` or the coder's
    consensus mode) of the included transcripts; a bad row stops the report with its file and line."""
    from dialoog.errors import ValidationError
    from dialoog.study import codings as codings_mod

    columns = ["transcript", "start", "end", "text", "code", "label", "coder", "rol"]
    path = study.root / CONSENSUS_FILE
    if not path.is_file():
        return pd.DataFrame(columns=columns)
    rows = codings_mod.read(path)
    problems = codings_mod.validate(rows, path, study.transcripts, study.codebook)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationError(problems)
    return pd.DataFrame(
        [
            {
                **{k: getattr(c, k) for k in ("transcript", "start", "end", "text", "code", "coder")},
                "label": study.codebook.label(c.code),
                "rol": role_of[c.transcript],
            }  # fmt: skip
            for c in rows
            if c.transcript in included
        ],
        columns=columns,
    )


def consensus_segments(agreed: pd.DataFrame, codings: pd.DataFrame) -> pd.DataFrame:
    """Segments from the consensus codings: each counts once; `coders` names the coders of its transcript."""
    segs = merge_segments(agreed)
    coders_of = codings.groupby("transcript")["coder"].agg(lambda c: sorted(set(c)))
    segs["coders"] = [", ".join(coders_of.get(t, [])) or "consensus" for t in segs["transcript"]]
    segs["n_coders"] = [max(len(coders_of.get(t, [])), 1) for t in segs["transcript"]]
    return segs


def merge_segments(codings: pd.DataFrame) -> pd.DataFrame:
    """Merge overlapping codings with the same code in the same transcript into one segment.

    Each segment keeps the span of its first coding (the earliest start), the coders who applied it,
    and `n_coders`. Used for frequencies and quotes, so a theme counts once however many coders saw it.
    """
    columns = ["transcript", "code", "label", "start", "end", "text", "rol", "coders", "n_coders"]
    rows: list[dict] = []
    for (transcript, code), group in codings.sort_values(["start", "end"]).groupby(["transcript", "code"], sort=True):
        current: dict | None = None
        for c in group.itertuples():
            if current is not None and c.start < current["_reach"]:
                current["coders"].add(c.coder)
                current["_reach"] = max(current["_reach"], c.end)
                continue
            current = {
                "transcript": transcript,
                "code": code,
                "label": c.label,
                "start": c.start,
                "end": c.end,
                "text": c.text,
                "rol": c.rol,
                "coders": {c.coder},
                "_reach": c.end,
            }
            rows.append(current)
    for r in rows:
        r.pop("_reach")
        r["n_coders"] = len(r["coders"])
        r["coders"] = ", ".join(sorted(r["coders"]))
    return pd.DataFrame(rows, columns=columns)


def with_ancestors(segments: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Segments repeated for every ancestor of their code (column `theme`), for rolled-up counts."""
    rows = []
    for seg in segments.itertuples(index=False):
        for theme in [seg.code, *codebook.ancestors(seg.code)]:
            rows.append({**seg._asdict(), "theme": theme})
    return pd.DataFrame(rows, columns=[*segments.columns, "theme"])


def theme_frequencies(data: GemeenteData, top_level: bool = True) -> pd.DataFrame:
    """Per theme: in how many interviews it occurs (`interviews`) and in how many segments (`fragmenten`).

    With `top_level`, one row per top-level theme, its subcodes counting towards it; otherwise one row
    per code with only its own segments, labelled "Hoofdthema › Subcode". Sorted by segments.
    """
    cb = data.codebook
    if top_level:
        segs = with_ancestors(data.segments, cb)
        codes = [c.id for c in cb.walk() if c.parent is None]
        segs = segs[segs["theme"].isin(codes)]
        labels = [cb.label(c) for c in codes]
    else:
        segs = data.segments.assign(theme=data.segments["code"])
        codes = [c.id for c in cb.walk()]
        labels = [" › ".join(cb.label(a) for a in [*reversed(cb.ancestors(c)), c]) for c in codes]
    freq = pd.DataFrame({"code": codes, "thema": labels})
    counts = segs.groupby("theme").agg(interviews=("transcript", "nunique"), fragmenten=("transcript", "size"))
    freq = freq.join(counts, on="code").fillna({"interviews": 0, "fragmenten": 0})
    freq[["interviews", "fragmenten"]] = freq[["interviews", "fragmenten"]].astype(int)
    freq["aandeel"] = freq["interviews"] / max(len(data.interviews), 1)
    return freq.sort_values(["fragmenten", "interviews", "thema"], ascending=[False, False, True]).reset_index(
        drop=True
    )


#: the column of the roles that have too few interviews to be shown on their own
OTHER_ROLES = "overige rollen"


def role_groups(data: GemeenteData) -> dict[str, str]:
    """Respondent role -> the group it is shown under in a per-role breakdown.

    A role with at least `small_cell_threshold` interviews is its own group; the others are pooled as
    "overige rollen". When that pool is still smaller than the threshold, the smallest roles that were
    large enough join it, until every group reaches the threshold. When no role stays on its own the
    result is empty: the interviews cannot be broken down by role without revealing small groups.
    """
    t = data.small_cell_threshold
    per_role = data.interviews.groupby("rol")["id"].nunique().sort_values(ascending=False, kind="stable")
    own = [r for r, n in per_role.items() if n >= t]
    pooled = [r for r, n in per_role.items() if n < t]
    while pooled and own and per_role[pooled].sum() < t:
        pooled.insert(0, own.pop())  # the smallest role that had its own group
    if not own:
        return {}
    return {**{r: r for r in own}, **{r: OTHER_ROLES for r in pooled}}


def themes_by_role(data: GemeenteData) -> pd.DataFrame:
    """Average number of segments per interview, for each top-level theme (rows) and role group (columns).

    Columns are the groups of `role_groups`, labelled "rol (n = 12)"; every group has at least
    `small_cell_threshold` interviews, so no small group is broken down. No columns when no role has enough.
    """
    cb = data.codebook
    top = [c.id for c in cb.walk() if c.parent is None]
    groups = role_groups(data)
    if not groups:
        return pd.DataFrame(index=[cb.label(c) for c in top], columns=[], dtype=float)
    segs = with_ancestors(data.segments, cb)
    segs = segs[segs["theme"].isin(top)].assign(group=lambda d: d["rol"].map(groups))
    order = list(dict.fromkeys(groups.values()))
    per_group = data.interviews.assign(group=data.interviews["rol"].map(groups)).groupby("group")["id"].nunique()
    per_group = per_group.reindex(order)
    hits = segs.groupby(["theme", "group"]).size().unstack(fill_value=0)
    hits = hits.reindex(index=top, columns=order, fill_value=0)
    mean = hits.div(per_group, axis=1)
    mean.index = [cb.label(c) for c in mean.index]
    mean.columns = [f"{g} (n = {per_group[g]})" for g in order]
    return mean


def quotes(data: GemeenteData, code: str, limit: int = 4, min_chars: int = 40, max_chars: int = 500) -> pd.DataFrame:
    """Quotes for a code (and its subcodes): agreed by most coders first, one per interview first,
    spread over respondent roles. Returns columns text, rol and wijk (shown only when the study allows)."""
    wanted = {code, *data.codebook.descendants(code)}
    segs = data.segments[data.segments["code"].isin(wanted)].copy()
    segs["len"] = segs["text"].str.len()
    segs = segs[(segs["len"] >= min_chars) & (segs["len"] <= max_chars)]
    if segs.empty:
        return pd.DataFrame(columns=["text", "rol", "wijk"])
    segs = segs.sort_values(["n_coders", "len", "transcript", "start"], ascending=[False, False, True, True])
    # round robin: the best segment of each interview first, then the second best, ...
    segs["rank_in_interview"] = segs.groupby("transcript").cumcount()
    segs["rank_in_role"] = segs.groupby(["rank_in_interview", "rol"]).cumcount()
    segs = segs.sort_values(
        ["rank_in_interview", "rank_in_role", "n_coders", "transcript"], ascending=[True, True, False, True]
    )
    segs["wijk"] = segs["transcript"].map(dict(zip(data.interviews["id"], data.interviews["wijk"], strict=True)))
    return segs.head(limit)[["text", "rol", "wijk"]].reset_index(drop=True)
