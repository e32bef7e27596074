"""Initiatives and needs found directly in transcripts, named, linked to the registers or proposed as new.

Respondents' turns are read sentence by sentence (`dialoog.assist.inventory.from_transcripts` passes only
consented, pseudonymised transcripts; a name never carries a pseudonym such as "[persoon-3]"):

- an **initiative** is a name (two or more capitalised words, "Roze Zaterdag", "Roze in Blauw"; or one
  capitalised compound on an initiative word, "Regenboogcompetitie"), or an initiative word with what
  qualifies it: a compound on a word such as -avond, -middag, -café, -project, -training, -bemiddeling,
  -bijeenkomst ("buurtbemiddeling", "netwerkbijeenkomst van de gemeente"), or such a word followed by
  "van/met/voor/over ..." ("voorlichting van het COC"). Sentences that voice a wish ("zou", "moet er")
  name needs, not initiatives;
- a **need** is a sentence with a cue such as "nodig", "ik mis", "ontbreekt", "behoefte aan", "zou fijn
  zijn", "er moet", "zou moeten", "ik zou willen"; its name is the phrase after the cue.

Each finding gets a normalised name (articles and fillers dropped, first letter capitalised) and is
linked to a register entry whose name or alias it contains or matches closely (rapidfuzz); an alias that
is only a generic word ("training", "voorlichting", "panel") never links on its own. Findings without a
link are proposed as new entries, with the fragments (sentence spans) that mention them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from dialoog.assist.pipeline import is_interviewer, pipeline_for
from dialoog.assist.segments import Segment, parse, transcript_segments
from dialoog.study.transcripts import Transcript

#: Words that make something an initiative (also as the last part of a compound).
HEADS = (
    "avond", "middag", "ochtend", "café", "cafe", "project", "training", "workshop", "voorlichting", "cursus",
    "bijeenkomst", "spreekuur", "lotgenotengroep", "bemiddeling", "festival", "competitie", "loper", "salon",
    "platform", "campagne", "zebrapad", "inloop", "soos", "koor", "studiedag", "werkafspraak", "alliance",
    "gesprekken", "panel", "netwerk", "pride",
)  # fmt: skip
#: Initiative words that, standing alone, name an initiative when "van/met/voor/over ..." follows.
QUALIFIED_HEADS = frozenset(
    {"training", "voorlichting", "workshop", "cursus", "bijeenkomst", "project", "campagne", "avond", "middag",
     "spreekuur", "werkafspraak", "studiedag", "koffieochtend"}
)  # fmt: skip
INTERJECTIONS = frozenset({"sorry", "nee", "ja", "nou", "eh", "tja", "goh", "hoor", "oké", "niet", "ach"})
#: Words a need's name cannot consist of alone (verbs and adverbs around the cue).
NOT_A_NEED = frozenset(
    {"moeten", "komen", "schelen", "helpen", "hebben", "zijn", "worden", "doen", "hier", "daar", "ook", "zoveel",
     "veel", "heel", "al", "echt", "enorm", "wel", "iets", "dat", "dit", "en", "hen", "samen", "willen", "graag"}
)  # fmt: skip
#: Initiative words too general to name or link an initiative on their own.
GENERIC = frozenset(
    {"training", "voorlichting", "project", "panel", "bijeenkomst", "cursus", "workshop", "netwerk", "dag",
     "week", "avond", "middag", "ochtend", "inloop", "gesprekken", "campagne", "platform", "groep", "pride"}
)  # fmt: skip
QUALIFIERS = ("van", "met", "voor", "over", "op", "in")
DROP = frozenset(
    {"de", "het", "een", "die", "dat", "deze", "dit", "zo'n", "onze", "ons", "hun", "mijn", "jullie", "zijn",
     "haar", "meer", "echt", "gewoon", "eigenlijk", "ook", "wel", "nog", "al", "dan", "er", "we", "wij", "ik"}
)  # fmt: skip
#: Dropped at the start of a name only: "wat ik mis is een plek" names "Plek".
COPULAS = frozenset({"is", "was", "waren", "blijft", "wordt"})
NEED_CUES = re.compile(
    r"\b(?:nodig|ik mis|we missen|wij missen|mis ik|ontbreekt|ontbreken|behoefte aan|zou (?:fijn|mooi|goed) zijn|"
    r"zou(?:den)? (?:helpen|schelen)|er moet|moet er|er zou|zou moeten|zouden moeten|ik zou (?:graag |willen)|"
    r"zou ik (?:graag|willen)|wens|wat zou helpen|dat zou)\b",
    re.IGNORECASE,
)
#: An interviewer's question after needs ("Wat zou helpen?", "Wat zou u willen?").
ASKED = re.compile(r"\b(?:wat zou|wat heb(?:t|ben)? .{0,20}nodig|wensen|wat mis)", re.IGNORECASE)
WISH = re.compile(r"\b(?:zou|zouden|moet er|er moet|wil graag|mis|nodig)\b", re.IGNORECASE)
WORD = re.compile(r"\[[\w-]+\]|[\w'’-]+|[^\w\s]")
STOP_AT = frozenset({",", ".", "!", "?", ";", ":", "zodat", "want", "maar", "en", "dat", "waar", "die", "omdat", "als"})


@dataclass
class Finding:
    """An initiative or need found in a transcript, with the sentences that mention it."""

    kind: str  #: "initiatief" or "behoefte"
    name: str  #: normalised name
    fragments: list[tuple[str, int, int]] = field(default_factory=list)  #: (transcript, start, end)
    link: str = ""  #: id of the register entry it belongs to ("" when new)


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def normalise(words: Sequence[str]) -> str:
    """A name from words: pseudonyms ("[persoon-3]"), leading articles and fillers dropped, capitalised."""
    kept = [w for w in words if not w.startswith("[")]
    while kept and (kept[0].lower() in DROP or kept[0].lower() in COPULAS):
        kept.pop(0)
    while kept and (kept[-1].lower() in DROP or kept[-1].lower() in QUALIFIERS):
        kept.pop()
    name = " ".join(kept)
    return name[:1].upper() + name[1:]


def _head(word: str) -> str | None:
    w = word.lower()
    return next((h for h in HEADS if w.endswith(h)), None)


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper() or (word.isupper() and 2 <= len(word) <= 5)


def initiatives_in(sentence: str) -> list[str]:
    """Normalised names of the initiatives a sentence mentions (see the module docstring)."""
    if WISH.search(sentence):
        return []
    words = _words(sentence)
    found: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        name_end = _name_run(words, i)
        if name_end > i + 1 or (name_end == i + 1 and i > 0 and _capitalised(w) and _head(w) and len(w) > 6):
            found.append(normalise(words[i:name_end]))
            i = name_end
            continue
        head = _head(w)
        if head and w[:1].islower():
            end = i + 1
            if i + 1 < len(words) and words[i + 1].lower() in QUALIFIERS:
                end = _qualifier_end(words, i + 1)
            if len(w) > len(head) + 2 or (end > i + 1 and w.lower() in QUALIFIED_HEADS):
                found.append(normalise(words[i:end]))
                i = end
                continue
        i += 1
    return [f for f in dict.fromkeys(found) if f and f.lower() not in GENERIC]


def _name_run(words: Sequence[str], i: int) -> int:
    """The end of a run of capitalised words starting at `i` (inner "in", "van", "de" allowed)."""
    if i == 0 or not _capitalised(words[i]) or words[i].startswith("["):
        return i
    j = i + 1
    while j < len(words):
        if _capitalised(words[j]) and not words[j].startswith("["):
            j += 1
        elif words[j] in ("in", "van", "de", "voor", "and", "&") and j + 1 < len(words) and _capitalised(words[j + 1]):
            j += 2
        else:
            break
    return j


def _qualifier_end(words: Sequence[str], k: int, limit: int = 4) -> int:
    end = k + 1
    while end < len(words) and end - k <= limit and words[end].lower() not in STOP_AT and not _participle(words[end]):
        end += 1
    return end if end > k + 1 else k


def _participle(word: str) -> bool:
    w = word.lower()
    return len(w) > 5 and w.startswith("ge") and w.endswith(("d", "t", "en"))


def _phrase(words: Sequence[str], limit: int = 7) -> str:
    phrase: list[str] = []
    for w in words:
        if w.lower() in STOP_AT or len(phrase) >= limit or _participle(w):
            break
        phrase.append(w)
    while phrase and phrase[-1].lower() in NOT_A_NEED:
        phrase.pop()
    name = normalise(phrase)
    if name.split()[:1] and name.split()[0].lower() in INTERJECTIONS:
        return ""
    return name if any(w.lower() not in NOT_A_NEED and w.lower() not in DROP for w in _words(name)) else ""


def need_in(sentence: str, asked: bool = False) -> str | None:
    """The normalised name of the need a sentence voices, or None. With `asked` (the interviewer just
    asked what is needed), a sentence without a cue names a need too: its opening phrase."""
    m = NEED_CUES.search(sentence)
    if not m:
        return (_phrase(_words(sentence)) or None) if asked else None
    name = _phrase(_words(sentence[m.end() :]))
    if not name:  # "Een plek, dat is nodig": the phrase stands before the cue
        name = _phrase([w for w in _words(sentence[: m.start()]) if w not in ",.!?"])
    return name or None


def find(nlp, transcripts: Iterable[Transcript]) -> list[Finding]:
    """Initiatives and needs in the respondents' sentences of `transcripts`, merged by normalised name."""
    merged: dict[tuple[str, str], Finding] = {}
    for t, doc in parse(nlp, transcripts):
        asked, asking_turn, turn, n_in_turn = False, -1, -1, 0
        for seg in transcript_segments(t, doc, with_lemmas=False):
            if is_interviewer(seg.speaker):  # a new question: does it ask for needs?
                asked = (asked and seg.turn == asking_turn) or bool(ASKED.search(seg.text))
                asking_turn = seg.turn
                continue
            n_in_turn = n_in_turn + 1 if seg.turn == turn else 1
            turn = seg.turn
            for kind, name in _findings(seg, asked and n_in_turn <= 2):
                key = (kind, _key(name))
                finding = merged.setdefault(key, Finding(kind, name))
                finding.fragments.append((seg.transcript, seg.start, seg.end))
    return list(merged.values())


def _findings(seg: Segment, asked: bool) -> list[tuple[str, str]]:
    out = [("initiatief", name) for name in initiatives_in(seg.text)]
    need = need_in(seg.text, asked)
    if need:
        out.append(("behoefte", need))
    return out


def _key(name: str) -> str:
    return " ".join(w for w in _words(name.lower()) if w not in DROP)


def link(findings: Sequence[Finding], entries: Sequence[tuple[str, str, Sequence[str]]], kind: str) -> None:
    """Set `link` of each finding of `kind` to the id of the entry (id, name, aliases) it names."""
    for f in findings:
        if f.kind != kind:
            continue
        best, score = "", 0.0
        key = _key(f.name)
        for entry_id, name, aliases in entries:
            for label in [name, *aliases]:
                lab = _key(label)
                if not lab or (lab in GENERIC and label != name):
                    continue  # a generic alias never links on its own
                # a one-word name or alias must be what the finding is ("Buurtbemiddeling"), not a word in it
                # ("Wijknetwerk met de gemeente" is no "gemeente")
                # and a one-word finding is not every longer name that has that word in it
                # ("Buurtbemiddeling" is not "screening bij buurtbemiddeling")
                if key == lab:
                    s = 101.0
                elif len(lab.split()) > 1:
                    s = fuzz.token_set_ratio(key, lab) if len(key.split()) > 1 else 0.0
                else:
                    s = 100.0 if key.split()[:1] == [lab] else 0.0
                if s > score:
                    best, score = entry_id, s
        f.link = best if score >= 85 else ""


def study_findings(study, transcripts: Sequence[Transcript]) -> list[Finding]:
    return find(pipeline_for(study), transcripts)


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


def same_name(a: str, b: str) -> bool:
    """Whether two initiative names name the same thing (close in words, or one within the other)."""
    ka, kb = _key(a), _key(b)
    return fuzz.token_set_ratio(ka, kb) >= 80 or (min(len(ka), len(kb)) >= 5 and fuzz.partial_ratio(ka, kb) >= 90)


def score_findings(findings: Sequence[Finding], gold: dict) -> list[MentionScores]:
    """Precision and recall against gold ``{"initiatieven"|"behoeften": [{transcript, naam, fragment}]}``:
    an initiative is right when its transcript has a gold initiative of the same name; a need when one
    of its sentences overlaps a gold need's fragment."""
    out = []
    for kind, key in (("initiatief", "initiatieven"), ("behoefte", "behoeften")):
        rows = [(g["transcript"], g["naam"], *map(int, g["fragment"].split(":")[1].split("-"))) for g in gold[key]]
        mine = [(t, f.name, a, b) for f in findings if f.kind == kind for t, a, b in f.fragments]
        if kind == "initiatief":
            mine = list({(t, n): (t, n, a, b) for t, n, a, b in mine}.values())  # once per transcript
            hit = lambda m, g: m[0] == g[0] and same_name(m[1], g[1])  # noqa: E731
        else:
            hit = lambda m, g: m[0] == g[0] and m[2] < g[3] and g[2] < m[3]  # noqa: E731
        gold_items = list({(g[0], _key(g[1])): g for g in rows}.values()) if kind == "initiatief" else rows
        correct = sum(any(hit(m, g) for g in rows) for m in mine)
        recalled = sum(any(hit(m, g) for m in mine) for g in gold_items)
        out.append(MentionScores(kind, len(mine), correct, len(gold_items), recalled))
    return out
