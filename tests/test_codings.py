from pathlib import Path

from dialoog.study import codings
from dialoog.study.folder import Study


def test_write_read_round_trip_is_sorted_and_stable(tiny_study):
    path = tiny_study.codings_path("anouk")
    rows = codings.read(path)
    codings.write(path, reversed(rows))
    again = codings.read(path)
    assert [c.row() for c in again] == [c.row() for c in rows]
    assert [c.sort_key() for c in again] == sorted(c.sort_key() for c in again)
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(codings.COLUMNS)


def test_text_with_commas_quotes_and_newline_in_memo_round_trips(tiny_study, tmp_path):
    t = tiny_study.transcripts["schiedam-01"]
    turn = t.turns[1]
    c = codings.make(t, turn.start, turn.end, "incidenten", "anouk", memo='zie "memo",\ntweede regel')
    path = tmp_path / "anouk.csv"
    codings.write(path, [c])
    (back,) = codings.read(path)
    assert back.text == turn.text and back.memo == c.memo and back.line == 2


def test_demo_study_is_valid_and_every_coding_matches_its_text(demo_copy):
    study = Study(demo_copy)
    assert study.problems() == []
    for c in study.codings:
        assert study.transcripts[c.transcript].body[c.start : c.end] == c.text


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_validation_names_file_line_and_key(tiny_study):
    path = tiny_study.codings_path("bram")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("incidenten", "bestaat-niet")
    fields = lines[2].split(",")
    fields[2] = "99999"
    lines[2] = ",".join(fields)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = Study(tiny_study.root).problems()
    found = {(p.line, p.key) for p in problems}
    assert (2, "code") in found and (3, "start/end") in found
    assert all(p.path == path for p in problems)


def test_editing_a_transcript_is_detected_without_leaking_its_text(tiny_study):
    t = tiny_study.transcripts["schiedam-01"]
    _edit(t.path, "riepen jongens me na", "riep een groep me na")
    problems = Study(tiny_study.root).problems()
    assert len(problems) == 2  # same segment, both coders
    for p in problems:
        assert p.key == "text" and "no longer matches transcript 'schiedam-01'" in str(p)
        assert "riep" not in str(p) and "bushalte" not in str(p)


def test_coder_column_must_match_file(tiny_study):
    path = tiny_study.codings_path("bram")
    _edit(path, ",bram,", ",anouk,")
    problems = Study(tiny_study.root).problems()
    assert [p.key for p in problems] == ["coder"] and problems[0].line == 2


def test_bad_header_is_reported_on_line_1(tiny_study):
    path = tiny_study.codings_path("anouk")
    _edit(path, "transcript,start", "transcript;start")
    (problem,) = Study(tiny_study.root).problems()
    assert problem.line == 1 and "unexpected header" in str(problem)
