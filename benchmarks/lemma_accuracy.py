"""Lemma accuracy of spaCy's Dutch lookup lemmatiser (spacy-lookups-data) and simplemma.

Run: .venv/bin/python benchmarks/lemma_accuracy.py
(needs spacy-lookups-data for spaCy's table: .venv/bin/pip install spacy-lookups-data; dialoog itself does not)

The forms below are frequent in interviews about living, safety and help in a neighbourhood
(verbs in past tense and participles, irregular verbs, plural nouns, adjectives). Each is lemmatised
out of context, as the offline pipeline does; the gold lemma is the dictionary form.
"""

from __future__ import annotations

import simplemma
import spacy

# (form, gold lemma)
GOLD = [
    # irregular and frequent verbs
    ("werd", "worden"),
    ("werden", "worden"),
    ("wordt", "worden"),
    ("geworden", "worden"),
    ("ben", "zijn"),
    ("bent", "zijn"),
    ("is", "zijn"),
    ("was", "zijn"),
    ("waren", "zijn"),
    ("geweest", "zijn"),
    ("heb", "hebben"),
    ("heeft", "hebben"),
    ("had", "hebben"),
    ("hadden", "hebben"),
    ("gehad", "hebben"),
    ("kon", "kunnen"),
    ("konden", "kunnen"),
    ("kan", "kunnen"),
    ("wil", "willen"),
    ("wilde", "willen"),
    ("zou", "zullen"),
    ("zouden", "zullen"),
    ("moest", "moeten"),
    ("mocht", "mogen"),
    ("durfde", "durven"),
    ("ging", "gaan"),
    ("gingen", "gaan"),
    ("gegaan", "gaan"),
    ("kwam", "komen"),
    ("kwamen", "komen"),
    ("gekomen", "komen"),
    ("zag", "zien"),
    ("gezien", "zien"),
    ("zei", "zeggen"),
    ("gezegd", "zeggen"),
    ("wist", "weten"),
    ("wisten", "weten"),
    ("gedaan", "doen"),
    ("deed", "doen"),
    ("kreeg", "krijgen"),
    ("kregen", "krijgen"),
    ("gekregen", "krijgen"),
    ("liep", "lopen"),
    ("gelopen", "lopen"),
    ("riepen", "roepen"),
    ("riep", "roepen"),
    ("geroepen", "roepen"),
    ("nageroepen", "naroepen"),
    ("uitgescholden", "uitschelden"),
    ("scholden", "schelden"),
    ("sloeg", "slaan"),
    ("geslagen", "slaan"),
    ("bedreigd", "bedreigen"),
    ("gepest", "pesten"),
    ("vond", "vinden"),
    ("gevonden", "vinden"),
    ("dacht", "denken"),
    ("gedacht", "denken"),
    ("bracht", "brengen"),
    ("zocht", "zoeken"),
    ("gezocht", "zoeken"),
    ("hielp", "helpen"),
    ("geholpen", "helpen"),
    ("helpt", "helpen"),
    ("gemeld", "melden"),
    ("meldde", "melden"),
    ("meldden", "melden"),
    ("belde", "bellen"),
    ("gebeld", "bellen"),
    ("woonde", "wonen"),
    ("woont", "wonen"),
    ("gewoond", "wonen"),
    ("voelde", "voelen"),
    ("gevoeld", "voelen"),
    ("werkt", "werken"),
    ("werkte", "werken"),
    ("gewerkt", "werken"),
    ("vertelde", "vertellen"),
    ("verteld", "vertellen"),
    ("praten", "praten"),
    ("gepraat", "praten"),
    ("begon", "beginnen"),
    ("begonnen", "beginnen"),
    ("bleef", "blijven"),
    ("gebleven", "blijven"),
    ("stond", "staan"),
    ("gestaan", "staan"),
    ("lag", "liggen"),
    ("zat", "zitten"),
    ("gezeten", "zitten"),
    ("nam", "nemen"),
    ("genomen", "nemen"),
    ("gaf", "geven"),
    ("gegeven", "geven"),
    ("hoorde", "horen"),
    ("gehoord", "horen"),
    ("accepteerden", "accepteren"),
    ("geaccepteerd", "accepteren"),
    ("verhuisd", "verhuizen"),
    ("verhuisde", "verhuizen"),
    ("aangepast", "aanpassen"),
    ("doorverwezen", "doorverwijzen"),
    # nouns
    ("mensen", "mens"),
    ("buren", "buur"),
    ("vrienden", "vriend"),
    ("kinderen", "kind"),
    ("jongeren", "jongere"),
    ("jongens", "jongen"),
    ("meiden", "meid"),
    ("ouders", "ouder"),
    ("collega's", "collega"),
    ("straten", "straat"),
    ("wijken", "wijk"),
    ("huizen", "huis"),
    ("meldingen", "melding"),
    ("incidenten", "incident"),
    ("bijeenkomsten", "bijeenkomst"),
    ("initiatieven", "initiatief"),
    ("projecten", "project"),
    ("gesprekken", "gesprek"),
    ("vragen", "vraag"),
    ("problemen", "probleem"),
    ("instanties", "instantie"),
    ("agenten", "agent"),
    ("wijkagenten", "wijkagent"),
    ("corporaties", "corporatie"),
    ("trainingen", "training"),
    ("vlaggen", "vlag"),
    ("dingen", "ding"),
    ("jaren", "jaar"),
    ("dagen", "dag"),
    ("avonden", "avond"),
    ("keren", "keer"),
    ("ogen", "oog"),
    ("steden", "stad"),
    ("scholen", "school"),
    ("vrouwen", "vrouw"),
    ("mannen", "man"),
    ("stellen", "stel"),
    ("briefjes", "briefje"),
    ("ramen", "raam"),
    # adjectives and adverbs
    ("veilige", "veilig"),
    ("onveilige", "onveilig"),
    ("bange", "bang"),
    ("eenzame", "eenzaam"),
    ("goede", "goed"),
    ("beter", "goed"),
    ("grote", "groot"),
    ("kleine", "klein"),
    ("nieuwe", "nieuw"),
    ("oude", "oud"),
    ("fijne", "fijn"),
    ("lastige", "lastig"),
    ("moeilijke", "moeilijk"),
    ("zichtbare", "zichtbaar"),
    ("open", "open"),
    ("eigen", "eigen"),
]


def spacy_lookup():
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    try:
        nlp.initialize()  # loads the lookup table from spacy-lookups-data
    except (ValueError, OSError, ImportError) as exc:
        hint = "run: .venv/bin/pip install spacy-lookups-data"
        raise SystemExit(f"spaCy's lookup table is missing ({exc}); {hint}") from None
    return lambda form: nlp(form)[0].lemma_.lower()


def simplemma_nl():
    return lambda form: simplemma.lemmatize(form, lang="nl").lower()


def main() -> None:
    from dialoog.assist.nlp import lemma_of

    candidates = {
        "spaCy lookup (spacy-lookups-data)": spacy_lookup(),
        "simplemma": simplemma_nl(),
        "dialoog.assist.nlp.lemma_of (simplemma)": lemma_of,
    }
    print(f"{len(GOLD)} Dutch word forms")
    for name, lemmatize in candidates.items():
        wrong = [(form, gold, lemmatize(form)) for form, gold in GOLD if lemmatize(form) != gold]
        correct = len(GOLD) - len(wrong)
        print(f"{name:36} {correct:4}/{len(GOLD)} correct = {correct / len(GOLD):.1%}")
        print("    wrong: " + ", ".join(f"{f}->{got} (not {g})" for f, g, got in wrong[:25]))


if __name__ == "__main__":
    main()
