"""Coding one transcript at a time, with undo, every change saved at once: the logic behind `dialoog.coding.widget`.

Messages of the errors raised here are Dutch: the coder shows them to the researcher as they are.

Each coder has their own file, ``codings/<coder>.csv``. Every change (apply a code, remove a coding, a memo)
is made under a lock on that file: the file is read again, the change is applied to what is on disk, and
the result is written atomically. So two notebooks of the same coder never undo each other's work, and
different coders never touch each other's files.

Memos on a code (not on a segment) are kept per coder in ``codings/memos/<coder>.csv`` with the columns
``code,coder,memo,timestamp``.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dialoog.errors import DialoogError
from dialoog.fileio import LOCK_TIMEOUT, atomic_write_text, lock_path, locked  # noqa: F401
from dialoog.study import codebook as codebook_mod
from dialoog.study import codings as codings_mod
from dialoog.study.codebook import Codebook
from dialoog.study.codings import Coding, read_codings, update_codings  # noqa: F401
from dialoog.study.folder import Study
from dialoog.study.transcripts import Transcript

MEMO_COLUMNS = ("code", "coder", "memo", "timestamp")

Key = tuple[str, int, int, str]  # transcript, start, end, code: one coding of a coder


def key(c: Coding) -> Key:
    return (c.transcript, c.start, c.end, c.code)


def memo_path(study: Study, coder: str) -> Path:
    return study.codings_dir / "memos" / f"{codings_mod.coder_name(coder)}.csv"


def read_code_memos(path: Path) -> dict[str, dict[str, str]]:
    """Code memos by code id: {code: {code, coder, memo, timestamp}}."""
    if not Path(path).is_file():
        return {}
    reader = csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"), newline=""))
    if tuple(reader.fieldnames or ()) != MEMO_COLUMNS:
        raise DialoogError(
            "unexpected header", path=path, line=1, hint="the first row must be: " + ",".join(MEMO_COLUMNS)
        )
    return {row["code"]: dict(row) for row in reader if row.get("code")}


def write_code_memos(path: Path, memos: dict[str, dict[str, str]]) -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(MEMO_COLUMNS)
    for code in sorted(memos):
        writer.writerow([memos[code].get(k, "") for k in MEMO_COLUMNS])
    atomic_write_text(Path(path), buf.getvalue())


@dataclass
class Action:
    """One undoable change: the rows it added and removed, or the code memo it replaced."""

    description: str
    added: list[Coding] = field(default_factory=list)
    removed: list[Coding] = field(default_factory=list)
    code_memo: tuple[str, str | None, str] | None = None  # (code, memo before or None, memo after)

    @property
    def empty(self) -> bool:
        return not self.added and not self.removed and self.code_memo is None


class CodingSession:
    """One coder's session: apply and remove codes, memos, undo. Every call saves at once."""

    def __init__(self, study: Study, coder: str) -> None:
        self.study = study
        self.coder = codings_mod.coder_name(coder)
        self.path = study.codings_path(self.coder)
        self.memo_file = memo_path(study, self.coder)
        self.history: list[Action] = []
        self._codebook: Codebook | None = None
        self._codebook_mtime: float | None = None

    # -- reading ---------------------------------------------------------------------------------
    @property
    def codebook(self) -> Codebook:
        """The codebook, read again when the file changed (another session may have edited it)."""
        mtime = self.study.codebook_path.stat().st_mtime_ns
        if self._codebook is None or mtime != self._codebook_mtime:
            self._codebook = codebook_mod.load(self.study.codebook_path)
            self._codebook_mtime = mtime
        return self._codebook

    def transcript(self, transcript_id: str) -> Transcript:
        try:
            return self.study.transcripts[transcript_id]
        except KeyError:
            raise DialoogError(f"onbekend gesprek '{transcript_id}'", path=self.study.interviews_dir) from None

    def codings(self, transcript_id: str | None = None) -> list[Coding]:
        """This coder's codings as they are on disk now."""
        rows = read_codings(self.path)
        return [c for c in rows if transcript_id is None or c.transcript == transcript_id]

    def other_codings(self, transcript_id: str | None = None) -> list[Coding]:
        """The codings of every other coder (for coding that is not blind)."""
        out: list[Coding] = []
        for path in self.study.coder_files():
            if path.stem == self.coder:
                continue
            with contextlib.suppress(DialoogError):
                out.extend(c for c in read_codings(path) if transcript_id is None or c.transcript == transcript_id)
        return out

    def code_memos(self) -> dict[str, str]:
        return {code: row["memo"] for code, row in read_code_memos(self.memo_file).items()}

    # -- changes -------------------------------------------------------------------------------
    def _commit(self, action: Action) -> Action:
        if not action.empty:
            self.history.append(action)
        return action

    def _change(self, add: list[Coding], remove: set[Key]) -> tuple[list[Coding], list[Coding]]:
        """Remove the rows with keys in `remove`, add `add` (skipping keys already there); under the lock."""
        added: list[Coding] = []
        removed: list[Coding] = []

        def change(rows: list[Coding]) -> list[Coding]:
            kept = []
            for c in rows:
                if key(c) in remove:
                    removed.append(c)
                else:
                    kept.append(c)
            have = {key(c) for c in kept}
            for c in add:
                if key(c) not in have:
                    kept.append(c)
                    added.append(c)
                    have.add(key(c))
            return kept

        update_codings(self.path, change)
        return added, removed

    def _check_codes(self, codes: Iterable[str]) -> list[str]:
        codes = list(dict.fromkeys(codes))
        if not codes:
            raise DialoogError("kies minstens één code", key="code")
        cb = self.codebook
        for code in codes:
            if code not in cb:
                raise DialoogError(f"onbekende code '{code}'", path=cb.path, key="code", hint="zoek de code op label")
        return codes

    def apply(self, transcript_id: str, start: int, end: int, codes: Iterable[str], memo: str = "") -> Action:
        """Code body[start:end] of a transcript with one or more codes; saved at once."""
        return self.apply_spans(transcript_id, [(start, end)], codes, memo)

    def apply_spans(
        self, transcript_id: str, spans: Iterable[tuple[int, int]], codes: Iterable[str], memo: str = ""
    ) -> Action:
        """Code several spans (e.g. one per turn of a selection across turns) with the same codes, as one
        change (one undo); saved at once."""
        codes = self._check_codes(codes)
        t = self.transcript(transcript_id)
        trimmed = [trim(t.body, a, b) for a, b in spans]
        if not trimmed:
            raise DialoogError("selecteer eerst tekst in het gesprek", key="start/end")
        new = [codings_mod.make(t, a, b, code, self.coder, memo) for a, b in trimmed for code in codes]
        added, _ = self._change(new, set())
        labels = ", ".join(dict.fromkeys(self.codebook.label(c.code) for c in added))
        return self._commit(Action(f"gecodeerd: {labels}" if added else "al gecodeerd", added=added))

    def recode(self, codings: Iterable[Coding], codes: Iterable[str]) -> Action:
        """Give these codings of this coder other codes (same spans and memos), as one change."""
        codes = self._check_codes(codes)
        old = list(codings)
        new = [dataclasses.replace(c, code=code, timestamp=codings_mod.now(), line=None) for c in old for code in codes]
        added, removed = self._change(new, {key(c) for c in old})
        labels = ", ".join(dict.fromkeys(self.codebook.label(c.code) for c in added))
        return self._commit(Action(f"gehercodeerd: {labels}", added=added, removed=removed))

    def record(self, added: Iterable[Coding], description: str) -> Action:
        """Record codings written by other library code (an accepted suggestion) so undo takes them back."""
        return self._commit(Action(description, added=list(added)))

    def remove(self, codings: Iterable[Coding]) -> Action:
        """Remove these codings of this coder; saved at once."""
        _, removed = self._change([], {key(c) for c in codings})
        return self._commit(Action(f"{len(removed)} codering(en) verwijderd", removed=removed))

    def set_memo(self, transcript_id: str, start: int, end: int, memo: str) -> Action:
        """Set the memo of this coder's codings of exactly body[start:end]."""
        t = self.transcript(transcript_id)
        start, end = trim(t.body, start, end)
        memo = " ".join(memo.split())
        mine = [c for c in self.codings(transcript_id) if (c.start, c.end) == (start, end) and c.memo != memo]
        if not mine and not any((c.start, c.end) == (start, end) for c in self.codings(transcript_id)):
            raise DialoogError(
                "je hebt dit fragment nog niet gecodeerd", key="memo", hint="codeer het eerst en schrijf dan de memo"
            )
        new = [dataclasses.replace(c, memo=memo, timestamp=codings_mod.now()) for c in mine]
        added, removed = self._change(new, {key(c) for c in mine})
        return self._commit(Action("memo bij fragment", added=added, removed=removed))

    def set_code_memo(self, code: str, memo: str) -> Action:
        """Set this coder's memo on a code (empty removes it)."""
        if code not in self.codebook:
            raise DialoogError(f"onbekende code '{code}'", path=self.codebook.path, key="code")
        before = self._write_code_memo(code, memo)
        return self._commit(Action(f"memo bij code {self.codebook.label(code)}", code_memo=(code, before, memo)))

    def _write_code_memo(self, code: str, memo: str | None) -> str | None:
        with locked([self.memo_file]):
            memos = read_code_memos(self.memo_file)
            before = memos.get(code, {}).get("memo")
            if memo:
                memos[code] = {"code": code, "coder": self.coder, "memo": memo.strip(), "timestamp": codings_mod.now()}
            else:
                memos.pop(code, None)
            write_code_memos(self.memo_file, memos)
        return before

    def undo(self) -> Action | None:
        """Undo the last change of this session (also when another session changed the file since)."""
        if not self.history:
            return None
        action = self.history.pop()
        if action.code_memo is not None:
            code, before, _after = action.code_memo
            self._write_code_memo(code, before)
        else:
            self._change(action.removed, {key(c) for c in action.added})
        return action


def trim(body: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without leading and trailing white space; an empty fragment is an error."""
    if not (0 <= start < end <= len(body)):
        raise DialoogError(f"de posities {start}-{end} liggen buiten het gesprek", key="start/end")
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if start == end:
        raise DialoogError("het geselecteerde fragment is leeg", key="start/end")
    return start, end
