import dataclasses

import pandas as pd

from dialoog.report import perspectieven
from dialoog.study import analysis
from dialoog.study.folder import Study
from dialoog.study.gemeenten import find_gemeente


def load(study):
    return analysis.load(study, find_gemeente("Schiedam"))


def test_merge_segments_counts_overlapping_codings_once():
    codings = pd.DataFrame(
        [
            ("t1", 0, 50, "a", "incidenten", "Incidenten", "anouk", "LHBT-inwoner"),
            ("t1", 10, 60, "b", "incidenten", "Incidenten", "bram", "LHBT-inwoner"),
            ("t1", 70, 90, "c", "incidenten", "Incidenten", "bram", "LHBT-inwoner"),
            ("t1", 0, 50, "a", "wat-werkt", "Wat werkt", "bram", "LHBT-inwoner"),
        ],
        columns=["transcript", "start", "end", "text", "code", "label", "coder", "rol"],
    )
    segs = analysis.merge_segments(codings)
    assert len(segs) == 3
    first = segs[(segs.code == "incidenten") & (segs.start == 0)].iloc[0]
    assert first.n_coders == 2 and first.coders == "anouk, bram"


def test_theme_frequencies_roll_subcodes_up(tiny_study):
    data = load(tiny_study)
    top = analysis.theme_frequencies(data).set_index("code")
    assert top.loc["veiligheid", "fragmenten"] == 1 and top.loc["veiligheid", "interviews"] == 1
    assert top.loc["vragen-behoeften", "interviews"] == 2
    assert top.loc["wat-werkt-niet", "fragmenten"] == 2  # one agreed segment in t2, one by bram only in t1
    per_code = analysis.theme_frequencies(data, top_level=False).set_index("code")
    assert (
        per_code.loc["veiligheid", "fragmenten"] == 0
        and per_code.loc["incidenten", "thema"] == "Veiligheid › Incidenten"
    )


def test_themes_by_role_is_segments_per_interview(tiny_study):
    data = load(tiny_study)
    assert analysis.themes_by_role(data).columns.empty  # one interview per role: no breakdown at threshold 5
    mean = analysis.themes_by_role(dataclasses.replace(data, small_cell_threshold=1))
    assert list(mean.columns) == ["LHBT-inwoner (n = 1)", "Wijkprofessional (n = 1)"]
    assert mean.loc["Vragen en behoeften", "LHBT-inwoner (n = 1)"] == 1.0
    assert mean.loc["Wat werkt niet", "Wijkprofessional (n = 1)"] == 1.0


def _with_roles(data, counts):
    rows = [{"id": f"{rol}-{i}", "rol": rol} for rol, n in counts.items() for i in range(n)]
    return dataclasses.replace(data, interviews=pd.DataFrame(rows))


def test_role_groups_pool_small_roles_until_every_group_reaches_the_threshold(tiny_study):
    data = load(tiny_study)
    groups = analysis.role_groups(_with_roles(data, {"LHBT-inwoner": 8, "Wijkprofessional": 3, "Politie": 2}))
    assert groups == {"LHBT-inwoner": "LHBT-inwoner", "Wijkprofessional": "overige rollen", "Politie": "overige rollen"}
    # the pool (2) stays below 5: the smallest role of its own (6) joins it
    groups = analysis.role_groups(_with_roles(data, {"LHBT-inwoner": 9, "Wijkprofessional": 6, "Politie": 2}))
    assert groups == {"LHBT-inwoner": "LHBT-inwoner", "Wijkprofessional": "overige rollen", "Politie": "overige rollen"}
    # no role reaches 5 (or only by pooling everything): no breakdown at all
    assert analysis.role_groups(_with_roles(data, {"LHBT-inwoner": 4, "Wijkprofessional": 4})) == {}
    assert analysis.role_groups(_with_roles(data, {"LHBT-inwoner": 5, "Politie": 2})) == {}


def test_quotes_prefer_agreement_and_carry_only_the_role(tiny_study):
    q = analysis.quotes(load(tiny_study), "wat-werkt-niet", limit=5)
    assert list(q.columns) == ["text", "rol", "wijk"]
    assert q.iloc[0].text.startswith("Melden gebeurt weinig")  # both coders agreed
    assert set(q.rol) == {"LHBT-inwoner", "Wijkprofessional"}


def test_excluded_transcripts_are_counted_not_read(tiny_study):
    path = tiny_study.transcripts["schiedam-02"].path
    path.write_text(path.read_text(encoding="utf-8").replace("consent: true", "consent: false"), encoding="utf-8")
    data = load(Study(tiny_study.root))
    assert data.excluded == 1 and list(data.interviews.id) == ["schiedam-01"]
    assert set(data.codings.transcript) == {"schiedam-01"}
    assert "1 gesprek is niet meegenomen" in perspectieven.methode(data)


def test_report_text_is_dutch_and_attributes_quotes_to_roles_only(tiny_study):
    data = load(tiny_study)
    cover = perspectieven.title(data)
    assert "Perspectieven voor LHBT's in" in cover and "Schiedam" in cover and 'href="#wat-werkt"' in cover
    chapter = perspectieven.wat_werkt(data)
    assert f'<h2 id="wat-werkt">{perspectieven.numbered_title("wat-werkt")}</h2>' in chapter
    assert perspectieven.numbered_title("wat-werkt") == "5. Wat werkt"
    assert "— *respondent*" in chapter and "schiedam-01" not in chapter and "Groenoord" not in chapter
    # one interview per role: the role is named under a quote only with a threshold it reaches
    chapter = perspectieven.wat_werkt(dataclasses.replace(data, small_cell_threshold=1))
    assert "— *LHBT-inwoner*" in chapter
    themas = perspectieven.themas(data)
    assert themas.count("<figure") == 1 and 'alt="Staafdiagram' in themas and "data:image/png;base64," in themas
    assert "Veiligheid › Incidenten: 1 fragment in minder dan 5 gesprekken" in themas
    assert "Een uitsplitsing naar respondentrol laten we weg" in themas and "Figuur 4.2" not in themas
    themas = perspectieven.themas(dataclasses.replace(data, small_cell_threshold=1))
    assert themas.count("<figure") == 2 and 'alt="Heatmap' in themas and "Figuur 4.2" in themas
    assert "Veiligheid › Incidenten: 1 fragment in 1 van de 2 gesprekken" in themas


def test_report_without_codings_says_so(tiny_study):
    for path in tiny_study.coder_files():
        path.unlink()
    data = load(Study(tiny_study.root))
    assert "nog geen gecodeerde fragmenten" in perspectieven.themas(data)
    assert "geen fragmenten gecodeerd" in perspectieven.vragen_en_behoeften(data)


def test_quotes_name_the_wijk_only_when_the_study_allows_it(tiny_study):
    assert "Groenoord" not in perspectieven.wat_werkt(load(tiny_study))
    (tiny_study.root / "dialoog.yaml").write_text("quote_wijk: true\n", encoding="utf-8")
    (tiny_study.root / "dialoog.yaml").write_text("quote_wijk: true\nsmall_cell_threshold: 1\n", encoding="utf-8")
    assert "— *LHBT-inwoner, Groenoord*" in perspectieven.wat_werkt(load(Study(tiny_study.root)))
