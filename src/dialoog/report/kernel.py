"""Workers' kernels: run a report notebook in a kernel kept alive between reports (nbclient)."""

from __future__ import annotations

import atexit
import copy
import logging
import os
import subprocess
import threading
from dataclasses import dataclass, field

from dialoog.report.formats import DEFAULT_FORMATS, TEMPLATES

log = logging.getLogger(__name__)

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
