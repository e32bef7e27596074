"""The Dutch language pipeline: tokens, sentences and lemmas, offline (one import for its users).

`load_pipeline()` gives one spaCy pipeline, loaded once per process (see `dialoog.assist.pipeline`):

- by default ``spacy.blank("nl")`` with spaCy's rule-based ``sentencizer`` rule and a lemmatiser backed by
  simplemma (measured against spaCy's lookup table in ``benchmarks/lemma_accuracy.py``);
- when the study setting ``spacy_model`` names an installed trained pipeline (such as ``nl_core_news_md``)
  or a pipeline folder, that one instead; when it is not installed, a warning is logged and the default is used.

`segments()` splits a transcript into speaker turns and the sentences within them; every segment's
`start`/`end` are character offsets into the transcript body, so ``body[start:end] == segment.text``
(see `dialoog.assist.segments`).
"""

from __future__ import annotations

from dialoog.assist.pipeline import (
    DEFAULT,
    INTERVIEWER_LABELS,
    SENTENCE_END_CHARS,
    SENTENCE_FINAL_WORDS,
    DialoogDutch,
    SimplemmaLemmatizer,
    TokenArrays,
    blank_pipeline,
    fix_tokenizer_exceptions,
    is_interviewer,
    lemma_of,
    lemmatize_text,
    load_pipeline,
    pipeline_for,
    token_arrays,
    trained_pipeline,
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

__all__ = [
    "DEFAULT",
    "INTERVIEWER_LABELS",
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
    "segments",
    "segments_and_offsets",
    "sentence_spans",
    "token_arrays",
    "trained_pipeline",
    "transcript_segments",
    "turn_segments",
    "turns_text",
]
