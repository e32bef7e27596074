"""What a model learns from: a study's analysed transcripts (sentences, units, keyword hits), the labels of
their units, and the pooled material of the study's own codings with those from outside it (the reference
corpus and ``learn_from`` studies, `dialoog.assist.reference`).

**Weighting.** The study's own units count 1. A unit from outside counts, for code j, ``OUTSIDE_HALF /
(OUTSIDE_HALF + n_j)`` where n_j is the number of the study's own codings of j: as much as a unit of the study
while the study has no codings of the code, half once it has OUTSIDE_HALF, less as they grow. Measured
(benchmarks/suggest_quality.py --half): on the learning curves (leave-one-transcript-out within an evaluation
set, 7 to 17 coded transcripts of the study's own) equal weights, 100 and 30 differ by at most 0.04 in turn
macro-F1 (equal weights and 100 best); on the demo study (23 coded transcripts) 100 and 30 do 0.01 better
than equal weights. 100 keeps the study's own codings ahead as they grow at no cost. For a code the outside
material's codebook does not have, its units count 0 (they were not coded with it: no evidence against it).

**Cache.** Analysing the outside material (the pipeline over some 60 transcripts) is the same on every run:
its sentences, units and keyword hits are kept in the user's cache folder (``$DIALOOG_CACHE_DIR`` or the
platform's, ``suggest/corpus-<key>.json``), keyed by a hash of the texts, the codebook's keywords, the
pipeline and the versions of dialoog, spaCy and simplemma; written atomically, rebuilt when the key differs
or the file cannot be read. It holds only the corpus's fictional text (never a study's own transcripts).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy

from dialoog.assist.features import Unit, units_of
from dialoog.assist.keywords import KeywordHit, KeywordMatcher, body_hits
from dialoog.assist.pipeline import paused_gc, pipeline_for, pipeline_name, spacy_version
from dialoog.assist.reference import Corpus
from dialoog.assist.segments import Segment, parse, segments_and_offsets
from dialoog.fileio import atomic_write_text
from dialoog.study.codebook import Codebook
from dialoog.study.codings import Coding
from dialoog.study.folder import Study
from dialoog.study.transcripts import Transcript

#: An outside unit counts OUTSIDE_HALF / (OUTSIDE_HALF + n) for a code of which the study has n codings.
OUTSIDE_HALF = 100.0
CACHE_FORMAT = 1
#: How many cached corpora are kept (the newest).
CACHE_KEEP = 6


@dataclass
class Analysed:
    """Sentences, units and keyword hits of a study's transcripts (by transcript id)."""

    transcripts: dict[str, Transcript] = field(default_factory=dict)
    segments: dict[str, list[Segment]] = field(default_factory=dict)
    units: dict[str, list[Unit]] = field(default_factory=dict)
    hits: dict[str, list[KeywordHit]] = field(default_factory=dict)


def analyse_transcripts(nlp, matcher: KeywordMatcher, transcripts: Iterable[Transcript]) -> Analysed:
    """Run the pipeline once per transcript: sentences, units and keyword hits."""
    out = Analysed()
    with paused_gc():
        for t, doc in parse(nlp, transcripts):
            segs, _spans = segments_and_offsets(t, doc, True)
            out.transcripts[t.id], out.segments[t.id] = t, segs
            out.units[t.id] = units_of(t, segs)
            out.hits[t.id] = body_hits(matcher, t, doc)
    return out


def analyse_study(study: Study, transcript_ids: Iterable[str] | None = None) -> Analysed:
    nlp = pipeline_for(study)
    ids = set(study.transcripts) if transcript_ids is None else set(transcript_ids)
    todo = [t for tid, t in study.transcripts.items() if tid in ids]
    return analyse_transcripts(nlp, KeywordMatcher(nlp, study.codebook), todo)


def hits_within(items: Sequence, hits: Sequence[KeywordHit]) -> list[list[KeywordHit]]:
    """The hits inside each of `items` (units or sentences, with `start` and `end`)."""
    if not hits:
        return [[] for _ in items]
    order = sorted(range(len(hits)), key=lambda i: hits[i].start)
    starts = numpy.array([hits[i].start for i in order], dtype=numpy.int64)
    bounds = numpy.array([(it.start, it.end) for it in items], dtype=numpy.int64).reshape(-1, 2)
    first = numpy.searchsorted(starts, bounds[:, 0], side="left").tolist()
    last = numpy.searchsorted(starts, bounds[:, 1], side="left").tolist()
    out = []
    for it, a, b in zip(items, first, last, strict=True):  # only the hits that start within the item, in order
        out.append([hits[i] for i in sorted(order[a:b]) if hits[i].end <= it.end] if a < b else [])
    return out


def unit_labels(units: Sequence, codings: Iterable[Coding], codes: Sequence[str]) -> numpy.ndarray:
    """Per unit and code, the share of coders (of the unit's transcript) whose codings of the code overlap it."""
    by_transcript: dict[str, list[Coding]] = {}
    for c in codings:
        by_transcript.setdefault(c.transcript, []).append(c)
    index = {c: j for j, c in enumerate(codes)}
    y = numpy.zeros((len(units), len(codes)))
    for i, u in enumerate(units):
        mine = by_transcript.get(u.transcript, [])
        coders = {c.coder for c in mine} or {""}
        given: dict[str, set[str]] = {}
        for c in mine:
            if c.code in index and c.start < u.end and u.start < c.end:
                given.setdefault(c.code, set()).add(c.coder)
        for code, who in given.items():
            y[i, index[code]] = len(who) / len(coders)
    return y


def coding_counts(codings: Iterable[Coding]) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in codings:
        out[c.code] = out.get(c.code, 0) + 1
    return out


# -- the pooled material -------------------------------------------------------------------------------


@dataclass
class Material:
    """Units to learn from with their keyword hits, labels (units × codes), weights (units × codes), the
    transcript of each (for held-out calibration) and the codings per code from the study and from outside."""

    units: list[Unit]
    hits: list[list[KeywordHit]]
    labels: numpy.ndarray
    weights: numpy.ndarray
    groups: list[str]
    own: dict[str, int]
    outside: dict[str, int]

    def counts(self) -> dict[str, int]:
        return {c: self.own.get(c, 0) + self.outside.get(c, 0) for c in {*self.own, *self.outside}}


def _units_of(analysed: Analysed, ids: Sequence[str]) -> tuple[list[Unit], list[list[KeywordHit]]]:
    units = [u for tid in ids for u in analysed.units[tid]]
    hits = [h for tid in ids for h in hits_within(analysed.units[tid], analysed.hits[tid])]
    return units, hits


def material(
    analysed: Analysed,
    ids: Iterable[str],
    codings: Sequence[Coding],
    codes: Sequence[str],
    corpus: Corpus | None = None,
    corpus_analysed: Analysed | None = None,
    half: float = OUTSIDE_HALF,
) -> Material:
    """The units of the study's transcripts `ids` that have `codings` (weight 1) and, when given, those of
    the outside `corpus` (analysed as `corpus_analysed`), weighted per code as the module says."""
    coded = {c.transcript for c in codings}
    ids = [tid for tid in sorted(set(ids) & coded) if tid in analysed.units]
    units, hits = _units_of(analysed, ids)
    used = [c for c in codings if c.transcript in set(ids)]
    labels = unit_labels(units, used, codes)
    own = coding_counts(used)
    weights = numpy.ones(labels.shape)
    outside: dict[str, int] = {}
    if corpus is not None and corpus.transcripts and corpus_analysed is not None:
        more, more_hits = _units_of(corpus_analysed, sorted(corpus.transcripts))
        n_own = numpy.array([own.get(c, 0) for c in codes], dtype=float)
        known = numpy.array([c in corpus.codes for c in codes])
        w = numpy.where(known, half / (half + n_own) if numpy.isfinite(half) else 1.0, 0.0)
        units, hits = units + more, hits + more_hits
        labels = numpy.vstack([labels, unit_labels(more, corpus.codings, codes)])
        weights = numpy.vstack([weights, numpy.tile(w, (len(more), 1))])
        outside = {c: n for c, n in corpus.counts().items() if c in set(codes)}
    return Material(units, hits, labels, weights, [u.transcript for u in units], own, outside)


# -- analysing a corpus, with a cache ------------------------------------------------------------------


def cache_dir() -> Path:
    """The user's cache folder for dialoog (``$DIALOOG_CACHE_DIR`` or the platform's)."""
    env = os.environ.get("DIALOOG_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("dialoog", appauthor=False))


def corpus_key(nlp, codebook: Codebook, corpus: Corpus) -> str:
    """A hash of everything the analysis of `corpus` depends on."""
    import simplemma

    from dialoog import __version__

    h = hashlib.sha256()
    keywords = sorted((c.id, tuple(map(str, c.keywords))) for c in codebook.walk())
    for part in (CACHE_FORMAT, __version__, spacy_version(), simplemma.__version__, pipeline_name(nlp)):
        h.update(f"{part}\x00".encode())
    h.update(json.dumps(keywords, ensure_ascii=False).encode())
    for tid in sorted(corpus.transcripts):
        h.update(f"{tid}\x00{corpus.transcripts[tid].body}\x00".encode())
    return h.hexdigest()


def analyse_corpus(
    nlp, matcher: KeywordMatcher | None, codebook: Codebook, corpus: Corpus, cache: bool = True
) -> Analysed:
    """`analyse_transcripts` of the corpus's transcripts, from the cache when it has them (the keyword
    `matcher` of the codebook is made only when needed, when None)."""
    if not corpus.transcripts:
        return Analysed()
    key = corpus_key(nlp, codebook, corpus)
    path = cache_dir() / "suggest" / f"corpus-{key[:24]}.json"
    if cache:
        found = _read_cache(path, key, corpus)
        if found is not None:
            return found
    matcher = matcher or KeywordMatcher(nlp, codebook)
    out = analyse_transcripts(nlp, matcher, [corpus.transcripts[t] for t in sorted(corpus.transcripts)])
    if cache:
        _write_cache(path, key, out)
    return out


def analysis_json(analysed: Analysed, tid: str) -> dict:
    """The analysis of transcript `tid` as JSON data (its sentences with their lemmas, and its keyword hits;
    its units follow from them), as `read_analysis` reads it back."""
    return {
        "segments": [[s.turn, s.speaker, s.start, s.end, list(s.lemmas)] for s in analysed.segments[tid]],
        "hits": [[h.code, h.keyword, h.start, h.end, h.weight, h.status] for h in analysed.hits[tid]],
    }


def read_analysis(out: Analysed, tid: str, transcript: Transcript, item: dict) -> None:
    """Add the analysis of `transcript` (by id `tid`) kept as `item` (`analysis_json`) to `out`."""
    body = transcript.body
    segs = [Segment(tid, turn, who, a, b, body[a:b], tuple(lem)) for turn, who, a, b, lem in item["segments"]]
    out.transcripts[tid], out.segments[tid] = transcript, segs
    out.units[tid] = units_of(transcript, segs)
    out.hits[tid] = [KeywordHit(*h) for h in item["hits"]]


def _write_cache(path: Path, key: str, analysed: Analysed) -> None:
    data = {"key": key, "transcripts": {tid: analysis_json(analysed, tid) for tid in analysed.transcripts}}
    try:
        atomic_write_text(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        old = sorted(path.parent.glob("corpus-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[CACHE_KEEP:]:
            stale.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time next run
        pass


def _read_cache(path: Path, key: str, corpus: Corpus) -> Analysed | None:
    """The cached analysis, or None when missing, stale or unreadable (then it is rebuilt)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") != key or set(data["transcripts"]) != set(corpus.transcripts):
            return None
        out = Analysed()
        for tid, item in data["transcripts"].items():
            read_analysis(out, tid, corpus.transcripts[tid], item)
        return out
    except (OSError, ValueError, KeyError, TypeError):
        return None
