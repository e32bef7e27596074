"""The interactive coder, driven through its widgets' Python API; the codings file is checked after each action."""

from __future__ import annotations

import threading

import pytest

from dialoog.assist import nlp
from dialoog.coding.session import CodingSession, read_code_memos
from dialoog.coding.widget import Coder
from dialoog.study import codings as codings_mod
from dialoog.study.codebook import load as load_codebook
from dialoog.study.folder import Study


def rows(study: Study, coder: str) -> list[tuple]:
    path = study.codings_path(coder)
    return [(c.transcript, c.start, c.end, c.code, c.memo) for c in codings_mod.read(path)] if path.is_file() else []


def open_coder(study: Study, name: str = "carla") -> Coder:
    ui = Coder(study.root)
    ui.coder.value = name
    assert ui.session is not None and ui.session.coder == name
    return ui


def test_code_a_transcript_turn_sentence_range_text_memo_remove_undo(tiny_study):
    ui = open_coder(tiny_study)
    t = tiny_study.transcripts["schiedam-01"]
    assert ui.transcript.value == "schiedam-01"
    path = tiny_study.codings_path("carla")

    # a whole turn, two codes at once
    ui.turn.value = 1
    ui.codes.value = ("incidenten", "wat-werkt-niet")
    ui.apply_button.click()
    turn = t.turns[1]
    assert rows(tiny_study, "carla") == [
        ("schiedam-01", turn.start, turn.end, "incidenten", ""),
        ("schiedam-01", turn.start, turn.end, "wat-werkt-niet", ""),
    ]
    assert codings_mod.validate(codings_mod.read(path), path, tiny_study.transcripts, tiny_study.codebook) == []
    assert 'data-code="incidenten"' in ui.text.value  # shown in place

    # one sentence of a turn, with a memo
    ui.part.value = "sentences"
    assert len(ui.sentences.options) == 2
    segs = [(s.start, s.end) for s in nlp.segments(t) if s.turn == 1]  # the units of suggestions and agreement
    assert [(turn.start + a, turn.start + b) for _, (a, b) in ui.sentences.options] == segs
    ui.sentences.value = (ui.sentences.options[1][1],)
    ui.codes.value = ("incidenten",)
    ui.memo.value = "bushalte"
    ui.apply_button.click()
    second = t.body.index("Maar vorig jaar")
    assert ("schiedam-01", second, turn.end, "incidenten", "bushalte") in rows(tiny_study, "carla")

    # a character range and a text search
    ui.next_button.click()
    ui.next_button.click()
    assert ui.turn.value == 3
    ui.part.value = "range"
    ui.range.value = (0, 10)
    ui.codes.value = ("wat-werkt",)
    ui.apply_button.click()
    a = t.turns[3].start
    assert ("schiedam-01", a, a + 10, "wat-werkt", "") in rows(tiny_study, "carla")
    ui.part.value = "search"
    ui.find.value = "WIJKAGENT"  # case-insensitive fallback
    ui.apply_button.click()
    pos = t.body.index("wijkagent")
    assert ("schiedam-01", pos, pos + len("wijkagent"), "wat-werkt", "") in rows(tiny_study, "carla")
    assert len(rows(tiny_study, "carla")) == 5

    # memo on the fragment, then on a code
    ui.memo.value = "  de wijkagent   hielp "
    ui.memo_segment_button.click()
    assert ("schiedam-01", pos, pos + 9, "wat-werkt", "de wijkagent hielp") in rows(tiny_study, "carla")
    ui.codes.value = ("wat-werkt",)
    ui.memo.value = "ook kleine gebaren"
    ui.memo_code_button.click()
    memos = read_code_memos(tiny_study.codings_dir / "memos" / "carla.csv")
    assert memos["wat-werkt"]["memo"] == "ook kleine gebaren"
    assert "ook kleine gebaren" in ui.code_info.value

    # remove one coding of this turn
    target = next(v for _label, v in ui.applied.options if v.end - v.start == 10)
    ui.applied.value = (target,)
    ui.remove_button.click()
    assert ("schiedam-01", a, a + 10, "wat-werkt", "") not in rows(tiny_study, "carla")
    assert len(rows(tiny_study, "carla")) == 4

    # undo, step by step: remove, code memo, fragment memo, search coding
    ui.undo_button.click()
    assert ("schiedam-01", a, a + 10, "wat-werkt", "") in rows(tiny_study, "carla")
    ui.undo_button.click()
    assert "wat-werkt" not in read_code_memos(tiny_study.codings_dir / "memos" / "carla.csv")
    ui.undo_button.click()
    assert ("schiedam-01", pos, pos + 9, "wat-werkt", "") in rows(tiny_study, "carla")
    ui.undo_button.click()
    assert not any(r[1] == pos for r in rows(tiny_study, "carla"))
    assert len(rows(tiny_study, "carla")) == 4

    # reopening shows the state as it was
    again = open_coder(Study(tiny_study.root))
    again.turn.value = 1
    assert {v.code for _label, v in again.applied.options} == {"incidenten", "wat-werkt-niet"}
    assert again.text.value.count('data-coder="carla"') == 4


def test_errors_become_messages_and_change_nothing(tiny_study):
    ui = Coder(tiny_study.root)
    ui.codes.value = ("wat-werkt",)
    ui.apply_button.click()
    assert "coder name" in ui.status.value
    ui.coder.value = "carla"
    ui.codes.value = ()
    ui.apply_button.click()
    assert "at least one code" in ui.status.value
    ui.codes.value = ("wat-werkt",)
    ui.part.value = "search"
    ui.find.value = "dit staat er niet"
    ui.apply_button.click()
    assert "does not occur" in ui.status.value
    ui.memo.value = "x"
    ui.part.value = "turn"
    ui.memo_segment_button.click()
    assert "not coded this fragment" in ui.status.value
    ui.undo_button.click()
    assert "niets om ongedaan" in ui.status.value
    assert not tiny_study.codings_path("carla").exists()
    ui.coder.value = "Niet Geldig!"
    assert "invalid coder name" in ui.status.value


def test_blind_coding_hides_other_coders(tiny_study):
    ui = open_coder(tiny_study, "anouk")
    assert ui.blind.value is True
    assert 'data-coder="bram"' not in ui.text.value
    assert 'data-coder="anouk"' in ui.text.value
    ui.blind.value = False
    assert 'data-coder="bram"' in ui.text.value
    ui.blind.value = True
    assert 'data-coder="bram"' not in ui.text.value


def test_code_search_filters_by_label(tiny_study):
    ui = open_coder(tiny_study)
    ui.code_search.value = "inci"
    assert [v for _l, v in ui.codes.options] == ["incidenten"]
    assert ui.codes.options[0][0] == "Veiligheid › Incidenten"
    ui.code_search.value = ""
    assert len(ui.codes.options) == 5


def test_two_sessions_of_one_coder_and_two_coders_lose_nothing(tiny_study):
    one, two = open_coder(tiny_study), open_coder(tiny_study)
    one.turn.value = 1
    one.codes.value = ("incidenten",)
    one.apply_button.click()
    two.turn.value = 3
    two.codes.value = ("wat-werkt",)
    two.apply_button.click()  # must not overwrite the first session's coding
    assert {r[3] for r in rows(tiny_study, "carla")} == {"incidenten", "wat-werkt"}
    one.undo_button.click()  # undoes only its own change
    assert {r[3] for r in rows(tiny_study, "carla")} == {"wat-werkt"}

    # many concurrent writes by the same coder and by another coder
    t = tiny_study.transcripts["schiedam-01"]
    sessions = [CodingSession(tiny_study, "carla") for _ in range(4)] + [CodingSession(tiny_study, "dirk")]

    letters = [i for i in range(t.turns[1].start, t.turns[1].end) if not t.body[i].isspace()]

    def work(session: CodingSession, k: int) -> None:
        for i in range(6):
            pos = letters[6 * k + i]  # a different one-letter fragment for every write
            session.apply("schiedam-01", pos, pos + 1, ["veiligheid"])

    threads = [threading.Thread(target=work, args=(s, k)) for k, s in enumerate(sessions)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(rows(tiny_study, "carla")) == 1 + 4 * 6
    assert len(rows(tiny_study, "dirk")) == 6
    assert all(len(codings_mod.read(tiny_study.codings_path(c))) for c in ("anouk", "bram"))
    body = t.body
    assert all(c.text == body[c.start : c.end] for c in codings_mod.read(tiny_study.codings_path("carla")))


def test_codebook_editing_from_the_widget_follows_codings(demo_copy):
    study = Study(demo_copy)
    before = {c: rows(study, c) for c in ("anouk", "bram")}
    n_gevoel = sum(1 for c in ("anouk", "bram") for r in before[c] if r[3] == "onveiligheidsgevoel")
    assert n_gevoel > 0
    ui = open_coder(study)

    ui.cb_action.value = "add"
    ui.cb_id.value = "buurtapp"
    ui.cb_label.value = "Buurtapp"
    ui.cb_description.value = "Over de buurtapp."
    ui.cb_target.value = "sociale-netwerken"
    ui.cb_button.click()
    assert "toegevoegd" in ui.status.value
    cb = load_codebook(study.codebook_path)
    assert cb["buurtapp"].parent == "sociale-netwerken"
    assert "buurtapp" in [v for _l, v in ui.codes.options]

    ui.cb_action.value = "move"
    ui.cb_code.value = "buurtapp"
    ui.cb_target.value = None
    ui.cb_button.click()
    assert load_codebook(study.codebook_path)["buurtapp"].parent is None

    ui.cb_action.value = "rename"
    ui.cb_code.value = "wat-werkt"
    ui.cb_label.value = "Wat goed werkt"
    ui.cb_id.value = "werkt-goed"
    ui.cb_button.click()
    cb = load_codebook(study.codebook_path)
    assert "wat-werkt" not in cb and cb["werkt-goed"].label == "Wat goed werkt"
    assert cb["werkt-goed"].examples  # every field kept

    ui.cb_action.value = "merge"
    ui.cb_code.value = "onveiligheidsgevoel"
    ui.cb_target.value = "incidenten"
    ui.cb_button.click()
    cb = load_codebook(study.codebook_path)
    assert "onveiligheidsgevoel" not in cb
    assert "bang" in cb["incidenten"].keywords  # keywords of the merged code kept
    text = study.codebook_path.read_text(encoding="utf-8")
    assert text.startswith("# Codebook of the fictional demo study")  # comments kept

    after = {c: rows(study, c) for c in ("anouk", "bram")}
    for c in ("anouk", "bram"):
        codes = {r[3] for r in after[c]}
        assert "onveiligheidsgevoel" not in codes and "wat-werkt" not in codes
        assert sum(r[3] == "werkt-goed" for r in after[c]) == sum(r[3] == "wat-werkt" for r in before[c])
        # a merge may join a coding of both codes on one span, nothing else disappears
        spans_before = {(r[0], r[1], r[2]) for r in before[c]}
        assert {(r[0], r[1], r[2]) for r in after[c]} == spans_before
    assert Study(demo_copy).problems() == []
    history = (demo_copy / "codebook" / "history.csv").read_text(encoding="utf-8")
    assert "merge,onveiligheidsgevoel" in history and "Gevoel van onveiligheid" in history

    ui.cb_action.value = "move"
    ui.cb_code.value = "veiligheid"
    ui.cb_target.value = "incidenten"
    ui.cb_button.click()
    assert "own subcode" in ui.status.value
    assert load_codebook(study.codebook_path)["veiligheid"].parent is None


def test_suggestions_accept_and_reject(tiny_study):
    suggest = pytest.importorskip("dialoog.assist.suggest", reason="the coding assistant (issue 4) is not installed")
    t = tiny_study.transcripts["schiedam-01"]
    turn = t.turns[3]
    suggestions = [
        suggest.Suggestion(t.id, turn.start, turn.end, turn.text, "wat-werkt", 0.9, "keywords", "wijkagent"),
        suggest.Suggestion(t.id, turn.start, turn.end, turn.text, "veiligheid", 0.4, "keywords", "serieus"),
    ]
    suggest.write_suggestions(suggest.suggestions_path(tiny_study, t.id), suggestions)
    ui = open_coder(Study(tiny_study.root))
    assert len(ui.suggestion_list.options) == 2
    ui.suggestion_list.value = next(v for label, v in ui.suggestion_list.options if label.startswith("Wat werkt"))
    ui.accept_button.click()
    assert rows(tiny_study, "carla") == [(t.id, turn.start, turn.end, "wat-werkt", "suggestie (keywords)")]
    assert len(ui.suggestion_list.options) == 1  # accepted one is coded now
    ui.suggestion_list.value = ui.suggestion_list.options[0][1]
    ui.reject_button.click()
    assert ui.suggestion_list.options == ()
    assert len(rows(tiny_study, "carla")) == 1
    ui.undo_button.click()  # an accepted suggestion can be undone like any coding
    assert rows(tiny_study, "carla") == []
