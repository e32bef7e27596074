from pathlib import Path

import pytest

from dialoog.errors import DialoogError, ValidationError
from dialoog.study import transcripts

GOOD = """\
---
id: schiedam-07
gemeente: Schiedam
wijk: Groenoord
datum: 2026-03-01
interviewer: Onderzoeker 1
respondent: politie
consent: true
pseudonymised: true
---

**Interviewer:** Eerste vraag?

**Respondent:** Eerste antwoord.
"""


def write(tmp_path: Path, text: str, name: str = "schiedam-07.md", folder: str = "schiedam") -> Path:
    path = tmp_path / "interviews" / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_load_turn_offsets_point_into_body(tmp_path):
    t = transcripts.load(write(tmp_path, GOOD))
    assert [(x.speaker, x.text) for x in t.turns] == [
        ("Interviewer", "Eerste vraag?"),
        ("Respondent", "Eerste antwoord."),
    ]
    for turn in t.turns:
        assert t.body[turn.start : turn.end] == turn.text
    assert t.meta["gemeente"] == "Schiedam" and t.role == "politie"


def test_render_then_load_round_trips(tmp_path):
    meta = {
        "id": "schiedam-09",
        "gemeente": "Schiedam",
        "wijk": None,
        "datum": None,
        "interviewer": None,
        "respondent": "vrijwilliger",
        "consent": False,
        "pseudonymised": False,
    }
    turns = [("Interviewer", "Vraag   met\nregeleinde"), ("Respondent 1", "Antwoord: met dubbele punt.")]
    path = transcripts.save(tmp_path / "interviews" / "schiedam" / "schiedam-09.md", meta, turns)
    t = transcripts.load(path)
    assert [(x.speaker, x.text) for x in t.turns] == [("Interviewer", "Vraag met regeleinde"), turns[1]]
    assert {k: t.meta[k] for k in meta} == meta


@pytest.mark.parametrize(
    ("text", "line", "key", "fragment"),
    [
        (GOOD.replace("---\nid", "id", 1), 1, None, "missing front matter"),
        (GOOD.replace("respondent: politie\n", ""), 2, "respondent", "missing required key"),
        (GOOD.replace("respondent: politie", "respondent: agent"), 7, "respondent", "unknown respondent role"),
        (GOOD.replace("wijk: Groenoord", "wijk: Vinkhuizen"), 4, "wijk", "not a CBS wijk of Schiedam"),
        (GOOD.replace("datum: 2026-03-01", "datum: 1 maart"), 5, "datum", "is not a date"),
        (GOOD.replace("id: schiedam-07", "id: schiedam-08"), 2, "id", "does not match the file name"),
        (GOOD.replace("gemeente: Schiedam", "gemeente: Vlaardingen"), 3, "gemeente", "does not match the folder"),
        (GOOD.replace("gemeente: Schiedam", "gemeente: Atlantis"), 3, "gemeente", "not a Dutch municipality"),
        (GOOD.replace("consent: true", "consent: ja"), 8, "consent", "must be true or false"),
        (GOOD.replace("consent: true", "consent: true\nrespondant: x"), 9, "respondant", "unknown key"),
        (GOOD.replace("**Respondent:** Eerste", "Respondent: Eerste"), 14, None, "a turn must be one line"),
        (GOOD.replace("datum: 2026-03-01", "datum: [2026"), 6, "datum", "invalid YAML"),
    ],
)
def test_invalid_transcripts_name_file_line_and_key(tmp_path, text, line, key, fragment):
    path = write(tmp_path, text)
    with pytest.raises(DialoogError) as info:
        transcripts.load(path)
    err = info.value
    assert fragment in str(err)
    assert err.path == path and err.line == line and err.key == key
    assert str(path) in str(err)


def test_several_problems_are_reported_together(tmp_path):
    text = GOOD.replace("respondent: politie", "respondent: agent").replace("consent: true", "consent: ja")
    with pytest.raises(ValidationError) as info:
        transcripts.load(write(tmp_path, text))
    assert {p.key for p in info.value.problems} == {"respondent", "consent"}


def test_wijk_accepts_cbs_name_with_prefix_and_other_case(tmp_path):
    t = transcripts.load(write(tmp_path, GOOD.replace("wijk: Groenoord", "wijk: wijk 07 groenoord")))
    assert t.wijk == "Groenoord"


def test_study_problems_without_reloading_the_transcripts_are_the_same(tmp_path):
    from dialoog.study.folder import Study

    write(tmp_path, GOOD.replace("respondent: politie", "respondent: agent"))
    study = Study(tmp_path)
    first = [(p.path, p.key) for p in study.problems()]
    loaded = study.transcripts
    again = [(p.path, p.key) for p in study.problems(reload=False)]
    assert study.transcripts is loaded  # not read again
    assert sorted(map(str, again)) == sorted(map(str, first)) and ("respondent" in {k for _, k in first})
