"""The Dutch text, tables and figures of the report "Perspectieven voor LHBT's in <gemeente>".

Each function returns Markdown or HTML for one part of the report; the notebook
`notebooks/perspectieven.ipynb` only calls them in order, so the logic is tested here.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from dialoog.privacy.disclosure import Disclosure, breakdown_table, share_label, share_text
from dialoog.report import dutch, figures, studycache
from dialoog.report import inventory_chapters as inventory_report
from dialoog.report.chapters import (  # noqa: F401 - re-exported for chapters and tests
    CHAPTERS,
    Chapter,
    chapter_number,
    heading,
    not_recorded,
    number,
    numbered_title,
    table_html,
)
from dialoog.report.findings import (  # noqa: F401 - chapters of this report, and used by the leaflet
    _interviews_with,
    _top_subjects,
    conclusies,
    key_findings,
    samenvatting,
)
from dialoog.study import analysis, reportfiles
from dialoog.study.analysis import GemeenteData, quotes, theme_frequencies, themes_by_role
from dialoog.study.gemeenten import find_gemeente

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


def load(study: Path | str, gemeente: str) -> GemeenteData:
    """The data of one gemeente. The study is validated when first opened and kept while its files do not
    change, so a kernel that renders many reports (see `dialoog.report.engine`) reads the whole study only once."""
    return analysis.load(studycache.study(study), find_gemeente(gemeente))


def report_files(data: GemeenteData) -> reportfiles.ReportFiles:
    """The municipality's own files (goals and actions, contacts, organisations) from the study's rapport/."""
    if data.study_root is None:
        return reportfiles.ReportFiles()
    return reportfiles.load(data.study_root, data.gemeente.slug)


def title(data: GemeenteData) -> str:
    """The title page (cover) and the table of contents, as HTML."""
    name = html.escape(data.gemeente.name)
    out = '<header class="cover" id="titelpagina">\n<div class="cover-stripe" aria-hidden="true"></div>\n'
    out += '<p class="cover-kicker">Dialooggesprekken met LHBT-inwoners en professionals</p>\n'
    out += f"<h1>Perspectieven voor LHBT's in {name}</h1>\n"
    out += '<p class="cover-sub">Wat werkt, wat werkt niet, en welke vragen en behoeften er liggen</p>\n'
    period = _period(data.interviews["datum"])
    out += f'<p class="cover-meta">Gemeente {name}{f" · gesprekken gevoerd in {period}" if period else ""}</p>\n'
    if data.fictional:
        out += (
            '<p class="cover-note"><strong>Let op:</strong> dit rapport is gemaakt met de fictieve '
            "demonstratiestudie van dialoog. Alle gesprekken, personen en citaten zijn verzonnen.</p>\n"
        )
    out += "</header>\n"
    items = "\n".join(f'<li><a href="#{c.anchor}">{html.escape(numbered_title(c.anchor))}</a></li>' for c in CHAPTERS)
    return (
        out + f'<nav class="toc" aria-labelledby="inhoud">\n<h2 id="inhoud">Inhoud</h2>\n<ol>\n{items}\n</ol>\n</nav>\n'
    )


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

Dit rapport bundelt wat in {dutch.count(n, "gesprek", "gesprekken")} is opgehaald. Hoofdstuk
{chapter_number("methode")} beschrijft hoe de gesprekken zijn gevoerd en geanalyseerd, hoofdstuk
{chapter_number("themas")} welke thema's het vaakst ter sprake kwamen, en de hoofdstukken
{chapter_number("wat-werkt")} tot en met {chapter_number("vragen-en-behoeften")} laten met citaten zien wat
werkt, wat niet werkt en wat nog nodig is. Daarna volgen de initiatieven en de lege plekken, de conclusies
en aanbevelingen, en de doelen en acties van de gemeente. Citaten worden alleen toegeschreven aan de rol
van de spreker, nooit aan een persoon of een wijk; een rol met minder dan {data.small_cell_threshold} gesprekken
noemen we niet, dan staat er "respondent".
"""
    )


def _period(dates: pd.Series) -> str | None:
    """'maart 2026', 'de periode maart 2026 tot en met mei 2026', or None when no interview has a date."""
    dates = dates.dropna()
    if dates.empty:
        return None
    first, last = dates.min(), dates.max()
    a = f"{MONTHS[first.month - 1]} {first.year}"
    b = f"{MONTHS[last.month - 1]} {last.year}"
    return a if a == b else f"de periode {a} tot en met {b}"


def _held(dates: pd.Series, n: int) -> str:
    """'In maart 2026 zijn 12 dialooggesprekken gevoerd.', without a period when no date was recorded."""
    held = f"{dutch.verb(n, 'is', 'zijn')} {dutch.count(n, 'dialooggesprek', 'dialooggesprekken')} gevoerd"
    period = _period(dates)
    if period:
        return f"In {period} {held}."
    return f"Er {held}; wanneer, is niet vastgelegd."


def _coding_text(data: GemeenteData, coders: list[str]) -> str:
    """How the interviews were coded, with the counts in correct Dutch ('door 1 codeur', never 'door 0 codeurs')."""
    if not coders:
        return "De gesprekken zijn nog niet gecodeerd."
    k, c, f = len(coders), len(data.codings), len(data.segments)
    return (
        f"De gesprekken zijn thematisch gecodeerd met het codeboek in de bijlage, door "
        f"{dutch.count(k, 'codeur', 'codeurs')}{' die onafhankelijk van elkaar werkten' if k > 1 else ''}. "
        f"In totaal {dutch.verb(c, 'is', 'zijn')} {dutch.count(c, 'codering', 'coderingen')} gemaakt, samen "
        f"{dutch.count(f, 'gecodeerd fragment', 'gecodeerde fragmenten')}."
    )


def methode(data: GemeenteData) -> str:
    from dialoog.report.methode import combination_text  # how the codings of several coders were combined

    iv = data.interviews
    n = len(iv)
    coders = sorted(data.codings["coder"].unique())
    text = (
        heading("methode")
        + f"""

{_held(iv["datum"], n)} De gesprekken zijn opgenomen, uitgeschreven
en vóór de analyse gepseudonimiseerd: namen en andere herleidbare gegevens zijn vervangen.
"""
    )
    if data.excluded:
        text += (
            f"\n{data.excluded} {'gesprek is' if data.excluded == 1 else 'gesprekken zijn'} niet meegenomen, "
            "omdat er (nog) geen toestemming is vastgelegd of omdat het verslag nog niet is gepseudonimiseerd.\n"
        )
    text += f"""
{_coding_text(data, coders)} {combination_text(data)}

Om te voorkomen dat een respondent herleidbaar is, noemen we in uitsplitsingen aantallen gesprekken
of personen onder de {data.small_cell_threshold} niet precies: in de tekst staat dan "minder dan
{data.small_cell_threshold}", in tabellen "< {data.small_cell_threshold}". Uitsplitsingen naar kleinere
groepen laten we weg of voegen we samen. Het totale aantal gesprekken en de aantallen gecodeerde
fragmenten (tekstdelen, geen personen) staan er wel precies.
"""
    by_role = iv.groupby("rol").size().rename("gesprekken").reset_index().rename(columns={"rol": "respondentrol"})
    by_wijk = iv.groupby("wijk").size().rename("gesprekken").reset_index()
    # small groups are pooled so that no cell can be worked out from the total (privacy.disclosure)
    t = data.small_cell_threshold
    for i, (df, col, other, what) in enumerate(
        [(by_role, "respondentrol", "overige rollen", "respondentrol"), (by_wijk, "wijk", "overige wijken", "wijk")], 1
    ):
        shown, note = breakdown_table(df, col, "gesprekken", t, other)
        if shown is None:
            text += (
                f"\n\nDe gesprekken zijn niet per {what} uitgesplitst: geen enkele {what} telt {t} of meer gesprekken."
            )
        else:
            text += "\n\n" + table_html(shown, f"Tabel {number('methode', i)}. Gesprekken per {what}. {note}".strip())
    from dialoog.report.methode import methode_section  # inter-coder agreement

    text += methode_section(data)
    return text


def themas(data: GemeenteData) -> str:
    if data.segments.empty:
        return heading("themas") + "\n\nEr zijn nog geen gecodeerde fragmenten om over te rapporteren.\n"
    freq = theme_frequencies(data, top_level=False)
    freq = freq[freq["fragmenten"] > 0]  # unused codes are listed in the appendix
    n, t = len(data.interviews), data.small_cell_threshold
    mean = themes_by_role(data)  # only role groups of at least t interviews; no columns if there are none
    by_role = not mean.columns.empty
    text = heading("themas") + (
        f"\n\nFiguur {number('themas', 1)} laat zien hoe vaak elke code in de gesprekken is gebruikt, en in "
        "hoeveel gesprekken."
    )
    if by_role:
        text += (
            f" Figuur {number('themas', 2)} laat per respondentrol zien hoeveel fragmenten per gesprek over een "
            "hoofdthema gingen; subthema's (zoals incidenten en melden en aangifte) tellen daar mee bij hun "
            "hoofdthema."
        )
    text += "\n"
    if not freq.empty:
        top = freq.iloc[0]
        share = share_text(top.interviews, n, t)
        fragments = dutch.count(top.fragmenten, "fragment", "fragmenten")
        text += f"\nHet vaakst gecodeerd is **{top.thema}**: {fragments}, {share}.\n"
    words = "; ".join(
        f"{r.thema}: {dutch.count(r.fragmenten, 'fragment', 'fragmenten')} {share_text(r.interviews, n, t)}"
        for r in freq.itertuples()
    )
    labelled = freq.assign(gesprekken=[share_label(k, n, t) for k in freq["interviews"]])
    text += "\n" + figures.figure_html(
        figures.themes_bar(labelled),
        number("themas", 1),
        "Aantal gecodeerde fragmenten per code, met tussen haakjes het aantal gesprekken "
        f"(aantallen onder de {t} als “< {t}”).",
        f"Staafdiagram van het aantal fragmenten per code. {words}.",
    )
    if not by_role:
        return text + (
            f"\n\nEen uitsplitsing naar respondentrol laten we weg: geen enkele rol telt {t} of meer gesprekken, "
            "en een gemiddelde over zo weinig gesprekken kan iets zeggen over individuele respondenten.\n"
        )
    role_words = "; ".join(
        f"{col}: " + ", ".join(f"{theme} {mean.loc[theme, col]:.1f}" for theme in mean.index) for col in mean.columns
    )
    caption = "Gemiddeld aantal fragmenten per gesprek over elk hoofdthema, per respondentrol (n = aantal gesprekken)."
    if any(str(c).startswith(analysis.OTHER_ROLES) for c in mean.columns):
        caption += f" Rollen met minder dan {t} gesprekken zijn samengenomen als “{analysis.OTHER_ROLES}”."
    text += "\n\n" + figures.figure_html(
        figures.themes_heatmap(mean),
        number("themas", 2),
        caption,
        f"Heatmap van hoofdthema's per respondentrol, in fragmenten per gesprek. {role_words}.",
    )
    return text


def quote_block(text: str, rol: str, wijk: str | None = None) -> str:
    """A quote attributed to a respondent role (and a wijk, only where the study allows it)."""
    who = f"{rol}, {wijk}" if wijk and wijk != "onbekend" else rol
    return f"> “{text.strip()}”\n>\n> — *{who}*\n"


def quote_chapter(data: GemeenteData, anchor: str, code: str, intro: str, limit: int = 5) -> str:
    q = quotes(data, code, limit=limit)
    seg = data.segments[data.segments["code"].isin({code, *data.codebook.descendants(code)})]
    n_iv = seg["transcript"].nunique()
    out = heading(anchor) + f"\n\n{intro}\n\n"
    if q.empty:
        return out + "In de gesprekken zijn hierover geen fragmenten gecodeerd.\n"
    disclosure = Disclosure.of(data)  # small roles are not named beside a theme, nor under a quote
    named = sorted({disclosure.role_groups.get(r, "") for r in seg["rol"].unique()} - {"", "overige rollen"})
    roles = "in de rol van: " + ", ".join(named) if named else "in verschillende rollen"
    out += (
        f"Dit kwam ter sprake {share_text(n_iv, len(data.interviews), data.small_cell_threshold)} "
        f"({dutch.count(len(seg), 'fragment', 'fragmenten')}), "
        f"bij respondenten {roles}. Een selectie:\n\n"
    )
    return out + "\n".join(quote_block(r.text, disclosure.speaker(r.rol, r.wijk)) for r in q.itertuples())


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
    ) + inventory_report.behoeften_tabel(data)


def doelen_en_acties(data: GemeenteData) -> str:
    goals = report_files(data).goals
    if goals is None or not goals.goals:
        return not_recorded("doelen-en-acties", "doelen en acties", plural=True)
    out = heading("doelen-en-acties") + "\n\nDe gemeente werkt aan de volgende doelen, met deze acties.\n"
    if goals.fictional:
        out += "\n*De doelen en acties in dit hoofdstuk zijn een fictief voorbeeld.*\n"
    for i, goal in enumerate(goals.goals, start=1):
        out += f"\n<h3>Doel {i}. {html.escape(goal.text)}</h3>\n\n"
        if not goal.actions:
            out += "Voor dit doel zijn nog geen acties vastgelegd.\n"
            continue
        for a in goal.actions:
            extra = " · ".join(x for x in (a.who, a.when) if x)
            out += f"- {a.text}" + (f" *({extra})*" if extra else "") + "\n"
    return out


def organisaties(data: GemeenteData) -> str:
    orgs = report_files(data).organisations
    if not orgs:
        return not_recorded("bijlage-organisaties", "lijst van organisaties waarmee is gesproken")
    rows = [{"organisatie": o.name + (" (fictief)" if o.fictional else ""), "soort": o.kind or "–"} for o in orgs]
    return (
        heading("bijlage-organisaties")
        + "\n\nOrganisaties waarmee voor dit onderzoek is gesproken. Personen worden niet genoemd.\n\n"
        + table_html(
            pd.DataFrame(rows), f"Tabel {number('bijlage-organisaties', 1)}. Organisaties waarmee is gesproken"
        )
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
        "ingesprongen onder hun hoofdcode.\n\n"
        + table_html(pd.DataFrame(rows), f"Tabel {number('bijlage-codeboek', 1)}. Codeboek")
    )


def parts(data: GemeenteData) -> list[str]:
    """The whole report as Markdown parts: the title page, then every chapter in order."""
    term = dutch.Term.of(data)
    return [term.apply(part) for part in [title(data), *(chapter.renderer(data) for chapter in CHAPTERS)]]
