"""Pseudonymisation on the fictional fixture transcripts in tests/fixtures/privacy/.

deduce is loaded once per test session; its lookup cache and dialoog's smaller one built from it live in the
user's cache folder (or $DIALOOG_CACHE_DIR), so only the very first run on a machine builds them (about 2-4
minutes).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

import pytest
import yaml

import dialoog.privacy as privacy
from dialoog.errors import DialoogError
from dialoog.ingest import text as importer
from dialoog.privacy import detect as ps
from dialoog.study.folder import Study
from dialoog.study.gemeenten import find_gemeente

from .conftest import REPO, TINY_CODEBOOK

FIXTURES = Path(__file__).parent / "fixtures" / "privacy"
EXPECTED = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))["transcripts"]
LISTS = ps.load_study_lists(FIXTURES)
LABELS_IN_FIXTURES = sorted({label for t in EXPECTED.values() for label in t["entities"]})


def _text(name: str) -> str:
    return (FIXTURES / "raw" / name).read_text(encoding="utf-8")


def _all_strings() -> set[str]:
    return {s for t in EXPECTED.values() for strings in t["entities"].values() for s in strings}


def import_fixtures(root: Path) -> Study:
    """A study with the raw fixture transcripts imported (consent given, not pseudonymised)."""
    (root / "codebook").mkdir(parents=True)
    (root / "codebook" / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    shutil.copy(FIXTURES / "privacy.yaml", root / "privacy.yaml")
    for name, info in EXPECTED.items():
        g = find_gemeente(info["gemeente"])
        result = importer.read_transcript(FIXTURES / "raw" / name)
        meta = importer.build_meta(
            info["id"],
            g,
            wijk=info["wijk"],
            datum=dt.date(2026, 3, 1),
            interviewer="Onderzoeker 1",
            respondent=info["respondent"],
            consent=True,
        )
        meta["fictional"] = True
        importer.write_transcript(root / "interviews", g, result, meta)
    return Study(root)


@pytest.fixture(scope="module")
def pseudonymised(tmp_path_factory) -> Study:
    study = import_fixtures(tmp_path_factory.mktemp("privacy") / "study")
    privacy.pseudonymise_study(study)
    return Study(study.root)


# -- detection ------------------------------------------------------------------------------------


@pytest.mark.parametrize("label", LABELS_IN_FIXTURES)
def test_every_annotated_item_of_each_label_is_found(label):
    missed = []
    for name, info in EXPECTED.items():
        text = _text(name)
        found = ps.find_personal_data(text, LISTS)
        for s, e, lab in privacy.expected_spans(text, info["entities"]):
            if lab == label and not privacy.score(found, [(s, e, lab)], [])[lab]["tp"]:
                missed.append((name, text[s:e]))
    assert not missed


def test_public_organisations_and_places_stay_readable():
    lost = []
    for name, info in EXPECTED.items():
        text = _text(name)
        found = ps.find_personal_data(text, LISTS)
        entities = privacy.expected_spans(text, info["entities"])
        for word in info["keep"]:
            for s, e, _ in privacy.expected_spans(text, {"keep": [word]}):
                inside_entity = any(a <= s and e <= b for a, b, _ in entities)
                if not inside_entity and any(f.start < e and s < f.end for f in found):
                    lost.append((name, word))
    assert not lost


def test_find_personal_data_returns_offsets_into_the_text():
    text = "Ik ben Sanne de Vries, bel me op +31 6 1234 5678 of mail sanne punt de vries at gmail punt com."
    spans = ps.find_personal_data(text)
    assert [s.label for s in spans] == ["persoon", "telefoonnummer", "e-mailadres"]
    for s in spans:
        assert text[s.start : s.end] == s.text
    assert ps.apply(text, spans) == "Ik ben [persoon], bel me op [telefoonnummer] of mail [e-mailadres]."


def test_possessive_and_lower_case_mentions_get_the_same_pseudonym():
    key = ps.PseudonymKey()
    text = "Semhar Tesfay woont hier. Semhar's broer en semhar zelf."
    out = ps.apply(text, ps.find_personal_data(text), key, "t1")
    assert out == "[persoon-1] woont hier. [persoon-1]'s broer en [persoon-1] zelf."


def test_ages_in_words_and_durations():
    spans = ps.find_personal_data("Ik ben vierendertig jaar en ik werk nu vier jaar in het wijkteam.")
    assert [(s.label, s.text) for s in spans] == [("leeftijd", "vierendertig jaar")]


def test_compound_wijk_names_stay_readable():
    text = "Ik woon in Schiedam-Noord en werk in Groenoord, bij het WIJ-team van de gemeente Groningen."
    assert ps.find_personal_data(text) == []


def test_importing_deduce_leaves_the_root_logger_alone():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    from dialoog.privacy import engine as engine_mod

    with engine_mod._quiet_root_logger():
        logging.basicConfig(level=logging.DEBUG)
    assert root.handlers == handlers and root.level == level
    ps.engine()
    assert root.level == level


def test_study_lists_are_validated(tmp_path):
    (tmp_path / "privacy.yaml").write_text("names: [Semhar]\nplekken: [Vinkhuizen]\n", encoding="utf-8")
    with pytest.raises(DialoogError, match=r"privacy.yaml, line 2, key 'plekken'"):
        ps.load_study_lists(tmp_path)


# -- the study ------------------------------------------------------------------------------------


def test_no_original_name_or_contact_detail_is_left(pseudonymised):
    texts = "\n".join(t.path.read_text(encoding="utf-8") for t in pseudonymised.transcripts.values())
    left = [s for s in _all_strings() if s in texts]
    assert not left
    assert all(t.meta["pseudonymised"] for t in pseudonymised.transcripts.values())
    for word in ("COC", "Roze in Blauw", "Vinkhuizen", "Schiedam-Noord", "meldpunt discriminatie"):
        assert word in texts


def test_pseudonyms_are_consistent_in_labels_and_text(pseudonymised):
    t = pseudonymised.transcripts["schiedam-02"]
    label = t.turns[1].speaker
    assert label.startswith("[persoon-") and label.endswith(" (COC)")
    pseudonym = label.split(" ")[0]
    assert t.turns[1].text.startswith(f"Ik ben {pseudonym}")


def test_key_is_private_and_reused_for_new_transcripts(pseudonymised, tmp_path):
    key_file = pseudonymised.root / privacy.KEY_FILE
    key = ps.PseudonymKey.load(key_file)
    assert "semhar tesfay" in key.known_names()
    # a new transcript about the same person gets the same pseudonym
    new = pseudonymised.root / "interviews" / "schiedam" / "schiedam-09.md"
    old = pseudonymised.transcripts["schiedam-01"]
    meta = {**old.meta, "id": "schiedam-09", "pseudonymised": False}
    from dialoog.study import transcripts

    transcripts.save(
        new, meta, [("Interviewer", "Heb je Semhar Tesfay gesproken?"), ("Respondent", "Ja, semhar ken ik.")]
    )
    try:
        privacy.pseudonymise_study(Study(pseudonymised.root), ids=["schiedam-09"])
        first = Study(pseudonymised.root).transcripts["schiedam-01"].body
        body = Study(pseudonymised.root).transcripts["schiedam-09"].body
        pseudonym = key.person("Semhar Tesfay")
        assert pseudonym in first and f"Heb je {pseudonym} gesproken?" in body and f"Ja, {pseudonym} ken ik." in body
    finally:
        new.unlink()
    assert key_file.stat().st_mode & 0o077 == 0


def test_rerunning_is_idempotent(pseudonymised):
    before = {p: p.read_bytes() for p in pseudonymised.interviews_dir.glob("*/*.md")}
    results = privacy.pseudonymise_study(Study(pseudonymised.root))
    assert all(r.skipped for r in results)
    assert {p: p.read_bytes() for p in pseudonymised.interviews_dir.glob("*/*.md")} == before


def test_key_inside_reports_is_refused(tmp_path):
    study = Study(tmp_path)
    with pytest.raises(DialoogError, match="must not be inside the reports folder"):
        privacy.key_path(study, tmp_path / "reports" / "x.key.yaml")


def test_review_lists_what_remains_suspicious():
    text = "Toen kwam Tsegereda langs, ze belde van 0612 34 567 8. Het COC hielp in 1999."
    from dialoog.privacy.review import review

    found = [(s.text, s.reason) for s in review(text)]
    assert any(t == "Tsegereda" for t, _ in found)
    assert any("0612" in t for t, _ in found)
    assert not any(t in ("COC", "Het", "Toen") for t, _ in found)
    quiet = "Ze werkt bij LHBT-zaken en praat over LHBT's, Queer-avonden en de Alliantie bij de Vismarkt."
    assert review(quiet) == []


def test_cli_pseudonymise_never_prints_names(tmp_path, capsys):
    from dialoog.cli import main

    study = import_fixtures(tmp_path / "study")
    assert main(["pseudonymise", "--study", str(study.root)]) == 0
    out = capsys.readouterr()
    assert not [s for s in _all_strings() if s in out.out + out.err]
    assert "schiedam-01:" in out.out and "persoon" in out.out
    assert "names in speaker labels" in out.out  # names replaced in labels are counted too
    assert main(["pseudonymise", "--review", "--study", str(study.root)]) == 0


def test_demo_study_is_pseudonymised():
    demo = Study(REPO)
    assert demo.transcripts and all(t.meta["pseudonymised"] for t in demo.transcripts.values())


@pytest.mark.notebook
def test_raw_to_pseudonymised_to_report_leaves_no_identifying_data(tmp_path):
    from dialoog.report.engine import render

    study = import_fixtures(tmp_path / "study")
    with pytest.raises(DialoogError, match="not pseudonymised"):
        render("schiedam", study=study.root)
    privacy.pseudonymise_study(study)
    result = render("schiedam", study=study.root)
    html = result.html.read_text(encoding="utf-8")
    assert "Schiedam" in html
    left = [s for s in _all_strings() if s in html]
    assert not left


def test_a_first_name_goes_to_the_full_name_in_the_same_transcript():
    key = ps.PseudonymKey()
    de_vries = key.person("Sanne de Vries", "t1")
    bakker = key.person("Sanne Bakker", "t2")
    assert de_vries != bakker
    assert key.person("Sanne", "t2") == bakker and key.person("Bakker", "t2") == bakker
    assert key.person("sanne", "t1") == de_vries
    assert key.person("Sanne", "t3") == de_vries  # no full name in t3: the person the key saw first
    key.person("Sanne Jansen", "t2")
    assert key.person("Sanne", "t2") == de_vries  # two Sannes in t2: ambiguous, so the first one again


def _study_of(tmp_path: Path, gemeente: str, wijk: str, turns: dict[str, list[tuple[str, str]]]) -> Path:
    """A study of raw transcripts (id -> turns) of one gemeente and wijk, with the tiny codebook."""
    from dialoog.study import transcripts
    from dialoog.study.gemeenten import find_gemeente

    root = tmp_path / "study"
    (root / "codebook").mkdir(parents=True)
    (root / "codebook" / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    meta = {
        "gemeente": gemeente,
        "wijk": wijk,
        "datum": dt.date(2026, 3, 1),
        "interviewer": "Onderzoeker 1",
        "respondent": "lhbt-inwoner",
        "consent": True,
        "pseudonymised": False,
        "fictional": True,
    }
    folder = root / "interviews" / find_gemeente(gemeente).slug
    for tid, tt in turns.items():
        transcripts.save(folder / f"{tid}.md", {"id": tid, **meta}, tt)
    return root


def test_first_names_before_the_full_name_and_in_other_transcripts(tmp_path):
    turns = {
        "schiedam-01": [("Respondent", "Ik heb veel gehad aan Sanne de Vries van het wijkteam.")],
        "schiedam-02": [
            ("Respondent", "Sanne belde me de volgende dag terug."),
            ("Respondent", "Ze heet Sanne Bakker en werkt bij de woningcorporatie."),
        ],
    }
    root = _study_of(tmp_path, "Schiedam", "Groenoord", turns)
    privacy.pseudonymise_study(Study(root))
    study = Study(root)
    one, two = (study.transcripts[i].turns for i in ("schiedam-01", "schiedam-02"))
    de_vries = one[0].text.split("aan ")[1].split(" ")[0]
    bakker = two[1].text.split("heet ")[1].split(" ")[0]
    assert de_vries.startswith("[persoon-") and bakker.startswith("[persoon-") and de_vries != bakker
    assert two[0].text == f"{bakker} belde me de volgende dag terug."
    assert "Sanne" not in "".join(t.text for t in [*one, *two])


def test_wijken_of_the_front_matter_stay_readable(tmp_path):
    """A wijk that the gazetteer lacks ("Sint Marten" in Arnhem, also a name) stays readable when a transcript
    of the study names it in its front matter, without a privacy.yaml."""
    assert any(s.text == "Sint Marten" for s in ps.find_personal_data("Sint Marten is een fijne wijk."))
    turns = [("Respondent", "Ik woon in Sint Marten, naast Joke Hendriks. Sint Marten is een fijne wijk.")]
    root = _study_of(tmp_path, "Arnhem", "Sint Marten", {"arnhem-01": turns})
    privacy.pseudonymise_study(Study(root))
    text = Study(root).transcripts["arnhem-01"].turns[0].text
    assert text.count("Sint Marten") == 2 and "Joke" not in text and "[persoon-" in text


# -- held-out set and the forms of issue 15 --------------------------------------------------------------

HELDOUT = Path(__file__).parent / "fixtures" / "privacy_heldout"


@pytest.mark.parametrize(
    ("folder", "minimum"),
    [
        (HELDOUT, 150),
        (HELDOUT.with_name("privacy_unseen"), 45),
        (HELDOUT.with_name("privacy_dev2"), 60),
        (HELDOUT.with_name("privacy_dev3"), 45),
        (HELDOUT.with_name("privacy_dev4"), 25),
    ],
    ids=["held-out", "unseen", "dev2", "dev3", "dev4"],
)
def test_fixture_interviews_reach_the_recall_and_readability_goals(folder, minimum):
    """Recall >= 0.95 overall and >= 0.99 for persons, >= 0.95 public entities kept (benchmarks/ has the figures)."""
    n, recall, persons, kept = _fixture_scores(folder)
    assert n >= minimum
    assert recall >= 0.95 and persons >= 0.99 and kept >= 0.95


#: The blind sets: each was written by someone who never saw the detector and measured once before any rule was
#: written on it (its blind figures and what the rules found on it fixed are in its expected.yaml header); since
#: then it is tuned on, and no change may lower it. (set, public entities to keep at least, recall, persons, kept)
BLIND_FLOORS = [
    ("privacy_unseen2", 400, 0.997, 0.999, 0.997),  # 405, 218 and 420 of 406, 218 and 421; blind 0.90 / 0.94
    ("privacy_unseen3", 300, 0.978, 0.998, 0.972),  # 816, 620 and 313 of 834, 621 and 322; blind 0.953 / 0.990 / 0.938
    ("privacy_unseen4", 400, 0.958, 0.998, 0.947),  # 722, 568 and 401 of 753, 568 and 423; blind 0.899 / 0.921 / 0.948
    ("privacy_unseen5", 340, 0.967, 0.995, 0.950),  # 593, 468 and 327 of 613, 470 and 344; blind 0.967 / 0.996 / 0.951
    ("privacy_unseen6", 340, 0.945, 0.945, 0.973),  # 578, 433 and 342 of 611, 458 and 351; blind 0.857 / 0.865 / 0.974
    ("privacy_unseen7", 260, 0.972, 0.98, 0.950),  # 535, 365 and 253 of 550, 372 and 266; blind 0.836 / 0.833 / 0.951
    ("privacy_unseen8", 270, 0.966, 0.974, 0.966),  # 524, 339 and 265 of 542, 348 and 274; blind 0.948 / 0.963 / 0.967
    ("privacy_unseen9", 270, 0.957, 0.99, 0.953),  # 634, 470 and 269 of 662, 474 and 282; blind 0.832 / 0.814 / 0.947
    ("privacy_unseen10", 300, 0.951, 0.963, 0.976),  # 673, 472 and 300 of 707, 490 and 307; blind 0.909 / 0.929 / 0.977
    ("privacy_unseen11", 240, 0.949, 0.979, 0.991),  # 545, 376 and 243 of 574, 384 and 245; blind 0.894 / 0.909 / 0.984
    ("privacy_unseen12", 260, 0.972, 0.991, 0.985),  # 533, 351 and 265 of 548, 354 and 269; blind 0.938 / 0.966 / 0.929
    ("privacy_unseen13", 250, 0.991, 0.997, 0.999),  # 610, 455 and 257 of 615, 456 and 257; blind 0.920 / 0.919 / 0.961
    ("privacy_unseen14", 280, 0.983, 0.991, 0.985),  # 552, 374 and 283 of 561, 377 and 287; blind 0.914 / 0.923 / 0.955
    ("privacy_unseen15", 290, 0.975, 0.991, 0.996),  # 530, 357 and 296 of 543, 360 and 297; blind 0.936 / 0.956 / 0.997
    ("privacy_unseen16", 310, 0.960, 0.983, 0.984),  # 587, 372 and 319 of 611, 378 and 324; blind 0.877 / 0.921 / 0.978
    ("privacy_unseen17", 260, 0.969, 0.979, 0.984),  # 653, 433 and 266 of 673, 442 and 270; blind 0.935 / 0.939 / 0.985
]


@pytest.mark.parametrize(("name", "minimum", "min_recall", "min_persons", "min_kept"), BLIND_FLOORS)
def test_every_blind_set_stays_at_least_where_it_was_tuned(name, minimum, min_recall, min_persons, min_kept):
    n, recall, persons, kept = _fixture_scores(HELDOUT.with_name(name))
    assert n >= minimum  # public entities to keep
    assert recall >= min_recall and persons >= min_persons and kept >= min_kept


def _fixture_scores(folder: Path) -> tuple[int, float, float, float]:
    """(expected spans, recall, person recall, share of public entities kept) of an annotated fixture set."""
    tp = n = person_tp = person_n = kept = keep_n = 0
    for _, text, ent, keep in privacy.annotated_set(folder):
        stats = privacy.score(ps.find_personal_data(text), ent, keep)
        for label, c in stats.items():
            if label == "(behouden)":
                kept, keep_n = kept + c["kept"], keep_n + c["kept"] + c["lost"]
                continue
            tp, n = tp + c["tp"], n + c["tp"] + c["fn"]
            if label == "persoon":
                person_tp, person_n = person_tp + c["tp"], person_n + c["tp"] + c["fn"]
    return min(n, keep_n), tp / n, person_tp / person_n, kept / keep_n


@pytest.mark.parametrize(
    ("text", "label", "part"),
    [
        ("Ik ben 53 en woon hier al lang.", "leeftijd", "53"),
        ("Mijn tante van 72 woont in Dokkum.", "leeftijd", "72"),
        ("Het was op mijn eenentwintigste, in Leeuwarden.", "leeftijd", "eenentwintigste"),
        ("Ik ben een jaar of vijfendertig, denk ik.", "leeftijd", "een jaar of vijfendertig"),
        ("Ze is in de zeventig.", "leeftijd", "in de zeventig"),
        ("I'm 29 and I live in Groningen.", "leeftijd", "29"),
        ("Ik woon op 14 Spoorlaan, vlak bij het station.", "adres", "14 Spoorlaan"),
        ("Bel me op +44 7700 900123 als het kan.", "telefoonnummer", "+44 7700 900123"),
        ("Mail naar piet @ hotmail . com graag.", "e-mailadres", "piet @ hotmail . com"),
        ("Mijn mail is piet punt jansen at gmail punt com.", "e-mailadres", "piet punt jansen at gmail punt com"),
        ("Doneren kan op NL91 ABNA 0417 1643 00, dank je.", "rekeningnummer", "NL91 ABNA 0417 1643 00"),
        ("Ik zat op Beekvliet, dat was een strenge school.", "school", "Beekvliet"),
        ("Hij werkt bij Tandartspraktijk Hoekstra in Sneek.", "werkplek", "Tandartspraktijk Hoekstra"),
        ("Ik zat op het Gymnasium Celeanum in Zwolle.", "school", "Gymnasium Celeanum"),
        ("ik sprak gisteren met daan en hij was boos", "persoon", "daan"),
        # classes found in the second development set (tests/fixtures/privacy_dev2), with other strings
        ("Ik ben Kees van Dam, vierentachtig jaar.", "leeftijd", "vierentachtig jaar"),
        ("Nu ben ik achtenzestig. Ik woon in Holendrecht.", "leeftijd", "achtenzestig"),
        ("mn zusje lotte van 9 weet niks", "leeftijd", "9"),
        ("Mijn broer Gerrit (58) belde.", "leeftijd", "58"),
        ("mijn oom die is drieëntachtig dat vond hij niks", "leeftijd", "drieëntachtig"),
        ("ze is vorige maand vierendertig geworden", "leeftijd", "vierendertig"),
        ("het gebeurde op vier maart vorig jaar", "datum", "vier maart"),
        ("bel me op nul zes twaalf vierendertig zesenvijftig achtenzeventig", "telefoonnummer", "nul zes twaalf"),
        ("[16:06] jongere: er is een jongen, kevin de jong, die pest me", "persoon", "kevin de jong"),
        ("[16:07] jongere: mijn mentor mevrouw rietveld merkt niks", "persoon", "rietveld"),
        ("De huisarts, dokter Yıldız, luisterde.", "persoon", "Yıldız"),
        ("I came here for a job at a tech company, Brightwave Labs, near the station.", "werkplek", "Brightwave Labs"),
        ("ik werk zaterdags bij de Hema in het centrum", "werkplek", "Hema"),
        ("op de basisschool van mijn zoon, de regenboog, zijn ze goed", "school", "regenboog"),
        ("respondent: ja ik werk bij bakkerij van der meer in wergea", "werkplek", "bakkerij van der meer"),
        # classes found in the third development set (tests/fixtures/privacy_dev3), with other strings
        ("Onze tweeling van negen is dol op haar.", "leeftijd", "negen"),
        ("Mijn nichtje (6) snapt het beter.", "leeftijd", "6"),
        ("ik word volgende maand vierenvijftig", "leeftijd", "vierenvijftig"),
        ("Hij is trouwens zelf pas negentien.", "leeftijd", "negentien"),
        ("My account is DE89 3704 0044 0532 0130 00, thanks.", "rekeningnummer", "DE89 3704 0044 0532 0130 00"),
        ("One of my neighbours, Bartek, he helped us.", "persoon", "Bartek"),
        ("Maak het over op rekening PL12 3456 7890 1234 5678 9012 3456.", "rekeningnummer", "PL12 3456 7890"),
        # names that deduce's lists lack, by the verbs around them; particles and "-A-" inside surnames
        ("Gisteren belde Mehretab me nog op.", "persoon", "Mehretab"),
        ("Toen zei Wolterink dat het niet kon.", "persoon", "Wolterink"),
        ("Haar vriendin Chayenne Tjin-A-Tsoi kwam ook.", "persoon", "Chayenne Tjin-A-Tsoi"),
        ("Daar werkte Abdelkader El Khattabi ook. El Khattabi was de baas.", "persoon", "El Khattabi"),
        ("Ik ken de familie Bouazza al jaren.", "persoon", "Bouazza"),
        ("Het gezin Van Dalen woont ernaast.", "persoon", "Van Dalen"),
        ("Ik sprak met O'Connor over de wijk.", "persoon", "O'Connor"),
        ("Mail naar sanne.bos[at]ziggo.nl graag.", "e-mailadres", "sanne.bos[at]ziggo.nl"),
        ("Mijn insta is noa_2011 als je wil.", "account", "noa_2011"),
        ("Leeftijd: 47", "leeftijd", "47"),
        ("Ik ben geboren in 1958 in Dokkum.", "datum", "1958"),
        ("Zij is een dertiger, denk ik.", "leeftijd", "dertiger"),
        # classes found in the fourth set (tests/fixtures/privacy_dev4), with other strings
        ("Deelnemer C (Wendy): Wendy Tjoe. Achtenveertig. Ik woon in Kattenbroek.", "leeftijd", "Achtenveertig"),
        ("Ik ben jongerenwerker bij Stichting Buurtkracht in het oosten.", "werkplek", "Stichting Buurtkracht"),
        ("ik heet youssef maar iedereen zegt joes", "persoon", "joes"),
        ("respondent: ben 27 btw", "leeftijd", "27"),
        ("jongere: er is een meisje, sara, 14, die wordt gepest", "leeftijd", "14"),
        ("jongere: mijn collega sanne visser doet dat", "persoon", "sanne visser"),
        ("My name is Inês Carvalho Pereira and I live here.", "persoon", "Inês Carvalho Pereira"),
        ("We live on the Beukenlaan, number 23, near the park.", "adres", "Beukenlaan, number 23"),
        ("Mijn moeder lag in het Martini Ziekenhuis.", "zorginstelling", "Martini Ziekenhuis"),  # deduce's list
    ],
)
def test_forms_of_personal_data(text, label, part):
    found = {(s.label, s.text) for s in ps.find_personal_data(text)}
    assert any(lab == label and part in t for lab, t in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Ik woon al een jaar of negentien in Nieuwland.",  # a duration
        "Een groep jongens van een jaar of vijftien riep iets.",  # a group of strangers
        "Het Roze in Blauw-team kwam langs in Snits en Drylts.",  # an organisation with a suffix, Frisian places
        "Ik werk bij de gemeente Leeuwarden en bij het UWV.",  # public bodies
        "We liepen over de Spoorlaan naar de Lange Haven.",  # streets without a number
        "De GGD Fryslân en de politie IJsselland werken samen in Wommels.",
        "Mijn vader werkte van negen tot vijf.",  # hours, not an age
        "Het is twintig over vijf, de bus is twintig minuten te laat.",
        "Two guys, maybe in their twenties, followed us.",  # strangers
        "Er is een buurthuis, De Wending, waar ik vrijwilliger ben.",  # a public venue
        "Bij ons is het anders, de jongeren hangen bij de Brink rond.",  # a village green, not a person
        "Interviewer: I. Deelnemer: D.",  # speaker labels
        "We spraken Nederlands en Engels door elkaar.",  # languages
        "Ik zit op Instagram en TikTok.",  # platforms, not a school
        "Ik woon in Kattenbroek, al jaren. I'm from Valencia.",  # places after "woon in", "I'm from"
        "Sinds mijn trouwen, dat is nu zevenenvijftig jaar.",  # a duration
        "We gingen naar het Vondelpark en daarna naar Paradiso.",  # places one goes to, not schools
        "SOA Aids Nederland en Stichting Dwars doen veel.",  # a foundation (a workplace only when worked at)
        "Dat was in de jaren zestig, de zestiger jaren.",  # a decade, not an age
        "Ze studeert aan de Radboud Universiteit in Nijmegen.",  # a university
        "Ik woon al jaren in Den Bosch.",  # a colloquial place name
    ],
)
def test_what_stays_readable(text):
    assert ps.find_personal_data(text) == []


def test_gazetteer_is_one_fast_lookup_with_its_sources_named():
    from dialoog.privacy.gazetteer import DATA_FILE, gazetteer

    g = gazetteer()
    assert {"Snits", "Sneek", "Drylts", "Ljouwert", "Groenoord", "Súdwest-Fryslân"} <= set(g.places)
    assert len(g.places) > 6000
    header = (Path(ps.__file__).parents[1] / "data" / DATA_FILE).read_text(encoding="utf-8")[:600]
    assert "CBS" in header and "BAG" in header
    text = "Meneer Kampen woont in Kampen; Wessel komt uit Wessel."
    spans = [text[s:e] for s, e in g.readable_spans(text)]
    assert spans == ["Kampen", "Wessel"]  # not after a title, an ambiguous name only after a preposition


# -- the key, the checked hash and the review file --------------------------------------------------------


def test_key_is_created_0600_and_private_dir_is_0700_with_its_own_gitignore(tmp_path, monkeypatch):
    import os

    from dialoog.privacy import key as key_mod

    modes = []
    real_replace = os.replace

    def spy(src, dst):  # noqa: ANN001
        if str(dst).endswith(".key.yaml"):
            modes.append(os.stat(src).st_mode & 0o777)
        return real_replace(src, dst)

    monkeypatch.setattr(key_mod.os, "replace", spy)
    old = os.umask(0)
    try:
        study = Study(tmp_path)
        from dialoog.privacy.pseudonymise import prepare_private_dir

        folder = prepare_private_dir(study)
        key = ps.PseudonymKey(path=privacy.key_path(study))
        key.person("Sanne de Vries", "t1")
        key.save()
        key.save()
    finally:
        os.umask(old)
    assert modes == [0o600, 0o600]  # the file is 0600 before it gets its name, every time
    assert (tmp_path / privacy.KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")


def test_git_ignored_is_said_only_when_git_agrees(tmp_path):
    import subprocess

    from dialoog.privacy.pseudonymise import git_ignored, prepare_private_dir

    study = Study(tmp_path)
    assert git_ignored(tmp_path / privacy.KEY_FILE) is None  # not a git work tree
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "private").mkdir()
    assert git_ignored(tmp_path / privacy.KEY_FILE) is False
    prepare_private_dir(study)
    assert git_ignored(tmp_path / privacy.KEY_FILE) is True


def test_key_path_under_reports_is_refused_also_through_a_symlink(tmp_path):
    study = Study(tmp_path)
    (tmp_path / "reports").mkdir()
    (tmp_path / "elsewhere").symlink_to(tmp_path / "reports")
    for path in (tmp_path / "reports" / "x.key.yaml", tmp_path / "elsewhere" / "x.key.yaml"):
        with pytest.raises(DialoogError, match="must not be inside the reports folder"):
            privacy.key_path(study, path)
    assert privacy.key_path(study, tmp_path / "keys" / "x.key.yaml").name == "x.key.yaml"


def test_a_hand_edited_pseudonymised_transcript_is_checked_again(tmp_path, capsys):
    from dialoog.cli import main
    from dialoog.study.analysis import check_pseudonymised

    study = import_fixtures(tmp_path / "study")
    privacy.pseudonymise_study(study)
    t = Study(study.root).transcripts["schiedam-01"]
    assert t.meta["checked"].startswith("sha256:")
    # a name typed in by hand after pseudonymisation: the report refuses, validate runs the detector
    t.path.write_text(t.path.read_text(encoding="utf-8").replace("Ja hoor.", "Ja hoor, Sanne de Vries hier."))
    with pytest.raises(DialoogError, match="changed after the last check"):
        check_pseudonymised(Study(study.root), find_gemeente("Schiedam"))
    assert main(["validate", "--study", str(study.root)]) == 2
    err = capsys.readouterr().err
    assert "possible personal data" in err and "schiedam-01.md" in err and "Sanne" not in err
    # a harmless edit passes the fresh check, which records the new hash
    t.path.write_text(t.path.read_text(encoding="utf-8").replace(", Sanne de Vries hier.", ", zeker."))
    assert main(["validate", "--study", str(study.root)]) == 0
    check_pseudonymised(Study(study.root), find_gemeente("Schiedam"))


def test_what_a_reviewer_keeps_passes_the_fresh_check(tmp_path, capsys):
    """An edit that the detector flags, reviewed and marked 'keep', is then checked clean (it was refused
    again and again before: the check ignored the kept items)."""
    import yaml

    from dialoog.cli import main

    study = import_fixtures(tmp_path / "study")
    privacy.pseudonymise_study(study)
    t = Study(study.root).transcripts["schiedam-01"]
    t.path.write_text(t.path.read_text(encoding="utf-8").replace("Ja hoor.", "Ja hoor, op 12 oktober."))
    assert main(["validate", "--study", str(study.root)]) == 2
    assert main(["pseudonymise", "--review", "schiedam-01", "--study", str(study.root)]) == 0
    review = study.root / "private" / "review.yaml"
    data = yaml.safe_load(review.read_text(encoding="utf-8"))
    assert data["items"]
    text = review.read_text(encoding="utf-8").replace("action: ''", "action: keep")
    review.write_text(text, encoding="utf-8")
    assert main(["pseudonymise", "--apply-review", "--study", str(study.root)]) == 0
    capsys.readouterr()
    assert main(["validate", "--study", str(study.root)]) == 0
    assert "checked again" in capsys.readouterr().out


def test_review_file_is_marked_and_applied_with_codings_shifted(tmp_path, capsys):
    from dialoog.cli import main
    from dialoog.study import codings, transcripts

    study = import_fixtures(tmp_path / "study")
    privacy.pseudonymise_study(study)
    path = Study(study.root).transcripts["schiedam-02"].path
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition(":** ")
    path.write_text(head + sep + "Ik ben Tsjalle Wiersma. " + rest, encoding="utf-8")
    t = Study(study.root).transcripts["schiedam-02"]
    last = t.turns[-1]
    codings.write(
        Study(study.root).codings_path("anouk"), [codings.make(t, last.start, last.end, "wat-werkt", "anouk")]
    )
    assert main(["pseudonymise", "--review", "schiedam-02", "--study", str(study.root)]) == 0
    review_file = study.root / "private" / "review.yaml"
    assert review_file.stat().st_mode & 0o777 == 0o600
    assert "Tsjalle" not in capsys.readouterr().out
    data = yaml.safe_load(review_file.read_text(encoding="utf-8"))
    for item in data["items"]:
        item["action"] = "mask" if "Tsjalle" in item["text"] or "Wiersma" in item["text"] else "keep"
    review_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["pseudonymise", "--apply-review", "--study", str(study.root)]) == 0
    after = Study(study.root)
    t = after.transcripts["schiedam-02"]
    assert "Tsjalle" not in t.body and "Wiersma" not in t.body and "[persoon-" in t.body
    assert t.meta["checked"] == transcripts.body_hash(t.body)
    (coding,) = codings.read(after.codings_path("anouk"))
    assert t.body[coding.start : coding.end] == t.turns[-1].text == coding.text
    assert "tsjalle wiersma" in ps.PseudonymKey.load(study.root / privacy.KEY_FILE).known_names()


def test_role_labels_are_no_names_and_an_answered_age_is_found(tmp_path):
    from dialoog.study import transcripts

    root = tmp_path / "study"
    (root / "codebook").mkdir(parents=True)
    (root / "codebook" / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    meta = {
        "id": "schiedam-01",
        "gemeente": "Schiedam",
        "wijk": "Groenoord",
        "datum": dt.date(2026, 3, 1),
        "interviewer": "Onderzoeker 1",
        "respondent": "vrijwilliger",
        "consent": True,
        "pseudonymised": False,
    }
    turns = [
        ("Interviewer", "Naam en leeftijd?"),
        ("Vrijwilliger", "Priya Ramdin. 38."),
        ("Interviewer", "Waar bent u vrijwilliger?"),
        ("Vrijwilliger", "Ik ben vrijwilliger bij het COC in Schiedam."),
    ]
    transcripts.save(root / "interviews" / "schiedam" / "schiedam-01.md", meta, turns)
    privacy.pseudonymise_study(Study(root))
    t = Study(root).transcripts["schiedam-01"]
    assert [x.speaker for x in t.turns] == ["Interviewer", "Vrijwilliger", "Interviewer", "Vrijwilliger"]
    assert t.turns[1].text.endswith(". [leeftijd].") and "Priya" not in t.body and "38" not in t.body
    assert t.turns[3].text == "Ik ben vrijwilliger bij het COC in Schiedam."
