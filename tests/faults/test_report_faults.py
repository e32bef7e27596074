"""Reports are all-or-nothing: a kill at any phase of writing, or a full disk, leaves a gemeente's whole
previous output set or the whole new one, never a mix; leftovers are swept; workers and kernels end
with the command."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dialoog.errors import DialoogError
from dialoog.report import manifest
from dialoog.report.kernel import JobResult
from tests.faults.conftest import env, run_py

NAMES = ("perspectieven.html", "perspectieven.pdf", "perspectieven.docx", "perspectieven.ipynb", "leaflet.pdf")

WRITE = r"""
import os, signal, sys
from pathlib import Path
from dialoog import fileio
from dialoog.report import manifest
from dialoog.report.kernel import JobResult

out_dir, phase, version = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
names = ("perspectieven.html", "perspectieven.pdf", "perspectieven.docx", "perspectieven.ipynb", "leaflet.pdf")
files = {n: (f"{version} {n} " * 2000).encode() for n in names}

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

calls = {"n": 0}
def nth(real, n):
    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            die()
        return real(*args, **kwargs)
    return wrapper

if phase.startswith("fsync"):            # while the scratch folder is being filled
    os.fsync = nth(os.fsync, int(phase[5:]))
elif phase == "before-swap":
    fileio._exchange = die
elif phase == "after-swap":              # swapped in, the old set not yet removed
    fileio.shutil.rmtree = die
elif phase == "between-renames":        # a system without renameat2: two renames
    fileio._exchange = lambda a, b: False
    os.rename = nth(os.rename, 2)
manifest.write_result(out_dir, JobResult("schiedam", files=files), {"version": version}, "perspectieven")
"""


def _consistent(out_dir: Path) -> str:
    """The version of the one complete output set in `out_dir` (fails on a mixed or partial set)."""
    m = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    version = m["inputs"]["version"]
    assert sorted(m["outputs"]) == sorted(NAMES)
    for name, digest in m["outputs"].items():
        data = (out_dir / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest and data.startswith(version.encode()), name
    assert {p.name for p in out_dir.iterdir() if not p.name.startswith(".")} == {
        *NAMES,
        "manifest.json",
        "mijn-notities.txt",
    }
    return version


def _leftovers(out_dir: Path) -> list[str]:
    return sorted(
        [p.name for p in out_dir.parent.iterdir() if p.name.startswith(".dialoog-")]
        + [p.name for p in out_dir.iterdir() if p.name.endswith(".tmp")]
    )


@pytest.mark.parametrize("phase", ["fsync2", "fsync5", "before-swap", "after-swap", "between-renames", "none"])
def test_a_kill_at_any_phase_leaves_one_whole_set(tmp_path, phase):
    out_dir = tmp_path / "reports" / "schiedam"
    assert run_py(WRITE, str(out_dir), "none", "old").returncode == 0
    (out_dir / "mijn-notities.txt").write_text("eigen aantekeningen", encoding="utf-8")  # the user's own file
    proc = run_py(WRITE, str(out_dir), phase, "new")
    assert proc.returncode == (0 if phase == "none" else -signal.SIGKILL)
    if phase == "between-renames":  # the folder is briefly absent; the sweep puts the old set back
        assert not out_dir.exists()
    else:
        version = _consistent(out_dir)
        assert version == ("new" if phase in {"after-swap", "none"} else "old")
        umask = os.umask(0)
        os.umask(umask)
        assert out_dir.stat().st_mode & 0o777 == 0o777 & ~umask  # readable as a folder made by mkdir
    manifest.sweep_outputs(tmp_path / "reports", ["schiedam"])  # what the next run does first
    assert _consistent(out_dir) in {"old", "new"}
    assert _leftovers(out_dir) == []


class _FullDisk:
    """A file that takes half of what is written and then reports a full disk."""

    def __init__(self, fh):
        self.fh = fh

    def write(self, data):
        self.fh.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name):
        return getattr(self.fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()


def test_a_full_disk_while_writing_a_report_keeps_the_previous_set(tmp_path, monkeypatch):
    out_dir = tmp_path / "reports" / "schiedam"
    old = {n: f"old {n}".encode() for n in NAMES}
    manifest.write_result(out_dir, JobResult("schiedam", files=old), {"version": "old"}, "perspectieven")
    (out_dir / "mijn-notities.txt").write_text("x", encoding="utf-8")
    calls = {"n": 0}

    def full_open(path, mode="r", *args, **kwargs):
        calls["n"] += 1
        fh = open(path, mode, *args, **kwargs)  # noqa: SIM115
        return _FullDisk(fh) if calls["n"] == 3 else fh

    monkeypatch.setattr(manifest, "open", full_open, raising=False)
    new = {n: f"new {n}".encode() for n in NAMES}
    with pytest.raises(DialoogError, match="disk is full") as info:
        manifest.write_result(out_dir, JobResult("schiedam", files=new), {"version": "new"}, "perspectieven")
    assert info.value.path == out_dir and "new" not in str(info.value)
    assert _consistent(out_dir) == "old" and _leftovers(out_dir) == []


@pytest.fixture
def small_disk(tmp_path):
    """A real 1 MB file system (tmpfs); skipped where mounting is not allowed (not root, no CAP_SYS_ADMIN)."""
    mnt = tmp_path / "klein"
    mnt.mkdir()
    if (
        not sys.platform.startswith("linux")
        or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True).returncode
    ):
        pytest.skip("cannot mount a small tmpfs here (needs root); the patched-write tests cover a full disk")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_really_full_disk_keeps_the_previous_report_and_codings(small_disk):
    out_dir = small_disk / "reports" / "schiedam"
    old = {n: f"old {n}".encode() for n in NAMES}
    manifest.write_result(out_dir, JobResult("schiedam", files=old), {"version": "old"}, "perspectieven")
    (out_dir / "mijn-notities.txt").write_text("x", encoding="utf-8")
    big = {n: f"new {n}".encode() * 50_000 for n in NAMES}  # about 2 MB on a 1 MB disk
    with pytest.raises(DialoogError, match="disk is full"):
        manifest.write_result(out_dir, JobResult("schiedam", files=big), {"version": "new"}, "perspectieven")
    assert _consistent(out_dir) == "old" and _leftovers(out_dir) == []

    from dialoog.study import codings

    path = small_disk / "codings" / "anouk.csv"
    row = codings.Coding("schiedam-01", 0, 5, "Hallo", "veiligheid", "anouk", "", "")
    codings.write(path, [row])
    before = path.read_bytes()
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "vulling").write_bytes(b"\0" * max(0, free - 4096))  # the disk is nearly full
    many = [codings.Coding("schiedam-01", i, i + 5, "x" * 200, "veiligheid", "anouk", "", "") for i in range(200)]
    with pytest.raises(DialoogError, match="disk is full") as info:
        codings.update_codings(path, lambda rows: rows + many)
    assert info.value.path == path
    assert path.read_bytes() == before and not list(path.parent.glob(".*.tmp"))


SLOW = """\
# %% tags=["parameters"]
gemeente = "Schiedam"
study = "."
output = "."

# %%
import time

time.sleep(120)
"""


def _descendants(pid: int) -> list:
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


@pytest.mark.notebook
def test_workers_and_kernels_end_when_the_command_is_killed(demo_study):
    import jupytext
    import nbformat
    import psutil

    (demo_study / "notebooks").mkdir()
    nb = jupytext.reads(SLOW, fmt="py:percent")
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, demo_study / "notebooks" / "perspectieven.ipynb")
    cmd = [sys.executable, "-m", "dialoog", "report", "--all", "--workers", "2", "--formats", "html", "--quiet"]
    proc = subprocess.Popen(
        [*cmd, "--study", str(demo_study)], env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    seen: list = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            seen = _descendants(proc.pid)
            kernels = [p for p in seen if "ipykernel" in " ".join(p.cmdline())]
            if len(kernels) >= 2:
                break
            time.sleep(0.5)
        else:
            pytest.fail("the kernels did not start")
        time.sleep(1)  # the kernels run the slow cell
        seen = _descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        gone, alive = psutil.wait_procs(seen, timeout=30)  # generous: a loaded machine delays the kernels' parent check
        assert alive == [], [" ".join(p.cmdline())[:80] for p in alive]
        assert len(gone) >= 4  # two workers, their two kernels (and the resource tracker)
        assert not list((demo_study / "reports").glob("*/perspectieven.html"))  # nothing half written
    finally:
        for p in seen:  # only the processes this test started
            if p.is_running():
                p.kill()
