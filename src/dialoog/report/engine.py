"""Render the Perspectieven report of one or many municipalities: HTML, PDF, DOCX and leaflet.

How a render works (`render_job`, which runs in a worker):

1. The report notebook gets its parameters injected the papermill way
   (`papermill.parameterize.parameterize_notebook`) and is executed with nbclient in a kernel that the
   worker keeps alive between reports (`Engine`); a first cell clears the namespace (``%reset -f``), so
   every report starts clean without paying for a kernel start and the imports again. Workers start
   their kernels with the report's imports (`warm_worker`) while the parent still checks the study.
2. The executed notebook is exported in the same process with a reused nbconvert exporter (HTML, no
   code), the HTML is typeset with WeasyPrint (PDF) and converted with pandoc (DOCX); the leaflet is
   an HTML page of its own, typeset with WeasyPrint.
3. The worker returns the files as bytes; the caller writes the whole set with a manifest of input hashes
   (`manifest.json`) into a scratch folder and swaps it in for ``reports/<gemeente>/`` as one step, so a
   kill or a full disk never leaves a mix of old and new files. A failed run writes nothing but
   ``perspectieven.failed.ipynb`` (error type and location; no outputs, no study text), so the previous
   report stays. Messages name the cell, file and line, never the exception's text.
4. Workers end when the command ends, even after a ``kill -9`` (`die_with_parent`); their kernels follow.

`render_many` renders a selection (or all) of a study's municipalities on a pool of local worker
processes or on a Dask cluster, skips municipalities whose inputs did not change since their last
successful render, shows progress, and reports failures at the end without stopping the others.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from dialoog.errors import DialoogError, ValidationError
from dialoog.report.dutch import Term
from dialoog.report.exports import (  # noqa: F401 - part of this module's API
    PDF_HINT,
    html_to_docx,
    html_to_pdf,
    leaflet_html,
    pdf_unavailable,
    usable_formats,
)
from dialoog.report.formats import DEFAULT_FORMATS, FORMATS, MANIFEST, PACKAGE, REPORTS  # noqa: F401
from dialoog.report.kernel import (  # noqa: F401
    GC_THRESHOLDS,
    ExecutionFailed,
    Job,
    JobResult,
    die_with_parent,
    engine,
    error_location,
    short_evalue,
)
from dialoog.report.manifest import _codings_index, input_digests, sweep_outputs, up_to_date, write_failed, write_result

log = logging.getLogger(__name__)


@dataclass
class RenderedReport:
    html: Path
    notebook: Path
    pdf: Path | None = None
    docx: Path | None = None
    leaflet: Path | None = None
    skipped: bool = False


# -- finding and checking the notebook -------------------------------------------------------------


def find_notebook(study_root: Path, name: str) -> Path:
    """The report notebook: the study's own ``notebooks/<name>.ipynb`` if it has one, else dialoog's."""
    candidates = [
        Path(study_root) / "notebooks" / f"{name}.ipynb",
        Path(str(resources.files("dialoog").joinpath("notebooks", f"{name}.ipynb"))),
        PACKAGE.parents[1] / "notebooks" / f"{name}.ipynb",  # a source checkout
    ]
    for path in candidates:
        if path.is_file():
            return path
    raise DialoogError(
        f"report notebook '{name}.ipynb' not found",
        path=candidates[0],
        hint="reinstall dialoog, or copy notebooks/ from the dialoog repository into your study",
    )


def declared_parameters(notebook: Path) -> list[str]:
    """The names assigned in the notebook's cell tagged 'parameters' (what papermill may set).

    Read with `ast` instead of `papermill.inspect_notebook`, whose import alone costs about a second
    before every batch.
    """
    import ast
    import json

    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError) as exc:
        raise DialoogError(f"the notebook cannot be read ({type(exc).__name__})", path=notebook) from None
    for cell in cells:
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell.get("source", "")
            try:
                tree = ast.parse("".join(source) if isinstance(source, list) else source)
            except SyntaxError as exc:
                raise DialoogError(
                    f"the parameters cell is not valid Python (line {exc.lineno})", path=notebook
                ) from None
            names: list[str] = []
            for node in tree.body:
                targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
                names += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
            return names
    return []


def check_parameters(notebook: Path, parameters: dict) -> None:
    declared = declared_parameters(notebook)
    if not declared:
        raise DialoogError("the notebook has no cell tagged 'parameters'", path=notebook)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise DialoogError(
            f"unknown parameter(s): {', '.join(unknown)}",
            path=notebook,
            hint="the notebook accepts: " + ", ".join(declared),
        )


def render_job(job: Job) -> JobResult:
    """Render one report in this worker; never raises (a failure is returned in the result)."""
    start = time.perf_counter()
    result = JobResult(job.slug)
    eng = engine()
    try:
        nb = eng.execute(job.notebook, job.parameters, job.study)
        nb.metadata["title"] = job.title
        html = eng.html(nb, job.title)
        names = {k: v.format(report=job.report) for k, v in FORMATS.items()}
        import nbformat

        result.files[f"{job.report}.ipynb"] = nbformat.writes(nb).encode("utf-8")
        if "html" in job.formats:
            result.files[names["html"]] = html.encode("utf-8")
        if "pdf" in job.formats:
            result.files[names["pdf"]] = html_to_pdf(html)
        if "docx" in job.formats:
            result.files[names["docx"]] = html_to_docx(html)
        if "leaflet" in job.formats:
            result.files[names["leaflet"]] = html_to_pdf(leaflet_html(job.study, job.gemeente))
    except ExecutionFailed as exc:
        import nbformat

        result.error = str(exc)
        result.failed_notebook = nbformat.writes(exc.notebook).encode("utf-8")
    except DialoogError as exc:
        result.error = str(exc)
    except Exception as exc:  # noqa: BLE001 - reported per gemeente, the others go on
        log.debug("render of %s failed: %s", job.slug, error_location(exc))  # no text: it could quote data
        result.error = f"the report failed: {error_location(exc)}"  # the exception's text could quote study data
    result.seconds = time.perf_counter() - start
    return result


# -- one gemeente ------------------------------------------------------------------------------------


def _plan(study_root: Path, report: str, parameters: dict | None, output: Path | str | None):
    from dialoog.study.folder import Study

    st = Study(Path(study_root))
    st.check_layout()
    notebook = find_notebook(st.root, report)
    out_root = Path(output).resolve() if output else st.reports_dir
    return st, notebook, out_root


def _job(st, g, notebook: Path, out_root: Path, report: str, parameters: dict | None, formats) -> Job:
    params = {"gemeente": g.name, "study": str(st.root), "output": str(out_root / g.slug), **(parameters or {})}
    return Job(
        gemeente=g.name,
        slug=g.slug,
        study=str(st.root),
        notebook=str(notebook),
        parameters=params,
        title=Term(st.settings.term).apply(REPORTS[report].format(gemeente=g.name)),
        report=report,
        formats=tuple(formats),
    )


def render(
    gemeente: str,
    study: Path | str = ".",
    output: Path | str | None = None,
    report: str = "perspectieven",
    parameters: dict | None = None,
    formats: Iterable[str] | None = None,
    force: bool = True,
) -> RenderedReport:
    """Render `report` for `gemeente` into ``<output>/<gemeente-slug>/`` (default output: the study's reports/).

    Raises DialoogError when the study is invalid or the notebook fails (the previous report is kept and
    the failed notebook saved beside it). With ``force=False`` an up-to-date report is not rendered again.
    """
    from dialoog.study.folder import open_study

    formats = usable_formats(formats)
    st = open_study(study)  # validates the whole study before anything runs
    g = st.gemeente(gemeente)
    from dialoog.study.analysis import check_pseudonymised

    check_pseudonymised(st, g)  # refuse transcripts with consent that are not pseudonymised
    _, notebook, out_root = _plan(st.root, report, parameters, output)
    job = _job(st, g, notebook, out_root, report, parameters, formats)
    check_parameters(notebook, job.parameters)
    out_dir = out_root / g.slug
    inputs = input_digests(st.root, g.slug, notebook, job.parameters, formats, _codings_index(st.root))
    sweep_outputs(out_root, [g.slug])
    skipped = not force and up_to_date(out_dir, inputs)
    if not skipped:
        log.info("rendering %s for %s", notebook.name, g.name)
        result = render_job(job)
        if result.error is not None:
            raise _failure(out_dir, report, result)
        write_result(out_dir, result, inputs, report)
    names = {k: out_dir / v.format(report=report) for k, v in FORMATS.items()}
    return RenderedReport(
        html=names["html"],
        notebook=out_dir / f"{report}.ipynb",
        pdf=names["pdf"] if "pdf" in formats else None,
        docx=names["docx"] if "docx" in formats else None,
        leaflet=names["leaflet"] if "leaflet" in formats else None,
        skipped=skipped,
    )


def _failure(out_dir: Path, report: str, result: JobResult) -> DialoogError:
    if result.failed_notebook is not None:
        failed_path = write_failed(out_dir, report, result.failed_notebook)
        return DialoogError(
            result.error or "failed",
            path=failed_path,
            hint="open the failed notebook to see where it broke; the previous report was kept",
        )
    return DialoogError(result.error or "failed", path=out_dir, hint="the previous report was kept")


# -- many gemeenten ------------------------------------------------------------------------------------


@dataclass
class BatchResult:
    rendered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # slug -> message
    seconds: float = 0.0


def _worker_init(parent: int, report: str = "", pdf: bool = False) -> None:
    die_with_parent(parent)  # a `kill -9` of `dialoog report` ends the workers and their kernels
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    warm_worker(report, pdf)


def warm_worker(report: str, pdf: bool) -> None:
    """Start this worker's kernel with the report's imports, and import WeasyPrint, while the parent is
    still checking the study; then freeze what is alive for the collector (see `Engine.warm`)."""
    import gc
    import importlib.util

    module = f"dialoog.report.{report}"
    code = "import IPython.display\n" + (f"import {module}" if importlib.util.find_spec(module) else "")
    try:
        engine().warm(code)
    except Exception as exc:  # noqa: BLE001 - the first report then starts the kernel and reports the failure
        log.debug("warming the kernel failed: %s", error_location(exc))
    if pdf and pdf_unavailable() is None:
        import weasyprint  # noqa: F401
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _select(st, gemeenten: Iterable[str] | None) -> tuple[list, dict[str, str]]:
    """The municipalities to render; unknown names become failures instead of stopping the rest."""
    if gemeenten is None:
        from dialoog.study.gemeenten import find_gemeente

        return [find_gemeente(s) for s in st.gemeente_slugs()], {}
    found, failed = [], {}
    for name in gemeenten:
        try:
            g = st.gemeente(name)
        except DialoogError as exc:
            failed[name] = str(exc)
            continue
        if g not in found:
            found.append(g)
    return found, failed


def _split_problems(st, slugs: list[str]) -> dict[str, str]:
    """Validate the study: problems in one gemeente's transcripts fail only that gemeente."""
    problems = st.problems()
    per_gemeente: dict[str, list[str]] = {}
    general = []
    for p in problems:
        parts = p.path.resolve().parts if p.path is not None else ()
        slug = None
        if p.path is not None and st.interviews_dir in p.path.resolve().parents:
            slug = parts[len(st.interviews_dir.parts)]
        if slug in slugs:
            per_gemeente.setdefault(slug, []).append(str(p))
        else:
            general.append(p)
    if general:
        raise ValidationError(general)
    return {slug: "\n".join(msgs) for slug, msgs in per_gemeente.items()}


def _plans(st, selection, notebook: Path, out_root: Path, report: str, parameters, formats, force, result):
    """(job, input hashes) of each gemeente to render; up-to-date ones go to `result.skipped`."""
    codings = _codings_index(st.root)
    plans = []
    for g in selection:
        job = _job(st, g, notebook, out_root, report, parameters, formats)
        inputs = input_digests(st.root, g.slug, notebook, job.parameters, formats, codings)
        if not force and up_to_date(out_root / g.slug, inputs):
            result.skipped.append(g.slug)
        else:
            plans.append((job, inputs))
    return plans


def _checked(st, notebook: Path, plans: list, result) -> list:
    """The plans whose parameters and transcripts pass; the others go to `result.failed`."""
    if not plans:
        return plans
    check_parameters(notebook, plans[0][0].parameters)
    bad = _split_problems(st, [j.slug for j, _ in plans])
    result.failed.update(bad)
    return [(j, i) for j, i in plans if j.slug not in bad]


def _writer(out_root: Path, report: str, inputs_of: dict, result: BatchResult, on_result, bar):
    """The callback that writes each finished job's output set (or its failure) as it comes in."""

    def done(job: Job, res: JobResult) -> None:
        out_dir = out_root / job.slug
        try:
            if res.error is not None:
                raise _failure(out_dir, report, res)
            write_result(out_dir, res, inputs_of[job.slug], report)
            result.rendered.append(job.slug)
        except DialoogError as exc:
            result.failed[job.slug] = str(exc)
        except OSError as exc:
            result.failed[job.slug] = f"{out_dir}: could not write the report ({type(exc).__name__}, {exc.strerror})"
        if on_result is not None:
            on_result(job.slug, res)
        if bar is not None:
            bar.set_postfix_str(f"{job.slug} {'klaar' if res.error is None else 'MISLUKT'}", refresh=False)
            bar.update(1)

    return done


def render_many(
    gemeenten: Iterable[str] | None = None,
    study: Path | str = ".",
    output: Path | str | None = None,
    *,
    report: str = "perspectieven",
    parameters: dict | None = None,
    formats: Iterable[str] | None = None,
    force: bool = False,
    workers: int | None = None,
    dask: str | object | None = None,
    progress: bool = True,
    on_result: Callable[[str, JobResult], None] | None = None,
) -> BatchResult:
    """Render several municipalities (all of the study's when `gemeenten` is None).

    Up-to-date ones are skipped unless `force`. `workers` local processes (default: the number of cores)
    each keep a kernel alive; `dask` is the address of a Dask scheduler (or a `distributed.Client`).
    A failure is recorded in the result and does not stop the others. Each gemeente's output set is
    swapped in whole (see `write_result`); what an interrupted run left is swept first.
    """
    t0 = time.perf_counter()
    asked = tuple(formats) if formats is not None else DEFAULT_FORMATS
    st, notebook, out_root = _plan(Path(study), report, parameters, output)
    selection, failed = _select(st, gemeenten)
    result = BatchResult(failed=dict(failed))
    sweep_outputs(out_root, [g.slug for g in selection])
    plans = _plans(st, selection, notebook, out_root, report, parameters, asked, force, result)
    # whether PDFs can be made is asked only when something is to be rendered (WeasyPrint's import is slow)
    formats = usable_formats(formats) if plans else asked
    if formats != asked:
        result.skipped.clear()
        plans = _plans(st, selection, notebook, out_root, report, parameters, formats, force, result)
    n = max(1, min(workers or os.cpu_count() or 1, len(plans)))
    pool = _start_pool(n, report, "pdf" in formats or "leaflet" in formats) if dask is None and n > 1 else None
    bar = None
    try:
        plans = _checked(st, notebook, plans, result)  # while the workers start their kernels
        if progress and plans:
            from tqdm import tqdm

            bar = tqdm(total=len(plans), unit="rapport", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
        done = _writer(out_root, report, {j.slug: i for j, i in plans}, result, on_result, bar)
        jobs = [j for j, _ in plans]
        if dask is not None and jobs:
            _run_dask(jobs, dask, done)
        elif pool is not None and jobs:
            _run_pool(pool, jobs, done)
        else:
            for job in jobs:
                if bar is not None:
                    bar.set_description_str(job.slug, refresh=True)
                done(job, render_job(job))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if bar is not None:
            bar.close()
    result.seconds = time.perf_counter() - t0
    return result


def _start_pool(n: int, report: str, pdf: bool):
    """`n` worker processes, started now: each warms its kernel (`warm_worker`) while the caller goes on."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("spawn")  # no forked copies of threads or open kernels
    pool = ProcessPoolExecutor(
        max_workers=n, mp_context=ctx, initializer=_worker_init, initargs=(os.getpid(), report, pdf)
    )
    for _ in range(n):  # a process is spawned per submitted task until there are n
        pool.submit(os.getpid)
    return pool


def _run_pool(pool, jobs: list[Job], done: Callable[[Job, JobResult], None]) -> None:
    from concurrent.futures import as_completed

    futures = {pool.submit(render_job, job): job for job in jobs}
    for fut in as_completed(futures):
        job = futures[fut]
        try:
            res = fut.result()
        except Exception as exc:  # noqa: BLE001 - a worker that died fails only its gemeente
            res = JobResult(job.slug, error=f"the worker stopped: {type(exc).__name__}")
        done(job, res)


def _run_dask(jobs: list[Job], dask: str | object, done: Callable[[Job, JobResult], None]) -> None:
    from distributed import Client, as_completed

    client = dask if isinstance(dask, Client) else Client(str(dask))
    try:
        futures = {
            client.submit(render_job, job, pure=False, key=f"dialoog-{job.slug}-{time.time_ns()}"): job for job in jobs
        }
        for fut in as_completed(futures):
            job = futures[fut]
            try:
                res = fut.result()
            except Exception as exc:  # noqa: BLE001
                res = JobResult(job.slug, error=f"the Dask worker failed: {error_location(exc)}")
            done(job, res)
    finally:
        if client is not dask:
            client.close()
