"""How well the inventory found in transcripts (`dialoog.assist.mentions`) matches gold lists, beside a
plain baseline computed the same way.

Gold: ``{"initiatieven"|"behoeften": [{transcript, naam, fragment}]}`` (an evaluation set's
gold-inventory.yaml, or a study's registers). Scoring, one way to be right:

- a **need** is right when one of its sentences overlaps a gold need's fragment (names of needs are free
  text and not compared);
- an **initiative** is counted once per transcript and name (with all its sentences there) and is right
  when that transcript has a gold initiative that it names:
  - by name: the same words up to order and small spelling differences (rapidfuzz token_sort_ratio >= 85
    on the names without articles), or the one name is the start of the other ("Transcafé" for "transcafé
    in Rotterdam", "Roze Zaterdag" for "Roze Zaterdag-festival") or the end of its core, the words before
    its first preposition ("Regenboogagenda" for "lokale regenboogagenda"); words are compared split at
    hyphens. An organisation is not what it gives: "COC" does not name "voorlichting van het COC";
  - or in other words, in the same sentence: one of its sentences overlaps the gold initiative's fragment
    and their head words (the last word of the core) are the same or one is a compound on the other
    ("Ouderkring in Hengelo" for "ouderkring voor ouders van transkinderen", "Avond voor trainers" for
    "trainersavond met het COC").

The scoring before counted a finding right when its words were any part of a gold name in the transcript
(token_set_ratio, so "COC" named "voorlichting van het COC") or nearly any substring (partial_ratio), and
it missed rewordings in the gold sentence; both are fixed here.

The **baseline** (`baseline`): every run of two or more capitalised words within a sentence and every word
on an initiative word (`mentions.HEADS`) is an initiative, named by itself; every respondent sentence with
a need word ("nodig", "mis", "moet", "zou", "wil", "behoefte", "ontbreekt") is a need.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from dialoog.assist.mentions import (
    DROP,
    GENERIC,
    HEADS,
    NAME_HINTS,
    Finding,
    _capitalised,
    _head,
    _key,
    _rainbow,
    _words,
)
from dialoog.assist.pipeline import is_interviewer
from dialoog.assist.segments import parse, transcript_segments
from dialoog.study.transcripts import Transcript

#: Words that end the core of a name ("voorlichting | van het COC").
PREPOSITIONS = frozenset(
    {"van", "met", "voor", "over", "op", "in", "bij", "door", "via", "aan", "uit", "om", "tussen", "tegen", "naar"}
)
BASELINE_NEED = re.compile(r"\b(?:nodig|mis|missen|moet|moeten|zou|zouden|wil|willen|behoefte|ontbreekt)\b", re.I)


@dataclass(frozen=True)
class MentionScores:
    kind: str
    found: int
    correct: int
    gold: int
    recalled: int

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.recalled / self.gold if self.gold else 0.0


def _parts(name: str) -> list[str]:
    """The words of a name without articles, split at hyphens ("roze zaterdag festival")."""
    return [p for w in _key(name.lower()).split() for p in w.split("-") if p and p not in DROP]


def _core(parts: list[str]) -> list[str]:
    cut = next((k for k, p in enumerate(parts) if p in PREPOSITIONS and k > 0), len(parts))
    return parts[:cut]


def same_name(a: str, b: str) -> bool:
    """Whether two initiative names name the same thing (see the module docstring)."""
    pa, pb = _parts(a), _parts(b)
    if not pa or not pb:
        return False
    if fuzz.token_sort_ratio(" ".join(pa), " ".join(pb)) >= 85:
        return True
    short, long_ = sorted((pa, pb), key=len)
    if len(" ".join(short)) < 3:
        return False
    if " ".join(short) in GENERIC:  # "Voorlichting" does not name "voorlichting op scholen"
        return False
    if long_[: len(short)] == short:
        return True
    core = _core(long_)  # the end of the core, when the shorter name has an initiative word in it
    if len(core) > len(short) and core[-len(short) :] == short and any(_head(w) or _rainbow(w) for w in short):
        return True
    # one word that is a compound on the other: "Leesclub" for "Regenboogleesclub"
    return len(pa) == len(pb) == 1 and len(short[0]) >= 6 and long_[0].endswith(short[0]) and short[0] not in GENERIC


def same_head(a: str, b: str) -> bool:
    """Whether the head word of one name (the last word of its core) is a word of the other's core or a
    compound on one ("avond" and "trainersavond"); words such as "roze" or "regenboog" do not count."""
    ca, cb = _core(_key(re.sub(r"\([^)]*\)", " ", a.lower())).split()), _core(_key(b.lower()).split())
    return bool(ca and cb) and (_head_in(ca[-1], cb) or _head_in(cb[-1], ca))


def _head_in(head: str, core: list[str]) -> bool:
    if head in NAME_HINTS or len(head) < 4:
        return False
    return any(
        w == head or (len(w) > len(head) and w.endswith(head)) or (len(w) >= 5 and head.endswith(w))
        for w in core
        if w not in NAME_HINTS
    )


def score_findings(findings: Sequence[Finding], gold: dict) -> list[MentionScores]:
    """Precision and recall of `findings` against `gold` (see the module docstring)."""
    out = []
    for kind, key in (("initiatief", "initiatieven"), ("behoefte", "behoeften")):
        rows = [(g["transcript"], g["naam"], *map(int, g["fragment"].split(":")[1].split("-"))) for g in gold[key]]
        if kind == "initiatief":
            spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
            for f in findings:
                if f.kind == kind:
                    for t, a, b in f.fragments:
                        spans.setdefault((t, f.name), []).append((a, b))
            mine = [(t, n, s) for (t, n), s in spans.items()]
            gold_items = list({(g[0], _key(g[1])): g for g in rows}.values())
            hit = _initiative_hit
        else:
            mine = [(t, f.name, [(a, b)]) for f in findings if f.kind == kind for t, a, b in f.fragments]
            gold_items, hit = rows, _need_hit
        correct = sum(any(hit(m, g) for g in rows) for m in mine)
        recalled = sum(any(hit(m, g) for m in mine) for g in gold_items)
        out.append(MentionScores(kind, len(mine), correct, len(gold_items), recalled))
    return out


def _overlaps(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def _initiative_hit(m, g) -> bool:
    if m[0] != g[0]:
        return False
    if same_name(m[1], g[1]):
        return True
    # other words: the gold sentence, the same head
    return same_head(m[1], g[1]) and _overlaps(m[2], g[2], g[3])


def _need_hit(m, g) -> bool:
    return m[0] == g[0] and _overlaps(m[2], g[2], g[3])


def baseline(nlp, transcripts: Iterable[Transcript]) -> list[Finding]:
    """The plain baseline (see the module docstring), merged by name like `mentions.find`."""
    merged: dict[tuple[str, str], Finding] = {}
    heads = tuple(HEADS)
    for t, doc in parse(nlp, transcripts):
        for seg in transcript_segments(t, doc, with_lemmas=False):
            if is_interviewer(seg.speaker):
                continue
            words = _words(seg.text)
            names = [w for w in words if w.lower().endswith(heads)]
            run: list[str] = []
            for k, w in enumerate([*words, "."]):
                if k > 0 and _capitalised(w) and not w.startswith("["):
                    run.append(w)
                    continue
                if len(run) > 1:
                    names.append(" ".join(run))
                run = []
            found = [("initiatief", n) for n in dict.fromkeys(names)]
            if BASELINE_NEED.search(seg.text):
                found.append(("behoefte", seg.text[:60]))
            for kind, name in found:
                merged.setdefault((kind, name.lower()), Finding(kind, name)).fragments.append(
                    (seg.transcript, seg.start, seg.end)
                )
    return list(merged.values())
