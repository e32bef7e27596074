"""The regional safety analysis on the demo study: its parts, the notebook pairing, and a full render."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import jupytext
import nbformat
import pytest

from dialoog.cli import main
from dialoog.errors import DialoogError
from dialoog.report import veiligheidsanalyse as regio

from .conftest import REPO, html_prose, pdfua_findings, published_text_problems


@pytest.fixture
def demo_region(demo_copy: Path) -> Path:
    assert (demo_copy / "monitor").is_dir() and (demo_copy / "inventaris").is_dir()
    return demo_copy


def test_parts_of_the_analysis(demo_region: Path):
    data = regio.load(demo_region, "noord-nederland", 2026)
    text = "\n".join(regio.parts(data))
    assert "Veiligheidsanalyse LHBT Noord-Nederland 2026" in text and "fictieve demonstratiestudie" in text
    # trends from a model over all years, with their n, and only called where the model carries them
    assert (
        "**Groningen, LHBT's:** Een daling, van 15% in 2022 (n = 240) naar 7% in 2026 (n = 243); een logistisch "
        "trendmodel over 3 metingen: gemiddeld −1,9 procentpunt per jaar, statistisch betrouwbaar (p = 0,017)"
    ) in text
    assert "**Súdwest-Fryslân, LHBT's:** Geen aantoonbare verandering: van 38% in 2022 (n = 43)" in text
    assert "Poisson-trendmodel over 5 jaren" in text
    # LHBT's against the others and the national reference, with intervals, n and the test
    assert "48% (41%–55%; n = 239)" in text and "LHBT&#x27;s hoger (p = 0,004)" in text
    assert "LHBT&#x27;s 42%, anderen 34% (CBS 2023)" in text and "iets minder dan 1 op 3" in text
    # CBS figures with their margin, table and period
    assert "marge CBS" in text and "tabel 85146NED" in text and "perioden 2019JJ00, 2021JJ00" in text
    # registrations beside the survey
    assert "Tabel 3.2. Meldingen van discriminatie en enquêtecijfers" in text
    # few victims in Súdwest-Fryslân: suppressed for both groups, never a percentage
    aangifte = text.split("### Slachtoffers die aangifte")[1].split("###")[0]
    assert "niet getoond" in aangifte and "4 cijfers zijn niet getoond (te weinig personen)" in aangifte
    assert "Tabel 5.1. Stand van de afspraken in 2026" in text and "Tabel 6.1" in text
    assert text.count("<figure") == 8  # 7 indicators and the comparison


def test_every_shown_figure_of_the_region_is_large_enough(demo_region: Path):
    data = regio.load(demo_region, "noord-nederland", 2026)
    shown = data.figures[~data.figures["onderdrukt"]]
    survey = shown[shown["herkomst"] == "enquete"]
    assert (survey["n"] >= data.threshold).all()
    counts = shown[shown["indicator"].str.startswith("meldingen")]
    assert not ((counts["waarde"] > 0) & (counts["waarde"] < data.threshold)).any()
    # a suppressed group takes the other group of the same survey cell with it
    hidden = data.figures[data.figures["onderdrukt"] & data.figures["groep"].isin(["lhbt", "niet-lhbt"])]
    pairs = hidden.groupby(["jaar", "gemeente", "indicator", "herkomst"]).size()
    assert (pairs == 2).all() and len(pairs) >= 2


def test_an_earlier_year_uses_only_figures_up_to_that_year(demo_region: Path):
    data = regio.load(demo_region, "noord-nederland", 2024)
    assert data.figures["jaar"].max() == 2024
    assert "2026" not in regio.cijfers(data).split("Bronnen")[0]
    text = regio.gesprekken(data)
    assert "In 2024 zijn in Groningen (nog) geen gesprekken gevoerd" in text


def test_unknown_region(demo_region: Path):
    with pytest.raises(DialoogError, match="unknown region 'zuid'") as info:
        regio.load(demo_region, "zuid", 2026)
    assert "noord-nederland" in str(info.value)


def test_notebook_is_paired_and_without_outputs():
    ipynb = nbformat.read(REPO / "notebooks" / "veiligheidsanalyse.ipynb", as_version=4)
    text = jupytext.read(REPO / "notebooks" / "veiligheidsanalyse.py")

    def cells(nb):
        return [(c.cell_type, c.source, sorted(c.metadata.get("tags", []))) for c in nb.cells]

    assert cells(ipynb) == cells(text), "run: jupytext --sync notebooks/veiligheidsanalyse.py"
    assert all(not c.get("outputs") for c in ipynb.cells if c.cell_type == "code")


@pytest.mark.notebook
def test_render_the_regional_report(demo_region: Path, capsys):
    from dialoog.report.exports import pdf_unavailable

    formats = "html,docx" if pdf_unavailable() else "html,pdf,docx"
    args = ["report", "--regio", "noord-nederland", "--jaar", "2026", "--formats", formats]
    assert main([*args, "--study", str(demo_region)]) == 0
    out = demo_region / "reports" / "regio-noord-nederland"
    page = (out / "veiligheidsanalyse-2026.html").read_text(encoding="utf-8")
    assert "Veiligheidsanalyse LHBT Noord-Nederland 2026" in page and "<figure" in page
    assert "85146NED" in page and "Fictieve veiligheidsenquête 2026" in page
    assert (out / "veiligheidsanalyse-2026.ipynb").is_file()
    assert not (out / "veiligheidsanalyse-2026.failed.ipynb").exists()
    import docx

    doc = docx.Document(str(out / "veiligheidsanalyse-2026.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 1")]
    assert any("LHBT's, anderen en het landelijke beeld" in h for h in headings)
    assert len(doc.tables) >= 10 and len(doc.inline_shapes) == 8
    problems = published_text_problems("docx", "\n".join(p.text for p in doc.paragraphs))
    problems += published_text_problems("html", _visible(page), html_prose(page))
    if "pdf" in formats:
        pdf = out / "veiligheidsanalyse-2026.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        if importlib.util.find_spec("pdfua"):
            assert pdfua_findings(pdf) == []  # tagged PDF/UA-1, like the Perspectieven report
    assert problems == []
    assert (
        '<nav aria-labelledby="inhoud" class="toc">' in page
        and '<a class="anchor-link"' not in page
        and "¶" not in page
    )


def _visible(page: str) -> str:
    from lxml import html as lxml_html

    doc = lxml_html.fromstring(page)
    for bad in doc.xpath("//style|//script"):
        bad.drop_tree()
    return " ".join(" ".join(doc.itertext()).split()) + " " + " ".join(doc.xpath("//img/@alt"))


# -- bugs of the regional analysis (issue 17), each with the case that broke it ---------------------------


def test_comparison_figure_draws_each_interval_on_its_own_bar():
    """Two gemeenten whose rows come in a different order, and a value shared by two indicators: every
    interval must sit on the bar of its own gemeente and indicator (it did not, pairing in row order)."""
    import pandas as pd
    from matplotlib.container import BarContainer, ErrorbarContainer

    from dialoog.report.veiligheidsfiguren import comparison_figure

    def row(gem, ind, groep, w, lo, hi):
        return {"gemeente": gem, "indicator": ind, "groep": groep, "waarde": w, "ondergrens": lo, "bovengrens": hi}

    rows = pd.DataFrame(
        [
            row("A", "onveilig-algemeen", "lhbt", 0.40, 0.30, 0.50),
            row("A", "slachtoffer", "lhbt", 0.20, 0.15, 0.25),
            row("B", "slachtoffer", "lhbt", 0.40, 0.10, 0.70),  # same value as A's other indicator
            row("B", "onveilig-algemeen", "lhbt", 0.10, 0.05, 0.15),
        ]
    )
    fig = comparison_figure(rows)
    ax = fig.axes[0]
    bars = [b for c in ax.containers if isinstance(c, BarContainer) for b in c]
    drawn = []
    for c in ax.containers:
        if isinstance(c, ErrorbarContainer):
            segments = c.lines[2][0].get_segments()[0]
            (x0, y), (x1, _) = segments
            drawn.append((round(y, 6), round(x0, 6), round(x1, 6)))
    assert len(drawn) == 4
    for y, x0, x1 in drawn:
        bar = next(b for b in bars if abs(b.get_y() + b.get_height() / 2 - y) < 1e-6)
        centre = bar.get_width()
        hit = rows[(rows["waarde"] * 100 - centre).abs() < 1e-9]
        assert any(
            abs(r.ondergrens * 100 - x0) < 1e-6 and abs(r.bovengrens * 100 - x1) < 1e-6 for r in hit.itertuples()
        )
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_gap_table_counts_wijken_like_the_perspectieven_report(demo_region: Path):
    """Table 6.1 said '1' wijk without an initiative (one row of the gaps table) where the Perspectieven
    report says '18 van de 20'."""
    from dialoog.inventory import registers as inventory
    from dialoog.study.gemeenten import wijken

    data = regio.load(demo_region, "noord-nederland", 2026)
    text = regio.lege_plekken(data)
    for g in data.region.gemeenten:
        inv = inventory.load(data.study, g)
        n, total = len(inventory.wijken_without_initiative(inv)), len(wijken(g.code))
        assert f"{n} van de {total}" in text
        assert regio.gap_counts(inv)["wijken zonder initiatief in de wijk zelf"] == f"{n} van de {total}"


def test_multiple_testing_note_and_correct_wording_on_intervals(demo_region: Path):
    data = regio.load(demo_region, "noord-nederland", 2026)
    text = "\n".join(regio.parts(data))
    tests = regio.tests_of(data)
    assert len(tests) >= 10
    assert f"Deze analyse doet {len(tests)} toetsen" in text and "correctie van Holm" in text
    assert "alleen betekenisvol als de intervallen elkaar niet overlappen" not in text
    assert "sluiten een verschil niet uit" in text
    assert "(n = )" not in text and "onderdrukt" not in text


def test_cbs_trends_weigh_years_by_their_margin():
    """CBS publishes a margin and no n: the trend model weighs each year by the n that gives its margin
    (it got NaN weights before)."""
    import pandas as pd

    from dialoog.monitor import stats

    rows = pd.DataFrame(
        {
            "jaar": [2019, 2021, 2023],
            "waarde": [0.38, 0.39, 0.40],
            "n": [None] * 3,
            "ondergrens": [0.36, 0.37, 0.38],
            "bovengrens": [0.40, 0.41, 0.42],
        }
    )
    weights = stats.trend_weights(rows)
    assert weights.notna().all() and 2000 < weights.iloc[0] < 2500  # 0.38 * 0.62 / (0.02 / 1.96)^2 = 2263
    tr = stats.trend(rows, "aandeel")
    assert "(n = " not in tr.text and tr.p is not None
