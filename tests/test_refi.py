"""REFI-QDA exchange: export validates and is stable, round trip, other tools' samples, offset conventions."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from lxml import etree

from dialoog.cli import main
from dialoog.errors import DialoogError
from dialoog.exchange import refi, refi_export
from dialoog.exchange.offsets import Convention, SourceText, detect
from dialoog.ingest import refi as refi_import
from dialoog.study import transcripts
from dialoog.study.folder import Study, open_study

from .conftest import REPO

FIXTURES = Path(__file__).parent / "fixtures" / "refi"
ATLAS_PROJECT = FIXTURES / "skyloom_ATLAS.ti-8.4.0-mac_standard-project.qde"
ATLAS_CODEBOOK = FIXTURES / "requal-test_ATLAS.ti-Win-23.4.0_codebook.qdc"


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


# -- export ----------------------------------------------------------------------------------


def test_demo_export_validates_against_both_schemas(demo_copy, tmp_path):
    out, qdc = tmp_path / "demo.qdpx", tmp_path / "demo.qdc"
    assert main(["export-qdpx", str(out), "--study", str(demo_copy)]) == 0
    assert main(["export-qdc", str(qdc), "--study", str(demo_copy)]) == 0
    members = _members(out)
    project = etree.fromstring(members["project.qde"])
    assert refi.schema(refi.PROJECT_XSD).validate(project), refi.schema(refi.PROJECT_XSD).error_log
    assert refi.schema(refi.CODEBOOK_XSD).validate(etree.parse(str(qdc)))

    study = open_study(demo_copy)
    ns = {"q": refi.PROJECT_NS}
    assert len(project.findall(".//q:TextSource", ns)) == len(study.transcripts)
    assert len(project.findall(".//q:PlainTextSelection", ns)) == len(study.codings)
    assert len(project.findall(".//q:Note", ns)) == sum(1 for c in study.codings if c.memo)
    assert {u.get("name") for u in project.findall(".//q:User", ns)} == {"anouk", "bram"}
    # the hierarchy: subcodes are nested in their parent
    veiligheid = project.find(".//q:Code[@name='Veiligheid']", ns)
    assert {c.get("name") for c in veiligheid.findall("q:Code", ns)} >= {"Incidenten", "Melden en aangifte"}
    # every selection's positions are code points into the source text, which is the transcript body
    for source in project.findall(".//q:TextSource", ns):
        text = members["sources/" + source.get("plainTextPath").removeprefix("internal://")].decode("utf-8")
        assert text == study.transcripts[source.get("name")].body
        for sel in source.findall("q:PlainTextSelection", ns):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            assert " ".join(text[start:end].split())[:100] == sel.get("name")
    # respondent metadata as case variables
    case = project.find(".//q:Case[@name='schiedam-01']", ns)
    values = {
        project.find(f".//q:Variable[@guid='{v.find('q:VariableRef', ns).get('targetGUID')}']", ns).get("name"): v[
            1
        ].text
        for v in case.findall("q:VariableValue", ns)
    }
    assert values["gemeente"] == "Schiedam" and values["respondent"] == "lhbt-inwoner"
    assert values["datum"] == str(study.transcripts["schiedam-01"].meta["datum"])


def test_export_is_identical_twice_and_ids_are_stable(tiny_study, tmp_path):
    a, b = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    refi_export.export_qdpx(tiny_study.root, a)
    refi_export.export_qdpx(tiny_study.root, b)
    assert a.read_bytes() == b.read_bytes()
    ns = refi.study_namespace(tiny_study.root)
    assert refi.guid(ns, "code", "incidenten") in _members(a)["project.qde"].decode()


def test_export_only_pseudonymised_transcripts_with_consent(tiny_study, tmp_path):
    path = tiny_study.root / "interviews" / "schiedam" / "schiedam-02.md"
    path.write_text(path.read_text(encoding="utf-8").replace("pseudonymised: true", "pseudonymised: false"))
    s = refi_export.export_qdpx(tiny_study.root, tmp_path / "out.qdpx")
    assert (s.transcripts, s.left_out) == (1, 1)
    qde = _members(tmp_path / "out.qdpx")["project.qde"].decode()
    assert "schiedam-01" in qde and "schiedam-02" not in qde
    assert "training voor collega" not in "".join(m.decode() for m in _members(tmp_path / "out.qdpx").values())


def test_invalid_export_is_an_error_and_never_a_file(tiny_study, tmp_path, monkeypatch):
    out = tmp_path / "out.qdpx"
    out.write_bytes(b"earlier export")
    monkeypatch.setattr(refi_export, "_timestamp", lambda value: "not a date")
    with pytest.raises(DialoogError, match="does not validate against Project-mrt2019.xsd"):
        refi_export.export_qdpx(tiny_study.root, out)
    assert out.read_bytes() == b"earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["out.qdpx", "study"]


def test_schemas_ship_with_the_package():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["src/dialoog"]
    for name in (refi.PROJECT_XSD, refi.CODEBOOK_XSD):
        assert (REPO / "src" / "dialoog" / "data" / "refi" / name).is_file()
        assert refi.schema(name) is not None


# -- round trip ------------------------------------------------------------------------------


def test_round_trip_of_the_demo_study(demo_copy, tmp_path):
    out = tmp_path / "demo.qdpx"
    refi_export.export_qdpx(demo_copy, out)
    target = tmp_path / "empty"
    target.mkdir()
    code = main(["import-qdpx", str(out), "--consent", "--pseudonymised", "--study", str(target)])
    assert code == 0
    before, after = open_study(demo_copy), open_study(target)
    assert after.transcripts.keys() == before.transcripts.keys()
    for tid, t in before.transcripts.items():
        checked = {"checked"}  # the pseudonymisation check is recorded again in the receiving study
        assert {k: v for k, v in after.transcripts[tid].meta.items() if k not in checked} == {
            k: v for k, v in t.meta.items() if k not in checked
        }
        assert after.transcripts[tid].body == t.body
        assert after.transcripts[tid].path.read_bytes() == re.sub(rb"checked: sha256:\w+\n", b"", t.path.read_bytes())
    assert after.codebook.codes == before.codebook.codes
    assert [c.id for c in after.codebook.walk()] == [c.id for c in before.codebook.walk()]

    def rows(study: Study) -> list[list[str]]:
        return sorted(c.row() for c in study.codings)

    assert rows(after) == rows(before)
    for coder in ("anouk", "bram"):
        assert (target / "codings" / f"{coder}.csv").read_bytes() == (
            demo_copy / "codings" / f"{coder}.csv"
        ).read_bytes()

    # importing the same project again adds nothing and changes nothing
    snapshot = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert main(["import-qdpx", str(out), "--study", str(target)]) == 0
    assert {p: p.read_bytes() for p in target.rglob("*") if p.is_file()} == snapshot


def test_import_into_a_study_keeps_its_codebook_comments_and_codes(demo_copy, tmp_path):
    before = (demo_copy / "codebook" / "codebook.yaml").read_text(encoding="utf-8")
    assert main(["import-qdc", str(ATLAS_CODEBOOK), "--study", str(demo_copy)]) == 0
    after = (demo_copy / "codebook" / "codebook.yaml").read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # comments and layout kept, new code appended
    study = open_study(demo_copy)
    assert study.codebook["code1"].color == "#46AA00"
    assert study.codebook["code1"].description == "description"
    assert main(["import-qdc", str(ATLAS_CODEBOOK), "--study", str(demo_copy)]) == 0  # a second time: no change
    assert (demo_copy / "codebook" / "codebook.yaml").read_text(encoding="utf-8") == after


# -- other tools' files ----------------------------------------------------------------------


def test_atlas_ti_project_sample_imports(tmp_path, capsys):
    study = tmp_path / "study"
    (study / "interviews").mkdir(parents=True)
    code = main(["import-qdpx", str(ATLAS_PROJECT), "--gemeente", "Schiedam", "--study", str(study)])
    out, err = capsys.readouterr()
    assert code == 1  # its source texts are not in the sample: reported, not guessed
    assert err.count("its text is not in the file") == 6
    assert "2 PDFSource(s) not imported" in out and "16 set(s) not imported" in out
    cb = open_study(study, strict=False).codebook
    assert len(cb.codes) == 14
    assert cb["diet-coke"].parent == "coke" and cb["diet-coke"].label == "diet Coke"
    assert cb["cornflakes"].color == "#DC0000"
    assert cb["milk"].description == refi_import.NO_DESCRIPTION and cb["milk"].color == ""
    assert cb["rushed"].label == '"rushed"'


def test_atlas_ti_codebook_sample_imports_into_an_empty_study(tmp_path):
    study = tmp_path / "study"
    (study / "interviews").mkdir(parents=True)
    assert main(["import-qdc", str(ATLAS_CODEBOOK), "--study", str(study)]) == 0
    cb = open_study(study, strict=False).codebook
    assert list(cb.codes) == ["code1"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("#46AA00", "#46AA00"),
        ("#4a0", "#44AA00"),
        ("#FF46AA00", "#46AA00"),  # .NET ARGB
        ("#80FF0000", "#FF0000"),  # half transparent red, ARGB
        ("#46AA00FF", "#46AA00"),  # CSS RGBA
        ("rgb(70, 170, 0)", "#46AA00"),
        ("rgba(70,170,0,0.5)", "#46AA00"),
        ("70,170,0", "#46AA00"),
        ("4631040", "#46AA00"),
        ("blue-ish", None),
        ("", None),
        (None, None),
    ],
)
def test_colours_in_the_forms_tools_write(raw, expected):
    assert refi.parse_color(raw) == expected


def _codebook_xml(codes: str, ns: str = "urn:QDA-XML:codebook:1.0") -> bytes:
    return f'<?xml version="1.0"?><CodeBook xmlns="{ns}"><Codes>{codes}</Codes></CodeBook>'.encode()


def test_codebook_with_odd_colours_namespace_and_no_descriptions(tmp_path):
    study = tmp_path / "study"
    (study / "interviews").mkdir(parents=True)
    qdc = tmp_path / "x.qdc"
    qdc.write_bytes(
        _codebook_xml(
            '<Code guid="{11111111-2222-3333-4444-555555555555}" name="Wonen" isCodable="true" color="#FF336699">'
            '<Code guid="11111111-2222-3333-4444-555555555556" name="Buren" isCodable="true" color="rgb(1,2,3)"/>'
            '<Code guid="11111111-2222-3333-4444-555555555557" name="Wonen" isCodable="false" color="oops"/>'
            "</Code>",
            ns="urn:QDA-XML:codebook:0:4",
        )
    )
    plan = refi_import.plan_codebook(Study(study), qdc)
    assert any("namespace 'urn:QDA-XML:codebook:0:4'" in line for line in plan.info)
    plan.write()
    cb = open_study(study, strict=False).codebook
    assert [(c.id, c.parent, c.color) for c in cb.walk()] == [
        ("wonen", None, "#336699"),
        ("buren", "wonen", "#010203"),
        ("wonen-2", "wonen", ""),
    ]


# -- offsets ---------------------------------------------------------------------------------

TEXT = (
    "Interviewer: Hoe gaat het met je? 🏳️‍🌈\r\n"
    "Respondent: Goed 😀 echt. De wijkagent 👮🏽 hielp mij toen het misging.\r\n"
    "Interviewer: En de buren 𝒶𝓁𝓈𝑜?\r\n"
    "Respondent: Die groeten nu 😀😀 gewoon terug, ook de overburen.\r\n"
)
WORDS = ["wijkagent", "hielp mij toen", "buren", "groeten nu", "overburen", "Goed"]


def _offsets(text: str, word: str, unit: str, newline: str) -> tuple[int, int]:
    counted = text.replace("\r\n", "\n").replace("\n", newline)
    i = counted.index(word)

    def size(s: str) -> int:
        return len(s.encode("utf-16-le")) // 2 if unit == "utf16" else len(s)

    return size(counted[:i]), size(counted[: i + len(word)])


def _project(source: str, selections: list[tuple[int, int, str]]) -> str:
    sels = "".join(
        f'<PlainTextSelection guid="00000000-0000-0000-0000-{n:012d}" startPosition="{s}" endPosition="{e}"'
        f'{" name=" + quoteattr(name) if name else ""} creatingUser="AAAAAAAA-0000-0000-0000-000000000001">'
        f'<Coding guid="00000000-0000-0000-0001-{n:012d}"><CodeRef targetGUID="CCCCCCCC-0000-0000-0000-000000000001"/>'
        f"</Coding></PlainTextSelection>"
        for n, (s, e, name) in enumerate(selections, start=1)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="t">'
        '<Users><User guid="AAAAAAAA-0000-0000-0000-000000000001" name="Coder Een"/></Users>'
        '<CodeBook><Codes><Code guid="CCCCCCCC-0000-0000-0000-000000000001" name="Buurt" isCodable="true"/>'
        f"</Codes></CodeBook><Sources>{source.replace('SELECTIONS', sels)}</Sources></Project>"
    )


def _import(tmp_path: Path, project: str, files: dict[str, bytes]) -> tuple[refi_import.Plan, Study]:
    path = tmp_path / "in.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", project)
        for name, data in files.items():
            zf.writestr(name, data)
    root = tmp_path / "study"
    (root / "interviews").mkdir(parents=True, exist_ok=True)
    study = Study(root)
    plan = refi_import.plan_project(study, path, "Schiedam")
    plan.write()
    return plan, Study(root)


@pytest.mark.parametrize("unit", ["codepoint", "utf16"])
@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("folder", ["sources", "Sources"])
@pytest.mark.parametrize("named", [False, True])
def test_selections_land_on_the_right_words_in_a_file_source(tmp_path, unit, bom, folder, named):
    """A source file with CRLF line ends, emoji and other non-BMP characters, with or without a BOM."""
    data = ("\ufeff" if bom else "").encode("utf-8") + TEXT.encode("utf-8")
    selections = [(*_offsets(TEXT, w, unit, "\r\n"), w if named else "") for w in WORDS]
    source = '<TextSource guid="BBBBBBBB-0000-0000-0000-000000000001" name="Gesprek" plainTextPath="internal://b.txt">'
    plan, study = _import(tmp_path, _project(source + "SELECTIONS</TextSource>", selections), {f"{folder}/b.txt": data})
    assert plan.problems == []
    found = sorted((c.text for c in study.codings), key=WORDS.index)
    assert found == WORDS
    assert study.problems() == []  # every coding's text is at its offsets in the new transcript
    t = study.transcripts["schiedam-01"]
    assert [turn.speaker for turn in t.turns] == ["Interviewer", "Respondent", "Interviewer", "Respondent"]
    assert t.meta["consent"] is False and t.meta["pseudonymised"] is False
    assert {c.coder for c in study.codings} == {"coder-een"}


@pytest.mark.parametrize("unit", ["codepoint", "utf16"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_selections_land_on_the_right_words_in_inline_text(tmp_path, unit, newline):
    """PlainTextContent loses its CRs in XML; a tool may still have counted them."""
    selections = [(*_offsets(TEXT, w, unit, newline), "") for w in WORDS]
    source = (
        '<TextSource guid="BBBBBBBB-0000-0000-0000-000000000001" name="schiedam-07">'
        f"<PlainTextContent>{escape(TEXT)}</PlainTextContent>SELECTIONS</TextSource>"
    )
    plan, study = _import(tmp_path, _project(source, selections), {})
    assert plan.problems == []
    assert sorted((c.text for c in study.codings), key=WORDS.index) == WORDS
    assert list(study.transcripts) == ["schiedam-07"]  # a name in dialoog's id form is kept
    assert study.problems() == []


def test_detect_prefers_the_standard_and_sees_utf16():
    source = SourceText("Ja 😀 de wijkagent kwam.\nEn toen 😀 hielp het.")
    cp = [(source.text.index(w), source.text.index(w) + len(w), "") for w in ("wijkagent", "hielp")]
    assert detect(source, cp).convention == Convention()
    u16 = [(s + 1, e + 1, "") for s, e, _ in cp]  # one emoji before each: one extra UTF-16 unit
    u16[1] = (u16[1][0] + 2, u16[1][1] + 2, "")  # the line end does not matter; the second emoji does
    assert detect(source, u16).convention.unit == "utf16"


def test_a_selection_that_cannot_be_placed_is_reported_not_shifted(tmp_path):
    text = "Interviewer: Hoe is het?\nRespondent: Prima, dank je wel voor het vragen.\n"
    s = text.index("Prima")
    selections = [
        (s, s + len("Prima"), "Prima"),
        (s + 1, s + 6, "Prima"),  # the name says Prima, the positions say 'rima,'
        (500, 510, ""),  # past the end
        (0, len("Interviewer:"), ""),  # only a speaker label
    ]
    source = (
        '<TextSource guid="BBBBBBBB-0000-0000-0000-000000000001" name="x">'
        f"<PlainTextContent>{escape(text)}</PlainTextContent>SELECTIONS</TextSource>"
    )
    plan, study = _import(tmp_path, _project(source, selections), {})
    assert [c.text for c in study.codings] == ["Prima"]
    assert len(plan.problems) == 3
    assert "not the text the selection names" in plan.problems[0]
    assert "do not fall on the text" in plan.problems[1]
    assert "covers no text of a turn" in plan.problems[2]
    assert all("Prima" not in p and "vragen" not in p for p in plan.problems)  # no transcript text in reports


def test_a_selection_over_two_turns_is_split(tmp_path):
    text = "I: Waar woon je?\nR: In Groenoord, al jaren.\n"
    s, e = text.index("woon"), text.index(", al")
    source = (
        '<TextSource guid="BBBBBBBB-0000-0000-0000-000000000001" name="x">'
        f"<PlainTextContent>{escape(text)}</PlainTextContent>SELECTIONS</TextSource>"
    )
    plan, study = _import(tmp_path, _project(source, [(s, e, "")]), {})
    assert sorted(c.text for c in study.codings) == ["In Groenoord", "woon je?"]
    assert any("split into 2 codings" in line for line in plan.info)
    assert study.problems() == []


def test_memos_and_dates_come_along_and_a_missing_date_is_fine(tmp_path):
    text = "I: Waar woon je?\nR: In Groenoord, al jaren.\n"
    s = text.index("Groenoord")
    project = _project(
        '<TextSource guid="BBBBBBBB-0000-0000-0000-000000000001" name="x">'
        f"<PlainTextContent>{escape(text)}</PlainTextContent>SELECTIONS</TextSource>",
        [(s, s + 9, "")],
    ).replace(
        "</Sources>",
        '</Sources><Notes><Note guid="DDDDDDDD-0000-0000-0000-000000000001" name="m">'
        "<PlainTextContent>wijk genoemd</PlainTextContent></Note></Notes>",
    )
    project = project.replace(
        "</Coding></PlainTextSelection>",
        '<NoteRef targetGUID="DDDDDDDD-0000-0000-0000-000000000001"/></Coding></PlainTextSelection>',
    )
    plan, study = _import(tmp_path, project, {})
    [coding] = study.codings
    assert (coding.memo, coding.timestamp, coding.code) == ("wijk genoemd", "", "buurt")


def test_imported_transcripts_use_case_variables(tmp_path):
    """Variables on a case that refers to the source fill the front matter."""
    study_root = tmp_path / "src"
    (study_root / "codebook").mkdir(parents=True)
    (study_root / "codebook" / "codebook.yaml").write_text("codes:\n  - id: a\n    label: A\n    description: d\n")
    meta = {
        "id": "groningen-09",
        "gemeente": "Groningen",
        "wijk": None,
        "datum": dt.date(2026, 1, 5),
        "interviewer": "Onderzoeker 2",
        "respondent": "politie",
        "consent": True,
        "pseudonymised": True,
    }
    transcripts.save(study_root / "interviews" / "groningen" / "groningen-09.md", meta, [("R", "Tekst hier.")])
    out = tmp_path / "x.qdpx"
    refi_export.export_qdpx(study_root, out)
    target = tmp_path / "dst"
    (target / "interviews").mkdir(parents=True)
    plan = refi_import.plan_project(Study(target), out, None)  # no --gemeente needed: the variable says it
    plan.write()
    t = open_study(target, strict=False).transcripts["groningen-09"]
    assert {k: t.meta.get(k) for k in meta} == {**meta, "consent": False, "pseudonymised": False}


def test_every_refi_command_has_help_and_study_option(capsys):
    for command in ("export-qdpx", "export-qdc", "import-qdpx", "import-qdc"):
        with pytest.raises(SystemExit) as info:
            main([command, "--help"])
        assert info.value.code == 0
        assert "--study DIR" in capsys.readouterr().out


def test_not_a_refi_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"<Project")
    (tmp_path / "interviews").mkdir()
    assert main(["import-qdpx", str(bad), "--gemeente", "Schiedam", "--study", str(tmp_path)]) == 2
    assert "XML error at line" in capsys.readouterr().err
    assert main(["import-qdpx", str(ATLAS_CODEBOOK), "--study", str(tmp_path)]) == 2
    assert "import-qdc" in capsys.readouterr().err
