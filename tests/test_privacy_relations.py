"""Organisations tied to a person, public bodies that stay readable, and ages said again
(`dialoog.privacy.relations`, the age patterns in `dialoog.privacy.patterns_more`)."""

from __future__ import annotations

import pytest

from dialoog.privacy.detect import find_personal_data


def _found(text: str) -> dict[str, str]:
    return {s.text: s.label for s in find_personal_data(text)}


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("Intussen heb ik gesprekken bij Dimence in Hardenberg.", "Dimence", "zorginstelling"),
        ("De thuiszorg komt van Careyn, twee keer per week.", "Careyn", "zorginstelling"),
        (
            "Ik ben daarna een tijd bij GGZ Friesland in Leeuwarden geweest, voor gesprekken.",
            "GGZ Friesland",
            "zorginstelling",
        ),
        ("Ze hebben me doorverwezen naar Rivierduinen in Leiden.", "Rivierduinen", "zorginstelling"),
        ("In the meantime I see a psychologist at Lentis. She is good.", "Lentis", "zorginstelling"),
        ("Ik heb bij Kwadraad gezeten, maatschappelijk werk.", "Kwadraad", "zorginstelling"),
        ("We krijgen thuiszorg van Thuiszorg De Slinge, twee keer per week.", "Thuiszorg De Slinge", "zorginstelling"),
        ("Wij hebben nu hulp van Zorggroep Tellens, een keer per week.", "Zorggroep Tellens", "zorginstelling"),
        ("De huisarts heeft me doorgestuurd, en nu zit ik bij GGZ Oost Brabant.", "GGZ Oost Brabant", "zorginstelling"),
        (
            "Ik ben werkzaam als monteur bij Koeltechniek Maasmond B.V. aan de Industrieweg.",
            "Koeltechniek Maasmond B.V.",
            "werkplek",
        ),
        ("Mimi werkt drie dagen per week bij Wasserij Dinkelland in Denekamp.", "Wasserij Dinkelland", "werkplek"),
        ("Hij werkte toen bij de textielfabriek, bij Tricot Ter Haar, en ik was thuis.", "Tricot Ter Haar", "werkplek"),
        ("Ik zat op een dovenschool, Instituut Sint-Willibrord, internaat.", "Instituut Sint-Willibrord", "school"),
        ("Ze zegt het gewoon op school, op het Simon Vestdijk. Dat had ik nooit gedurfd.", "Simon Vestdijk", "school"),
        ("Daer werkte ik bie Fruitbedrijf Van de Velde in Kattendijke.", "Fruitbedrijf Van de Velde", "werkplek"),
        ("Ik heb veertig jaar bij de Rabobank gewerkt. Bij de Rabobank was dat ook zo.", "Rabobank", "werkplek"),
        (
            "Ik doe de inkoop. Rokerij De Botter, waar ik nu negentien jaar werk, zit aan de haven.",
            "Rokerij De Botter",
            "werkplek",
        ),
        (
            "Toen kwam ik hier een zomer werken, bij Strandpaviljoen Het Zilte Hart in Oosterend.",
            "Strandpaviljoen Het Zilte Hart",
            "werkplek",
        ),
        ("Ze zit in groep vier van De Zeester in Brouwershaven, en daar gaat het goed.", "De Zeester", "school"),
        ("Trouwens, mijn oude school, het Pontes in Zierikzee, heeft nu een GSA.", "Pontes", "school"),
        ("Trouwens ik ben aangenomen bij Hovenier Dalfsen in 't Loo. Vanaf maandag.", "Hovenier Dalfsen", "werkplek"),
        ("Ze woont in Amsterdam, maar de gesprekken heb ik hier, bij Mediant in Almelo.", "Mediant", "zorginstelling"),
        (
            "Huisarts verwijst door; intake bij Pro Persona in Wolfheze is over twee weken.",
            "Pro Persona",
            "zorginstelling",
        ),
    ],
)
def test_an_organisation_tied_to_a_person_is_masked(text: str, name: str, label: str) -> None:
    found = _found(text)
    assert found.get(name) == label, found


@pytest.mark.parametrize(
    ("text", "public"),
    [
        # public bodies stay readable, also as the person's school, employer or care provider
        ("Ik sta op de wachtlijst bij het genderteam in Groningen, het UMCG. Al twee jaar.", "UMCG"),
        ("De jongste, Nour, studeert aan de Avans in Den Bosch.", "Avans"),
        ("Zij studeert aan De Haagse Hogeschool, in de stad.", "De Haagse Hogeschool"),
        ("Ik ben Sophie, ik studeer aan de TU Delft, industrieel ontwerpen.", "TU Delft"),
        ("Ze begint met de opleiding tot helpende zorg bij het ROC van Twente.", "ROC van Twente"),
        ("Ik heb hulp gehad van Stichting Secret Garden, en van een psycholoog.", "Secret Garden"),
        ("Ik werk bij de gemeente, op de afdeling Wmo.", "gemeente"),
        ("Ik heb gesprekken bij het wijkteam en bij Veilig Thuis gehad.", "Veilig Thuis"),
        # an organisation named as an actor in the network
        ("Misschien iets met Sensire, die doen thuiszorg in de hele regio.", "Sensire"),
        # a regional care organisation named as an actor; a national institute as an employer
        (
            "In Heiloo zit een grote GGZ-instelling. Ja, GGZ Noord-Holland-Noord, op het oude terrein.",
            "GGZ Noord-Holland-Noord",
        ),
        ("Mijn man, Youssef, werkt bij het KNMI hier in De Bilt als meteoroloog.", "KNMI"),
        # a street is no organisation, after a shop or after "gesprek ... aan het"
        ("Dank je voor het gesprek in de bibliotheek aan het Vredesplein, ik vond het fijn.", "Vredesplein"),
        ("Opgenomen in de studio aan de Bruggestraat, Harderwijk.", "Bruggestraat"),
        ("Mijn vader had een bakkerij, Bakkerij Yildiz op de Grotestraat, nu doet mijn broer dat.", "Grotestraat"),
    ],
)
def test_public_bodies_and_actors_stay_readable(text: str, public: str) -> None:
    start = text.index(public)
    spans = find_personal_data(text)
    assert not any(s.start < start + len(public) and start < s.end for s in spans), [s.text for s in spans]


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        (
            "Hoe oud ben je? Cilla: Zesenveertig. Over negen maanden zevenenveertig. (lacht)",
            {"Zesenveertig", "zevenenveertig"},
        ),
        (
            "Hoe oud bent u, als ik vragen mag? KODDE: Vuufenzeuventig. In april worre 'k zesenzeuventig.",
            {"Vuufenzeuventig", "zesenzeuventig"},
        ),
        (
            "Ik bin Tetske. Ik bin sânentweintich, zevenentwintig. Ik ben opgegroeid in Burgum.",
            {"sânentweintich", "zevenentwintig"},
        ),
        ("Mijn vader is achtenzestig, mijn moeder zestig. Ze willen niet naar Europa.", {"achtenzestig", "zestig"}),
        (
            "Onze buren, meneer en mevrouw Guijt, zijn allebei boven de tachtig en ze brengen soep.",
            {"boven de tachtig"},
        ),
        ("Aanwezig: Gerben (boer, 58), zijn vrouw Dineke en hun dochter.", {"58"}),
        ("Respondent: 17 jaar, noemt zichzelf queer.", {"17 jaar"}),
        ("Ik ben Sky trouwens, 23, ik woon bij mijn moeder.", {"23"}),
        ("Ze is denk ik zeventig. Een heldin.", {"zeventig"}),
        ("My neighbour Geert, who is maybe seventy, brings me eggs.", {"seventy"}),
        ("GERRIT: Gerrit. Uit Reutum. Ik ben viefenzestig, zeg ik in het Twents.", {"viefenzestig"}),
        ("Ik bin geboren op 30 april 1973, hier op dit bedrijf, en ik bin tweeënvuftig.", {"tweeënvuftig"}),
        ("20:13 - roosje: welkom!! hoe oud ben je\n20:14 - Amira: 15, bijna 16\n", {"15", "16"}),
        ("19:17 kaan: hoe oud ben je nu dan\n19:18 juni: zeventien sinds vorige week\n", {"zeventien"}),
        ("My little brother Bartek, he is nineteen, he knows.", {"nineteen"}),
        ("Marjolein is like sixty-something, she has run this hotel since forever.", {"sixty-something"}),
        ("Ik ben geboren in 1951. Ik ben nu dus vierenzeventig.", {"vierenzeventig"}),
    ],
)
def test_ages_said_again_answered_or_approximate(text: str, ages: set[str]) -> None:
    found = {t for t, label in _found(text).items() if label == "leeftijd"}
    assert ages <= found, found


@pytest.mark.parametrize(
    "text",
    [
        "Ik ben 34. Twintig jaar geleden kwam ik hier wonen.",
        "Ik ben vierenveertig en ik woon hier al twintig jaar.",
        "Hoe lang woont u hier al? Respondent: Dertig jaar, sinds de bouw.",
        "Er kwamen die avond zestien mensen, dat is veel.",
        "Hoe oud is het huis? Respondent: Zestig jaar, het is van 1965.",
    ],
)
def test_durations_and_counts_stay(text: str) -> None:
    found = {t for t, label in _found(text).items() if label == "leeftijd"}
    assert not found & {"Twintig", "twintig", "Dertig", "Dertig jaar", "zestien", "Zestig", "Zestig jaar"}, found


def test_a_postcode_in_lower_case_after_the_word_postcode():
    text = "spreker 2: ja naar arthur van schendelstraat 62 postcode 1422 kt uithoorn spreker 1: dank je"
    assert "1422 kt" in {s.text for s in find_personal_data(text) if s.label == "postcode"}
