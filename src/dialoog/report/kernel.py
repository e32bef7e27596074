"""Workers' kernels: run a report notebook in a kernel kept alive between reports (nbclient)."""

from __future__ import annotations

import atexit
import copy
import ctypes
import ctypes.util
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from dialoog.errors import error_location  # noqa: F401 - part of this module's API
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
        from papermill.parameterize import parameterize_notebook

        nb = self._read(notebook)
        nb.metadata.setdefault("papermill", {})
        nb = parameterize_notebook(nb, parameters, kernel_name="python3", language="python")
        reset = nbformat.v4.new_code_cell(f"%reset -f\nimport os as _os\n_os.chdir({cwd!r})\ndel _os")
        nb.cells.insert(0, reset)
        return self._run(nb, cwd)

    def warm(self, code: str, cwd: str = ".") -> None:
        """Start the kernel and run `code` (imports) in it before the first report, then move everything
        alive to the permanent generation of the collector (`gc.freeze`): the ``%reset`` before each
        report and the collections during it then no longer walk the libraries' objects; and collect the
        youngest generation less often (`GC_THRESHOLDS`)."""
        import nbformat

        nb = nbformat.v4.new_notebook()
        tune = f"import gc as _gc\n_gc.collect()\n_gc.freeze()\n_gc.set_threshold(*{GC_THRESHOLDS})\ndel _gc"
        nb.cells = [nbformat.v4.new_code_cell(f"{code}\n{tune}")]
        nb.cells.insert(0, nbformat.v4.new_code_cell("pass"))  # _run pops the first cell
        self._run(nb, cwd)

    def _run(self, nb, cwd: str):
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, DeadKernelError

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
            message = _execution_message(nb, exc)
            scrub_failed(nb)
            raise ExecutionFailed(message, nb) from None
        except (DeadKernelError, RuntimeError, TimeoutError) as exc:
            self.close()
            nb.cells.pop(0)
            scrub_failed(nb)
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
    """The first line of an exception's text, shortened (kept only for dialoog's own errors, which by
    contract quote no study data)."""
    return (str(evalue or "").splitlines() or [""])[0][:160]


#: exceptions whose text is safe to show: dialoog's own errors name file, line and key, never study text
SAFE_ERRORS = {"DialoogError", "ValidationError"}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_FRAME = re.compile(r"File \"?(?P<a>[^\s\",]+\.py)\"?(?::|, line )(?P<b>\d+)|Cell In ?\[(?P<c>\d+)\], line (?P<d>\d+)")


def frames(traceback_lines: list[str]) -> list[str]:
    """'file.py, line N' of each frame of an IPython traceback (no source lines, no values)."""
    out = []
    for line in traceback_lines:
        for m in _FRAME.finditer(_ANSI.sub("", line)):
            if m.group("c"):
                out.append(f"cell {m.group('c')}, line {m.group('d')}")
                continue
            path = m.group("a")
            short = path.split("site-packages/")[-1] if "site-packages/" in path else path
            if "/dialoog/" in short:
                short = "dialoog/" + short.rsplit("/dialoog/", 1)[1]
            out.append(f"{short}, line {m.group('b')}")
    return out


def scrub_failed(nb) -> None:
    """Keep a failed notebook's error type and location, drop every output that could hold study text:
    all outputs go, the error's text stays only for dialoog's own errors, its traceback keeps the frames."""
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                safe = out.get("ename") in SAFE_ERRORS
                out["evalue"] = short_evalue(out.get("evalue")) if safe else "(text left out: it can quote study data)"
                out["traceback"] = [f"{out['ename']}: {out['evalue']}"] + [
                    f"  at {f}" for f in frames(out["traceback"])
                ]
                kept.append(out)
        cell["outputs"] = kept


def _execution_message(nb, exc) -> str:
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                number = cell.get("execution_count")
                where = frames(out.get("traceback", []))
                text = f"the report notebook failed in cell {number}: {out['ename']}"
                if where:
                    text += f" at {where[-1]}"
                if out["ename"] in SAFE_ERRORS:
                    text += f": {short_evalue(out.get('evalue'))}"
                return text
    return f"the report notebook failed: {type(exc).__name__}"


# -- workers end when their parent ends ----------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """End this process when `parent` ends, also after a `kill -9` of the parent: the kernel delivers
    SIGKILL (Linux, prctl PR_SET_PDEATHSIG); elsewhere a thread watches the parent. A kernel started by
    this process follows it (ipykernel polls its parent)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            log.debug("prctl not available", exc_info=True)
    if os.getppid() != parent:  # the parent died before the signal was set up
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="dialoog-parent-watch", daemon=True).start()


_local = threading.local()

#: The collector's thresholds in a worker and its kernel: a report makes millions of short-lived objects
#: (pandas, matplotlib, WeasyPrint's boxes), and collecting the youngest generation every 700 of them cost
#: about 6% of a PDF; every 10,000 costs no memory worth naming.
GC_THRESHOLDS = (10_000, 10, 10)


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
