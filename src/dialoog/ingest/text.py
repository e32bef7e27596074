"""Import raw files (.txt, .md, .docx, .odt, .pdf, .rtf, .srt, .vtt) into the normalised form.

Interviews and documents: speaker labels in the common styles (`dialoog.ingest.labels`) make turns; a
file without consistent labels is a document, one block per paragraph (`--kind` overrides the
detection, `--speaker` makes every paragraph a turn of one speaker). The source text is kept exactly
(`dialoog.ingest.normalise`); raw files are read, never changed. Importing the same text twice is
refused unless asked for.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dialoog.errors import DialoogError
from dialoog.ingest.formats import SUPPORTED, read_source
from dialoog.ingest.labels import Labels, canonical_speaker
from dialoog.ingest.normalise import KINDS, Normalised, segment
from dialoog.ingest.subtitles import looks_like_subtitles, read_subtitles
from dialoog.study import transcripts as transcripts_mod
from dialoog.study.gemeenten import Gemeente, match_wijk, wijken
from dialoog.study.transcripts import ROLES

__all__ = ["SUPPORTED", "KINDS", "ImportResult", "canonical_speaker", "read_transcript", "mask_label"]


@dataclass
class ImportResult:
    source: Path
    normalised: Normalised
    encoding: str | None = None
    format: str = "txt"

    @property
    def turns(self) -> list[tuple[str, str]]:
        return [(speaker, text) for speaker, text, _time in self.normalised.turns()]

    @property
    def kind(self) -> str:
        return self.normalised.kind

    def speakers(self) -> Counter[str]:
        return Counter(s for s, _ in self.turns if s)

    def words(self) -> int:
        return sum(len(t.split()) for _, t in self.turns)

    def preamble(self) -> int:
        """Blocks without a speaker before the first turn of an interview."""
        if self.kind != "interview":
            return 0
        return next((i for i, (s, _) in enumerate(self.turns) if s), 0)

    def content_hash(self) -> str:
        return content_hash(self.normalised.texts())


def content_hash(texts: list[str]) -> str:
    """Hash of the text of a transcript's turns (what stays of the source text once labels are out)."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8") + b"\x00")
    return digest.hexdigest()


def mask_label(speaker: str) -> str:
    """Speaker label safe to print: generic labels in full, names reduced to their initial."""
    if not speaker:
        return "(no speaker)"
    if canonical_speaker(speaker) is not None or re.match(
        r"^(Interviewer|Respondent|Spreker|Deelnemer)( \d+)?$", speaker
    ):
        return speaker
    org = re.search(r"\(([^()]*)\)", speaker)
    return speaker[0] + "…" + (f" ({org.group(1)})" if org else "")


def describe_labels(labels: Labels) -> str:
    """Which labels (as written) were taken as interviewer, respondent and other speakers; generic labels in
    full, names reduced to their initial (safe to print)."""
    parts = []
    for role, found in labels.roles().items():
        shown = [label if labels.speakers[label] != label else mask_label(label) for label in found]
        if shown:
            parts.append(f"{role} {', '.join(repr(x) for x in shown)}")
    return "; ".join(parts)


def read_transcript(
    path: Path,
    *,
    kind: str = "detect",
    speaker: str | None = None,
    interviewer_label: str | None = None,
) -> ImportResult:
    """Read a raw file and split it into turns (interview) or blocks (document)."""
    path = Path(path)
    if kind not in KINDS:
        raise DialoogError(f"unknown kind '{kind}'", key="--kind", hint="use one of: " + ", ".join(KINDS))
    if speaker is not None and not speaker.strip() or (speaker and any(c in speaker for c in "*:\n[]")):
        raise DialoogError("a speaker name must not be empty or contain '*', ':', '[' or ']'", key="--speaker")
    suffix = path.suffix.lower()
    if suffix in (".srt", ".vtt", ".txt") and path.is_file():
        data = path.read_bytes()
        if suffix != ".txt" or looks_like_subtitles(data):  # an .srt saved as .txt is still subtitles
            normalised, encoding = read_subtitles(path, data, speaker)
            return ImportResult(path, normalised, encoding, "vtt" if data.lstrip().startswith(b"WEBVTT") else "srt")
    source = read_source(path)
    normalised = segment(
        source.text,
        kind=kind,
        speaker=speaker.strip() if speaker else None,
        interviewer_label=interviewer_label,
        per_line=source.per_line,
        skip=source.skip,
        path=path,
    )
    return ImportResult(path, normalised, source.encoding, source.format)


def existing_hashes(interviews: Path) -> dict[str, str]:
    """Content hash -> transcript id of the transcripts already in a study (unreadable ones left out)."""
    out: dict[str, str] = {}
    for file in sorted(Path(interviews).glob("*/*.md")):
        try:
            t = transcripts_mod.load(file)
        except DialoogError:
            continue
        out.setdefault(content_hash([turn.text for turn in t.turns]), t.id)
    return out


def next_id(folder: Path, slug: str, taken: set[str]) -> str:
    n = 1
    existing = {p.stem for p in folder.glob("*.md")} | taken
    while f"{slug}-{n:02d}" in existing:
        n += 1
    return f"{slug}-{n:02d}"


def build_meta(
    tid: str,
    gemeente: Gemeente,
    *,
    wijk: str | None = None,
    datum: Any = None,
    interviewer: str | None = None,
    respondent: str = "onbekend",
    consent: bool = False,
) -> dict[str, Any]:
    if respondent not in ROLES:
        raise DialoogError(
            f"unknown respondent role '{respondent}'", key="--respondent", hint="use one of: " + ", ".join(ROLES)
        )
    if wijk is not None:
        matched = match_wijk(gemeente, wijk)
        if matched is None:
            raise DialoogError(
                f"'{wijk}' is not a CBS wijk of {gemeente.name}",
                key="--wijk",
                hint="known wijken: " + ", ".join(wijken(gemeente.code)),
            )
        wijk = matched
    return {
        "id": tid,
        "gemeente": gemeente.name,
        "wijk": wijk,
        "datum": datum,
        "interviewer": interviewer,
        "respondent": respondent,
        "consent": consent,
        "pseudonymised": False,
    }


def write_transcript(study_interviews: Path, gemeente: Gemeente, result: ImportResult, meta: dict[str, Any]) -> Path:
    target = study_interviews / gemeente.slug / f"{meta['id']}.md"
    if target.exists():
        raise DialoogError(
            "a transcript with this id exists already", path=target, hint="choose another --id or leave --id out"
        )
    return transcripts_mod.save(target, meta, result.normalised.turns(), exact=True)
