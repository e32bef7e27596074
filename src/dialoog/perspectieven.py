"""The Dutch text, tables and figures of the report "Perspectieven voor LHBT's in <gemeente>".

Each function returns Markdown or HTML for one part of the report; the notebook
`notebooks/perspectieven.ipynb` only calls them in order, so the logic is tested here.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import figures
from .analysis import GemeenteData, quotes, theme_frequencies, themes_by_role


@dataclass(frozen=True)
class Chapter:
    """One chapter: its anchor (HTML id), Dutch title and the function that renders it as Markdown."""

    anchor: str
    title: str
    render: Callable[[GemeenteData], str]
    appendix: bool = False


MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def numbered_title(anchor: str) -> str:
    """'4. Wat werkt' for a chapter, 'Bijlage: ...' (no number) for an appendix."""
    numbered = [c for c in CHAPTERS if not c.appendix]
    for chapter in CHAPTERS:
        if chapter.anchor == anchor:
            return chapter.title if chapter.appendix else f"{numbered.index(chapter) + 1}. {chapter.title}"
    raise KeyError(anchor)


def heading(anchor: str) -> str:
    return f'<h2 id="{anchor}">{html.escape(numbered_title(anchor))}</h2>'


def title(data: GemeenteData) -> str:
    name = data.gemeente.name
    out = f"# Perspectieven voor LHBT's in {name}\n\n"
    out += "*Rapportage van de dialooggesprekken met LHBT-inwoners en betrokken professionals*\n\n"
    if data.fictional:
        out += (
            "> **Let op:** dit rapport is gemaakt met de fictieve demonstratiestudie van `dialoog`. "
            "Alle gesprekken, personen en citaten zijn verzonnen.\n\n"
        )
    toc = "\n".join(f"- [{numbered_title(c.anchor)}](#{c.anchor})" for c in CHAPTERS)
    return out + "**Inhoud**\n\n" + toc + "\n"


def inleiding(data: GemeenteData) -> str:
    name = data.gemeente.name
    n = len(data.interviews)
    return (
        heading("inleiding")
        + f"""

Mensen moeten zich prettig en veilig kunnen voelen in hun eigen leefomgeving, ongeacht hun seksuele
oriëntatie of genderidentiteit. Om daar als gemeente werk van te maken, is het nodig om in gesprek te
zijn met de mensen om wie het gaat. Daarom zijn in {name} dialooggesprekken gevoerd met LHBT-inwoners
en met de professionals en vrijwilligers die hen in de wijk tegenkomen.

Het doel van de gesprekken is drieledig: de zelfredzaamheid en de sociale netwerken van LHBT's
versterken, wederzijds respect vergroten, en zien wat er al gebeurt. Daarvoor is per gesprek nagegaan
**wat werkt**, **wat niet werkt** en **waar nog vragen en behoeften liggen**.

Dit rapport bundelt wat in {n} {"gesprek" if n == 1 else "gesprekken"} is opgehaald. Hoofdstuk 2
beschrijft hoe de gesprekken zijn gevoerd en geanalyseerd, hoofdstuk 3 welke thema's het vaakst ter
sprake kwamen, en de hoofdstukken 4 tot en met 6 laten met citaten zien wat werkt, wat niet werkt en
wat nog nodig is. Citaten worden alleen toegeschreven aan de rol van de spreker, nooit aan een persoon
of een wijk.
"""
    )


def _period(dates: pd.Series) -> str:
    dates = dates.dropna()
    if dates.empty:
        return "een periode waarvan de data niet zijn vastgelegd"
    first, last = dates.min(), dates.max()
    a = f"{MONTHS[first.month - 1]} {first.year}"
    b = f"{MONTHS[last.month - 1]} {last.year}"
    return a if a == b else f"de periode {a} tot en met {b}"


def table_html(df: pd.DataFrame, caption: str) -> str:
    """A plain, accessible HTML table with a caption and header cells."""
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in df.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in df.itertuples(index=False)
    )
    return (
        f'<table class="dialoog-table"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def methode(data: GemeenteData) -> str:
    iv = data.interviews
    n = len(iv)
    coders = sorted(data.codings["coder"].unique())
    text = (
        heading("methode")
        + f"""

In {_period(iv["datum"])} zijn {n} dialooggesprekken gevoerd. De gesprekken zijn opgenomen, uitgeschreven
en vóór de analyse gepseudonimiseerd: namen en andere herleidbare gegevens zijn vervangen.
"""
    )
    if data.excluded:
        text += (
            f"\n{data.excluded} {'gesprek is' if data.excluded == 1 else 'gesprekken zijn'} niet meegenomen, "
            "omdat er (nog) geen toestemming is vastgelegd of omdat het verslag nog niet is gepseudonimiseerd.\n"
        )
    text += f"""
De gesprekken zijn thematisch gecodeerd met het codeboek in de bijlage, door {len(coders)}
{"codeur" if len(coders) == 1 else "codeurs"} die onafhankelijk van elkaar werkten. Een fragment telt in
dit rapport mee als ten minste één codeur het een code gaf; citaten zijn bij voorkeur gekozen uit
fragmenten waarover de codeurs het eens waren. In totaal zijn {len(data.codings)} coderingen gemaakt,
samen {len(data.segments)} gecodeerde fragmenten.
"""
    by_role = iv.groupby("rol").size().rename("gesprekken").reset_index().rename(columns={"rol": "respondentrol"})
    by_wijk = iv.groupby("wijk").size().rename("gesprekken").reset_index()
    text += "\n" + table_html(by_role, "Tabel 1. Gesprekken per respondentrol")
    text += "\n\n" + table_html(by_wijk, "Tabel 2. Gesprekken per wijk")
    return text


def themas(data: GemeenteData) -> str:
    if data.segments.empty:
        return heading("themas") + "\n\nEr zijn nog geen gecodeerde fragmenten om over te rapporteren.\n"
    freq = theme_frequencies(data, top_level=False)
    freq = freq[freq["fragmenten"] > 0]  # unused codes are listed in the appendix
    n = len(data.interviews)
    text = (
        heading("themas")
        + """

Figuur 1 laat zien hoe vaak elke code in de gesprekken is gebruikt, en in hoeveel gesprekken. Figuur 2
laat per respondentrol zien hoeveel fragmenten per gesprek over een hoofdthema gingen; subthema's (zoals
incidenten en melden en aangifte) tellen daar mee bij hun hoofdthema.
"""
    )
    if not freq.empty:
        top = freq.iloc[0]
        text += (
            f"\nHet vaakst gecodeerd is **{top.thema}**: {top.fragmenten} fragmenten, "
            f"in {top.interviews} van de {n} gesprekken.\n"
        )
    words = "; ".join(
        f"{r.thema}: {r.fragmenten} fragmenten in {r.interviews} van {n} gesprekken" for r in freq.itertuples()
    )
    text += "\n" + figures.figure_html(
        figures.themes_bar(freq),
        1,
        "Aantal gecodeerde fragmenten per code, met tussen haakjes het aantal gesprekken.",
        f"Staafdiagram van het aantal fragmenten per code. {words}.",
    )
    mean = themes_by_role(data)
    role_words = "; ".join(
        f"{col}: " + ", ".join(f"{theme} {mean.loc[theme, col]:.1f}" for theme in mean.index) for col in mean.columns
    )
    text += "\n\n" + figures.figure_html(
        figures.themes_heatmap(mean),
        2,
        "Gemiddeld aantal fragmenten per gesprek over elk hoofdthema, per respondentrol (n = aantal gesprekken).",
        f"Heatmap van hoofdthema's per respondentrol, in fragmenten per gesprek. {role_words}.",
    )
    return text


def quote_block(text: str, rol: str) -> str:
    return f"> “{text.strip()}”\n>\n> — *{rol}*\n"


def quote_chapter(data: GemeenteData, anchor: str, code: str, intro: str, limit: int = 5) -> str:
    q = quotes(data, code, limit=limit)
    seg = data.segments[data.segments["code"].isin({code, *data.codebook.descendants(code)})]
    n_iv = seg["transcript"].nunique()
    out = heading(anchor) + f"\n\n{intro}\n\n"
    if q.empty:
        return out + "In de gesprekken zijn hierover geen fragmenten gecodeerd.\n"
    roles = ", ".join(sorted(seg["rol"].unique()))
    out += (
        f"Dit kwam ter sprake in {n_iv} van de {len(data.interviews)} gesprekken ({len(seg)} fragmenten), "
        f"bij respondenten in de rol van: {roles}. Een selectie:\n\n"
    )
    return out + "\n".join(quote_block(r.text, r.rol) for r in q.itertuples())


def wat_werkt(data: GemeenteData) -> str:
    return quote_chapter(
        data,
        "wat-werkt",
        "wat-werkt",
        "Wat helpt LHBT-inwoners om zich veilig en thuis te voelen, volgens henzelf en volgens de "
        "professionals en vrijwilligers om hen heen?",
    )


def wat_werkt_niet(data: GemeenteData) -> str:
    return quote_chapter(
        data,
        "wat-werkt-niet",
        "wat-werkt-niet",
        "Waar schiet de huidige aanpak tekort, of pakt die zelfs verkeerd uit?",
    )


def vragen_en_behoeften(data: GemeenteData) -> str:
    return quote_chapter(
        data,
        "vragen-en-behoeften",
        "vragen-behoeften",
        "Welke vragen en behoeften bleven in de gesprekken liggen? Dit is het vertrekpunt voor "
        "nieuwe of bredere initiatieven.",
    )


def codeboek(data: GemeenteData) -> str:
    cb = data.codebook
    rows = [
        {
            "code": ("— " * cb.depth(c.id)) + c.label,
            "omschrijving": c.description,
            "gebruiken als": c.use_when,
            "niet gebruiken als": c.not_when,
        }
        for c in cb.walk()
    ]
    return (
        heading("bijlage-codeboek") + "\n\nHet codeboek waarmee de gesprekken zijn gecodeerd. Subcodes staan "
        "ingesprongen onder hun hoofdcode.\n\n" + table_html(pd.DataFrame(rows), "Tabel 3. Codeboek")
    )


#: The chapters of the report, in order. A chapter is a function of the municipality's data.
CHAPTERS: list[Chapter] = [
    Chapter("inleiding", "Inleiding", inleiding),
    Chapter("methode", "Methode", methode),
    Chapter("themas", "Thema's", themas),
    Chapter("wat-werkt", "Wat werkt", wat_werkt),
    Chapter("wat-werkt-niet", "Wat werkt niet", wat_werkt_niet),
    Chapter("vragen-en-behoeften", "Vragen en behoeften", vragen_en_behoeften),
    Chapter("bijlage-codeboek", "Bijlage: het codeboek", codeboek, appendix=True),
]


def parts(data: GemeenteData) -> list[str]:
    """The whole report as Markdown parts: the title page, then every chapter in order."""
    return [title(data)] + [chapter.render(data) for chapter in CHAPTERS]
