"""The words behind a ranking: per content word of a unit (and per word of the interviewer's question before
it that carried a code), its contribution to each code's combined logit, from the codebook's side and the
model's. Computed for many units at once (one matrix, one product with the model's weights), as
`SuggestionModel.rank` needs for the units that get a suggestion; the values are those of one unit at a time.
"""

from __future__ import annotations

import functools

import numpy
from spacy.lang.nl.stop_words import STOP_WORDS

from dialoog.assist.features import WORD_RE, Unit, word_features
from dialoog.assist.pipeline import lemma_of

#: How a reason names a word of the interviewer's question that carried a suggestion.
QUESTION = "vraag: "

#: Words never given as a reason (besides spaCy's Dutch stop words): frequent verbs and fillers.
FUNCTION_WORDS = frozenset(
    {
        *STOP_WORDS,
        *"vinden zeggen gaan komen hebben zijn worden kunnen moeten willen doen maken weten denken krijgen "
        "staan zitten liggen laten zien eigenlijk gewoon echt heel wel nou eh ja nee hoor zo'n best even "
        "soort keer iets niks dingen ding mensen beetje precies natuurlijk inderdaad misschien".split(),
    }
)


@functools.lru_cache(maxsize=100_000)
def is_content(word: str) -> bool:
    w = word.lower()
    return len(w) > 2 and w not in FUNCTION_WORDS and lemma_of(w) not in FUNCTION_WORDS


def contributions(model, units: dict[int, Unit], x, weights: tuple) -> dict[int, tuple[list[str], numpy.ndarray]]:
    """For each unit (by its row of `x`, the model's feature matrix of the ranked units, or None): its content
    words, then "vraag: " + each word of its question that carried a code, and their contributions (words ×
    codes); `weights` are the model's `_signal_weights()`."""
    by_model, by_word, by_question = weights
    info, mask, none = model._word_info, model._code_mask, model._no_code
    n_codes = len(model.codes)
    table, parts, is_word = [], [], []
    for row, unit in units.items():
        words = list(filter(is_content, dict.fromkeys(WORD_RE.findall(unit.text))))
        facts = [info[w] if w in info else model._learn_word(w) for w in words]  # (lemma, mask row, feature)
        asked = list(filter(is_content, filter(str.isalpha, dict.fromkeys(unit.question))))
        parts.append((row, unit, len(table), words, facts, asked))
        table.extend(f[1] for f in facts)
        table.extend(mask.get(w, none) for w in asked)
        is_word.extend([True] * len(words) + [False] * len(asked))
    score = numpy.array(table).reshape(-1, n_codes)
    score *= numpy.where(numpy.array(is_word, dtype=bool)[:, None], by_word, by_question)
    if x is not None:
        _add_model(model, score, parts, x, by_model)
    carried = score.any(axis=1).tolist()
    out = {}
    for row, _unit, first, words, _facts, asked in parts:
        n = len(words)
        kept = [k for k in range(n, n + len(asked)) if carried[first + k]]  # question words that carried a code
        out[row] = (
            [*words, *(f"{QUESTION}{asked[k - n]}" for k in kept)],
            score[[first + k for k in (*range(n), *kept)]],
        )
    return out


def _add_model(model, score: numpy.ndarray, parts: list, x, by_model: numpy.ndarray) -> None:
    """Add the model's part: each unit's features (index -> value; the others are 0) times the weights."""
    indptr, indices, data = x.indptr.tolist(), x.indices, x.data
    asked_get = model.vectorizer._lookups()[2]  # indices + 1
    get = model.vectorizer.vocabulary.get
    where, features, values = [], [], []
    for row, _unit, first, words, facts, asked in parts:
        a, b = indptr[row], indptr[row + 1]
        present = dict(zip(indices[a:b].tolist(), data[a:b].tolist(), strict=True))
        n = len(words)
        at = [(r, f[2]) for r, f in enumerate(facts) if f[2] in present]
        at += [(r, asked_get(w, 0) - 1) for r, w in enumerate(asked, start=n) if asked_get(w, 0) - 1 in present]
        if "char" in model.kinds:
            for r, (word, (lemma, _m, _f)) in enumerate(zip(words, facts, strict=True)):
                at += [(r, i) for i in map(get, word_features(word, lemma, ("char",))) if i in present]
        where.extend(first + r for r, _ in at)
        features.extend(i for _, i in at)
        values.extend(present[i] for _, i in at)
    if where:
        column = numpy.array(values)[:, None]
        numpy.add.at(score, where, by_model * column * model.weights[features])
