"""Speaker labels: which lines start with one, and which labels a file uses consistently.

A line is read in linear time: only its first `_HEAD` characters (after the indentation) are matched, with
a pattern whose repetitions are bounded, so a line of 300,000 spaces costs no more than reading it.

Recognised forms, each optionally after a time stamp such as ``[00:01:12]`` or ``00:01:12 -`` and
optionally in Markdown bold: ``Label: text``, ``Label - text`` / ``Label – text`` (dash labels),
``Label<TAB>text`` (tables of transcription services). The label itself is a generic role
(``Interviewer``, ``I``, ``R2``, ``V``/``A``, ``Q``/``A``, ``Spreker 1``, ``Deelnemer 3``, ...) or a
short name, optionally with an organisation: ``Marloes (COC)``.

A candidate becomes a speaker only when the file uses it consistently (`accept`): names in one style
(time stamps, bold, separator), generic roles in any style, names only when they occur at least twice
(once is enough in a style with time stamps, bold or a table), there are at most `MAX_NAMES` of them, at
least two speakers take turns, and names look like names.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

_HEAD = 160  # a label and its time stamp are always within this many characters of the line start
_TS = r"(?P<ts>[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?)[ \t]*(?:[-–][ \t]*)?"
LABEL_RE = re.compile(
    rf"(?:{_TS})?(?P<b1>\*\*|__)?[ \t]*"
    r"(?P<label>[^\W\d_](?:[\w.'’-]| (?=[^\s\-–:])){0,29}?(?:[ \t]*\([^()\n]{1,40}\))?)"
    r"[ \t]*(?P<b2>\*\*|__)?"
    r"(?:(?P<colon>[ \t]?:(?:\*\*|__)?)(?=[ \t]|$)|(?P<dash>[ \t]+[-–][ \t]+)|(?P<tab>\t))"
)
_SPACE = " \t"

_INTERVIEWER = {"i", "int", "interviewer", "interviewster", "onderzoeker", "onderzoekster", "moderator"}
_INTERVIEWER |= {"gespreksleider", "gespreksleidster"}
_INTERVIEWER |= {"facilitator", "researcher", "vraag", "question"}
_RESPONDENT = {"r", "resp", "respondent", "respondente", "geinterviewde", "geïnterviewde", "interviewee"}
_RESPONDENT |= {"antwoord", "answer"}
_OTHER = {"spreker": "Spreker", "speaker": "Spreker", "s": "Spreker", "deelnemer": "Deelnemer"}
_OTHER |= {"participant": "Deelnemer", "p": "Deelnemer"}
_NUMBERED_TEXT = {"vraag", "question", "antwoord", "answer"}
_PAIRS = {"v": "a", "q": "a"}  # vraag/antwoord, question/answer: V and Q ask, A answers
_NUMBERED = re.compile(r"^(?P<base>[^\W\d_]+?)\.?\s*(?P<n>\d{1,2})$")
_PARTICLES = {"van", "de", "der", "den", "ten", "ter", "te", "'t", "la", "le", "von", "el", "al", "da", "di", "du"}
MAX_NAMES = 8


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible label at the start of a line; offsets are within the line."""

    label: str  # whitespace collapsed
    style: tuple[bool, bool, str]  # (time stamp, bold, separator)
    marker_start: int  # first character of the label (or its time stamp)
    text_start: int  # first character of the text after it (may be the end of the line)
    time: str | None


def read_line(line: str) -> Candidate | None:
    """The label a line starts with, if it has the shape of one (whether it is one decides `accept`)."""
    indent = len(line) - len(line.lstrip(_SPACE))
    head = line[indent : indent + _HEAD]
    m = LABEL_RE.match(head)
    if m is None:
        return None
    label = " ".join(m.group("label").split())
    if m.group("colon") is not None:
        sep = "colon"
    elif m.group("dash") is not None:
        sep = "dash"
    else:
        sep = "tab"
    end = m.end()
    while end < len(head) and head[end] in _SPACE:
        end += 1
    ts = m.group("ts")
    style = (ts is not None, bool(m.group("b1") or m.group("b2")), sep)
    return Candidate(label, style, indent, indent + end, ts.strip("[]()") if ts else None)


def _key(label: str) -> str:
    return re.sub(r"\s*\(.*\)$", "", label).strip().rstrip(".").lower()


def canonical_speaker(label: str, pairs: frozenset[str] = frozenset()) -> str | None:
    """The normalised speaker of a generic label ('Int.' -> 'Interviewer', 'R2' -> 'Respondent 2');
    `pairs` holds 'v'/'q' when the file uses V:/A: or Q:/A:, which makes 'A' the respondent."""
    key = _key(label)
    if key in _INTERVIEWER or key in pairs:
        return "Interviewer"
    if key in _RESPONDENT or (key == "a" and pairs):
        return "Respondent"
    if key in _OTHER and len(key) > 1:
        return _OTHER[key]
    m = _NUMBERED.match(key)
    if m:
        base, n = m.group("base"), int(m.group("n"))
        if base in _NUMBERED_TEXT:  # "Vraag 3:" numbers the question, not a third interviewer
            return "Interviewer" if base in _INTERVIEWER else "Respondent"
        if base in _INTERVIEWER:
            return f"Interviewer {n}"
        if base in _RESPONDENT:
            return f"Respondent {n}"
        if base in _OTHER:
            return f"{_OTHER[base]} {n}"
    return None


def is_name(label: str) -> bool:
    """A label such as 'Marloes', 'Jan de Vries' or 'Marloes (COC)': at most three words, capitalised."""
    words = re.sub(r"\(.*\)", "", label).split()
    if not 1 <= len(words) <= 3 or len(label) > 40 or not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w.lower() in _PARTICLES for w in words) and not any(c.isdigit() for c in label)


@dataclass
class Labels:
    """The labels a file uses as speakers: label as written -> speaker."""

    speakers: dict[str, str] = field(default_factory=dict)
    style: tuple[bool, bool, str] | None = None
    rejected: int = 0  # distinct candidate labels not taken as speakers
    other_styles: set[tuple[str, tuple[bool, bool, str]]] = field(default_factory=set)  # generic labels

    def speaker(self, cand: Candidate | None) -> str | None:
        if cand is None or (cand.style != self.style and (cand.label, cand.style) not in self.other_styles):
            return None
        return self.speakers.get(cand.label)

    def roles(self) -> dict[str, list[str]]:
        """Labels as written, per role: interviewer, respondent, other."""
        out: dict[str, list[str]] = {"interviewer": [], "respondent": [], "other": []}
        for label, speaker in self.speakers.items():
            role = speaker.split()[0].lower()
            out[role if role in ("interviewer", "respondent") else "other"].append(label)
        return out


def accept(candidates: list[Candidate | None], interviewer_label: str | None = None) -> Labels:
    """The consistent labels among the candidates of a file's lines (see the module docstring)."""
    found = [c for c in candidates if c is not None]
    wanted = " ".join(interviewer_label.split()) if interviewer_label else None
    distinct = {c.label for c in found}
    keys = {_key(label) for label in distinct}
    pairs = frozenset(k for k in _PAIRS if k in keys and "a" in keys)
    is_generic = {label: label == wanted or canonical_speaker(label, pairs) is not None for label in distinct}
    name_like = {label: is_name(label) for label in distinct}

    def generic(c: Candidate) -> bool:
        return is_generic[c.label]

    styles = Counter(c.style for c in found if generic(c)) or Counter(c.style for c in found if name_like[c.label])
    if not styles:
        return Labels(rejected=len({c.label for c in found}))
    style = styles.most_common(1)[0][0]
    in_style = [c for c in found if c.style == style]
    labels = Labels(style=style)
    names = Counter(c.label for c in in_style if not generic(c) and name_like[c.label])
    strong = style[0] or style[1] or style[2] == "tab"  # time stamps, bold or a table: clearly labels
    core = {n for n, k in names.items() if k >= 2}
    names = Counter({n: k for n, k in names.items() if n in core or (strong and (core or len(names) >= 2))})
    if len(names) > MAX_NAMES:
        names = Counter()
    for c in in_style:
        if c.label in labels.speakers:
            continue
        if c.label == wanted:
            labels.speakers[c.label] = "Interviewer"
        elif generic(c):
            labels.speakers[c.label] = canonical_speaker(c.label, pairs) or c.label
        elif c.label in names:
            labels.speakers[c.label] = c.label
    for c in found:  # a generic role is unambiguous in any style (a table row and a paragraph in one file)
        if c.style != style and generic(c) and c.label in labels.speakers:
            labels.other_styles.add((c.label, c.style))
    sequence = [labels.speakers[c.label] for c in in_style if c.label in labels.speakers]
    changes = sum(1 for a, b in zip(sequence, sequence[1:], strict=False) if a != b)
    only_names = not any(generic(c) for c in in_style)
    # speakers return after another spoke (A B A), also when each of their paragraphs carries the label
    returning = changes + 1 > len(set(sequence))
    if only_names and (len(set(sequence)) < 2 or (changes < (len(sequence) - 1) / 2 and not returning)):
        labels.speakers = {}  # one repeated phrase, or phrases that do not take turns: not a dialogue
    if not labels.speakers:
        labels.style = None
    labels.rejected = len({c.label for c in found} - set(labels.speakers))
    return labels
