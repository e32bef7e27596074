"""Agreement figures against the reference implementations, disagreements, and the consensus merge."""

from __future__ import annotations

import csv
import math
import shutil

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from dialoog.assist import nlp
from dialoog.assist.suggest import KeywordMatcher, analyse
from dialoog.cli import main
from dialoog.coding import agreement
from dialoog.report import methode
from dialoog.study import codings
from dialoog.study.folder import Study

from .conftest import REPO


def reference_vectors(study: Study, coders: list[str], unit: str) -> dict[str, dict[str, list[float]]]:
    """Yes/no per unit, built independently from the codings files: {code: {coder: [...]}}."""
    files = {c: codings.read(study.codings_path(c)) for c in coders}
    out: dict[str, dict[str, list[float]]] = {}
    for tid, t in sorted(study.transcripts.items()):
        if sum(any(r.transcript == tid for r in files[c]) for c in coders) < 2:
            continue
        if unit == "turn":
            spans = [(turn.start, turn.end) for turn in t.turns]
        else:  # the sentence segments of the language pipeline, as for suggestions
            spans = [(s.start, s.end) for s in nlp.segments(t)]
        for code in study.codebook.codes:
            for coder in coders:
                mine = [r for r in files[coder] if r.transcript == tid and r.code == code]
                coded = any(r.transcript == tid for r in files[coder])
                for a, b in spans:
                    v = float(any(r.start < b and a < r.end for r in mine)) if coded else math.nan
                    out.setdefault(code, {}).setdefault(coder, []).append(v)
    return out


@pytest.mark.parametrize("unit", ["turn", "sentence"])
def test_demo_study_figures_match_the_reference_implementations(unit):
    study = Study(REPO)
    d, _ = agreement.study_decisions(study, unit=unit)
    table = agreement.agreement_table(d, study.codebook, all_codes=True).set_index("label")
    ref = reference_vectors(study, ["anouk", "bram"], unit)
    pooled_a, pooled_b = [], []
    for code, by_coder in ref.items():
        a, b = np.array(by_coder["anouk"]), np.array(by_coder["bram"])
        pooled_a += list(a)
        pooled_b += list(b)
        row = table.loc[study.codebook.label(code)]
        assert row["percent"] == pytest.approx(100 * (a == b).mean())
        if len(set(a) | set(b)) > 1:
            assert row["kappa"] == pytest.approx(cohen_kappa_score(a, b))
            assert row["alpha"] == pytest.approx(
                krippendorff.alpha(reliability_data=np.vstack([a, b]), level_of_measurement="nominal")
            )
    a, b = np.array(pooled_a), np.array(pooled_b)
    total = table.loc["Totaal"]
    assert total["percent"] == pytest.approx(100 * (a == b).mean())
    po = (a == b).mean()
    pe = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
    assert total["kappa"] == pytest.approx((po - pe) / (1 - pe))  # Cohen's formula, by hand
    assert total["alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=np.vstack([a, b]), level_of_measurement="nominal")
    )
    assert 0.7 < total["alpha"] < 1


def test_tiny_study_by_hand(tiny_study):
    d, _ = agreement.study_decisions(tiny_study)
    table = agreement.agreement_table(d, tiny_study.codebook, all_codes=True).set_index("code")
    # 8 turns; anouk gave vragen-behoeften to two of them, bram to none
    assert table.loc["vragen-behoeften", "percent"] == pytest.approx(75.0)
    assert table.loc["vragen-behoeften", "kappa"] == pytest.approx(0.0)
    # incidenten: both coders on the same single turn
    assert table.loc["incidenten", "percent"] == pytest.approx(100.0)
    assert table.loc["incidenten", "kappa"] == pytest.approx(1.0)
    assert math.isnan(table.loc["veiligheid", "kappa"])  # nobody used it: undefined, not 1


def test_three_coders_with_missing_transcripts(demo_copy):
    # a third coder who coded only the Schiedam transcripts, partly like anouk
    rows = [r for r in codings.read(demo_copy / "codings" / "anouk.csv") if r.transcript.startswith("schiedam")]
    rows = [codings.Coding(r.transcript, r.start, r.end, r.text, r.code, "carla") for i, r in enumerate(rows) if i % 3]
    codings.write(demo_copy / "codings" / "carla.csv", rows)
    study = Study(demo_copy)
    d, _ = agreement.study_decisions(study)
    table = agreement.agreement_table(d, study.codebook).set_index("label")
    ref = reference_vectors(study, ["anouk", "bram", "carla"], "turn")
    matrix = np.vstack([np.concatenate([ref[code][c] for code in ref]) for c in ("anouk", "bram", "carla")])
    assert np.isnan(matrix[2]).any()  # carla is missing outside Schiedam
    assert table.loc["Totaal", "alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    )
    kappas = []
    for i, j in ((0, 1), (0, 2), (1, 2)):
        both = ~np.isnan(matrix[i]) & ~np.isnan(matrix[j])
        kappas.append(cohen_kappa_score(matrix[i][both], matrix[j][both]))
    assert table.loc["Totaal", "kappa"] == pytest.approx(np.mean(kappas))  # Light's kappa
    assert len(agreement.pairwise_table(d)) == 3


def test_cli_agreement_disagreements_and_merge(demo_copy, tmp_path, capsys):
    dis = tmp_path / "verschillen.csv"
    assert main(["agreement", "--study", str(demo_copy), "--gemeente", "Schiedam", "--disagreements", str(dis)]) == 0
    out = capsys.readouterr().out
    assert "kappa" in out and "alpha" in out and "(all codes)" in out
    assert "vieze" not in out  # no transcript text on the terminal
    with dis.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert table and all(r["transcript"].startswith("schiedam") for r in table)
    assert all(r["with"] and r["without"] for r in table)
    assert {"anouk", "bram", "decision", "decided_by"} <= set(table[0])

    # an undecided row is refused with its line
    assert main(["merge", str(dis), "--study", str(demo_copy), "--gemeente", "schiedam"]) == 2
    assert "line 2, key 'decision'" in capsys.readouterr().err

    for i, r in enumerate(table):
        r["decision"] = "ja" if i % 2 == 0 else "nee"
        r["decided_by"] = "team"
        r["note"] = "besproken" if i == 0 else ""
    with dis.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    assert main(["merge", str(dis), "--study", str(demo_copy), "--gemeente", "schiedam"]) == 0
    out_path = demo_copy / "consensus" / "consensus.csv"
    consensus = codings.read(out_path)
    study = Study(demo_copy)
    assert codings.validate(consensus, out_path.with_name("consensus.csv"), study.transcripts, study.codebook) == []
    keys = {(c.transcript, c.code) for c in consensus}
    for i, r in enumerate(table):
        unit_rows = [
            c
            for c in consensus
            if c.transcript == r["transcript"]
            and c.code == r["code"]
            and c.start < int(r["end"])
            and int(r["start"]) < c.end
        ]
        if i % 2 == 0:
            assert any("besluit ja door team" in c.memo for c in unit_rows)
        else:
            assert not any("besluit" in c.memo for c in unit_rows)
    assert any(c.memo.startswith("eens: anouk, bram") for c in consensus)
    assert any("besproken" in c.memo for c in consensus)
    assert all(t.startswith("schiedam") for t, _ in keys)


def test_merge_refuses_a_resolution_that_misses_disagreements(tiny_study, tmp_path, capsys):
    dis = tmp_path / "d.csv"
    assert main(["agreement", "--study", str(tiny_study.root), "--disagreements", str(dis)]) == 0
    lines = dis.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    kept = lines[0] + "\n"  # no rows decided at all
    dis.write_text(kept, encoding="utf-8")
    assert "decision" in header
    assert main(["merge", str(dis), "--study", str(tiny_study.root)]) == 2
    assert "have no decision" in capsys.readouterr().err


def test_agreement_needs_two_coders_and_known_coders(tiny_study, capsys):
    assert main(["agreement", "--study", str(tiny_study.root), "--coders", "anouk,zoe"]) == 2
    assert "no codings of coder(s) zoe" in capsys.readouterr().err
    shutil.move(tiny_study.codings_path("bram"), tiny_study.root / "bram.bak")
    assert main(["agreement", "--study", str(tiny_study.root)]) == 2
    assert "at least two coders" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["agreement", "merge"])
def test_commands_have_help_and_study_option(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "--study DIR" in capsys.readouterr().out


def test_report_section_in_the_methode_chapter(demo_copy):
    from dialoog.report import perspectieven
    from dialoog.study import analysis

    study = Study(demo_copy)
    text = methode.report_section(study, "schiedam")
    d, _ = agreement.study_decisions(study, gemeente="schiedam")
    total = agreement.agreement_table(d, study.codebook).iloc[-1]
    assert f"Cohens kappa is\n{methode.fmt(total['kappa'])}" in text or methode.fmt(total["kappa"]) in text
    assert "Krippendorffs alfa" in text and "<table" in text
    data = analysis.load(study, study.gemeente("schiedam"))
    assert methode.methode_section(data) in perspectieven.methode(data)
    # one coder only: a clear sentence instead of figures
    shutil.move(study.codings_path("bram"), demo_copy / "bram.bak")
    alone = Study(demo_copy)
    assert "niet berekend" in methode.report_section(alone, "schiedam")


def test_sentence_units_are_the_segments_of_suggestions():
    study = Study(REPO)
    for t in study.transcripts.values():
        units = agreement.units(t, "sentence")
        segs = nlp.segments(t)
        assert [(u.start, u.end) for u in units] == [(s.start, s.end) for s in segs]
        assert all(t.body[u.start : u.end] == s.text for u, s in zip(units, segs, strict=True))
        # named turn.sentence, counted from 1 within each turn
        assert [u.name for u in units][:1] == ["1.1"]
        for u, s in zip(units, segs, strict=True):
            assert u.name.split(".")[0] == str(s.turn + 1)
    # every suggestion is made for exactly one sentence unit
    d, _ = agreement.study_decisions(study, unit="sentence")
    spans = {(u.transcript, u.start, u.end) for u in d.units}
    found = [
        s
        for _t, _segs, kw in analyse(
            nlp.load_pipeline(),
            KeywordMatcher(nlp.load_pipeline(), study.codebook),
            [study.transcripts[tid] for tid in {u.transcript for u in d.units}],
        )
        for s in kw
    ]
    assert found and all((s.transcript, s.start, s.end) in spans for s in found)
