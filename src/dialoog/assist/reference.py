"""Coded material from outside the study that the assistant learns from as well.

- the **reference corpus**: the project's own fictional coded studies (the demo study's codings and the gold
  codings of the evaluation sets in ``benchmarks/data/eval*/study``), shipped as package data
  (``dialoog/data/suggest_reference.json``: per transcript its source set, id, body and codings), built by
  `build_reference` (run ``benchmarks/data/build_reference.py``; a test checks the file is up to date). It
  is text, not a model: each run learns from it together with the study's own codings. Switch it off with
  ``suggest_reference: false`` in ``dialoog.yaml``;
- **learn_from**: other study folders coded with the same codebook (``learn_from: [../partner]`` in
  ``dialoog.yaml``), such as an alliance partner's study, read from this machine.

Only codings of codes whose ids the study's codebook has are used (a study with its own codebook shares
some ids, or none: then nothing is learned from outside), and a transcript whose body the study has too
(the demo study learning from the reference made of it) is left out, so nothing is learned twice and held-out
text can never be learned from (`Corpus.without`). Nothing leaves the machine.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from dialoog.errors import DialoogError
from dialoog.study.codings import Coding
from dialoog.study.folder import Study, open_study
from dialoog.study.settings import FILENAME as SETTINGS_FILE
from dialoog.study.transcripts import Transcript, body_hash, parse_turns

FILE = "suggest_reference.json"
FORMAT = 1
#: The source set of the reference's transcripts of the demo study (the others are named by their folder).
DEMO = "demo"


def set_order(name: str) -> tuple[str, int]:
    """Sort key of a set name: "eval2" before "eval10"."""
    m = re.fullmatch(r"(\D*)(\d*)", name)
    return (m.group(1), int(m.group(2) or 0)) if m else (name, 0)


@dataclass
class Corpus:
    """Coded transcripts from outside a study: transcripts by (prefixed) id, their codings, the source set
    of each transcript, and the code ids its codebook has (those a coder could choose from)."""

    transcripts: dict[str, Transcript] = field(default_factory=dict)
    codings: list[Coding] = field(default_factory=list)
    source: dict[str, str] = field(default_factory=dict)  #: transcript id -> source set ("demo", "eval2", ...)
    codes: frozenset[str] = frozenset()

    def sets(self) -> list[str]:
        return sorted(set(self.source.values()), key=set_order)

    def hashes(self) -> dict[str, str]:
        """Body hash -> transcript id."""
        return {body_hash(t.body): tid for tid, t in self.transcripts.items()}

    def without(self, sets: Iterable[str] = (), bodies: Iterable[str] = ()) -> Corpus:
        """The corpus without the transcripts of `sets` and without those whose body is one of `bodies`
        (texts, such as a study's own or held-out transcripts)."""
        sets = set(sets)
        hashes = {body_hash(b) for b in bodies}
        kept = {
            tid: t
            for tid, t in self.transcripts.items()
            if self.source[tid] not in sets and body_hash(t.body) not in hashes
        }
        return Corpus(
            kept,
            [c for c in self.codings if c.transcript in kept],
            {tid: self.source[tid] for tid in kept},
            self.codes,
        )

    def only_codes(self, codes: Iterable[str]) -> Corpus:
        """The corpus with only the codings (and known codes) of `codes` (empty when it knows none of them)."""
        wanted = set(codes)
        if not self.codes & wanted:
            return Corpus()
        return Corpus(
            self.transcripts,
            [c for c in self.codings if c.code in wanted],
            self.source,
            self.codes & wanted,
        )

    def __add__(self, other: Corpus) -> Corpus:
        if set(self.transcripts) & set(other.transcripts):
            raise ValueError("the corpora share transcript ids")
        return Corpus(
            {**self.transcripts, **other.transcripts},
            [*self.codings, *other.codings],
            {**self.source, **other.source},
            self.codes | other.codes,
        )

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.codings:
            out[c.code] = out.get(c.code, 0) + 1
        return out


def _transcript(source: str, tid: str, body: str) -> Transcript:
    """A transcript of the corpus: its id prefixed with its source set, so that it never equals a study's."""
    rid = f"{source}/{tid}"
    path = Path(f"<reference>/{rid}")
    return Transcript(path, {"id": rid}, body, parse_turns(body, path, 1))


def _from_study(name: str, study: Study) -> Corpus:
    """A study's coded transcripts and their codings as a corpus (ids prefixed with `name`)."""
    coded = sorted({c.transcript for c in study.codings} & set(study.transcripts))
    out = Corpus(codes=frozenset(c.id for c in study.codebook.walk()))
    for tid in coded:
        t = study.transcripts[tid]
        out.transcripts[f"{name}/{tid}"] = _transcript(name, tid, t.body)
        out.source[f"{name}/{tid}"] = name
    out.codings = [
        Coding(f"{name}/{c.transcript}", c.start, c.end, c.text, c.code, c.coder)
        for c in sorted(study.codings, key=Coding.sort_key)
        if c.transcript in set(coded)
    ]
    return out


# -- the reference corpus --------------------------------------------------------------------------


def build_reference(sources: Sequence[tuple[str, Study]]) -> str:
    """The reference file's text from (set name, study) pairs: one JSON line per coded transcript (its set,
    id, body and codings as [start, end, code, coder]), diff-friendly and the same for the same sources."""
    codes = sorted({c.id for _, s in sources for c in s.codebook.walk()})
    lines = []
    for name, study in sources:
        ids = sorted({c.transcript for c in study.codings} & set(study.transcripts))
        for tid in ids:
            rows = sorted(
                ([c.start, c.end, c.code, c.coder] for c in study.codings if c.transcript == tid),
                key=lambda r: (r[0], r[1], r[2], r[3]),
            )
            item = {"set": name, "id": tid, "body": study.transcripts[tid].body, "codings": rows}
            lines.append(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
    head = {
        "format": FORMAT,
        "about": "dialoog's reference corpus: fictional coded interviews (demo study, evaluation sets); "
        "built by benchmarks/data/build_reference.py, do not edit",
        "codes": codes,
    }
    head_text = json.dumps(head, ensure_ascii=False)[:-1]
    return head_text + ',"transcripts":[\n' + ",\n".join(lines) + "\n]}\n"


def reference_text() -> str:
    return resources.files("dialoog").joinpath("data", FILE).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def load_reference() -> Corpus:
    """The reference corpus shipped with dialoog (read once per process)."""
    data = json.loads(reference_text())
    if data.get("format") != FORMAT:
        raise DialoogError(f"dialoog's {FILE} has an unknown format", hint="reinstall dialoog")
    out = Corpus(codes=frozenset(data["codes"]))
    for item in data["transcripts"]:
        t = _transcript(item["set"], item["id"], item["body"])
        out.transcripts[t.id], out.source[t.id] = t, item["set"]
        body = item["body"]
        out.codings.extend(Coding(t.id, a, b, body[a:b], code, coder) for a, b, code, coder in item["codings"])
    return out


# -- learn_from ------------------------------------------------------------------------------------


def learn_from(study: Study) -> Corpus:
    """The coded transcripts of the study folders named by ``learn_from`` in ``dialoog.yaml`` (relative to
    the study), each checked: it must exist, be a study, not be this study and have the same code ids."""
    out = Corpus()
    settings_path = study.root / SETTINGS_FILE
    mine = {c.id for c in study.codebook.walk()}
    for i, entry in enumerate(study.settings.learn_from):
        folder = (study.root / entry).resolve()
        where = {"path": settings_path, "key": f"learn_from[{i}]"}
        if not (folder / "codebook" / "codebook.yaml").is_file():
            raise DialoogError(
                f"learn_from: no study folder (with codebook/codebook.yaml) at '{entry}'",
                **where,
                hint="give the path of another study folder, relative to this study, or remove the entry",
            )
        if folder == study.root.resolve():
            raise DialoogError("learn_from names this study itself", **where, hint="remove the entry")
        other = open_study(folder, strict=False)
        theirs = {c.id for c in other.codebook.walk()}
        if theirs != mine:
            differ = sorted(theirs ^ mine)
            raise DialoogError(
                f"learn_from: the study at '{entry}' has another codebook ({len(differ)} code id(s) differ, "
                f"such as '{differ[0]}')",
                **where,
                hint="learn only from a study coded with the same codebook (the same code ids)",
            )
        name = f"learn_from[{i}]"
        out = out + _from_study(name, other)
    return out


def outside(study: Study, reference: Corpus | None = None) -> Corpus:
    """Everything `study` learns from besides its own codings: the reference corpus (unless switched off;
    `reference` replaces it, as the evaluation does to leave sets out) and its ``learn_from`` studies, with
    only the codes the study's codebook has and without any transcript whose body the study has."""
    corpus = Corpus()
    if study.settings.suggest_reference:
        corpus = load_reference() if reference is None else reference
    if study.settings.learn_from:  # a partner's transcript that is in the reference too is learned once
        corpus = corpus + learn_from(study).without(bodies=[t.body for t in corpus.transcripts.values()])
    own = [t.body for t in study.transcripts.values()]
    return corpus.without(bodies=own).only_codes(c.id for c in study.codebook.walk())


def check_no_leak(corpus: Corpus, held_out: Iterable[Transcript]) -> None:
    """Raise when a held-out transcript's text is in `corpus` (an evaluation must never learn from it)."""
    hashes = corpus.hashes()
    leaked = [t.id for t in held_out if body_hash(t.body) in hashes]
    if leaked:
        raise DialoogError(
            f"{len(leaked)} held-out transcript(s) are in the material learned from, such as '{leaked[0]}'",
            hint="leave the held-out set out of the reference (Corpus.without)",
        )
