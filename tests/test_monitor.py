"""Monitor figures, the alliance file and regions: validation, suppression, intervals and honest trends."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

from dialoog.errors import DialoogError, ValidationError
from dialoog.monitor import data as monitor

from .conftest import REPO

HEADER = "jaar,gemeente,indicator,groep,n,waarde,bron\n"


def _csv(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "monitor.csv"
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


def test_bad_rows_name_file_row_and_column(tmp_path: Path):
    path = _csv(
        tmp_path,
        """\
        2024,Groningen,onveilig-buurt,lhbt,400,0.25,enquête
        2024,Groningen,gelukkig,lhbt,400,0.25,enquête
        2024,Groningen,onveilig-buurt,lhbt,400,25,enquête
        2024,Groningen,slachtoffer,lhbt,,0.2,enquête
        2024,Grunnen,slachtoffer,niet-lhbt,100,0.2,enquête
        2024,Groningen,meldingen-politie,seksuele-orientatie,,3.5,politie
        2024,Groningen,onveilig-buurt,trans,40,0.2,enquête
        2024,Groningen,onveilig-buurt,niet-lhbt,40,0.2,
        """,
    )
    with pytest.raises(ValidationError) as info:
        monitor.load_figures(path)
    found = {(p.line, p.key): p.detail for p in info.value.problems}
    assert all(p.path == path for p in info.value.problems)
    assert found[(3, "indicator")] == "unknown indicator 'gelukkig'"
    assert found[(4, "waarde")] == "impossible value 25.0 for a proportion"
    assert found[(5, "n")] == "n is missing"
    assert "not a Dutch municipality" in found[(6, "gemeente")]
    assert found[(7, "waarde")] == "impossible value 3.5 for a count"
    assert found[(8, "groep")] == "unknown groep 'trans' for onveilig-buurt"
    assert found[(9, "bron")] == "the source is missing"
    # the impossible 25 on line 4 is not also reported as a duplicate of line 2
    assert len(found) == 7


def test_header_and_duplicates(tmp_path: Path):
    path = tmp_path / "m.csv"
    path.write_text("year,municipality\n", encoding="utf-8")
    with pytest.raises(DialoogError, match="unexpected header"):
        monitor.load_figures(path)
    path = _csv(tmp_path, "2024,Schiedam,aangifte,lhbt,50,0.3,a\n2024,schiedam,aangifte,lhbt,50,0.3,b\n")
    with pytest.raises(ValidationError, match="duplicate figure \\(also on line 2\\)"):
        monitor.load_figures(path)


def test_the_demo_files_are_valid():
    figs = monitor.load_figures(REPO / "monitor" / "monitor.csv")
    assert set(figs["gemeente"]) == {"Groningen", "Súdwest-Fryslân"}
    assert figs["bron"].str.contains("Fictie").all()
    alliance = monitor.load_alliance(REPO / "monitor" / "alliantie.yaml")
    assert [a.nummer for a in alliance.agreements] == [1, 2, 3, 4, 5, 6]
    assert len([a for a in alliance.actions if a.jaar == 2016]) == 8  # 3 for Groningen, 5 for Súdwest-Fryslân
    regions = monitor.load_regions(REPO / "monitor" / "regios.yaml")
    assert [g.name for g in regions["noord-nederland"].gemeenten] == ["Groningen", "Súdwest-Fryslân"]


def test_alliance_errors(tmp_path: Path):
    path = tmp_path / "alliantie.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            afspraken:
              - {nummer: 1, tekst: Aandacht}
            partners:
              - {id: coc, naam: COC}
            acties:
              - jaar: 2025
                gemeente: Groningen
                partners: [coc, politie]
                actie: iets
                afspraken: [7]
                status: klaar
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        monitor.load_alliance(path)
    found = {(p.line, p.key): p.detail for p in info.value.problems}
    assert found[(8, "acties[1].partners")] == "unknown partner 'politie'"
    assert found[(10, "acties[1].afspraken")] == "unknown agreement '7'"
    assert found[(11, "acties[1].status")] == "unknown status 'klaar'"


def _row(indicator: str, waarde: float, n: int | None) -> pd.Series:
    return pd.Series({"indicator": indicator, "waarde": waarde, "n": n})


def test_suppression_of_small_cells():
    assert monitor.is_suppressed(_row("aangifte", 0.22, 9), 5)  # 2 of 9 victims
    assert monitor.is_suppressed(_row("aangifte", 0.5, 4), 5)  # fewer than 5 respondents
    assert monitor.is_suppressed(_row("onveilig-buurt", 0.98, 200), 5)  # 4 people did not
    assert not monitor.is_suppressed(_row("onveilig-buurt", 0.25, 400), 5)
    assert not monitor.is_suppressed(_row("onveilig-buurt", 0.0, 400), 5)  # nobody is not a small cell
    assert monitor.is_suppressed(_row("meldingen-politie", 3, None), 5)
    assert not monitor.is_suppressed(_row("meldingen-politie", 0, None), 5)
    assert monitor.display_value(_row("meldingen-politie", 3, None), 5) == "< 5"
    assert monitor.display_value(_row("aangifte", 0.22, 9), 5) == "onderdrukt (n = 9)"
    assert monitor.display_value(_row("onveilig-buurt", 0.25, 400), 10) == "25% (21%–29%; n = 400)"


def test_wilson_interval():
    lo, hi = monitor.wilson(0.5, 100)
    assert lo == pytest.approx(0.4038, abs=1e-4) and hi == pytest.approx(0.5962, abs=1e-4)
    lo, hi = monitor.wilson(0.0, 20)
    assert lo == 0.0 and hi == pytest.approx(0.1611, abs=1e-4)


def _series(values: list[tuple[int, float, int | None]], indicator: str = "onveilig-buurt") -> pd.DataFrame:
    return pd.DataFrame(
        [{"jaar": j, "indicator": indicator, "groep": "lhbt", "waarde": w, "n": n} for j, w, n in values]
    )


def test_trend_is_only_called_when_the_numbers_carry_it():
    # 30% -> 20% of 1000 respondents each: z ≈ 5.2, a real fall
    fall = monitor.trend(_series([(2022, 0.30, 1000), (2024, 0.25, 1000), (2026, 0.20, 1000)]), 5)
    assert fall.direction == "daling" and fall.p < 0.001
    assert "n = 1000" in fall.text and "p < 0,001" in fall.text
    # the same proportions from 40 respondents each: not distinguishable from chance
    same = monitor.trend(_series([(2022, 0.30, 40), (2026, 0.20, 40)]), 5)
    assert same.direction == "geen aantoonbare verandering" and same.p == pytest.approx(0.302, abs=0.005)
    assert "n = 40" in same.text
    # counts: 10 -> 30 reports is a rise (exact test: 2 * P(X <= 10 | 40, 1/2) ≈ 0.0022); 10 -> 15 is not
    rise = monitor.trend(_series([(2022, 10, None), (2026, 30, None)], "meldingen-meldpunt"), 5)
    assert rise.direction == "stijging" and rise.p == pytest.approx(0.00222, abs=0.00002)
    flat = monitor.trend(_series([(2022, 10, None), (2026, 15, None)], "meldingen-meldpunt"), 5)
    assert flat.direction == "geen aantoonbare verandering"
    # suppressed years are not compared
    few = monitor.trend(_series([(2022, 0.22, 9), (2026, 0.5, 40)], "aangifte"), 5)
    assert few.direction == "te weinig gegevens"
