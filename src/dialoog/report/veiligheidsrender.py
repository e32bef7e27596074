"""Render the regional Veiligheidsanalyse: papermill runs the thin notebook, nbconvert makes the HTML, and
the PDF and the Word document are made from that HTML with the report's exports (WeasyPrint, pandoc).

Outputs in ``<output>/regio-<id>/``: veiligheidsanalyse-<jaar>.html, .pdf, .docx and the executed .ipynb.
A failed run keeps the previous outputs and saves the failed notebook beside them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dialoog.errors import DialoogError
from dialoog.inventory import registers as inventory
from dialoog.report.dutch import Term
from dialoog.report.veiligheidsanalyse import NOTEBOOK, load


@dataclass
class RenderedRegion:
    html: Path
    notebook: Path
    others: list[Path] = field(default_factory=list)  # the PDF and the Word document, where made


def _export_html(nb, title_text: str) -> str:
    from importlib import resources

    from nbconvert import HTMLExporter

    templates = Path(str(resources.files("dialoog.report").joinpath("templates")))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
    exporter = HTMLExporter(
        template_name="perspectieven",
        extra_template_basedirs=[str(templates)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    css = "".join(
        p.read_text(encoding="utf-8")
        for p in (templates / "style" / "dialoog.css", templates / "perspectieven" / "report.css")
        if p.is_file()
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title_text}, "css": css})
    return with_contents(re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", body, flags=re.S))


def with_contents(page: str) -> str:
    """The page with a contents list (the chapters, h2) after the title block, linked to the headings; in
    print, WeasyPrint adds page numbers (the report's stylesheet)."""
    import html

    heads = re.findall(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', page, flags=re.S)
    if not heads:
        return page
    items = "".join(
        f'<li><a href="#{ident}">{html.escape(html.unescape(re.sub(r"<[^>]+>", "", text)).strip())}</a></li>'
        for ident, text in heads
    )
    nav = f'<nav aria-labelledby="inhoud" class="toc"><h2 id="inhoud">Inhoud</h2><ol>{items}</ol></nav>\n'
    first = page.index(f'<h2 id="{heads[0][0]}"')  # after the title block, before the first chapter
    return page[:first] + nav + page[first:]


def _formats(formats: Iterable[str] | None) -> tuple[str, ...]:
    """html, pdf and docx by default (PDF left out with a warning where WeasyPrint cannot run)."""
    from dialoog.report.exports import usable_formats

    if formats is None:
        return tuple(f for f in usable_formats(None) if f != "leaflet")
    return usable_formats(tuple(f for f in formats if f != "leaflet") or ("html",))


def render(
    regio: str,
    jaar: int,
    study: Path | str = ".",
    output: Path | str | None = None,
    formats: Iterable[str] | None = None,
) -> RenderedRegion:
    """Render the regional safety analysis into ``<output>/regio-<id>/`` (default output: the study's
    reports/); formats: html (always), pdf, docx (default: all three, PDF left out where WeasyPrint cannot run)."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from dialoog.fileio import atomic_copy, atomic_write_bytes, atomic_write_text, scratch_dir
    from dialoog.report.engine import check_parameters, find_notebook, short_evalue
    from dialoog.report.exports import html_to_docx, html_to_pdf

    chosen = _formats(formats)
    data = load(study, regio, jaar)  # validates the study, the region, the figures and the alliance first
    for g in data.region.gemeenten:
        inventory.load(data.study, g)  # and the inventories the last chapter reads
    st = data.study
    out_dir = (Path(output).resolve() if output else st.reports_dir) / f"regio-{data.region.id}"
    notebook = find_notebook(st.root, NOTEBOOK)
    params = {"regio": data.region.id, "jaar": int(jaar), "study": str(st.root), "output": str(out_dir)}
    check_parameters(notebook, params)
    title_text = Term.of(data).apply(f"Veiligheidsanalyse LHBT {data.region.naam} {jaar}")
    stem = f"{NOTEBOOK}-{jaar}"
    html_path, nb_path, failed = (out_dir / f"{stem}{ext}" for ext in (".html", ".ipynb", ".failed.ipynb"))
    others = []
    with scratch_dir(out_dir) as tmp:
        executed = tmp / nb_path.name
        try:
            papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters=params,
                kernel_name="python3",
                cwd=str(st.root),
                progress_bar=False,
                log_output=False,
            )
        except PapermillExecutionError as exc:
            if executed.exists():
                atomic_copy(executed, failed)
            raise DialoogError(
                f"the analysis notebook failed in cell {exc.exec_count}: {exc.ename}: {short_evalue(exc.evalue)}",
                path=failed,
                hint="open the failed notebook to see where it broke; the previous analysis was kept",
            ) from None
        nb = nbformat.read(executed, as_version=4)
        nb.metadata["title"] = title_text
        page = _export_html(nb, title_text)
        made = {}
        if "pdf" in chosen:
            made[out_dir / f"{stem}.pdf"] = html_to_pdf(page)
        if "docx" in chosen:
            made[out_dir / f"{stem}.docx"] = html_to_docx(page)
        atomic_copy(executed, nb_path)
        atomic_write_text(html_path, page)
        for path, content in made.items():
            atomic_write_bytes(path, content)
            others.append(path)
    if failed.exists():
        os.unlink(failed)
    return RenderedRegion(html_path, nb_path, others)
