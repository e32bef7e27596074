"""REFI-QDA projects in the shapes real tools write: every selection lands on exactly the source's words.

The projects are built here with zipfile and lxml (and python-docx for a rich-text source), in the
shapes of NVivo and `qc` exports that lost codings before: documents without speaker labels, a line
``X: y`` that is not a label, emoji and CRLF counted in UTF-16 units, a bare ``plainTextPath``, an
empty .txt beside a .docx, a selection that starts on a speaker label.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from dialoog.exchange import refi, refi_export
from dialoog.ingest import refi as refi_import
from dialoog.study.folder import Study, open_study

NS = refi.PROJECT_NS
CODE = "cccccccc-0000-0000-0000-000000000001"
USER = "aaaaaaaa-0000-0000-0000-000000000001"


def _el(parent, tag, text=None, **attrs):
    node = etree.SubElement(parent, f"{{{NS}}}{tag}", {k: str(v) for k, v in attrs.items()})
    if text is not None:
        node.text = text
    return node


def offsets(text: str, word: str, *, unit: str = "codepoint", newline: str = "\n", nth: int = 0) -> tuple[int, int]:
    """Where `word` is in `text` (LF line ends), counted the way a tool counts."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(word, i + 1)
    counted = text.replace("\n", newline)
    j = len(text[:i].replace("\n", newline))

    def size(s: str) -> int:
        return len(s.encode("utf-16-le")) // 2 if unit == "utf16" else len(s)

    return size(counted[:j]), size(counted[: j + len(word.replace("\n", newline))])


def qdpx(path: Path, sources: list[dict], files: dict[str, bytes] | None = None) -> Path:
    """A REFI-QDA project: each source dict has name, selections [(start, end)], and inline `text` or
    `attrs` (plainTextPath/richTextPath) pointing into `files`."""
    root = etree.Element(f"{{{NS}}}Project", {"name": "t", "origin": "test"}, nsmap={None: NS})
    users = _el(root, "Users")
    _el(users, "User", guid=USER, name="Coder Een")
    codes = _el(_el(root, "CodeBook"), "Codes")
    _el(codes, "Code", guid=CODE, name="Buurt", isCodable="true")
    container = _el(root, "Sources")
    for n, src in enumerate(sources, start=1):
        source = _el(
            container, "TextSource", guid=f"bbbbbbbb-0000-0000-0000-{n:012d}", name=src["name"], **src.get("attrs", {})
        )
        if "text" in src:
            _el(source, "PlainTextContent", src["text"])
        for k, (start, end) in enumerate(src["selections"], start=1):
            sel = _el(
                source,
                "PlainTextSelection",
                guid=f"dddddddd-{n:04d}-0000-0000-{k:012d}",
                startPosition=start,
                endPosition=end,
                creatingUser=USER,
            )
            coding = _el(sel, "Coding", guid=f"eeeeeeee-{n:04d}-0000-0000-{k:012d}", creatingUser=USER)
            _el(coding, "CodeRef", targetGUID=CODE)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="utf-8"))
        for name, data in (files or {}).items():
            zf.writestr(name, data)
    return path


def run(tmp_path: Path, project: Path, **kw) -> tuple[refi_import.Plan, Study]:
    root = tmp_path / "study"
    (root / "interviews").mkdir(parents=True, exist_ok=True)
    plan = refi_import.plan_project(Study(root), project, "Schiedam", **kw)
    plan.write()
    return plan, Study(root)


def landed(study: Study) -> list[str]:
    assert study.problems() == []  # every coding's text is at its offsets in its transcript
    return sorted(c.text for c in study.codings)


COMMENTS = (
    "Super video :D echt waar\n"
    "Wanneer is de volgende? https://example.org/pride:2026\n"
    "Heel fijn 🏳️‍🌈 dat dit bestaat\n"
    "Pride Walk: geweldig\n"
    "Mooi gedaan, dank jullie wel\n"
)


def test_a_document_without_labels_keeps_every_selection(tmp_path):
    words = [":D echt", "https://example.org/pride:2026", "🏳️‍🌈 dat", "Pride Walk: geweldig", "dank jullie"]
    sels = [offsets(COMMENTS, w, unit="utf16", newline="\r\n") for w in words]
    project = qdpx(tmp_path / "p.qdpx", [{"name": "comments", "text": COMMENTS, "selections": sels}])
    plan, study = run(tmp_path, project)
    assert plan.problems == []
    assert landed(study) == sorted(words)
    t = next(iter(study.transcripts.values()))
    assert [turn.speaker for turn in t.turns] == [""] * 5
    assert [turn.text for turn in t.turns] == COMMENTS.strip("\n").split("\n")
    assert any("document, no speakers" in line for line in plan.info)


def test_x_colon_y_lines_and_urls_inside_an_interview_are_kept(tmp_path):
    text = "I: Wat vond je ervan?\nR: Nou, cuccot :D\nWat ik wil zeggen: zie https://a.nl/x\nI: Dank je.\n"
    words = ["cuccot :D", "Wat ik wil zeggen: zie", "https://a.nl/x", "Dank je.", "cuccot :D\nWat ik"]
    project = qdpx(tmp_path / "p.qdpx", [{"name": "x", "text": text, "selections": [offsets(text, w) for w in words]}])
    plan, study = run(tmp_path, project)
    assert plan.problems == []
    assert any("interview; labels: interviewer 'I'; respondent 'R'" in line for line in plan.info)
    assert landed(study) == sorted(words)


@pytest.mark.parametrize("bom", [False, True])
def test_emoji_and_crlf_counted_in_utf16_from_a_bare_path(tmp_path, bom):
    text = "Interviewer: Hoe is het? 😀\nRespondent: Goed 👮🏽 echt, de buren 𝒶𝓁𝓈𝑜.\nInterviewer: Mooi 😀😀 zo.\n"
    words = ["Goed 👮🏽 echt", "buren 𝒶𝓁𝓈𝑜", "zo."]
    sels = [offsets(text, w, unit="utf16", newline="\r\n") for w in words]
    data = ("\ufeff" if bom else "").encode() + text.replace("\n", "\r\n").encode("utf-8")
    source = {"name": "board_2017", "attrs": {"plainTextPath": "board_2017.txt"}, "selections": sels}
    plan, study = run(tmp_path, qdpx(tmp_path / "p.qdpx", [source], {"board_2017.txt": data}))
    assert plan.problems == []
    assert landed(study) == sorted(words)
    assert any("UTF-16 code units" in line for line in plan.info)


def test_an_empty_txt_with_a_docx_is_read_from_the_docx(tmp_path):
    import docx

    document = docx.Document()
    for line in ("I: Waar woon je?", "R: In Groenoord, al jaren.", "I: En bevalt het?"):
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    text = "I: Waar woon je?\nR: In Groenoord, al jaren.\nI: En bevalt het?"
    attrs = {"plainTextPath": "internal://s1.txt", "richTextPath": "internal://s1.docx"}
    source = {"name": "x", "attrs": attrs, "selections": [offsets(text, "Groenoord"), offsets(text, "bevalt")]}
    files = {"sources/s1.txt": b"", "Sources/s1.docx": buf.getvalue()}
    plan, study = run(tmp_path, qdpx(tmp_path / "p.qdpx", [source], files))
    assert plan.problems == []
    assert landed(study) == ["Groenoord", "bevalt"]


def test_a_selection_that_starts_on_a_speaker_label(tmp_path):
    text = "I: Waar woon je?\nR: In Groenoord, al jaren.\n"
    start = text.index("R: In")
    sels = [(start, text.index(", al")), (text.index("woon"), text.index(", al"))]
    plan, study = run(tmp_path, qdpx(tmp_path / "p.qdpx", [{"name": "x", "text": text, "selections": sels}]))
    assert plan.problems == []
    assert landed(study) == ["In Groenoord", "In Groenoord", "woon je?"]
    assert sum("includes a speaker label; placed on the turn's text" in line for line in plan.info) == 2


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("/etc/passwd", "absolute"),
        ("C:\\Users\\x\\a.txt", "absolute"),
        ("internal://../a.txt", "'..'"),
        ("relative://sub/../../a.txt", "'..'"),
        ("file:///tmp/a.txt", "file://"),
        ("internal://missing.txt", "not in the archive"),
    ],
)
def test_paths_outside_the_project_are_refused_with_a_reason(tmp_path, ref, reason):
    source = {"name": "x", "attrs": {"plainTextPath": ref}, "selections": [(0, 1)]}
    plan, _study = run(tmp_path, qdpx(tmp_path / "p.qdpx", [source], {"a.txt": b"I: a\nR: b\n"}))
    assert reason in plan.problems[0] and "1 selection(s) not imported" in plan.problems[0]
    assert plan.problems[1:] == [
        "source 1, selection 1 [dddddddd-0001-0000-0000-000000000001]: its source was not imported"
    ]


def test_a_line_of_300000_spaces_in_a_project_is_read_quickly(tmp_path):
    text = "I: a\n" + " " * 300_000 + "\nR: b c\n"
    project = qdpx(tmp_path / "p.qdpx", [{"name": "x", "text": text, "selections": [offsets(text, "b c")]}])
    assert (tmp_path / "p.qdpx").stat().st_size < 5000
    plan, study = run(tmp_path, project)
    assert landed(study) == ["b c"]


def test_a_source_that_cannot_be_kept_exactly_fails_with_its_reason(tmp_path):
    text = "I: a\nR: b\n**Kop:** c\n"
    plan, study = run(tmp_path, qdpx(tmp_path / "p.qdpx", [{"name": "x", "text": text, "selections": [(3, 4)]}]))
    assert study.codings == [] and not study.transcripts
    assert "line 3" in plan.problems[0] and "1 selection(s) not imported" in plan.problems[0]


# -- export: stable GUIDs and UTF-16 offsets --------------------------------------------------


def test_guids_survive_a_renamed_folder_and_utf16_offsets_round_trip(tiny_study, tmp_path):
    path = tiny_study.root / "interviews" / "schiedam" / "schiedam-01.md"
    path.write_text(path.read_text(encoding="utf-8").replace("**Respondent:** ", "**Respondent:** 😀 ", 1))
    (tiny_study.root / "codings" / "bram.csv").unlink()
    (tiny_study.root / "codings" / "anouk.csv").unlink()
    study = Study(tiny_study.root)
    from dialoog.study import codings

    t = study.transcripts["schiedam-01"]
    turn = t.turns[3]
    codings.write(study.codings_path("anouk"), [codings.make(t, turn.start, turn.end, "wat-werkt", "anouk")])
    a = refi_export.export_qdpx(tiny_study.root, tmp_path / "a.qdpx")
    study_id = (tiny_study.root / "dialoog.yaml").read_text(encoding="utf-8")
    assert "study_id:" in study_id
    moved = tiny_study.root.rename(tmp_path / "renamed")
    refi_export.export_qdpx(moved, tmp_path / "b.qdpx", offsets="utf16")
    qa = zipfile.ZipFile(a.path).read("project.qde")
    qb = zipfile.ZipFile(tmp_path / "b.qdpx").read("project.qde")
    guids = lambda q: sorted(etree.fromstring(q).xpath("//@guid"))  # noqa: E731
    assert guids(qa) == guids(qb)
    sel = lambda q: etree.fromstring(q).find(f".//{{{NS}}}PlainTextSelection")  # noqa: E731
    assert int(sel(qb).get("startPosition")) == int(sel(qa).get("startPosition")) + 1  # the emoji counts 2
    plan, after = run(tmp_path, tmp_path / "b.qdpx", consent=True, pseudonymised=True)
    assert plan.problems == []
    assert [c.row() for c in after.codings] == [c.row() for c in open_study(moved).codings]


# -- round trip: import, export, import -------------------------------------------------------

LABELS = st.sampled_from(["I: ", "R: ", "Interviewer: ", "Respondent: ", "V: ", "A: ", ""])
WORDS = st.text(alphabet="abcéëXY:😀🏳️‍🌈./-()?, ", min_size=1, max_size=12).filter(lambda w: w.strip())


@st.composite
def sources(draw):
    paragraphs = draw(st.lists(st.tuples(LABELS, st.lists(WORDS, min_size=1, max_size=6)), min_size=1, max_size=8))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    blank = draw(st.booleans())
    lines = [label + " ".join(words) for label, words in paragraphs]
    text = (newline * (2 if blank else 1)).join(lines) + newline
    bom = draw(st.booleans())
    canonical = text.replace("\r\n", "\n")
    spans = [(m_start, m_end) for m_start, m_end in _tokens(canonical)]
    picks = draw(st.lists(st.sampled_from(spans), min_size=1, max_size=5, unique=True)) if spans else []
    return text, bom, newline, picks


def _tokens(text: str) -> list[tuple[int, int]]:
    import re

    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sources())
@example((": ...\n", False, "\n", [(0, 1), (2, 5)]))  # found by Hypothesis: a text of a colon and dots
def test_round_trip_import_export_import(data):
    text, bom, newline, picks = data
    canonical = text.replace("\r\n", "\n")
    sels = []
    for s, e in picks:  # counted as the tool counts: CR LF as two when the file has them
        sels.append((len(canonical[:s].replace("\n", newline)), len(canonical[:e].replace("\n", newline))))
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        raw = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
        source = {"name": "bron", "attrs": {"plainTextPath": "internal://bron.txt"}, "selections": sels}
        first_dir = tmp_path / "one"
        first_dir.mkdir()
        plan, first = run(
            first_dir, qdpx(tmp_path / "in.qdpx", [source], {"sources/bron.txt": raw}), consent=True, pseudonymised=True
        )
        if not first.transcripts:  # a text that cannot be kept exactly is refused, with its reason
            assert plan.problems
            return
        t = next(iter(first.transcripts.values()))
        n = refi_import.convert(raw.decode("utf-8-sig").replace("\r\n", "\n"))
        assert n.reconstruct() == canonical
        assert t.body == n.body
        for c in first.codings:  # on exactly the source's characters
            assert c.text == t.body[c.start : c.end] and c.text.strip() in canonical
        refi_export.export_qdpx(first.root, tmp_path / "out.qdpx")
        second_dir = tmp_path / "two"
        second_dir.mkdir()
        _plan, second = run(second_dir, tmp_path / "out.qdpx", consent=True, pseudonymised=True)
        assert {k: v.body for k, v in second.transcripts.items()} == {k: v.body for k, v in first.transcripts.items()}
        assert sorted(c.row() for c in second.codings) == sorted(c.row() for c in first.codings)


def _brute_index(source, conv) -> list[int | None]:
    """Offset in `conv` -> offset in the canonical text, character by character (the reference)."""
    out: list[int | None] = []
    if conv.bom:
        width = {"utf16": 1, "utf8": 3}.get(conv.unit, 1)
        out += [0] + [None] * (width - 1)
    text = source.raw if conv.newlines == "raw" else source.text
    pos = 0
    for i, ch in enumerate(text):
        if ch == "\n" and conv.newlines == "crlf":
            out += [pos, pos]
            pos += 1
        elif ch == "\r" and conv.newlines == "raw" and text[i + 1 : i + 2] == "\n":
            out.append(pos)
        else:
            width = {"utf16": len(ch.encode("utf-16-le")) // 2, "utf8": len(ch.encode("utf-8"))}.get(conv.unit, 1)
            out += [pos] + [None] * (width - 1)
            pos += 1
    return out + [pos]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab é😀\n\r", max_size=30), st.booleans())
def test_offset_conventions_match_a_character_by_character_count(raw, bom):
    from dialoog.exchange.offsets import Convention, SourceText

    source = SourceText(raw, bom)
    for unit in ("codepoint", "utf16", "utf8"):
        for newlines in ("lf", "crlf", "raw"):
            conv = Convention(unit, newlines, bom)
            index = _brute_index(source, conv)
            assert [source.to_text(conv, o) for o in range(len(index))] == index, conv


def test_a_qdpx_with_a_zip_bomb_member_is_refused(tmp_path):
    from dialoog.errors import DialoogError

    path = qdpx(tmp_path / "p.qdpx", [{"name": "x", "text": "I: a\nR: b\n", "selections": []}])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("sources/bomb.txt", b"\0" * 20_000_000)
    with pytest.raises(DialoogError, match="refused: a member of this archive unpacks to 19 MB"):
        run(tmp_path, path)


def test_the_study_id_is_added_to_an_existing_dialoog_yaml(tmp_path):
    from dialoog.study import settings

    (tmp_path / "dialoog.yaml").write_text("# mijn instellingen\nsmall_cell_threshold: 10\n", encoding="utf-8")
    first = refi.ensure_study_id(tmp_path)
    text = (tmp_path / "dialoog.yaml").read_text(encoding="utf-8")
    assert text.startswith("# mijn instellingen\nsmall_cell_threshold: 10\n") and f"study_id: {first}" in text
    loaded = settings.load(tmp_path)
    assert loaded.study_id == first and loaded.small_cell_threshold == 10
    assert refi.ensure_study_id(tmp_path) == first  # kept once made
    assert refi.study_namespace(tmp_path) == refi.study_namespace(tmp_path, create=True)


def test_a_document_whose_blocks_look_like_labels_comes_back_as_a_document(tmp_path):
    from dialoog.cli import main

    root = tmp_path / "src"
    (root / "codebook").mkdir(parents=True)
    (root / "codebook" / "codebook.yaml").write_text("codes:\n  - id: a\n    label: A\n    description: d\n")
    raw = tmp_path / "notes.txt"
    raw.write_text("I: eerste notitie\n\nR: tweede notitie\n\nI: derde\n", encoding="utf-8")
    args = ["import", str(raw), "--gemeente", "Schiedam", "--kind", "document", "--consent", "--study", str(root)]
    assert main(args) == 0
    path = root / "interviews" / "schiedam" / "schiedam-01.md"
    path.write_text(path.read_text(encoding="utf-8").replace("pseudonymised: false", "pseudonymised: true"))
    refi_export.export_qdpx(root, tmp_path / "out.qdpx")
    _plan, after = run(tmp_path, tmp_path / "out.qdpx")
    t = after.transcripts["schiedam-01"]
    assert t.body == open_study(root).transcripts["schiedam-01"].body
    assert [turn.speaker for turn in t.turns] == ["", "", ""]
