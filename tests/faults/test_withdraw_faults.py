"""Withdrawal under faults: a kill at each phase (run it again to finish), hostile files in the study,
a damaged log, a bad id; messages name the file and quote nothing."""

from __future__ import annotations

import os
import signal
import zipfile
from pathlib import Path

import pytest

from dialoog.privacy import traces
from dialoog.privacy.withdrawal import withdraw
from dialoog.study import codings, ledger
from dialoog.study.folder import Study
from tests.conftest import TURNS
from tests.faults.conftest import dialoog, run_py

KILL = r"""
import os, signal, sys
from pathlib import Path
from dialoog.privacy import withdrawal
from dialoog.study.folder import Study

root, phase = Path(sys.argv[1]), sys.argv[2]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if phase == "closing-the-log":
    real = withdrawal._log
    withdrawal._log = lambda root, tid, g, started: real(root, tid, g, started) if started else die()
else:
    setattr(withdrawal, phase, die)
withdrawal.withdraw(Study(root), "schiedam-02")
"""

PHASES = [
    "_remove_codings",
    "_remove_rows",
    "_remove_links",
    "_remove_from_key",
    "stale_outputs",
    "_mark_stale",
    "closing-the-log",
]


def _rows(study: Study, tid: str) -> int:
    return sum(1 for p in study.coder_files() for c in codings.read(p) if c.transcript == tid)


@pytest.mark.parametrize("phase", PHASES)
def test_a_killed_withdrawal_is_finished_by_running_it_again(tiny_study, phase):
    root = tiny_study.root
    assert _rows(tiny_study, "schiedam-02") > 0
    t2 = tiny_study.transcripts["schiedam-02"]  # a coder has it open
    assert run_py(KILL, str(root), phase).returncode == -signal.SIGKILL
    # from the moment it is logged, no coder can write the transcript's codings back
    extra = codings.make(t2, t2.turns[0].start, t2.turns[0].end, "veiligheid", "anouk")
    codings.update_codings(root / "codings" / "anouk.csv", lambda rows: [*rows, extra])
    check = dialoog("validate", "--study", str(root))
    assert (
        check.returncode == 2 and "was not finished" in check.stderr and "dialoog withdraw schiedam-02" in check.stderr
    )
    again = dialoog("withdraw", "schiedam-02", "--study", str(root))
    assert again.returncode == 0, again.stderr
    study = Study(root)
    assert list(study.transcripts) == ["schiedam-01"] and _rows(study, "schiedam-02") == 0
    assert _rows(study, "schiedam-01") > 0  # nothing else lost
    assert [e["id"] for e in ledger.read_log(root) if e.get("withdrawn")] == ["schiedam-02"]
    assert dialoog("validate", "--study", str(root)).returncode == 0


def test_hostile_files_neither_hang_nor_mislead_the_withdrawal(tiny_study, tmp_path, monkeypatch):
    root = tiny_study.root
    sentence = TURNS[1][1][1]  # a sentence of schiedam-02
    outside = tmp_path / "buiten.txt"
    outside.write_text(sentence, encoding="utf-8")
    (root / "werk").mkdir()
    os.symlink(outside, root / "werk" / "link.txt")  # not followed, the file outside is not touched
    os.mkfifo(root / "werk" / "pijp")  # reading it would block forever
    (root / "werk" / "latin1.csv").write_bytes(("transcript,tekst\nschiedam-02,café " + sentence).encode("latin-1"))
    with zipfile.ZipFile(root / "werk" / "bom.qdpx", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("sources/x.txt", b"\0" * (3 * 2**20))  # unpacks to more than allowed
    (root / "werk" / "groot.txt").write_bytes(b"a" * (2 * 2**20))
    monkeypatch.setattr(traces, "MAX_BYTES", 2**20)
    w = withdraw(Study(root), "schiedam-02")
    reasons = {t.path.name: t.reason for t in w.stale}
    assert reasons["latin1.csv"] == "holds text of the transcript"  # not filtered (not UTF-8), so listed
    assert "too large" in reasons["bom.qdpx"] and "too large" in reasons["groot.txt"]
    assert "link.txt" not in reasons and "pijp" not in reasons
    assert outside.read_text(encoding="utf-8") == sentence and (root / "werk" / "link.txt").is_symlink()


def test_a_damaged_log_or_bad_id_is_a_clear_message(tiny_study):
    root = tiny_study.root
    bad = dialoog("withdraw", "../schiedam-01", "--study", str(root))
    assert bad.returncode == 2 and "is not a transcript id" in bad.stderr and "Traceback" not in bad.stderr
    (root / ledger.LOG).write_text("withdrawn: [schiedam-02\n", encoding="utf-8")
    out = dialoog("withdraw", "schiedam-02", "--study", str(root))
    assert out.returncode == 2 and str(Path(ledger.LOG)) in out.stderr and "Traceback" not in out.stderr
    (root / ledger.LOG).write_text("withdrawn: 12\n", encoding="utf-8")
    out = dialoog("withdraw", "schiedam-02", "--study", str(root))
    assert out.returncode == 2 and "withdrawals.yaml" in out.stderr and "key 'withdrawn'" in out.stderr
    assert (root / "interviews" / "schiedam" / "schiedam-02.md").is_file()  # nothing was removed
