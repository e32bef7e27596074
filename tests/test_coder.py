"""The coder widget, driven from Python with the messages its browser side sends; the codings file is checked
after each action. The browser side itself is tested in a real JupyterLab in test_jupyterlab.py."""

from __future__ import annotations

import threading

import docx
import pytest

from dialoog.coding import consensus, view
from dialoog.coding.overview import Note, agreement_overview, disagreements_overview
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
    ui.coder = name
    assert ui.session is not None and ui.session.coder == name
    return ui


def keys(ui: Coder, **match) -> list[str]:
    return [c["k"] for c in ui.codings if all(c[k] == v for k, v in match.items())]


def test_code_spans_memo_recode_remove_undo(tiny_study):
    ui = open_coder(tiny_study)
    t = tiny_study.transcripts["schiedam-01"]
    assert ui.transcript_id == "schiedam-01"
    assert [turn[:2] for turn in ui.transcript["turns"]] == [[x.start, x.end] for x in t.turns]
    turn = t.turns[1]

    # exactly the selected span, two codes at once; white space around it is trimmed
    a = turn.start + turn.text.index("riepen")
    b = turn.start + turn.text.index(" bij de bushalte")
    ui.handle({"action": "apply", "transcript": t.id, "spans": [[a - 1, b + 1]], "codes": ["incidenten", "veiligheid"]})
    assert rows(tiny_study, "carla") == [
        (t.id, a, b, "incidenten", ""),
        (t.id, a, b, "veiligheid", ""),
    ]
    assert codings_mod.read(tiny_study.codings_path("carla"))[0].text == "riepen jongens me na"
    assert ui.status["text"] == "gecodeerd: Incidenten, Veiligheid" and not ui.status["error"]
    assert ui.recent[:2] == ["incidenten", "veiligheid"]
    assert {c["code"] for c in ui.codings} == {"incidenten", "veiligheid"}

    # a selection across two turns: one fragment per turn, one undo step
    t3, t4 = t.turns[3], t.turns[4]
    ui.handle({"action": "apply", "spans": [[t3.start + 4, t3.end], [t4.start, t4.start + 10]], "codes": ["wat-werkt"]})
    assert (t.id, t3.start + 4, t3.end, "wat-werkt", "") in rows(tiny_study, "carla")
    assert (t.id, t4.start, t4.start + 10, "wat-werkt", "") in rows(tiny_study, "carla")
    assert "2 fragmenten, één per beurt" in ui.status["text"]

    # memo on a fragment, re-code, remove
    (k,) = keys(ui, s=t4.start, code="wat-werkt")
    ui.handle({"action": "memo", "keys": [k], "memo": "  een  vast punt "})
    assert (t.id, t4.start, t4.start + 10, "wat-werkt", "een vast punt") in rows(tiny_study, "carla")
    (k,) = keys(ui, s=t4.start, code="wat-werkt")
    ui.handle({"action": "recode", "keys": [k], "codes": ["vragen-behoeften"]})
    assert (t.id, t4.start, t4.start + 10, "vragen-behoeften", "een vast punt") in rows(tiny_study, "carla")
    assert not any(r[1] == t4.start and r[3] == "wat-werkt" for r in rows(tiny_study, "carla"))
    ui.handle({"action": "remove", "keys": keys(ui, s=a, code="veiligheid")})
    assert len(rows(tiny_study, "carla")) == 3

    # a code memo
    ui.handle({"action": "code_memo", "code": "wat-werkt", "memo": "ook kleine gebaren"})
    assert read_code_memos(tiny_study.codings_dir / "memos" / "carla.csv")["wat-werkt"]["memo"] == "ook kleine gebaren"
    assert ui.code_memos == {"wat-werkt": "ook kleine gebaren"}

    # undo, step by step
    ui.handle({"action": "undo"})
    assert ui.code_memos == {}
    ui.handle({"action": "undo"})
    assert (t.id, a, b, "veiligheid", "") in rows(tiny_study, "carla")
    ui.handle({"action": "undo"})
    assert (t.id, t4.start, t4.start + 10, "wat-werkt", "een vast punt") in rows(tiny_study, "carla")
    ui.handle({"action": "undo"})  # the memo
    ui.handle({"action": "undo"})  # both fragments of the selection across turns at once
    assert rows(tiny_study, "carla") == [(t.id, a, b, "incidenten", ""), (t.id, a, b, "veiligheid", "")]

    # reopening shows the state as it was
    again = open_coder(Study(tiny_study.root))
    assert [(c["s"], c["e"], c["code"], c["own"]) for c in again.codings] == [
        (a, b, "incidenten", True),
        (a, b, "veiligheid", True),
    ]


def test_errors_are_dutch_messages_and_change_nothing(tiny_study):
    ui = Coder(tiny_study.root)
    t = tiny_study.transcripts["schiedam-01"]
    ui.handle({"action": "apply", "spans": [[0, 5]], "codes": ["wat-werkt"]})
    assert ui.status["error"] and "vul eerst je naam" in ui.status["text"].lower()
    ui.coder = "carla"
    ui.handle({"action": "apply", "spans": [[0, 5]], "codes": []})
    assert ui.status["text"].startswith("Kies minstens één code")
    ui.handle({"action": "apply", "spans": [[0, 5]], "codes": ["bestaat-niet"]})
    assert "Onbekende code 'bestaat-niet'" in ui.status["text"] and "codebook.yaml" in ui.status["text"]
    turn = t.turns[0]
    ui.handle({"action": "apply", "spans": [[turn.end, turn.end + 1]], "codes": ["veiligheid"]})  # a line break
    assert "leeg" in ui.status["text"]
    ui.handle({"action": "apply", "spans": [[0, 10**7]], "codes": ["veiligheid"]})
    assert "buiten het gesprek" in ui.status["text"]
    ui.handle({"action": "remove", "keys": ["carla|1|2|veiligheid"]})
    assert "eigen coderingen" in ui.status["text"]
    ui.handle({"action": "undo"})
    assert "niets om ongedaan" in ui.status["text"]
    ui.handle({"action": "accept", "i": 3})
    assert "suggestie" in ui.status["text"]
    ui.handle({"action": "iets"})
    assert ui.status["text"] == "Onbekende opdracht 'iets'."
    assert not tiny_study.codings_path("carla").exists()
    ui.coder = "Niet Geldig!"
    assert ui.status["text"].startswith("Ongeldige codeursnaam") and "bijvoorbeeld 'anouk'" in ui.status["text"]
    for english in ("choose", "unknown", "invalid", "first", "offsets", "hint"):
        assert english not in ui.status["text"]
    other = Coder(tiny_study.root, gemeente="Groningen")  # a gemeente the study has no transcripts of
    assert other.gemeente == "schiedam" and "geen gesprekken van gemeente 'Groningen'" in other.status["text"]


def test_blind_coding_hides_other_coders(tiny_study):
    ui = open_coder(tiny_study, "anouk")
    assert ui.blind is True
    assert {c["coder"] for c in ui.codings} == {"anouk"}
    ui.blind = False
    assert {c["coder"] for c in ui.codings} == {"anouk", "bram"}
    assert all(c["own"] == (c["coder"] == "anouk") for c in ui.codings)
    ui.blind = True
    assert {c["coder"] for c in ui.codings} == {"anouk"}


def test_every_code_has_its_own_colour(tiny_study, demo_copy):
    for study in (tiny_study, Study(demo_copy)):
        state = view.codebook_state(study.codebook)
        assert len({c["color"] for c in state}) == len(state)
        for c in state:
            own = study.codebook[c["id"]].color
            assert c["color"] == (own or c["color"]) and c["color"].startswith("#")
    cb = tiny_study.codebook
    assert [c["path"] for c in view.codebook_state(cb)][:2] == ["Veiligheid", "Veiligheid › Incidenten"]
    assert view.colours(cb)["veiligheid"] == view.PALETTE[0]  # colour-blind-safe palette, in order


def test_two_sessions_of_one_coder_and_two_coders_lose_nothing(tiny_study):
    one, two = open_coder(tiny_study), open_coder(tiny_study)
    t = tiny_study.transcripts["schiedam-01"]
    one.handle({"action": "apply", "spans": [[t.turns[1].start, t.turns[1].end]], "codes": ["incidenten"]})
    two.handle({"action": "apply", "spans": [[t.turns[3].start, t.turns[3].end]], "codes": ["wat-werkt"]})
    assert {r[3] for r in rows(tiny_study, "carla")} == {"incidenten", "wat-werkt"}
    one.handle({"action": "undo"})  # undoes only its own change
    assert {r[3] for r in rows(tiny_study, "carla")} == {"wat-werkt"}

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
    assert all(c.text == t.body[c.start : c.end] for c in codings_mod.read(tiny_study.codings_path("carla")))


def test_codebook_editing_from_the_widget_follows_codings(demo_copy):
    study = Study(demo_copy)
    before = {c: rows(study, c) for c in ("anouk", "bram")}
    ui = open_coder(study)

    ui.handle({"action": "codebook", "op": "add", "new_id": "buurtapp", "label": "Buurtapp",
               "description": "Over de buurtapp.", "target": "sociale-netwerken"})  # fmt: skip
    assert "toegevoegd" in ui.status["text"]
    assert load_codebook(study.codebook_path)["buurtapp"].parent == "sociale-netwerken"
    assert "buurtapp" in [c["id"] for c in ui.codebook]
    ui.handle({"action": "codebook", "op": "move", "code": "buurtapp", "target": ""})
    assert load_codebook(study.codebook_path)["buurtapp"].parent is None
    ui.handle(
        {"action": "codebook", "op": "rename", "code": "wat-werkt", "label": "Wat goed werkt", "new_id": "werkt-goed"}
    )
    cb = load_codebook(study.codebook_path)
    assert "wat-werkt" not in cb and cb["werkt-goed"].label == "Wat goed werkt" and cb["werkt-goed"].examples
    ui.handle({"action": "codebook", "op": "merge", "code": "onveiligheidsgevoel", "target": "incidenten"})
    cb = load_codebook(study.codebook_path)
    assert "onveiligheidsgevoel" not in cb and "bang" in cb["incidenten"].keywords
    assert study.codebook_path.read_text(encoding="utf-8").startswith("# Codebook of the fictional demo study")
    for c in ("anouk", "bram"):
        after = rows(study, c)
        assert "onveiligheidsgevoel" not in {r[3] for r in after}
        assert sum(r[3] == "werkt-goed" for r in after) == sum(r[3] == "wat-werkt" for r in before[c])
        assert {r[:3] for r in after} == {r[:3] for r in before[c]}
    assert Study(demo_copy).problems() == []
    ui.handle({"action": "codebook", "op": "move", "code": "veiligheid", "target": "incidenten"})
    assert ui.status["error"] and "kan niet onder zijn eigen subcode 'incidenten'" in ui.status["text"]
    ui.handle({"action": "codebook", "op": "add", "new_id": "Met Hoofdletters", "label": "X", "description": "Y"})
    assert ui.status["text"].startswith("Ongeldig code-id") and "gebruik kleine letters" in ui.status["text"]
    assert load_codebook(study.codebook_path)["veiligheid"].parent is None


def test_suggestions_ranked_accept_reject_undo(tiny_study):
    suggest = pytest.importorskip("dialoog.assist.suggest", reason="the coding assistant is not installed")
    t = tiny_study.transcripts["schiedam-01"]
    turn = t.turns[3]
    found = [
        suggest.Suggestion(t.id, turn.start, turn.end, turn.text, "veiligheid", 0.4, "keywords", "serieus"),
        suggest.Suggestion(t.id, turn.start, turn.end, turn.text, "wat-werkt", 0.9, "keywords", "wijkagent"),
    ]
    suggest.write_suggestions(suggest.suggestions_path(tiny_study, t.id), found)
    ui = open_coder(Study(tiny_study.root))
    assert [(s["code"], s["reason"]) for s in ui.suggestions] == [("wat-werkt", "wijkagent"), ("veiligheid", "serieus")]
    ui.handle({"action": "accept", "i": ui.suggestions[0]["i"]})
    assert rows(tiny_study, "carla") == [(t.id, turn.start, turn.end, "wat-werkt", "suggestie (keywords)")]
    assert [s["code"] for s in ui.suggestions] == ["veiligheid"]  # the accepted one is coded now
    ui.handle({"action": "reject", "i": ui.suggestions[0]["i"]})
    assert ui.suggestions == [] and len(rows(tiny_study, "carla")) == 1
    ui.handle({"action": "undo"})  # an accepted suggestion can be undone like any coding
    assert rows(tiny_study, "carla") == []


def test_retrieval_filters_jump_and_exports(tiny_study):
    ui = open_coder(tiny_study, "anouk")
    ui.handle({"action": "retrieve", "filter": {"code": "veiligheid"}})  # with its subcode incidenten
    assert [(r["coder"], r["code"]) for r in ui.retrieval["rows"]] == [("anouk", "incidenten")]  # blind: own only
    ui.blind = False
    ui.handle({"action": "retrieve", "filter": {"code": "vragen-behoeften"}})
    assert {r["transcript"] for r in ui.retrieval["rows"]} == {"schiedam-01", "schiedam-02"}
    ui.handle({"action": "retrieve", "filter": {"code": "vragen-behoeften", "rol": "wijkprofessional"}})
    assert [r["transcript"] for r in ui.retrieval["rows"]] == ["schiedam-02"]
    ui.handle({"action": "retrieve", "filter": {"code": "wat-werkt-niet", "coder": "bram"}})
    assert {(r["coder"], r["rol"]) for r in ui.retrieval["rows"]} == {
        ("bram", "LHBT-inwoner"),
        ("bram", "Wijkprofessional"),
    }
    ui.handle({"action": "open", "transcript": "schiedam-02"})
    assert ui.transcript["id"] == "schiedam-02" and ui.transcript_id == "schiedam-02"

    ui.handle({"action": "export", "format": "csv", "filter": {"code": "wat-werkt-niet"}})
    (csv_path,) = (tiny_study.root / "reports" / "fragmenten").glob("*.csv")
    assert csv_path.read_text(encoding="utf-8").count("\n") == 1 + 3 and "geëxporteerd" in ui.status["text"]
    ui.handle({"action": "export", "format": "docx", "filter": {"code": "wat-werkt-niet"}})
    (docx_path,) = (tiny_study.root / "reports" / "fragmenten").glob("*.docx")
    table = docx.Document(str(docx_path)).tables[0]
    assert len(table.rows) == 1 + 3 and table.rows[0].cells[4].text == "Fragment"
    assert "Melden gebeurt weinig" in table.rows[-1].cells[4].text


def test_consensus_mode_writes_what_merge_writes(tiny_study):
    ui = open_coder(tiny_study, "anouk")
    ui.handle({"action": "consensus"})
    c = ui.consensus
    assert c["coders"] == ["anouk", "bram"] and c["open"] == 2  # turn 5: vragen-behoeften vs wat-werkt-niet
    diffs = [d for u in c["units"] for d in u["differences"]]
    assert {(d["unit"], d["code"]) for d in diffs} == {("5", "vragen-behoeften"), ("5", "wat-werkt-niet")}
    ui.handle({"action": "decide", "unit": "5", "code": "vragen-behoeften", "decision": "ja", "decided_by": "team"})
    assert ui.consensus["open"] == 1 and "nog 1" in ui.status["text"]
    assert not consensus.consensus_path(tiny_study).exists()
    ui.handle({"action": "decide", "unit": "5", "code": "wat-werkt-niet", "decision": "nee", "note": "geen kritiek"})
    assert ui.consensus["open"] == 0 and "consensus/consensus.csv" in ui.status["text"]
    written = codings_mod.read(consensus.consensus_path(tiny_study))
    t = tiny_study.transcripts["schiedam-01"]
    assert {(r.start, r.end, r.code) for r in written} == {
        (t.turns[1].start, t.turns[1].end, "incidenten"),
        (t.turns[3].start, t.turns[3].end, "wat-werkt"),
        (t.turns[4].start, t.turns[4].end, "vragen-behoeften"),
    }
    assert all(r.coder == "consensus" for r in written)
    assert any(r.memo.startswith("besluit ja door team") for r in written)

    # the same decisions through 'dialoog merge' give the same consensus
    from dialoog.cli import main

    other = tiny_study.root / "consensus" / "via-merge.csv"
    assert (
        main(
            [
                "merge",
                str(consensus.decisions_path(tiny_study)),
                "--study",
                str(tiny_study.root),
                "--output",
                str(other),
            ]
        )
        == 2
    )  # fmt: skip  (schiedam-02 has an undecided difference)
    ui.handle({"action": "open", "transcript": "schiedam-02"})
    ui.handle({"action": "consensus"})
    for d in [d for u in ui.consensus["units"] for d in u["differences"]]:
        ui.handle({"action": "decide", "unit": d["unit"], "code": d["code"], "decision": "ja"})
    assert main(["merge", str(consensus.decisions_path(tiny_study)), "--study", str(tiny_study.root),
                 "--output", str(other)]) == 0  # fmt: skip
    strip = lambda rs: {(r.transcript, r.start, r.end, r.code) for r in rs}  # noqa: E731
    assert strip(codings_mod.read(other)) == strip(codings_mod.read(consensus.consensus_path(tiny_study)))


def test_agreement_cells_on_a_fresh_study_say_what_is_missing(tiny_study):
    table = agreement_overview(tiny_study.root)
    assert table.iloc[-1]["label"] == "Totaal"
    assert len(disagreements_overview(tiny_study.root)) == 3
    for path in tiny_study.coder_files():
        path.unlink()
    for fn in (agreement_overview, disagreements_overview):
        note = fn(tiny_study.root)
        assert isinstance(note, Note) and "twee of meer codeurs" in note._repr_markdown_()
