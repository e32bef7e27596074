"""The regional safety analysis on the demo study: its parts, the notebook pairing, and a full render."""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest

from dialoog.cli import main
from dialoog.errors import DialoogError
from dialoog.report import veiligheidsanalyse as regio

from .conftest import REPO


@pytest.fixture
def demo_region(demo_copy: Path) -> Path:
    assert (demo_copy / "monitor").is_dir() and (demo_copy / "inventaris").is_dir()
    return demo_copy


def test_parts_of_the_analysis(demo_region: Path):
    data = regio.load(demo_region, "noord-nederland", 2026)
    text = "\n".join(regio.parts(data))
    assert "Veiligheidsanalyse LHBT Noord-Nederland 2026" in text and "fictieve demonstratiestudie" in text
    # the honest trend statements of the demo figures, with their n
    assert "Een daling, van 31% in 2022 (n = 412) naar 22% in 2026 (n = 455)" in text
    assert "Súdwest-Fryslân, LHBT's:** Geen aantoonbare verandering: van 24% in 2022 (n = 64)" in text
    # 2 of 9 victims in Súdwest-Fryslân: suppressed, never shown as a percentage
    assert "onderdrukt (n = 9)" in text and "22% (" not in text.split("Slachtoffers die aangifte")[1][:4000]
    assert "iets minder dan 1 op 3" in text  # the national reference beside the local figures
    assert "Tabel 5.1. Stand van de afspraken in 2026" in text and "Tabel 6.1" in text
    assert text.count("<figure") == 6


def test_an_earlier_year_uses_only_figures_up_to_that_year(demo_region: Path):
    data = regio.load(demo_region, "noord-nederland", 2024)
    assert data.figures["jaar"].max() == 2024
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
    assert main(["report", "--regio", "noord-nederland", "--jaar", "2026", "--study", str(demo_region)]) == 0
    out = demo_region / "reports" / "regio-noord-nederland"
    page = (out / "veiligheidsanalyse-2026.html").read_text(encoding="utf-8")
    assert "Veiligheidsanalyse LHBT Noord-Nederland 2026" in page and "<figure" in page
    assert (out / "veiligheidsanalyse-2026.ipynb").is_file()
    assert not (out / "veiligheidsanalyse-2026.failed.ipynb").exists()
