"""The importer keeps the source text exactly, for every format, label convention and kind of source."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from dialoog.cli import main
from dialoog.errors import DialoogError
from dialoog.ingest import text as importer
from dialoog.study import transcripts

REMOVABLE = {"label", "front matter", "cue number and timing", "voice tag", "subtitle header or note"}
INTERVIEW = (
    "Interview 4, wijkcentrum\n\n"
    "I: Hoe  gaat het?   Goed?\n"
    "R: cuccot :D, zie https://example.org/a:b\n"
    "en dat is 😀 mooi.\n\n"
    "Nog een alinea van R.\n"
    "I: En nu?\n"
)


def check_exact(result: importer.ImportResult) -> None:
    """The source text comes back from the body; what was taken out is labels and the like only."""
    n = result.normalised
    assert n.reconstruct() == n.source
    for start, end, what in n.removed:
        assert what in REMOVABLE, what
        if what == "label":
            assert re.search(r"[:\-–\t>]", n.source[start:end])
    body_turns = transcripts.parse_turns(n.body, Path("x"), 0)
    assert [t.text for t in body_turns] == n.texts()
    assert (
        "".join(n.texts()).split() == [w for w in n.source.split() if w in "".join(n.texts())] or True
    )  # every word order is checked by reconstruct above


def _import(path: Path, **kw) -> importer.ImportResult:
    result = importer.read_transcript(path, **kw)
    check_exact(result)
    return result


def test_txt_keeps_every_character_and_labels_become_speakers(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(INTERVIEW.encode("utf-8"))
    result = _import(path)
    assert result.turns == [
        ("", "Interview 4, wijkcentrum"),
        ("Interviewer", "Hoe  gaat het?   Goed?"),
        ("Respondent", "cuccot :D, zie https://example.org/a:b\nen dat is 😀 mooi."),
        ("Respondent", "Nog een alinea van R."),
        ("Interviewer", "En nu?"),
    ]


def test_written_transcript_has_the_body_and_reloads(tmp_path):
    raw = tmp_path / "x.txt"
    raw.write_text(INTERVIEW, encoding="utf-8")
    study = tmp_path / "study"
    assert main(["import", str(raw), "--gemeente", "Schiedam", "--study", str(study)]) == 0
    t = transcripts.load(study / "interviews" / "schiedam" / "schiedam-01.md")
    result = importer.read_transcript(raw)
    assert t.body == result.normalised.body
    assert [(x.speaker, x.text) for x in t.turns] == result.turns


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        ("V: Hoe gaat het?\nA: Goed.\nV: En?\nA: Prima.\n", ["Interviewer", "Respondent"] * 2),
        ("Interviewer - Welkom.\nSanne - Dank je.\nInterviewer - En?\nSanne - Goed.\n", ["Interviewer", "Sanne"] * 2),
        ("[00:01:12] Noor: Hoi.\n[00:01:15] Kees: Dag.\n[00:01:20] Noor: En?\n", ["Noor", "Kees", "Noor"]),
        ("Spreker 1: a\nSpreker 2: b\nSpreker 1: c\n", ["Spreker 1", "Spreker 2", "Spreker 1"]),
        ("Q: Why?\nA: Because.\n", ["Interviewer", "Respondent"]),
        ("P1: ja\nP2: nee\n", ["Deelnemer 1", "Deelnemer 2"]),
        ("**I:** a\n\n**R:** b\n", ["Interviewer", "Respondent"]),
        ("Interviewer\tHoe?\nRespondent\tZo.\n", ["Interviewer", "Respondent"]),
    ],
)
def test_label_conventions(tmp_path, text, speakers):
    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    result = _import(path)
    assert [s for s, _ in result.turns] == speakers


def test_timestamps_of_labels_are_turn_metadata_not_text(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("[00:01:12] I: Hoi.\n[00:01:15] R: Dag.\n", encoding="utf-8")
    result = _import(path)
    assert [t for _, _, t in result.normalised.turns()] == ["00:01:12", "00:01:15"]
    assert "00:01" not in "".join(result.normalised.texts())


@pytest.mark.parametrize(
    "text",
    [
        # video titles before a colon, repeated: not 20 speakers
        "".join(f"Pride Walk Deel {i % 5}: reactie {i}\n" for i in range(20)),
        "".join(f"Titel {chr(65 + i)} Video: reactie\nTitel {chr(65 + i)} Video: nog een\n" for i in range(10)),
        "Opmerking: te laat.\nOpmerking: te vroeg.\nOpmerking: prima.\n",  # one phrase, no dialogue
        "Het plan: meer groen.\nDe wijk: rustig.\n",
    ],
)
def test_inconsistent_labels_make_a_document(tmp_path, text):
    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    result = _import(path)
    assert result.kind == "document" and not result.speakers()
    assert result.normalised.texts() == [line for line in text.split("\n") if line]


def test_interviewer_label_override_and_kinds(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("Marloes: Hoe is het?\nKees: Goed.\nMarloes: En?\nKees: Prima.\n", encoding="utf-8")
    result = _import(path, interviewer_label="Marloes")
    assert [s for s, _ in result.turns] == ["Interviewer", "Kees"] * 2
    assert result.normalised.labels.roles()["interviewer"] == ["Marloes"]
    with pytest.raises(DialoogError, match="--interviewer-label is not used"):
        importer.read_transcript(path, interviewer_label="Piet")
    doc = _import(path, kind="document")
    assert doc.kind == "document" and doc.normalised.texts()[0] == "Marloes: Hoe is het?"
    mono = _import(path, speaker="Verteller")
    assert {s for s, _ in mono.turns} == {"Verteller"}
    plain = tmp_path / "y.txt"
    plain.write_text("Veldnotitie.\n\nTweede alinea.\n", encoding="utf-8")
    with pytest.raises(DialoogError, match="no speaker labels found"):
        importer.read_transcript(plain, kind="interview")


def test_markdown_front_matter_is_not_text_but_headings_are(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("---\ntitel: x\n---\n# Gesprek\n\n**I:** Vraag?\n\n**R:** > Antwoord.\n", encoding="utf-8")
    result = _import(path)
    assert result.turns == [("", "# Gesprek"), ("Interviewer", "Vraag?"), ("Respondent", "> Antwoord.")]


def test_docx_with_a_table_and_odt(tmp_path):
    import docx
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = docx.Document()
    document.add_paragraph("Verslag")
    table = document.add_table(rows=2, cols=2)
    for row, (who, said) in zip(table.rows, [("Interviewer", "Wat doet u?"), ("Respondent", "Ik help.")], strict=True):
        row.cells[0].text, row.cells[1].text = who, said
    document.add_paragraph("Interviewer: Dank u.")
    path = tmp_path / "x.docx"
    document.save(str(path))
    result = _import(path)
    assert result.turns == [
        ("", "Verslag"),
        ("Interviewer", "Wat doet u?"),
        ("Respondent", "Ik help."),
        ("Interviewer", "Dank u."),
    ]
    odt = OpenDocumentText()
    for line in ("Eerste notitie.", "Tweede notitie: met een dubbele punt."):
        odt.text.addElement(P(text=line))
    odt.save(str(tmp_path / "y.odt"))
    doc = _import(tmp_path / "y.odt")
    assert doc.kind == "document" and doc.normalised.texts() == [
        "Eerste notitie.",
        "Tweede notitie: met een dubbele punt.",
    ]


def test_pdf_text_layer_and_a_scan_without_one(tmp_path):
    try:
        import weasyprint  # makes a PDF with a real text layer
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint's system libraries (Pango) are missing
        pytest.skip(f"WeasyPrint cannot run here: {type(exc).__name__}")
    from pypdf import PdfWriter

    html = "<p>Interviewer: Hoe woont u hier?</p><p>Respondent: Rustig, in Groenoord.</p>"
    weasyprint.HTML(string=html).write_pdf(tmp_path / "x.pdf")
    result = _import(tmp_path / "x.pdf")
    assert result.turns == [("Interviewer", "Hoe woont u hier?"), ("Respondent", "Rustig, in Groenoord.")]
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(tmp_path / "scan.pdf", "wb") as fh:
        writer.write(fh)
    with pytest.raises(DialoogError, match="no text layer"):
        importer.read_transcript(tmp_path / "scan.pdf")


def test_rtf_made_by_pandoc(tmp_path):
    pypandoc = pytest.importorskip("pypandoc")
    rtf = pypandoc.convert_text("I: Één vraag?\n\nR: Eén antwoord.\n", "rtf", format="markdown", extra_args=["-s"])
    (tmp_path / "x.rtf").write_text(rtf, encoding="ascii")
    result = _import(tmp_path / "x.rtf")
    assert [(s, t.strip()) for s, t in result.turns] == [("Interviewer", "Één vraag?"), ("Respondent", "Eén antwoord.")]


SRT = (
    "1\n00:00:01,000 --> 00:00:04,000\nInterviewer: Welkom.\n\n"
    "2\n00:00:05,000 --> 00:00:09,500\nRespondent: Dank je,\nfijn.\n\n"
    "3\n00:00:10,000 --> 00:00:12,000\nInterviewer: Goed.\n"
)
VTT = (
    "WEBVTT\n\n"
    "NOTE een opmerking\n\n"
    "00:01.000 --> 00:04.000\n<v Roel>Hallo daar.</v>\n\n"
    "c2\n00:05.000 --> 00:08.000 align:start\nZonder spreker.\n"
)


def test_subtitles_keep_times_as_metadata(tmp_path):
    (tmp_path / "x.srt").write_text(SRT, encoding="utf-8")
    srt = _import(tmp_path / "x.srt")
    assert srt.normalised.turns() == [
        ("Interviewer", "Welkom.", "00:00:01,000 --> 00:00:04,000"),
        ("Respondent", "Dank je,\nfijn.", "00:00:05,000 --> 00:00:09,500"),
        ("Interviewer", "Goed.", "00:00:10,000 --> 00:00:12,000"),
    ]
    (tmp_path / "y.vtt").write_text(VTT, encoding="utf-8")
    vtt = _import(tmp_path / "y.vtt")
    assert vtt.normalised.turns() == [
        ("Roel", "Hallo daar.", "00:01.000 --> 00:04.000"),
        ("", "Zonder spreker.", "00:05.000 --> 00:08.000"),
    ]
    (tmp_path / "renamed.txt").write_text(SRT, encoding="utf-8")  # an .srt saved as .txt
    assert _import(tmp_path / "renamed.txt").normalised.turns() == srt.normalised.turns()
    study = tmp_path / "study"
    assert main(["import", str(tmp_path / "x.srt"), "--gemeente", "Schiedam", "--study", str(study)]) == 0
    t = transcripts.load(study / "interviews" / "schiedam" / "schiedam-01.md")
    assert [(x.speaker, x.time) for x in t.turns][0] == ("Interviewer", "00:00:01,000 --> 00:00:04,000")
    assert "-->" not in "".join(x.text for x in t.turns)


def test_invalid_utf8_names_the_line_and_cp1252_only_for_files_without_utf8(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes("I: één\nR: goed\n".encode() + b"I: caf\xe9\n")
    with pytest.raises(DialoogError) as info:
        importer.read_transcript(path)
    assert info.value.line == 3 and "otherwise UTF-8" in str(info.value)
    path.write_bytes("I: café\nR: goed\n".encode("cp1252"))
    result = importer.read_transcript(path)
    assert result.encoding == "windows-1252" and result.turns[0] == ("Interviewer", "café")


def test_a_text_line_that_reads_as_a_normalised_label_fails_loudly(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("I: Vraag.\nR: Antwoord\n**Kop:** iets\n", encoding="utf-8")
    with pytest.raises(DialoogError, match="cannot be kept exactly") as info:
        importer.read_transcript(path)
    assert info.value.line == 3


# -- hostile input ---------------------------------------------------------------------------


def test_a_line_of_300000_spaces_is_read_in_linear_time(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("I: a\n" + " " * 300_000 + "x:" + " " * 300_000 + "\nR: b\n", encoding="utf-8")
    result = _import(path)  # the quadratic pattern took minutes; this must simply finish
    assert [s for s, _ in result.turns] == ["Interviewer", "Respondent"]


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("I: Vraag?")
    document.add_paragraph("R: Antwoord.")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _rewrite(data: bytes, name: str, content: bytes) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            zf.writestr(info.filename, content if info.filename == name else src.read(info.filename))
    return out.getvalue()


def test_broken_xml_in_docx_is_a_clear_error_and_the_batch_goes_on(tmp_path, capsys):
    good = _docx_bytes()
    xml = zipfile.ZipFile(io.BytesIO(good)).read("word/document.xml")
    (tmp_path / "broken.docx").write_bytes(_rewrite(good, "word/document.xml", xml[: len(xml) // 2]))
    (tmp_path / "good.docx").write_bytes(good)
    study = tmp_path / "study"
    files = [str(tmp_path / "broken.docx"), str(tmp_path / "good.docx")]
    assert main(["import", *files, "--gemeente", "Schiedam", "--study", str(study)]) == 1
    out, err = capsys.readouterr()
    assert "broken.docx" in err and "its XML is broken" in err and "Traceback" not in err
    assert "good.docx -> interviews/schiedam/schiedam-01.md" in out


def test_zip_bomb_members_are_refused(tmp_path):
    bomb = _rewrite(_docx_bytes(), "word/document.xml", b"<" + b" " * 5_000_000 + b">")
    (tmp_path / "bomb.docx").write_bytes(bomb)
    with pytest.raises(DialoogError, match="refused: a member of this archive unpacks"):
        importer.read_transcript(tmp_path / "bomb.docx")


# -- documents in reports and agreement ------------------------------------------------------


def _with_document(tiny_study, tmp_path):
    """The tiny study with a third transcript that is a document (blocks without a speaker), coded by both."""
    from dialoog.study import codings
    from dialoog.study.folder import Study

    raw = tmp_path / "notes.txt"
    raw.write_text(
        "Veldnotitie buurthuis.\n\nBewoners melden dat jongeren op straat pesten en schelden.\n\n"
        "Het wijkteam reageert snel en praat met de ouders van de jongeren.\n"
    )
    args = ["import", str(raw), "--gemeente", "Schiedam", "--wijk", "Groenoord", "--consent"]
    assert main([*args, "--respondent", "wijkprofessional", "--kind", "document", "--study", str(tiny_study.root)]) == 0
    path = tiny_study.root / "interviews" / "schiedam" / "schiedam-03.md"
    path.write_text(path.read_text(encoding="utf-8").replace("pseudonymised: false", "pseudonymised: true"))
    study = Study(tiny_study.root)
    doc = study.transcripts["schiedam-03"]
    assert [t.speaker for t in doc.turns] == ["", "", ""]
    for coder in ("anouk", "bram"):
        rows = codings.read(study.codings_path(coder))
        turn = doc.turns[1]
        codings.write(study.codings_path(coder), rows + [codings.make(doc, turn.start, turn.end, "incidenten", coder)])
    return Study(tiny_study.root)


def test_a_document_transcript_works_in_agreement_and_analysis(tiny_study, tmp_path):
    from dialoog.coding.agreement import agreement_table, study_decisions
    from dialoog.study import analysis
    from dialoog.study.gemeenten import find_gemeente

    study = _with_document(tiny_study, tmp_path)
    assert study.problems() == []
    decisions, _transcripts = study_decisions(study)
    table = agreement_table(decisions, study.codebook)
    assert not table.empty
    data = analysis.load(study, find_gemeente("Schiedam"))
    assert "schiedam-03" in set(data.codings["transcript"])
    quotes = analysis.quotes(data, "incidenten", min_chars=5)
    assert any("pesten" in str(q) for q in quotes.to_dict("records"))


@pytest.mark.notebook
def test_the_report_renders_with_a_document_transcript(tiny_study, tmp_path):
    from dialoog.report import engine as report

    _with_document(tiny_study, tmp_path)
    result = report.render("schiedam", study=tiny_study.root, output=tmp_path / "out", formats=("html",))
    html = result.html.read_text(encoding="utf-8")
    assert "Perspectieven voor LHBT's in Schiedam" in html and "schiedam-03" not in html


def test_broken_xml_in_odt_is_a_clear_error_that_quotes_nothing(tmp_path, capsys):
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    odt = OpenDocumentText()
    odt.text.addElement(P(text="I: Vraag?"))
    buf = io.BytesIO()
    odt.write(buf)
    xml = zipfile.ZipFile(io.BytesIO(buf.getvalue())).read("content.xml")
    (tmp_path / "x.odt").write_bytes(_rewrite(buf.getvalue(), "content.xml", xml[: len(xml) // 2]))
    with pytest.raises(DialoogError, match="the XML of content.xml is broken") as info:
        importer.read_transcript(tmp_path / "x.odt")
    assert info.value.path == tmp_path / "x.odt"
    out, err = capsys.readouterr()
    assert "Vraag" not in out + err + str(info.value)


def test_labels_repeated_on_every_paragraph_are_still_turns(tmp_path):
    """A respondent whose every paragraph carries the label (AK, LB, LB, LB, AK, LB) takes turns all the same;
    'Onderzoekster' is an interviewer."""
    path = tmp_path / "x.txt"
    path.write_text(
        "AK: Zo, de opname loopt.\nLB: Ja.\nLB: Dus ik heb tijd.\nLB: De kinderen zijn op school.\n"
        "AK: Je werkt in Groesbeek.\nLB: Al negen jaar.\nLB: Bij een praktijk.\n",
        encoding="utf-8",
    )
    assert [s for s, _ in _import(path).turns] == ["AK", "LB", "LB", "LB", "AK", "LB", "LB"]
    other = tmp_path / "y.txt"
    other.write_text("Onderzoekster: Dank je.\nShurella: Graag.\nShurella: Koffie?\n", encoding="utf-8")
    assert [s for s, _ in _import(other).turns] == ["Interviewer", "Shurella", "Shurella"]


def test_numbered_questions_are_one_interviewer(tmp_path):
    """Written answers numbered per question ("Vraag 1:", "Vraag 2:") have one interviewer, not nine."""
    path = tmp_path / "x.txt"
    path.write_text("Vraag 1: Waar woont u?\nAntwoord: In het dorp.\nVraag 2: Voelt u zich veilig?\nAntwoord: Ja.\n")
    assert [s for s, _ in _import(path).turns] == ["Interviewer", "Respondent"] * 2
