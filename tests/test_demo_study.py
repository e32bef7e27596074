"""The shipped demo study is complete, fictional and valid."""

from collections import Counter

from dialoog.study.folder import Study

from .conftest import REPO


def test_demo_study_has_enough_material_per_municipality():
    study = Study(REPO)
    assert study.problems() == []
    per_gemeente = Counter(t.gemeente for t in study.transcripts.values())
    assert per_gemeente == {"Schiedam": 4, "Groningen": 4, "Súdwest-Fryslân": 4}
    for t in study.transcripts.values():
        assert t.meta["fictional"] is True and t.meta["consent"] is True and t.meta["pseudonymised"] is True
        assert t.word_count() >= 500
    roles = {t.role for t in study.transcripts.values()}
    assert {"lhbt-inwoner", "wijkprofessional", "politie", "woningcorporatie", "vrijwilliger"} <= roles


def test_demo_study_is_coded_by_two_coders_who_sometimes_disagree():
    study = Study(REPO)
    by_coder = {}
    for c in study.codings:
        by_coder.setdefault(c.coder, set()).add((c.transcript, c.start, c.end, c.code))
    assert set(by_coder) == {"anouk", "bram"}
    both = by_coder["anouk"] & by_coder["bram"]
    either = by_coder["anouk"] | by_coder["bram"]
    assert 0.5 < len(both) / len(either) < 0.95
    for t in study.transcripts:
        for code in ("wat-werkt", "wat-werkt-niet", "vragen-behoeften"):
            assert any(c.transcript == t and c.code == code for c in study.codings)
