"""Codebook keywords matched on lemmas, with negation and hedges.

`KeywordMatcher` finds each code's `keywords` in a processed Doc: words and phrases on lemmas (spaCy's
PhraseMatcher on LEMMA), so ``melden`` also finds "gemeld" and ``uit de kast`` "kwam uit de kast", and
separable verbs (``naroepen`` in "ze riepen me na"). Each match is checked for a negation close to it in
its sentence ("geen geweld", "niet gemeld", "ook al is het geen geweld": the match counts for nothing)
and for a hedge in its sentence ("misschien", "een beetje", "denk ik": the match counts less).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy

from dialoog.assist.pipeline import is_interviewer, is_known_word, lemmatize_text, paused_gc, token_arrays
from dialoog.assist.segments import Segment, joined_text, parse, segments_and_offsets
from dialoog.assist.store import Suggestion
from dialoog.study.codebook import Codebook
from dialoog.study.transcripts import Transcript

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Words that negate a keyword standing close to them (within NEGATION_BEFORE words before it, or
#: NEGATION_AFTER words after it, in the same sentence).
NEGATORS = frozenset({"geen", "niet", "nooit", "niks", "niets", "zonder", "nergens", "amper", "nauwelijks"})
NEGATION_BEFORE = 3
NEGATION_AFTER = 2
#: Words that make a statement tentative; a keyword in a sentence with one counts HEDGE_WEIGHT.
HEDGES = frozenset(
    {"misschien", "wellicht", "mogelijk", "soms", "beetje", "eventueel", "denk", "geloof", "waarschijnlijk"}
)
HEDGE_WEIGHT = 0.5


@dataclass(frozen=True)
class KeywordHit:
    """A keyword of `code` found at `start`:`end` of a Doc's text; `weight` 1, HEDGE_WEIGHT or 0 (negated)."""

    code: str
    keyword: str
    start: int
    end: int
    weight: float
    status: str  #: "", "hedged" or "negated"


#: Particles of Dutch separable verbs ("naroepen": "ze riepen me na").
SEPARABLE_PARTICLES = (
    "aan",
    "achter",
    "af",
    "bij",
    "binnen",
    "door",
    "in",
    "mee",
    "na",
    "om",
    "op",
    "over",
    "samen",
    "tegen",
    "terug",
    "toe",
    "uit",
    "voor",
    "weg",
)
#: How many words may stand between the verb and its particle.
SEPARABLE_GAP = 8


@functools.lru_cache(maxsize=64)
def keyword_score(n_keywords: int) -> float:
    """Match strength of a segment in which `n_keywords` distinct keywords of a code were found."""
    return round(1 - 0.4**n_keywords, 3)


class KeywordMatcher:
    """Matches the codebook's keywords on lemmas: words and phrases with spaCy's PhraseMatcher on LEMMA, and
    separable verbs ("naroepen" in "ze riepen me na") as the verb's lemma followed, within the sentence and
    at most `SEPARABLE_GAP` words later, by its particle."""

    def __init__(self, nlp: Language, codebook: Codebook) -> None:
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        self.nlp = nlp
        strings = nlp.vocab.strings
        self.phrases = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.keyword_of: dict[int, tuple[str, str]] = {}  # match id -> (code, keyword)
        self.verbs: dict[int, list[tuple[int, int]]] = {}  # verb lemma id -> [(particle lower id, match id)]
        for code in codebook.codes.values():
            for keyword in code.keywords:
                lemmas = lemmatize_text(nlp, keyword) if keyword.strip() else []
                if not lemmas:
                    continue
                key = f"{code.id}\t{keyword}"
                match_id = strings.add(key)
                self.keyword_of[match_id] = (code.id, keyword)
                self.phrases.add(key, [Doc(nlp.vocab, words=lemmas, lemmas=lemmas)])
                separable = _split_separable(lemmas[0]) if len(lemmas) == 1 else None
                if separable:
                    particle, verb = separable
                    self.verbs.setdefault(strings.add(verb), []).append((strings.add(particle), match_id))
        self._verb_ids = numpy.array(sorted(self.verbs), dtype="uint64")
        self._negator_ids = numpy.array(sorted(strings.add(w) for w in NEGATORS), dtype="uint64")  # lower-case
        self._hedge_ids = numpy.array(sorted(strings.add(w) for w in HEDGES), dtype="uint64")

    def matches(self, doc: Doc) -> list[tuple[str, str, int, int]]:
        """(code, keyword, start_char, end_char) of every keyword found in a processed Doc."""
        ids, starts, ends = self.match_spans(doc)
        keyword_of = self.keyword_of
        return [(*keyword_of[m], s, e) for m, s, e in zip(ids.tolist(), starts.tolist(), ends.tolist(), strict=True)]

    def hits(self, doc: Doc) -> list[KeywordHit]:
        """Every keyword found in a processed Doc, with its negation or hedge."""
        ids, starts, ends, weights = self.hit_arrays(doc)
        keyword_of, status_of = self.keyword_of, {1.0: "", HEDGE_WEIGHT: "hedged", 0.0: "negated"}
        return [
            KeywordHit(*keyword_of[m], s, e, w, status_of[w])
            for m, s, e, w in zip(ids.tolist(), starts.tolist(), ends.tolist(), weights.tolist(), strict=True)
        ]

    def hit_arrays(self, doc: Doc, hedges: bool = True) -> tuple[numpy.ndarray, ...]:
        """The match ids, start chars, end chars and weights (1, HEDGE_WEIGHT, or 0 when negated) of every
        keyword found in a processed Doc, as arrays (no Python object per match); without `hedges`, a
        hedged match weighs 1 (when only negation matters)."""
        ids, tokens = self._match_tokens(doc)
        if not len(ids):
            empty = numpy.zeros(0, dtype="int64")
            return ids, empty, empty, numpy.zeros(0)
        arrays = token_arrays(doc)
        n = len(arrays.lower)
        i, j = tokens[:, 0], tokens[:, 1]
        sentence_starts = numpy.flatnonzero(arrays.sent_start == 1)
        k = numpy.searchsorted(sentence_starts, i, side="right")  # the sentence of each match: tokens a..b
        bounds = numpy.concatenate(([0], sentence_starts, [n]))
        a, b = bounds[k], bounds[k + 1]
        # counts of negators and hedges before each token, so that a window's count is a difference
        negators = numpy.concatenate(([0], numpy.cumsum(_member(arrays.lower, self._negator_ids))))
        before = numpy.maximum(a, i - NEGATION_BEFORE)
        after = numpy.minimum(b, j + NEGATION_AFTER)
        negated = (negators[i] - negators[before]) + (negators[after] - negators[j]) > 0
        hedged = False
        if hedges:
            counts = numpy.concatenate(([0], numpy.cumsum(_member(arrays.lower, self._hedge_ids))))
            hedged = counts[b] - counts[a] > 0
        weights = numpy.where(negated, 0.0, numpy.where(hedged, HEDGE_WEIGHT, 1.0))
        starts = arrays.idx[i]
        ends = arrays.idx[j - 1] + arrays.length[j - 1]
        return ids, starts, ends, weights

    def _match_tokens(self, doc: Doc) -> tuple[numpy.ndarray, numpy.ndarray]:
        """The match ids and (first token, end token) rows of the keywords found in a Doc."""
        found = self.phrases(doc) if len(doc) else []
        if len(doc) and len(self._verb_ids):
            found.extend(self._separable(token_arrays(doc)))
        if not found:
            return numpy.zeros(0, dtype="uint64"), numpy.zeros((0, 2), dtype="int64")
        spans = numpy.array(found, dtype="uint64")
        return spans[:, 0], spans[:, 1:].astype("int64")

    def _separable(self, arrays) -> list[tuple[int, int, int]]:
        """(match id, verb token, end token) of each separable verb found with its particle after it in
        the same sentence (at most SEPARABLE_GAP words between)."""
        lemma, lower, sent_start = arrays.lemma, arrays.lower, arrays.sent_start
        found = []
        for i in numpy.flatnonzero(_member(lemma, self._verb_ids)).tolist():
            # the words after the verb as lists (indexing numpy arrays one element at a time is slow)
            after = lower[i + 1 : i + SEPARABLE_GAP + 2].tolist()
            starts = sent_start[i + 1 : i + SEPARABLE_GAP + 2].tolist()
            if 1 in starts:  # the next sentence
                after = after[: starts.index(1)]
            for particle, match_id in self.verbs[int(lemma[i])]:
                if particle in after:
                    found.append((match_id, i, i + 2 + after.index(particle)))
        return found

    def match_spans(self, doc: Doc) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
        """The match ids (keys of `keyword_of`), start chars and end chars of the keywords found in a Doc
        that are not negated."""
        ids, starts, ends, weights = self.hit_arrays(doc, hedges=False)
        kept = weights > 0
        return ids[kept], starts[kept], ends[kept]


def _member(values: numpy.ndarray, wanted: numpy.ndarray) -> numpy.ndarray:
    """Whether each of `values` is one of the few `wanted` (faster than numpy.isin for a handful)."""
    out = values == wanted[0]
    for w in wanted[1:]:
        out |= values == w
    return out


def _split_separable(lemma: str) -> tuple[str, str] | None:
    """('na', 'roepen') for 'naroepen'; None when the lemma is not a separable verb."""
    if not lemma.endswith("en") or not lemma.isalpha():
        return None
    for particle in sorted(SEPARABLE_PARTICLES, key=len, reverse=True):
        rest = lemma[len(particle) :]
        if lemma.startswith(particle) and len(rest) >= 4 and rest.endswith("en") and is_known_word(rest):
            return particle, rest
    return None


def keyword_suggestions(
    matcher: KeywordMatcher,
    transcript: Transcript,
    doc: Doc,
    segs: list[Segment],
    spans: numpy.ndarray | None = None,
) -> list[Suggestion]:
    """Keyword suggestions for the sentence segments `segs` of a transcript, processed as `doc` (the Doc
    of its joined turns, see `dialoog.assist.nlp.parse`). Interviewer turns get none.

    `spans`, where each segment starts and ends in the Doc's text, is computed when not given (see
    `dialoog.assist.nlp.segments_and_offsets`, which gives both).
    """
    if not segs:
        return []
    text, offsets = joined_text(transcript, doc)
    if spans is None:
        turns = transcript.turns
        starts = [offsets[seg.turn] + seg.start - turns[seg.turn].start for seg in segs]
        spans = numpy.array([(a, a + seg.end - seg.start) for a, seg in zip(starts, segs, strict=True)], dtype="int64")
    ids, match_starts, match_ends = matcher.match_spans(doc)
    if not len(ids):
        return []
    # the segment of each match: it must lie within the segment and not be a question of the interviewer
    seg_starts, seg_ends = spans[:, 0], spans[:, 1]
    at = numpy.searchsorted(seg_starts, match_starts, side="right") - 1
    inside = (at >= 0) & (match_ends <= seg_ends[at])
    interviewer = {turn.index for turn in transcript.turns if is_interviewer(turn.speaker)}
    keyword_of = matcher.keyword_of
    found: dict[tuple[int, str], list[str]] = {}
    for i, m, s, e in zip(
        at[inside].tolist(),
        ids[inside].tolist(),
        match_starts[inside].tolist(),
        match_ends[inside].tolist(),
        strict=True,
    ):
        if segs[i].turn in interviewer:
            continue
        words = found.setdefault((i, keyword_of[m][0]), [])
        if text[s:e].lower() not in (w.lower() for w in words):
            words.append(text[s:e])
    out = []
    # as Suggestion(...), without the frozen dataclass's field-by-field __init__ (see dialoog.assist.nlp.segments)
    new, set_dict = object.__new__, object.__setattr__
    for (i, code), words in sorted(found.items()):
        seg = segs[i]
        suggestion = new(Suggestion)
        set_dict(
            suggestion,
            "__dict__",
            {
                "transcript": seg.transcript,
                "start": seg.start,
                "end": seg.end,
                "text": seg.text,
                "code": code,
                "score": keyword_score(len(words)),
                "source": "keywords",
                "reason": "; ".join(['"' + w + '"' for w in words]),
            },
        )
        out.append(suggestion)
    return out


def analyse(
    nlp: Language, matcher: KeywordMatcher | None, transcripts: Iterable[Transcript], with_lemmas: bool = True
) -> Iterator[tuple[Transcript, list[Segment], list[Suggestion]]]:
    """Segment transcripts and match keywords, running the pipeline once per transcript.

    Yields (transcript, sentence segments, keyword suggestions) per transcript, in order. The segments'
    lemmas (needed by the learned model, not by the keywords) are filled in only `with_lemmas`.
    """
    docs = parse(nlp, transcripts)
    while True:
        with paused_gc():  # for each transcript, not while the caller has it
            item = next(docs, None)
            if item is None:
                return
            t, doc = item
            segs, spans = segments_and_offsets(t, doc, with_lemmas)
            found = keyword_suggestions(matcher, t, doc, segs, spans) if matcher is not None else []
        yield t, segs, found


def body_hits(matcher: KeywordMatcher, transcript: Transcript, doc: Doc) -> list[KeywordHit]:
    """The keyword hits of a transcript's Doc (see `dialoog.assist.segments.parse`) in its respondents'
    turns, with offsets into the transcript body."""
    ids, starts, ends, weights = matcher.hit_arrays(doc)
    if not len(ids):
        return []
    _text, offsets = joined_text(transcript, doc)
    turns = transcript.turns
    at = numpy.asarray(offsets, dtype="int64")
    k = numpy.searchsorted(at, starts, side="right") - 1  # the turn of each hit
    respondent = numpy.array([not is_interviewer(t.speaker) for t in turns], dtype=bool)
    lengths = numpy.fromiter((len(t.text) for t in turns), dtype="int64", count=len(turns))
    kept = numpy.flatnonzero(respondent[k] & (ends - at[k] <= lengths[k]))  # within the turn
    shift = numpy.fromiter((t.start for t in turns), dtype="int64", count=len(turns))[k[kept]] - at[k[kept]]
    keyword_of, status_of = matcher.keyword_of, {1.0: "", HEDGE_WEIGHT: "hedged", 0.0: "negated"}
    new, set_dict = object.__new__, object.__setattr__  # as KeywordHit(...), without the frozen field-by-field init
    out = []
    for m, s, e, w in zip(
        ids[kept].tolist(),
        (starts[kept] + shift).tolist(),
        (ends[kept] + shift).tolist(),
        weights[kept].tolist(),
        strict=True,
    ):
        hit = new(KeywordHit)
        code, keyword = keyword_of[m]
        set_dict(
            hit,
            "__dict__",
            {"code": code, "keyword": keyword, "start": s, "end": e, "weight": w, "status": status_of[w]},
        )
        out.append(hit)
    return out
