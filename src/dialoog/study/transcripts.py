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

#: Front-matter keys in the order they are written; all but `fictional` are required.
META_KEYS = ("id", "gemeente", "wijk", "datum", "interviewer", "respondent", "consent", "pseudonymised", "fictional")
REQUIRED_KEYS = META_KEYS[:-1]

ID_RE = re.compile(ID_PATTERN)
TURN_RE = re.compile(r"^\*\*(?P<speaker>[^*\n]{1,80}?):\*\* (?P<text>\S.*)$")
FENCE = "---\n"


@dataclass(frozen=True)
class Turn:
    """One speaker turn; `start`/`end` are the offsets of its text (without the label) in the body."""

    index: int
    speaker: str
    start: int
    end: int
    text: str


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


def render(meta: dict[str, Any], turns: list[tuple[str, str]]) -> str:
    """The normalised text of a transcript from its metadata and (speaker, text) turns."""
    ordered = {k: meta.get(k) for k in META_KEYS if k in meta or k in REQUIRED_KEYS}
    front = dump_yaml(ordered)
    paragraphs = [f"**{speaker}:** {' '.join(text.split())}" for speaker, text in turns]
    return FENCE + front + FENCE + "\n" + "\n\n".join(paragraphs) + "\n"


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
    turns: list[Turn] = []
    pos = 0
    line_no = first_line
    for line in body.split("\n"):
        if line.strip():
            m = TURN_RE.match(line)
            if not m:
                raise DialoogError(
                    "a turn must be one line starting with '**Speaker:** ' followed by the text",
                    path=path,
                    line=line_no + 1,
                    hint="join the lines of a turn into one paragraph, separated from the next turn by a blank line",
                )
            start = pos + m.start("text")
            text = m.group("text").rstrip()
            turns.append(Turn(len(turns), m.group("speaker").strip(), start, start + len(text), text))
        pos += len(line) + 1
        line_no += 1
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


def save(path: Path, meta: dict[str, Any], turns: list[tuple[str, str]]) -> Path:
    """Write a normalised transcript atomically."""
    atomic_write_text(Path(path), render(meta, turns))
    return Path(path)
