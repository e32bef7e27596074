"""Suggestions made for many units at once (dialoog.assist.rows, explain, reasons) are exactly those made one
unit at a time: the same feature rows, the same fragment words, fragments and reasons."""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest

from dialoog.assist.explain import Explained
from dialoog.assist.features import WORD_RE, WORD_SPLIT
from dialoog.assist.model import reason_for
from dialoog.assist.pool import hits_within
from dialoog.assist.rows import Batch
from dialoog.assist.suggest import analyse_study, fragment_of, suggest_for, train
from dialoog.study.folder import open_study

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo():
    """The demo study analysed, and a model trained on its own codings."""
    study = open_study(REPO, strict=False)
    analysed = analyse_study(study)
    return analysed, train(study, analysed, study.codings)


def same(a, b) -> bool:
    a, b = a.tocsr(), b.tocsr()
    return (
        a.shape == b.shape
        and numpy.array_equal(a.indptr, b.indptr)
        and numpy.array_equal(a.indices, b.indices)
        and numpy.array_equal(a.data, b.data)  # to the last bit
    )


def test_batch_rows_are_the_vectorizers_rows(demo):
    analysed, model = demo
    units = [u for tid in analysed.units for u in analysed.units[tid]]
    vec, cb = model.vectorizer, model._cb_vec
    batch = Batch(units)
    lemmas, questions = [u.lemmas for u in units], [u.question for u in units]
    assert same(batch.model_rows(vec), vec.transform_texts([u.text for u in units], lemmas, ("lemma",), questions))
    assert same(batch.codebook_rows(cb), cb.transform(lemmas))
    chosen = list(range(0, len(units), 3))  # the sentences of some units, as units of their own
    sentences = [s for i in chosen for s in units[i].sentence_units()]
    assert len(sentences) > len(chosen)
    texts, lemmas = [s.text for s in sentences], [s.lemmas for s in sentences]
    expected = vec.transform_texts(texts, lemmas, ("lemma",), [s.question for s in sentences])
    assert same(batch.model_rows(vec, chosen), expected)
    assert same(batch.codebook_rows(cb, chosen), cb.transform(lemmas))
    # the sentences ranked from the units' batch: as ranked on their own
    ranked = model.rank(units)
    hits = [[] for _ in sentences]
    assert numpy.array_equal(ranked.sentences(chosen, hits), model.rank(sentences, hits, explain=False).p)


def test_fragment_words_are_what_findall_finds_in_the_fragment():
    text = "Ik zei: 'LHBT-jongeren' — dat's 3x_niet ok.Dan wéér… ‘echt’ niet-meer?Nee"
    explained = Explained([], numpy.zeros((0, 1)), {}, {0: WORD_SPLIT.split(text)})
    for a in range(len(text)):
        for b in range(a, len(text) + 1):  # also fragments that cut a word
            assert explained.fragment_words(0, text, a, b) == set(WORD_RE.findall(text[a:b])), (a, b)


def test_fragments_and_reasons_are_those_of_one_unit_at_a_time(demo):
    analysed, model = demo
    tids = sorted(analysed.units)[:6]
    found = suggest_for(model, analysed, tids)
    assert len(found) > 50
    units = {(u.transcript, u.turn, u.start): (u, k) for tid in tids for k, u in enumerate(analysed.units[tid])}
    hits = {tid: hits_within(analysed.units[tid], analysed.hits[tid]) for tid in tids}
    codes = model.codes
    several = 0
    for s in found:
        mine = [k for k in units if k[0] == s.transcript and k[1] == s.turn and k[2] <= s.start]
        u, k = units[max(mine, key=lambda key: key[2])]  # the unit (turn or block) the fragment is in
        unit_hits = hits[s.transcript][k]
        j = codes.index(s.code)
        sentences = u.sentence_units()
        p = model.rank(sentences, hits_within(u.sentences, unit_hits), explain=False).p[:, j]
        assert (s.start, s.end) == fragment_of(u, p)
        several += len(sentences) > 1 and (s.start, s.end) != (u.start, u.end)
        ranked = model.rank([u], [unit_hits])
        inside = [h for h in unit_hits if s.start <= h.start and h.end <= s.end]
        within = (s.start - u.start, s.end - u.start)
        assert s.reason == reason_for(ranked, 0, j, inside, u.text, u.start, within=within)
        assert s.score == round(float(ranked.p[0, j]), 3)
    assert several > 5  # fragments smaller than their unit were checked too


def test_words_behind_the_ranking_of_rows_prepared_at_different_times(demo):
    analysed, model = demo
    units = analysed.units[sorted(analysed.units)[0]][:4]
    ranked = model.rank(units)
    ranked.prepare([0, 1])
    ranked.prepare([1, 2])
    for row in range(4):  # row 3 never prepared: explained on its own
        words, scores = ranked.contribution_matrix(row)
        alone, alone_scores = model.rank([units[row]]).contribution_matrix(0)
        assert words == alone and numpy.array_equal(scores, alone_scores) and len(words) > 3


def test_no_suggestions_when_no_code_is_shown(demo):
    analysed, model = demo
    kept = model.thresholds
    try:
        model.thresholds = numpy.full(len(model.codes), 2.0)
        assert suggest_for(model, analysed, sorted(analysed.units)[0], floor=2.0) == []
    finally:
        model.thresholds = kept
