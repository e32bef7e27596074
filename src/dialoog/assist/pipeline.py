"""The Dutch language pipeline: tokens, sentences and lemmas, offline.

`load_pipeline()` gives one spaCy pipeline, loaded once per process:

- by default ``spacy.blank("nl")`` with spaCy's rule-based ``sentencizer`` and a lemmatiser backed by
  simplemma (measured against spaCy's lookup table from spacy-lookups-data in
  ``benchmarks/lemma_accuracy.py``: simplemma is clearly better on frequent interview words);
- when the study setting ``spacy_model`` names an installed trained pipeline (such as
  ``nl_core_news_md``) or a pipeline folder, that one instead (its parser gives the sentences, its
  lemmatiser the lemmas); when it is not installed, a warning is logged and the default is used.

Either way lemmas are lower case, and spaCy's Dutch tokenizer exceptions that would glue a
sentence-final period to a common word (``dat.``, ``al.``, ``me.``) are removed, so that such a
period ends the sentence.

**Lazily.** `pipeline_for(study)` gives a `LazyPipeline`: it stands for the pipeline (every attribute and call
goes to it) but loads it, and imports spaCy, only when a text must actually be analysed; its `name` (the
``dialoog_pipeline`` of the meta, as `pipeline_name` gives it for either kind) is known without loading for
the offline default, and `alpha_lemmas` answers from what a cache gave it (the codebook's lemmas,
`dialoog.assist.analysiscache`). spaCy's components live in `dialoog.assist.spacy_pipeline`, the parts that
need no spaCy in `dialoog.assist.words`; both are re-exported here.
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

import simplemma  # noqa: F401 - part of this module's API (tests patch it here)

from dialoog.assist.words import (  # noqa: F401 - part of this module's API
    DEFAULT,
    INTERVIEWER_LABELS,
    SEEN,
    SENTENCE_FINAL_WORDS,
    STORED,
    TokenArrays,
    is_interviewer,
    is_known_word,
    lemma_of,
    paused_gc,
    token_arrays,
)

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

#: The ``dialoog_pipeline`` name of the offline default.
BLANK = "blank-nl+simplemma"

#: Names of `dialoog.assist.spacy_pipeline` given from here (importing it imports spaCy: only when asked for).
_SPACY_NAMES = frozenset(
    {
        "SENTENCE_END_CHARS",
        "DialoogDutch",
        "SimplemmaLemmatizer",
        "blank_pipeline",
        "fix_tokenizer_exceptions",
        "trained_pipeline",
    }
)


def __getattr__(name: str):
    if name in _SPACY_NAMES:
        from dialoog.assist import spacy_pipeline

        return getattr(spacy_pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT) -> Language:
    """The pipeline for `model` (a study's ``spacy_model`` setting), loaded once per process.

    An empty name gives the offline default; a name that is not installed falls back to it with a warning.
    """
    from dialoog.assist.spacy_pipeline import blank_pipeline, trained_pipeline

    if model:
        try:
            nlp = trained_pipeline(model)
        except OSError:
            log.warning(
                "spaCy pipeline '%s' (setting spacy_model) is not installed; using the built-in Dutch pipeline. "
                "Install it with 'python -m spacy download %s' or clear the setting.",
                model,
                model,
            )
        else:
            nlp.meta["dialoog_pipeline"] = model
            return nlp
    nlp = blank_pipeline()
    nlp.meta["dialoog_pipeline"] = BLANK
    return nlp


class LazyPipeline:
    """The pipeline of a ``spacy_model`` setting, loaded (`load_pipeline`) when first used: any attribute or
    call but `name`, `model`, `loaded` and `alpha_lemmas` goes to the loaded pipeline."""

    def __init__(self, model: str = DEFAULT) -> None:
        self.model = model
        self._nlp: Language | None = None
        #: text -> the lemmas of its alphabetic tokens (see `alpha_lemmas`)
        self.known: dict[str, tuple[str, ...]] = {}

    @property
    def loaded(self) -> Language:
        """The pipeline itself (loaded now if it was not)."""
        if self._nlp is None:
            self._nlp = load_pipeline(self.model)
        return self._nlp

    @property
    def is_loaded(self) -> bool:
        return self._nlp is not None

    @property
    def name(self) -> str:
        """The pipeline's ``dialoog_pipeline`` name: without loading for the offline default (a trained
        pipeline is loaded to learn whether it is installed)."""
        return self.loaded.meta["dialoog_pipeline"] if self.model else BLANK

    def alpha_lemmas(self, text: str) -> tuple[str, ...]:
        """The lemmas of the alphabetic tokens of `text`, from `known` when it has them (else by the pipeline,
        then kept there)."""
        found = self.known.get(text)
        if found is None:
            found = self.known[text] = tuple(t.lemma_ for t in self.loaded(text) if t.is_alpha)
        return found

    def __call__(self, *args, **kwargs):
        return self.loaded(*args, **kwargs)

    def __getattr__(self, attr: str):
        if attr.startswith("__") or attr in ("_nlp", "model", "known"):  # not yet set (copying, pickling)
            raise AttributeError(attr)
        return getattr(self.loaded, attr)

    def __repr__(self) -> str:
        return f"LazyPipeline({self.model!r}, loaded={self.is_loaded})"


@functools.lru_cache(maxsize=4)
def lazy_pipeline(model: str = DEFAULT) -> LazyPipeline:
    """The `LazyPipeline` of `model`, one per process (so what it learns is shared)."""
    return LazyPipeline(model)


def pipeline_for(study) -> Language:
    """The pipeline selected by a study's settings (a `LazyPipeline`: loaded when first used)."""
    return lazy_pipeline(study.settings.spacy_model)


def pipeline_name(nlp) -> str | None:
    """The ``dialoog_pipeline`` name of a pipeline or `LazyPipeline` (the latter without loading when it can)."""
    if isinstance(nlp, LazyPipeline):
        return nlp.name
    return nlp.meta.get("dialoog_pipeline")


def alpha_lemmas(nlp, text: str) -> tuple[str, ...]:
    """The lemmas of the alphabetic tokens of `text` (a `LazyPipeline` answers from what it knows)."""
    if isinstance(nlp, LazyPipeline):
        return nlp.alpha_lemmas(text)
    return tuple(t.lemma_ for t in nlp(text) if t.is_alpha)


@functools.lru_cache(maxsize=1)
def spacy_version() -> str:
    """spaCy's version, without importing spaCy."""
    from importlib.metadata import version

    return version("spacy")


def lemmatize_text(nlp: Language, text: str) -> list[str]:
    """Lower-case lemmas of the words of a short text (e.g. a codebook keyword)."""
    return [t.lemma_ for t in nlp(text) if not (t.is_punct or t.is_space)]
