import pytest

from dialoog.cli import build_parser, main


@pytest.mark.parametrize("command", ["import", "validate", "list", "report"])
def test_every_command_has_help_and_study_option(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "--study DIR" in out


def test_validate_ok(tiny_study, capsys):
    assert main(["validate", "--study", str(tiny_study.root)]) == 0
    assert "ok: 2 transcripts, 5 codes, 9 codings by 2 coder(s)" in capsys.readouterr().out


def test_validate_lists_every_problem(tiny_study, capsys):
    path = tiny_study.codings_path("anouk")
    path.write_text(path.read_text(encoding="utf-8").replace("incidenten", "onbekend"), encoding="utf-8")
    cb = tiny_study.codebook_path
    cb.write_text(
        cb.read_text(encoding="utf-8") + "  - id: wat-werkt\n    label: X\n    description: y\n", encoding="utf-8"
    )
    assert main(["validate", "--study", str(tiny_study.root)]) == 2
    err = capsys.readouterr().err
    assert "duplicate code id 'wat-werkt'" in err


def test_validate_outside_a_study(tmp_path, capsys):
    assert main(["validate", "--study", str(tmp_path)]) == 2
    assert "not a dialoog study" in capsys.readouterr().err


def test_list_shows_no_transcript_text(tiny_study, capsys):
    assert main(["list", "--study", str(tiny_study.root)]) == 0
    out = capsys.readouterr().out
    assert "schiedam-01" in out and "lhbt-inwoner" in out and "bushalte" not in out


def test_parser_requires_a_command():
    with pytest.raises(SystemExit):
        build_parser().parse_args([])


def test_validate_checks_registers_and_monitor(demo_copy, capsys):
    assert main(["validate", "--study", str(demo_copy)]) == 0
    assert "inventaris/schiedam" in capsys.readouterr().out
    register = demo_copy / "inventaris" / "schiedam" / "initiatieven.yaml"
    text = register.read_text(encoding="utf-8")
    first_wijk = next(line for line in text.splitlines() if line.strip().startswith("wijken:"))
    register.write_text(text.replace(first_wijk, first_wijk.split(":")[0] + ": [Atlantis]", 1), encoding="utf-8")
    monitor = demo_copy / "monitor" / "monitor.csv"
    lines = monitor.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[2], "onbekende-indicator", 1)
    monitor.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["validate", "--study", str(demo_copy)]) == 2
    err = capsys.readouterr().err
    assert "initiatieven.yaml" in err and "Atlantis" in err
    assert "monitor.csv" in err and "onbekende-indicator" in err
