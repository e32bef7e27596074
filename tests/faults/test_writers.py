"""Shared study files under concurrent writers (real processes) and a full disk: nothing lost, nothing
half written, a clear message."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pytest

from dialoog import fileio
from dialoog.errors import DialoogError
from dialoog.study import codings
from tests.faults.conftest import env

REJECT = r"""
import sys
from pathlib import Path
from dialoog.assist.suggest import load_suggestions, reject

study, tid = Path(sys.argv[1]), sys.argv[2]
for s in load_suggestions(study, tid)[:40]:
    reject(study, s, "anouk")
"""

CODE = r"""
import sys
from pathlib import Path
from dialoog.study import codings
from dialoog.study.folder import Study

study = Study(Path(sys.argv[1]))
t = study.transcripts[sys.argv[2]]
for i in range(40):
    turn = t.turns[i % len(t.turns)]
    c = codings.make(t, turn.start, min(turn.end, turn.start + 2 + i), "veiligheid", "carla")
    codings.update_codings(study.codings_path("carla"), lambda rows, c=c: [*rows, c])
"""


def _together(script: str, study: Path, ids: list[str]) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(study), tid], env=env(), stderr=subprocess.PIPE, text=True)
        for tid in ids
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err


def test_two_processes_rejecting_for_the_same_coder_lose_nothing(demo_study):
    from dialoog.assist.suggest import load_suggestions, read_rejected, rejected_path

    ids = ["schiedam-01", "schiedam-03"]
    wanted = {s.key() for tid in ids for s in load_suggestions(demo_study, tid)[:40]}
    _together(REJECT, demo_study, ids)
    rows = read_rejected(rejected_path(demo_study, "anouk"))
    assert {r[:4] for r in rows} == wanted and len(rows) == len(wanted) > 60


def test_two_processes_coding_into_one_file_lose_nothing(demo_study):
    _together(CODE, demo_study, ["schiedam-01", "groningen-02"])
    rows = codings.read(demo_study / "codings" / "carla.csv")
    assert len(rows) == 80 and {c.transcript for c in rows} == {"schiedam-01", "groningen-02"}


class _OsWithFullDisk:
    """`os` as fileio sees it, with a disk that fills up at the `n`-th file written."""

    def __init__(self, n: int) -> None:
        self.n, self.calls = n, 0

    def fdopen(self, fd, *args, **kwargs):
        self.calls += 1
        fh = __import__("os").fdopen(fd, *args, **kwargs)
        if self.calls != self.n:
            return fh

        class Full:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                fh.close()

            def write(self, data):
                fh.write(data[: len(data) // 2])
                raise OSError(errno.ENOSPC, "No space left on device")

        return Full()

    def __getattr__(self, name):
        return getattr(__import__("os"), name)


def test_a_full_disk_while_saving_codings_changes_nothing(tiny_study, monkeypatch):
    path = tiny_study.codings_path("anouk")
    before = path.read_bytes()
    t = tiny_study.transcripts["schiedam-01"]
    new = codings.make(t, t.turns[1].start, t.turns[1].end, "veiligheid", "anouk")
    monkeypatch.setattr(fileio, "os", _OsWithFullDisk(1))
    with pytest.raises(DialoogError, match="disk is full") as info:
        codings.update_codings(path, lambda rows: [*rows, new])
    assert info.value.path == path and t.turns[1].text not in str(info.value)
    assert path.read_bytes() == before and not list(path.parent.glob(".*.tmp"))


def test_a_full_disk_while_pseudonymising_leaves_whole_files_and_progress_is_shown(tmp_path, monkeypatch, capsys):
    from dialoog.privacy import detect as ps
    from dialoog.privacy.pseudonymise import key_path, pseudonymise_study
    from tests.test_pseudonymise import import_fixtures

    study = import_fixtures(tmp_path / "study")
    files = sorted(study.interviews_dir.glob("*/*.md"))
    before = {p: p.read_bytes() for p in files}
    monkeypatch.setattr(fileio, "os", _OsWithFullDisk(2))  # the key is saved, then the first transcript fails
    with pytest.raises(DialoogError, match="disk is full") as info:
        pseudonymise_study(study, progress=True)
    assert info.value.path in files
    assert {p: p.read_bytes() for p in files} == before  # no transcript half written
    assert not list(study.root.rglob(".*.tmp"))
    ps.PseudonymKey.load(key_path(study))  # the key is whole
    monkeypatch.undo()
    capsys.readouterr()
    from dialoog.study.folder import Study

    results = pseudonymise_study(Study(study.root), progress=True)
    assert all(not r.skipped for r in results)
    err = capsys.readouterr().err
    assert "pseudonymise" in err and f"{len(files)}/{len(files)}" in err  # a progress bar on stderr
