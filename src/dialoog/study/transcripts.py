"""The normalised transcript: YAML front matter, then one turn per paragraph.

File: ``interviews/<gemeente-slug>/<id>.md``::

    ---
    id: schiedam-01
    gemeente: Schiedam
    ...
    ---

    **Interviewer:** Kun je iets vertellen over ...

    **Respondent:** Ja hoor, ...

Character offsets (turns, codings) are offsets into the *body*: everything after the line ``---``
that closes the front matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text
from dialoog.study.schemas.files import ROLES, FrontMatter
from dialoog.study.schemas.types import ID_PATTERN
from dialoog.study.yamlload import dump_yaml, load_yaml, read_text, validate, yaml_key_at

__all__ = ["ROLES", "Transcript", "Turn", "load", "render", "save"]

#: Front-matter keys in the order they are written; all but `checked` and `fictional` are required.
#: `checked` is the SHA-256 of the body that `dialoog pseudonymise` produced or last checked.
META_KEYS = (
    "id",
    "gemeente",
    "wijk",
    "datum",
    "interviewer",
    "respondent",
    "consent",
    "pseudonymised",
    "checked",
    "fictional",
)
REQUIRED_KEYS = tuple(k for k in META_KEYS if k not in ("checked", "fictional"))

ID_RE = re.compile(ID_PATTERN)
TURN_RE = re.compile(r"^\*\*(?P<speaker>[^*\n]{1,80}?):\*\* (?P<text>\S.*)$")
#: A block without a speaker that has a time (a subtitle cue): ``**[00:00:01,000 --> 00:00:04,000]** text``
_TIME = r"(?P<time>\d[\d:.,]{0,15}(?: --> \d[\d:.,]{0,15})?)"  # 00:01:12 or 00:00:01,000 --> 00:00:04,000
TIMED_BLOCK_RE = re.compile(rf"^\*\*\[{_TIME}\]\*\* (?P<text>\S.*)$")
_TIME_PREFIX = re.compile(rf"^\[{_TIME}\] (?P<speaker>\S.*)$")
FENCE = "---\n"


@dataclass(frozen=True)
class Turn:
    """One speaker turn; `start`/`end` are the offsets of its text (without the label) in the body.

    A block of a document (a source without speakers) is a turn whose `speaker` is ""; `time` is the
    time stamp a subtitle cue or a ``[00:01:12] Naam:`` label gave the turn (not part of its text).
    """

    index: int
    speaker: str
    start: int
    end: int
    text: str
    time: str | None = None


@dataclass
class Transcript:
    path: Path
    meta: dict[str, Any]
    body: str
    turns: list[Turn] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.meta["id"])

    @property
    def gemeente(self) -> str:
        return str(self.meta["gemeente"])

    @property
    def role(self) -> str:
        return str(self.meta["respondent"])

    @property
    def wijk(self) -> str | None:
        return self.meta.get("wijk")

    def turn_at(self, start: int, end: int) -> Turn | None:
        """The turn whose text contains [start, end), if any."""
        for turn in self.turns:
            if turn.start <= start and end <= turn.end:
                return turn
        return None

    def word_count(self) -> int:
        return sum(len(t.text.split()) for t in self.turns)


def body_hash(body: str) -> str:
    """The SHA-256 of a transcript body (line endings normalised), as recorded in ``checked``."""
    import hashlib

    return "sha256:" + hashlib.sha256(body.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def edited_after_check(t: Transcript) -> bool:
    """Whether a pseudonymised transcript's body differs from the one its ``checked`` hash was made of
    (or it has no hash at all): then it must be checked again before it is used."""
    return bool(t.meta.get("pseudonymised")) and t.meta.get("checked") != body_hash(t.body)


def turn_prefix(speaker: str | None, time: str | None = None) -> str:
    """What precedes a turn's text in the body: ``**Speaker:** ``, ``**[time] Speaker:** ``, ``**[time]** ``
    for a timed block without a speaker, and nothing for a document block."""
    if speaker:
        return f"**[{time}] {speaker}:** " if time else f"**{speaker}:** "
    return f"**[{time}]** " if time else ""


def render_body(turns: list[tuple[str, str]] | list[tuple[str, str, str | None]], *, exact: bool = False) -> str:
    """The body of a transcript: one paragraph per (speaker, text[, time]) turn. Without `exact` the
    whitespace of a text is collapsed to single spaces; with it the text is kept as it is (it must be
    stripped and hold no blank line: `dialoog.ingest` checks that)."""
    paragraphs = []
    for turn in turns:
        speaker, text = turn[0], turn[1]
        time = turn[2] if len(turn) > 2 else None
        paragraphs.append(turn_prefix(speaker, time) + (text if exact else " ".join(text.split())))
    return "\n" + "\n\n".join(paragraphs) + "\n"


def render(meta: dict[str, Any], turns: list[tuple[str, str]], *, exact: bool = False) -> str:
    """The normalised text of a transcript from its metadata and (speaker, text) turns."""
    ordered = {k: meta.get(k) for k in META_KEYS if k in meta or k in REQUIRED_KEYS}
    front = dump_yaml(ordered)
    return FENCE + front + FENCE + render_body(turns, exact=exact)


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """(front matter, body, number of lines before the body)."""
    text = text.replace("\r\n", "\n")
    if not text.startswith(FENCE):
        raise DialoogError(
            "missing front matter: the file must start with a line '---'",
            path=path,
            line=1,
            hint="import raw transcripts with 'dialoog import' instead of copying them into interviews/",
        )
    close = text.find("\n" + FENCE, len(FENCE) - 1)
    if close == -1:
        raise DialoogError("front matter is not closed by a line '---'", path=path, line=1)
    front = text[len(FENCE) : close + 1]
    body = text[close + 1 + len(FENCE) :]
    return front, body, front.count("\n") + 2


def parse_turns(body: str, path: Path, first_line: int) -> list[Turn]:
    """The turns of a body. Paragraphs are separated by blank lines; a line ``**Speaker:** text`` starts a
    turn, which goes on over the lines after it up to the next blank line or turn. Paragraphs without a
    label before the first turn (all of them in a document) are blocks without a speaker."""
    turns: list[Turn] = []
    pos = 0
    line_no = first_line
    current: list[Any] | None = None  # [speaker, start, end, time] of the paragraph being read
    labelled = False  # a turn with a speaker was read

    def close() -> None:
        if current is not None:
            speaker, start, end, time = current
            turns.append(Turn(len(turns), speaker, start, end, body[start:end], time))

    for line in body.split("\n"):
        stripped = line.rstrip()
        if not stripped.strip():
            close()
            current = None
        else:
            m = TURN_RE.match(line)
            timed = None if m else TIMED_BLOCK_RE.match(line)
            if m or timed:
                close()
                labelled = labelled or m is not None
                found = m or timed
                speaker, time = (m.group("speaker").strip(), None) if m else ("", timed.group("time"))
                if m and (tm := _TIME_PREFIX.match(speaker)):
                    speaker, time = tm.group("speaker"), tm.group("time")
                current = [speaker, pos + found.start("text"), pos + len(stripped), time]
            elif current is not None:
                current[2] = pos + len(stripped)
            elif labelled:
                raise DialoogError(
                    "a turn must be one line starting with '**Speaker:** ' followed by the text",
                    path=path,
                    line=line_no + 1,
                    hint="a paragraph after a turn needs a speaker (no blank line within a turn)",
                )
            else:  # a block of a document, or before the first turn
                lead = len(line) - len(line.lstrip())
                current = ["", pos + lead, pos + len(stripped), None]
        pos += len(line) + 1
        line_no += 1
    close()
    return turns


def validate_meta(meta: Any, path: Path) -> dict[str, Any]:
    """The front matter of the transcript at `path`, validated (schema: `FrontMatter`), as a dict of the keys
    written, with the gemeente and wijk in their CBS spelling. Messages never repeat a value."""
    front = validate(meta, FrontMatter, path, context={"path": path}, quote=False)
    return front.model_dump(exclude_unset=True)


def load(path: Path) -> Transcript:
    """Read and validate one normalised transcript; raises DialoogError naming file, line and key."""
    path = Path(path)
    text = read_text(path, lambda lines, line, column: _front_key(lines, line))
    front, body, body_line = split_front_matter(text, path)
    meta = validate_meta(load_yaml(front, path, line_offset=1), path)
    turns = parse_turns(body, path, body_line)
    if not turns:
        raise DialoogError("the transcript has no turns", path=path, line=body_line)
    return Transcript(path=path, meta=meta, body=body, turns=turns)


def _front_key(lines: list[str], line: int) -> str | None:
    """The front-matter key of `line`, or None in the body."""
    closing = next((i + 1 for i, text in enumerate(lines[1:], start=1) if text.rstrip("\r") == "---"), len(lines))
    return yaml_key_at(lines[1:closing], line - 1) if 1 < line < closing + 1 else None


def save(path: Path, meta: dict[str, Any], turns: list[tuple[str, str]], *, exact: bool = False) -> Path:
    """Write a normalised transcript atomically (`exact`: keep each turn's text as it is, see `render_body`)."""
    atomic_write_text(Path(path), render(meta, turns, exact=exact))
    return Path(path)
