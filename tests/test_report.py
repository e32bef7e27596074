"""Rendering reports with papermill and nbconvert (executes notebooks: marked `notebook`)."""

import json
import re
from pathlib import Path

import nbformat
import pytest

from dialoog.cli import main
from dialoog.errors import DialoogError
from dialoog.report import engine as report
from dialoog.report import exports

from .conftest import REPO

pytestmark = pytest.mark.notebook


def test_render_tiny_study(tiny_study, tmp_path):
    out = tmp_path / "out"
    result = report.render("schiedam", study=tiny_study.root, output=out)
    assert result.html == out / "schiedam" / "perspectieven.html"
    html = result.html.read_text(encoding="utf-8")
    assert "<title>Perspectieven voor LHBT's in Schiedam</title>" in html
    assert '<html lang="nl">' in html
    for chapter in [
        "1. Samenvatting",
        "2. Inleiding",
        "3. Methode",
        "4. Thema",
        "5. Wat werkt",
        "6. Wat werkt niet",
        "7. Vragen en behoeften",
        "Bijlage: het codeboek",
    ]:
        assert chapter in html
    # a chapter without data says so in one line
    assert "Voor deze gemeente zijn (nog) geen doelen en acties vastgelegd." in html
    images = re.findall(r'<img [^>]*src="data:image/png;base64,', html)
    assert len(images) >= 1
    # one interview per role, below the small-cell threshold: no per-role heatmap, a note instead
    assert "Een uitsplitsing naar respondentrol laten we weg" in html and "in minder dan 5 gesprekken" in html
    assert len(re.findall(r'<img [^>]*alt="[^"]{20,}', html)) == len(images)
    assert not re.search(r"<script[^>]+src=", html)  # self-contained
    assert "open_study" not in html and "import " not in html  # no code
    assert "schiedam-01" not in html  # quotes carry only the role
    executed = nbformat.read(result.notebook, as_version=4)
    assert executed.metadata["papermill"]["parameters"]["gemeente"] == "Schiedam"
    assert not (out / "schiedam" / "perspectieven.failed.ipynb").exists()
    assert sorted(p.name for p in (out / "schiedam").iterdir()) == [
        "leaflet.pdf",
        "manifest.json",
        "perspectieven.docx",
        "perspectieven.html",
        "perspectieven.ipynb",
        "perspectieven.pdf",
    ]


def test_unknown_gemeente_lists_the_studys_gemeenten(tiny_study, capsys):
    with pytest.raises(DialoogError) as info:
        report.render("groningen", study=tiny_study.root)
    assert "no transcripts for gemeente Groningen" in str(info.value)
    assert "gemeenten in this study: schiedam" in str(info.value)
    assert main(["report", "Atlantis", "--study", str(tiny_study.root)]) == 2
    assert "gemeenten in this study: schiedam" in capsys.readouterr().err


def test_unknown_parameter_is_an_error(tiny_study):
    with pytest.raises(DialoogError, match="unknown parameter\\(s\\): kleur"):
        report.render("schiedam", study=tiny_study.root, parameters={"kleur": "roze"})


def test_invalid_study_stops_before_running(tiny_study):
    (tiny_study.root / "codebook" / "codebook.yaml").write_text("codes: []\n  - oops", encoding="utf-8")
    with pytest.raises(DialoogError, match="codebook.yaml"):
        report.render("schiedam", study=tiny_study.root)
    assert not (tiny_study.root / "reports").exists()


def test_failed_run_keeps_the_previous_report_and_saves_the_failed_notebook(tiny_study):
    first = report.render("schiedam", study=tiny_study.root, formats=("html",))
    before = first.html.read_bytes()
    nb = nbformat.read(REPO / "notebooks" / "perspectieven.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('kapot')"))
    (tiny_study.root / "notebooks").mkdir()
    nbformat.write(nb, tiny_study.root / "notebooks" / "perspectieven.ipynb")
    with pytest.raises(DialoogError) as info:
        report.render("schiedam", study=tiny_study.root, formats=("html",))
    failed = tiny_study.root / "reports" / "schiedam" / "perspectieven.failed.ipynb"
    # the error type and where it broke, never the exception's text (it could quote study data)
    assert "RuntimeError at cell" in str(info.value) and str(failed) in str(info.value)
    assert "kapot" not in str(info.value)
    assert first.html.read_bytes() == before
    assert failed.is_file()
    saved = nbformat.read(failed, as_version=4)
    errors = [o for c in saved.cells if c.cell_type == "code" for o in c.outputs]
    assert "kapot" not in json.dumps(errors)  # the cell's source stays; its outputs and the error's text go
    assert [o.output_type for o in errors] == ["error"] and errors[0].ename == "RuntimeError"
    leftovers = [p.name for p in failed.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_pdfs_are_left_out_with_a_warning_where_weasyprint_cannot_run(monkeypatch, caplog):
    monkeypatch.setattr(exports, "pdf_unavailable", lambda: "WeasyPrint cannot run (OSError: no pango)")
    assert report.usable_formats(None) == ("html", "docx")
    assert "PDF and leaflet left out" in caplog.text and "libpango" in caplog.text
    assert report.usable_formats(("html",)) == ("html",)
    with pytest.raises(DialoogError, match="cannot make PDFs") as info:
        report.usable_formats(("html", "pdf"))
    assert info.value.key == "--formats"


def test_all_formats_by_default_where_weasyprint_runs(monkeypatch):
    monkeypatch.setattr(exports, "pdf_unavailable", lambda: None)
    assert report.usable_formats(None) == report.DEFAULT_FORMATS


def test_reports_rendered_outside_the_study_are_found_when_consent_is_withdrawn(tiny_study, tmp_path):
    """`--output` elsewhere is remembered, so `dialoog withdraw` lists those files as stale too."""
    from dialoog.privacy.withdrawal import withdraw

    out = tmp_path / "elders"
    args = ["report", "schiedam", "--formats", "html", "--output", str(out), "--study", str(tiny_study.root)]
    assert main(args) == 0
    page = out / "schiedam" / "perspectieven.html"
    assert page.is_file()
    tid = sorted(tiny_study.transcripts)[0]
    stale = withdraw(tiny_study, tid).stale_reports
    assert page.resolve() in {Path(p).resolve() for p in stale}


@pytest.mark.parametrize("name", ["perspectieven", "veiligheidsanalyse"])
def test_declared_parameters_agree_with_papermill(name):
    import papermill

    notebook = report.find_notebook(REPO, name)
    assert report.declared_parameters(notebook) == list(papermill.inspect_notebook(str(notebook)))


def test_declared_parameters_of_a_broken_parameters_cell_name_the_notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "gemeente = 'x'\nstudy: str = '.'\njaar, regio = 1, 2", metadata={"tags": ["parameters"]}
        )
    ]
    path = tmp_path / "r.ipynb"
    nbformat.write(nb, path)
    assert report.declared_parameters(path) == ["gemeente", "study"]  # a tuple target is no parameter
    nb.cells[0].source = "gemeente = ("
    nbformat.write(nb, path)
    with pytest.raises(DialoogError, match="not valid Python \\(line 1\\)") as info:
        report.declared_parameters(path)
    assert info.value.path == path


def test_method_and_cover_without_interview_dates_say_so_plainly():
    import pandas as pd

    from dialoog.report.perspectieven import _held, _period

    assert _period(pd.Series([pd.NaT, pd.NaT])) is None
    assert _held(pd.Series([pd.NaT]), 1) == "Er is 1 dialooggesprek gevoerd; wanneer, is niet vastgelegd."
    dates = pd.Series(pd.to_datetime(["2026-03-02", "2026-05-20", None]))
    assert _held(dates, 3) == "In de periode maart 2026 tot en met mei 2026 zijn 3 dialooggesprekken gevoerd."
