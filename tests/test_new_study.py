"""A new study from scratch with the project's own commands (`dialoog init`, `import`, `pseudonymise`, coding,
`report`), `dialoog code`, and the team's consensus reaching the report."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from dialoog.cli import main
from dialoog.coding import consensus
from dialoog.coding.session import CodingSession
from dialoog.report import engine as report
from dialoog.study import codings as codings_mod
from dialoog.study.folder import Study, open_study
from dialoog.study.settings import Settings

RAW = [
    (
        "gesprek-a.txt",
        "lhbt-inwoner",
        """Interviewer: Hoe is het om in Zwolle te wonen?
Respondent: Meestal fijn. Maar mijn buurman Gerrit Veldkamp riep vorige maand iets naars naar ons, bij de supermarkt.
Interviewer: Wat deed je toen?
Respondent: Ik heb het gemeld bij de wijkagent. Die nam het serieus en kwam nog langs, dat werkte echt goed.
Respondent: Wat ik mis is een plek in de wijk waar je gewoon andere roze mensen kunt ontmoeten.
""",
    ),
    (
        "gesprek-b.txt",
        "wijkprofessional",
        """Interviewer: Wat zie jij in je werk?
Respondent: Mensen melden weinig, want ze denken dat er toch niks mee gebeurt. Bel me gerust op 06-12345678.
Respondent: Een training voor collega's zou helpen; veel collega's weten niet hoe ze het gesprek moeten beginnen.
""",
    ),
]


def html_of(study: Path, slug: str) -> str:
    return (study / "reports" / slug / "perspectieven.html").read_text(encoding="utf-8")


def fragments_in(html: str) -> int:
    """The number of coded fragments the methode chapter reports."""
    m = re.search(r"samen\s+(\d+)\s+gecodeerde\s+fragmenten", html)
    assert m, "the methode chapter names the number of coded fragments"
    return int(m.group(1))


def code_turn(session: CodingSession, tid: str, turn: int, code: str, part: str | None = None) -> None:
    t = session.transcript(tid)
    tt = t.turns[turn]
    if part is None:
        session.apply(tid, tt.start, tt.end, [code])
    else:
        a = tt.start + tt.text.index(part)
        session.apply(tid, a, a + len(part), [code])


@pytest.mark.notebook
def test_init_import_pseudonymise_code_report_for_a_new_municipality(tmp_path):
    study = tmp_path / "zwolle-studie"
    assert main(["init", str(study), "--gemeente", "Zwolle"]) == 0
    assert (study / "codebook" / "codebook.yaml").read_text(encoding="utf-8").startswith("# STARTER CODEBOOK")
    assert {"private/", "raw/", "reports/"} <= set((study / ".gitignore").read_text(encoding="utf-8").split())
    assert "noodgeval" in (study / "rapport" / "contacten.yaml").read_text(encoding="utf-8")
    nb = nbformat.read(study / "notebooks" / "coderen.ipynb", as_version=4)
    assert "jupytext" not in nb.metadata
    assert any('gemeente = "Zwolle"' in c.source for c in nb.cells)
    settings = open_study(study).settings  # dialoog.yaml is valid and holds the defaults
    assert settings.small_cell_threshold == Settings().small_cell_threshold
    assert re.fullmatch(r"[0-9a-f-]{36}", str(settings.study_id))
    assert main(["init", str(study)]) == 0  # again: nothing is overwritten

    for name, role, text in RAW:
        (study / "raw" / name).write_text(text, encoding="utf-8")
        assert main(["import", str(study / "raw" / name), "--gemeente", "Zwolle", "--respondent", role,
                     "--datum", "2026-04-02", "--consent", "--study", str(study)]) == 0  # fmt: skip
    assert main(["pseudonymise", "--study", str(study)]) == 0
    st = Study(study)
    ids = sorted(st.transcripts)
    assert len(ids) == 2 and all(st.transcripts[i].meta["pseudonymised"] for i in ids)
    assert "Veldkamp" not in "".join(t.body for t in st.transcripts.values())

    # coding: through the library's coding session, as the coder widget does
    one, two = CodingSession(st, "anouk"), CodingSession(st, "bram")
    a, b = ids
    for session in (one, two):
        code_turn(session, a, 1, "incidenten", "riep vorige maand iets naars")
        code_turn(session, a, 3, "wat-werkt")
        code_turn(session, b, 1, "melden-aangifte")
    code_turn(one, a, 4, "vragen-behoeften")
    assert main(["validate", "--study", str(study)]) == 0

    assert main(["report", "zwolle", "--study", str(study), "--formats", "html"]) == 0
    html = html_of(study, "zwolle")
    assert "Perspectieven voor LHBT" in html and "Zwolle" in html
    assert fragments_in(html) == 4
    assert "Veldkamp" not in html and "12345678" not in html
    assert "ten minste één codeur" in html  # no consensus yet: the report says how codings were combined


@pytest.mark.notebook
def test_consensus_reaches_the_report_and_an_edit_renders_again(tiny_study, tmp_path):
    root = tiny_study.root
    assert main(["report", "schiedam", "--study", str(root), "--formats", "html"]) == 0
    before = html_of(root, "schiedam")
    assert fragments_in(before) == 6 and "consensus" not in before

    # the team decides on the differences in schiedam-01 (as in the coder's consensus mode)
    consensus.decide(tiny_study, "schiedam-01", "5", "vragen-behoeften", "ja", "team")
    consensus.decide(tiny_study, "schiedam-01", "5", "wat-werkt-niet", "nee", "team")
    path = root / "consensus" / "consensus.csv"
    assert len(codings_mod.read(path)) == 3

    result = report.render("schiedam", study=root, formats=("html",), force=False)
    assert not result.skipped
    manifest = json.loads((root / "reports" / "schiedam" / "manifest.json").read_text(encoding="utf-8"))
    assert "consensus/consensus.csv" in manifest["inputs"]
    html = html_of(root, "schiedam")
    assert fragments_in(html) == 5  # schiedam-01 counts its 3 consensus fragments instead of 4 merged ones
    assert "Voor 1 van de 2 gesprekken heeft het onderzoeksteam" in html

    # editing consensus/consensus.csv by hand: the next report is rendered again, with the new counts
    rows = [r for r in codings_mod.read(path) if r.code != "vragen-behoeften"]
    codings_mod.write(path, rows)
    result = report.render("schiedam", study=root, formats=("html",), force=False)
    assert not result.skipped
    assert fragments_in(html_of(root, "schiedam")) == 4
    assert report.render("schiedam", study=root, formats=("html",), force=False).skipped  # nothing changed since


def test_merge_keeps_each_consensus_fragment_within_its_unit(tiny_study, tmp_path):
    """A coding that runs on into the next turn does not widen the consensus fragment of a turn."""
    t = tiny_study.transcripts["schiedam-01"]
    t3, t4 = t.turns[3], t.turns[4]
    for coder in ("anouk", "bram"):
        path = tiny_study.codings_path(coder)
        rows = [r for r in codings_mod.read(path) if r.transcript != "schiedam-01"]
        rows.append(codings_mod.make(t, t3.start + 4, t4.start + 10, "wat-werkt", coder))
        if coder == "anouk":
            rows.append(codings_mod.make(t, t3.start, t3.start + 20, "wat-werkt", coder))
        codings_mod.write(path, rows)
    dis = tmp_path / "verschillen.csv"
    assert main(["agreement", "--study", str(tiny_study.root), "--disagreements", str(dis)]) == 0
    text = dis.read_text(encoding="utf-8").splitlines()
    header, rows = text[0], text[1:]
    filled = [header] + [re.sub(r",,,$", ",ja,team,", r) for r in rows]
    dis.write_text("\n".join(filled) + "\n", encoding="utf-8")
    assert main(["merge", str(dis), "--study", str(tiny_study.root)]) == 0
    merged = [r for r in codings_mod.read(tiny_study.root / "consensus" / "consensus.csv") if r.transcript == t.id]
    spans = {(r.start, r.end) for r in merged if r.code == "wat-werkt"}
    assert spans == {(t3.start, t3.end), (t4.start, t4.start + 10)}  # each within its turn, not the union
    assert all(t.body[r.start : r.end] == r.text for r in merged)


@pytest.mark.notebook
def test_dialoog_code_opens_jupyterlab_on_the_coder(tiny_study):
    proc = subprocess.Popen(
        [sys.executable, "-m", "dialoog", "code", "--no-browser", "--study", str(tiny_study.root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        while not any("token=" in line for line in lines):
            line = proc.stdout.readline()
            assert line, "dialoog code ended without printing the address: " + "".join(lines)
            lines.append(line)
        url = next(line.strip() for line in lines if "token=" in line)
        assert "/lab/tree/notebooks/coderen.ipynb?token=" in url
        assert (tiny_study.root / "notebooks" / "coderen.ipynb").is_file()  # written for a study without it
        base, token = url.split("/lab/")[0], url.split("token=")[1]
        for _ in range(120):
            with contextlib.suppress(OSError):
                status = urllib.request.urlopen(f"{base}/api/contents/notebooks/coderen.ipynb?token={token}", timeout=2)
                assert json.load(status)["name"] == "coderen.ipynb"
                break
            time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer")
    finally:
        proc.terminate()  # as a closed terminal or a `kill` would: JupyterLab must stop with it
        proc.wait(timeout=60)
        proc.stdout.close()
    with pytest.raises(OSError):  # nothing answers on the port any more: no JupyterLab left without a parent
        urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)


@pytest.mark.notebook
def test_run_all_of_the_coding_notebook_on_a_fresh_study(tmp_path):
    """Every cell of the study's coding notebook runs on a new study, before and after the first import."""
    study = tmp_path / "vers"
    assert main(["init", str(study), "--gemeente", "Zwolle"]) == 0
    shown = run_all(study, tmp_path / "leeg.ipynb")  # not even a transcript yet
    assert "twee of meer codeurs" in shown
    from dialoog.coding.widget import Coder

    assert "nog geen gesprekken" in Coder(study, gemeente="Zwolle").status["text"]
    name, role, text = RAW[1]
    (study / "raw" / name).write_text(text, encoding="utf-8")
    assert main(["import", str(study / "raw" / name), "--gemeente", "Zwolle", "--respondent", role,
                 "--study", str(study)]) == 0  # fmt: skip
    shown = run_all(study, tmp_path / "coderen.out.ipynb")
    assert "application/vnd.jupyter.widget-view+json" in shown  # the coder
    assert "twee of meer codeurs" in shown  # the agreement cells say what is missing


def run_all(study: Path, out: Path) -> str:
    """Run every cell of the study's coding notebook as papermill does; returns what the cells showed."""
    import papermill

    papermill.execute_notebook(
        str(study / "notebooks" / "coderen.ipynb"), str(out), cwd=str(study / "notebooks"), progress_bar=False
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    return json.dumps([o.get("data", {}) for o in outputs], ensure_ascii=False)
