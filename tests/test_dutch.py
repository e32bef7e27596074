"""The Dutch helpers every chapter uses: number agreement, lists, sentence starts, the study's term."""

from dialoog.report import dutch


def test_count_agrees_in_number():
    assert dutch.count(1, "gesprek", "gesprekken") == "1 gesprek"
    assert dutch.count(2, "gesprek", "gesprekken") == "2 gesprekken"
    assert dutch.count(0, "fragment", "fragmenten") == "0 fragmenten"
    assert dutch.count("minder dan 5", "gesprek", "gesprekken") == "minder dan 5 gesprekken"
    assert dutch.verb(1, "is", "zijn") == "is" and dutch.verb(3, "is", "zijn") == "zijn"


def test_a_sentence_never_starts_with_a_digit():
    assert dutch.count_start(1, "gesprek", "gesprekken") == "Eén gesprek"
    assert dutch.count_start(4, "gesprek", "gesprekken") == "Vier gesprekken"
    assert dutch.count_start(42, "gesprek", "gesprekken") == "In totaal 42 gesprekken"
    assert not dutch.count_start(16, "doel", "doelen")[0].isdigit()


def test_lists_repeat_the_preposition_when_an_item_has_en():
    assert dutch.join(["a"]) == "a" and dutch.join(["a", "b"]) == "a en b" and dutch.join("abc") == "a, b en c"
    assert dutch.join_with("over", ["veiligheid", "zichtbaarheid en acceptatie"]) == (
        "over veiligheid en over zichtbaarheid en acceptatie"
    )
    assert dutch.join_with("over", ["veiligheid", "melden", "zorg"]) == "over veiligheid, melden en zorg"


def test_labels_read_lower_case_in_a_sentence_except_abbreviations():
    assert dutch.lower_label("Politie") == "politie"
    assert dutch.lower_label("LHBT-inwoner") == "LHBT-inwoner"
    assert dutch.lower_label("COC Groningen") == "COC Groningen"


def test_the_term_for_the_community():
    assert dutch.Term().people == "LHBT's" and dutch.Term().compound("inwoners") == "LHBT-inwoners"
    plus = dutch.Term("lhbtiq+")
    assert plus.people == "lhbtiq+-personen" and plus.compound("jongeren") == "lhbtiq+-jongeren"


def test_the_term_is_applied_to_dialoogs_own_wording():
    plus = dutch.Term("lhbtiq+")
    text = "Perspectieven voor LHBT's in Zwolle: LHBT-inwoners en het LHBT netwerk."
    assert plus.apply(text) == "Perspectieven voor lhbtiq+-personen in Zwolle: lhbtiq+-inwoners en het lhbtiq+ netwerk."
    assert dutch.Term().apply(text) == text  # the default changes nothing


def test_a_study_with_its_own_term_gets_it_in_every_text(tiny_study, tmp_path):
    """`term: lhbtiq+` in dialoog.yaml: the report (title included), the leaflet and the chapters use it."""
    from lxml import html as lxml_html

    from dialoog.report import engine, perspectieven
    from dialoog.report.exports import leaflet_html

    (tiny_study.root / "dialoog.yaml").write_text("term: lhbtiq+\n", encoding="utf-8")
    data = perspectieven.load(tiny_study.root, "schiedam")
    text = "\n".join(perspectieven.parts(data))
    assert "lhbtiq+-personen in Schiedam" in text and "LHBT" not in text
    leaflet = lxml_html.fromstring(leaflet_html(str(tiny_study.root), "schiedam")).text_content()
    assert "LHBT" not in leaflet and "lhbtiq+" in leaflet
    out = tmp_path / "out"
    engine.render("schiedam", study=tiny_study.root, output=out, formats=("html",))
    page = (out / "schiedam" / "perspectieven.html").read_text(encoding="utf-8")
    assert "<title>Perspectieven voor lhbtiq+-personen in Schiedam</title>" in page
