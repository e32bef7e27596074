"""Fragments and reasons of ranked suggestions.

For each unit shown and each code shown for it (`dialoog.assist.suggest.suggest_for`): the **fragment** (the
run of sentences around the most probable one, `fragment_of`) and the **reason** (`choose_words`: the
keywords found in the fragment, then the words of the fragment, and of the question before it, with the
largest contribution to the code, never function words). `suggestions` makes them for all units at once
from the words behind the ranking (`dialoog.assist.explain`), with as little work per suggestion as it can.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import numpy

from dialoog.assist.explain import QUESTION
from dialoog.assist.features import Unit
from dialoog.assist.store import Suggestion


def fragment_of(unit: Unit, p_sentences: Sequence[float]) -> tuple[int, int]:
    """The run of sentences around the most probable one whose probability is at least half of its
    (the whole unit when that run covers it)."""
    if len(unit.sentences) <= 1:
        return unit.start, unit.end
    p = p_sentences.tolist() if isinstance(p_sentences, numpy.ndarray) else list(p_sentences)
    best = max(range(len(p)), key=p.__getitem__)  # the first of equals, as numpy.argmax
    half = 0.5 * p[best]
    a = b = best
    while a > 0 and p[a - 1] >= half:
        a -= 1
    while b + 1 < len(p) and p[b + 1] >= half:
        b += 1
    return unit.sentences[a].start, unit.sentences[b].end


def choose_words(found: list[str], carried: list[tuple[float, str]], part: set[str] | None, top: int = 3) -> str:
    """A reason: the keywords `found` in the fragment (quoted), then the words that carried the code
    (`carried`: (contribution, word), each > 0), largest first, of those in the fragment (`part`, its words;
    None: all) or of the question ("vraag: ..."): the words of the whole unit when none of them did and no
    keyword was found; `top` words besides the keywords, none that a phrase already shown contains."""
    words = carried
    if part is not None:
        words = [c for c in carried if c[1] in part or c[1].startswith(QUESTION)]
        if not words and not found:
            words = carried
    words = sorted(words, reverse=True)
    if found:
        shown = list(dict.fromkeys(found))
        seen = "\x00".join([s.lower() for s in shown])  # a word is in a phrase shown when it is in this (no \x00)
    else:
        shown, seen = [], ""
    limit = top + len(found)
    for _, w in words:
        if len(shown) >= limit:
            break
        lower = w.lower()
        if lower not in seen:
            shown.append(w)
            seen += "\x00" + lower
    return "; ".join(shown[: max(top, len(found))])


def sentence_hits(units: Sequence[Unit], rows: Sequence[int], hits: Sequence[Sequence]) -> list[list]:
    """The keyword hits within each sentence of the units `rows` (one after the other), as
    `dialoog.assist.pool.hits_within` gives them (the sentences of a unit follow each other, apart)."""
    out: list[list] = []
    for i in rows:
        sentences = units[i].sentences
        mine = [[] for _ in sentences]
        if hits[i]:
            starts = [s.start for s in sentences]
            for h in hits[i]:
                k = bisect.bisect_right(starts, h.start) - 1
                if k >= 0 and h.start < sentences[k].end and h.end <= sentences[k].end:
                    mine[k].append(h)
        out.extend(mine)
    return out


def suggestions(model, ranked, units: Sequence[Unit], hits, rows: list[int], shown, picked, long, by_sentence) -> list:
    """The suggestions of the units `rows` (their codes `shown`, best first; `picked`: at their threshold),
    with fragments (from `by_sentence`: the probabilities of the sentences of the units `long`, those of more
    than one sentence, one after the other) and reasons (from `ranked.explained`, prepared for `rows`)."""
    if not rows:
        return []
    codes, share = model.codes, ranked.model_share.tolist()
    learned = [model.counts.get(c, 0) if s > 0 else 0 for c, s in zip(codes, share, strict=True)]
    source = ["model" if s > 0 else "codebook" for s in share]
    at, code_at, ranks = _shown(ranked.p, shown, rows)
    which = numpy.asarray(rows, dtype=numpy.int64)[at]
    carried, bounds = _carried(ranked, which, code_at)
    p_at = ranked.p[which, code_at].tolist()
    chosen = picked[which, code_at].tolist()
    new, set_dict = object.__new__, object.__setattr__  # as Suggestion(...), without the frozen field-by-field init
    out: list[Suggestion] = []
    parts: dict[tuple[int, int, int], set[str]] = {}  # the words of each fragment, for its reasons
    rows_of = which.tolist()
    words_of = ranked.explained.fragment_words
    starts, ends = _fragments(units, which, code_at, long, by_sentence)
    for k, (i, j, rank, start, end) in enumerate(
        zip(rows_of, code_at.tolist(), ranks.tolist(), starts, ends, strict=True)
    ):
        u = units[i]
        code = codes[j]
        found = (
            [
                f'"{u.text[h.start - u.start : h.end - u.start]}"'
                for h in hits[i]
                if h.code == code and h.weight > 0 and start <= h.start and h.end <= end
            ]
            if hits[i]
            else []
        )
        part = None  # the whole unit: every word of it is in it
        if start != u.start or end != u.end:
            part = parts.get((i, start, end))
            if part is None:
                part = parts[(i, start, end)] = words_of(i, u.text, start - u.start, end - u.start)
        s = new(Suggestion)
        set_dict(
            s,
            "__dict__",
            {
                "transcript": u.transcript,
                "start": start,
                "end": end,
                "text": u.text[start - u.start : end - u.start],
                "code": code,
                "score": round(p_at[k], 3),
                "source": source[j],
                "reason": choose_words(found, carried[bounds[k] : bounds[k + 1]], part),
                "turn": u.turn,
                "rank": rank,
                "learned_from": learned[j],
                "suggested": chosen[k],
            },
        )
        out.append(s)
    return out


def _fragments(units, which: numpy.ndarray, code_at: numpy.ndarray, long: list[int], by_sentence: numpy.ndarray):
    """The start and end of each suggestion's fragment: `fragment_of` for all at once."""
    counts = numpy.zeros(len(units), dtype=numpy.int64)
    counts[long] = [len(units[i].sentences) for i in long]
    first = numpy.full(len(units), -1, dtype=numpy.int64)
    first[long] = numpy.cumsum(counts[long]) - counts[long]  # where each unit's sentences begin in by_sentence
    starts = numpy.array([u.start for u in units], dtype=numpy.int64)[which]
    ends = numpy.array([u.end for u in units], dtype=numpy.int64)[which]
    at = numpy.flatnonzero(first[which] >= 0)
    if len(at):
        begin, n = first[which[at]], counts[which[at]]
        flat = _ranges(begin, n)
        p = by_sentence[flat, numpy.repeat(code_at[at], n)]
        seg = numpy.cumsum(n) - n  # where each suggestion's sentences begin in `flat`
        local = numpy.arange(len(flat)) - numpy.repeat(seg, n)
        top = numpy.maximum.reduceat(p, seg)
        best = numpy.repeat(numpy.minimum.reduceat(numpy.where(p == numpy.repeat(top, n), local, n.max()), seg), n)
        low = p < numpy.repeat(0.5 * top, n)  # the run around the best stops before these
        a = numpy.maximum.reduceat(numpy.where(low & (local < best), local, -1), seg) + 1
        b = numpy.minimum.reduceat(numpy.where(low & (local > best), local, numpy.repeat(n, n)), seg) - 1
        sentence_starts = numpy.array([s.start for i in long for s in units[i].sentences], dtype=numpy.int64)
        sentence_ends = numpy.array([s.end for i in long for s in units[i].sentences], dtype=numpy.int64)
        starts[at], ends[at] = sentence_starts[begin + a], sentence_ends[begin + b]
    return starts.tolist(), ends.tolist()


def _shown(p: numpy.ndarray, shown: numpy.ndarray, rows: list[int]):
    """For each suggestion, best first per unit: its place in `rows`, its code and its rank (1: the unit's
    most probable code shown)."""
    orders = numpy.argsort(-p[rows], axis=1, kind="stable")
    mask = numpy.take_along_axis(shown[rows], orders, axis=1)
    at, place = numpy.nonzero(mask)
    return at, orders[at, place], numpy.cumsum(mask, axis=1)[at, place]


def _carried(ranked, which: numpy.ndarray, code_at: numpy.ndarray) -> tuple[list, list[int]]:
    """The (contribution, word) of each word that carried each suggestion's code (> 0), in the unit's order,
    one suggestion after the other, and where each suggestion's begin and end."""
    explained = ranked.explained
    spans = numpy.array([explained.spans[i] for i in which.tolist()], dtype=numpy.int64).reshape(-1, 2)
    counts = spans[:, 1] - spans[:, 0]
    entries = _ranges(spans[:, 0], counts)
    values = explained.score[entries, numpy.repeat(code_at, counts)]
    suggestion = numpy.repeat(numpy.arange(len(which)), counts)
    kept = numpy.flatnonzero(values > 0)
    bounds = numpy.searchsorted(suggestion[kept], numpy.arange(len(which) + 1)).tolist()
    words = list(map(explained.words.__getitem__, entries[kept].tolist()))
    return list(zip(values[kept].tolist(), words, strict=True)), bounds


def _ranges(starts: numpy.ndarray, counts: numpy.ndarray) -> numpy.ndarray:
    """starts[0], starts[0] + 1, ... (counts[0] numbers), then the same from starts[1], ..."""
    ends = numpy.cumsum(counts)
    return numpy.repeat(starts - ends + counts, counts) + numpy.arange(int(ends[-1]) if len(ends) else 0)
