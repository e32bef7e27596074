"""Guards: the report refuses unpseudonymised transcripts, small cells are suppressed, consent can be withdrawn."""

from __future__ import annotations

import pandas as pd
import pytest

from dialoog import codings, perspectieven, privacy
from dialoog.analysis import check_pseudonymised, load
from dialoog.errors import DialoogError
from dialoog.gemeenten import find_gemeente
from dialoog.study import Study

SCHIEDAM = find_gemeente("Schiedam")


def _set(study: Study, tid: str, old: str, new: str) -> None:
    path = study.transcripts[tid].path
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_report_refuses_a_transcript_with_consent_that_is_not_pseudonymised(tiny_study):
    _set(tiny_study, "schiedam-02", "pseudonymised: true", "pseudonymised: false")
    study = Study(tiny_study.root)
    with pytest.raises(DialoogError) as exc:
        check_pseudonymised(study, SCHIEDAM)
    assert "schiedam-02.md" in str(exc.value) and "dialoog pseudonymise" in str(exc.value)
    with pytest.raises(DialoogError, match="not pseudonymised"):
        load(study, SCHIEDAM)


def test_report_leaves_out_a_transcript_without_consent(tiny_study):
    _set(tiny_study, "schiedam-02", "consent: true", "consent: false")
    _set(tiny_study, "schiedam-02", "pseudonymised: true", "pseudonymised: false")
    data = load(Study(tiny_study.root), SCHIEDAM)
    assert list(data.interviews.id) == ["schiedam-01"]


def test_suppress_counts_hides_small_cells_and_one_more_when_one_is_hidden():
    df = pd.DataFrame({"rol": ["a", "b", "c", "d"], "n": [12, 3, 7, 0]})
    out = privacy.suppress_counts(df, ["n"], 5)
    assert list(out.n) == ["12", "< 5", "< 5", "0"]  # 7 hidden too, else 3 = total - 12 - 7
    df = pd.DataFrame({"n": [2, 1, 9]})
    assert list(privacy.suppress_counts(df, ["n"], 5).n) == ["< 5", "< 5", "9"]
    assert privacy.display_count(4, 5) == "< 5" and privacy.display_count(5, 5) == "5"


def test_methode_tables_show_small_counts_as_below_the_threshold(tiny_study):
    text = perspectieven.methode(load(tiny_study, SCHIEDAM))
    assert "<td>&lt; 5</td>" in text
    assert "<td>1</td>" not in text and "<td>2</td>" not in text


def test_threshold_is_a_study_setting(tiny_study):
    (tiny_study.root / "dialoog.yaml").write_text("small_cell_threshold: 2\n", encoding="utf-8")
    data = load(Study(tiny_study.root), SCHIEDAM)
    assert data.small_cell_threshold == 2
    assert "<td>2</td>" in perspectieven.methode(data)


def test_withdraw_removes_transcript_codings_and_key_entries_and_marks_reports_stale(tiny_study, capsys):
    from dialoog import pseudonymise as ps
    from dialoog.cli import main

    key = ps.PseudonymKey(path=tiny_study.root / privacy.KEY_FILE)
    key.person("Sanne de Vries", "schiedam-01")
    key.person("Dennis Bakker", "schiedam-02")
    key.person("Sanne", "schiedam-02")
    key.save()
    report = tiny_study.reports_dir / "schiedam" / "perspectieven.html"
    report.parent.mkdir(parents=True)
    report.write_text("<html></html>", encoding="utf-8")

    assert main(["withdraw", "schiedam-02", "--study", str(tiny_study.root)]) == 0
    out = capsys.readouterr().out
    assert "stale: reports/schiedam/perspectieven.html" in out
    assert "Sanne" not in out and "Dennis" not in out
    study = Study(tiny_study.root)
    assert list(study.transcripts) == ["schiedam-01"]
    assert not [c for path in study.coder_files() for c in codings.read(path) if c.transcript == "schiedam-02"]
    assert study.problems() == []
    names = ps.PseudonymKey.load(tiny_study.root / privacy.KEY_FILE).known_names()
    assert "dennis bakker" not in names and "sanne de vries" in names
    assert (report.parent / privacy.STALE_NOTE).is_file()
    with pytest.raises(DialoogError, match="no transcript with id"):
        privacy.withdraw(study, "schiedam-02")
