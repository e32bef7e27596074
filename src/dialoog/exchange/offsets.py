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

import bisect
import codecs
import re
from dataclasses import dataclass
from functools import cached_property

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_LF = re.compile("\n")
_LINE_END = re.compile("\r\n|\r|\n")
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

    def _events(self, conv: Convention) -> tuple[list[int], list[int], list[int], list[bool]]:
        """Characters that count more than one unit in `conv`: text positions, extra units, the offset in
        `conv` where each starts, and whether it is a line end (whose units all denote its start)."""
        found: list[tuple[int, int, bool]] = []
        if conv.unit == "utf16":
            found += [(m.start(), 1, False) for m in _ASTRAL.finditer(self.text)]
        elif conv.unit == "utf8":
            found += [(m.start(), len(m.group().encode("utf-8")) - 1, False) for m in _NON_ASCII.finditer(self.text)]
        if conv.newlines == "crlf":
            found += [(m.start(), 1, True) for m in _LF.finditer(self.text)]
        elif conv.newlines == "raw":
            ends = [m.group() == "\r\n" for m in _LINE_END.finditer(self.raw)]
            found += [(m.start(), 1, True) for m, crlf in zip(_LF.finditer(self.text), ends, strict=False) if crlf]
        found.sort()
        positions, extra, starts, newline = [], [], [], []
        total = 0
        for pos, weight, is_newline in found:
            positions.append(pos)
            extra.append(weight)
            starts.append(pos + total)
            newline.append(is_newline)
            total += weight
        return positions, extra, starts, newline

    def to_text(self, conv: Convention, offset: int) -> int | None:
        """The offset in `text` that `offset` in `conv` denotes (None inside a character or past the end)."""
        cache = self.__dict__.setdefault("_event_cache", {})
        if conv not in cache:
            cache[conv] = self._events(conv)
        positions, extra, starts, newline = cache[conv]
        if conv.bom:
            bom = {"utf16": 1, "utf8": 3}.get(conv.unit, 1)
            if offset < bom:
                return 0 if offset == 0 else None
            offset -= bom
        k = bisect.bisect_right(starts, offset) - 1
        if k < 0:
            pos = offset
        elif offset <= starts[k] + extra[k]:
            return positions[k] if offset == starts[k] or newline[k] else None
        else:
            pos = positions[k] + 1 + offset - (starts[k] + extra[k] + 1)
        return pos if 0 <= pos <= len(self.text) else None

    def place(self, conv: Convention, start: int, end: int) -> tuple[int, int] | None:
        """The span of `text` that offsets start/end of `conv` denote, or None when they do not denote one."""
        if not (0 <= start < end):
            return None
        s, e = self.to_text(conv, start), self.to_text(conv, end)
        if s is None or e is None or s >= e:
            return None
        return s, e


def _norm(text: str) -> str:
    return " ".join(text.split())


def name_matches(found: str, name: str) -> bool:
    """Whether a selection name (ATLAS.ti writes the quoted text, cut off with '…') is the found text."""
    want, have = _norm(name), _norm(found)
    if have == want:  # also a selected text that ends in (or is) an ellipsis of its own
        return bool(want)
    cut = want.endswith(("…", "..."))
    if cut:  # only the ellipsis goes: a name may end with a full stop of its own
        want = want.removesuffix("…").removesuffix("...").rstrip()
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
