import pytest

from dialoog.errors import DialoogError, ValidationError
from dialoog.study import settings


def test_defaults_without_a_file(tmp_path):
    assert settings.load(tmp_path) == settings.Settings()


def test_values_are_read(tmp_path):
    (tmp_path / "dialoog.yaml").write_text("small_cell_threshold: 10\nquote_wijk: true\n", encoding="utf-8")
    s = settings.load(tmp_path)
    assert s.small_cell_threshold == 10 and s.quote_wijk is True


def test_unknown_key_names_file_line_and_key(tmp_path):
    (tmp_path / "dialoog.yaml").write_text("quote_wijk: false\nsmall_cells: 3\n", encoding="utf-8")
    with pytest.raises(DialoogError) as info:
        settings.load(tmp_path)
    assert info.value.line == 2 and info.value.key == "small_cells" and "known settings" in str(info.value)


def test_wrong_types_are_all_reported(tmp_path):
    (tmp_path / "dialoog.yaml").write_text("small_cell_threshold: vijf\nquote_wijk: 1\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        settings.load(tmp_path)
    assert {(p.key, p.line) for p in info.value.problems} == {("small_cell_threshold", 1), ("quote_wijk", 2)}
