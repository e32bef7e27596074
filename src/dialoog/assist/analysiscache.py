"""A cache of the analysis of a study's own transcripts (sentences with their lemmas, units, keyword hits: what
`dialoog.assist.pool.analyse_study` gives) and of the lemmas of its codebook's texts (what a
`SuggestionModel` needs from the pipeline), so that a run of `dialoog suggest` in which no transcript and
not the codebook changed neither loads the pipeline nor imports spaCy (together half of such a run's time).

It holds the study's words, so it is kept **in the study folder**, in ``.dialoog-cache/analysis.json``
(private, never in the repository, deleted with the rest of that folder by `dialoog withdraw` and
`dialoog pseudonymise`; see `dialoog.assist.modelcache`), never in the user's cache folder. Its key is a
hash of what the analysis depends on besides the transcripts: the codebook, the pipeline, the versions of
dialoog, spaCy and simplemma and the source of `dialoog.assist`; each transcript's entry carries a hash of
its id, body and turns, so that a changed transcript alone is analysed anew (and one no longer in the study
is dropped). The same JSON as the reference corpus's cache (`dialoog.assist.pool`); written atomically,
only when something changed; a file that is missing, of another key or unreadable is rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from dialoog.assist.keywords import KeywordMatcher
from dialoog.assist.model import codebook_texts
from dialoog.assist.pipeline import LazyPipeline, alpha_lemmas, pipeline_for, pipeline_name, spacy_version
from dialoog.assist.pool import Analysed, analyse_transcripts, analysis_json, read_analysis
from dialoog.fileio import STUDY_CACHE, atomic_write_text, study_cache_dir
from dialoog.study.folder import Study
from dialoog.study.transcripts import Transcript

FORMAT = 1
NAME = "analysis.json"
_SEP = "\x00"


@functools.lru_cache(maxsize=1)
def source_hash() -> str:
    """A hash of the source of `dialoog.assist` (a changed program analyses and trains anew, even at the same
    version; read once per process)."""
    h = hashlib.sha256()
    folder = Path(__file__).parent
    for path in sorted(folder.glob("*.py")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def analysis_key(study: Study, nlp) -> str:
    """A hash of everything the analysis of the study's transcripts depends on but the transcripts."""
    import simplemma

    from dialoog import __version__

    h = hashlib.sha256()
    for part in (FORMAT, __version__, spacy_version(), simplemma.__version__, pipeline_name(nlp), source_hash()):
        h.update(f"{part}{_SEP}".encode())
    h.update(repr(list(study.codebook.walk())).encode())
    return h.hexdigest()


def transcript_hash(tid: str, transcript: Transcript) -> str:
    """A hash of what a transcript's analysis depends on: its id, body and turns."""
    h = hashlib.sha256(f"{tid}{_SEP}{transcript.body}{_SEP}".encode())
    turns = [[t.index, t.speaker, t.start, t.end, t.text] for t in transcript.turns]
    h.update(json.dumps(turns, ensure_ascii=False).encode())
    return h.hexdigest()


def analysis_path(study: Study) -> Path:
    return study.root / STUDY_CACHE / NAME


@dataclass
class StudyAnalysis:
    """A study's analysed transcripts, which of them came from the cache (`reused`, by id), and whether a
    transcript was analysed anew or dropped since the cache was written (`changed`: then the study's words
    may have changed)."""

    analysed: Analysed
    reused: list[str] = field(default_factory=list)
    changed: bool = True


def _read(path: Path, key: str) -> dict:
    """The kept analysis (``{"codebook": {text: lemmas}, "transcripts": {id: entry}}``), empty when missing,
    of another key or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") == key and isinstance(data["codebook"], dict) and isinstance(data["transcripts"], dict):
            return data
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return {"codebook": {}, "transcripts": {}}


def study_analysis(study: Study, nlp=None) -> StudyAnalysis:
    """The analysis of all the study's transcripts (in the study's order), from the cache where a transcript
    did not change (the others analysed by the pipeline, then kept), and the lemmas of the codebook's texts
    given to the `LazyPipeline` `nlp` (default: the study's) so that a `SuggestionModel` needs no pipeline."""
    nlp = pipeline_for(study) if nlp is None else nlp
    key, path = analysis_key(study, nlp), analysis_path(study)
    data = _read(path, key)
    kept, texts = data["transcripts"], codebook_texts(study.codebook)
    hashes = {tid: transcript_hash(tid, t) for tid, t in study.transcripts.items()}
    try:
        if isinstance(nlp, LazyPipeline):
            nlp.known.update((t, tuple(data["codebook"][t])) for t in texts if t in data["codebook"])
        out, reused = Analysed(), []
        todo = [t for tid, t in study.transcripts.items() if (kept.get(tid) or {}).get("hash") != hashes[tid]]
        fresh = analyse_transcripts(nlp, KeywordMatcher(nlp, study.codebook), todo) if todo else Analysed()
        for tid, t in study.transcripts.items():
            if tid in fresh.transcripts:
                for part in ("transcripts", "segments", "units", "hits"):
                    getattr(out, part)[tid] = getattr(fresh, part)[tid]
            else:
                read_analysis(out, tid, t, kept[tid])
                reused.append(tid)
    except (ValueError, KeyError, TypeError):  # an entry that does not read back: analyse everything anew
        return _analyse_all(study, nlp, key, path, texts, hashes)
    lemmas = {t: list(alpha_lemmas(nlp, t)) for t in texts}
    changed = bool(todo) or set(kept) != set(hashes)
    if changed or lemmas != data["codebook"]:
        entries = {tid: kept[tid] if tid in reused else analysis_json(out, tid) for tid in out.transcripts}
        _write(study, path, key, lemmas, entries, hashes)
    return StudyAnalysis(out, reused, changed)


def _analyse_all(study: Study, nlp, key: str, path: Path, texts: list[str], hashes: dict) -> StudyAnalysis:
    out = analyse_transcripts(nlp, KeywordMatcher(nlp, study.codebook), list(study.transcripts.values()))
    lemmas = {t: list(alpha_lemmas(nlp, t)) for t in texts}
    _write(study, path, key, lemmas, {tid: analysis_json(out, tid) for tid in out.transcripts}, hashes)
    return StudyAnalysis(out, [], True)


def _write(study: Study, path: Path, key: str, lemmas: dict, entries: dict, hashes: dict) -> None:
    """Keep the analysis (atomically; a failure only costs time next run)."""
    for tid, entry in entries.items():
        entry["hash"] = hashes[tid]
    data = {"key": key, "codebook": lemmas, "transcripts": entries}
    try:
        study_cache_dir(study.root)
        atomic_write_text(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time next run
        pass
