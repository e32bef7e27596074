"""A source text into turns with an exact map from the source to the transcript body.

The source text is sacred: every character of it is either in the text of a turn, unchanged, or part of
a span the importer took out and says what it was (a speaker label, a time stamp, a subtitle cue
number and timing, a front-matter block), or white space between paragraphs. `Normalised.reconstruct`
gives the source text back from the body and those spans, and `Normalised.to_body` maps a source span to
body spans exactly. Line ends are LF (the readers turn CR LF and CR into LF) and a byte-order mark is
not text.

Interviews: a line that starts with an accepted label (`dialoog.ingest.labels`) starts a turn; the lines
after it continue the turn; a blank line ends a paragraph, and the next paragraph without a label is a
new turn of the same speaker. Paragraphs before the first label are blocks without a speaker.
Documents: every paragraph is a block without a speaker (or a turn of `speaker`, for a monologue).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from dialoog.errors import DialoogError
from dialoog.ingest.labels import Candidate, Labels, accept, read_line
from dialoog.study.transcripts import TIMED_BLOCK_RE, TURN_RE, parse_turns, turn_prefix

KINDS = ("detect", "interview", "document")


@dataclass(slots=True)
class Segment:
    """The text of one turn: source[start:end], which is body[body_start:body_start + end - start]."""

    speaker: str
    start: int
    end: int
    time: str | None = None
    body_start: int = 0


@dataclass
class Normalised:
    source: str
    segments: list[Segment]
    removed: list[tuple[int, int, str]]  # source spans that are not text: (start, end, what)
    kind: str  # interview | document
    labels: Labels = field(default_factory=Labels)
    body: str = ""

    def __post_init__(self) -> None:
        if not self.body:
            self.body = build_body(self.source, self.segments)
        self._starts = [s.start for s in self.segments]
        self._removed = sorted(self.removed)  # spans do not overlap: their ends are sorted too
        self._removed_ends = [b for _a, b, _what in self._removed]

    def turns(self) -> list[tuple[str, str, str | None]]:
        return [(s.speaker, self.source[s.start : s.end], s.time) for s in self.segments]

    def texts(self) -> list[str]:
        return [self.source[s.start : s.end] for s in self.segments]

    def reconstruct(self) -> str:
        """The source text from the body (the turns' texts) and the removed spans; white space between."""
        pieces: list[str] = []
        pos = 0
        marks = sorted(
            [(s.start, s.end, "text", s.body_start) for s in self.segments]
            + [(a, b, what, -1) for a, b, what in self.removed]
        )
        for start, end, what, body_start in marks:
            gap = self.source[pos:start]
            if gap.strip():
                raise AssertionError(f"source characters {pos}-{start} are neither text nor a removed span")
            pieces.append(gap)
            if what == "text":
                pieces.append(self.body[body_start : body_start + end - start])
            else:
                pieces.append(self.source[start:end])
            pos = end
        tail = self.source[pos:]
        if tail.strip():
            raise AssertionError(f"source characters after {pos} are neither text nor a removed span")
        return "".join(pieces) + tail

    def to_body(self, start: int, end: int) -> tuple[list[tuple[int, int]], bool]:
        """Body spans of source[start:end], one per turn it touches (white-space-only pieces left out),
        and whether the span covers removed non-white-space (a label) that is not in the body."""
        pieces: list[tuple[int, int]] = []
        i = max(0, bisect.bisect_right(self._starts, start) - 1)
        covered = 0
        while i < len(self.segments) and self.segments[i].start < end:
            seg = self.segments[i]
            s, e = max(start, seg.start), min(end, seg.end)
            if s < e:
                covered += e - s
                if self.source[s:e].strip():
                    pieces.append((seg.body_start + s - seg.start, seg.body_start + e - seg.start))
            i += 1
        label = False
        if end - start > covered:  # part of the span is outside the turns' text: a label, or white space
            k = bisect.bisect_right(self._removed_ends, start)
            while not label and k < len(self._removed) and self._removed[k][0] < end:
                a, b, _what = self._removed[k]
                label = bool(self.source[max(a, start) : min(b, end)].strip())
                k += 1
        return pieces, label


def build_body(source: str, segments: list[Segment]) -> str:
    """The body (see `dialoog.study.transcripts.render_body`), setting each segment's `body_start`."""
    parts = ["\n"]
    pos = 1
    for n, seg in enumerate(segments):
        if n:
            parts.append("\n\n")
            pos += 2
        prefix = turn_prefix(seg.speaker, seg.time)
        parts.append(prefix)
        pos += len(prefix)
        seg.body_start = pos
        parts.append(source[seg.start : seg.end])
        pos += seg.end - seg.start
    parts.append("\n")
    return "".join(parts)


def lines_of(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of an LF text, without its line end."""
    out = []
    pos = 0
    while True:
        k = text.find("\n", pos)
        if k < 0:
            out.append((pos, len(text)))
            return out
        out.append((pos, k))
        pos = k + 1


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _paragraphs(text: str, lines: list[tuple[int, int]], per_line: bool) -> list[tuple[int, int]]:
    """Paragraph spans: separated by blank lines, or each line when `per_line`."""
    out: list[tuple[int, int]] = []
    open_start: int | None = None
    last_end = 0
    for a, b in lines:
        s, e = _strip(text, a, b)
        if s == e:
            if open_start is not None:
                out.append((open_start, last_end))
                open_start = None
            continue
        if per_line:
            out.append((s, e))
            continue
        if open_start is None:
            open_start = s
        last_end = e
    if open_start is not None:
        out.append((open_start, last_end))
    return out


def segment(
    text: str,
    *,
    kind: str = "detect",
    speaker: str | None = None,
    interviewer_label: str | None = None,
    per_line: bool | None = None,
    skip: int = 0,
    path: Path | None = None,
) -> Normalised:
    """Turns of a source text (LF line ends). `skip`: characters at the start that are not text (a
    front-matter block). `per_line`: every line is a paragraph (default: when the text has no blank line)."""
    removed: list[tuple[int, int, str]] = [(0, skip, "front matter")] if skip else []
    lines = [(a, b) for a, b in lines_of(text) if b > skip or a >= skip]
    lines = [(max(a, skip), b) for a, b in lines]
    if per_line is None:
        per_line = not any(not text[a:b].strip() for a, b in lines[1:-1])
    candidates: list[Candidate | None] = []
    if kind != "document" and speaker is None:
        candidates = [read_line(text[a:b]) if b > a else None for a, b in lines]
        labels = accept(candidates, interviewer_label)
    else:
        labels = Labels()
    if interviewer_label and interviewer_label.strip() and not labels.speakers.get(" ".join(interviewer_label.split())):
        raise DialoogError(
            "the --interviewer-label is not used as a label in this file",
            path=path,
            key="--interviewer-label",
            hint="give the label as it is written before the ':' in the file",
        )
    if kind == "interview" and not labels.speakers:
        raise DialoogError(
            "no speaker labels found",
            path=path,
            hint="start each turn with a label such as 'Interviewer:', 'I:', 'R1:' or 'Naam (organisatie):', "
            "or import it as a document (--kind document)",
        )
    if not labels.speakers:
        segments = [Segment(speaker or "", s, e) for s, e in _paragraphs(text, lines, per_line)]
        result = Normalised(text, segments, removed, "document", labels)
    else:
        result = _interview(text, lines, candidates, labels, removed)
    if not result.segments:
        raise DialoogError("the file has no text", path=path, hint="check that this is the right file")
    check_body(result, path)
    return result


def _interview(
    text: str,
    lines: list[tuple[int, int]],
    candidates: list[Candidate | None],
    labels: Labels,
    removed: list[tuple[int, int, str]],
) -> Normalised:
    segments: list[Segment] = []
    current: Segment | None = None
    pending: tuple[str, str | None] | None = None  # a label alone on its line: (speaker, time)
    last: str | None = None  # speaker of the last turn
    for (a, b), cand in zip(lines, candidates, strict=True):
        who = labels.speaker(cand)
        if who is not None:
            current = None
            removed.append((a + cand.marker_start, a + cand.text_start, "label"))
            pending, last = (who, cand.time), who
            s, e = _strip(text, a + cand.text_start, b)
        else:
            s, e = _strip(text, a, b)
            if s == e:
                current = None
                continue
        if s == e:
            continue
        if current is not None:
            current.end = e
        elif pending is not None:
            current = Segment(pending[0], s, e, pending[1])
            segments.append(current)
            pending = None
        else:
            current = Segment(last or "", s, e)
            segments.append(current)
    return Normalised(text, segments, removed, "interview", labels)


def check_body(result: Normalised, path: Path | None) -> None:
    """Fail loudly when the body would not read back as the same turns (a line of the text that reads
    as a turn label, for instance); the offsets would not be exact."""
    turns = parse_turns(result.body, path or Path("source"), 0)
    got = [(t.speaker, t.start, t.end, t.time) for t in turns]
    want = [(s.speaker, s.body_start, s.body_start + s.end - s.start, s.time) for s in result.segments]
    if got == want:
        return
    n = next((i for i, (g, w) in enumerate(zip(got, want, strict=False)) if g != w), min(len(got), len(want)))
    seg = result.segments[min(n, len(result.segments) - 1)]
    line = _line_of(result.source, seg.start)
    for k, piece in enumerate(result.source[seg.start : seg.end].split("\n")):
        if k and (TURN_RE.match(piece) or TIMED_BLOCK_RE.match(piece)):
            line += k
            break
    raise DialoogError(
        "this text cannot be kept exactly: a line in it reads as a speaker label of the normalised form ('**Name:** ')",
        path=path,
        line=line,
        hint="change that line in the source (or import the file as a document with --kind document)",
    )
