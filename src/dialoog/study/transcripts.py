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

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text
from dialoog.study.gemeenten import find_gemeente, match_wijk, slugify, wijken
from dialoog.study.yamlload import line_of, load_yaml

#: Respondent roles, with the Dutch label used in reports.
ROLES: dict[str, str] = {
    "lhbt-inwoner": "LHBT-inwoner",
    "wijkprofessional": "Wijkprofessional",
    "politie": "Politie",
    "woningcorporatie": "Woningcorporatie",
    "vrijwilliger": "Vrijwilliger",
    "gemeente": "Gemeente",
    "belangenorganisatie": "Belangenorganisatie",
    "onderwijs": "Onderwijs",
    "zorg": "Zorg",
    "onbekend": "Onbekend",
}

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

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
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


def body_hash(body: str) -> str:
    """The SHA-256 of a transcript body (line endings normalised), as recorded in ``checked``."""
    import hashlib

    return "sha256:" + hashlib.sha256(body.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def edited_after_check(t: Transcript) -> bool:
    """Whether a pseudonymised transcript's body differs from the one its ``checked`` hash was made of
    (or it has no hash at all): then it must be checked again before it is used."""
    return bool(t.meta.get("pseudonymised")) and t.meta.get("checked") != body_hash(t.body)


def render(meta: dict[str, Any], turns: list[tuple[str, str]]) -> str:
    """The normalised text of a transcript from its metadata and (speaker, text) turns."""
    ordered = {k: meta.get(k) for k in META_KEYS if k in meta or k in REQUIRED_KEYS}
    front = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, default_flow_style=False)
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


def validate_meta(meta: Any, path: Path, front_line: int = 2) -> list[DialoogError]:
    """All problems with the front matter of the transcript at `path`."""
    if not isinstance(meta, dict):
        return [DialoogError("front matter must be a mapping of keys to values", path=path, line=front_line)]
    problems: list[DialoogError] = []

    def bad(key: str, message: str, hint: str | None = None) -> None:
        problems.append(DialoogError(message, path=path, line=line_of(meta, key), key=key, hint=hint))

    for key in REQUIRED_KEYS:
        if key not in meta:
            problems.append(DialoogError("missing required key", path=path, line=front_line, key=key))
    for key in meta:
        if key not in META_KEYS:
            bad(str(key), "unknown key", hint=f"allowed keys: {', '.join(META_KEYS)}")

    tid = meta.get("id")
    if "id" in meta and (not isinstance(tid, str) or not ID_RE.match(tid)):
        bad("id", "id must be lower-case letters, digits and '-', e.g. 'schiedam-01'")
    elif isinstance(tid, str) and tid != path.stem:
        bad("id", f"id '{tid}' does not match the file name '{path.name}'", hint=f"rename the file to '{tid}.md'")

    gemeente = None
    if "gemeente" in meta:
        try:
            gemeente = find_gemeente(str(meta["gemeente"]))
        except DialoogError as exc:
            bad("gemeente", exc.detail, exc.hint)
        else:
            if slugify(gemeente.name) != path.parent.name:
                bad(
                    "gemeente",
                    f"gemeente '{gemeente.name}' does not match the folder '{path.parent.name}'",
                    hint=f"move the file to interviews/{gemeente.slug}/",
                )
    wijk = meta.get("wijk")
    if wijk is not None:
        if not isinstance(wijk, str):
            bad("wijk", "wijk must be text")
        elif gemeente is not None and match_wijk(gemeente, wijk) is None:
            bad(
                "wijk",
                f"'{wijk}' is not a CBS wijk of {gemeente.name}",
                hint="known wijken: " + ", ".join(wijken(gemeente.code)),
            )
    datum = meta.get("datum")
    if datum is not None and not isinstance(datum, dt.date):
        bad("datum", f"'{datum}' is not a date", hint="write it as YYYY-MM-DD, e.g. 2026-03-12")
    interviewer = meta.get("interviewer")
    if interviewer is not None and not isinstance(interviewer, str):
        bad("interviewer", "interviewer must be text")
    if "respondent" in meta and meta["respondent"] not in ROLES:
        bad("respondent", f"unknown respondent role '{meta['respondent']}'", hint="use one of: " + ", ".join(ROLES))
    for key in ("consent", "pseudonymised", "fictional"):
        if key in meta and not isinstance(meta[key], bool):
            bad(key, f"{key} must be true or false")
    checked = meta.get("checked")
    if checked is not None and not (isinstance(checked, str) and re.fullmatch(r"sha256:[0-9a-f]{64}", checked)):
        bad("checked", "checked must be the hash written by 'dialoog pseudonymise'", hint="remove the line")
    return problems


def load(path: Path) -> Transcript:
    """Read and validate one normalised transcript; raises DialoogError naming file, line and key."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DialoogError(
            "not UTF-8 text", path=path, hint="normalised transcripts are written by 'dialoog import'"
        ) from None
    front, body, body_line = split_front_matter(text, path)
    meta = load_yaml(front, path, line_offset=1)
    problems = validate_meta(meta, path)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        from dialoog.errors import ValidationError

        raise ValidationError(problems)
    turns = parse_turns(body, path, body_line)
    if not turns:
        raise DialoogError("the transcript has no turns", path=path, line=body_line)
    meta = dict(meta)
    if gem := meta.get("gemeente"):
        meta["gemeente"] = find_gemeente(str(gem)).name
    if meta.get("wijk"):
        meta["wijk"] = match_wijk(find_gemeente(meta["gemeente"]), meta["wijk"])
    return Transcript(path=path, meta=meta, body=body, turns=turns)


def save(path: Path, meta: dict[str, Any], turns: list[tuple[str, str]]) -> Path:
    """Write a normalised transcript atomically."""
    atomic_write_text(Path(path), render(meta, turns))
    return Path(path)
