"""Care providers known by name where the sentence is about someone's care, whole organisation names, and
workplaces after "werk bij" in lower-case speech (all fictional)."""

from __future__ import annotations

import pytest

from dialoog.privacy.care import care_names
from dialoog.privacy.detect import find_personal_data


def found(text: str) -> set[tuple[str, str]]:
    return {(s.label, s.text) for s in find_personal_data(text)}


pytestmark = pytest.mark.skipif(not care_names(), reason="deduce's list of healthcare institutions is missing")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Verder in behandeling bij Karakter (jeugd-GGZ), gesprekken in Apeldoorn.", "Karakter"),
        ("Ik zat een jaar bij Mondriaan voor mijn angst.", "Mondriaan"),
        ("My doctor sent me to Mediant in Almelo.", "Mediant"),
        ("Hij heeft een paar jaar gesprekken gehad bij Centrum '45 vanwege zijn vlucht.", "Centrum '45"),
        ("ik ben in behandeling geweest bij dimence in deventer", "dimence"),
        ("ik zit nu bij accare, gesprekken elke twee weken, dat helpt echt", "accare"),
    ],
)
def test_a_care_provider_by_name_in_a_sentence_about_care(text, name):
    assert ("zorginstelling", name) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mondriaan geeft voorlichting op de scholen in de regio.",  # an actor in the network
        "De gemeente werkt samen met Dimence en de huisartsen.",
        "Het karakter van de wijk is veranderd sinds de bouw.",
        "Voor hulp gingen we naar Vreeland, bij mijn tante.",  # a place
    ],
)
def test_a_care_provider_named_as_an_actor_or_a_word_stays_readable(text):
    assert not {n for label, n in found(text) if label == "zorginstelling"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ik werk bij Bouwbedrijf Gerritsen & Zn. in de uitvoering.", "Bouwbedrijf Gerritsen & Zn."),
        ("Dirk werkt bij Palingrokerij Tuyp & Zn. en hoort daar grappen.", "Palingrokerij Tuyp & Zn."),
        ("Ik werk in het restaurant van mijn ouders, Chinees-Indisch Restaurant De Gouden Draak, aan de rand.",
         "Chinees-Indisch Restaurant De Gouden Draak"),
        ("Ich wèrk bij Hotel-Restaurant De Geulvallei in Epen.", "Hotel-Restaurant De Geulvallei"),
    ],
)  # fmt: skip
def test_an_organisation_is_masked_over_its_whole_name(text, name):
    assert any(name in n for label, n in found(text) if label == "werkplek"), found(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ik werk bij kinderopvang de wilgenkatjes in olst drie dagen", "kinderopvang de wilgenkatjes"),
        ("ik kom later ik moet tot acht werken bij snackbar t hoekje", "snackbar t hoekje"),
        ("en nu werk ik bij staalbouw kramer in beverwijk dat is klein", "staalbouw kramer"),
        ("ik werk bij zeebries visverwerking op het industrieterrein", "zeebries visverwerking"),
    ],
)  # fmt: skip
def test_a_workplace_after_werk_bij_in_lower_case_speech(text, name):
    assert ("werkplek", name) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "ik werk bij kinderopvang de hele week en het is druk",
        "ik werk bij bouwbedrijf samen met mijn broer en dat gaat goed",
        "ik werk bij de gemeente in olst en dat bevalt me wel",
    ],
)
def test_no_workplace_from_ordinary_words_after_werk_bij(text):
    assert not {n for label, n in found(text) if label == "werkplek"}, found(text)


def test_the_supermarket_for_the_whole_day_is_no_name():
    spans = found("ik werk bij de gemeente in olst en ik werk bij de supermarkt de hele dag")
    assert not any("hele" in n for _label, n in spans)
