"""Code suggestions per turn, ranked: from the codebook and from a model learned from the codings.

Stable API (used by the coding notebook)::

    from dialoog.assist.suggest import Suggestion, load_suggestions, accept, reject, top_suggestions

    for s in load_suggestions(study, "schiedam-01", coder="anouk"):   # by offset, best first per fragment
        print(s.turn, s.rank, s.code, s.probability, s.reason)         # s.text == transcript.body[s.start:s.end]
    per_turn = top_suggestions(study, "schiedam-01", coder="anouk", n=3)  # {turn index: [best, 2nd, 3rd]}
    coding = accept(study, s, "anouk")   # appends a Coding to codings/anouk.csv, returns it
    reject(study, s, "anouk")            # remembered in suggestions/rejected/anouk.csv; not shown again

A `Suggestion` has `transcript`, `start`, `end`, `text` (the **fragment**: the whole turn, or the run of
its sentences that carried the decision), `code`, `score` (= `probability`, calibrated), `source`
('codebook' or 'model'), `reason` (the phrases that carried it, never function words), `turn`, `rank`
(1 = the turn's most probable code) and `learned_from` (how many codings the code's model learned from;
0 when it came from the codebook alone).

`study` is a `dialoog.study.folder.Study` or the path of a study folder. Suggestions are written by
`dialoog suggest` (or `run_suggest`) to ``suggestions/<transcript>.csv`` (see `dialoog.assist.store`),
apart from the codings; a suggestion becomes a coding only through `accept`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy

from dialoog.assist.keywords import KeywordMatcher, analyse, keyword_suggestions
from dialoog.assist.model import FLOOR, MIN_CODINGS, SuggestionModel
from dialoog.assist.pipeline import paused_gc, pipeline_for
from dialoog.assist.pool import (  # noqa: F401 - part of this module's API
    OUTSIDE_HALF,
    Analysed,
    analyse_corpus,
    analyse_study,
    analyse_transcripts,
    coding_counts,
    hits_within,
    material,
    unit_labels,
)
from dialoog.assist.reasons import fragment_of, sentence_hits, suggestions
from dialoog.assist.reference import Corpus, outside
from dialoog.assist.store import (
    REJECTED_COLUMNS,
    SOURCES,
    SUGGESTION_COLUMNS,
    Suggestion,
    _coded_spans,
    _overlaps_any,
    _row_key,
    _study,
    _write_csv,
    read_rejected,
    read_suggestions,
    rejected_path,
    suggestions_dir,
    suggestions_path,
    write_suggestions,
)
from dialoog.errors import DialoogError
from dialoog.fileio import locked
from dialoog.study import codings as codings_mod
from dialoog.study.codings import Coding
from dialoog.study.folder import Study

__all__ = [
    "REJECTED_COLUMNS",
    "SOURCES",
    "SUGGESTION_COLUMNS",
    "KeywordMatcher",
    "Suggestion",
    "accept",
    "analyse",
    "fragment_of",
    "keyword_suggestions",
    "load_suggestions",
    "reject",
    "rejected_path",
    "read_suggestions",
    "run_suggest",
    "suggestions_dir",
    "suggestions_path",
    "top_suggestions",
    "write_suggestions",
]


# -- the API -----------------------------------------------------------------------------------


def load_suggestions(
    study: Study | Path | str, transcript_id: str, coder: str | None = None, *, min_score: float = 0.0
) -> list[Suggestion]:
    """The stored suggestions of one transcript, sorted by offset and then by score (best first).

    With `coder`, suggestions that coder has already coded (same code on an overlapping span) or
    rejected are left out. A transcript without suggestions gives an empty list.
    """
    st = _study(study)
    path = suggestions_path(st, transcript_id)
    if not path.is_file():
        return []
    out = [s for s in read_suggestions(path) if s.score >= min_score]
    transcript = st.transcripts.get(transcript_id)
    if transcript is not None:
        stale = [s for s in out if transcript.body[s.start : s.end] != s.text]
        if stale:
            raise DialoogError(
                f"{len(stale)} suggestion(s) no longer match transcript '{transcript_id}'",
                path=path,
                hint="the transcript was edited after 'dialoog suggest'; run 'dialoog suggest' again",
            )
    if coder is not None:
        done = _coded_spans(st, coder, transcript_id)
        rejected = {r[:4] for r in read_rejected(rejected_path(st, coder))}
        out = [s for s in out if s.key() not in rejected and not _overlaps_any(s, done.get(s.code, []))]
    return sorted(out, key=Suggestion.sort_key)


def top_suggestions(
    study: Study | Path | str, transcript_id: str, coder: str | None = None, n: int = 3
) -> dict[int, list[Suggestion]]:
    """The `n` most probable suggestions of each turn of a transcript ({turn index: best first}), as
    `load_suggestions` gives them (with `coder`: not yet coded or rejected by that coder)."""
    st = _study(study)
    transcript = st.transcripts.get(transcript_id)
    per_turn: dict[int, list[Suggestion]] = {}
    for s in load_suggestions(st, transcript_id, coder):
        turn = s.turn
        if turn < 0 and transcript is not None:  # older files: find the turn by offset
            turn = next((t.index for t in transcript.turns if t.start <= s.start < t.end), -1)
        per_turn.setdefault(turn, []).append(s)
    return {t: sorted(v, key=lambda s: (-s.score, s.code))[:n] for t, v in sorted(per_turn.items())}


def accept(study: Study | Path | str, suggestion: Suggestion, coder: str, memo: str = "") -> Coding:
    """Turn a suggestion into a coding of `coder` (appended to ``codings/<coder>.csv``); returns it.

    Accepting a suggestion the coder already has (same span and code) returns the existing coding.
    """
    st = _study(study)
    coder = codings_mod.coder_name(coder)
    transcript = st.transcripts.get(suggestion.transcript)
    if transcript is None:
        raise DialoogError(f"unknown transcript '{suggestion.transcript}'", path=st.interviews_dir)
    if suggestion.code not in st.codebook:
        raise DialoogError(
            f"unknown code '{suggestion.code}'", path=st.codebook_path, hint="run 'dialoog suggest' again"
        )
    if transcript.body[suggestion.start : suggestion.end] != suggestion.text:
        raise DialoogError(
            f"the suggestion no longer matches transcript '{suggestion.transcript}'",
            path=transcript.path,
            hint="the transcript was edited after 'dialoog suggest'; run 'dialoog suggest' again",
        )
    from dialoog.study.codings import update_codings  # locked re-read-then-write: no lost updates

    key = (suggestion.transcript, suggestion.start, suggestion.end, suggestion.code)
    new = codings_mod.make(transcript, suggestion.start, suggestion.end, suggestion.code, coder, memo)

    def add(rows: list[Coding]) -> list[Coding]:
        return rows if any(c.sort_key() == key for c in rows) else [*rows, new]

    rows = update_codings(st.codings_path(coder), add)
    st.__dict__.pop("codings", None)  # the cached codings are stale now
    return next(c for c in rows if c.sort_key() == key)


def reject(study: Study | Path | str, suggestion: Suggestion, coder: str) -> None:
    """Remember that `coder` rejected this suggestion (``suggestions/rejected/<coder>.csv``)."""
    st = _study(study)
    coder = codings_mod.coder_name(coder)
    path = rejected_path(st, coder)
    with locked([path]):  # the same lock as every write to a shared study file: no rejection is lost
        rows = read_rejected(path)
        if any(r[:4] == suggestion.key() for r in rows):
            return
        rows.append((*suggestion.key(), coder, codings_mod.now()))
        rows_out = sorted([[r[0], str(r[1]), str(r[2]), *r[3:]] for r in rows], key=_row_key)
        _write_csv(path, REJECTED_COLUMNS, rows_out)


# -- analysing a study -------------------------------------------------------------------------


def train(
    study: Study,
    analysed: Analysed,
    codings: Sequence[Coding],
    transcript_ids: Iterable[str] | None = None,
    corpus: Corpus | None = None,
    corpus_analysed: Analysed | None = None,
    half: float = OUTSIDE_HALF,
    **options,
) -> SuggestionModel:
    """A model fitted on the units of the coded transcripts (all, or `transcript_ids`) with `codings`, and on
    the outside `corpus` (analysed as `corpus_analysed`; see `dialoog.assist.pool.material` for the weights).
    The model's `own` and `outside` say how many codings per code came from the study and from outside."""
    ids = list(analysed.units) if transcript_ids is None else list(transcript_ids)
    model = SuggestionModel(study.codebook, pipeline_for(study), **options)
    m = material(analysed, ids, codings, model.codes, corpus, corpus_analysed, half)
    model.fit(m.units, m.labels, m.counts(), groups=m.groups, hits=m.hits, weights=m.weights)
    model.own, model.outside = m.own, m.outside
    return model


def outside_of(study: Study, reference: Corpus | None = None) -> tuple[Corpus, Analysed]:
    """What `study` learns from besides its own codings (`dialoog.assist.reference.outside`), analysed
    (from the cache when it can)."""
    corpus = outside(study, reference)
    nlp = pipeline_for(study)
    if not corpus.transcripts:
        return corpus, Analysed()
    return corpus, analyse_corpus(nlp, None, study.codebook, corpus)


def model_for(study: Study) -> tuple[SuggestionModel, Analysed, Corpus]:
    """The model `dialoog suggest` uses (trained by `train` on the study's codings and the outside material,
    or read from the model cache, `dialoog.assist.modelcache`, when nothing it depends on changed), the
    study's analysed transcripts and the outside corpus."""
    model, study_analysis, corpus = _model_and_analysis(study)
    return model, study_analysis.analysed, corpus


def _model_and_analysis(study: Study):
    """`model_for`, with the `dialoog.assist.analysiscache.StudyAnalysis` (what came from the cache)."""
    from dialoog.assist import analysiscache, modelcache

    modelcache.load_lemmas(study)
    nlp = pipeline_for(study)
    kept = analysiscache.study_analysis(study, nlp)  # also gives `nlp` the lemmas of the codebook's texts
    analysed = kept.analysed
    corpus = outside(study)
    key = modelcache.model_key(study, nlp, corpus)
    path = modelcache.model_path(study, key)
    model = modelcache.load_model(path, key, SuggestionModel(study.codebook, nlp))
    if model is None:
        corpus_analysed = analyse_corpus(nlp, None, study.codebook, corpus) if corpus.transcripts else Analysed()
        model = train(study, analysed, study.codings, corpus=corpus, corpus_analysed=corpus_analysed)
        modelcache.save_model(path, key, model)
    return model, kept, corpus


def suggest_for(
    model: SuggestionModel, analysed: Analysed, tids: str | Sequence[str], floor: float = FLOOR
) -> list[Suggestion]:
    """Ranked suggestions for the units of transcript(s) `tids`, with fragments and reasons (all units
    ranked at once: one pass of the model; the sentences only of the units that get a suggestion, to find
    its fragment)."""
    with paused_gc():
        return _suggest_for(model, analysed, [tids] if isinstance(tids, str) else list(tids), floor)


def _suggest_for(model: SuggestionModel, analysed: Analysed, tids: list[str], floor: float) -> list[Suggestion]:
    units = [u for tid in tids for u in analysed.units.get(tid, [])]
    if not units:
        return []
    hits = [h for tid in tids for h in hits_within(analysed.units.get(tid, []), analysed.hits[tid])]
    ranked = model.rank(units, hits)
    picked = model.chosen(ranked.p)  # the thresholds adapt to all units ranked here at once
    shown = (ranked.p >= floor) | picked
    rows = numpy.flatnonzero(shown.any(axis=1)).tolist()
    # the sentences of the units shown that have more than one (a one-sentence unit is its own fragment),
    # ranked on their own (each row of a ranking depends on that row alone)
    long = [i for i in rows if len(units[i].sentences) > 1]
    by_sentence = ranked.sentences(long, sentence_hits(units, long, hits))
    ranked.prepare(rows)  # the words behind the ranking of every unit shown, at once
    return suggestions(model, ranked, units, hits, rows, shown, picked, long, by_sentence)


@dataclass
class SuggestRun:
    """What `run_suggest` did: suggestions written per transcript, codings per code (in all; from the study;
    from outside it: the reference corpus and ``learn_from`` studies, named in `sources`), warnings."""

    written: dict[str, int]
    learned_from: dict[str, int]
    warnings: list[str]
    own: dict[str, int] = field(default_factory=dict)
    outside: dict[str, int] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def run_suggest(study: Study, transcript_ids: Iterable[str]) -> SuggestRun:
    """Write ``suggestions/<id>.csv`` for the given transcripts; the model learns from all coders' codings
    of all transcripts and from the outside material (`outside_of`). Codes whose model would learn from
    fewer than `MIN_CODINGS` codings get suggestions from the codebook alone, with a warning."""
    ids = list(transcript_ids)
    model, kept, corpus = _model_and_analysis(study)
    analysed = kept.analysed
    warnings = [
        f"code '{code}' has {n} coding(s), fewer than {MIN_CODINGS}: suggested from the codebook only "
        "(code more fragments to train its model)"
        for code, n in model.counts.items()
        if n < MIN_CODINGS
    ]
    written = {}
    by_transcript: dict[str, list[Suggestion]] = {tid: [] for tid in ids}
    for s in suggest_for(model, analysed, ids):
        by_transcript[s.transcript].append(s)
    for tid, found in by_transcript.items():
        write_suggestions(suggestions_path(study, tid), found)
        written[tid] = sum(s.suggested for s in found)
    from dialoog.assist import modelcache

    modelcache.save_lemmas(study, kept.reused, kept.changed)
    own = {c: model.own.get(c, 0) for c in model.codes}
    out = {c: model.outside.get(c, 0) for c in model.codes}
    return SuggestRun(written, dict(model.counts), warnings, own, out, corpus.sets(), _notes(study, corpus, own))


def _notes(study: Study, corpus: Corpus, own: dict[str, int]) -> list[str]:
    """What the run says about the material from outside the study."""
    mine = [c.id for c in study.codebook.walk()]
    notes = []
    if not study.settings.suggest_reference:
        notes.append("the reference corpus is switched off (suggest_reference: false in dialoog.yaml)")
        if not study.settings.learn_from:
            return notes
    if not corpus.transcripts:
        return [*notes, "nothing learned from outside the study: its codebook shares no code id with the reference"]
    unknown = [c for c in mine if c not in corpus.codes]
    if unknown:
        notes.append(
            f"{len(unknown)} of {len(mine)} code(s) are not in the reference's codebook and learn from the study "
            f"alone: {', '.join(unknown)}"
        )
    few = [c for c in mine if c in corpus.codes and own.get(c, 0) < MIN_CODINGS]
    if few:
        notes.append(
            f"{len(few)} code(s) have fewer than {MIN_CODINGS} codings of the study's own and learn mostly from "
            f"outside it: {', '.join(few)}"
        )
    return notes
