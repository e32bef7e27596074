"""Guards: the report refuses unpseudonymised transcripts, small cells are suppressed, consent can be withdrawn."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

import dialoog.privacy as privacy
from dialoog.errors import DialoogError
from dialoog.report import perspectieven
from dialoog.study import codings
from dialoog.study.analysis import check_pseudonymised, load
from dialoog.study.folder import Study
from dialoog.study.gemeenten import find_gemeente

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
    from dialoog.cli import main
    from dialoog.privacy import detect as ps

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
    again = privacy.withdraw(study, "schiedam-02")  # again: finishes (or repeats) the clean-up, harmlessly
    assert again.transcript is None and again.codings_removed == 0
    with pytest.raises(DialoogError, match="no transcript with id"):
        privacy.withdraw(study, "schiedam-99")


def test_share_text_hides_small_counts_and_small_complements():
    assert privacy.share_text(3, 20, 5) == "in minder dan 5 van de 20 gesprekken"
    assert privacy.share_text(3, 4, 5) == "in minder dan 5 gesprekken"  # never "minder dan 5 van de 4"
    assert privacy.share_text(0, 4, 5) == "in geen van de 4 gesprekken"
    assert privacy.share_text(12, 20, 5) == "in 12 van de 20 gesprekken"
    assert privacy.share_text(20, 20, 5) == "in alle 20 gesprekken"
    assert privacy.share_text(18, 20, 5) == "in meer dan 15 van de 20 gesprekken"  # 2 did not: too few to show
    assert [privacy.share_label(k, 20, 5) for k in (0, 3, 12, 18, 20)] == ["0", "< 5", "12", "> 15", "20"]
    assert privacy.count_text(4, 5) == "minder dan 5" and privacy.count_text(5, 5) == "5"


#: how the report may state the total number of interviews (the sample size, not a cell)
_TOTAL = [r"We voerden {n} gesprekken", r"zijn {n} dialooggesprekken gevoerd", r"in {n} gesprekken is opgehaald",
          r"In de {n} gesprekken ging", r"{n} gesprekken zijn door"]  # fmt: skip
_PEOPLE = r"(?:dialoog)?gesprek(?:ken)?|gespr\.|LHBT-inwoners?|professionals?|vrijwilligers?|respondent(?:en)?|personen"


def _small_people_counts(text: str, n: int, threshold: int) -> list[str]:
    """Every count of interviews or people below `threshold` in `text`, except the stated total `n`."""
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text)
    for phrase in _TOTAL:
        text = re.sub(phrase.format(n=n), "", text, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]+>", " ", text).replace("&lt;", "<")
    counts = re.finditer(
        rf"(?<![\d<>] )(?<![\d,.])\b(\d+)(?: van (?:de )?\d+)?(?: \w+)? (?:{_PEOPLE})\b"
        rf"|<td>\s*(\d+)\s*</td>",
        text,
    )
    return [m.group(0) for m in counts if 0 < int(m.group(1) or m.group(2)) < threshold]


def test_no_small_interview_or_person_count_in_the_chapters(tiny_study):
    data = load(tiny_study, SCHIEDAM)
    n = len(data.interviews)
    assert n == 2
    text = "\n".join([*perspectieven.parts(data), *perspectieven.key_findings(data)])
    assert _small_people_counts(text, n, 5) == []
    assert "in minder dan 5 gesprekken" in perspectieven.wat_werkt(data)
    assert "We voerden 2 gesprekken: met minder dan 5 LHBT-inwoners en met minder dan 5 professionals" in text
    # the check itself finds what the report used to say
    assert _small_people_counts("Dit kwam ter sprake in 1 van de 2 gesprekken (3 fragmenten)", n, 5)
    assert _small_people_counts("met 1 LHBT-inwoner en 1 professional", n, 5)
    assert not _small_people_counts("13 fragmenten, in minder dan 5 gesprekken", n, 5)
    # with a threshold of 1 nothing is small, and the exact counts come back
    exact = dataclasses.replace(data, small_cell_threshold=1)
    assert "in 1 van de 2 gesprekken" in perspectieven.themas(exact)
    assert "in alle 2 gesprekken" in perspectieven.vragen_en_behoeften(exact)
    assert (
        perspectieven.key_findings(exact)[0]
        == "We voerden 2 gesprekken: met 1 LHBT-inwoner en 1 professional of vrijwilliger."
    )
