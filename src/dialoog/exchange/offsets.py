"""Where a REFI-QDA text selection lands: offset conventions of real tools, detected per source.

The standard says ``startPosition``/``endPosition`` count Unicode code points from 0. Real exports
differ: NVivo counts UTF-16 code units (an emoji is 2), some tools count a line end as the two
characters CR LF even when the text they ship has LF only (an XML parser turns CR LF in element text
into LF), and some count a byte-order mark. `SourceText` holds a source's text in one canonical form
(no BOM, LF line ends) and maps offsets of each convention onto it; `detect` chooses, per source, the
convention under which the selections land on the text, judged by the selection names that tools such
as ATLAS.ti fill with the quoted text, otherwise by word boundaries. Nothing is shifted silently: a
selection that does not land is reported by `place`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import cached_property

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
UNIT_LABELS = {"codepoint": "Unicode code points", "utf16": "UTF-16 code units", "utf8": "UTF-8 bytes"}


@dataclass(frozen=True)
class Convention:
    unit: str = "codepoint"  # codepoint | utf16 | utf8
    newlines: str = "lf"  # lf: a line end counts 1; crlf: every line end counts 2; raw: as in the file
    bom: bool = False  # the byte-order mark counts as a character

    def describe(self) -> str:
        text = UNIT_LABELS[self.unit]
        if self.newlines == "crlf":
            text += ", line ends counted as CR LF"
        elif self.newlines == "raw":
            text += ", line ends as in the file"
        if self.bom:
            text += ", byte-order mark counted"
        return text


STANDARD = Convention()


_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


class DecodeError(ValueError):
    """Bytes that are not text in an encoding dialoog reads; `line` is where it went wrong (or None)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def decode_text(data: bytes) -> tuple[str, str, bool]:
    """(text, encoding, had a byte-order mark) of a text file: UTF-8 (with or without BOM), UTF-16 with a
    BOM, or Windows-1252 for a file with no UTF-8 in it at all. Invalid UTF-8 in a file that is
    otherwise UTF-8 raises `DecodeError` naming the line: never a silent fallback."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding.removesuffix("-le").removesuffix("-be"), True
            except UnicodeDecodeError as exc:
                line = data[: len(bom) + exc.start].count(b"\n") + 1 if encoding == "utf-8" else None
                raise DecodeError(f"invalid {encoding.upper()} (byte {exc.start + len(bom)})", line) from None
    if b"\x00" in data[:4096]:
        raise DecodeError("this is not a text file (it contains binary data)")
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError as exc:
        if _UTF8_SEQ.search(data):
            line = data[: exc.start].count(b"\n") + 1
            raise DecodeError(f"invalid UTF-8 at byte {exc.start} in a file that is otherwise UTF-8", line) from None
    try:
        return data.decode("cp1252"), "windows-1252", False
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DecodeError("the text is neither UTF-8 nor Windows-1252", line) from None


def decode_source(data: bytes) -> tuple[str, bool]:
    """Text of a source file and whether it had a byte-order mark (see `decode_text`)."""
    text, _encoding, bom = decode_text(data)
    return text, bom


class SourceText:
    """A source's text: `raw` as shipped (without BOM), `text` canonical (LF line ends)."""

    def __init__(self, raw: str, had_bom: bool = False) -> None:
        if raw.startswith("\ufeff"):
            raw, had_bom = raw[1:], True
        self.raw = raw
        self.had_bom = had_bom
        self.text = raw.replace("\r\n", "\n").replace("\r", "\n")

    @classmethod
    def from_bytes(cls, data: bytes) -> SourceText:
        return cls(*decode_source(data))

    @cached_property
    def conventions(self) -> list[Convention]:
        """The conventions that can differ for this text, the standard one first."""
        units = ["codepoint"]
        if _ASTRAL.search(self.text):
            units.append("utf16")
        newlines = ["lf"]
        if "\n" in self.text:
            newlines.append("crlf")
        if self.raw != self.text and self.raw != self.text.replace("\n", "\r\n"):
            newlines.append("raw")
        boms = [False, True] if self.had_bom else [False]
        out = [Convention(u, n, b) for b in boms for n in newlines for u in units]
        if not self.text.isascii():
            out.append(Convention("utf8", "lf", False))
        return out

    def _units(self, ch: str, unit: str) -> int:
        if unit == "utf16":
            return 2 if ord(ch) > 0xFFFF else 1
        if unit == "utf8":
            return len(ch.encode("utf-8"))
        return 1

    def index(self, conv: Convention) -> list[int | None]:
        """For each offset in `conv`, the offset in `text` (None inside a character)."""
        cache = self.__dict__.setdefault("_index", {})
        if conv in cache:
            return cache[conv]
        if conv == STANDARD or (
            conv.unit == "utf16" and conv.newlines == "lf" and not conv.bom and not _ASTRAL.search(self.text)
        ):
            cache[conv] = out = list(range(len(self.text) + 1))  # one unit per character
            return out
        out: list[int | None] = []
        if conv.bom:
            n = self._units("\ufeff", conv.unit)
            out.append(0)
            out.extend([None] * (n - 1))
        pos = 0
        source = self.raw if conv.newlines == "raw" else self.text
        for i, ch in enumerate(source):
            if ch == "\n" and conv.newlines == "crlf":
                out.extend([pos, pos])
                pos += 1
            elif ch == "\r" and conv.newlines == "raw" and source[i + 1 : i + 2] == "\n":
                out.append(pos)  # CR of CR LF: the LF that follows is the line end
            else:
                n = self._units(ch, conv.unit)
                out.append(pos)
                out.extend([None] * (n - 1))
                pos += 1
        out.append(pos)
        cache[conv] = out
        return out

    def place(self, conv: Convention, start: int, end: int) -> tuple[int, int] | None:
        """The span of `text` that offsets start/end of `conv` denote, or None when they do not denote one."""
        idx = self.index(conv)
        if not (0 <= start < end < len(idx)):
            return None
        s, e = idx[start], idx[end]
        if s is None or e is None or s >= e:
            return None
        return s, e


def _norm(text: str) -> str:
    return " ".join(text.split())


def name_matches(found: str, name: str) -> bool:
    """Whether a selection name (ATLAS.ti writes the quoted text, cut off with '…') is the found text."""
    want = _norm(name)
    cut = want.endswith(("…", "..."))
    want = want.rstrip("….").rstrip()
    have = _norm(found)
    if not want:
        return False
    return have == want or (cut and have.startswith(want)) or (len(want) >= 20 and have.startswith(want))


def _boundary_score(text: str, s: int, e: int) -> float:
    def start_ok() -> bool:
        return not text[s].isspace() and (s == 0 or not (text[s - 1].isalnum() and text[s].isalnum()))

    def end_ok() -> bool:
        return not text[e - 1].isspace() and (e == len(text) or not (text[e - 1].isalnum() and text[e].isalnum()))

    return 0.5 * start_ok() + 0.5 * end_ok()


@dataclass
class Detection:
    convention: Convention
    by_names: bool  # the selection names confirmed the convention
    ambiguous: bool  # another convention places the selections differently but fits as well


def detect(source: SourceText, selections: list[tuple[int, int, str]]) -> Detection:
    """The convention under which `selections` (start, end, name) land best on the text."""
    results = []
    for conv in source.conventions:
        named = 0
        bounds = 0.0
        placed = []
        for start, end, name in selections:
            span = source.place(conv, start, end)
            placed.append(span)
            if span is None:
                continue
            found = source.text[span[0] : span[1]]
            if name and name_matches(found, name):
                named += 1
            bounds += _boundary_score(source.text, *span)
        results.append(((named, bounds), conv, tuple(placed)))
    if not results:
        return Detection(STANDARD, False, False)
    best_score = max(r[0] for r in results)
    best = next(r for r in results if r[0] == best_score)  # the first: the standard wins ties
    ambiguous = any(r[0] == best_score and r[2] != best[2] for r in results)
    return Detection(best[1], best_score[0] > 0, ambiguous)
