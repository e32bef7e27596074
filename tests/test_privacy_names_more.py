"""Person names found by how a text uses them (`dialoog.privacy.names_more`), also names that are words."""

from __future__ import annotations

import pytest

from dialoog.privacy.detect import find_personal_data


def _persons(text: str) -> set[str]:
    return {text[s.start : s.end] for s in find_personal_data(text) if s.label == "persoon"}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("14-01-2025\nAanmelding via de mentor. Juni (17) is non-binair en gebruikt die/hun.", {"Juni"}),
        ("Cliënt: Juni de Wit (gekozen naam)\nGesprek met Juni over school.", {"Juni de Wit", "Juni"}),
        ("K.: Dank je.\nM.: Graag gedaan.\nK.: Hoe lang woon je hier?\nM.: Tien jaar.\n", {"K.", "M."}),
        (
            "20:27 - Storm: hoi allemaal\n20:27 - Wolf: sorry stormpje\n20:28 - Storm: ok Stormpje is prima\n",
            {"Storm", "stormpje", "Stormpje"},
        ),
        ("20:43 - sjoerd: trouwens mn zus kasia vraagt of de inloop ook voor haar is", {"kasia"}),
        ("I live with my partner, Will, in an apartment near the Middenbaan.", {"Will"}),
        ("Meestal is dat een aardige jonge vrouw, Mei, een meisje dat hier is opgegroeid.", {"Mei"}),
        ("En mijn huisarts, dokter Van Steenwijk, die weet alles van ons.", {"Van Steenwijk"}),
        ("[21:24] Jade: hoi\n[21:26] April Bakker: ik lees mee hoor\n", {"April Bakker"}),
        ('Mijn naam is Rashida Mahabier. Mensen noemen me "Shida". Ik ben achtendertig.', {"Shida"}),
        ("Maar Vikash heeft een dochter, Zon. Echt, ze heet Zon.", {"Zon"}),
        ("Haar grootmoeder, Letay, is op haar tachtigste overleden.", {"Letay"}),
        ("Wethouder Van der Meer trouwde ons in het gemeentehuis.", {"Van der Meer"}),
        ("Ik heb een vrouw ontmoet die ook lesbisch was. Dorota. Zij woont nu in Venlo.", {"Dorota"}),
        ("Mijn vriendin Juni fietst altijd met me mee als het donker is.", {"Juni"}),
        ("Mijn jongste, Rintsje, is eenentwintig en hij heeft moeite.", {"Rintsje"}),
        ("Eén van hen, Toon van Gemert, die is nu in de tachtig, zei niets meer.", {"Toon van Gemert"}),
        (
            "Interviewer: Daan Kok (DK). Respondent: Hazel (HZ).\nDK: Hoi.\nHZ: Hallo.\nDK: Goed?\nHZ: Ja.\n",
            {"HZ", "DK"},
        ),
        ("Interviewer: Thomas (T). Respondent: Sjoukje (S).\nT: Welkom.\nS: Dank je.\nT: Vertel.\n", {"T", "S"}),
        ("Regievoerder: Kim Koster\n\n03-02-2026 (KK) Aanmelding via huisarts.", {"KK"}),
        ("[22:03] kasia: ja kan ik\n[22:04] dewi: top\n[22:05] kasia: tot dan\n[22:06] dewi: ok\n", {"kasia", "dewi"}),
        ("Interviewer: Jelmer (JW). Respondenten: Hiltje en Siti.\nJW: Dank jullie.\nJW: Nog een vraag.", {"JW"}),
    ],
)
def test_names_found_by_their_use(text: str, names: set[str]) -> None:
    assert names <= _persons(text), _persons(text)


@pytest.mark.parametrize(
    "text",
    [
        "Respondent: In Charlois, ja. In een seniorenflat.",  # a speaker label is no form field
        "Zie Bijlage (2) en Tabel (3) voor de cijfers.",
        "I.: Hoe gaat het?\nR.: Goed.\nI.: Fijn.\nR.: Ja.\n",  # role letters
        "We gingen in juni naar Steenwijk, met de bus.",
        "Aangifte gedaan bij het politiebureau aan de Burgemeester Kuperusplein, bij de wijkagent.",
        "Via een tolk Nederlandse Gebarentaal (NGT). Ze deed een avondcursus NGT.",
        "Zie de tabel in Bijlage (B) voor de cijfers van de Veiligheidsmonitor.",
        "[10:40] Iris (beheerder): tuurlijk\n[10:41] beheerder: welkom\n[10:42] beheerder: regels lezen\n",
    ],
)
def test_no_name_where_there_is_none(text: str) -> None:
    unwanted = {"Charlois", "In Charlois", "Bijlage", "Tabel", "I.", "R.", "juni", "Steenwijk", "NGT", "B", "beheerder"}
    assert not _persons(text) & (unwanted | {"Kuperusplein", "Burgemeester Kuperusplein"})
