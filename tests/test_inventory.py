"""The inventory registers: validation with file/line/key, the gap rules, suggestions, export, chapters."""

from __future__ import annotations

import textwrap
from pathlib import Path

import openpyxl
import pytest

from dialoog.assist.inventory import suggest
from dialoog.cli import main
from dialoog.errors import ValidationError
from dialoog.inventory import registers as inventory
from dialoog.report import inventory_chapters as inventory_report
from dialoog.study import analysis
from dialoog.study.folder import Study


def _span(study: Study, transcript: str, code: str) -> str:
    c = next(c for c in study.codings if c.transcript == transcript and c.code == code)
    return f"{c.transcript}:{c.start}-{c.end}"


def _write(study: Study, name: str, text: str) -> Path:
    path = study.root / "inventaris" / "schiedam" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _registers(study: Study) -> None:
    """A small inventory with known gaps (see test_gap_rules)."""
    need1 = _span(study, "schiedam-01", "vragen-behoeften")
    need2 = _span(study, "schiedam-02", "vragen-behoeften")
    works = _span(study, "schiedam-01", "wat-werkt")
    _write(
        study,
        "netwerk.yaml",
        f"""\
        organisaties:
          - {{id: coc, naam: COC, soort: coc, lhbt_netwerk: true}}
          - {{id: meldpunt, naam: Meldpunt discriminatie, soort: meldpunt, lhbt_netwerk: true}}
          - {{id: wijkteam, naam: Wijkteam, soort: wijkteam}}
          - {{id: wijkagent, naam: Wijkagent, soort: politie}}
          - {{id: corporatie, naam: Woningcorporatie, soort: woningcorporatie}}
        banden:
          - {{van: wijkteam, naar: coc, soort: doorverwijzing, fragmenten: [{works}]}}
          - {{van: wijkagent, naar: wijkteam, soort: samenwerking}}
        verwacht:
          - {{van: wijkteam, naar: coc, soort: doorverwijzing}}
          - {{van: corporatie, naar: meldpunt, soort: doorverwijzing}}
          - {{van: wijkagent, naar: coc, soort: kennisdeling}}
        """,
    )
    _write(
        study,
        "initiatieven.yaml",
        """\
        initiatieven:
          - id: voorlichting
            naam: Voorlichting op school
            organisatie: coc
            soort: voorlichting
            doelgroepen: [jongeren, trans]
            wijken: [Groenoord]
            status: lopend
          - id: training
            naam: Training professionals
            organisatie: coc
            soort: training-professionals
            doelgroepen: [professionals]
            wijken: [gemeente]
            status: gestopt
            tot: 2024
          - id: platform
            naam: LHBT-platform
            organisatie: wijkteam
            soort: inspraak
            doelgroepen: [lhbt]
            wijken: [gemeente]
            status: idee
        """,
    )
    _write(
        study,
        "behoeften.yaml",
        f"""\
        behoeften:
          - id: aanspreekpunt
            behoefte: Een vast aanspreekpunt
            doelgroepen: [lhbt]
            wijken: [gemeente]
            fragmenten: [{need1}]
            beantwoord_door: [platform]
          - id: training-collega
            behoefte: Training voor collega's
            doelgroepen: [professionals]
            wijken: [Groenoord]
            fragmenten: [{need2}]
            beantwoord_door: [training]
          - id: school
            behoefte: Voorlichting op school
            doelgroepen: [jongeren]
            wijken: [gemeente]
            beantwoord_door: [voorlichting]
          - id: ouderen
            behoefte: Ontmoeting voor ouderen
            doelgroepen: [ouderen]
            wijken: [Kethel]
        """,
    )


def test_gap_rules(tiny_study: Study):
    _registers(tiny_study)
    inv = inventory.load(tiny_study, tiny_study.gemeente("schiedam"))
    cov = inventory.need_coverage(inv).set_index("id")["dekking"].to_dict()
    assert cov == {
        "aanspreekpunt": "alleen idee",
        "training-collega": "alleen gestopt",
        "school": "beantwoord",
        "ouderen": "open",
    }
    assert [n.id for n in inventory.unanswered_needs(inv)] == ["aanspreekpunt", "training-collega", "ouderen"]
    assert [(i.id, n.id) for i, n in inventory.stopped_while_needed(inv)] == [("training", "training-collega")]
    groups = set(inventory.groups_without_initiative(inv))
    assert "jongeren" not in groups and "trans" not in groups
    assert {"ouderen", "professionals", "lesbisch", "intersekse"} <= groups  # stopped/idea ones do not count
    assert "lhbt" not in groups
    wijken = inventory.wijken_without_initiative(inv)
    assert "Groenoord" not in wijken and "Kethel" in wijken and len(wijken) == 11
    # wijkagent reaches the LHBT network only through the wijkteam; the corporation not at all
    assert [o.id for o in inventory.unconnected_organisations(inv)] == ["wijkagent", "corporatie"]
    assert [(t.van, t.naar) for t in inventory.missing_ties(inv)] == [("corporatie", "meldpunt"), ("wijkagent", "coc")]
    gaps = inventory.gaps_table(inv)
    assert gaps["lege plek"].value_counts()["verwachte band ontbreekt"] == 2


def test_a_tie_in_the_other_direction_counts(tiny_study: Study):
    _registers(tiny_study)
    path = tiny_study.root / "inventaris" / "schiedam" / "netwerk.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "banden:\n", "banden:\n  - {van: meldpunt, naar: corporatie, soort: doorverwijzing}\n"
    )
    path.write_text(text, encoding="utf-8")
    inv = inventory.load(tiny_study, tiny_study.gemeente("schiedam"))
    assert [(t.van, t.naar) for t in inventory.missing_ties(inv)] == [("wijkagent", "coc")]
    assert [o.id for o in inventory.unconnected_organisations(inv)] == ["wijkagent"]


def test_bad_rows_name_file_line_and_key_and_all_are_reported(tiny_study: Study):
    _registers(tiny_study)
    works = _span(tiny_study, "schiedam-01", "wat-werkt")
    path = _write(
        tiny_study,
        "initiatieven.yaml",
        """\
        initiatieven:
          - id: voorlichting
            naam: Voorlichting op school
            organisatie: coc
            soort: voorlichting
            doelgroepen: [jongeren, tieners]
            wijken: [Atlantis]
            status: lopend
            fragmenten: [schiedam-01:1-5, nergens-01:0-10]
          - id: platform
            naam: LHBT-platform
            organisatie: onbekend
            soort: feest
            doelgroepen: [lhbt]
            wijken: [gemeente]
            status: misschien
        """,
    )
    needs = _write(
        tiny_study,
        "behoeften.yaml",
        f"""\
        behoeften:
          - id: aanspreekpunt
            behoefte: Een vast aanspreekpunt
            doelgroepen: [lhbt]
            wijken: [gemeente]
            fragmenten: [{works}]
            beantwoord_door: [training]
        """,
    )
    with pytest.raises(ValidationError) as info:
        inventory.load(tiny_study, tiny_study.gemeente("schiedam"))
    found = {(p.path.name, p.line, p.key): p.detail for p in info.value.problems}
    assert found[("initiatieven.yaml", 6, "initiatieven[1].doelgroepen")] == "unknown doelgroep 'tieners'"
    assert "unknown wijk 'Atlantis'" in found[("initiatieven.yaml", 7, "initiatieven[1].wijken")]
    links = [p.detail for p in info.value.problems if p.key == "initiatieven[1].fragmenten" and p.line == 9]
    assert any("schiedam-01:1-5 is not a coded segment" in d for d in links)
    assert any("unknown transcript 'nergens-01'" in d for d in links)
    assert found[("initiatieven.yaml", 12, "initiatieven[2].organisatie")] == "unknown organisation 'onbekend'"
    assert found[("initiatieven.yaml", 13, "initiatieven[2].soort")] == "unknown soort 'feest'"
    assert found[("initiatieven.yaml", 16, "initiatieven[2].status")] == "unknown status 'misschien'"
    assert "is not coded 'vragen-behoeften'" in found[("behoeften.yaml", 6, "behoeften[1].fragmenten")]
    assert found[("behoeften.yaml", 7, "behoeften[1].beantwoord_door")] == "unknown initiative 'training'"
    assert len(info.value.problems) == 9
    message = str(info.value)
    assert str(path) in message and str(needs) in message and "hint: use one of:" in message


def test_syntax_errors_and_unknown_keys(tiny_study: Study):
    _registers(tiny_study)
    _write(tiny_study, "netwerk.yaml", "organisaties:\n  - id: coc\n    naam: [COC\n")
    _write(
        tiny_study,
        "behoeften.yaml",
        "behoeften:\n  - id: x\n    behoefte: iets\n    doelgroepen: [lhbt]\n    wijken: [gemeente]\n    kleur: rood\n",
    )
    with pytest.raises(ValidationError) as info:
        inventory.load(tiny_study, tiny_study.gemeente("schiedam"))
    keys = {(p.path.name, p.key) for p in info.value.problems}
    assert ("behoeften.yaml", "behoeften[1].kleur") in keys
    assert any(p.path.name == "netwerk.yaml" and "invalid YAML" in p.detail for p in info.value.problems)
    # the initiatives refer to organisations of the unreadable netwerk.yaml: reported, not dropped
    assert any(p.key == "initiatieven[1].organisatie" for p in info.value.problems)


def test_no_registers_is_an_empty_inventory(tiny_study: Study):
    inv = inventory.load(tiny_study, tiny_study.gemeente("schiedam"))
    assert not inv.exists and inv.initiatives == []
    written = inventory.init_folder(tiny_study, tiny_study.gemeente("schiedam"))
    assert [p.name for p in written] == list(inventory.FILES[:1]) + ["behoeften.yaml", "netwerk.yaml"]
    inv = inventory.load(tiny_study, tiny_study.gemeente("schiedam"))  # the templates are valid
    assert inv.exists and inv.needs == []


@pytest.fixture
def demo_inventory(demo_copy: Path) -> Path:
    assert (demo_copy / "inventaris").is_dir()  # demo_copy holds the registers
    return demo_copy


def test_demo_registers_are_valid_and_complete(demo_inventory: Path):
    study = Study(demo_inventory)
    for slug in ("schiedam", "groningen", "sudwest-fryslan"):
        inv = inventory.load(study, study.gemeente(slug))
        assert inv.exists and inv.initiatives and inv.needs and inv.organisations and inv.ties
        assert suggest(study, inv) == []  # every coded mention is in the registers or reviewed
        assert not inventory.gaps_table(inv).empty


def test_suggestions_for_missing_initiatives_and_organisations(demo_inventory: Path):
    folder = demo_inventory / "inventaris" / "sudwest-fryslan"
    text = (folder / "initiatieven.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: maatjesproject")
    end = text.index("  - id: roze-netwerkbordel")
    (folder / "initiatieven.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    needs = (folder / "behoeften.yaml").read_text(encoding="utf-8").replace("[maatjesproject]", "[]")
    (folder / "behoeften.yaml").write_text(needs, encoding="utf-8")
    net = (folder / "netwerk.yaml").read_text(encoding="utf-8")
    net = net.replace("    aliassen: [Tûmba]\n", "")
    (folder / "netwerk.yaml").write_text(net, encoding="utf-8")
    study = Study(demo_inventory)
    found = suggest(study, inventory.load(study, study.gemeente("sudwest-fryslan")))
    new_inits = {str(s.fragment) for s in found if s.kind == "nieuw-initiatief"}
    assert {"sudwest-fryslan-01:364-493", "sudwest-fryslan-01:6596-6741"} <= new_inits
    assert ("nieuwe-organisatie", "tûmba") in {(s.kind, s.term) for s in found}


def test_excel_export_and_cli(demo_inventory: Path, tmp_path: Path, capsys):
    out = tmp_path / "groningen.xlsx"
    assert main(["inventory", "--study", str(demo_inventory), "--gemeente", "groningen", "--excel", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Initiatieven", "Behoeften", "Organisaties", "Banden", "Lege plekken"]
    names = [row[1] for row in wb["Initiatieven"].iter_rows(min_row=2, values_only=True)]
    assert "Voorlichting 'Wie van de drie'" in names
    assert "Groningen: 10 initiatives" in capsys.readouterr().out


def test_chapters_render_on_the_demo(demo_inventory: Path):
    study = Study(demo_inventory)
    data = analysis.load(study, study.gemeente("groningen"))
    text = inventory_report.initiatieven(data)
    assert "Voorlichting &#x27;Wie van de drie&#x27;" in text or "Wie van de drie" in text
    assert text.count("<figure") == 2
    gaps = inventory_report.lege_plekken(data)
    assert "Picknick voor roze gezinnen" in gaps and gaps.count("<figure") == 1
    assert "Verwachte banden die ontbreken" in gaps
    assert "dekking" in inventory_report.behoeften_tabel(data)


def test_chapters_without_registers(tiny_study: Study):
    data = analysis.load(tiny_study, tiny_study.gemeente("schiedam"))
    assert "nog geen inventarisatie" in inventory_report.initiatieven(data)
    assert inventory_report.behoeften_tabel(data) == ""
