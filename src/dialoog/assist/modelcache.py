"""A cache of the trained suggestion model, so that a run of `dialoog suggest` on an unchanged study does not
train again (training is most of a run's time once the pipeline is loaded), and of the lemmas of the study's
word forms, so that such a run need not load simplemma's dictionary either.

The fitted state of a `SuggestionModel` (its vocabularies, idf, weights, intercepts, thresholds, rates, mix
and counts per code) is kept as a numpy ``.npz`` file (arrays only: read with ``allow_pickle=False``, never
pickled), the lemmas as JSON. Both hold words of the study's own transcripts, so they are kept **in the study
folder**, in ``.dialoog-cache/`` (never in the repository: ``.gitignore`` has ``.dialoog-*/``), not in the
user's cache folder: they travel and are deleted with the study. The model's key is a hash of everything
training depends on: the study's transcripts, codings and codebook, the pipeline, the material from outside
the study (the reference corpus and ``learn_from`` studies, with their codings), the versions of Python,
numpy, scipy, spaCy, simplemma and dialoog and the source of `dialoog.assist` itself, so that a changed
study, library or program trains anew; the lemmas' key is simplemma's version and the source of
`dialoog.assist.pipeline`. Writes are atomic; a file that is missing, of another key or unreadable is
rebuilt (and deleting ``.dialoog-cache/`` is always safe: `dialoog withdraw` and `dialoog pseudonymise` do,
as the folder holds words of the transcripts; only the newest model is kept).
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
import re
from collections.abc import Sequence
from pathlib import Path

import numpy

from dialoog.assist.analysiscache import source_hash
from dialoog.assist.features import Vectorizer
from dialoog.assist.model import SuggestionModel
from dialoog.assist.pipeline import pipeline_name, spacy_version
from dialoog.assist.pool import corpus_key
from dialoog.assist.reference import Corpus
from dialoog.fileio import STUDY_CACHE, atomic_write_bytes, study_cache_dir
from dialoog.study.folder import Study

FORMAT = 1
#: How many cached models are kept (the newest).
KEEP = 1
_SEP = "\x00"


def model_key(study: Study, nlp, corpus: Corpus) -> str:
    """A hash of everything training the study's model depends on."""
    import scipy
    import simplemma

    from dialoog import __version__

    h = hashlib.sha256()
    versions = (FORMAT, __version__, platform.python_version(), numpy.__version__, scipy.__version__)
    for part in (*versions, spacy_version(), simplemma.__version__, pipeline_name(nlp)):
        h.update(f"{part}{_SEP}".encode())
    h.update(source_hash().encode())
    h.update(repr(list(study.codebook.walk())).encode())
    for tid in sorted(study.transcripts):
        h.update(f"{tid}{_SEP}{study.transcripts[tid].body}{_SEP}".encode())
    own = sorted((c.transcript, c.start, c.end, c.code, c.coder) for c in study.codings)
    h.update(json.dumps(own, ensure_ascii=False).encode())
    h.update(corpus_key(nlp, study.codebook, corpus).encode())
    outside = sorted((c.transcript, c.start, c.end, c.code, c.coder) for c in corpus.codings)
    h.update(json.dumps([outside, sorted(corpus.codes), corpus.source], ensure_ascii=False, sort_keys=True).encode())
    return h.hexdigest()


#: The cache folder inside a study folder (removed when a transcript is withdrawn or pseudonymised).
FOLDER = STUDY_CACHE


def model_path(study: Study, key: str) -> Path:
    return study.root / FOLDER / f"model-{key[:24]}.npz"


def _strings(words) -> numpy.ndarray:
    return numpy.frombuffer(_SEP.join(words).encode("utf-8"), dtype=numpy.uint8)


def _words(data: numpy.ndarray, n: int) -> list[str]:
    words = bytes(data).decode("utf-8").split(_SEP) if n else []
    if len(words) != n:
        raise ValueError("vocabulary length differs")
    return words


def save_model(path: Path, key: str, model: SuggestionModel) -> None:
    """Write the fitted state of `model` to `path` (atomically; a failure only costs time next run)."""
    codes = model.codes
    arrays = {
        "key": _strings([key]),
        "codes": _strings(codes),
        "counts": numpy.array([model.counts.get(c, 0) for c in codes], dtype=numpy.int64),
        "own": numpy.array([model.own.get(c, 0) for c in codes], dtype=numpy.int64),
        "outside": numpy.array([model.outside.get(c, 0) for c in codes], dtype=numpy.int64),
        "rates": model.rates,
        "thresholds": model.thresholds,
        "zero_coef": model.zero_coef,
        "mix_coef": numpy.zeros(0) if model.mix_coef is None else model.mix_coef,
        "weights": model.weights,
        "intercepts": model.intercepts,
    }
    for name, vec in (("cb", model._cb_vec), ("vec", model.vectorizer)):
        if vec is not None:
            arrays[f"{name}_vocabulary"] = _strings(vec.vocabulary)  # in index order (the dict's order)
            arrays[f"{name}_size"] = numpy.array([len(vec.vocabulary), vec.min_df], dtype=numpy.int64)
            arrays[f"{name}_idf"] = vec.idf
    buffer = io.BytesIO()
    numpy.savez(buffer, **arrays)
    try:
        study_cache_dir(path.parent.parent)
        atomic_write_bytes(path, buffer.getvalue())
        old = sorted(path.parent.glob("model-*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[KEEP:]:
            stale.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time next run
        pass


def _vectorizer(data, name: str) -> Vectorizer | None:
    if f"{name}_size" not in data:
        return None
    n, min_df = data[f"{name}_size"].tolist()
    vec = Vectorizer(min_df=min_df)
    vec.vocabulary = {f: i for i, f in enumerate(_words(data[f"{name}_vocabulary"], n))}
    vec.idf = data[f"{name}_idf"]
    return vec


def load_model(path: Path, key: str, model: SuggestionModel) -> SuggestionModel | None:
    """`model` (new, untrained, of the study's codebook) with the fitted state cached at `path`, or None when
    the file is missing, of another key or unreadable."""
    try:
        with numpy.load(path, allow_pickle=False) as data:
            if _words(data["key"], 1) != [key] or _words(data["codes"], len(model.codes)) != model.codes:
                return None
            codes = model.codes
            model.counts = dict(zip(codes, data["counts"].tolist(), strict=True))
            model.own = dict(zip(codes, data["own"].tolist(), strict=True))
            model.outside = dict(zip(codes, data["outside"].tolist(), strict=True))
            model.rates, model.thresholds = data["rates"], data["thresholds"]
            model.zero_coef = data["zero_coef"]
            model.mix_coef = data["mix_coef"] if len(data["mix_coef"]) else None
            model.weights, model.intercepts = data["weights"], data["intercepts"]
            cb_vec, model.vectorizer = _vectorizer(data, "cb"), _vectorizer(data, "vec")
        if cb_vec is None:
            return None
        model._cb_vec = cb_vec
        model._cb_codes = cb_vec.transform(model._code_docs).T.tocsr()
        model._word_info = {}
        return model
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return None


# -- lemmas ----------------------------------------------------------------------------------------------

LEMMA_FORMAT = 1
#: At most this many word forms are kept (a study's are some thousands).
LEMMA_LIMIT = 300_000


def lemmas_path(study: Study) -> tuple[Path, str]:
    """Where the study's lemmas are kept, and their key."""
    import simplemma

    from dialoog.assist import words

    h = hashlib.sha256(f"{LEMMA_FORMAT}{_SEP}{simplemma.__version__}{_SEP}".encode())
    h.update(Path(words.__file__).read_bytes())
    return study.root / FOLDER / "lemmas.json", h.hexdigest()


def load_lemmas(study: Study) -> None:
    """Let `lemma_of` and `is_known_word` answer from the study's kept lemmas (none when missing or stale)."""
    from dialoog.assist import pipeline

    path, key = lemmas_path(study)
    stored: dict[str, dict] = {"lemma": {}, "known": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") == key and isinstance(data["lemma"], dict) and isinstance(data["known"], dict):
            stored = {"lemma": data["lemma"], "known": data["known"]}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    pipeline.STORED.update(stored)  # only this study's (never another study's words in its file)
    for seen in pipeline.SEEN.values():
        seen.clear()


def save_lemmas(study: Study, reused: Sequence[str] = (), changed: bool = True) -> None:
    """Keep the lemmas of the words seen in this run (atomically; only when they differ from those kept, so a
    word no longer in the study's transcripts is not kept either). The transcripts `reused` (by id) were not
    analysed in this run (their analysis came from `dialoog.assist.analysiscache`): the lemmas kept before
    stay kept for their words; all of them when no transcript was analysed anew or dropped (not `changed`)."""
    from dialoog.assist import pipeline

    seen, stored = pipeline.SEEN, pipeline.STORED
    if reused:
        words = None if not changed else _words_of(study.transcripts[tid].body for tid in reused)
        seen = {
            kind: {**{f: v for f, v in stored[kind].items() if words is None or _kept(f, words)}, **seen[kind]}
            for kind in ("lemma", "known")
        }
    if all(seen[k].keys() == stored[k].keys() for k in ("lemma", "known")) or len(seen["lemma"]) > LEMMA_LIMIT:
        return
    path, key = lemmas_path(study)
    data = {"key": key, "lemma": seen["lemma"], "known": seen["known"]}
    try:
        study_cache_dir(study.root)
        atomic_write_bytes(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time next run
        pass


def _words_of(bodies) -> set[str]:
    return {w for body in bodies for w in re.findall(r"\w+", body.lower())}


def _kept(form: str, words: set[str]) -> bool:
    """Whether a kept word form is still one of `words` (forms without a letter or digit are no one's words;
    a form the pattern splits, as "zo'n", is dropped and only asked again)."""
    return form in words or not any(ch.isalnum() for ch in form)
