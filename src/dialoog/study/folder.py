"""A study folder: transcripts, codebook and codings, loaded and validated together.

Layout (paths are defined here once)::

    <study>/
      interviews/<gemeente-slug>/<id>.md   normalised transcripts
      codebook/codebook.yaml               the hierarchical codebook
      codings/<coder>.csv                  one file per coder
      reports/<gemeente-slug>/             rendered reports (not in git)
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from dialoog.errors import DialoogError, ValidationError
from dialoog.study import codebook as codebook_mod
from dialoog.study import codings as codings_mod
from dialoog.study import transcripts as transcripts_mod
from dialoog.study.codebook import Codebook
from dialoog.study.codings import Coding
from dialoog.study.gemeenten import Gemeente, find_gemeente, slugify
from dialoog.study.settings import Settings
from dialoog.study.settings import load as load_settings
from dialoog.study.transcripts import Transcript


@dataclass
class Study:
    root: Path
    _problems: list[DialoogError] = field(default_factory=list, repr=False)
    _transcript_problems: list[DialoogError] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()

    # -- paths -------------------------------------------------------------------------------
    @property
    def interviews_dir(self) -> Path:
        return self.root / "interviews"

    @property
    def codebook_path(self) -> Path:
        return self.root / "codebook" / "codebook.yaml"

    @property
    def codings_dir(self) -> Path:
        return self.root / "codings"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    def codings_path(self, coder: str) -> Path:
        return self.codings_dir / f"{codings_mod.coder_name(coder)}.csv"

    def check_layout(self) -> None:
        if not self.interviews_dir.is_dir():
            raise DialoogError(
                "this folder is not a dialoog study: it has no interviews/ folder",
                path=self.root,
                hint="run the command in your study folder or pass --study DIR",
            )

    # -- contents ----------------------------------------------------------------------------
    def gemeente_slugs(self) -> list[str]:
        """Slugs of the municipalities that have at least one transcript."""
        if not self.interviews_dir.is_dir():
            return []
        return sorted(p.name for p in self.interviews_dir.iterdir() if p.is_dir() and any(p.glob("*.md")))

    def gemeente(self, name: str) -> Gemeente:
        """Resolve a municipality of this study; an unknown one lists those the study has."""
        self.check_layout()
        slugs = self.gemeente_slugs()
        try:
            found = find_gemeente(name)
        except DialoogError as exc:
            close = difflib.get_close_matches(slugify(name), slugs, n=1, cutoff=0.6)
            if close:  # a typo of a gemeente the study has
                raise DialoogError(
                    f"the study has no gemeente '{name}'", path=self.interviews_dir, hint=f"did you mean '{close[0]}'?"
                ) from None
            have = ", ".join(slugs) or "none yet"
            raise DialoogError(
                exc.detail, path=self.interviews_dir, hint=f"{exc.hint}; gemeenten in this study: {have}"
            ) from None
        if found.slug not in slugs:
            close = difflib.get_close_matches(found.slug, slugs, n=1, cutoff=0.75)
            have = ", ".join(slugs) or "none yet"
            hint = (
                f"import its transcripts first: dialoog import FILE... --gemeente {found.slug} --study {self.root}"
                f" (then dialoog pseudonymise); gemeenten in this study: {have}"
            )
            if close:
                hint = f"did you mean '{close[0]}'? " + hint
            raise DialoogError(
                f"the study has no transcripts for gemeente {found.name} yet", path=self.interviews_dir, hint=hint
            )
        return found

    @cached_property
    def transcripts(self) -> dict[str, Transcript]:
        """All transcripts by id; problems are collected in `problems()`."""
        out: dict[str, Transcript] = {}
        found: list[DialoogError] = []
        if not self.interviews_dir.is_dir():
            return out
        for path in sorted(self.interviews_dir.glob("*/*.md")):
            try:
                t = transcripts_mod.load(path)
            except ValidationError as exc:
                found.extend(exc.problems)
                continue
            except DialoogError as exc:
                found.append(exc)
                continue
            if t.id in out:
                found.append(
                    DialoogError(f"duplicate transcript id '{t.id}' (also {out[t.id].path})", path=path, key="id")
                )
                continue
            out[t.id] = t
        self._transcript_problems = found
        self._problems.extend(found)
        return out

    @cached_property
    def settings(self) -> Settings:
        """The study's settings (``dialoog.yaml``; defaults when absent)."""
        return load_settings(self.root)

    @cached_property
    def codebook(self) -> Codebook:
        return codebook_mod.load(self.codebook_path)

    def coder_files(self) -> list[Path]:
        if not self.codings_dir.is_dir():
            return []
        return sorted(self.codings_dir.glob("*.csv"))

    @cached_property
    def codings(self) -> list[Coding]:
        """All valid codings of all coders; problems are collected in `problems()`."""
        out: list[Coding] = []
        for path in self.coder_files():
            try:
                rows, problems = codings_mod.read_checked(path)
            except DialoogError as exc:  # the file as a whole: its header, its encoding, a row's columns
                self._problems.append(exc)
                continue
            self._problems.extend(problems)
            unreadable = {p.stem for p in self.interviews_dir.glob("*/*.md")} - set(self.transcripts)
            problems = codings_mod.validate(rows, path, self.transcripts, self.codebook, unreadable)
            self._problems.extend(problems)
            bad_lines = {p.line for p in problems}
            out.extend(c for c in rows if c.line not in bad_lines and c.transcript in self.transcripts)
        return out

    def problems(self, *, reload: bool = True) -> list[DialoogError]:
        """Load everything and return every problem found (empty when the study is valid).

        With `reload` False, transcripts this object already read are not read again (for a caller that
        has just read them and changed nothing since)."""
        reuse = not reload and "transcripts" in self.__dict__
        self._problems = list(self._transcript_problems) if reuse else []
        for name in (
            ("codebook", "codings", "settings") if reuse else ("transcripts", "codebook", "codings", "settings")
        ):
            self.__dict__.pop(name, None)
        self.check_layout()
        self.transcripts  # noqa: B018 - loads and collects problems
        codebook_ok = True
        for name in ("settings", "codebook"):
            try:
                getattr(self, name)
            except ValidationError as exc:
                self._problems.extend(exc.problems)
                codebook_ok = codebook_ok and name != "codebook"
            except DialoogError as exc:
                self._problems.append(exc)
                codebook_ok = codebook_ok and name != "codebook"
        if codebook_ok:
            self.codings  # noqa: B018
        return list(self._problems)

    def validate(self) -> None:
        """Raise ValidationError listing every problem of the study."""
        problems = self.problems()
        if problems:
            raise ValidationError(problems)


def open_study(root: Path | str = ".", *, strict: bool = True) -> Study:
    """Open a study folder; with `strict`, any problem raises a ValidationError."""
    study = Study(Path(root))
    if strict:
        study.validate()
    else:
        study.check_layout()
    return study
