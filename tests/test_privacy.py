"""Guards: the report refuses unpseudonymised transcripts, small cells are suppressed, consent can be withdrawn."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

import dialoog.privacy as privacy
from dialoog.errors import DialoogError
from dialoog.report import perspectieven
from dialoog.study import codings
from dialoog.study.analysis import check_pseudonymised, load
from dialoog.study.folder import Study
from dialoog.study.gemeenten import find_gemeente

SCHIEDAM = find_gemeente("Schiedam")


def _set(study: Study, tid: str, old: str, new: str) -> None:
    path = study.transcripts[tid].path
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_report_refuses_a_transcript_with_consent_that_is_not_pseudonymised(tiny_study):
    _set(tiny_study, "schiedam-02", "pseudonymised: true", "pseudonymised: false")
    study = Study(tiny_study.root)
    with pytest.raises(DialoogError) as exc:
        check_pseudonymised(study, SCHIEDAM)
    assert "schiedam-02.md" in str(exc.value) and "dialoog pseudonymise" in str(exc.value)
    with pytest.raises(DialoogError, match="not pseudonymised"):
        load(study, SCHIEDAM)


def test_report_leaves_out_a_transcript_without_consent(tiny_study):
    _set(tiny_study, "schiedam-02", "consent: true", "consent: false")
    _set(tiny_study, "schiedam-02", "pseudonymised: true", "pseudonymised: false")
    data = load(Study(tiny_study.root), SCHIEDAM)
    assert list(data.interviews.id) == ["schiedam-01"]


def test_suppress_counts_hides_small_cells_and_one_more_when_one_is_hidden():
    df = pd.DataFrame({"rol": ["a", "b", "c", "d"], "n": [12, 3, 7, 0]})
    out = privacy.suppress_counts(df, ["n"], 5)
    assert list(out.n) == ["12", "< 5", "< 5", "0"]  # 7 hidden too, else 3 = total - 12 - 7
    df = pd.DataFrame({"n": [2, 1, 9]})
    assert list(privacy.suppress_counts(df, ["n"], 5).n) == ["< 5", "< 5", "9"]
    assert privacy.display_count(4, 5) == "< 5" and privacy.display_count(5, 5) == "5"


def test_withdraw_removes_transcript_codings_and_key_entries_and_marks_reports_stale(tiny_study, capsys):
    from dialoog.cli import main
    from dialoog.privacy import detect as ps

    key = ps.PseudonymKey(path=tiny_study.root / privacy.KEY_FILE)
    key.person("Sanne de Vries", "schiedam-01")
    key.person("Dennis Bakker", "schiedam-02")
    key.person("Sanne", "schiedam-02")
    key.save()
    report = tiny_study.reports_dir / "schiedam" / "perspectieven.html"
    report.parent.mkdir(parents=True)
    report.write_text("<html></html>", encoding="utf-8")

    assert main(["withdraw", "schiedam-02", "--study", str(tiny_study.root)]) == 0
    out = capsys.readouterr().out
    assert "stale: reports/schiedam/perspectieven.html" in out
    assert "Sanne" not in out and "Dennis" not in out
    study = Study(tiny_study.root)
    assert list(study.transcripts) == ["schiedam-01"]
    assert not [c for path in study.coder_files() for c in codings.read(path) if c.transcript == "schiedam-02"]
    assert study.problems() == []
    names = ps.PseudonymKey.load(tiny_study.root / privacy.KEY_FILE).known_names()
    assert "dennis bakker" not in names and "sanne de vries" in names
    assert (report.parent / privacy.STALE_NOTE).is_file()
    again = privacy.withdraw(study, "schiedam-02")  # again: finishes (or repeats) the clean-up, harmlessly
    assert again.transcript is None and again.codings_removed == 0
    with pytest.raises(DialoogError, match="no transcript with id"):
        privacy.withdraw(study, "schiedam-99")


def test_share_text_hides_small_counts_and_small_complements():
    assert privacy.share_text(3, 20, 5) == "in minder dan 5 van de 20 gesprekken"
    assert privacy.share_text(3, 4, 5) == "in minder dan 5 gesprekken"  # never "minder dan 5 van de 4"
    assert privacy.share_text(0, 4, 5) == "in geen van de 4 gesprekken"
    assert privacy.share_text(12, 20, 5) == "in 12 van de 20 gesprekken"
    assert privacy.share_text(20, 20, 5) == "in alle 20 gesprekken"
    assert privacy.share_text(18, 20, 5) == "in meer dan 15 van de 20 gesprekken"  # 2 did not: too few to show
    assert [privacy.share_label(k, 20, 5) for k in (0, 3, 12, 18, 20)] == ["0", "< 5", "12", "> 15", "20"]
    assert privacy.count_text(4, 5) == "minder dan 5" and privacy.count_text(5, 5) == "5"


#: how the report may state the total number of interviews (the sample size, not a cell)
_TOTAL = [r"We voerden {n} gesprekken", r"zijn {n} dialooggesprekken\s+gevoerd", r"in {n} gesprekken is opgehaald",
          r"In de {n} gesprekken ging", r"{n} gesprekken zijn door", r"met {n} gesprekken kunnen we"]  # fmt: skip
_PEOPLE = r"(?:dialoog)?gesprek(?:ken)?|gespr\.|LHBT-inwoners?|professionals?|vrijwilligers?|respondent(?:en)?|personen"


def _small_people_counts(text: str, n: int, threshold: int) -> list[str]:
    """Every count of interviews or people below `threshold` in `text`, except the stated total `n`."""
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text)
    for phrase in _TOTAL:
        text = re.sub(phrase.format(n=n), "", text, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]+>", " ", text).replace("&lt;", "<")
    counts = re.finditer(
        rf"(?<![\d<>] )(?<![\d,.])\b(\d+)(?: van (?:de )?\d+)?(?: \w+)? (?:{_PEOPLE})\b"
        rf"|<td>\s*(\d+)\s*</td>",
        text,
    )
    return [m.group(0) for m in counts if 0 < int(m.group(1) or m.group(2)) < threshold]


def test_no_small_interview_or_person_count_in_the_chapters(tiny_study):
    data = load(tiny_study, SCHIEDAM)
    n = len(data.interviews)
    assert n == 2
    text = "\n".join([*perspectieven.parts(data), *perspectieven.key_findings(data)])
    assert _small_people_counts(text, n, 5) == []
    assert "in minder dan 5 gesprekken" in perspectieven.wat_werkt(data)
    assert "We voerden 2 gesprekken: met minder dan 5 LHBT-inwoners en met minder dan 5 professionals" in text
    # the check itself finds what the report used to say
    assert _small_people_counts("Dit kwam ter sprake in 1 van de 2 gesprekken (3 fragmenten)", n, 5)
    assert _small_people_counts("met 1 LHBT-inwoner en 1 professional", n, 5)
    assert not _small_people_counts("13 fragmenten, in minder dan 5 gesprekken", n, 5)
    # with a threshold of 1 nothing is small, and the exact counts come back
    exact = dataclasses.replace(data, small_cell_threshold=1)
    assert "in 1 van de 2 gesprekken" in perspectieven.themas(exact)
    assert "in alle 2 gesprekken" in perspectieven.vragen_en_behoeften(exact)
    assert (
        perspectieven.key_findings(exact)[0]
        == "We voerden 2 gesprekken: met 1 LHBT-inwoner en 1 professional of vrijwilliger."
    )


# -- disclosure control: a study built to tempt each leak ------------------------------------------------

TEMPT_CODEBOOK = """\
codes:
  - id: veiligheid
    label: Veiligheid
    description: Over veiligheid.
  - id: incidenten
    parent: veiligheid
    label: Incidenten
    description: Concrete voorvallen.
  - id: onveiligheidsgevoel
    parent: veiligheid
    label: Gevoel van onveiligheid
    description: Zich onveilig voelen.
  - id: wat-werkt
    label: Wat werkt
    description: Wat goed werkt.
  - id: vragen-behoeften
    label: Vragen en behoeften
    description: Wat nog nodig is.
"""

# six residents in Groenoord, five professionals in Nieuwland, one police officer in Kethel, one care worker in Oost
TEMPT_ROWS = [("lhbt-inwoner", "Groenoord")] * 6 + [("wijkprofessional", "Nieuwland")] * 5
TEMPT_ROWS += [("politie", "Kethel"), ("zorg", "Oost")]


def make_tempting_study(root, rows=TEMPT_ROWS) -> Study:  # noqa: ANN001
    import datetime as dt

    from dialoog.study import transcripts

    (root / "codebook").mkdir(parents=True)
    (root / "codebook" / "codebook.yaml").write_text(TEMPT_CODEBOOK, encoding="utf-8")
    for i, (role, wijk) in enumerate(rows, start=1):
        meta = {
            "id": f"schiedam-{i:02d}",
            "gemeente": "Schiedam",
            "wijk": wijk,
            "datum": dt.date(2026, 3, 1),
            "interviewer": "Onderzoeker 1",
            "respondent": role,
            "consent": True,
            "pseudonymised": True,
            "fictional": True,
        }
        turns = [
            ("Interviewer", "Hoe veilig voelt u zich in de wijk, en wat heeft u meegemaakt?"),
            ("Respondent", f"Ik voel me hier niet altijd veilig, vooral 's avonds op straat bij de bushalte ({i})."),
            (
                "Respondent",
                f"De wijkagent kwam langs en nam het serieus, dat werkte echt goed voor ons allemaal ({i}).",
            ),
            (
                "Respondent",
                f"Ik mis een vast aanspreekpunt bij de gemeente waar ik terecht kan met zulke dingen ({i}).",
            ),
        ]
        transcripts.save(root / "interviews" / "schiedam" / f"schiedam-{i:02d}.md", meta, turns)
    study = Study(root)
    rows_out = []
    for _tid, t in sorted(study.transcripts.items()):
        for turn, code in zip(t.turns[1:], ("onveiligheidsgevoel", "wat-werkt", "vragen-behoeften"), strict=True):
            for coder in ("anouk", "bram"):
                rows_out.append((coder, codings.make(t, turn.start, turn.end, code, coder)))
    for coder in ("anouk", "bram"):
        codings.write(study.codings_path(coder), [c for who, c in rows_out if who == coder])
    police_id = next(tid for tid, t in sorted(study.transcripts.items()) if t.role == "politie")
    police = study.transcripts[police_id].turns[3]
    (root / "inventaris" / "schiedam").mkdir(parents=True)
    (root / "inventaris" / "schiedam" / "initiatieven.yaml").write_text(
        "gemeente: Schiedam\ninitiatieven:\n"
        "  - id: buurtpreventie\n    naam: Buurtpreventie Kethel\n    organisatie: gemeente\n"
        "    soort: ontmoeting\n    doelgroepen: [lhbt]\n    wijken: [Kethel]\n    status: lopend\n"
        f"    fragmenten: [{police_id}:{police.start}-{police.end}]\n",
        encoding="utf-8",
    )
    (root / "inventaris" / "schiedam" / "netwerk.yaml").write_text(
        "gemeente: Schiedam\norganisaties:\n  - id: gemeente\n    naam: Gemeente Schiedam\n    soort: gemeente\n",
        encoding="utf-8",
    )
    (root / "inventaris" / "schiedam" / "behoeften.yaml").write_text(
        "gemeente: Schiedam\nbehoeften:\n"
        "  - id: aanspreekpunt-kethel\n    behoefte: Een vast aanspreekpunt bij de gemeente\n"
        "    doelgroepen: [lhbt]\n    wijken: [Kethel]\n"
        f"    fragmenten: [{police_id}:{police.start}-{police.end}]\n",
        encoding="utf-8",
    )
    return Study(root)


@pytest.fixture
def tempting(tmp_path) -> Study:
    return make_tempting_study(tmp_path / "tempting")


def test_pooled_breakdowns_never_give_a_small_cell_away():
    assert privacy.pool_counts({"a": 6, "b": 5, "c": 1, "d": 1}, 5, "overig") == {"a": 6, "overig": 7}
    assert privacy.pool_counts({"a": 1, "b": 1, "c": 1, "d": 1}, 5, "overig") is None  # 4 rows of "< 5"
    assert privacy.pool_counts({"a": 9, "b": 7}, 5, "overig") == {"a": 9, "b": 7}
    # every split of up to 14 interviews over up to 4 groups: each printed cell is >= 5, and a pool holds >= 2 groups
    import itertools

    for parts in itertools.product(range(0, 8), repeat=4):
        counts = {f"g{i}": n for i, n in enumerate(parts)}
        pooled = privacy.pool_counts(counts, 5, "overig")
        if pooled is not None:
            assert all(v >= 5 for v in pooled.values())
            assert sum(pooled.values()) == sum(parts)
    # the old way: four rows of "< 5" beside a total of 4 give every row away
    assert privacy.recoverable(["< 5"] * 4, 4, 5)
    assert privacy.recoverable(["< 5", "< 5", "12"], 20, 5)  # 8 left over two cells of at most 4: both are 4
    assert not privacy.recoverable(["< 5", "< 5", "12"], 18, 5)


def test_methode_tables_pool_small_roles_and_wijken(tempting):
    data = load(tempting, SCHIEDAM)
    text = perspectieven.methode(data)
    cells = re.findall(r"<td>([^<]*)</td>", text)
    assert "Politie" not in cells and "Zorg" not in cells and "Kethel" not in cells
    assert "overige rollen" in cells and "overige wijken" in cells
    assert "&lt; 5" not in text and not [c for c in cells if c.isdigit() and 0 < int(c) < 5]


def test_small_breakdown_is_left_out(tiny_study):
    text = perspectieven.methode(load(tiny_study, SCHIEDAM))
    assert "niet per respondentrol uitgesplitst" in text and "niet per wijk uitgesplitst" in text
    assert "&lt; 5" not in text


def test_threshold_is_a_study_setting(tiny_study):
    (tiny_study.root / "dialoog.yaml").write_text("small_cell_threshold: 1\n", encoding="utf-8")
    data = load(Study(tiny_study.root), SCHIEDAM)
    assert data.small_cell_threshold == 1
    assert "<td>1</td>" in perspectieven.methode(data)


def test_quotes_name_a_role_or_wijk_only_when_it_has_enough_interviews(tempting):
    (tempting.root / "dialoog.yaml").write_text("quote_wijk: true\n", encoding="utf-8")
    data = load(Study(tempting.root), SCHIEDAM)
    disclosure = privacy.Disclosure.of(data)
    assert disclosure.speaker("Politie", "Kethel") == "respondent"
    assert disclosure.speaker("LHBT-inwoner", "Groenoord") == "LHBT-inwoner, Groenoord"
    for chapter in (perspectieven.wat_werkt, perspectieven.vragen_en_behoeften):
        text = chapter(data)
        attributions = re.findall(r"— \*([^*]+)\*", text)
        assert attributions
        assert not [a for a in attributions if "Politie" in a or "Zorg" in a or "Kethel" in a or "Oost" in a]
        assert "Politie" not in text and "Zorg" not in text.replace("zorg", "")


def test_quotes_of_a_single_police_officer_are_pooled(tempting):
    data = load(tempting, SCHIEDAM)
    q = perspectieven.quote_chapter(data, "wat-werkt", "wat-werkt", "Intro", limit=13)
    assert "— *respondent*" in q and "Politie" not in q


def test_no_small_wijk_beside_a_need_or_an_interview_count(tempting):
    from dialoog.report import inventory_chapters

    data = load(tempting, SCHIEDAM)
    needs = inventory_chapters.behoeften_tabel(data)
    assert "Een vast aanspreekpunt" in needs and "Kethel" not in needs and "overige wijken" in needs
    inits = inventory_chapters.initiatieven(data)
    row = re.search(r"<tr>\s*<td>Buurtpreventie Kethel</td>(.*?)</tr>", inits, re.S).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", row)
    assert "Kethel" in cells  # a public initiative keeps its wijk ...
    assert cells[-1] == "–"  # ... but not the number of interviews that mention it


def test_regional_chapter_four_prints_no_exact_small_counts(tempting):
    from dialoog.monitor.data import Region
    from dialoog.report import veiligheidsanalyse as regio

    small = make_tempting_study(
        tempting.root.parent / "small", rows=[("lhbt-inwoner", "Groenoord")] * 3 + [("politie", "Kethel")]
    )
    data = regio.RegionData(small, Region("test", "Test", [SCHIEDAM]), 2026, pd.DataFrame(), None, 5)
    text = regio.gesprekken(data)
    assert "In 2026 zijn 4 gesprekken geanalyseerd" in text
    assert not re.search(r"\b[1-4] van de 4\b", text)
    assert "minder dan 5" in text or "alle 4" in text
    assert "Politie" not in text


@pytest.mark.notebook
def test_every_demo_report_is_free_of_recoverable_small_cells(demo_copy):
    """Render every demo report (HTML) as a municipal officer gets it and try to undo the small-cell rules."""
    from dialoog.cli import main
    from dialoog.report import engine

    for slug in Study(demo_copy).gemeente_slugs():
        data = load(Study(demo_copy), find_gemeente(slug))
        n, t = len(data.interviews), data.small_cell_threshold
        html = engine.render(slug, study=demo_copy, formats=("html",)).html.read_text(encoding="utf-8")
        _assert_nothing_recoverable(html, n, t, data)
    assert main(["report", "--regio", "noord-nederland", "--jaar", "2026", "--study", str(demo_copy)]) == 0
    page = (demo_copy / "reports" / "regio-noord-nederland" / "veiligheidsanalyse-2026.html").read_text(
        encoding="utf-8"
    )
    assert not re.search(r"\b[1-4] van de \d+\b", page.split("4. Wat de gesprekken")[1].split("## 5")[0])


def _assert_nothing_recoverable(html: str, n: int, t: int, data) -> None:  # noqa: ANN001
    text = re.sub(r"<[^>]+>", " ", html)
    # no exact small share of interviews in running text ("in 3 van de 4 gesprekken")
    assert not [m for m in re.findall(r"\b(\d+) van de (\d+) gesprekken", text) if 0 < int(m[0]) < t]
    # every table with a column of interviews: no cell below the threshold, none recoverable from the total
    for table in re.findall(r"<table.*?</table>", html, re.S):
        head = re.findall(r"<th[^>]*>([^<]*)</th>", table)
        if "gesprekken" not in head:
            continue
        col = head.index("gesprekken")
        rows = [re.findall(r"<td[^>]*>([^<]*)</td>", r) for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
        cells = [r[col - (len(head) - len(r))] for r in rows if r]
        assert not [c for c in cells if c.strip().isdigit() and 0 < int(c) < t]
        assert not privacy.recoverable(cells, n, t) or "initiatief" in table.lower()
    # quotes: no role or wijk with fewer interviews than the threshold under a quote
    disclosure = privacy.Disclosure.of(data)
    small_roles = [r for r, k in disclosure.per_role.items() if 0 < k < t]
    for who in re.findall(r"— <em>([^<]+)</em>", html):
        assert not [r for r in small_roles if r in who], who
