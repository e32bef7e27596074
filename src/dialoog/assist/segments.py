"""Segments: a transcript's speaker turns and the sentences within them, from the pipeline's Doc.

Every segment's `start`/`end` are character offsets into the transcript body, so
``body[start:end] == segment.text``. One Doc per transcript (its turns joined, see `turns_text`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from itertools import accumulate, repeat
from typing import TYPE_CHECKING, NamedTuple

import numpy

from dialoog.assist.pipeline import TokenArrays, is_interviewer, load_pipeline, token_arrays
from dialoog.study.transcripts import Transcript

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.strings import StringStore
    from spacy.tokens import Doc


class Segment(NamedTuple):
    """A sentence of a speaker turn; `start`/`end` are offsets into the transcript body.

    A named tuple: immutable, and made several times faster than a frozen dataclass (segmentation makes one
    per sentence of every transcript)."""

    transcript: str
    turn: int  #: index of the turn (`Transcript.turns`)
    speaker: str
    start: int
    end: int
    text: str
    lemmas: tuple[str, ...]  #: lower-case lemmas of its words (no punctuation)

    @property
    def interviewer(self) -> bool:
        return is_interviewer(self.speaker)


class _LemmaNames(dict):
    """Lemma id -> lemma (faster than the StringStore), from the StringStore `strings` when first asked for."""

    strings: StringStore | None = None

    def __missing__(self, lemma_id: int) -> str:
        name = self[lemma_id] = self.strings[lemma_id]
        return name


_LEMMA_NAMES = _LemmaNames()

#: How the turns of a transcript are joined into one text for the pipeline (a line break ends a sentence).
TURN_SEPARATOR = "\n\n"


def turns_text(transcript: Transcript) -> tuple[str, list[int]]:
    """The turns' texts joined into one text (one Doc per transcript is much faster than one per turn),
    and the offset of each turn in it."""
    texts = [turn.text for turn in transcript.turns]
    step = len(TURN_SEPARATOR)
    offsets = list(accumulate((len(text) + step for text in texts[:-1]), initial=0)) if texts else []
    return TURN_SEPARATOR.join(texts), offsets


_JOINED = "dialoog.turns_text"


def parse(nlp: Language, transcripts: Iterable[Transcript], batch_size: int = 16) -> Iterator[tuple[Transcript, Doc]]:
    """Each transcript with the Doc of its joined turns (see `turns_text`)."""

    def items() -> Iterator[tuple[str, tuple[Transcript, str, list[int]]]]:
        for t in transcripts:
            text, offsets = turns_text(t)
            yield text, (t, text, offsets)

    for doc, kept in nlp.pipe(items(), as_tuples=True, batch_size=batch_size):
        doc.user_data[_JOINED] = kept
        yield kept[0], doc


def joined_text(transcript: Transcript, doc: Doc) -> tuple[str, list[int]]:
    """`turns_text(transcript)`, as kept by `parse` with the Doc of the transcript."""
    kept = doc.user_data.get(_JOINED)
    if kept is not None and kept[0] is transcript:
        return kept[1], kept[2]
    return turns_text(transcript)


def _sentence_bounds(arrays: TokenArrays) -> tuple[numpy.ndarray, ...]:
    """First token, end token, start char and end char of each sentence with words, whitespace stripped.

    A token is either all whitespace or has none (spaCy splits on whitespace), so the stripped sentence
    runs from its first to the end of its last token that is not whitespace.
    """
    n = len(arrays.idx)
    first = numpy.flatnonzero(arrays.sent_start == 1)
    if not len(first) or first[0] != 0:
        first = numpy.concatenate(([0], first)).astype("int64")
    end = numpy.concatenate((first[1:], [n])).astype("int64")
    words = numpy.flatnonzero(~arrays.space)
    a = numpy.searchsorted(words, first)  # the first token with text at or after the sentence start
    b = numpy.searchsorted(words, end) - 1  # the last token with text before the sentence end
    ok = a <= b
    a, b = words[a[ok]], words[b[ok]]
    return first[ok], end[ok], arrays.idx[a], arrays.idx[b] + arrays.length[b]


def sentence_spans(doc: Doc, text: str | None = None) -> list[tuple[int, int, int, int]]:
    """(first token, end token, start char, end char) of each sentence of a Doc, whitespace stripped.

    `text`, the text the Doc was made from, is no longer needed (kept for callers that pass it).
    """
    if not len(doc):
        return []
    return list(zip(*(column.tolist() for column in _sentence_bounds(token_arrays(doc))), strict=True))


def transcript_segments(transcript: Transcript, doc: Doc, with_lemmas: bool = True) -> list[Segment]:
    """The sentence segments of a transcript from the Doc of its joined turns, with body offsets.

    A sentence never crosses a turn: should the pipeline put one across a turn boundary, it is cut there.
    Without `with_lemmas`, the segments' `lemmas` are left empty (faster, when only offsets are needed).
    """
    return segments_and_offsets(transcript, doc, with_lemmas)[0]


def segments_and_offsets(
    transcript: Transcript, doc: Doc, with_lemmas: bool = True
) -> tuple[list[Segment], numpy.ndarray]:
    """`transcript_segments`, and where each segment starts and ends in the Doc's text (the joined turns),
    as an array of (start, end) rows."""
    if not len(doc):
        return [], numpy.zeros((0, 2), dtype="int64")
    text, offsets = joined_text(transcript, doc)
    arrays = token_arrays(doc)
    tok_start, tok_end, char_start, char_end = _sentence_bounds(arrays)
    turns = transcript.turns
    turn_offsets = numpy.asarray(offsets, dtype="int64")
    turn_ends = turn_offsets + numpy.fromiter((len(t.text) for t in turns), dtype="int64", count=len(turns))
    k = numpy.searchsorted(turn_offsets, char_start, side="right") - 1
    whole = (k >= 0) & (char_end <= turn_ends[k])  # the sentence lies within one turn (the usual case)
    # where each sentence starts in the body, when it lies within turn k
    body_start = (char_start + numpy.fromiter((t.start for t in turns), dtype="int64", count=len(turns))[k]) - (
        turn_offsets[k]
    )
    lemma_lists = _lemma_lists(doc, arrays, tok_start, tok_end) if with_lemmas else None
    if whole.all():  # the usual case: every sentence lies within one turn; all fields as lists at once
        texts = [text[a:b] for a, b in zip(char_start.tolist(), char_end.tolist(), strict=True)]
        out = _make_segments(transcript, k, body_start, body_start + char_end - char_start, texts, lemma_lists)
        return out, numpy.column_stack([char_start, char_end])
    out = []
    spans: list[tuple[int, int]] = []
    rows = zip(char_start.tolist(), char_end.tolist(), body_start.tolist(), k.tolist(), whole.tolist(), strict=True)
    for i, (a, b, start, t, one) in enumerate(rows):
        if one:
            turn = turns[t]
            lemmas = lemma_lists[i] if lemma_lists is not None else ()
            out.append(Segment(transcript.id, turn.index, turn.speaker, start, start + b - a, text[a:b], lemmas))
            spans.append((a, b))
        else:
            tokens = int(tok_start[i]), int(tok_end[i])
            for seg, at in _cut_at_turns(transcript, text, offsets, arrays, doc.vocab.strings, *tokens, a, b):
                out.append(seg if with_lemmas else seg._replace(lemmas=()))
                spans.append((at, at + len(seg.text)))
    return out, numpy.array(spans, dtype="int64").reshape(-1, 2)


def _lemma_lists(doc: Doc, arrays: TokenArrays, tok_start: numpy.ndarray, tok_end: numpy.ndarray) -> list[tuple]:
    """Per sentence (first token `tok_start`, end token `tok_end`) the lemmas of its words."""
    kept_tokens = numpy.flatnonzero(~arrays.skip)  # words: no punctuation, no whitespace
    names = _LEMMA_NAMES
    names.strings = doc.vocab.strings  # a lemma id is a hash of its text: the same in every StringStore
    lemma_strings = tuple(map(names.__getitem__, arrays.lemma[kept_tokens].tolist()))
    first_word = numpy.searchsorted(kept_tokens, tok_start).tolist()
    end_word = numpy.searchsorted(kept_tokens, tok_end).tolist()
    return [lemma_strings[p:q] for p, q in zip(first_word, end_word, strict=True)]


def _make_segments(
    transcript: Transcript,
    k: numpy.ndarray,
    starts: numpy.ndarray,
    ends: numpy.ndarray,
    texts: list[str],
    lemma_lists: list[tuple] | None,
) -> list[Segment]:
    """Segments of sentences that each lie within turn `k` (body offsets `starts`, `ends`)."""
    turns = transcript.turns
    turn_index = numpy.array([t.index for t in turns], dtype="int64")[k].tolist()
    speakers = numpy.array([t.speaker for t in turns], dtype=object)[k].tolist()
    lemmas_of = lemma_lists if lemma_lists is not None else repeat((), len(texts))
    new, tid = tuple.__new__, transcript.id  # as Segment(...), without its keyword handling
    return [
        new(Segment, (tid, turn_no, speaker, start, end, piece, lemmas))
        for turn_no, speaker, start, end, piece, lemmas in zip(
            turn_index, speakers, starts.tolist(), ends.tolist(), texts, lemmas_of, strict=False
        )
    ]


def _cut_at_turns(
    transcript: Transcript,
    text: str,
    offsets: list[int],
    arrays: TokenArrays,
    strings: StringStore,
    tok_start: int,
    tok_end: int,
    char_start: int,
    char_end: int,
) -> Iterator[tuple[Segment, int]]:
    """The pieces, one per turn, of a sentence that crosses turns (with where each starts in `text`)."""
    turns = transcript.turns
    k = bisect.bisect_right(offsets, char_start) - 1
    while k < len(turns) and offsets[k] < char_end:
        turn, base = turns[k], offsets[k]
        a, b = max(char_start, base), min(char_end, base + len(turn.text))
        piece = text[a:b]
        stripped = piece.strip()
        if stripped:
            a += len(piece) - len(piece.lstrip())
            b = a + len(stripped)
            lemmas = tuple(
                strings[x]
                for j, x in enumerate(arrays.lemma[tok_start:tok_end].tolist(), tok_start)
                if not arrays.skip[j] and a <= arrays.idx[j] < b
            )
            start = turn.start + (a - base)
            yield Segment(transcript.id, turn.index, turn.speaker, start, start + len(stripped), stripped, lemmas), a
        k += 1


def segments(transcript: Transcript, nlp: Language | None = None) -> list[Segment]:
    """All sentence segments of a transcript, in order."""
    nlp = nlp or load_pipeline()
    return [seg for t, doc in parse(nlp, [transcript]) for seg in transcript_segments(t, doc)]


def turn_segments(transcript: Transcript) -> list[Segment]:
    """The speaker turns as segments (no lemmas): the coarser level of segmentation."""
    return [Segment(transcript.id, t.index, t.speaker, t.start, t.end, t.text, ()) for t in transcript.turns]
