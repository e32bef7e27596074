"""The four outputs of every demo gemeente (rendered once per session), checked in a real browser
(axe-core in headless Chromium), with pdftotext and with python-docx; and the batch behaviour:
incremental skips, failure isolation and the Dask path."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tarfile
import time
from pathlib import Path

import nbformat
import pytest

from dialoog.cli import main
from dialoog.report import engine as report

from .conftest import REPO, headless_chromium, html_prose, pdfua_findings, published_text_problems

pytestmark = pytest.mark.notebook

DEMO = ["groningen", "schiedam", "sudwest-fryslan"]
CHAPTERS = [
    "1. Samenvatting",
    "2. Inleiding",
    "3. Methode",
    "5. Wat werkt",
    "6. Wat werkt niet",
    "7. Vragen en behoeften",
    "8. Initiatieven",
    "9. Lege plekken",
    "10. Conclusies en aanbevelingen",
    "11. Doelen en acties",
    "Bijlage: het codeboek",
    "Bijlage: organisaties waarmee is gesproken",
]


def _copy_demo(dest: Path) -> Path:
    for name in ("interviews", "codebook", "codings", "rapport", "inventaris"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, dest / name)
    for name in ("dialoog.yaml",):
        if (REPO / name).exists():
            shutil.copy(REPO / name, dest / name)
    return dest


@pytest.fixture(scope="session")
def demo_reports(tmp_path_factory) -> Path:
    """The demo study with every gemeente rendered once (all four formats, two workers)."""
    if reason := report.pdf_unavailable():
        pytest.skip(f"PDFs cannot be made here: {reason}; {report.PDF_HINT}")
    study = _copy_demo(tmp_path_factory.mktemp("demo-reports"))
    result = report.render_many(None, study=study, workers=2, progress=False)
    assert result.failed == {}
    assert sorted(result.rendered) == DEMO
    return study


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.mark.parametrize("slug", DEMO)
def test_every_demo_gemeente_has_all_four_outputs(demo_reports, slug):
    out = demo_reports / "reports" / slug
    for name in ["perspectieven.html", "perspectieven.pdf", "perspectieven.docx", "leaflet.pdf", "manifest.json"]:
        assert (out / name).stat().st_size > 1000 or name == "manifest.json", name
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) >= {"perspectieven.html", "perspectieven.pdf", "perspectieven.docx", "leaflet.pdf"}
    html = (out / "perspectieven.html").read_text(encoding="utf-8")
    for chapter in CHAPTERS:
        assert chapter in html.replace("&#39;", "'"), chapter
    assert '<html lang="nl">' in html and 'name="viewport"' in html
    assert "<script" not in html  # self-contained, no code
    assert "import " not in html


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("slug", DEMO)
def test_pdf_has_cover_toc_chapters_and_page_numbers(demo_reports, slug):
    pdf = demo_reports / "reports" / slug / "perspectieven.pdf"
    pages = _pages(pdf)
    assert 8 <= pages <= 60
    text = _pdftotext(pdf)
    name = {"groningen": "Groningen", "schiedam": "Schiedam", "sudwest-fryslan": "Súdwest-Fryslân"}[slug]
    first = text.split("\f")[0]
    assert "Perspectieven voor LHBT's in" in first and name in first  # the cover
    toc = text.split("\f")[1]
    assert "Inhoud" in toc and "Doelen en acties" in toc
    assert any(line.rstrip().endswith(str(pages)) for line in toc.splitlines())  # page numbers in the TOC
    for chapter in ["Samenvatting", "Wat werkt niet", "Conclusies en aanbevelingen", "Bijlage: het codeboek"]:
        assert chapter in text
    assert "Figuur 4.1." in text  # figures are numbered per chapter
    # page numbers at the foot of the pages after the cover
    assert text.split("\f")[2].strip().splitlines()[-1].strip() == "3"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("slug", DEMO)
def test_leaflet_is_one_sheet_with_goals_findings_and_contacts(demo_reports, slug):
    leaflet = demo_reports / "reports" / slug / "leaflet.pdf"
    assert _pages(leaflet) == 2  # one A4 sheet, two sides
    info = subprocess.run(["pdfinfo", str(leaflet)], check=True, capture_output=True, text=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info  # landscape: folds to two A5 panels
    text = _pdftotext(leaflet)
    assert "LHBT " in text and "Wat we hoorden" in text and "Wat de gemeente gaat doen" in text
    assert "discriminatie.nl" in text and "112" in text
    assert "voorbeeld met verzonnen gegevens" in text  # the demo is fictional


@pytest.mark.parametrize("slug", DEMO)
def test_docx_has_word_headings_and_images(demo_reports, slug):
    import docx

    doc = docx.Document(str(demo_reports / "reports" / slug / "perspectieven.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    for chapter in CHAPTERS:
        assert chapter in headings, (chapter, headings)
    # the figures, as images; Schiedam has roles with 5 or more interviews (a per-role heatmap), the small
    # demo municipalities have none (the breakdown is left out)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Figuur 4.1." in text
    if slug == "schiedam":
        assert len(doc.inline_shapes) >= 2
        assert "Figuur 4.2." in text and "Een uitsplitsing naar respondentrol laten we weg" not in text
    else:
        assert doc.inline_shapes and len(doc.inline_shapes) >= 1
        assert "Een uitsplitsing naar respondentrol laten we weg" in text
    assert any(p.style.name == "Title" for p in doc.paragraphs)


@pytest.mark.parametrize("name", ["perspectieven.pdf", "leaflet.pdf"])
@pytest.mark.parametrize("slug", DEMO)
def test_pdfs_pass_the_pdfua_checker(demo_reports, slug, name):
    """Tagged PDF/UA-1: structure tree, XMP, language, alt text on figures, table headers with a scope."""
    pytest.importorskip("pdfua", reason="the pdfua checker is a test dependency (pip install -e '.[test]')")
    assert pdfua_findings(demo_reports / "reports" / slug / name) == []


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")
def test_table_columns_fit_their_words_in_the_pdf(demo_reports):
    """No word broken inside a narrow column ("Gemeent e Schieda m"), no hyphenation inside table cells."""
    text = _pdftotext(demo_reports / "reports" / "schiedam" / "perspectieven.pdf")
    table = text[text.index("Tabel 8.1.") :]
    table = table[: table.index("Wat werkt en wat niet")]
    for word in (
        "Gemeente",
        "Schiedam",
        "zichtbaarheid",
        "professionals",
        "Woningcorporatie",
        "lopend",
        "voorlichting",
    ):
        assert word in table, word  # whole: not "Gemeent e", not "Ge-\nmeente"
    assert not re.search(r"\b(?:Ge|lo|zicht|voor)-$", table, flags=re.M)


@pytest.mark.parametrize("slug", DEMO)
def test_docx_is_a_document_a_municipality_can_publish(demo_reports, slug):
    import docx
    from docx.oxml.ns import qn

    path = demo_reports / "reports" / slug / "perspectieven.docx"
    doc = docx.Document(str(path))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)  # A4
    xml = doc.element.xml
    assert 'TOC \\o "1-1"' in xml and "Table of Contents" in xml  # a real contents field
    assert "Inhoud" in [p.text for p in doc.paragraphs] or "Inhoud" in xml
    assert not [p for p in doc.paragraphs if p.style.name == "Compact" and re.match(r"^\d+\. \d+\.", p.text)]
    header = section.header.paragraphs[0].text
    footer = section.footer._element.xml
    assert header.startswith("Perspectieven voor LHBT's in") and "PAGE" in footer and "NUMPAGES" in footer
    title = header
    assert sum(1 for p in doc.paragraphs if p.text.strip() == title) == 1  # the title once
    props = doc.core_properties
    assert props.title == title and props.language == "nl-NL" and props.subject
    langs = {e.get(qn("w:val")) for e in doc.styles.element.iter(qn("w:lang"))}
    assert langs == {"nl-NL"}
    fonts = {e.get(qn("w:ascii")) for e in doc.styles.element.iter(qn("w:rFonts")) if e.get(qn("w:ascii"))}
    assert fonts <= {"Arial", "Courier New", "Consolas"}, fonts
    for shape in doc.inline_shapes:  # every figure has alternative text
        assert shape._inline.docPr.get("descr", "").strip()
    for table in doc.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        widths = [c.width for c in table.rows[0].cells]
        if len(table.columns) >= 6:  # columns follow their content, not eight equal narrow columns
            assert max(widths) > 1.5 * min(widths)
        elif len(table.columns) >= 3:
            assert len(set(widths)) > 1


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_docx_opens_in_libreoffice_as_an_a4_document(demo_reports, tmp_path):
    docx_path = demo_reports / "reports" / "schiedam" / "perspectieven.docx"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = tmp_path / "perspectieven.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "A4" in info
    text = _pdftotext(pdf)
    assert "Inhoud" in text and "1. Samenvatting" in text and "Pagina 2 van" in text
    table = text[text.index("Tabel 8.1.") :][:3000]
    for word in ("Woningcorporatie", "zichtbaarheid", "Groenoord", "gesprekken", "Regenboogzebrapad"):
        assert word in table, word  # columns at least as wide as their longest word


def _visible_text(page: str) -> str:
    from lxml import html as lxml_html

    doc = lxml_html.fromstring(page)
    for bad in doc.xpath("//style|//script"):
        bad.drop_tree()
    alts = " ".join(doc.xpath("//img/@alt"))
    return " ".join(" ".join(doc.itertext()).split()) + " " + alts


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("slug", DEMO)
def test_every_published_text_is_correct_dutch(demo_reports, slug):
    """No '1 fragmenten', no 'onderdrukt', no command line, no English, one term for the community, no
    sentence that starts with a digit: in the HTML (with alt texts), the PDF, the Word document and the leaflet."""
    import docx

    out = demo_reports / "reports" / slug
    page = (out / "perspectieven.html").read_text(encoding="utf-8")
    problems = published_text_problems("html", _visible_text(page), html_prose(page))
    problems += published_text_problems("pdf", _pdftotext(out / "perspectieven.pdf"))
    problems += published_text_problems("leaflet", _pdftotext(out / "leaflet.pdf"))
    doc = docx.Document(str(out / "perspectieven.docx"))
    problems += published_text_problems("docx", "\n".join(p.text for p in doc.paragraphs))
    assert problems == []


@pytest.mark.parametrize("slug", DEMO)
def test_the_leaflet_reads_at_b1_level(slug):
    """Flesch-Douma reading ease (textstat, Dutch) of the leaflet's running text: 60 or more is 'fairly
    easy', the level of B1 texts that municipalities aim at. Contacts (names, numbers, addresses) are not prose."""
    textstat = pytest.importorskip("textstat", reason="textstat is a test dependency")
    from lxml import html as lxml_html

    from dialoog.report.exports import leaflet_html

    doc = lxml_html.fromstring(leaflet_html(str(REPO), slug))
    for bad in doc.xpath('//style|//script|//ul[@class="contacts"]|//span[@class="who"]|//p[@class="note"]'):
        bad.drop_tree()
    text = " ".join(" ".join(" ".join(e.itertext()).split()) for e in doc.xpath("//p|//li"))
    textstat.set_lang("nl")
    assert len(text.split()) > 100
    assert textstat.flesch_reading_ease(text) >= 60


# -- a real browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_js(pytestconfig) -> str:
    """axe-core from the npm registry (cached in pytest's cache folder)."""
    cache = Path(pytestconfig.cache.mkdir("axe-core"))
    script = cache / "package" / "axe.min.js"
    if not script.is_file():
        if not shutil.which("npm"):
            pytest.skip("npm is not installed: cannot fetch axe-core")
        try:
            subprocess.run(
                ["npm", "pack", "axe-core@4", "--pack-destination", str(cache)],
                check=True,
                capture_output=True,
                timeout=180,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            pytest.skip(f"could not fetch axe-core from the npm registry: {exc}")
        tarball = next(cache.glob("axe-core-*.tgz"))
        with tarfile.open(tarball) as tar:
            tar.extract("package/axe.min.js", cache, filter="data")
    return script.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    with headless_chromium(tmp_path_factory.mktemp("chromium-profile"), "412,900") as driver:  # a phone
        yield driver


@pytest.mark.parametrize("slug", DEMO)
def test_html_passes_axe_core_in_headless_chromium(demo_reports, browser, axe_js, slug, tmp_path):
    html = demo_reports / "reports" / slug / "perspectieven.html"
    browser.get(html.as_uri())
    shot = tmp_path / f"{slug}.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 5000
    # readable on a phone: nothing wider than the viewport
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    browser.execute_script(axe_js)
    browser.set_script_timeout(120)
    results = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', nodes: String(e)}]));"
    )
    serious = [v for v in results if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    images = browser.execute_script("return Array.from(document.images).map(i => i.alt.length)")
    assert images and min(images) > 20  # every figure has alt text


# -- many gemeenten -----------------------------------------------------------------------------------


def test_a_rerun_without_changes_skips_everything(demo_reports):
    before = {p: p.stat().st_mtime_ns for p in (demo_reports / "reports").rglob("*")}
    t0 = time.perf_counter()
    result = report.render_many(None, study=demo_reports, progress=False)
    assert time.perf_counter() - t0 < 5
    assert sorted(result.skipped) == DEMO and result.rendered == [] and result.failed == {}
    assert {p: p.stat().st_mtime_ns for p in (demo_reports / "reports").rglob("*")} == before


TRIVIAL = """\
# %% tags=["parameters"]
gemeente = "Schiedam"
study = "."
output = "."

# %%
from IPython.display import Markdown, display

if gemeente == "Groningen":
    raise RuntimeError("kapot")
display(Markdown(f"<h1>Rapport {gemeente}</h1>\\n\\nEen korte test."))
"""


@pytest.fixture
def quick_study(tmp_path) -> Path:
    """The demo study with a tiny notebook of its own that fails for Groningen (fast to execute)."""
    import jupytext

    study = _copy_demo(tmp_path / "quick")
    (study / "notebooks").mkdir()
    nb = jupytext.reads(TRIVIAL, fmt="py:percent")
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, study / "notebooks" / "perspectieven.ipynb")
    return study


def test_a_failed_gemeente_does_not_stop_the_others(quick_study):
    reports = quick_study / "reports"
    result = report.render_many(None, study=quick_study, formats=("html",), workers=1, progress=False)
    assert sorted(result.rendered) == ["schiedam", "sudwest-fryslan"]
    assert list(result.failed) == ["groningen"] and "RuntimeError at cell" in result.failed["groningen"]
    assert "kapot" not in result.failed["groningen"]  # the exception text could quote study data
    assert (reports / "groningen" / "perspectieven.failed.ipynb").is_file()
    assert not (reports / "groningen" / "perspectieven.html").exists()
    assert "Rapport Súdwest-Fryslân" in (reports / "sudwest-fryslan" / "perspectieven.html").read_text("utf-8")
    # the CLI reports the failure at the end and exits non-zero; an unknown name fails only itself
    assert main(["report", "--gemeente", "schiedam,atlantis", "--formats", "html", "--study", str(quick_study)]) == 1


def test_only_changed_gemeenten_are_rendered_again(quick_study, capsys):
    args = ["report", "--gemeente", "schiedam,sudwest-fryslan", "--formats", "html", "--quiet"]
    assert main([*args, "--study", str(quick_study)]) == 0
    assert "2 rendered, 0 up to date" in capsys.readouterr().out
    assert main([*args, "--study", str(quick_study)]) == 0
    assert "0 rendered, 2 up to date" in capsys.readouterr().out
    # a change in one gemeente's transcript renders that gemeente only
    transcript = sorted((quick_study / "interviews" / "schiedam").glob("*.md"))[0]  # one the detector finds clean
    transcript.write_text(transcript.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    # a change in its goals file too (the municipality edits it)
    goals = quick_study / "rapport" / "sudwest-fryslan" / "doelen-en-acties.yaml"
    assert main([*args, "--study", str(quick_study)]) == 0
    assert "1 rendered, 1 up to date" in capsys.readouterr().out
    goals.write_text(goals.read_text(encoding="utf-8") + "\n# bijgewerkt\n", encoding="utf-8")
    assert main([*args, "--study", str(quick_study)]) == 0
    out = capsys.readouterr().out
    assert "rendered sudwest-fryslan" in out and "1 rendered, 1 up to date" in out
    assert main([*args, "--force", "--study", str(quick_study)]) == 0
    assert "2 rendered, 0 up to date" in capsys.readouterr().out


def test_renders_on_a_dask_cluster(quick_study):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = report.render_many(
            ["schiedam", "groningen"], study=quick_study, formats=("html",), dask=client, progress=False
        )
    assert result.rendered == ["schiedam"]
    assert "RuntimeError at cell" in result.failed["groningen"] and "kapot" not in result.failed["groningen"]
    assert "Rapport Schiedam" in (quick_study / "reports" / "schiedam" / "perspectieven.html").read_text("utf-8")
