"""The Dutch pipeline: sentence segments with exact body offsets, lemmas, tokenizer fixes, fallback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import spacy

from dialoog.assist import nlp
from dialoog.study.folder import Study, open_study

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pipeline():
    return nlp.load_pipeline()


def test_every_demo_segment_is_its_slice_of_the_body(pipeline):
    study = open_study(REPO, strict=False)
    assert study.transcripts
    for t in study.transcripts.values():
        segs = nlp.segments(t, pipeline)
        assert segs, t.id
        for seg in segs:
            assert t.body[seg.start : seg.end] == seg.text
            turn = t.turns[seg.turn]
            assert turn.start <= seg.start < seg.end <= turn.end  # never across a turn
            assert seg.text == seg.text.strip()
        # the segments are in order, do not overlap and cover every character of every turn but whitespace
        assert all(a.end <= b.start for a, b in zip(segs, segs[1:], strict=False))
        for turn in t.turns:
            joined = "".join(s.text for s in segs if s.turn == turn.index)
            assert "".join(joined.split()) == "".join(turn.text.split())


def test_sentence_final_period_after_common_words_ends_the_sentence(pipeline):
    text = "Dat wist ik al. Ze riepen me na. Ik weet dat. Daarna bleef het stil, bijv. op straat."
    sents = [s.text for s in pipeline(text).sents]
    assert sents == ["Dat wist ik al.", "Ze riepen me na.", "Ik weet dat.", "Daarna bleef het stil, bijv. op straat."]
    # spaCy's own Dutch tokenizer glues "al." together (the reason for the fix)
    assert "al." in [t.text for t in spacy.blank("nl")("Dat wist ik al. Ze")]


def test_turns_are_joined_without_merging_sentences(tiny_study: Study, pipeline):
    t = tiny_study.transcripts["schiedam-01"]
    segs = nlp.segments(t, pipeline)
    assert {s.turn for s in segs} == {turn.index for turn in t.turns}
    assert [s.text for s in segs if s.turn == 1] == [
        "Meestal prima.",
        "Maar vorig jaar riepen jongens me na bij de bushalte, dat was niet leuk.",
    ]
    assert segs[0].interviewer and not segs[1].interviewer


@pytest.mark.parametrize(
    ("form", "lemma"),
    [
        ("werd", "worden"),
        ("ben", "zijn"),
        ("gemeld", "melden"),
        ("mensen", "mens"),
        ("buren", "buur"),
        ("riepen", "roepen"),
        ("nageroepen", "naroepen"),
        ("aangepast", "aanpassen"),
        ("Politie", "politie"),
    ],
)
def test_lemmas_of_frequent_forms(form, lemma):
    assert nlp.lemma_of(form) == lemma


def test_segment_lemmas_skip_punctuation(pipeline, tiny_study: Study):
    seg = nlp.segments(tiny_study.transcripts["schiedam-01"], pipeline)[2]
    assert seg.lemmas[:5] == ("maar", "vorig", "jaar", "roepen", "jongen")
    assert "," not in seg.lemmas and "." not in seg.lemmas


def test_missing_trained_pipeline_falls_back_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="dialoog.assist.nlp"):
        p = nlp.load_pipeline("nl_core_news_not_installed")
    assert p.meta["dialoog_pipeline"] == "blank-nl+simplemma"
    assert "not installed" in caplog.text and "nl_core_news_not_installed" in caplog.text
    assert [t.lemma_ for t in p("Ze werden gemeld.")] == ["ze", "worden", "melden", "."]


def test_an_installed_pipeline_is_used_when_the_setting_names_it(tmp_path, tiny_study: Study):
    # a pipeline folder stands in for an installed package such as nl_core_news_md
    trained = spacy.blank("nl")
    trained.add_pipe("sentencizer")
    trained.to_disk(tmp_path / "pipeline")
    (tiny_study.root / "dialoog.yaml").write_text(f"spacy_model: {tmp_path / 'pipeline'}\n", encoding="utf-8")
    study = Study(tiny_study.root)
    assert study.settings.spacy_model == str(tmp_path / "pipeline")
    p = nlp.pipeline_for(study)
    assert p.meta["dialoog_pipeline"] == str(tmp_path / "pipeline")
    assert "sentencizer" in p.pipe_names and "dialoog_lemmatizer" in p.pipe_names
    assert "al." not in [t.text for t in p("Dat wist ik al. Ze")]  # the tokenizer fix applies too
    t = study.transcripts["schiedam-01"]
    for seg in nlp.segments(t, p):
        assert t.body[seg.start : seg.end] == seg.text


def test_default_setting_is_the_offline_pipeline(tiny_study: Study):
    assert tiny_study.settings.spacy_model == ""
    assert nlp.pipeline_for(tiny_study).meta["dialoog_pipeline"] == "blank-nl+simplemma"


def test_word_form_table_with_colliding_slots(monkeypatch, pipeline):
    # 4 slots for dozens of word forms: most forms are found by the binary search instead
    monkeypatch.setattr(nlp.SimplemmaLemmatizer, "SLOT_BITS", 2)
    small = nlp.blank_pipeline()
    text = "Ze riepen me na bij de bushalte. Werd ik gemeld?\n\nMensen en buren, ja! Dat wist ik al. Nee."
    for t in (text, text + " Nog meer nieuwe woorden, zoals aangepast.", text):
        doc, ref = small(t), pipeline(t)
        assert [tok.lemma_ for tok in doc] == [nlp.lemma_of(tok.text) for tok in doc]
        assert [tok.lemma_ for tok in doc] == [tok.lemma_ for tok in ref]
        assert [s.text for s in doc.sents] == [s.text for s in ref.sents]
        assert nlp.token_arrays(doc).length.tolist() == [len(tok) for tok in doc]
