"""The Dutch language pipeline: tokens, sentences and lemmas, offline (one import for its users).

`load_pipeline()` gives one spaCy pipeline, loaded once per process (see `dialoog.assist.pipeline`):

- by default ``spacy.blank("nl")`` with spaCy's rule-based ``sentencizer`` rule and a lemmatiser backed by
  simplemma (measured against spaCy's lookup table in ``benchmarks/lemma_accuracy.py``);
- when the study setting ``spacy_model`` names an installed trained pipeline (such as ``nl_core_news_md``)
  or a pipeline folder, that one instead; when it is not installed, a warning is logged and the default is used.

`segments()` splits a transcript into speaker turns and the sentences within them; every segment's
`start`/`end` are character offsets into the transcript body, so ``body[start:end] == segment.text``
(see `dialoog.assist.segments`).

`pipeline_for(study)` gives a `LazyPipeline`, loaded (and spaCy imported) only when it analyses a text; the
names of spaCy's side (`blank_pipeline`, `SimplemmaLemmatizer`, ...) import spaCy when first asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dialoog.assist.pipeline import (
    DEFAULT,
    INTERVIEWER_LABELS,
    SENTENCE_FINAL_WORDS,
    LazyPipeline,
    TokenArrays,
    is_interviewer,
    lemma_of,
    lemmatize_text,
    load_pipeline,
    pipeline_for,
    pipeline_name,
    token_arrays,
)
from dialoog.assist.segments import (
    TURN_SEPARATOR,
    Segment,
    joined_text,
    parse,
    segments,
    segments_and_offsets,
    sentence_spans,
    transcript_segments,
    turn_segments,
    turns_text,
)

if TYPE_CHECKING:  # given by __getattr__ below, when first asked for
    from dialoog.assist.spacy_pipeline import (
        SENTENCE_END_CHARS,
        DialoogDutch,
        SimplemmaLemmatizer,
        blank_pipeline,
        fix_tokenizer_exceptions,
        trained_pipeline,
    )

__all__ = [
    "DEFAULT",
    "INTERVIEWER_LABELS",
    "LazyPipeline",
    "SENTENCE_END_CHARS",
    "SENTENCE_FINAL_WORDS",
    "TURN_SEPARATOR",
    "DialoogDutch",
    "Segment",
    "SimplemmaLemmatizer",
    "TokenArrays",
    "blank_pipeline",
    "fix_tokenizer_exceptions",
    "is_interviewer",
    "joined_text",
    "lemma_of",
    "lemmatize_text",
    "load_pipeline",
    "parse",
    "pipeline_for",
    "pipeline_name",
    "segments",
    "segments_and_offsets",
    "sentence_spans",
    "token_arrays",
    "trained_pipeline",
    "transcript_segments",
    "turn_segments",
    "turns_text",
]


def __getattr__(name: str):
    """The names of spaCy's side (`dialoog.assist.pipeline`'s lazy names), imported when first asked for."""
    from dialoog.assist import pipeline

    if name in pipeline._SPACY_NAMES:
        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
