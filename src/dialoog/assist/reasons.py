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
from dialoog.assist.features import WORD_RE, Unit
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
    if part is None:
        words = sorted(carried, reverse=True)
    else:
        words = sorted(((v, w) for v, w in carried if w in part or w.startswith(QUESTION)), reverse=True)
        if not words and not found:
            words = sorted(carried, reverse=True)
    shown = list(dict.fromkeys(found))
    limit = top + len(found)
    seen = "\x00".join(s.lower() for s in shown)  # a word is in a phrase shown when it is in this (no word has \x00)
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


def suggestions(model, ranked, units: Sequence[Unit], hits, rows: list[int], shown, picked, p_sentences) -> list:
    """The suggestions of the units `rows` (their codes `shown`, best first; `picked`: at their threshold),
    with fragments (from `p_sentences`: row -> codes × sentences, for units of more than one sentence) and
    reasons (from `ranked.contribution_matrix`, prepared for `rows`)."""
    codes, share = model.codes, ranked.model_share.tolist()
    learned = [model.counts.get(c, 0) if s > 0 else 0 for c, s in zip(codes, share, strict=True)]
    source = ["model" if s > 0 else "codebook" for s in share]
    orders = numpy.argsort(-ranked.p[rows], axis=1, kind="stable").tolist()
    new, set_dict = object.__new__, object.__setattr__  # as Suggestion(...), without the frozen field-by-field init
    out: list[Suggestion] = []
    for i, order in zip(rows, orders, strict=True):
        u, mask, chosen, p = units[i], shown[i].tolist(), picked[i].tolist(), ranked.p[i].tolist()
        order = [j for j in order if mask[j]]
        words, scores = ranked.contribution_matrix(i)
        columns = scores[:, order].T.tolist()
        p_unit = p_sentences.get(i)
        parts: dict[tuple[int, int], set[str]] = {}  # the words of each fragment, for its reasons
        for rank, (j, column) in enumerate(zip(order, columns, strict=True), start=1):
            start, end = (u.start, u.end) if p_unit is None else fragment_of(u, p_unit[j])
            code = codes[j]
            found = [
                f'"{u.text[h.start - u.start : h.end - u.start]}"'
                for h in hits[i]
                if h.code == code and h.weight > 0 and start <= h.start and h.end <= end
            ]
            part = None  # the whole unit: every word of it is in it
            if start != u.start or end != u.end:
                part = parts.get((start, end))
                if part is None:
                    part = parts[(start, end)] = set(WORD_RE.findall(u.text, start - u.start, end - u.start))
            reason = choose_words(found, [(v, w) for v, w in zip(column, words, strict=True) if v > 0], part)
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
                    "score": round(p[j], 3),
                    "source": source[j],
                    "reason": reason,
                    "turn": u.turn,
                    "rank": rank,
                    "learned_from": learned[j],
                    "suggested": chosen[j],
                },
            )
            out.append(s)
    return out
