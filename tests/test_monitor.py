"""Monitor figures, the alliance file and regions: validation, suppression, intervals and honest trends."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from dialoog.errors import DialoogError, ValidationError
from dialoog.monitor import data as monitor
from dialoog.monitor import sources, stats
from dialoog.study.folder import open_study

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
    everything = sources.load_all(open_study(REPO), 5)
    assert set(everything["herkomst"]) == {"monitor", "enquete", "statline", "discriminatie"}
    assert everything["bron"].str.contains("ictie").all()
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
    return pd.Series({"indicator": indicator, "waarde": waarde, "n": n, "herkomst": "monitor"})


def test_suppression_of_small_cells():
    assert sources.is_suppressed(_row("aangifte", 0.22, 9), 5)  # 2 of 9 victims
    assert sources.is_suppressed(_row("aangifte", 0.5, 4), 5)  # fewer than 5 respondents
    assert sources.is_suppressed(_row("onveilig-buurt", 0.98, 200), 5)  # 4 people did not
    assert not sources.is_suppressed(_row("onveilig-buurt", 0.25, 400), 5)
    assert not sources.is_suppressed(_row("onveilig-buurt", 0.0, 400), 5)  # nobody is not a small cell
    assert sources.is_suppressed(_row("meldingen-politie", 3, None), 5)
    assert not sources.is_suppressed(_row("meldingen-politie", 0, None), 5)
    assert sources.is_suppressed(_row("onveilig-buurt", float("nan"), None), 5)  # suppressed at import / by CBS
    assert sources.display_value(_row("meldingen-politie", 3, None), 5) == "< 5"
    assert sources.display_value(_row("aangifte", 0.22, 9), 5) == "niet getoond (n = 9)"
    assert sources.display_value(_row("aangifte", 0.5, 4), 5) == "niet getoond (n < 5)"
    assert sources.display_value(_row("onveilig-buurt", 0.25, 400), 10) == "25% (21%–29%; n = 400)"


def test_complementary_suppression_hides_the_other_group():
    rows = pd.DataFrame(
        [
            {"jaar": 2026, "gemeente": "Schiedam", "indicator": "aangifte", "groep": g, "n": n, "waarde": w}
            for g, n, w in (("lhbt", 9, 0.22), ("niet-lhbt", 300, 0.3), ("totaal", 309, 0.298))
        ]
    ).assign(herkomst="monitor")
    shown = sources.suppress(rows, 5).set_index("groep")
    # lhbt is suppressed; niet-lhbt too, or lhbt = totaal - niet-lhbt could be recomputed
    assert shown.loc["lhbt", "onderdrukt"] and shown.loc["niet-lhbt", "onderdrukt"]
    assert sources.display_value(shown.loc["niet-lhbt"], 5) == "niet getoond"  # not even its n


# -- statistics: statsmodels, checked against the results of the hand-rolled formulas they replaced --------


def test_wilson_interval_is_unchanged():
    lo, hi = stats.wilson(0.5, 100)
    assert lo == pytest.approx(0.4038, abs=1e-4) and hi == pytest.approx(0.5962, abs=1e-4)
    lo, hi = stats.wilson(0.0, 20)
    assert lo == 0.0 and hi == pytest.approx(0.1611, abs=1e-4)
    # the old closed form, computed here as the reference
    for p, n in ((0.25, 400), (0.07, 43), (0.9, 12)):
        z = 1.959963984540054
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        assert stats.wilson(p, n) == pytest.approx((centre - half, centre + half), abs=1e-12)


def test_tests_are_unchanged():
    # pooled z-test: 30% vs 20% of 40 each, as before p ≈ 0.302
    assert stats.two_proportion_p(0.30, 40, 0.20, 40) == pytest.approx(0.3017, abs=1e-4)
    # exact test of two counts: 10 vs 30, as before 2 * P(X <= 10 | 40, 1/2) ≈ 0.00222
    assert stats.two_counts_p(10, 30) == pytest.approx(0.0022214, abs=1e-7)
    assert stats.two_counts_p(0, 0) == 1.0


def _series(values: list[tuple[int, float, int | None]], indicator: str = "onveilig-buurt") -> pd.DataFrame:
    return pd.DataFrame(
        [{"jaar": j, "indicator": indicator, "groep": "lhbt", "waarde": w, "n": n} for j, w, n in values]
    )


def test_trend_uses_all_years_and_is_only_called_when_the_model_carries_it():
    # 30% -> 25% -> 20% of 1000 respondents each: a real fall
    fall = stats.trend(_series([(2022, 0.30, 1000), (2024, 0.25, 1000), (2026, 0.20, 1000)]), "aandeel")
    assert fall.direction == "daling" and fall.p < 0.001
    assert "n = 1000" in fall.text and "p < 0,001" in fall.text and "3 metingen" in fall.text
    assert fall.per_jaar == pytest.approx(-2.5, abs=0.05)  # procentpunt per jaar
    # the same first and last year, but the middle year says otherwise: the model sees all of them
    zigzag = stats.trend(_series([(2022, 0.30, 300), (2024, 0.12, 300), (2026, 0.28, 300)]), "aandeel")
    assert zigzag.direction == "geen aantoonbare verandering"
    # two years from 40 respondents: the model agrees with the old z-test (p ≈ 0.30)
    same = stats.trend(_series([(2022, 0.30, 40), (2026, 0.20, 40)]), "aandeel")
    assert same.direction == "geen aantoonbare verandering" and same.p == pytest.approx(0.302, abs=0.005)
    # counts: 10 -> 30 reports is a rise (Poisson model: p ≈ 0.003, the old exact test 0.002); 10 -> 15 is not
    rise = stats.trend(_series([(2022, 10, None), (2026, 30, None)], "meldingen-meldpunt"), "aantal")
    assert rise.direction == "stijging" and rise.p == pytest.approx(0.0026, abs=0.0003)
    flat = stats.trend(_series([(2022, 10, None), (2026, 15, None)], "meldingen-meldpunt"), "aantal")
    assert flat.direction == "geen aantoonbare verandering"
    # overdispersed counts get the Pearson scale: wider, so no rise is claimed from a noisy series
    noisy = stats.trend(_series([(2022, 5, None), (2023, 40, None), (2024, 8, None), (2025, 50, None)], "x"), "aantal")
    assert noisy.direction == "geen aantoonbare verandering"
    few = stats.trend(_series([(2026, 0.5, 40)], "aangifte"), "aandeel")
    assert few.direction == "te weinig gegevens"
