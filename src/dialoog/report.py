"""Render a report notebook with papermill and export it with nbconvert.

The notebook runs in a scratch folder beside the output; only when execution and export succeed are
the HTML and the executed notebook moved into ``reports/<gemeente>/``, so a failed run leaves the
previous report intact and keeps the failed notebook (``<name>.failed.ipynb``) for inspection.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import nbformat

from .errors import DialoogError
from .fileio import atomic_copy, atomic_write_text, scratch_dir
from .study import open_study

log = logging.getLogger(__name__)

REPORTS = {"perspectieven": "Perspectieven voor LHBT's in {gemeente}"}


@dataclass
class RenderedReport:
    html: Path
    notebook: Path


def find_notebook(study_root: Path, name: str) -> Path:
    """The report notebook: the study's own ``notebooks/<name>.ipynb`` if it has one, else dialoog's."""
    candidates = [
        Path(study_root) / "notebooks" / f"{name}.ipynb",
        Path(str(resources.files("dialoog").joinpath("notebooks", f"{name}.ipynb"))),
        Path(__file__).resolve().parents[2] / "notebooks" / f"{name}.ipynb",  # a source checkout
    ]
    for path in candidates:
        if path.is_file():
            return path
    raise DialoogError(
        f"report notebook '{name}.ipynb' not found",
        path=candidates[0],
        hint="reinstall dialoog, or copy notebooks/ from the dialoog repository into your study",
    )


def check_parameters(notebook: Path, parameters: dict) -> None:
    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    if not declared:
        raise DialoogError("the notebook has no cell tagged 'parameters'", path=notebook)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise DialoogError(
            f"unknown parameter(s): {', '.join(unknown)}",
            path=notebook,
            hint="the notebook accepts: " + ", ".join(declared),
        )


def export_html(notebook: nbformat.NotebookNode, title: str) -> str:
    """Self-contained HTML without code, prompts or stderr, in Dutch."""
    from nbconvert import HTMLExporter

    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
    exporter = HTMLExporter(
        template_name="perspectieven",
        extra_template_basedirs=[str(resources.files("dialoog").joinpath("templates"))],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.language_code = "nl"
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return body


def render(
    gemeente: str,
    study: Path | str = ".",
    output: Path | str | None = None,
    report: str = "perspectieven",
    parameters: dict | None = None,
) -> RenderedReport:
    """Render `report` for `gemeente` into ``<output>/<gemeente-slug>/`` (default output: the study's reports/)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    st = open_study(study)  # validates the whole study before anything runs
    g = st.gemeente(gemeente)
    out_dir = (Path(output).resolve() if output else st.reports_dir) / g.slug
    notebook = find_notebook(st.root, report)
    params = {"gemeente": g.name, "study": str(st.root), "output": str(out_dir), **(parameters or {})}
    check_parameters(notebook, params)
    title = REPORTS[report].format(gemeente=g.name)

    html_path = out_dir / f"{report}.html"
    nb_path = out_dir / f"{report}.ipynb"
    failed_path = out_dir / f"{report}.failed.ipynb"
    with scratch_dir(out_dir) as tmp:
        executed = tmp / nb_path.name
        log.info("executing %s for %s", notebook.name, g.name)
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
                atomic_copy(executed, failed_path)
            raise DialoogError(
                f"the report notebook failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}",
                path=failed_path,
                hint="open the failed notebook to see where it broke; the previous report was kept",
            ) from None
        nb = nbformat.read(executed, as_version=4)
        nb.metadata["title"] = title
        html = export_html(nb, title)
        atomic_copy(executed, nb_path)
        atomic_write_text(html_path, html)
    if failed_path.exists():
        os.unlink(failed_path)
    return RenderedReport(html=html_path, notebook=nb_path)
