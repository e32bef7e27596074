"""Render the Perspectieven report of one or many municipalities: HTML, PDF, DOCX and leaflet.

How a render works (`render_job`, which runs in a worker):

1. The report notebook gets its parameters injected the papermill way
   (`papermill.parameterize.parameterize_notebook`) and is executed with nbclient in a kernel that the
   worker keeps alive between reports (`Engine`); a first cell clears the namespace (``%reset -f``), so
   every report starts clean without paying for a kernel start and the imports again.
2. The executed notebook is exported in the same process with a reused nbconvert exporter (HTML, no
   code), the HTML is typeset with WeasyPrint (PDF) and converted with pandoc (DOCX); the leaflet is
   an HTML page of its own, typeset with WeasyPrint.
3. The worker returns the files as bytes; the caller writes them atomically into
   ``reports/<gemeente>/`` with a manifest of input hashes (`manifest.json`). A failed run writes
   nothing but ``perspectieven.failed.ipynb``, so the previous report stays.

`render_many` renders a selection (or all) of a study's municipalities on a pool of local worker
processes or on a Dask cluster, skips municipalities whose inputs did not change since their last
successful render, shows progress, and reports failures at the end without stopping the others.
"""

from __future__ import annotations

import atexit
import copy
import hashlib
import io
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from . import __version__
from .errors import DialoogError, ValidationError
from .fileio import atomic_write_bytes
from .privacy import STALE_NOTE

log = logging.getLogger(__name__)

REPORTS = {"perspectieven": "Perspectieven voor LHBT's in {gemeente}"}

#: output formats and their file names (``{report}`` is the report's name)
FORMATS = {
    "html": "{report}.html",
    "pdf": "{report}.pdf",
    "docx": "{report}.docx",
    "leaflet": "leaflet.pdf",
}
DEFAULT_FORMATS = tuple(FORMATS)
MANIFEST = "manifest.json"

#: study files and folders that are inputs of every report besides transcripts, codings and codebook;
#: ``{slug}`` stands for the gemeente. Add an entry when a chapter reads a new study file or register.
STUDY_INPUTS = ["dialoog.yaml", "codebook", "inventaris/{slug}", "rapport/*.yaml", "rapport/{slug}"]

TEMPLATES = Path(str(resources.files("dialoog").joinpath("templates")))
PACKAGE = Path(__file__).resolve().parent


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


# -- the job a worker runs --------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to render one report (picklable, sent to worker processes or Dask)."""

    gemeente: str  # CBS name
    slug: str
    study: str  # absolute path; on a cluster the workers must see the study at the same path
    notebook: str
    parameters: dict
    title: str
    report: str = "perspectieven"
    formats: tuple[str, ...] = DEFAULT_FORMATS


@dataclass
class JobResult:
    slug: str
    files: dict[str, bytes] = field(default_factory=dict)  # file name -> content
    error: str | None = None
    failed_notebook: bytes | None = None
    seconds: float = 0.0


class ExecutionFailed(Exception):
    def __init__(self, message: str, notebook) -> None:
        super().__init__(message)
        self.notebook = notebook


class Engine:
    """One worker's kernel and exporters, kept alive between reports."""

    def __init__(self) -> None:
        self.km = None
        self.kc = None
        self._html_exporter = None
        self._notebooks: dict[str, tuple[int, object]] = {}

    # kernel ------------------------------------------------------------------------------------
    def _read(self, path: str):
        import nbformat

        mtime = os.stat(path).st_mtime_ns
        cached = self._notebooks.get(path)
        if cached is None or cached[0] != mtime:
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:  # as papermill.iorw.load_notebook_node does
                cell.metadata.setdefault("tags", [])
            cached = (mtime, nb)
            self._notebooks[path] = cached
        return copy.deepcopy(cached[1])

    def execute(self, notebook: str, parameters: dict, cwd: str):
        """The executed notebook; raises ExecutionFailed (with the partly executed notebook) on an error."""
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, DeadKernelError
        from papermill.parameterize import parameterize_notebook

        nb = self._read(notebook)
        nb.metadata.setdefault("papermill", {})
        nb = parameterize_notebook(nb, parameters, kernel_name="python3", language="python")
        reset = nbformat.v4.new_code_cell(f"%reset -f\nimport os as _os\n_os.chdir({cwd!r})\ndel _os")
        nb.cells.insert(0, reset)
        client = NotebookClient(
            nb,
            km=self.km,
            kernel_name="python3",
            timeout=900,
            startup_timeout=120,
            resources={"metadata": {"path": cwd}},
        )
        client.kc = self.kc
        try:
            client.execute(cleanup_kc=False, cwd=cwd, stderr=subprocess.DEVNULL)  # kwargs start a new kernel
        except CellExecutionError as exc:
            nb.cells.pop(0)
            raise ExecutionFailed(_execution_message(nb, exc), nb) from None
        except (DeadKernelError, RuntimeError, TimeoutError) as exc:
            self.close()
            nb.cells.pop(0)
            raise ExecutionFailed(f"the kernel stopped: {type(exc).__name__}", nb) from None
        finally:
            self.km, self.kc = client.km, client.kc
        nb.cells.pop(0)
        return nb

    def close(self) -> None:
        from jupyter_core.utils import run_sync

        km, kc, self.km, self.kc = self.km, self.kc, None, None
        try:
            if kc is not None:
                kc.stop_channels()
            if km is not None and km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - best effort at exit
            log.debug("kernel shutdown failed", exc_info=True)

    # exporters -----------------------------------------------------------------------------------
    def html(self, nb, title: str) -> str:
        if self._html_exporter is None:
            from nbconvert import HTMLExporter

            exporter = HTMLExporter(
                template_name="perspectieven",
                extra_template_basedirs=[str(TEMPLATES)],
                exclude_input=True,
                exclude_input_prompt=True,
                exclude_output_prompt=True,
                embed_images=True,
            )
            self._html_exporter = exporter
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
        css = (TEMPLATES / "style" / "dialoog.css").read_text(encoding="utf-8")
        css += (TEMPLATES / "perspectieven" / "report.css").read_text(encoding="utf-8")
        body, _ = self._html_exporter.from_notebook_node(nb, resources={"metadata": {"name": title}, "css": css})
        return body


def short_evalue(evalue: object) -> str:
    """The first line of an exception's text, shortened: it could quote data from the study."""
    return (str(evalue or "").splitlines() or [""])[0][:160]


def _execution_message(nb, exc) -> str:
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                number = cell.get("execution_count")
                return f"the report notebook failed in cell {number}: {out['ename']}: {short_evalue(out.get('evalue'))}"
    return f"the report notebook failed: {type(exc).__name__}"


_local = threading.local()


def engine() -> Engine:
    """This thread's engine (one kernel per worker thread or process, closed at exit)."""
    eng = getattr(_local, "engine", None)
    if eng is None:
        eng = _local.engine = Engine()
        atexit.register(eng.close)
    return eng


def _close_engine() -> None:
    eng = getattr(_local, "engine", None)
    if eng is not None:
        eng.close()


# -- the output formats -----------------------------------------------------------------------------

_pdf_lock = threading.Lock()


def pdf_unavailable() -> str | None:
    """Why PDFs cannot be made here (WeasyPrint or its system libraries missing), or None when they can."""
    try:
        import weasyprint  # noqa: F401 - loads Pango through cffi
    except (ImportError, OSError) as exc:
        return f"WeasyPrint cannot run ({type(exc).__name__}: {str(exc).splitlines()[0][:120]})"
    return None


PDF_HINT = (
    "install Pango: on Debian/Ubuntu 'apt install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core', "
    "on macOS 'brew install pango'; conda users get it with weasyprint from conda-forge"
)


def usable_formats(formats: Iterable[str] | None) -> tuple[str, ...]:
    """The formats to render. By default all four, leaving out the PDFs (with a warning) where WeasyPrint
    cannot run; PDFs asked for explicitly are an error there."""
    explicit = formats is not None
    chosen = tuple(formats) if explicit else DEFAULT_FORMATS
    if not {"pdf", "leaflet"} & set(chosen):
        return chosen
    reason = pdf_unavailable()
    if reason is None:
        return chosen
    if explicit:
        raise DialoogError(f"cannot make PDFs: {reason}", key="--formats", hint=PDF_HINT)
    log.warning("PDF and leaflet left out: %s; %s", reason, PDF_HINT)
    return tuple(f for f in chosen if f not in {"pdf", "leaflet"})


def html_to_pdf(html: str) -> bytes:
    """Typeset HTML with WeasyPrint (A4, page numbers and cover from the print stylesheet)."""
    import weasyprint

    # The stylesheet is shared with the screen; WeasyPrint warns about the screen-only media queries.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    with _pdf_lock:  # WeasyPrint is not thread-safe; workers are processes, this guards threads
        return weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf()


_reference_docx: dict[str, str] = {}


def reference_docx() -> str:
    """A pandoc reference document in dialoog's style (fonts and colours of the report), made once."""
    path = _reference_docx.get("path")
    if path and os.path.exists(path):
        return path
    import docx
    import pypandoc
    from docx.shared import Pt, RGBColor

    raw = subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"], check=True, capture_output=True
    ).stdout
    doc = docx.Document(io.BytesIO(raw))
    primary = RGBColor(0x1F, 0x5C, 0x6B)
    for name in ("Normal", "Body Text", "First Paragraph", "Compact"):
        if name in [s.name for s in doc.styles]:
            doc.styles[name].font.name = "Liberation Sans"
    doc.styles["Normal"].font.size = Pt(10.5)
    for name, size in [("Title", 26), ("Heading 1", 18), ("Heading 2", 14), ("Heading 3", 12)]:
        style = doc.styles[name]
        style.font.name = "DejaVu Sans"
        style.font.color.rgb = primary
        style.font.size = Pt(size)
    fd, path = tempfile.mkstemp(prefix="dialoog-reference-", suffix=".docx")
    with os.fdopen(fd, "wb") as fh:
        doc.save(fh)
    atexit.register(lambda: os.path.exists(path) and os.unlink(path))
    _reference_docx["path"] = path
    return path


def html_to_docx(html: str) -> bytes:
    """An editable Word document: real headings (the chapters are Heading 1), figures as images."""
    import pypandoc

    html = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", html)
    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    with tempfile.TemporaryDirectory(prefix="dialoog-docx-") as tmp:
        out = Path(tmp) / "report.docx"
        pypandoc.convert_text(
            html,
            "docx",
            format="html",
            outputfile=str(out),
            extra_args=["--reference-doc", reference_docx(), "--shift-heading-level-by=-1"],
        )
        return out.read_bytes()


def leaflet_html(study: str, gemeente: str) -> str:
    """The leaflet "LHBT <gemeente>" as HTML: an A4 sheet in landscape, two sides, folded to A5."""
    import jinja2

    from . import perspectieven, reportfiles

    data = perspectieven.load(study, gemeente)
    files = perspectieven.report_files(data)
    kinds = reportfiles.CONTACT_KINDS
    contacts = [(kinds[k], [c for c in files.contacts if c.kind == k]) for k in kinds]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(TEMPLATES / "leaflet"), str(TEMPLATES / "style")]),
        autoescape=True,
    )
    return env.get_template("leaflet.html.j2").render(
        gemeente=data.gemeente.name,
        findings=perspectieven.key_findings(data)[:5],
        goals=files.goals,
        contacts=[(title, items) for title, items in contacts if items],
        fictional=data.fictional or bool(files.goals and files.goals.fictional),
        n_interviews=len(data.interviews),
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
        log.debug("render of %s failed", job.slug, exc_info=True)
        result.error = f"{type(exc).__name__}: {exc}"
    result.seconds = time.perf_counter() - start
    return result


# -- incremental renders: a manifest of input hashes ------------------------------------------------


def _hash_files(h, root: Path, paths: Iterable[Path]) -> None:
    for p in sorted(paths):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(root)).encode() + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())


def _expand(root: Path, pattern: str) -> list[Path]:
    out: list[Path] = []
    for p in root.glob(pattern):
        out.extend(p.rglob("*") if p.is_dir() else [p])
    return out


_ID_RE = re.compile(r"^id:\s*['\"]?([^'\"\n]+?)['\"]?\s*$", re.M)


@dataclass
class _CodingsIndex:
    rows_by_transcript: dict[str, list[bytes]]


def _codings_index(root: Path) -> _CodingsIndex:
    import csv

    rows: dict[str, list[bytes]] = {}
    for path in sorted((root / "codings").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                if row and row[0] != "transcript":
                    rows.setdefault(row[0], []).append(path.name.encode() + b"\0" + "\x1f".join(row).encode())
    return _CodingsIndex(rows)


_package_digest: dict[str, str] = {}


def package_digest() -> str:
    """dialoog's version and its code, templates and data: a new dialoog renders again."""
    if "d" not in _package_digest:
        h = hashlib.sha256(__version__.encode())
        _hash_files(h, PACKAGE, [p for p in PACKAGE.rglob("*") if p.suffix != ".pyc"])
        _package_digest["d"] = h.hexdigest()
    return _package_digest["d"]


def input_digests(
    root: Path, slug: str, notebook: Path, parameters: dict, formats: Iterable[str], codings: _CodingsIndex
) -> dict[str, str]:
    """One hash per kind of input of gemeente `slug` (so the manifest shows what changed)."""
    out: dict[str, str] = {}
    h = hashlib.sha256()
    folder = root / "interviews" / slug
    paths = sorted(folder.glob("*.md"))
    _hash_files(h, root, paths)
    out["transcripts"] = h.hexdigest()
    ids = []
    for p in paths:
        m = _ID_RE.search(p.read_text(encoding="utf-8", errors="replace")[:2000])
        ids.append(m.group(1) if m else p.stem)
    h = hashlib.sha256()
    for tid in sorted(ids):
        for row in sorted(codings.rows_by_transcript.get(tid, [])):
            h.update(row + b"\n")
    out["codings"] = h.hexdigest()
    for pattern in STUDY_INPUTS:
        h = hashlib.sha256()
        _hash_files(h, root, _expand(root, pattern.format(slug=slug)))
        out[pattern.format(slug="<gemeente>")] = h.hexdigest()
    out["notebook"] = hashlib.sha256(notebook.read_bytes()).hexdigest()
    out["parameters"] = hashlib.sha256(json.dumps(parameters, sort_keys=True).encode()).hexdigest()
    out["formats"] = ",".join(sorted(formats))
    out["dialoog"] = package_digest()
    return out


def read_manifest(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def up_to_date(out_dir: Path, inputs: dict[str, str]) -> bool:
    manifest = read_manifest(out_dir)
    if manifest.get("inputs") != inputs:
        return False
    return all((out_dir / name).is_file() for name in manifest.get("outputs", {}))


def write_result(out_dir: Path, result: JobResult, inputs: dict[str, str], report: str) -> None:
    """Write a successful result atomically, the manifest last; remove an old failed notebook and a
    stale note left by `dialoog withdraw` (the new report no longer holds the withdrawn data)."""
    for name, content in result.files.items():
        atomic_write_bytes(out_dir / name, content)
    manifest = {
        "dialoog": __version__,
        "inputs": inputs,
        "outputs": {name: hashlib.sha256(content).hexdigest() for name, content in sorted(result.files.items())},
        "seconds": round(result.seconds, 2),
    }
    atomic_write_bytes(out_dir / MANIFEST, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())
    for leftover in (out_dir / f"{report}.failed.ipynb", out_dir / STALE_NOTE):
        if leftover.exists():
            leftover.unlink()


# -- one gemeente ------------------------------------------------------------------------------------


def _plan(study_root: Path, report: str, parameters: dict | None, output: Path | str | None):
    from .study import Study

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
        title=REPORTS[report].format(gemeente=g.name),
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
    from .study import open_study

    formats = usable_formats(formats)
    st = open_study(study)  # validates the whole study before anything runs
    g = st.gemeente(gemeente)
    from .analysis import check_pseudonymised

    check_pseudonymised(st, g)  # refuse transcripts with consent that are not pseudonymised
    _, notebook, out_root = _plan(st.root, report, parameters, output)
    job = _job(st, g, notebook, out_root, report, parameters, formats)
    check_parameters(notebook, job.parameters)
    out_dir = out_root / g.slug
    inputs = input_digests(st.root, g.slug, notebook, job.parameters, formats, _codings_index(st.root))
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
    failed_path = out_dir / f"{report}.failed.ipynb"
    if result.failed_notebook is not None:
        atomic_write_bytes(failed_path, result.failed_notebook)
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


def _worker_init() -> None:
    logging.getLogger("traitlets").setLevel(logging.ERROR)


def _select(st, gemeenten: Iterable[str] | None) -> tuple[list, dict[str, str]]:
    """The municipalities to render; unknown names become failures instead of stopping the rest."""
    if gemeenten is None:
        from .gemeenten import find_gemeente

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
    A failure is recorded in the result and does not stop the others.
    """
    t0 = time.perf_counter()
    formats = usable_formats(formats)
    st, notebook, out_root = _plan(Path(study), report, parameters, output)
    selection, failed = _select(st, gemeenten)
    result = BatchResult(failed=dict(failed))
    codings = _codings_index(st.root)
    plans = []
    for g in selection:
        job = _job(st, g, notebook, out_root, report, parameters, formats)
        inputs = input_digests(st.root, g.slug, notebook, job.parameters, formats, codings)
        if not force and up_to_date(out_root / g.slug, inputs):
            result.skipped.append(g.slug)
        else:
            plans.append((job, inputs))
    if not plans:
        result.seconds = time.perf_counter() - t0
        return result
    check_parameters(notebook, plans[0][0].parameters)
    bad = _split_problems(st, [j.slug for j, _ in plans])
    result.failed.update(bad)
    plans = [(j, i) for j, i in plans if j.slug not in bad]
    inputs_of = {j.slug: i for j, i in plans}

    bar = None
    if progress and plans:
        from tqdm import tqdm

        bar = tqdm(total=len(plans), unit="rapport", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)

    def done(job: Job, res: JobResult) -> None:
        out_dir = out_root / job.slug
        if res.error is None:
            try:
                write_result(out_dir, res, inputs_of[job.slug], report)
                result.rendered.append(job.slug)
            except OSError as exc:
                result.failed[job.slug] = f"{out_dir}: could not write the report: {exc}"
        else:
            result.failed[job.slug] = str(_failure(out_dir, report, res))
        if on_result is not None:
            on_result(job.slug, res)
        if bar is not None:
            bar.set_postfix_str(f"{job.slug} {'klaar' if res.error is None else 'MISLUKT'}", refresh=False)
            bar.update(1)

    jobs = [j for j, _ in plans]
    try:
        if dask is not None:
            _run_dask(jobs, dask, done)
        else:
            n = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
            if n == 1:
                for job in jobs:
                    if bar is not None:
                        bar.set_description_str(job.slug, refresh=True)
                    done(job, render_job(job))
            else:
                _run_pool(jobs, n, done)
    finally:
        if bar is not None:
            bar.close()
    result.seconds = time.perf_counter() - t0
    return result


def _run_pool(jobs: list[Job], n: int, done: Callable[[Job, JobResult], None]) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    ctx = multiprocessing.get_context("spawn")  # no forked copies of threads or open kernels
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_worker_init) as pool:
        futures = {pool.submit(render_job, job): job for job in jobs}
        for fut in as_completed(futures):
            job = futures[fut]
            try:
                res = fut.result()
            except Exception as exc:  # noqa: BLE001 - a worker that died fails only its gemeente
                res = JobResult(job.slug, error=f"the worker stopped: {type(exc).__name__}: {exc}")
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
                res = JobResult(job.slug, error=f"the Dask worker failed: {type(exc).__name__}: {exc}")
            done(job, res)
    finally:
        if client is not dask:
            client.close()
