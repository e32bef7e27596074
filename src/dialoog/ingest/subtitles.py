"""Subtitle files (.srt, .vtt) as transcripts: one turn per cue, its time kept as turn metadata.

A cue's number or identifier and its timing line are not text: they are taken out (the time becomes
the turn's ``time``, shown in the body as ``**[00:00:01,000 --> 00:00:04,000] Spreker:**``). A speaker
comes from a WebVTT voice tag (``<v Roel>``) or a consistent label at the start of the cue text
(``Interviewer: ...``); a cue without one is a timed block without a speaker. WebVTT's header, NOTE,
STYLE and REGION blocks are not text either.
"""

from __future__ import annotations

import re
from pathlib import Path

from dialoog.errors import DialoogError
from dialoog.ingest.formats import decode
from dialoog.ingest.labels import accept, read_line
from dialoog.ingest.normalise import Normalised, Segment, _strip, check_body, lines_of

_TIMING = re.compile(
    r"^[ \t]*(?P<a>(?:\d{1,3}:)?\d{1,2}:\d{2}[,.]\d{1,3})[ \t]+-->[ \t]+(?P<b>(?:\d{1,3}:)?\d{1,2}:\d{2}[,.]\d{1,3})"
)
_VOICE = re.compile(r"^<v(?:\.[\w.-]+)?[ \t]+(?P<name>[^>\n]{1,60})>[ \t]*")
_VTT_BLOCKS = ("WEBVTT", "NOTE", "STYLE", "REGION")
_LOOKS_LIKE = re.compile(r"^\s*(?:WEBVTT|\d{1,6}\r?\n[ \t]*(?:\d{1,3}:)?\d{1,2}:\d{2}[,.]\d{1,3}[ \t]+-->)")


def looks_like_subtitles(data: bytes) -> bool:
    """Whether a text file is subtitles under another name (an .srt saved as .txt)."""
    return _LOOKS_LIKE.match(data[:200].decode("utf-8", "ignore").lstrip("\ufeff")) is not None


def _cues(text: str, path: Path, vtt: bool) -> list[list[tuple[int, int]]]:
    """The paragraphs of the file (lists of line spans), blank lines between them."""
    paragraphs: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for a, b in lines_of(text):
        if text[a:b].strip():
            current.append((a, b))
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    if vtt and (not paragraphs or not text[paragraphs[0][0][0] :].startswith("WEBVTT")):
        raise DialoogError("a WebVTT file must start with 'WEBVTT'", path=path, line=1)
    return paragraphs


def read_subtitles(path: Path, data: bytes, speaker: str | None = None) -> tuple[Normalised, str]:
    """The turns of a .srt or .vtt file; returns the result and the encoding."""
    text, encoding, _bom = decode(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    vtt = path.suffix.lower() == ".vtt" or (path.suffix.lower() != ".srt" and text.lstrip().startswith("WEBVTT"))
    removed: list[tuple[int, int, str]] = []
    cues: list[tuple[int, int, str]] = []  # text start, text end, time
    for para in _cues(text, path, vtt):
        first = text[para[0][0] : para[0][1]].strip()
        k = next((i for i, (a, b) in enumerate(para) if _TIMING.match(text[a:b])), None)
        if k is None:
            if vtt and first.split(" ")[0].split("\t")[0] in _VTT_BLOCKS:
                removed.append((para[0][0], para[-1][1], "subtitle header or note"))
                continue
            raise DialoogError(
                "a subtitle block without a timing line ('00:00:01,000 --> 00:00:04,000')",
                path=path,
                line=text.count("\n", 0, para[0][0]) + 1,
                hint="check the file: every cue has a number (optional in .vtt), a timing line and its text",
            )
        a, b = para[k]
        m = _TIMING.match(text[a:b])
        removed.append((para[0][0], b, "cue number and timing"))
        if k + 1 < len(para):
            s, e = _strip(text, para[k + 1][0], para[-1][1])
            cues.append((s, e, f"{m.group('a')} --> {m.group('b')}"))
    segments = _speakers(text, cues, removed, speaker)
    kind = "interview" if any(s.speaker for s in segments) else "document"
    result = Normalised(text, segments, removed, kind)
    if not segments:
        raise DialoogError("the subtitle file has no cue with text", path=path)
    check_body(result, path)
    return result, encoding


def _speakers(
    text: str, cues: list[tuple[int, int, str]], removed: list[tuple[int, int, str]], speaker: str | None
) -> list[Segment]:
    candidates = []
    for s, e, _time in cues:
        first_end = text.find("\n", s, e)
        line = text[s : e if first_end < 0 else first_end]
        candidates.append(None if _VOICE.match(line) else read_line(line))
    labels = accept(candidates) if speaker is None else None
    segments = []
    for (s, e, time), cand in zip(cues, candidates, strict=True):
        who = speaker or ""
        voice = _VOICE.match(text[s:e])
        if voice:
            who = voice.group("name").strip()
            removed.append((s, s + voice.end(), "voice tag"))
            s += voice.end()
        elif labels is not None and (found := labels.speaker(cand)) is not None:
            who = found
            removed.append((s + cand.marker_start, s + cand.text_start, "label"))
            s += cand.text_start
        if text[s:e].endswith("</v>"):
            removed.append((e - 4, e, "voice tag"))
            e -= 4
        s, e = _strip(text, s, e)
        if s < e:
            segments.append(Segment(who, s, e, time))
    return segments
