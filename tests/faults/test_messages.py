"""Errors quote nothing: a failing report cell, an unexpected error and a closed pipe never put study
text in a message or a failed notebook."""

from __future__ import annotations

import subprocess
import sys

import jupytext
import nbformat
import pytest

from tests.faults.conftest import dialoog, env, norm, run_py

LEAKY = """\
# %% tags=["parameters"]
gemeente = "Schiedam"
study = "."
output = "."

# %%
from pathlib import Path

from dialoog.study.folder import Study

st = Study(Path(study))
text = st.transcripts["schiedam-01"].turns[1].text
print(text)
raise ValueError(f"kon niet verder met: {text}")
"""


@pytest.mark.notebook
def test_a_failing_report_cell_quotes_no_study_text(demo_study):
    (demo_study / "notebooks").mkdir()
    nb = jupytext.reads(LEAKY, fmt="py:percent")
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, demo_study / "notebooks" / "perspectieven.ipynb")
    from dialoog.study.folder import Study

    text = norm(Study(demo_study).transcripts["schiedam-01"].turns[1].text)
    out = dialoog("report", "schiedam", "--formats", "html", "--quiet", "--study", str(demo_study))
    assert out.returncode == 1
    assert "ValueError at cell" in out.stderr and "perspectieven.failed.ipynb" in out.stderr
    assert text not in norm(out.stdout + out.stderr)
    failed = demo_study / "reports" / "schiedam" / "perspectieven.failed.ipynb"
    saved = nbformat.read(failed, as_version=4)
    assert text not in norm(failed.read_text(encoding="utf-8"))
    errors = [o for c in saved.cells if c.cell_type == "code" for o in c.outputs]
    assert [(o.output_type, o.ename) for o in errors] == [("error", "ValueError")]
    assert any("cell" in line and "line" in line for line in errors[0].traceback)  # where it broke


UNEXPECTED = r"""
import sys
from dialoog import cli
from dialoog.commands import list as listing

def boom(args):
    raise KeyError("Fatima El Amrani woont aan de Hoofdstraat 12")

listing.run = boom
orig = listing.register
def register(sub):
    orig(sub)
    sub.choices["list"].set_defaults(func=boom)
listing.register = register
sys.argv = ["dialoog", "list", "--study", sys.argv[1]]
sys.exit(cli.main())
"""


def test_an_unexpected_error_names_its_type_and_place_only(demo_study):
    out = run_py(UNEXPECTED, str(demo_study))
    assert out.returncode == 3
    assert "unexpected KeyError at" in out.stderr and "Fatima" not in out.stderr and "Traceback" not in out.stderr
    debug = subprocess.run(
        [sys.executable, "-c", UNEXPECTED, str(demo_study)],
        env=env(DIALOOG_DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" in debug.stderr  # on request, for the developer


def test_a_closed_pipe_ends_the_command_quietly(demo_study):
    cmd = f"'{sys.executable}' -m dialoog list --study '{demo_study}' | true; echo rc=${{PIPESTATUS[0]}}"
    out = subprocess.run(["bash", "-c", cmd], env=env(), capture_output=True, text=True, timeout=60)
    assert out.stderr == ""
    assert out.stdout.strip() in {"rc=0", "rc=141"}
    out = subprocess.run(
        ["bash", "-c", f"'{sys.executable}' -m dialoog list --study '{demo_study}' | head -1"],
        env=env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stderr == "" and out.stdout.count("\n") == 1
