"""Done when: withdraw a transcript from a study with every kind of derived file while another process
codes; afterwards no file in the study except those listed as stale holds any sentence of it."""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.faults.conftest import dialoog, env, files_holding, norm, quoting_notebook, transcript_sentences

pytestmark = pytest.mark.notebook

TID = "schiedam-02"

#: an open coder: transcripts in memory, saving through the locked path again and again
CODER = r"""
import sys, time
from pathlib import Path
from dialoog.study import codings
from dialoog.study.folder import Study

study = Study(Path(sys.argv[1]))
stop = Path(sys.argv[2])
ts = [study.transcripts["schiedam-01"], study.transcripts["schiedam-02"]]
mine = []
i = 0
while not stop.exists() and i < 400:
    for t in ts:
        turn = t.turns[i % len(t.turns)]
        end = min(turn.end, turn.start + 2 + i // len(t.turns))
        c = codings.make(t, turn.start, end, "veiligheid", "carla", "")
        codings.update_codings(study.codings_path("carla"), lambda rows, c=c: [*rows, c])
        if t.id == "schiedam-01":
            mine.append((c.start, c.end))
    i += 1
    time.sleep(0.01)
print(len(set(mine)), ";".join(f"{a}-{b}" for a, b in sorted(set(mine))))
"""


def _build(study: Path, tmp: Path) -> Path:
    from dialoog.assist.suggest import load_suggestions, reject
    from dialoog.privacy import detect as ps
    from dialoog.report import engine

    quoting_notebook(study)
    key = tmp / "elders" / "sleutel.key.yaml"  # a key made with --key, outside the study
    k = ps.PseudonymKey(path=key)
    k.person("Fatima El Amrani", TID)
    k.person("Joost Vermeer", "schiedam-01")
    k.save()
    assert dialoog("pseudonymise", "--key", str(key), "--study", str(study)).returncode == 0
    dis = study / "werk" / "onenigheid.csv"
    assert (
        dialoog("agreement", "--gemeente", "schiedam", "--disagreements", str(dis), "--study", str(study)).returncode
        == 0
    )
    table = pd.read_csv(dis, dtype=str, keep_default_na=False)
    table["decision"], table["decided_by"] = "ja", "team"
    table.to_csv(dis, index=False)
    assert dialoog("merge", str(dis), "--gemeente", "schiedam", "--study", str(study)).returncode == 0
    (study / "werk" / "onenigheid.csv").write_text(dis.read_text(encoding="utf-8"), encoding="utf-8")
    for s in load_suggestions(study, TID, coder="anouk")[:3]:
        reject(study, s, "anouk")
    out = dialoog(
        "export-qdpx", str(study / "exports" / "schiedam.qdpx"), "--gemeente", "schiedam", "--study", str(study)
    )
    assert out.returncode == 0, out.stderr
    res = engine.render_many(["schiedam"], study=study, formats=("html", "pdf", "docx"), workers=1, progress=False)
    assert res.rendered == ["schiedam"], res.failed
    pdf = study / "reports" / "schiedam" / "perspectieven.pdf"
    (pdf.parent / ".perspectieven.pdf.k1ll3d.tmp").write_bytes(pdf.read_bytes())  # left by a killed run
    return key


def _rows_of(path: Path, tid: str) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("transcript")
    return sum(1 for r in rows[1:] if r[col] == tid)


def test_withdraw_leaves_nothing_but_listed_stale_outputs_while_another_process_codes(demo_study, tmp_path):
    study = demo_study
    key = _build(study, tmp_path)
    sentences = transcript_sentences(study, TID)
    assert len(sentences) > 20
    before = files_holding(study, sentences)
    for rel in (
        "consensus/consensus.csv",
        f"suggestions/{TID}.csv",
        "werk/onenigheid.csv",
        "exports/schiedam.qdpx",
        "reports/schiedam/perspectieven.pdf",
        "reports/schiedam/perspectieven.docx",
        "codings/anouk.csv",
    ):
        assert study / rel in before, rel  # the study really holds it everywhere
    assert _rows_of(study / "suggestions" / "rejected" / "anouk.csv", TID) == 3

    stop = tmp_path / "stop"
    coder = subprocess.Popen(
        [sys.executable, "-c", CODER, str(study), str(stop)], env=env(), stdout=subprocess.PIPE, text=True
    )
    try:
        for _ in range(200):  # the coder is saving before the withdrawal starts
            if (study / "codings" / "carla.csv").is_file():
                break
            time.sleep(0.05)
        out = dialoog("withdraw", TID, "--study", str(study))
        time.sleep(0.5)  # the coder keeps saving after the withdrawal
    finally:
        stop.touch()
        coder_out, _ = coder.communicate(timeout=60)
    assert out.returncode == 0, out.stderr
    assert not any(s in norm(out.stdout + out.stderr) for s in sentences)  # the summary quotes nothing
    assert "removed 0 person" not in out.stdout and "person(s) from the key" in out.stdout

    log = yaml.safe_load((study / "withdrawals.yaml").read_text(encoding="utf-8"))["withdrawn"]
    assert [e["id"] for e in log] == [TID] and log[0]["withdrawn"]
    stale = {study / s["path"] for s in log[0]["stale"]}
    left = files_holding(study, sentences)
    assert left <= stale, sorted(map(str, left - stale))
    assert {study / "exports/schiedam.qdpx", study / "reports/schiedam/perspectieven.pdf"} <= stale
    assert study / "reports/schiedam/.perspectieven.pdf.k1ll3d.tmp" in stale
    # derived data is gone, not merely listed; the coder never wrote the withdrawn transcript back
    assert not (study / "suggestions" / f"{TID}.csv").exists()
    for rel in (
        "codings/anouk.csv",
        "codings/bram.csv",
        "codings/carla.csv",
        "consensus/consensus.csv",
        "werk/onenigheid.csv",
        "suggestions/rejected/anouk.csv",
    ):
        assert _rows_of(study / rel, TID) == 0, rel
    assert f"{TID}:" not in "".join(p.read_text(encoding="utf-8") for p in study.glob("inventaris/*/*.yaml"))
    assert TID not in key.read_text(encoding="utf-8") and "Fatima" not in key.read_text(encoding="utf-8")
    # no data lost: every coding the other process saved of another transcript is there
    n, spans = coder_out.split()
    from dialoog.study import codings

    kept = {(c.start, c.end) for c in codings.read(study / "codings" / "carla.csv") if c.transcript == "schiedam-01"}
    assert int(n) > 5 and {tuple(map(int, s.split("-"))) for s in spans.split(";")} <= kept

    # validate lists the stale outputs until they are rendered again or deleted
    check = dialoog("validate", "--study", str(study))
    assert check.returncode == 2 and "perspectieven.pdf" in check.stderr and "schiedam.qdpx" in check.stderr
    assert not any(s in norm(check.stderr) for s in sentences)
    from dialoog.report import engine

    assert engine.render_many(
        ["schiedam"], study=study, formats=("html", "pdf", "docx"), workers=1, progress=False
    ).rendered
    (study / "exports" / "schiedam.qdpx").unlink()
    for p in stale:
        if p.exists() and not p.is_relative_to(study / "reports"):
            p.unlink()
    check = dialoog("validate", "--study", str(study))
    assert check.returncode == 0, check.stderr
    assert files_holding(study, sentences) == set()
