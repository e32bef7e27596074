from pathlib import Path

import pytest

from dialoog.cli import main
from dialoog.errors import DialoogError
from dialoog.ingest import text as importer
from dialoog.study import transcripts

STYLES = {
    "long": (
        "Interviewer: Hoe gaat het?\nRespondent: Goed, dank je.\nInterviewer: Mooi.\n",
        ["Interviewer", "Respondent", "Interviewer"],
    ),
    "short": ("I: Hoe gaat het?\nR: Goed, dank je.\n", ["Interviewer", "Respondent"]),
    "numbered": ("I: Jullie allebei?\nR1: Ja.\nR2: Nee, ik niet.\n", ["Interviewer", "Respondent 1", "Respondent 2"]),
    "abbreviated": ("Int.: Hoe gaat het?\nResp.: Goed.\n", ["Interviewer", "Respondent"]),
    "name-with-organisation": (
        "Interviewer: Wat doet u?\nMarloes (COC): Voorlichting op scholen.\n"
        "Interviewer: En verder?\nMarloes (COC): Een ontmoetingsavond.\n",
        ["Interviewer", "Marloes (COC)", "Interviewer", "Marloes (COC)"],
    ),
    "timestamps": (
        "[00:00:05] Interviewer: Welkom.\n[00:12:31] Respondent: Dank je.\n00:13:02 I: Verder?\n",
        ["Interviewer", "Respondent", "Interviewer"],
    ),
    "bold-markdown": ("**Interviewer:** Welkom.\n\n**Respondent:** Dank je.\n", ["Interviewer", "Respondent"]),
}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_label_styles(tmp_path, style):
    text, speakers = STYLES[style]
    path = tmp_path / "raw.txt"
    path.write_text(text, encoding="utf-8")
    result = importer.read_transcript(path)
    assert [s for s, _ in result.turns] == speakers


def test_continuation_lines_join_the_turn_and_the_preamble_is_kept(tmp_path):
    path = tmp_path / "raw.txt"
    path.write_text(
        "Gesprek 3\n\nI: Vertel eens.\nR: Nou, het begon zo.\nDaarna werd het erger:\nveel erger.\n", encoding="utf-8"
    )
    result = importer.read_transcript(path)
    assert result.turns == [
        ("", "Gesprek 3"),
        ("Interviewer", "Vertel eens."),
        ("Respondent", "Nou, het begon zo.\nDaarna werd het erger:\nveel erger."),
    ]
    assert result.preamble() == 1 and result.kind == "interview"


def test_a_colon_in_a_sentence_is_not_a_speaker(tmp_path):
    path = tmp_path / "raw.txt"
    path.write_text("I: Vraag.\nR: Antwoord.\nWat ik wil zeggen: het is goed.\nI: Dank.\n", encoding="utf-8")
    result = importer.read_transcript(path)
    assert result.turns[1] == ("Respondent", "Antwoord.\nWat ik wil zeggen: het is goed.")


@pytest.mark.parametrize(
    ("encoding", "prefix", "detected"),
    [("utf-8", b"", "utf-8"), ("utf-8", b"\xef\xbb\xbf", "utf-8"), ("cp1252", b"", "windows-1252")],
)
def test_encodings(tmp_path, encoding, prefix, detected):
    text = (
        "Interviewer: Hoe was de coming-out dag in Súdwest-Fryslân?\r\n"
        "Respondent: Geweldig – echt “top”, één keer per jaar.\r\n"
    )
    path = tmp_path / "raw.txt"
    path.write_bytes(prefix + text.encode(encoding))
    result = importer.read_transcript(path)
    assert result.encoding == detected
    assert result.turns[1] == ("Respondent", "Geweldig – echt “top”, één keer per jaar.")
    assert "Súdwest-Fryslân" in result.turns[0][1]


def test_docx(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Interview wijkteam", level=1)
    document.add_paragraph("I: Wat doet het wijkteam?")
    document.add_paragraph("R: We ondersteunen bewoners.")
    path = tmp_path / "raw.docx"
    document.save(str(path))
    result = importer.read_transcript(path)
    assert result.turns == [
        ("", "Interview wijkteam"),
        ("Interviewer", "Wat doet het wijkteam?"),
        ("Respondent", "We ondersteunen bewoners."),
    ]
    assert result.preamble() == 1


def test_odt(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Interview politie"))
    document.text.addElement(P(text="Interviewer: Hoe vaak wordt er gemeld?"))
    document.text.addElement(P(text="Respondent: Te weinig."))
    path = tmp_path / "raw.odt"
    document.save(str(path))
    result = importer.read_transcript(path)
    assert result.turns[1:] == [("Interviewer", "Hoe vaak wordt er gemeld?"), ("Respondent", "Te weinig.")]
    assert result.turns[0] == ("", "Interview politie")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("raw.doc", b"\xd0\xcf\x11\xe0", "unsupported file type '.doc'"),
        ("raw.pdf", b"%PDF-1.4 broken", "cannot read this PDF"),
        ("raw.txt", b"\x00\x01\x02binary", "not a text file"),
        ("raw.txt", b"", "the file has no text"),
        ("raw.rtf", b"plain text", "not an RTF file"),
        ("raw.srt", b"1\nHallo\n", "without a timing line"),
        ("raw.docx", b"not a zip file", "cannot read this Word file"),
        ("raw.odt", b"not a zip file", "cannot read this OpenDocument file"),
    ],
)
def test_unreadable_files_give_a_reason(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DialoogError, match=message) as info:
        importer.read_transcript(path)
    assert info.value.path == path


def test_cli_import_writes_normalised_transcripts_and_skips_bad_files(tmp_path, capsys):
    study = tmp_path / "study"
    good = tmp_path / "gesprek.txt"
    good.write_text(
        "I: Hoe woont u hier?\nMarloes (COC): Prima.\nI: En verder?\nMarloes (COC): Rustig.\n", encoding="utf-8"
    )
    bad = tmp_path / "leeg.txt"
    bad.write_text(" \n\n", encoding="utf-8")
    code = main(
        [
            "import",
            str(good),
            str(bad),
            "--gemeente",
            "sudwest-fryslan",
            "--wijk",
            "Sneek",
            "--respondent",
            "vrijwilliger",
            "--datum",
            "2026-05-01",
            "--consent",
            "--study",
            str(study),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 1
    target = study / "interviews" / "sudwest-fryslan" / "sudwest-fryslan-01.md"
    t = transcripts.load(target)
    assert t.meta["gemeente"] == "Súdwest-Fryslân" and t.wijk == "Sneek" and t.role == "vrijwilliger"
    assert t.meta["consent"] is True and t.meta["pseudonymised"] is False
    assert [x.speaker for x in t.turns] == ["Interviewer", "Marloes (COC)"] * 2
    assert "4 turns" in out and "M… (COC) (2)" in out and "Marloes" not in out
    assert "detected: interview; labels: interviewer 'I'; other 'M… (COC)'" in out
    assert "leeg.txt" in err and "the file has no text" in err and "nothing written" in err
    assert sorted(p.name for p in target.parent.iterdir()) == ["sudwest-fryslan-01.md"]

    # the same text again is refused with the id it has; --allow-duplicate imports it under the next id
    assert main(["import", str(good), "--gemeente", "Súdwest-Fryslân", "--study", str(study)]) == 1
    assert "the study has this text already, as 'sudwest-fryslan-01'" in capsys.readouterr().err
    args = ["import", str(good), "--gemeente", "Súdwest-Fryslân", "--allow-duplicate", "--study", str(study)]
    assert main(args) == 0
    assert (target.parent / "sudwest-fryslan-02.md").is_file()


def test_cli_import_rejects_unknown_gemeente_with_suggestion(tmp_path, capsys):
    raw = tmp_path / "x.txt"
    raw.write_text("I: a\nR: b\n", encoding="utf-8")
    assert main(["import", str(raw), "--gemeente", "Schiedamm", "--study", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "'Schiedamm' is not a Dutch municipality" in err and "did you mean: Schiedam?" in err
    assert not (tmp_path / "interviews").exists()


def test_cli_import_rejects_unknown_wijk(tmp_path, capsys):
    raw = tmp_path / "x.txt"
    raw.write_text("I: a\nR: b\n", encoding="utf-8")
    assert main(["import", str(raw), "--gemeente", "Groningen", "--wijk", "Nieuwland", "--study", str(tmp_path)]) == 1
    assert "'Nieuwland' is not a CBS wijk of Groningen" in capsys.readouterr().err


def test_mask_label():
    assert importer.mask_label("Respondent 2") == "Respondent 2"
    assert importer.mask_label("Jan de Vries") == "J…"
    assert importer.mask_label("Marloes (COC)") == "M… (COC)"


def test_raw_file_is_not_changed(tmp_path):
    raw = tmp_path / "x.txt"
    raw.write_bytes(b"I: a\r\nR: b\r\n")
    before = raw.read_bytes()
    importer.read_transcript(Path(raw))
    assert raw.read_bytes() == before
