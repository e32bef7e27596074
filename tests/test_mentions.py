"""Initiatives and needs found directly in transcripts: names, links to the registers, proposals, scores."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from dialoog.assist import mentions, mentions_score
from dialoog.assist.inventory import from_transcripts
from dialoog.cli import main
from dialoog.inventory import registers
from dialoog.study.folder import Study

REPO = Path(__file__).resolve().parents[1]
EVAL2 = REPO / "benchmarks" / "data" / "eval2" / "study"


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("We hebben meegedaan aan de Regenboogcompetitie van de KNVB.", ["Regenboogcompetitie"]),
        ("Toen is buurtbemiddeling ingeschakeld.", ["Buurtbemiddeling"]),
        ("Er was een netwerkbijeenkomst van de gemeente in het stadhuis.", ["Netwerkbijeenkomst van de gemeente"]),
        ("Vorig jaar was er Roze Zaterdag, de hele stad stond vol.", ["Roze Zaterdag"]),
        ("Het COC gaf een voorlichting over seksuele diversiteit.", ["Voorlichting over seksuele diversiteit"]),
        ("Ik ben naar de training gegaan.", []),  # a generic word alone names nothing
        ("Een training voor collega's zou helpen.", []),  # a wish: a need, not an initiative
    ],
)
def test_initiative_names(sentence, names):
    assert mentions.initiatives_in(sentence) == names


@pytest.mark.parametrize(
    ("sentence", "asked", "name"),
    [
        ("Ik mis een vast aanspreekpunt bij de gemeente.", False, "Vast aanspreekpunt bij de gemeente"),
        ("Er is behoefte aan een sociale kaart voor professionals.", False, "Sociale kaart voor professionals"),
        ("Een protocol voor discriminatie in de wijk.", True, "Protocol voor discriminatie in de wijk"),
        ("Een protocol voor discriminatie in de wijk.", False, None),
        ("Dat zou hier ook moeten.", False, None),  # no thing is named
        ("Wat ik mis is een plek voor ouderen.", False, "Plek voor ouderen"),  # not "Is een plek ..."
        ("Wat we missen zijn avonden voor jongeren.", False, "Avonden voor jongeren"),
    ],
)
def test_need_names(sentence, asked, name):
    assert mentions.need_in(sentence, asked) == name


def test_links_never_go_through_generic_or_one_word_aliases():
    found = [
        mentions.Finding("initiatief", "Training voor huisartsen"),
        mentions.Finding("initiatief", "Wijknetwerk met de gemeente"),
        mentions.Finding("initiatief", "Buurtbemiddeling"),
        mentions.Finding("initiatief", "Voorlichting Wie van de drie op school"),
    ]
    entries = [
        ("training-professionals", "Training LHBT-sensitief werken voor professionals", ["training"]),
        ("gemeente", "Gemeente Schiedam", ["gemeente"]),
        ("buurtbemiddeling", "Buurtbemiddeling", []),
        ("wie-van-de-drie", "Voorlichting 'Wie van de drie'", ["wie van de drie", "panel"]),
    ]
    mentions.link(found, entries, "initiatief")
    assert [f.link for f in found] == ["", "", "buurtbemiddeling", "wie-van-de-drie"]


def test_demo_proposals_link_registered_entries_and_propose_new_ones(demo_copy: Path, capsys):
    study = Study(demo_copy)
    g = study.gemeente("schiedam")
    found = from_transcripts(study, g, registers.load(study, g))
    linked = {p.name: p.link for p in found if p.kind == "initiatief"}
    assert linked["Buurtbemiddeling"] == "netwerk.yaml:buurtbemiddeling"  # registered as an organisation only
    assert linked["Regenboogzebrapad"] == "initiatieven.yaml:regenboogzebrapad"
    assert any(p.kind == "initiatief" and not p.link for p in found)
    for p in found:
        for frag in p.fragments:
            assert 0 <= frag.start < frag.end <= len(study.transcripts[frag.transcript].body)
    assert main(["inventory", "--study", str(demo_copy), "--gemeente", "schiedam"]) == 0
    out = capsys.readouterr().out
    assert "found in the transcripts" in out and "links to netwerk.yaml:buurtbemiddeling" in out


def test_an_uncoded_study_without_registers_gets_proposals(tmp_path: Path, capsys):
    study_dir = tmp_path / "eval2"
    shutil.copytree(EVAL2, study_dir)
    shutil.rmtree(study_dir / "codings")
    assert main(["inventory", "--study", str(study_dir), "--gemeente", "zwolle"]) == 0
    out = capsys.readouterr().out
    assert "no registers yet" in out and "Regenboogcompetitie" in out and "new entry" in out


def test_scores_against_the_second_evaluation_set():
    study = Study(EVAL2)
    gold = yaml.safe_load((EVAL2 / "gold-inventory.yaml").read_text(encoding="utf-8"))
    found = mentions.study_findings(study, list(study.transcripts.values()))
    scores = {s.kind: s for s in mentions_score.score_findings(found, gold)}
    assert scores["initiatief"].gold == len({(g["transcript"], g["naam"].lower()) for g in gold["initiatieven"]})
    assert scores["behoefte"].gold == len(gold["behoeften"])
    for s in scores.values():
        assert 0 < s.precision <= 1 and 0 < s.recall <= 1 and s.correct <= s.found


def test_names_never_carry_pseudonyms():
    assert mentions.need_in("Ik mis een maatje zoals [persoon-3] voor de avonden.") == "Maatje zoals voor de avonden"
    assert mentions.normalise(["de", "[persoon-2]", "Roze", "Salon"]) == "Roze Salon"


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("Er is een groep voor moslims die ook zo zijn.", ["Groep voor moslims"]),
        (
            "Ik loop elk jaar mee in de regenboogloop van de atletiekvereniging.",
            ["Regenboogloop van de atletiekvereniging"],
        ),
        ("Er is ook een GSA, een groepje dat elke dinsdag bij elkaar komt.", ["GSA"]),  # an acronym after "een"
        ("Met het COC hebben we een avond georganiseerd voor trainers, over pesten.", ["Avond voor trainers"]),
        ("Het COC komt weleens voorlichting geven.", ["Voorlichting (COC)"]),  # named by who gave it
        ("En er is een Week van de Lentekriebels, met lessen.", ["Week van de Lentekriebels"]),
        ("Op mijn werk zeiden ze dat je ook naar Discriminatie.nl kunt.", ["Discriminatie.nl"]),
        ("We zien elkaar sinds de Pride in Hengelo.", []),  # a municipality ends a name; "Pride" alone is generic
        ("Op een avond met een blauw oog kwam hij binnen.", []),  # a time, not an initiative
        ("Op zaterdagavond ga ik naar de film.", []),
        ("Ik kom uit De Hoven, bij de Albert Heijn.", []),  # places
        ("Er hangt een regenboogvlag in de hal.", ["Regenboogvlag in de hal"]),
        ("Mijn regenboogvlag is oud.", []),  # a flag is an initiative when someone raised or hung it
        ("De doelgroep is klein en de vriendenkring ook.", []),
        # the municipality's flag, hung or raised, is one initiative whatever the wording
        ("De regenboogvlag op het gemeentehuis.", ["Regenboogvlag bij het gemeentehuis"]),
        ("Ze hangen de regenboogvlag op bij het stadhuis, in oktober.", ["Regenboogvlag bij het gemeentehuis"]),
        # a name of two capitalised words also at the start of a sentence, not after a word that opens one
        ("Paarse Vrijdag doen ze op beide scholen al.", ["Paarse Vrijdag"]),
        ("Daar Pride vieren vond ik spannend.", []),
    ],
)
def test_more_initiative_names(sentence, names):
    assert mentions.initiatives_in(sentence) == names


@pytest.mark.parametrize(
    ("sentence", "asked", "listing", "name"),
    [
        ("En een vaste training voor nieuwe medewerkers.", False, True, "Vaste training voor nieuwe medewerkers"),
        ("En een vaste training voor nieuwe medewerkers.", False, False, None),  # a list item only as an answer
        ("Als ik zo'n jongere zie, weet ik niet wie ik moet bellen.", False, False, "Weten waar je terechtkunt"),
        ("Het zou fijn zijn als er gewoon een plek was in Ede.", False, False, "Plek"),
        ("Wat heb jij nodig?", False, False, None),  # a question
        ("Ik nodig niemand uit als de buren thuis zijn.", False, False, None),  # "uitnodigen"
        ("Dat heb ik een jaar nodig gehad.", False, False, None),  # past
        ("Proberen.", True, True, None),  # a verb names no need
        ("Ehm, ja.", True, True, None),
        ("Een sociale kaart.", False, True, "Sociale kaart"),
        (
            "Ik zou willen dat de gemeente iets doet op de herdenkingsdag.",
            False,
            False,
            "Dat de gemeente iets doet op de herdenkingsdag",
        ),
        ("Dat zou op elke school moeten.", False, False, None),  # "dat" points back; no name opens with "op"
    ],
)
def test_more_need_names(sentence, asked, listing, name):
    assert mentions.need_in(sentence, asked, listing) == name


def test_the_asker_is_found_by_questions_when_labels_do_not_say(tmp_path: Path):
    from dialoog.assist.mentions_needs import asked_turns, askers
    from dialoog.study.transcripts import Turn

    texts = [
        ("MvD", "Hoe gaat het hier?"),
        ("HB", "Goed, we hebben een leesclub."),
        ("MvD", "Wat zou er nog nodig zijn?"),
        ("HB", "Geld voor meer dan één jaar."),
        ("MvD", "En verder?"),
        ("HB", "Een vaste contactpersoon."),
        ("MvD", "Hoe reageren de scholen daarop?"),
        ("HB", "Wisselend."),
    ]
    turns = [Turn(k, who, 0, len(text), text) for k, (who, text) in enumerate(texts)]
    t = mentions.Transcript(path=tmp_path / "x.md", meta={}, body="", turns=turns)
    assert askers(t) == {"MvD"}
    assert asked_turns(t, {"MvD"}) == {1: 0, 3: 2, 5: 1, 7: 0}


def test_scoring_counts_other_words_in_the_gold_sentence_but_not_an_organisation_for_what_it_gives():
    gold = {
        "initiatieven": [
            {"transcript": "a", "naam": "voorlichting van het COC", "fragment": "a:100-200"},
            {"transcript": "a", "naam": "ouderkring voor ouders van transkinderen", "fragment": "a:300-400"},
            {"transcript": "a", "naam": "Roze Zaterdag-festival", "fragment": "a:500-600"},
        ],
        "behoeften": [{"transcript": "a", "naam": "sociale kaart", "fragment": "a:700-800"}],
    }
    found = [
        mentions.Finding("initiatief", "COC", [("a", 100, 200)]),  # the organisation, not its activity
        mentions.Finding("initiatief", "Ouderkring in Hengelo", [("a", 300, 400)]),  # same head, same sentence
        mentions.Finding("initiatief", "Roze Zaterdag", [("a", 900, 950)]),  # the start of the name
        mentions.Finding("initiatief", "Ouderkring in Hengelo", [("b", 300, 400)]),  # another transcript
        mentions.Finding("behoefte", "Overzicht", [("a", 650, 710)]),
    ]
    ini, need = mentions_score.score_findings(found, gold)
    assert (ini.found, ini.correct, ini.gold, ini.recalled) == (4, 2, 3, 2)
    assert (need.found, need.correct, need.recalled) == (1, 1, 1)
    assert not mentions_score.same_name("Roze Loper", "Roze Zaterdag")
    assert not mentions_score.same_name("Oude Pekela", "Regenboogborrel Oude Pekela")


def test_rules_beat_the_plain_baseline_on_the_second_evaluation_set():
    study = Study(EVAL2)
    gold = yaml.safe_load((EVAL2 / "gold-inventory.yaml").read_text(encoding="utf-8"))
    nlp, transcripts = mentions.pipeline_for(study), list(study.transcripts.values())
    rules = mentions_score.score_findings(mentions.find(nlp, transcripts), gold)
    base = mentions_score.score_findings(mentions_score.baseline(nlp, transcripts), gold)
    for r, b in zip(rules, base, strict=True):
        assert r.precision > b.precision and r.recall >= b.recall
