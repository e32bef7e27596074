"""Forms found on the ninth and tenth blind privacy sets: chat senders after a date and with an emoji,
initials as speaker labels, case-note dates, ages of becoming and in English, titles, landmarks."""

from __future__ import annotations

import pytest

from dialoog.privacy.detect import find_personal_data


def _found(text: str, label: str) -> set[str]:
    return {text[s.start : s.end] for s in find_personal_data(text) if s.label == label}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a chat export whose time stamps carry a date, senders in lower case, one of more words
        (
            "[12-03 19:04] kasia: ik kom!\n[12-03 19:05] Jurgen: top kasia\n[12-03 19:30] kasia: tot dan\n"
            "[13-03 12:40] henk v d berg: hallo\n[13-03 12:55] henk v d berg: ik kom ook\n",
            {"kasia", "henk v d berg"},
        ),
        ("12-03-2024 19:04 - Aylin Demir: hoi\n12-03-2024 19:05 - Aylin Demir: ben er\n", {"Aylin Demir"}),
        # an emoji after the sender's name
        ("[19:05] Kasia 🌈: ik kan pas om drie\n[19:12] Kasia 🌈: nu wel\n[19:20] Liam: evening all\n", {"Kasia"}),
        # initials as labels, said to be initials; with an interfix ("RdW", also an acronym: RDW)
        (
            "Gespreksleider: GL. Deelnemers aangeduid met initialen (SK, TH).\nGL: Welkom.\nSK: Dank je.\n"
            "TH: Ik ben Tijs.\nGL: Fijn.\nSK: Ja.\nTH: Goed.\n",
            {"SK", "TH"},
        ),
        ("RdW: In Brakel ken ik iedereen.\nGL: En verder?\nRdW: Meneer Hoek woont bij mij.\n", {"RdW", "Hoek"}),
        # a title before a surname that is also a word
        ("Her GP has been brilliant, actually. Dr. Pauw, a young woman, she just gets it.", {"Pauw"}),
        ("Ik had een afspraak bij mevrouw Kok van de woningcorporatie.", {"Kok"}),
    ],
)
def test_persons(text: str, names: set[str]) -> None:
    assert names <= _found(text, "persoon"), _found(text, "persoon")


def test_initials_are_no_persons_without_a_reason() -> None:
    # capitals alone are a role's abbreviation unless the text says they are initials
    text = "GL: Welkom.\nBL: Dank je.\nGL: Hoe gaat het?\nBL: Goed.\n"
    assert not _found(text, "persoon") & {"GL", "BL"}
    text = "Deelnemers aangeduid met initialen.\nGL: Welkom.\nMC: Dank.\nGL: Verder?\nMC: Nee.\n"
    assert {"MC"} <= _found(text, "persoon") and "GL" not in _found(text, "persoon")
    # the vehicle authority stays readable where it is written as an acronym
    assert "RDW" not in _found("Het kenteken staat bij de RDW op mijn naam.", "persoon")


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("heeft iemand tijd voor een feest? je wordt toch veertig", "veertig"),
        ("Mijn oma werd 90 in maart.", "90"),
        ("een man, Hennie, ik denk begin zeventig, die zei het ook", "begin zeventig"),
        ("my cousin is 14 too and came out last year", "14"),
        ("My partner, Robin. Robin's 29, so yes, there's an age gap.", "29"),
        ("our neighbour, Cor, who's eighty-something, brings tomatoes", "eighty-something"),
        ("Ik kom uit Manchester, ik ben forty-four, en ik woon hier.", "forty-four"),
        ("thuis alleen moeder en een zus (Sterre, elf). Vader woont elders.", "elf"),
    ],
)
def test_ages(text: str, age: str) -> None:
    assert age in _found(text, "leeftijd"), _found(text, "leeftijd")


@pytest.mark.parametrize(
    "text",
    [
        "Morgen wordt het twintig graden.",
        "Het was 1978, eind zeventig, toen kwam de kroeg.",
        "The meeting is 14 May, and the hall holds 80.",
    ],
)
def test_no_age(text: str) -> None:
    assert not _found(text, "leeftijd"), _found(text, "leeftijd")


def test_case_note_dates() -> None:
    text = "Notitie 04-09\nAanmelding via de mentor.\n\nNotitie 11-09\nHuisbezoek.\n\nContactmoment 2/10\nBelt zelf."
    assert {"04-09", "11-09", "2/10"} <= _found(text, "datum")
    assert not _found("Wedstrijd eindigde in 04-09 voor de thuisploeg.", "datum")


def test_landmarks_and_days_stay_readable() -> None:
    text = "'t Klooster Wittem doet meer voor ons. Op Coming Out Day hangt de vlag bij het gemeentehuis."
    assert not find_personal_data(text)


@pytest.mark.parametrize(
    ("text", "hospital", "masked"),
    [
        ("Ik werk als verpleegkundige in het Deventer Ziekenhuis, al tien jaar.", "Deventer Ziekenhuis", True),
        ("En ich höb fysio bij Zuyderland, elke week.", "Zuyderland", True),
        ("Wat niet fijn was: de eerste hulp bij Bernhoven, toen ik viel.", "Bernhoven", True),
        ("En dat het Refaja Ziekenhuis hier een protocol krijgt voor transgender mensen.", "Refaja Ziekenhuis", False),
        ("Op IDAHOT hing de regenboogvlag bij het Spaarne Gasthuis.", "Spaarne Gasthuis", False),
    ],
)
def test_hospitals_are_masked_where_they_are_someones(text: str, hospital: str, masked: bool) -> None:
    """A hospital is personal data where the sentence ties it to someone's care or work, and an actor in the
    network otherwise (the convention of the fixture sets)."""
    start = text.index(hospital)
    covered = any(s.start <= start and start + len(hospital) <= s.end for s in find_personal_data(text))
    touched = any(s.start < start + len(hospital) and start < s.end for s in find_personal_data(text))
    assert covered if masked else not touched


@pytest.mark.parametrize(
    ("text", "public"),
    [
        ("Roel zegt: bij hem in Berg aan de Maas vroeg de pastoor het.", "Berg aan de Maas"),  # list: "Aan De"
        ("Adres: Heerstraat-Noord 14, 6171 KZ Stein. Koffie en vlaai is geregeld.", "Stein"),  # after a postcode
        ("De onderzoekers kommen in april nao Stein.", "Stein"),  # a dialect preposition
        ("Ik woon in Heerewaarden, tussen de Maas en de Waal.", "Waal"),  # rivers after an article
        ("De jongeren van ROC Rivor en van het ROC van Twente zitten in de bus.", "ROC Rivor"),  # ROCs by name
        ("Ik studeer aan de HAN in Nijmegen.", "HAN"),
        ("Stuur het naar klachten@sliedrecht.nl als het kan.", "klachten@sliedrecht.nl"),  # a mailbox
        ("Ik kwam aan de balie van Burgerzaken voor een paspoort.", "Burgerzaken"),
        ("Ze was vrijwilliger voor het Nationaal Park Schiermonnikoog.", "Nationaal Park Schiermonnikoog"),
        ("Ik kom uit Polen, uit de buurt van Poznań.", "Poznań"),  # places abroad
        ("I'm from Gdańsk in Poland, and my mother still lives there.", "Poland"),
    ],
)
def test_public_places_and_bodies_stay_readable(text: str, public: str) -> None:
    start = text.index(public)
    assert not [s for s in find_personal_data(text) if s.start < start + len(public) and start < s.end]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mijn buurman Frans de Waal is aardig.", "Frans de Waal"),  # a surname that is a river
        ("Ik sprak mevrouw de Waal gisteren.", "de Waal"),
        ("Mijn vriend Han woont in Elst.", "Han"),  # a first name that is an acronym in capitals (HAN)
        ("Zijn ouders, Hans en Ria Bakker, waren er vanaf het begin.", "Hans"),
        ("Mijn vriendin Sofia woont in Elst.", "Sofia"),  # a capital abroad too, but a first name first
        ("Mail me op jan.devries@ziggo.nl als het kan.", "jan.devries@ziggo.nl"),
    ],
)
def test_names_that_look_like_places_or_bodies(text: str, name: str) -> None:
    assert name in {text[s.start : s.end] for s in find_personal_data(text)}, find_personal_data(text)


def test_care_providers_by_their_kind_also_in_lower_case() -> None:
    text = "hij gaat naar dagbesteding de zonnehoek en er komt thuiszorg van thuiszorg de duinrand voor het douchen"
    assert {"dagbesteding de zonnehoek", "thuiszorg de duinrand"} <= _found(text, "zorginstelling")
    assert "Jeugdhulp Lekstroom" in _found("Eerste gesprek bij Jeugdhulp Lekstroom in Nieuwegein.", "zorginstelling")
    assert not _found("ze gaat naar de thuiszorg de hele week niet", "zorginstelling")  # words, no name


def test_a_name_nobody_capitalised_said_three_times() -> None:
    text = (
        "spreker 1 agus is je man\nspreker 2 ja agus hij komt uit bandung\n"
        "spreker 2 en als je agus ziet zeg maar dat ik zo thuis ben\n"
    )
    assert _found(text, "persoon") == {"agus"}
    chat = "[20:01] sem: hahaha ja\n[20:02] sem: hahaha echt\n[20:03] sem: hahaha top\n"
    assert "hahaha" not in _found(chat, "persoon")


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("getrouwd met Harrie, van m'n tweeëntwintigste tot m'n zevenenveertigste.", "tweeëntwintigste"),
        ("Ons Marieke, die is nou vijfenveertig, die vond het moeilijk.", "vijfenveertig"),
        ("Ik zen Toos. Ik zen eenenzeventig, geboren in Zundert.", "eenenzeventig"),
        ("my little niece, Fenna, she's six, told her class", "six"),
    ],
)
def test_more_ages(text: str, age: str) -> None:
    assert age in _found(text, "leeftijd"), _found(text, "leeftijd")


@pytest.mark.parametrize(
    "text",
    ["I was one of the first.", "He's five minutes away.", "Van mijn tweede vrouw niets.", "It's 12, so we eat."],
)
def test_more_no_ages(text: str) -> None:
    assert not _found(text, "leeftijd")
