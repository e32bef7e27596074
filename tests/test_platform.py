"""The LHBT-platform: export against the published JSON Schema, disclosure rules, the register's new fields,
merge with provenance and review list, and the static site's files and links (issue 20)."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
import yaml

from dialoog.cli import main
from dialoog.errors import DialoogError, ValidationError
from dialoog.inventory.registers import KINDS, TARGET_GROUPS
from dialoog.platform import platform_json_schema
from dialoog.platform.export import export_study, read_export, write_export
from dialoog.platform.matching import Matcher
from dialoog.platform.merge import merge_exports, normalise, read_decisions, write_review
from dialoog.platform.model import THEMES, PlatformExport
from dialoog.platform.searchindex import build_index, tokens
from dialoog.platform.site import build_site
from dialoog.platform.synthetic import synthetic_exports
from dialoog.study.folder import open_study

from .conftest import REPO

DEMO = ["schiedam", "groningen", "sudwest-fryslan"]


@pytest.fixture(scope="module")
def demo_exports(tmp_path_factory) -> dict[str, Path]:
    """The three demo municipalities, each exported by the command line as its own JSON file."""
    out = tmp_path_factory.mktemp("exports")
    for slug in DEMO:
        code = main(
            ["platform", "export", "--study", str(REPO), "--gemeente", slug, "--datum", "2026-11-20",
             "--output", str(out / f"{slug}.json")]
        )  # fmt: skip
        assert code == 0
    return {slug: out / f"{slug}.json" for slug in DEMO}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


# -- export and schema ----------------------------------------------------------------------------------


def test_demo_exports_are_valid_against_the_published_schema(demo_exports, capsys):
    assert main(["platform", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == platform_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for slug, path in demo_exports.items():
        data = json.loads(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == []
        assert [g["slug"] for g in data["gemeenten"]] == [slug]
        assert len(data["initiatieven"]) >= 7 and data["bronnen"][0]["fictief"] is True
        for item in data["initiatieven"]:
            assert item["themas"] and set(item["themas"]) <= set(THEMES)
            assert item["doel"] and item["aanpak"] and item["contact_organisatie"]
    # the schema rejects what the format forbids
    bad = json.loads(demo_exports["schiedam"].read_text(encoding="utf-8"))
    bad["initiatieven"][0]["themas"] = ["politiek"]
    bad["initiatieven"][1]["persoon"] = "iemand"
    del bad["formaat"]
    found = {tuple(e.absolute_path) or e.validator for e in validator.iter_errors(bad)}
    assert ("initiatieven", 0, "themas", 0) in found and ("initiatieven", 1) in found and "required" in found


def test_export_never_contains_transcript_text_except_publishable_quotes(demo_exports):
    study = open_study(REPO)
    bodies = [t.body for t in study.transcripts.values()]
    quotes = []
    for path in demo_exports.values():
        data = json.loads(path.read_text(encoding="utf-8"))
        quotes += [c["tekst"] for i in data["initiatieven"] for c in i["citaten"]]
        text = path.read_text(encoding="utf-8")
        assert "[persoon-" not in text and "interviewer" not in text.lower()
        for value in _strings(data):
            if len(value) >= 40 and value not in quotes:
                assert not any(value in body for body in bodies), "transcript text in the export"
    # the one quote the demo marks publishable is there, attributed to a role only
    assert len(quotes) == 1 and any(quotes[0] in body for body in bodies)
    schiedam = json.loads(demo_exports["schiedam"].read_text(encoding="utf-8"))
    wie = next(i for i in schiedam["initiatieven"] if i["id"] == "schiedam/wie-van-de-drie")
    assert wie["citaten"][0]["rol"] == "LHBT-inwoner" and set(wie["citaten"][0]) == {"tekst", "rol"}


def test_small_counts_are_bounded_and_needs_name_a_wijk_only_above_the_threshold(demo_copy):
    study = open_study(demo_copy)
    exp = export_study(study, ["schiedam"])
    counts = {i.vermeld_in_gesprekken for i in exp.initiatieven}
    assert counts <= {"0", "< 5"} | {str(n) for n in range(5, 100)} and "< 5" in counts
    balie = next(g for g in exp.gemeenten[0].lege_plekken if g.omschrijving.startswith("Meer licht"))
    assert balie.wijken == []  # one interview behind it: the wijk is left out
    zebrapad = next(i for i in exp.initiatieven if i.id == "schiedam/regenboogzebrapad")
    assert zebrapad.wijken == ["Centrum"]  # a public initiative may name its wijk
    (demo_copy / "dialoog.yaml").write_text("small_cell_threshold: 1\n", encoding="utf-8")
    exp = export_study(open_study(demo_copy), ["schiedam"])
    balie = next(g for g in exp.gemeenten[0].lege_plekken if g.omschrijving.startswith("Meer licht"))
    assert balie.wijken == ["Centrum"]
    assert "< " not in {i.vermeld_in_gesprekken[:2] for i in exp.initiatieven}


def _edit_register(root: Path, slug: str, init_id: str, **fields) -> None:
    path = root / "inventaris" / slug / "initiatieven.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    item = next(i for i in data["initiatieven"] if i["id"] == init_id)
    item.update(fields)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_unpublishable_initiatives_stay_off_and_newer_exports_replace_older_ones(demo_copy, tmp_path):
    old = export_study(open_study(demo_copy), ["groningen"], datum=__import__("datetime").date(2026, 1, 5))
    _edit_register(demo_copy, "groningen", "coc-jongerengroep", publiceerbaar=False)
    new = export_study(open_study(demo_copy), ["groningen"])
    assert "groningen/coc-jongerengroep" in {i.id for i in old.initiatieven}
    assert "groningen/coc-jongerengroep" not in {i.id for i in new.initiatieven}
    merged = merge_exports([("oud.json", old), ("nieuw.json", new)])
    ids = {i.id for i in merged.export.initiatieven}
    assert "groningen/coc-jongerengroep" not in ids and merged.superseded == ["groningen"]
    wie = next(i for i in merged.export.initiatieven if i.id == "groningen/wie-van-de-drie")
    assert [(h.bestand, h.datum.isoformat()) for h in wie.herkomst][0] == ("oud.json", "2026-01-05")
    assert {h.bestand for h in wie.herkomst} == {"oud.json", "nieuw.json"}
    # the inventory's own checker accepts the new keys
    assert main(["validate", "--study", str(demo_copy)]) == 0


def test_bad_platform_fields_are_named_by_file_line_and_key_without_the_value(demo_copy):
    _edit_register(demo_copy, "schiedam", "coming-out-dag", thema=["politiek"])
    _edit_register(demo_copy, "schiedam", "regenboogzebrapad", publiceerbaar="misschien")
    _edit_register(demo_copy, "schiedam", "wie-van-de-drie", contact_organisatie="jan-jansen")
    with pytest.raises(ValidationError) as err:
        export_study(open_study(demo_copy), ["schiedam"])
    text = str(err.value)
    assert "initiatieven.yaml" in text and "initiatieven[1].thema" in text  # checked by the register schema
    assert "initiatieven[3].contact_organisatie" in text and "initiatieven[2].publiceerbaar" in text
    assert re.search(r"initiatieven\.yaml, line \d+, key .initiatieven\[1\]\.thema", text)
    assert "jan-jansen" not in text and "misschien" not in text


def test_a_publishable_quote_must_be_a_coded_fragment(demo_copy):
    _edit_register(demo_copy, "schiedam", "regenboogzebrapad", publiceerbare_citaten=["schiedam-01:10-60"])
    with pytest.raises(DialoogError, match="not a coded segment") as err:
        export_study(open_study(demo_copy), ["schiedam"])
    problem = err.value.problems[0] if hasattr(err.value, "problems") else err.value
    assert problem.line and problem.key == "initiatieven[2].publiceerbare_citaten"


def test_csv_export_has_one_row_per_initiative(tmp_path):
    exp = export_study(open_study(REPO))
    exp.initiatieven[0].werkt = "=HYPERLINK(1)"
    write_export(exp, tmp_path / "alles.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "alles.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(exp.initiatieven) == 35
    assert rows[0]["werkt"].startswith("'=")  # never a spreadsheet formula
    assert {r["gemeente"] for r in rows} == {"Groningen", "Schiedam", "Súdwest-Fryslân"}
    with pytest.raises(DialoogError, match="FILE.json or FILE.csv"):
        write_export(exp, tmp_path / "alles.txt")


def test_reading_a_bad_export_names_the_file_and_key(tmp_path, demo_exports, monkeypatch):
    bad = tmp_path / "kapot.json"
    bad.write_text('{"formaat": "dialoog-platform",\n "versie": 1,\n', encoding="utf-8")
    with pytest.raises(DialoogError, match="not valid JSON") as err:
        read_export(bad)
    assert err.value.path == bad
    bad.write_text('{"formaat": ' + "[" * 200_000, encoding="utf-8")  # hostile nesting
    with pytest.raises(DialoogError, match="not valid JSON"):
        read_export(bad)
    bad.write_text('{"formaat": "iets anders"}', encoding="utf-8")
    with pytest.raises(DialoogError, match="not a dialoog platform export"):
        read_export(bad)
    data = json.loads(demo_exports["schiedam"].read_text(encoding="utf-8"))
    data["initiatieven"][0]["status"] = "geheim-adres"
    data["initiatieven"][1]["naam"] = "x" * 5000
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        read_export(bad)
    assert "initiatieven.0.status" in str(err.value) and "initiatieven.1.naam" in str(err.value)
    assert "geheim-adres" not in str(err.value)
    monkeypatch.setattr("dialoog.platform.export.MAX_BYTES", 100)
    with pytest.raises(DialoogError, match="larger than"):
        read_export(demo_exports["schiedam"])


# -- merge --------------------------------------------------------------------------------------------


def test_merge_recognises_the_same_initiative_and_lists_uncertain_matches(demo_exports, tmp_path):
    review = tmp_path / "review.csv"
    out = tmp_path / "samen.json"
    assert main(["platform", "merge", *map(str, demo_exports.values()), "-o", str(out), "--review", str(review)]) == 0
    merged = read_export(out)
    group = {i.id: i.groep for i in merged.initiatieven}
    roze = {group["schiedam/roze-in-blauw"], group["groningen/roze-in-blauw"], group["sudwest-fryslan/roze-in-blauw"]}
    assert len(roze) == 1 and roze != {""}
    assert group["schiedam/wie-van-de-drie"] == group["groningen/wie-van-de-drie"] != ""
    assert group["schiedam/coming-out-dag"] == group["sudwest-fryslan/coming-out-dag"] != ""
    assert group["schiedam/lhbt-platform"] == "" and group["groningen/coc-maatje"] == ""
    assert {h.bestand for h in merged.bronnen} == {f"{s}.json" for s in DEMO}
    rows = list(csv.DictReader(review.open(encoding="utf-8")))
    assert rows and all(r["zelfde"] == "" for r in rows)
    flag = next(r for r in rows if {r["a"], r["b"]} == {"groningen/regenboogvlag", "sudwest-fryslan/regenboogvlag"})
    assert float(flag["organisatie_score"]) >= 88 > float(flag["naam_score"])
    # a reviewer says yes to one pair and no to the others: the yes joins, the review list is empty
    for r in rows:
        r["zelfde"] = "ja" if r is flag else "nee"
    with review.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    result = merge_exports([(p.name, read_export(p)) for p in demo_exports.values()], read_decisions(review))
    group = {i.id: i.groep for i in result.export.initiatieven}
    assert group["groningen/regenboogvlag"] == group["sudwest-fryslan/regenboogvlag"] != ""
    assert result.review == []
    write_review(result.review, tmp_path / "leeg.csv")
    assert (tmp_path / "leeg.csv").read_text(encoding="utf-8").count("\n") == 1


def test_normalise_drops_places_small_words_and_accents():
    assert normalise("Roze in Blauw Noord-Nederland") == "roze blauw"
    assert normalise("Coming-out dag met theater in Sneek", "GM1900") == "coming out dag theater"
    assert normalise("COC Groningen & Drenthe") == "coc"
    assert tokens("Súdwest-Fryslân, Centrum Tûmba") == ["sudwest", "fryslan", "centrum", "tumba"]


# -- gaps and the search index ------------------------------------------------------------------------


def test_gaps_get_initiatives_elsewhere_that_work_for_the_same_doelgroep():
    exports = synthetic_exports(12, 10)
    merged = merge_exports([(f"{n}.json", e) for n, e in enumerate(exports)]).export
    matcher = Matcher(merged)
    checked = 0
    for g in merged.gemeenten:
        for gap in g.lege_plekken:
            found = matcher.for_gap(gap, g.slug)
            for i in found:
                assert i.gemeente_slug != g.slug and i.reported_to_work
            if gap.soort in {"behoefte", "doelgroep"} and found:
                wanted = set(gap.doelgroepen) - {"lhbt"} or set(gap.doelgroepen)
                assert set(found[0].doelgroepen) & wanted or set(found[0].themas) & set(gap.themas)
                checked += 1
            groups = [i.groep for i in found if i.groep]
            assert len(groups) == len(set(groups))  # one per group
    assert checked > 10


def test_search_index_postings_decode_to_the_documents_with_the_word():
    exp = export_study(open_study(REPO))
    items = exp.initiatieven
    index = build_index(items, sorted({i.gemeente for i in items}), lambda i: f"initiatief/{i.id}.html")
    k = index["woorden"].index("ouderen")
    row, docs, doc = index["posting"][k], [], 0
    for n in range(0, len(row), 2):
        doc += row[n]
        docs.append(doc)

    def text(i):
        fields = [i.naam, i.doel, i.aanpak, i.werkt, i.werkt_niet, i.gemeente, i.contact_organisatie]
        labels = [KINDS[i.soort], *(TARGET_GROUPS[g] for g in i.doelgroepen), *(THEMES[t][0] for t in i.themas)]
        return " ".join(fields + i.wijken + i.organisaties + i.ook_bekend_als + i.werkzame_elementen + labels)

    expected = [n for n, i in enumerate(items) if "ouderen" in tokens(text(i))]
    assert docs == expected and len(docs) >= 3
    assert index["woorden"] == sorted(index["woorden"])


# -- the site's files ---------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key])


def test_site_has_every_page_and_only_internal_links(demo_exports, tmp_path):
    out = tmp_path / "site"
    site, merged = build_site(list(demo_exports.values()), out)
    assert site.initiatives == 35 and site.gemeenten == 3
    for name in ["index.html", "over.html", "gemeente/schiedam.html", "thema/veiligheid.html",
                 "doelgroep/ouderen.html", "initiatief/groningen/roze-ouderensoos.html", "assets/zoekindex.js",
                 "data/platform.json", "data/platform.csv", "data/schema.json"]:  # fmt: skip
        assert (out / name).is_file(), name
    assert site.pages == 2 + len(THEMES) + 12 + 3 + 35
    for page in out.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            assert not re.match(r"^[a-z]+:", link), f"{page}: external link {link}"
            target = link.split("#")[0].split("?")[0]
            if target:
                assert (page.parent / target).resolve().is_file(), f"{page.relative_to(out)}: broken link {link}"
    data = PlatformExport.model_validate_json((out / "data" / "platform.json").read_text(encoding="utf-8"))
    assert len(data.initiatieven) == 35
    html = (out / "gemeente" / "schiedam.html").read_text(encoding="utf-8")
    assert 'id="lege-plekken"' in html and "Wat elders werkt" in html and "Koppeling aan een COC-vrijwilliger" in html
    # building again replaces the site; a folder that is not a site is refused
    build_site(list(demo_exports.values()), out)
    (tmp_path / "anders").mkdir()
    (tmp_path / "anders" / "brief.txt").write_text("niet weggooien", encoding="utf-8")
    with pytest.raises(DialoogError, match="not a platform site"):
        build_site(list(demo_exports.values()), tmp_path / "anders")
    assert (tmp_path / "anders" / "brief.txt").is_file()


def test_a_new_study_exports_its_registers_without_the_platform_fields(tiny_study, capsys):
    root = str(tiny_study.root)
    with pytest.raises(DialoogError, match="no inventory registers"):
        export_study(tiny_study)
    assert main(["inventory", "--init", "--gemeente", "schiedam", "--study", root]) == 0
    netwerk = tiny_study.root / "inventaris" / "schiedam" / "netwerk.yaml"
    netwerk.write_text(
        netwerk.read_text(encoding="utf-8").replace(
            "organisaties: []", "organisaties:\n  - {id: coc, naam: COC Haaglanden, soort: coc, lhbt_netwerk: true}"
        ),
        encoding="utf-8",
    )
    register = tiny_study.root / "inventaris" / "schiedam" / "initiatieven.yaml"
    register.write_text(
        register.read_text(encoding="utf-8").replace(
            "initiatieven: []",
            "initiatieven:\n  - {id: trans-inloop, naam: Inloop voor transgender personen, organisatie: coc,"
            " soort: ontmoeting, doelgroepen: [trans], wijken: [Groenoord], status: lopend, werkt: een vaste avond}",
        ),
        encoding="utf-8",
    )
    out = tiny_study.root / "export.json"
    assert main(["platform", "export", "--study", root, "--output", str(out)]) == 0
    assert "1 initiative(s) have no doel or aanpak yet" in capsys.readouterr().out
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(platform_json_schema()).iter_errors(data)) == []
    (item,) = data["initiatieven"]
    assert item["themas"] == ["bi-trans-intersekse"] and item["wijken"] == ["Groenoord"]
    assert item["organisaties"] == ["COC Haaglanden"] and item["vermeld_in_gesprekken"] == "0"
    assert data["bronnen"][0]["fictief"] is False and data["bronnen"][0]["uitgever"] == "Gemeente Schiedam"
    gaps = {g["soort"] for g in data["gemeenten"][0]["lege_plekken"]}
    assert {"doelgroep", "wijken"} <= gaps


def test_a_review_list_with_a_wrong_answer_names_its_line(tmp_path):
    review = tmp_path / "twijfel.csv"
    review.write_text("a,b,zelfde\nschiedam/x,groningen/y,ja\nschiedam/x,groningen/z,misschien\n", encoding="utf-8")
    with pytest.raises(DialoogError, match="write ja or nee") as err:
        read_decisions(review)
    assert err.value.line == 3 and err.value.key == "zelfde" and "misschien" not in str(err.value)
    review.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(DialoogError, match="lacks columns"):
        read_decisions(review)


def test_a_merged_file_merged_again_keeps_the_newest_gemeente_by_its_own_date(demo_copy):
    import datetime as dt

    study = open_study(demo_copy)
    older = export_study(study, ["schiedam"], datum=dt.date(2026, 2, 1))
    groningen = export_study(study, ["groningen"], datum=dt.date(2026, 9, 1))
    both = merge_exports([("schiedam.json", older), ("groningen.json", groningen)]).export
    _edit_register(demo_copy, "schiedam", "lhbt-platform", status="lopend", sinds=2027)
    newer = export_study(open_study(demo_copy), ["schiedam"], datum=dt.date(2026, 5, 1))
    # the merged file is dated September (Groningen) but its Schiedam part is from February
    again = merge_exports([("nieuw.json", newer), ("samen.json", both)]).export
    platform = next(i for i in again.initiatieven if i.id == "schiedam/lhbt-platform")
    assert platform.status == "lopend" and {g.slug for g in again.gemeenten} == {"schiedam", "groningen"}
