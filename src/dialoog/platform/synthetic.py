"""Synthetic, entirely fictional platform exports for benchmarks and tests: every municipality of the CBS
list gets made-up initiatives and gaps, built from a few patterns so that some recur across municipalities
(as 'Roze in Blauw' or a school programme does) and others are local. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random

from dialoog.inventory.registers import KINDS, TARGET_GROUPS
from dialoog.platform.model import (
    THEMES,
    Bron,
    Evaluatie,
    GemeenteExport,
    Herkomst,
    Initiatief,
    LegePlek,
    PlatformExport,
)
from dialoog.study.gemeenten import Gemeente, all_gemeenten

#: (name, kind, doelgroepen, themes, organisation) of initiatives that recur in many municipalities
RECURRING = [
    ("Roze in Blauw", "melden", ["lhbt"], ["veiligheid"], "Roze in Blauw"),
    ("Voorlichting 'Wie van de drie'", "voorlichting", ["jongeren"], ["onderwijs", "jongeren"], "COC"),
    ("Roze ouderensoos", "ontmoeting", ["ouderen"], ["ouderen"], "Stichting Roze 50+"),
    ("Maatjesproject voor LHBT-nieuwkomers", "ondersteuning", ["vluchtelingen"], ["asiel-en-nieuwkomers"], "COC"),
    ("Regenboogvlag bij het gemeentehuis", "zichtbaarheid", ["lhbt"], ["veiligheid"], "Gemeente"),
    ("Training LHBT-sensitief werken", "training-professionals", ["professionals"], ["zorg"], "GGD"),
]
#: parts of made-up local initiatives
ACTIVITIES = [
    ("Inloopavond", "ontmoeting"), ("Wandelgroep", "ontmoeting"), ("Spreekuur", "ondersteuning"),
    ("Voorlichtingsles", "voorlichting"), ("Netwerkbijeenkomst", "netwerk"), ("Meldpunt", "melden"),
    ("Adviesraad", "inspraak"), ("Fotoproject", "zichtbaarheid"), ("Gastles", "voorlichting"),
    ("Buddyproject", "ondersteuning"), ("Scholing", "training-professionals"), ("Sportdag", "ontmoeting"),
]  # fmt: skip
AUDIENCES = [
    ("voor LHBT-jongeren", ["jongeren"], ["jongeren"]), ("voor LHBT-ouderen", ["ouderen"], ["ouderen"]),
    ("voor transgender personen", ["trans"], ["bi-trans-intersekse"]), ("voor regenboogfamilies", ["gezinnen"], []),
    ("voor bi+ personen", ["bi"], ["bi-trans-intersekse"]), ("op het mbo", ["jongeren"], ["onderwijs"]),
    ("bij de sportvereniging", ["lhbt"], ["sport"]), ("voor zorgverleners", ["professionals"], ["zorg"]),
    ("voor werkgevers", ["professionals"], ["werk"]),
    ("voor statushouders", ["vluchtelingen"], ["asiel-en-nieuwkomers"]),
    ("in de wijk", ["lhbt"], ["veiligheid"]), ("voor intersekse personen", ["intersekse"], ["bi-trans-intersekse"]),
]  # fmt: skip
WORKS = [
    "vaste vrijwilligers die mensen persoonlijk kennen", "een laagdrempelige plek dicht bij huis",
    "het eigen verhaal van een ervaringsdeskundige", "samenwerking met het wijkteam", "een vast aanspreekpunt",
    "deelnemers nemen zelf vrienden mee", "korte lijnen met de politie", "het is gratis en er is koffie",
]  # fmt: skip
NOT_WORKING = [
    "het bereik buiten de stad is klein",
    "eenmalig; er is geen vervolg",
    "afhankelijk van één vrijwilliger",
    "",
]
NEEDS = [
    ("Een ontmoetingsplek voor LHBT-ouderen in de wijk", ["ouderen"], ["ouderen"]),
    ("Voorlichting op elke school", ["jongeren"], ["onderwijs", "jongeren"]),
    ("Een vast aanspreekpunt bij de gemeente", ["lhbt"], ["veiligheid"]),
    ("Steun voor transgender jongeren en hun ouders", ["trans", "jongeren"], ["bi-trans-intersekse"]),
    ("Aandacht voor LHBT-statushouders bij de huisvesting", ["vluchtelingen"], ["asiel-en-nieuwkomers"]),
    ("Een training voor nieuwe medewerkers van het wijkteam", ["professionals"], ["zorg"]),
]  # fmt: skip
#: made-up names of local projects
BRANDS = [
    "De Brug", "Het Baken", "Kleurrijk", "Roze Draad", "Open Deur", "Samen Sterk", "Vrij Baan", "De Haven",
    "Regenboogkamer", "Zij aan Zij", "Buitenkans", "Het Anker", "Lichtpunt", "Thuishaven", "De Kring", "Spectrum",
    "Roze Loper", "Welkom", "Ontmoet", "De Oever", "Wijkwijs", "Dichtbij", "Vonk", "Kompas",
]  # fmt: skip
ORGS = [
    "COC",
    "Wijkteam",
    "Bibliotheek",
    "Welzijnsorganisatie",
    "Jongerenwerk",
    "Huisartsenpraktijk",
    "Sportvereniging",
]


def _initiative(rng: random.Random, g: Gemeente, n: int, herkomst: Herkomst) -> Initiatief:
    if rng.random() < 0.3:
        naam, soort, groups, themes, org = rng.choice(RECURRING)
        naam = f"{naam} {g.name}" if rng.random() < 0.5 else naam
    else:
        (act, soort), (aud, groups, themes) = rng.choice(ACTIVITIES), rng.choice(AUDIENCES)
        naam, org = f"{act} {rng.choice(BRANDS)} {aud}", rng.choice(ORGS)
    status = rng.choices(["lopend", "gestopt", "idee"], weights=[7, 2, 1])[0]
    sinds = rng.randint(2010, 2025)
    works = "" if status == "idee" or rng.random() < 0.2 else rng.choice(WORKS)
    return Initiatief(
        id=f"{g.slug}/initiatief-{n:02d}",
        naam=naam,
        gemeente=g.name,
        gemeente_code=g.code,
        organisaties=[org if org != "Gemeente" else f"Gemeente {g.name}"],
        doelgroepen=list(groups),
        themas=list(themes),
        soort=soort,
        status=status,
        sinds=sinds,
        tot=rng.randint(sinds, 2026) if status == "gestopt" else None,
        doel=f"Fictief voorbeeld: {naam.lower()} in {g.name}, zodat LHBT-inwoners zich veiliger voelen.",
        aanpak=f"{rng.choice(['Elke week', 'Elke maand', 'Twee keer per jaar'])} een activiteit, "
        f"georganiseerd door {org.lower()} met vrijwilligers.",
        werkt=works,
        werkt_niet=rng.choice(NOT_WORKING),
        werkzame_elementen=rng.sample(WORKS, k=rng.randint(0, 2)),
        evaluatie=Evaluatie(vorm=rng.choice(["geen", "eigen", "extern", "onderzoek"]), jaar=rng.randint(sinds, 2026)),
        contact_organisatie=org,
        vermeld_in_gesprekken=rng.choice(["0", "< 5", "6", "9"]),
        herkomst=[herkomst],
    )


def synthetic_export(g: Gemeente, per_gemeente: int = 20, seed: int = 0) -> PlatformExport:
    """A fictional export of one municipality with `per_gemeente` initiatives and a few gaps."""
    rng = random.Random(f"{seed}-{g.code}")
    datum = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
    herkomst = Herkomst(uitgever=f"Gemeente {g.name} (fictief)", datum=datum)
    items = [_initiative(rng, g, n, herkomst) for n in range(1, per_gemeente + 1)]
    served = {d for i in items if i.status == "lopend" for d in i.doelgroepen}
    gaps = [LegePlek(soort="behoefte", omschrijving=o, doelgroepen=d, themas=t) for o, d, t in rng.sample(NEEDS, 3)]
    gaps += [
        LegePlek(soort="doelgroep", omschrijving=f"Geen lopend initiatief voor {label}", doelgroepen=[d])
        for d, label in TARGET_GROUPS.items()
        if d != "lhbt" and d not in served
    ]
    gaps.append(LegePlek(soort="organisatie", omschrijving="De woningcorporatie heeft geen band met het LHBT-netwerk"))
    gemeente = GemeenteExport(
        naam=g.name, code=g.code, slug=g.slug, fictief=True, lege_plekken=gaps, herkomst=[herkomst]
    )
    bron = Bron(**herkomst.model_dump(), dialoog_versie="synthetisch", fictief=True)
    return PlatformExport(bronnen=[bron], gemeenten=[gemeente], initiatieven=items)


def synthetic_exports(n_gemeenten: int = 342, per_gemeente: int = 20, seed: int = 0) -> list[PlatformExport]:
    """One fictional export per municipality, for the first `n_gemeenten` of the CBS list (342 in 2025)."""
    assert set(KINDS) >= {k for _, k in ACTIVITIES} and set(THEMES) >= {t for _, _, ts in AUDIENCES for t in ts}
    return [synthetic_export(g, per_gemeente, seed) for g in all_gemeenten()[:n_gemeenten]]
