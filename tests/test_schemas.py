"""One schema per study file, loaded through one strict loader: what YAML silently accepts is refused with
file, line and key; the published JSON Schemas validate the demo study; errors never quote transcript text."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml

from dialoog.assist import suggest
from dialoog.cli import main
from dialoog.errors import DialoogError, ValidationError
from dialoog.inventory import registers
from dialoog.monitor import data as monitor
from dialoog.monitor import schemas as monitor_schemas
from dialoog.privacy.detect import load_study_lists
from dialoog.study import codebook, codings, reportfiles, schemas, settings, transcripts
from dialoog.study.folder import Study
from dialoog.study.gemeenten import find_gemeente
from dialoog.study.yamlload import dump_yaml, load_yaml

from .conftest import REPO

SETTINGS = "small_cell_threshold: 5\nquote_wijk: false\n"
PRIVACY = "names: [Sanne de Vries]\nplaces: [Groenoord]\nallow: [Roze Zaterdag]\n"
REJECTED = "transcript,start,end,code,coder,timestamp\nschiedam-01,10,40,incidenten,anouk,2026-03-12T10:00:00+01:00\n"


def _inventory(study: Path) -> None:
    registers.load(Study(study), find_gemeente("Schiedam"))


#: kind: (file in the study, where its text comes from (a demo file or a sample), how the study loads it)
YAML_KINDS: dict[str, tuple[str, Path | str, Callable[[Path, Path], object]]] = {
    "settings": ("dialoog.yaml", SETTINGS, lambda root, path: settings.load(root)),
    "privacy": ("privacy.yaml", PRIVACY, lambda root, path: load_study_lists(root)),
    "codebook": ("codebook/codebook.yaml", REPO / "codebook/codebook.yaml", lambda root, path: codebook.load(path)),
    "initiatieven": (
        "inventaris/schiedam/initiatieven.yaml",
        REPO / "inventaris/schiedam/initiatieven.yaml",
        lambda root, path: _inventory(root),
    ),
    "behoeften": (
        "inventaris/schiedam/behoeften.yaml",
        REPO / "inventaris/schiedam/behoeften.yaml",
        lambda root, path: _inventory(root),
    ),
    "netwerk": (
        "inventaris/schiedam/netwerk.yaml",
        REPO / "inventaris/schiedam/netwerk.yaml",
        lambda root, path: _inventory(root),
    ),
    "doelen-en-acties": (
        "rapport/schiedam/doelen-en-acties.yaml",
        REPO / "rapport/schiedam/doelen-en-acties.yaml",
        lambda root, path: reportfiles.load_goals(path),
    ),
    "contacten": (
        "rapport/contacten.yaml",
        REPO / "rapport/contacten.yaml",
        lambda root, path: reportfiles.load_contacts(path),
    ),
    "organisaties": (
        "rapport/schiedam/organisaties.yaml",
        REPO / "rapport/schiedam/organisaties.yaml",
        lambda root, path: reportfiles.load_organisations(path),
    ),
    "alliantie": (
        "monitor/alliantie.yaml",
        REPO / "monitor/alliantie.yaml",
        lambda root, path: monitor.load_alliance(path),
    ),
    "regios": ("monitor/regios.yaml", REPO / "monitor/regios.yaml", lambda root, path: monitor.load_regions(path)),
    "enquete-mapping": (
        "monitor/enquete-mapping.yaml",
        REPO / "monitor/enquete-mapping.yaml",
        lambda root, path: monitor_schemas.load_mapping(path),
    ),
    "transcript": (
        "interviews/schiedam/schiedam-01.md",
        REPO / "interviews/schiedam/schiedam-01.md",
        lambda root, path: transcripts.load(path),
    ),
}
CSV_KINDS: dict[str, tuple[str, Path | str, Callable[[Path], object]]] = {
    "codings": ("codings/anouk.csv", REPO / "codings/anouk.csv", codings.read),
    "suggestions": ("suggestions/schiedam-01.csv", REPO / "suggestions/schiedam-01.csv", suggest.read_suggestions),
    "rejected": ("suggestions/rejected/anouk.csv", REJECTED, suggest.read_rejected),
    "monitor": ("monitor/monitor.csv", REPO / "monitor/monitor.csv", monitor.load_figures),
    **{
        kind: (
            f"monitor/{kind}.csv",
            REPO / f"monitor/{kind}.csv",
            lambda path, m=model: monitor_schemas.read_rows(path, m),
        )
        for kind, model in (
            ("enquete", monitor_schemas.EnqueteRow),
            ("statline", monitor_schemas.StatlineRow),
            ("discriminatie", monitor_schemas.DiscriminatieRow),
        )
    },
}

#: (name, lines to add, the added line the error must name (0 = the first added), the key it must name)
BAD_YAML = [
    ("duplicate key", ["{first}: x"], 0, "{first}"),
    ("anchor", ["zz-anchor: &a 1"], 0, "zz-anchor"),
    ("alias", ["zz-alias: *a"], 0, "zz-alias"),
    ("tab", ["zz-tab:", "\t- 1"], 1, "zz-tab"),
    ("invalid UTF-8", ["zz-bytes: caf\udce9"], 0, "zz-bytes"),  # a lone \xe9 byte (see _write)
]


def test_every_kind_is_tested():
    assert set(YAML_KINDS) | set(CSV_KINDS) == set(schemas.KINDS)


def _text(source: Path | str) -> str:
    return source.read_text(encoding="utf-8") if isinstance(source, Path) else source


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8", "surrogateescape"))


def _add(text: str, added: list[str], kind: str) -> tuple[str, int]:
    """`text` with `added` lines at the end of its YAML (a transcript: of its front matter); and the line
    number of the first added line."""
    lines = text.split("\n")
    at = lines.index("---", 1) if kind == "transcript" else len(lines) - (lines[-1] == "")
    return "\n".join(lines[:at] + added + lines[at:]), at + 1


def _problems(exc: DialoogError) -> list[DialoogError]:
    return exc.problems if isinstance(exc, ValidationError) else [exc]


@pytest.mark.parametrize("kind", sorted(YAML_KINDS))
@pytest.mark.parametrize(("name", "added", "offset", "key"), BAD_YAML, ids=[b[0] for b in BAD_YAML])
def test_yaml_kinds_refuse_what_yaml_accepts(tmp_path, kind, name, added, offset, key):
    relative, source, load = YAML_KINDS[kind]
    text = _text(source)
    top = yaml.safe_load(text.split("---")[1] if kind == "transcript" else text)
    first = next(iter(top))
    lines = [line.format(first=first) for line in added]
    text, at = _add(text, lines, kind)
    root = tmp_path / "studie"
    (root / "interviews").mkdir(parents=True)
    path = root / relative
    _write(path, text)
    with pytest.raises(DialoogError) as info:
        load(root, path)
    want = (path, at + offset, key.format(first=first))
    found = [(p.path, p.line, p.key) for p in _problems(info.value)]
    assert want in found, f"{name} in {kind}: {info.value}"
    problem = next(p for p in _problems(info.value) if (p.path, p.line, p.key) == want)
    assert str(path) in str(problem) and f"line {at + offset}" in str(problem) and f"key '{want[2]}'" in str(problem)


def test_a_nested_duplicate_names_its_whole_key(tmp_path):
    text = "codes:\n  - id: a\n    label: A\n    description: x\n    label: B\n"
    with pytest.raises(DialoogError) as info:
        load_yaml(text, tmp_path / "codebook.yaml")
    assert info.value.line == 5 and info.value.key == "codes[1].label"
    assert "duplicate key (first on line 3)" in str(info.value)


def _csv_with_bad_bytes(text: str) -> tuple[str, int, str]:
    """`text` with one more row whose third-from-last column holds a byte that is not UTF-8."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    cells = list(rows[-1]) if len(rows) > 1 else ["x"] * len(header)
    column = len(header) - 3
    cells[column] = "caf\udce9"
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows([*rows, cells])
    line = buf.getvalue().count("\n")  # the new row is the last line (no cell of it holds a newline)
    return buf.getvalue(), line, header[column]


@pytest.mark.parametrize("kind", sorted(CSV_KINDS))
def test_csv_kinds_name_line_and_column_of_bytes_that_are_not_utf8(tmp_path, kind):
    relative, source, load = CSV_KINDS[kind]
    text, line, column = _csv_with_bad_bytes(_text(source))
    path = tmp_path / relative
    _write(path, text)
    with pytest.raises(DialoogError) as info:
        load(path)
    assert (info.value.path, info.value.line, info.value.key) == (path, line, column)
    assert "not valid UTF-8" in str(info.value) and f"line {line}" in str(info.value)


@pytest.mark.parametrize("kind", sorted(CSV_KINDS))
def test_csv_kinds_refuse_a_duplicate_column(tmp_path, kind):
    relative, source, load = CSV_KINDS[kind]
    header, rest = _text(source).split("\n", 1)
    columns = header.split(",")
    path = tmp_path / relative
    _write(path, ",".join([columns[0], columns[0], *columns[2:]]) + "\n" + rest)
    with pytest.raises(DialoogError) as info:
        load(path)
    assert (info.value.path, info.value.line, info.value.key) == (path, 1, columns[1])
    assert "unexpected header" in str(info.value)


def test_a_body_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "interviews/schiedam/schiedam-01.md"
    text = (REPO / "interviews/schiedam/schiedam-01.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    last = max(i for i, line in enumerate(lines) if line.startswith("**"))
    lines[last] += " caf\udce9"
    _write(path, "\n".join(lines))
    with pytest.raises(DialoogError) as info:
        transcripts.load(path)
    assert info.value.line == last + 1 and info.value.key is None and "not valid UTF-8" in str(info.value)


# -- alias bombs and other hostile input --------------------------------------------------------


def _alias_bomb(levels: int = 12) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"  # 10**12 strings once expanded


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path):
    _write(tmp_path / "dialoog.yaml", _alias_bomb())
    with pytest.raises(DialoogError, match="anchor") as info:
        settings.load(tmp_path)
    assert info.value.line == 1 and info.value.key == "a0"
    front = "---\nid: schiedam-07\n" + _alias_bomb() + "---\n\n**Interviewer:** Vraag?\n"
    path = tmp_path / "interviews/schiedam/schiedam-07.md"
    _write(path, front)
    with pytest.raises(DialoogError, match="anchor") as info:
        transcripts.load(path)
    assert info.value.line == 3 and info.value.key == "a0"


def test_dump_yaml_writes_what_the_loader_reads(tmp_path):
    shared = ["Sanne", "S."]
    data = {"persons": [{"names": shared}, {"names": shared}]}
    assert "&id" in yaml.safe_dump(data)  # what safe_dump writes, and the loader would refuse
    assert load_yaml(dump_yaml(data), tmp_path / "x.yaml") == data


def test_a_huge_file_is_refused_without_parsing(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_bytes(b"codes:\n" + b"# padding\n" * 2_100_000)
    with pytest.raises(DialoogError, match="too large"):
        codebook.load(path)


# -- errors never quote transcript text -------------------------------------------------------------


def test_a_shifted_codings_row_names_column_and_row_not_the_text(tiny_study):
    path = tiny_study.codings_path("anouk")
    rows = path.read_text(encoding="utf-8").split("\n")
    cells = next(csv.reader([rows[1]]))
    text = cells[3]
    words = text.split()
    # a hand edit split the coded text at a comma without quotes and dropped the memo: columns shift right
    shifted = cells[:3] + [" ".join(words[:3]), " ".join(words[3:]), cells[4], cells[5], cells[7]]
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="").writerow(shifted)
    rows[1] = buf.getvalue()
    path.write_text("\n".join(rows), encoding="utf-8")
    problems = [p for p in Study(tiny_study.root).problems() if p.path == path]
    found = {(p.line, p.key) for p in problems}
    assert {(2, "code"), (2, "coder")} <= found
    for p in problems:
        for word in words:
            if len(word) > 3:
                assert word not in str(p), f"'{word}' of the transcript is quoted: {p}"
    code = next(p for p in problems if p.key == "code")
    assert "column 'code'" in str(code) and "line 2" in str(code)


def test_front_matter_errors_do_not_repeat_values(tmp_path):
    text = (REPO / "interviews/schiedam/schiedam-01.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---")[1])
    text = text.replace(f"respondent: {meta['respondent']}", "respondent: Sanne de Vries, buurvrouw", 1)
    path = tmp_path / "interviews/schiedam/schiedam-01.md"
    _write(path, text)
    with pytest.raises(DialoogError) as info:
        transcripts.load(path)
    assert info.value.key == "respondent" and "unknown respondent role" in str(info.value)
    assert "Sanne" not in str(info.value)


# -- the published JSON Schemas -------------------------------------------------------------------


def _typed(cell: str, schema: dict):
    """A CSV cell as the JSON value its column's schema describes (numbers, or null for an empty cell)."""
    options = schema.get("anyOf", [schema])
    types = {o.get("type") for o in options}
    if cell == "" and "null" in types:
        return None
    for kind, convert in (("integer", int), ("number", float)):
        if kind in types:
            try:
                return convert(cell)
            except ValueError:
                pass
    return cell


def _demo_documents(kind: str) -> list:
    spec = schemas.KINDS[kind]
    if kind in CSV_KINDS:
        sources = sorted(REPO.glob(spec.files)) or [CSV_KINDS[kind][1]]
        props = schemas.json_schema(kind)["properties"]
        out = []
        for source in sources:
            rows = list(csv.DictReader(_text(source).splitlines()))
            out.extend({k: _typed(v, props[k]) for k, v in row.items()} for row in rows)
        return out
    sources = [p for pattern in spec.files.split(", ") for p in sorted(REPO.glob(pattern))]
    sources = sources or [YAML_KINDS[kind][1]]
    docs = []
    for source in sources:
        text = _text(source)
        docs.append(yaml.safe_load(text.split("---")[1] if kind == "transcript" else text))
    return json.loads(json.dumps(docs, default=str))  # dates as YYYY-MM-DD, as in JSON


@pytest.mark.parametrize("kind", sorted(schemas.KINDS))
def test_the_json_schema_validates_the_demo_files(kind):
    schema = schemas.json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    docs = _demo_documents(kind)
    assert docs
    for doc in docs:
        validator.validate(doc)
    wrong = {**docs[0], "zz-unknown": 1}
    assert not validator.is_valid(wrong)  # an unknown key is an error in the schema, as in dialoog


def test_schema_command_lists_and_prints(capsys):
    assert main(["schema", "--list"]) == 0
    out = capsys.readouterr().out
    assert all(kind in out for kind in schemas.KINDS) and "inventaris/*/netwerk.yaml" in out
    assert main(["schema", "codebook"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].endswith("2020-12/schema") and "codes" in schema["required"]


def test_monitor_indicators_agree_with_the_schema():
    assert {k: (i.kind, i.groups) for k, i in monitor.INDICATORS.items()} == schemas.monitor.INDICATOR_KINDS


def test_validate_checks_rapport_privacy_and_suggestions(demo_copy, capsys):
    shutil.copytree(REPO / "rapport", demo_copy / "rapport")
    (demo_copy / "suggestions").mkdir()
    _write(demo_copy / "privacy.yaml", "names: [Sanne]\nnames: [Dennis]\n")
    goals = demo_copy / "rapport/schiedam/doelen-en-acties.yaml"
    goals.write_text(goals.read_text(encoding="utf-8") + "kleur: rood\n", encoding="utf-8")
    shutil.copy(REPO / "suggestions/schiedam-01.csv", demo_copy / "suggestions/schiedam-01.csv")
    sugg = demo_copy / "suggestions/schiedam-01.csv"
    sugg.write_text(sugg.read_text(encoding="utf-8").replace(",keywords,", ",orakel,", 1), encoding="utf-8")
    assert main(["validate", "--study", str(demo_copy)]) == 2
    err = capsys.readouterr().err
    assert "privacy.yaml, line 2, key 'names': duplicate key" in err
    assert "doelen-en-acties.yaml" in err and "key 'kleur': unknown key" in err
    assert "schiedam-01.csv" in err and "key 'source': unknown source" in err


def test_validate_checks_consensus_and_monitor_aggregates(tmp_path, capsys):
    """The consensus coding and the monitor's aggregate files are study files too: `validate` checks them."""
    import shutil

    from dialoog.cli import main

    from .conftest import REPO

    study = tmp_path / "demo"
    for name in ("interviews", "codebook", "codings", "inventaris", "monitor", "consensus"):
        shutil.copytree(REPO / name, study / name)
    assert main(["validate", "--study", str(study)]) == 0
    consensus = study / "consensus" / "consensus.csv"
    import csv
    import io

    rows = list(csv.reader(io.StringIO(consensus.read_text(encoding="utf-8"))))
    rows[1][rows[0].index("code")] = "geen-code"  # a code the codebook does not have
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    consensus.write_text(out.getvalue(), encoding="utf-8")
    (study / "monitor" / "statline.csv").write_text("jaar,gemeente\n2025,Schiedam\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "--study", str(study)]) == 2
    err = capsys.readouterr().err
    assert "consensus.csv, line 2" in err and "statline.csv, line 1" in err
