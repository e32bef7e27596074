import pytest

from dialoog.errors import DialoogError, ValidationError
from dialoog.study import codebook
from dialoog.study.yamlload import load_yaml

from .conftest import REPO


def parse(text: str, tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    return codebook.load(path)


def test_demo_codebook_covers_the_themes_of_the_schiedam_model():
    cb = codebook.load(REPO / "codebook" / "codebook.yaml")
    labels = {c.label.lower() for c in cb.codes.values()}
    for theme in [
        "veiligheid",
        "incidenten",
        "gevoel van onveiligheid",
        "melden en aangifte",
        "sociale netwerken",
        "zelfredzaamheid",
        "zichtbaarheid en acceptatie",
        "wat werkt",
        "wat werkt niet",
        "vragen en behoeften",
        "samenwerking van professionals",
        "initiatieven",
    ]:
        assert theme in labels
    assert cb.ancestors("incidenten") == ["veiligheid"]
    assert set(cb.descendants("veiligheid")) == {"incidenten", "onveiligheidsgevoel", "melden-aangifte"}
    for code in cb.codes.values():
        assert code.description and code.use_when and code.not_when and code.examples


def test_duplicate_id_names_both_lines(tmp_path):
    text = "codes:\n  - id: a\n    label: A\n    description: x\n  - id: a\n    label: B\n    description: y\n"
    with pytest.raises(DialoogError) as info:
        parse(text, tmp_path)
    assert info.value.line == 5 and info.value.key == "codes[2].id"
    assert "duplicate code id 'a' (first defined on line 2)" in str(info.value)


def test_unknown_parent(tmp_path):
    text = "codes:\n  - id: a\n    parent: b\n    label: A\n    description: x\n"
    with pytest.raises(DialoogError) as info:
        parse(text, tmp_path)
    assert info.value.line == 3 and info.value.key == "codes[1].parent" and "unknown parent 'b'" in str(info.value)


def test_cycle(tmp_path):
    text = (
        "codes:\n  - id: a\n    parent: b\n    label: A\n    description: x\n"
        "  - id: b\n    parent: a\n    label: B\n    description: y\n"
    )
    with pytest.raises(DialoogError) as info:
        parse(text, tmp_path)
    assert "cycle: a -> b -> a" in str(info.value)


def test_missing_label_and_unknown_key_are_both_reported(tmp_path):
    text = "codes:\n  - id: a\n    description: x\n    kleur: rood\n"
    with pytest.raises(ValidationError) as info:
        parse(text, tmp_path)
    assert {(p.key, p.line) for p in info.value.problems} == {("codes[1].label", 2), ("codes[1].kleur", 4)}


def test_no_codes_key(tmp_path):
    with pytest.raises(DialoogError, match="must have a key 'codes'"):
        parse("- id: a\n", tmp_path)


def test_yaml_lines_are_one_based(tmp_path):
    data = load_yaml("a: 1\nb:\n  c: 2\n", tmp_path / "x.yaml")
    assert data.line == 1 and data.key_lines == {"a": 1, "b": 2} and data["b"].line == 3


def test_walk_is_depth_first_in_file_order(tmp_path):
    text = (
        "codes:\n  - id: a\n    label: A\n    description: x\n  - id: b\n    label: B\n    description: y\n"
        "  - id: a1\n    parent: a\n    label: A1\n    description: z\n"
    )
    cb = parse(text, tmp_path)
    assert [c.id for c in cb.walk()] == ["a", "a1", "b"]
    assert cb.depth("a1") == 1
