"""Errors that tell the user which file, line and key is wrong and what to do."""

from __future__ import annotations

from pathlib import Path


class DialoogError(Exception):
    """A problem with the user's input, reported without a traceback by the CLI.

    The message names the file (and line and key where known) and says what to do.
    It never contains transcript text: transcripts hold special-category personal data.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        self.key = key
        self.hint = hint
        self.detail = message
        super().__init__(self._format())

    def _format(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f", line {self.line}"
            if self.key is not None:
                where += f", key '{self.key}'"
            where += ": "
        elif self.key is not None:
            where = f"key '{self.key}': "
        text = where + self.detail
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ValidationError(DialoogError):
    """One or more problems found while validating a study; `problems` lists them all."""

    def __init__(self, problems: list[DialoogError]) -> None:
        self.problems = problems
        lines = [f"{len(problems)} problem(s) found:"] + [f"- {p}" for p in problems]
        super().__init__("\n".join(lines))

    def _format(self) -> str:  # the joined list is the whole message
        return self.detail


def error_location(exc: BaseException) -> str:
    """'ErrorType at file, line N' of an unexpected exception (the deepest frame in dialoog, else the
    deepest frame): what a message may say about it. Never the exception's text, which can quote study data."""
    import traceback

    tb = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in tb if "/dialoog/" in f.filename.replace("\\", "/")]
    frame = (ours or tb or [None])[-1]
    if frame is None:
        return type(exc).__name__
    path = frame.filename.replace("\\", "/")
    short = "dialoog/" + path.rsplit("/dialoog/", 1)[1] if "/dialoog/" in path else Path(path).name
    return f"{type(exc).__name__} at {short}, line {frame.lineno}"
