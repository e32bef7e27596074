"""dialoog code: open JupyterLab on the study's coding notebook and print its address."""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys

from dialoog.commands import study_arg

NOTEBOOK = "notebooks/coderen.ipynb"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "code",
        help="open the coder of the study in JupyterLab",
        description="Start JupyterLab in the study folder with the coding notebook open and print its address "
        "(the notebook is written first if the study has none). Stop it with Ctrl+C.",
    )
    p.add_argument("--port", type=int, default=0, help="the port to listen on (default: a free one)")
    p.add_argument("--no-browser", action="store_true", help="only print the address; do not open a browser")
    study_arg(p)
    p.set_defaults(func=run)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_command(study_root, port: int, token: str, browser: bool) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={study_root}",
        f"--LabApp.default_url=/lab/tree/{NOTEBOOK}",
    ]
    if not browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers often run as root
        cmd.append("--allow-root")
    return cmd


def run(args: argparse.Namespace) -> int:
    from dialoog.commands.init import notebook_text
    from dialoog.fileio import atomic_write_text
    from dialoog.study.folder import open_study

    study = open_study(args.study, strict=False)
    notebook = study.root / NOTEBOOK
    if not notebook.is_file():
        atomic_write_text(notebook, notebook_text(""))
        print(f"wrote {NOTEBOOK}")
    port = args.port or free_port()
    token = secrets.token_hex(16)
    url = f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK}?token={token}"
    print(f"the coder of {study.root} opens at:\n  {url}\n(stop with Ctrl+C)", flush=True)
    lab = subprocess.Popen(lab_command(study.root, port, token, not args.no_browser), cwd=study.root)
    _stop_on_signals()  # a closed terminal or a `kill` stops JupyterLab too, as Ctrl+C does
    try:
        return lab.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if lab.poll() is None:
            lab.terminate()
            try:
                lab.wait(timeout=30)
            except subprocess.TimeoutExpired:
                lab.kill()
                lab.wait()


def _stop_on_signals() -> None:
    """SIGTERM and SIGHUP end `dialoog code` the way Ctrl+C does, so that its JupyterLab is stopped with it
    instead of running on without a parent."""

    def stop(_signum, _frame) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
