"""Person or place: names that deduce's lists hold but that a sentence uses as a place, a street, an organisation
or a venue stay readable, and the persons around them are still masked (`dialoog.privacy.places`,
`dialoog.privacy.gazetteer`, `dialoog.privacy.streets`, `dialoog.privacy.engine`).

Each sentence is new (not from a fixture set) and was masked before the class was handled; the fixture figures
are in benchmarks/results/pseudonymise.txt.
"""

from __future__ import annotations

import pytest

from dialoog.privacy import detect as ps
from dialoog.privacy import engine as engine_mod


def _found(text: str) -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in ps.find_personal_data(text)]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # a name after a lower-case article, or with a preposition and an article, is a place or a thing
        ("We gingen met de bus naar de Noordermeer en terug.", "Noordermeer"),
        ("We gingen vroeger dansen op de Witte Brug in het centrum.", "Witte Brug"),
        ("Ik woon aan de overkant van de Amstel, in Oost.", "Amstel"),
        # "In X" at the start of a sentence, as "in X" within one
        ("In Brinkhorst wonen veel jonge gezinnen.", "Brinkhorst"),
        # a street without a number: a street word before it or as a word of its own
        ("We liepen over de Boulevard Evertsen naar het strand.", "Boulevard Evertsen"),
        ("Het kantoor zit aan de Laan van Nieuw Oosteinde, naast de bieb.", "Laan van Nieuw Oosteinde"),
        # an organisation named after a person, or a compound with a lower-case word
        ("Ik kreeg een beurs van de Johan Cruijff Foundation.", "Johan Cruijff Foundation"),
        ("De Anne Frank Stichting geeft les op scholen.", "Anne Frank Stichting"),
        ("Bij het Dudok-zwembad was het altijd druk.", "Dudok-zwembad"),
        # a village that is also a surname, in a list with other places
        ("Ik rij vaak tussen Balk en Joure.", "Balk"),
        ("De kernen Dwingeloo, Broekhuizen en Havelte liggen verderop.", "Broekhuizen"),
        # the seat of a municipality whose official name has a suffix ("Rijswijk (ZH.)")
        ("Veel inwoners Rijswijk weten het niet.", "Rijswijk"),
        # the role of a place, not a title and a surname
        ("Toen kwam de wijkagent van Oosterheem langs.", "Oosterheem"),
        # a care organisation of thousands named as an actor (deduce's institution list is no longer run); as the
        # care provider of a person it is masked (tests/test_privacy_relations.py)
        ("Careyn doet de thuiszorg in de hele regio, twee keer per week.", "Careyn"),
        ("In Vosseveld is het rustig, zegt men.", "Vosseveld"),  # a wijk that is also in that list
    ],
)
def test_public_names_stay_readable(text, kept):
    found = ps.find_personal_data(text)
    start = text.index(kept)
    assert not any(s.start < start + len(kept) and start < s.end for s in found), _found(text)


@pytest.mark.parametrize(
    ("text", "label", "masked"),
    [
        # the same rules leave persons alone
        ("Toen kwam agent Van Dijk langs.", "persoon", "Van Dijk"),  # "Dijk" is no street on its own
        ("Ik sprak gisteren met Van Dijk over de buurt.", "persoon", "Van Dijk"),
        ("Ik heb met de Vries gesproken, die was aardig.", "persoon", "Vries"),
        ("De Jan van hiernaast is een goeie vent.", "persoon", "Jan"),  # dialect: an article before a first name
        ("Ik ging met van de Berg naar huis.", "persoon", "van de Berg"),
        ("Toen kwam wijkagent van Dijk langs.", "persoon", "van Dijk"),
        ("Ik sprak Anne-marie gisteren nog.", "persoon", "Anne"),  # a double first name, not "X-team"
        ("Mijn moeder woont in Woonzorgcentrum De Bloesem.", None, "De Bloesem"),  # a care home stays masked
        # ages in dialect, with "misschien", as a range, "jaar jong", of "we"; "op mn/mien achttiende"
        ("Mijn oma, die is noe negenentachtig, woont nog zelf.", "leeftijd", "negenentachtig"),
        ("Ich bin zevenenvijftig en woon hier al mijn hele leven.", "leeftijd", "zevenenvijftig"),
        ("Ich waor toen negentien, en ik wist het al.", "leeftijd", "negentien"),
        ("Op mien achttiende ging ik naar de stad.", "leeftijd", "achttiende"),
        ("Op mn zestiende wist ik het zeker.", "leeftijd", "zestiende"),
        ("Mijn buurman is misschien vijfenzeventig, maar nog erg fit.", "leeftijd", "vijfenzeventig"),
        ("Haar broer, die is zestig of eenenzestig, dat weet ik niet.", "leeftijd", "zestig of eenenzestig"),
        ("We hebben Anton Wiersma, 58 jaar jong, aan de lijn.", "leeftijd", "58 jaar jong"),
        ("Toen we vijftien waren, kusten we voor het eerst.", "leeftijd", "vijftien"),
        ("1 kind (Daan, 14 jr), co-ouderschap met zijn vader.", "leeftijd", "14 jr"),
        # phone numbers spoken in groups with commas, and from abroad
        ("Mijn nummer is nul zes, vijfenveertig, twaalf, achtentachtig, drieënzestig.", "telefoonnummer", "nul zes"),
        ("Bel me op plus eenendertig zes twee acht één negen nul vier drie vijf.", "telefoonnummer", "plus"),
        # a small business by its kind and its name
        ("Ze runt met haar vrouw de lunchroom Het Zoete Hart in de binnenstad.", "werkplek", "Het Zoete Hart"),
        ("Ik werk bij Drogisterij Kaagman aan de markt.", "werkplek", "Drogisterij Kaagman"),
        # a name spelled letter by letter, when the text names it; a name in apposition after a person
        ("Mijn achternaam is Veldkamp, V-e-l-d-k-a-m-p, met een k.", "persoon", "V-e-l-d-k-a-m-p"),
        ("Ik deel een kamer met een andere jongen uit Eritrea, Tekeste. Hij werkt.", "persoon", "Tekeste"),
        # streets of the national list with a house number, whatever their suffix
        ("Ze woont op de Kruisvaart 7, tweehoog.", "adres", "Kruisvaart 7"),
        ("Stuur het naar Korte Poten 9, 2511 EB Den Haag.", "adres", "Korte Poten 9"),
        ("Hij woont aan de Buitenhof 20 b in Den Haag.", "adres", "Buitenhof 20 b"),
    ],
)
def test_persons_and_addresses_around_them_are_masked(text, label, masked):
    found = _found(text)
    assert any((label is None or lab == label) and masked in t for lab, t in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Dat duurt nu al zeventien jaar, die ruzie.",  # a duration
        "Die boom is wel twintig meter hoog.",  # a measure
        "Toen we vijftien minuten later kwamen, was het dicht.",
        "Dat is misschien twintig jaar geleden.",
        "De letters A-B-C staan op het bord.",  # spelled, but no name of the text
        "We tellen: nul, een, twee, drie.",  # counting, not a phone number
        "We gingen naar het theater De Lawei in Drachten.",  # a public venue, not a small business
        "Ik heb contact met Ghanezen van de kerk. Niet alle Ghanezen denken zo.",  # people of a country
        "Ik praat veel met Eritreeërs uit Goes. Niet alle Eritreeërs zijn streng.",
    ],
)
def test_numbers_letters_and_peoples_that_are_no_age_or_name_stay(text):
    assert ps.find_personal_data(text) == []


def test_dialoogs_deduce_runs_only_the_annotators_it_needs_on_its_own_smaller_cache():
    """The slim engine has no street, institution or post-processing steps and loads no street trie; the
    street names are a set in a file of their own, and both files sit in the folder of deduce's version."""
    eng = engine_mod.engine()
    names = set(eng.processors.get_names(recursive=True))
    assert {"first_name_lookup", "surname_lookup", "name_context"} <= names
    assert not names & {"street_lookup", "institution", "post_processing", "redactor"}
    assert "street" not in eng.lookup_structs and "healthcare_institution" not in eng.lookup_structs
    slim = engine_mod.slim_cache()
    assert slim.parent.parent.name == f"deduce-{engine_mod._import_deduce().__version__}"
    assert (slim.parent / engine_mod.STREETS_FILE).is_file()
    assert {"Kruisvaart", "Korte Poten", "Buitenhof"} <= engine_mod.street_names()


def test_the_slim_cache_is_rebuilt_when_deduces_cache_is_newer(tmp_path, monkeypatch):
    """Invalidation: dialoog's cache is built from deduce's and rebuilt whenever deduce's cache is newer."""
    import os
    import pickle

    cache = tmp_path / "deduce-x"
    (cache / "cache").mkdir(parents=True)
    full = cache / "cache" / "lookup_structs.pickle"
    real = pickle.loads(pickle.dumps(engine_mod.engine().lookup_structs))  # a copy of the small structures
    full.write_bytes(pickle.dumps({"deduce_version": "x", "saved_datetime": "", "lookup_structs": real}))
    monkeypatch.setattr(engine_mod, "_deduce_cache_path", lambda: cache)
    monkeypatch.setattr(engine_mod, "_street_variants", lambda: frozenset({"Teststraat"}))
    said: list[str] = []
    slim = engine_mod.slim_cache(progress=said.append)
    assert len(said) == 1 and "writing dialoog's lookup cache" in said[0]
    assert engine_mod.slim_cache(progress=said.append) == slim and len(said) == 1  # reused, not rebuilt
    old = full.stat().st_mtime - 100
    os.utime(slim, (old, old))  # deduce's cache is now newer than dialoog's
    engine_mod.slim_cache(progress=said.append)
    assert len(said) == 2 and slim.stat().st_mtime >= full.stat().st_mtime
    assert pickle.loads((slim.parent / engine_mod.STREETS_FILE).read_bytes())["streets"] == {"Teststraat"}


def test_the_faster_tokenizer_makes_deduces_tokens():
    """dialoog's deduce tokenizer gives the same tokens, links and positions as deduce's own."""
    deduce = engine_mod._import_deduce()
    ours = engine_mod.engine().tokenizers["default"]
    theirs = deduce.Deduce._initialize_tokenizer(deduce.deduce._LOOKUP_LIST_PATH)
    text = (
        "Interviewer: Hoe gaat het met mevrouw van der Meer-de Vries?\n"
        "R: Goed!  Ze woont op de Kerkstraat 12a, bij Jan v.d. Berg en Mw. van 't Hek. 🏳️‍🌈 Ça va."
    )
    a, b = theirs.tokenize(text), ours.tokenize(text)
    assert [(t.text, t.start_char, t.end_char) for t in a] == [(t.text, t.start_char, t.end_char) for t in b]
    for i, token in enumerate(b):
        assert b.token_index(token) == i
        nxt, prev = token.next(), token.previous()
        assert (nxt.text if nxt else None) == (a[i].next().text if a[i].next() else None)
        assert (prev.text if prev else None) == (a[i].previous().text if a[i].previous() else None)
