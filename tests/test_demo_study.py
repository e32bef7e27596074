"""The shipped demo study is complete, fictional and valid."""

from collections import Counter

from dialoog.study.folder import Study

from .conftest import REPO


def test_demo_study_has_enough_material_per_municipality():
    study = Study(REPO)
    assert study.problems() == []
    per_gemeente = Counter(t.gemeente for t in study.transcripts.values())
    assert per_gemeente == {"Schiedam": 16, "Groningen": 4, "Súdwest-Fryslân": 4}
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


def test_schiedam_is_a_full_round_and_the_other_municipalities_stay_small():
    """Schiedam shows a real report (roles and wijken above the small-cell threshold, every code, a
    consensus); Groningen and Súdwest-Fryslân keep the small-study path tested."""
    study = Study(REPO)
    schiedam = [t for t in study.transcripts.values() if t.gemeente == "Schiedam"]
    roles = Counter(t.role for t in schiedam)
    assert roles["lhbt-inwoner"] >= 5 and roles["wijkprofessional"] >= 5
    assert len(roles) >= 6
    wijken = Counter(t.wijk for t in schiedam)
    assert sum(n >= 5 for n in wijken.values()) >= 2
    assert all(str(t.meta["datum"]).startswith("2026-0") for t in schiedam)
    coded = {c.code for c in study.codings if c.transcript.startswith("schiedam-")}
    assert coded == {c.id for c in study.codebook.walk()}
    for gemeente in ("Groningen", "Súdwest-Fryslân"):
        assert sum(t.gemeente == gemeente for t in study.transcripts.values()) < study.settings.small_cell_threshold
    consensus = (REPO / "consensus" / "consensus.csv").read_text(encoding="utf-8")
    assert {f"schiedam-{n:02d}" for n in range(1, 17)} <= {line.split(",")[0] for line in consensus.splitlines()[1:]}
