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
