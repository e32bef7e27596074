"""`dialoog monitor import-*`: weighted survey aggregates checked against statsmodels, suppression that a
difference with a total cannot undo, no row-level value in any output or message, StatLine and ADV files."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
import statsmodels.api as sm
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from dialoog.cli import main
from dialoog.errors import DialoogError, ValidationError
from dialoog.monitor import schemas, sources, survey
from dialoog.study.folder import open_study

from .conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "monitor"
MAPPING = REPO / "monitor" / "enquete-mapping.yaml"
ADV_BRON = "Fictieve jaarcijfers antidiscriminatievoorziening {jaar} (demonstratie)"


@pytest.fixture
def study(demo_copy: Path) -> Path:
    for name in ("enquete.csv", "statline.csv", "discriminatie.csv"):
        (demo_copy / "monitor" / name).unlink()
    return demo_copy


def _enquete(study: Path) -> pd.DataFrame:
    return pd.read_csv(study / "monitor" / "enquete.csv")


def test_the_demo_aggregates_are_what_the_imports_make(study: Path, capsys):
    for jaar in (2022, 2024, 2026):
        args = ["monitor", "import-survey", str(FIXTURES / f"veiligheidsenquete-{jaar}.sav"), "--jaar", str(jaar)]
        assert main([*args, "--mapping", str(MAPPING), "--study", str(study)]) == 0
    assert main(["monitor", "import-statline", str(FIXTURES / "statline-85146NED"), "--study", str(study)]) == 0
    args = ["monitor", "import-discriminatie", str(FIXTURES / "adv-meldingen.csv"), "--bron", ADV_BRON]
    assert main([*args, "--study", str(study)]) == 0
    for name in ("enquete.csv", "statline.csv", "discriminatie.csv"):
        made = (study / "monitor" / name).read_text(encoding="utf-8")
        assert made == (REPO / "monitor" / name).read_text(encoding="utf-8"), f"run the imports again: {name}"
    out = capsys.readouterr().out
    assert "2650 respondents read" in out and "suppressed as small cells" in out
    assert "60 rows of other grounds or totals left out" in out


def test_weighted_estimates_and_intervals_match_statsmodels(study: Path):
    survey.import_survey(open_study(study), FIXTURES / "veiligheidsenquete-2026.sav", 2026, MAPPING)
    got = _enquete(study).set_index(["gemeente", "indicator", "groep"])
    df, meta = pyreadstat.read_sav(str(FIXTURES / "veiligheidsenquete-2026.sav"), user_missing=False)
    lhbt = df["orientatie"].isin([2, 3, 4]) | df["genderidentiteit"].isin([2, 3]) | (df["intersekse"] == 1)
    answered = df[["orientatie", "genderidentiteit", "intersekse"]].notna().all(axis=1)
    checked = 0
    for gem, code in (("Groningen", 14), ("Súdwest-Fryslân", 1900)):
        for groep, rows in (("lhbt", lhbt), ("niet-lhbt", ~lhbt & answered)):
            sub = df[(df["gemeente"] == code) & rows & df["slachtoffer"].notna()]
            y, w = sub["slachtoffer"].to_numpy(), sub["weegfactor"].to_numpy()
            row = got.loc[(gem, "slachtoffer", groep)]
            # the weighted share: statsmodels' weighted mean
            assert row["waarde"] == pytest.approx(DescrStatsW(y, weights=w).mean, abs=5e-5)
            assert row["n"] == len(y)
            # the design-based variance: WLS of y on a constant with the HC1 sandwich (= linearisation)
            fit = sm.WLS(y, np.ones(len(y)), weights=w).fit(cov_type="HC1")
            p, se = float(fit.params[0]), float(fit.bse[0])
            n_eff = min(len(y), p * (1 - p) / se**2)
            assert row["n_eff"] == pytest.approx(n_eff, abs=0.06)
            lo, hi = proportion_confint(p * n_eff, n_eff, method="wilson")
            assert (row["ondergrens"], row["bovengrens"]) == pytest.approx((lo, hi), abs=5e-5)
            # weighting widens the interval: never narrower than the unweighted Wilson interval of n
            plain = proportion_confint(y.sum(), len(y), method="wilson")
            assert hi - lo >= plain[1] - plain[0] - 1e-9
            checked += 1
    assert checked == 4


def _tiny_survey(path: Path, victims_lhbt: int) -> None:
    """A fictional survey: 400 others and 30 LHBTIQ+ respondents of Schiedam, some victims."""
    rng = np.random.default_rng(7)
    n_other, n_lhbt = 400, 30
    orient = np.r_[np.ones(n_other), np.full(n_lhbt, 2.0)]
    victim = np.r_[(rng.random(n_other) < 0.2).astype(float), (np.arange(n_lhbt) < victims_lhbt).astype(float)]
    report = np.where(victim == 1, np.where(np.arange(len(victim)) % 2 == 0, 1.0, 2.0), 8.0)
    frame = pd.DataFrame(
        {
            "gem": np.full(len(orient), 606.0),
            "so": orient,
            "slachtoffer": victim,
            "aangifte": report,
            "w": rng.uniform(0.5, 2.0, len(orient)).round(3),
        }
    )
    pyreadstat.write_sav(
        frame,
        path,
        variable_value_labels={"gem": {606: "Schiedam"}, "so": {1: "Hetero", 2: "Homo"}, "aangifte": {8: "n.v.t."}},
    )


TINY_MAPPING = """\
bron: Fictieve enquête Schiedam {jaar}
gewicht: w
gemeente: gem
lhbtiq: [{variabele: so, waarden: [Homo]}]
indicatoren:
  slachtoffer: {variabele: slachtoffer, ja: [1], nee: [0]}
  aangifte: {variabele: aangifte, ja: [1], nee: [2], onder: slachtoffer}
"""


def test_a_small_cell_never_appears_not_even_through_a_total(study: Path, tmp_path: Path):
    sav, mapping = tmp_path / "enquete.sav", tmp_path / "mapping.yaml"
    _tiny_survey(sav, victims_lhbt=3)  # 3 LHBTIQ+ victims: their aangifte is a small cell
    mapping.write_text(TINY_MAPPING, encoding="utf-8")
    summary = survey.import_survey(open_study(study), sav, 2026, mapping)
    # 3 of 30 LHBTIQ+ respondents are victims, 1 or 2 of them reported: both are small cells, and each
    # takes the others' cell of the same indicator with it
    assert summary.suppressed == 4
    got = _enquete(study).query("gemeente == 'Schiedam'").set_index(["indicator", "groep"])
    for groep in ("lhbt", "niet-lhbt"):
        # neither the value nor the n of either group: the municipality publishes its total, and
        # total - others would give the LHBTIQ+ figure back
        assert got.loc[("aangifte", groep), ["n", "waarde", "ondergrens", "bovengrens", "n_eff"]].isna().all()
    assert got.loc[("slachtoffer", "niet-lhbt"), ["n", "waarde"]].isna().all()
    # every shown cell rests on at least the threshold of respondents, with and without the trait
    shown = _enquete(study).dropna(subset=["waarde"])
    assert (shown["n"] >= 5).all()
    # and the report shows them as suppressed, without a number
    frame = sources.load_all(open_study(study), 5).query("gemeente == 'Schiedam'")
    assert frame["onderdrukt"].sum() == 4
    assert {sources.display_value(r, 5) for _, r in frame.iterrows()} == {"niet getoond"}


def test_the_microdata_stay_out_of_the_study_and_out_of_messages(study: Path, tmp_path: Path):
    inside = study / "monitor" / "enquete.sav"
    _tiny_survey(inside, victims_lhbt=10)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(TINY_MAPPING, encoding="utf-8")
    with pytest.raises(DialoogError, match="inside the study's monitor/ folder"):
        survey.import_survey(open_study(study), inside, 2026, mapping)
    sav = tmp_path / "enquete.sav"
    shutil.move(inside, sav)
    # an unknown gemeente code: the message names the variable and counts, never a respondent's value
    frame, _ = pyreadstat.read_sav(str(sav))
    frame.loc[3, "gem"] = 987654.0
    pyreadstat.write_sav(frame, sav, variable_value_labels={"so": {1: "Hetero", 2: "Homo"}})
    with pytest.raises(DialoogError) as info:
        survey.import_survey(open_study(study), sav, 2026, mapping)
    assert "'gem'" in str(info.value) and "987654" not in str(info.value) and "606" not in str(info.value)
    # a mapped variable that is not in the file
    mapping.write_text(TINY_MAPPING.replace("gewicht: w", "gewicht: weegfactor"), encoding="utf-8")
    with pytest.raises(DialoogError, match="no variable 'weegfactor'") as info:
        survey.import_survey(open_study(study), sav, 2026, mapping)
    assert info.value.path == mapping and info.value.key == "gewicht"
    # the aggregate file has no column that could hold a row-level value
    assert list(pd.read_csv(REPO / "monitor" / "enquete.csv").columns) == list(schemas.EnqueteRow.model_fields)


def test_mapping_errors_name_file_line_and_key(tmp_path: Path):
    path = tmp_path / "mapping.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            bron: Enquête
            gewicht: w
            gemeente: gem
            lhbtiq: []
            indicatoren:
              slachtoffer: {variabele: s, ja: [1]}
              geluk: {variabele: g, ja: [1], nee: [0]}
            extra: 1
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        schemas.load_mapping(path)
    found = {(p.line, p.key) for p in info.value.problems}
    assert (4, "lhbtiq") in found  # at least one rule
    assert (6, "indicatoren.slachtoffer.nee") in found  # 'nee' is required
    assert (7, "indicatoren.geluk.[key]") in found  # unknown indicator
    assert (8, "extra") in found


def test_statline_csv_and_cbsodata_json_give_the_same_figures(study: Path, tmp_path: Path):
    from dialoog.monitor import statline

    from_json = statline.figures(FIXTURES / "statline-85146NED", None, None, {})
    # the same table as a StatLine CSV download: titles, ';', decimal commas and '.' for no value
    rows = json.loads((FIXTURES / "statline-85146NED" / "TypedDataSet.json").read_text(encoding="utf-8"))
    titles = {"MW00000": "Waarde", "MOG0095": "Ondergrens 95%-betrouwbaarheidsinterval", "MBG0095": "Bovengrens"}
    regions = {
        "NL01": "Nederland",
        "GM0014": "Groningen (gemeente)",
        "GM1900": "Súdwest-Fryslân",
        "PV20": "Groningen (PV)",
    }
    frame = pd.DataFrame(rows).drop(columns="ID")
    frame["Marges"] = frame["Marges"].map(titles)
    frame["RegioS"] = frame["RegioS"].str.strip().map(regions)
    frame["Perioden"] = frame["Perioden"].str[:4]
    for col in frame.columns[3:]:
        frame[col] = frame[col].map(lambda v: "." if pd.isna(v) else str(v).replace(".", ","))
    csv_path = tmp_path / "85146NED.csv"
    frame.rename(columns={"RegioS": "Regio's"}).to_csv(csv_path, sep=";", index=False)
    from_csv = statline.figures(csv_path, "85146NED", None, {})
    strip = ["periode", "bron"]
    assert [r.model_dump(exclude=set(strip)) for r in from_csv] == [r.model_dump(exclude=set(strip)) for r in from_json]
    suppressed = [r for r in from_json if r.waarde is None]
    assert suppressed and all(r.ondergrens is None and r.n_eff is None for r in suppressed)
    assert {r.gemeente for r in from_json} == {"Groningen", "Súdwest-Fryslân", "Nederland"}  # no province
    first = next(r for r in from_json if (r.jaar, r.gemeente, r.indicator) == (2019, "Groningen", "onveilig-buurt"))
    assert (first.waarde, first.ondergrens, first.bovengrens, first.tabel, first.periode) == (
        0.17,
        0.155,
        0.185,
        "85146NED",
        "2019JJ00",
    )
    with pytest.raises(DialoogError, match="table id is unknown"):
        statline.figures(csv_path, None, None, {})


def test_discrimination_registrations(study: Path, tmp_path: Path):
    from dialoog.monitor import discriminatie

    rows, other = discriminatie.registrations(FIXTURES / "adv-meldingen.csv", "adv", ADV_BRON)
    assert other == 60 and len(rows) == 20  # 7 other grounds and a total, 2 gemeenten, 5 years
    assert {r.grond for r in rows} == {"seksuele-orientatie", "genderidentiteit"}
    assert rows[0].bron.endswith("2022 (demonstratie)")
    bad = tmp_path / "politie.csv"
    bad.write_text(
        "gemeente,jaar,grond,aantal\nSchiedam,2025,Seksuele gerichtheid,drie\nGrunnen,2025,Genderidentiteit,2\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        discriminatie.registrations(bad, "politie", "Politie")
    found = {(p.line, p.key) for p in info.value.problems}
    assert found == {(2, "aantal"), (3, "gemeente")}
    with pytest.raises(DialoogError, match="source is missing"):
        discriminatie.registrations(bad, "politie", None)


def test_aggregate_files_are_validated(tmp_path: Path):
    path = tmp_path / "enquete.csv"
    header = ",".join(schemas.EnqueteRow.model_fields)
    path.write_text(header + "\n2026,Schiedam,slachtoffer,lhbt,40,1.5,,,,x\n2026,Nergens,aangifte,lhbt,,,,,,x\n")
    with pytest.raises(ValidationError) as info:
        schemas.read_rows(path, schemas.EnqueteRow)
    assert {(p.line, p.key) for p in info.value.problems} == {(2, "waarde"), (3, "gemeente")}


def test_a_csv_export_with_labels_gives_the_same_figures(study: Path, tmp_path: Path):
    # the same survey as a CSV export with value labels as text and CBS codes for the gemeente
    frame, _ = pyreadstat.read_sav(str(FIXTURES / "veiligheidsenquete-2024.sav"), apply_value_formats=True)
    frame["gemeente"] = frame["gemeente"].map({"Groningen": 14, "Súdwest-Fryslân": 1900})
    csv_path = tmp_path / "enquete-2024.csv"
    frame.to_csv(csv_path, sep=";", index=False)
    mapping = tmp_path / "mapping.yaml"
    text = MAPPING.read_text(encoding="utf-8")
    for code, label in (
        ("[2, 3, 4]", "[Homoseksueel of lesbisch, Biseksueel, Anders]"),
        ("waarden: [1]", "waarden: [Ja]"),
    ):
        text = text.replace(code, label)
    for name in ("slachtoffer", "discriminatie"):
        text = text.replace(f"{{variabele: {name}, ja: [1], nee: [0]}}", f"{{variabele: {name}, ja: [Ja], nee: [Nee]}}")
    mapping.write_text(text.replace("ja: [1], nee: [2]", "ja: [Ja], nee: [Nee]"), encoding="utf-8")
    survey.import_survey(open_study(study), csv_path, 2024, mapping)
    from_csv = _enquete(study)
    expected = pd.read_csv(REPO / "monitor" / "enquete.csv").query("jaar == 2024").reset_index(drop=True)
    pd.testing.assert_frame_equal(from_csv, expected, check_dtype=False)
