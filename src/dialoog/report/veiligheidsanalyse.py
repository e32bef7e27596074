"""The yearly regional safety analysis, "Veiligheidsanalyse LHBT <regio> <jaar>".

The notebook ``notebooks/veiligheidsanalyse.ipynb`` only calls `parts()`; this module holds the Dutch text
and the tables (the figures are in `veiligheidsfiguren`), and `render()` runs the notebook with papermill and
exports it to ``reports/regio-<id>/veiligheidsanalyse-<jaar>.html`` (and .pdf, .docx). A failed run keeps the
previous report and saves the failed notebook beside it.

The figures come from `dialoog.monitor.sources`: the municipality's own survey (weighted, per group), CBS
StatLine (all residents, with CBS's margins), discrimination registrations, and hand-entered figures.
Suppressed figures never appear, not in text, tables or figures, and trends are fitted over all shown years.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dialoog.errors import DialoogError
from dialoog.inventory import registers as inventory
from dialoog.monitor import data as monitor
from dialoog.monitor import sources, stats
from dialoog.privacy.disclosure import Disclosure, share_text
from dialoog.report import dutch, figures
from dialoog.report.chapters import table_html
from dialoog.report.veiligheidsfiguren import comparison_figure, indicator_figure
from dialoog.study import analysis
from dialoog.study.folder import Study, open_study
from dialoog.study.gemeenten import Gemeente, wijken

log = logging.getLogger(__name__)

NOTEBOOK = "veiligheidsanalyse"
SAFETY_CODES = ("incidenten", "onveiligheidsgevoel", "melden-aangifte")
HERKOMST = {"enquete": "", "monitor": "", "statline": " (CBS)", "discriminatie": ""}


@dataclass
class RegionData:
    study: Study
    region: monitor.Region
    jaar: int
    figures: pd.DataFrame  # monitor figures of the region's gemeenten up to `jaar` (see dialoog.monitor.sources)
    alliance: monitor.Alliance | None
    threshold: int
    national: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)  # CBS figures of Nederland

    @property
    def names(self) -> list[str]:
        return [g.name for g in self.region.gemeenten]


def load(study: Path | str, regio: str, jaar: int | str) -> RegionData:
    st = open_study(study)
    reg = monitor.region(st, regio)
    jaar = int(jaar)
    threshold = st.settings.small_cell_threshold
    figs = sources.load_all(st, threshold)
    figs = figs[figs["jaar"] <= jaar]
    figs = figs.assign(reeks=figs["groep"].map(monitor.GROUP_LABELS) + figs["herkomst"].map(HERKOMST))
    names = [g.name for g in reg.gemeenten]
    national = figs[figs["gemeente"] == monitor.NATIONAL].reset_index(drop=True)
    figs = figs[figs["gemeente"].isin(names)].reset_index(drop=True)
    if figs.empty:
        raise DialoogError(
            f"no monitor figures for region '{regio}' up to {jaar}",
            path=st.root / monitor.FOLDER,
            hint="import them with 'dialoog monitor import-survey', 'import-statline' or 'import-discriminatie' "
            "(see README, Monitoring), or add rows for " + ", ".join(names) + " to monitor/monitor.csv",
        )
    path = st.root / monitor.FOLDER / "alliantie.yaml"
    alliance = monitor.load_alliance(path) if path.is_file() else None
    return RegionData(st, reg, jaar, figs, alliance, threshold, national)


# -- text helpers ----------------------------------------------------------------------------------


def _fictional(data: RegionData) -> bool:
    return bool(data.figures["bron"].str.contains("ictie", case=False).all())


def _sources(df: pd.DataFrame) -> str:
    """The sources of these figures, each with its years or periods (CBS periods joined per table)."""
    periods: dict[str, list[str]] = {}
    for bron in sorted(set(df["bron"])):
        base, sep, period = bron.rpartition(", periode ")
        periods.setdefault(base if sep else bron, []).extend([period] if sep else [])
    return "Bronnen: " + "; ".join(b + (", perioden " + ", ".join(p) if p else "") for b, p in periods.items()) + "."


# -- parts of the report ---------------------------------------------------------------------------


def title(data: RegionData) -> str:
    out = f"# Veiligheidsanalyse LHBT {data.region.naam} {data.jaar}\n\n"
    out += f"*{dutch.join(data.names)} — voor het Strategisch Discriminatie Overleg*\n\n"
    if _fictional(data):
        out += (
            "> **Let op:** deze analyse is gemaakt met de fictieve demonstratiestudie van `dialoog`. Alle cijfers, "
            "gesprekken, acties en hun status zijn verzonnen; alleen de afspraken en de aandachtspunten van 2016 "
            "komen uit de intentieovereenkomst van de alliantie.\n\n"
        )
    return out


def inleiding(data: RegionData) -> str:
    naam = data.alliance.naam if data.alliance else "de alliantie"
    return f"""## 1. Inleiding

De partners van {naam} spraken af de veiligheid van LHBT's te monitoren met veiligheids- en
bevolkingsenquêtes, en de veiligheidsanalyse minstens één keer per jaar te bespreken in het Strategisch
Discriminatie Overleg. Deze analyse bundelt voor {dutch.join(data.names)} de cijfers tot en met {data.jaar}: de eigen
enquête van de gemeente (LHBT's en anderen), de Veiligheidsmonitor van het CBS (alle inwoners), de meldingen
van discriminatie, wat de dialooggesprekken van {data.jaar} eraan toevoegen, de stand van de afspraken en
acties, en de lege plekken uit de inventarisatie van het lokale netwerk.

**Zo lees je de cijfers.** Bij elk percentage staan een 95%-betrouwbaarheidsinterval en het aantal
respondenten (n). Enquêtecijfers zijn gewogen; het interval houdt rekening met de weging. Bij CBS-cijfers staat
de marge van het CBS (het CBS publiceert geen n per gemeente). Landelijke cijfers van het CBS gaan over wat
het CBS LHBTQIA-personen noemt; we noemen hen hier, net als in de rest van de analyse, LHBT's.
Elke tabel noemt de bron en het jaar.
Een trend bepalen we met een model over alle beschikbare jaren, niet door alleen het eerste en het laatste jaar
te vergelijken. We spreken alleen van een stijging of daling als dat model die steunt (p < 0,05); anders staat
er 'geen aantoonbare verandering'. Cijfers die op minder dan {data.threshold} personen of meldingen berusten,
tonen we niet ('niet getoond'); ze tellen ook niet mee in een trend. Tonen we het cijfer van LHBT's niet, dan
ook dat van de anderen niet, zodat het niet uit een totaal is terug te rekenen.
"""


def _indicator_table(df: pd.DataFrame, threshold: int) -> pd.DataFrame:
    table = df.assign(waarde_tekst=[sources.display_value(r, threshold) for _, r in df.iterrows()]).pivot_table(
        index=["gemeente", "reeks"], columns="jaar", values="waarde_tekst", aggfunc="first"
    )
    table = table.fillna("–").reset_index().rename(columns={"reeks": "groep"})
    table.columns = [str(c) for c in table.columns]
    return table


def cijfers(data: RegionData) -> str:
    out = "## 2. Cijfers over de tijd\n\n"
    present = [i for i in monitor.INDICATORS if i in set(data.figures["indicator"])]
    years = sorted(data.figures["jaar"].unique())
    for k, ind_id in enumerate(present, start=1):
        ind = monitor.INDICATORS[ind_id]
        df = data.figures[data.figures["indicator"] == ind_id]
        out += f"### {ind.label}\n\n"
        statements = []
        for (gem, reeks), rows in df.groupby(["gemeente", "reeks"], sort=False):
            tr = stats.trend(rows[~rows["onderdrukt"]], ind.kind)
            statements.append(f"- **{gem}, {reeks}:** {tr.text}")
        out += "\n".join(statements) + "\n\n"
        if ind.reference:
            out += f"Ter vergelijking: {ind.reference}.\n\n"
        table = _indicator_table(df, data.threshold)
        suppressed = int(df["onderdrukt"].sum())
        words = "; ".join(
            f"{r['gemeente']} {r['groep']}: " + ", ".join(f"{c} {r[c]}" for c in table.columns[2:])
            for _, r in table.iterrows()
        )
        caption = (
            f"{ind.label}, per gemeente en jaar"
            + (" (gewogen percentage, 95%-interval en n)" if ind.kind == "aandeel" else " (aantal)")
            + "."
            + (
                f" {suppressed} {'cijfer is' if suppressed == 1 else 'cijfers zijn'} niet getoond (te weinig personen)."
                if suppressed
                else ""
            )
        )
        fig = indicator_figure(df, data.names, years, ind_id)
        out += figures.figure_html(fig, f"2.{k}", caption, f"Lijndiagram. {words}.")
        out += "\n\n" + table_html(table, f"Tabel 2.{k}. {ind.label}") + "\n\n"
        out += _sources(df) + "\n\n"
    return out


def latest(data: RegionData) -> pd.DataFrame:
    """Per gemeente, indicator and series: the figure of the latest year up to `jaar`."""
    df = data.figures.sort_values("jaar")
    return df.groupby(["gemeente", "indicator", "reeks"], sort=False).tail(1)


def _difference(lhbt, other) -> str:
    """Whether LHBT's differ from the others of the same survey and year (z-test at the effective n)."""
    p = stats.two_proportion_p(lhbt["waarde"], lhbt["n_eff"], other["waarde"], other["n_eff"])
    word = "hoger" if lhbt["waarde"] > other["waarde"] else "lager"
    if p < 0.05:
        return f"LHBT's {word} ({stats._p(p)})"
    return f"geen aantoonbaar verschil ({stats._p(p)})"


def _national(data: RegionData, ind: monitor.Indicator) -> str:
    parts = []
    if ind.reference_value is not None:
        parts.append(
            f"LHBT's {stats.pct(ind.reference_value)}"
            + (f", anderen {stats.pct(ind.reference_other)}" if ind.reference_other is not None else "")
            + " (CBS 2023)"
        )
    nl = data.national[(data.national["indicator"] == ind.id) & ~data.national["onderdrukt"]]
    if not nl.empty:
        r = nl.sort_values("jaar").iloc[-1]
        parts.append(f"alle inwoners {sources.display_value(r, data.threshold)} [CBS {r['jaar']}]")
    return "; ".join(parts) or "–"


def _comparison_rows(data: RegionData) -> tuple[list[dict], pd.DataFrame]:
    last = latest(data)
    survey = last[last["groep"].isin(sources.PARTITION)]
    rows, drawn = [], []
    for ind_id, ind in monitor.INDICATORS.items():
        for gem in data.names:
            sub = survey[(survey["indicator"] == ind_id) & (survey["gemeente"] == gem)]
            if sub.empty:
                continue
            by = {r["groep"]: r for _, r in sub.iterrows()}
            lh, ot = by.get("lhbt"), by.get("niet-lhbt")
            shown = lh is not None and ot is not None and not lh["onderdrukt"] and not ot["onderdrukt"]
            jaar = int(sub["jaar"].max())
            rows.append(
                {
                    "indicator": ind.label,
                    "gemeente": f"{gem} [{jaar}]",
                    "LHBT's": sources.display_value(lh, data.threshold) if lh is not None else "geen cijfer",
                    "niet-LHBT's": sources.display_value(ot, data.threshold) if ot is not None else "geen cijfer",
                    "verschil": _difference(lh, ot) if shown and lh["jaar"] == ot["jaar"] else "–",
                    "landelijk": _national(data, ind),
                }
            )
            if shown:
                drawn += [lh, ot]
    return rows, pd.DataFrame(drawn)


def vergelijking(data: RegionData) -> str:
    out = "## 3. LHBT's, anderen en het landelijke beeld\n\n"
    rows, drawn = _comparison_rows(data)
    if not rows:
        return out + "Er zijn (nog) geen enquêtecijfers van LHBT's en anderen voor deze gemeenten.\n\n"
    out += (
        "Tabel 3.1 zet per gemeente de laatste enquête naast elkaar: LHBT's, de andere inwoners, of het verschil "
        "statistisch betrouwbaar is (toets op twee proporties bij de effectieve steekproefomvang), en het landelijke "
        "beeld van het CBS. Vergelijk gemeenten voorzichtig: de enquêtes van gemeenten verschillen in opzet. "
        "Intervallen die elkaar niet overlappen wijzen op een echt verschil; intervallen die elkaar wel overlappen "
        "sluiten een verschil niet uit. Alleen een toets zegt of een verschil statistisch betrouwbaar is.\n\n"
    )
    caption = "Tabel 3.1. LHBT's, anderen en landelijk, laatste meting per gemeente (tussen haken het jaar)"
    out += table_html(pd.DataFrame(rows), caption) + "\n\n"
    out += _sources(latest(data)[latest(data)["groep"].isin(sources.PARTITION)]) + " Landelijk: " + monitor.VM2023
    out += "; alle inwoners: CBS StatLine.\n\n"
    if not drawn.empty:
        words = "; ".join(
            f"{r['gemeente']} {monitor.GROUP_LABELS[r['groep']]}, {monitor.INDICATORS[r['indicator']].label}: "
            f"{stats.pct(r['waarde'])} (n = {r['n']})"
            for _, r in drawn.iterrows()
        )
        out += figures.figure_html(
            comparison_figure(drawn),
            "3.1",
            "LHBT's en anderen per gemeente, laatste meting, gewogen, met 95%-betrouwbaarheidsintervallen "
            "(cijfers van te weinig personen zijn niet getoond).",
            f"Staafdiagram. {words}.",
        )
    return out + "\n\n" + registraties(data) + veel_toetsen(data)


def tests_of(data: RegionData) -> list[tuple[str, float]]:
    """Every statistical test this analysis reports, as (what, p): the trends of chapter 2 and the
    differences between LHBT's and others of chapter 3."""
    out = []
    for ind_id in monitor.INDICATORS:
        df = data.figures[data.figures["indicator"] == ind_id]
        for (gem, reeks), rows in df.groupby(["gemeente", "reeks"], sort=False):
            tr = stats.trend(rows[~rows["onderdrukt"]], monitor.INDICATORS[ind_id].kind)
            if tr.p is not None:
                out.append((f"trend {monitor.INDICATORS[ind_id].label.lower()}, {gem}, {reeks}", tr.p))
    last = latest(data)
    survey = last[last["groep"].isin(sources.PARTITION)]
    for (ind_id, gem), sub in survey.groupby(["indicator", "gemeente"], sort=False):
        by = {r["groep"]: r for _, r in sub.iterrows()}
        lh, ot = by.get("lhbt"), by.get("niet-lhbt")
        if lh is None or ot is None or lh["onderdrukt"] or ot["onderdrukt"] or lh["jaar"] != ot["jaar"]:
            continue
        p = stats.two_proportion_p(lh["waarde"], lh["n_eff"], ot["waarde"], ot["n_eff"])
        out.append((f"verschil LHBT's en anderen, {monitor.INDICATORS[ind_id].label.lower()}, {gem}", p))
    return out


def veel_toetsen(data: RegionData) -> str:
    """A note on multiple testing, with the Holm correction (statsmodels) over all tests of the analysis."""
    from statsmodels.stats.multitest import multipletests

    tests = tests_of(data)
    if len(tests) < 2:
        return ""
    reject, adjusted, _, _ = multipletests([p for _, p in tests], alpha=0.05, method="holm")
    raw = sum(p < 0.05 for _, p in tests)
    kept = [what for (what, _), r in zip(tests, reject, strict=True) if r]
    out = (
        f"### Veel toetsen tegelijk\n\nDeze analyse doet {len(tests)} toetsen (trends en verschillen). Bij zoveel "
        f"toetsen is, ook als er niets aan de hand is, ongeveer 1 op de 20 uitkomsten 'statistisch betrouwbaar'. "
        f"{dutch.count_start(raw, 'uitkomst', 'uitkomsten')} {dutch.verb(raw, 'heeft', 'hebben')} p < 0,05. "
        f"Met de correctie van Holm "
        f"voor het aantal toetsen "
    )
    if kept:
        out += "blijven over: " + "; ".join(kept) + ".\n\n"
    else:
        out += "blijft geen enkele uitkomst over; lees de andere als aanwijzing, niet als bewijs.\n\n"
    return out


def registraties(data: RegionData) -> str:
    """Discrimination registrations beside the survey figures of the same gemeente."""
    counts = data.figures[data.figures["indicator"].isin(["meldingen-meldpunt", "meldingen-politie"])]
    if counts.empty:
        return ""
    out = "### Meldingen naast de enquête\n\n"
    out += (
        "Meldingen en registraties laten zien wat mensen melden; de enquête laat zien hoe vaak iets voorkomt. "
        "Landelijk doet iets minder dan 1 op 3 LHBT-slachtoffers aangifte, dus de meeste voorvallen komen "
        "niet in de registraties terecht.\n\n"
    )
    rows, shown = [], []
    for gem in data.names:
        sub = counts[counts["gemeente"] == gem]
        if sub.empty:
            continue
        jaar = int(sub["jaar"].max())
        shown.append(sub[sub["jaar"] == jaar])
        row = {"gemeente": f"{gem} [{jaar}]"}
        for ind_id in ("meldingen-meldpunt", "meldingen-politie"):
            for groep in monitor.INDICATORS[ind_id].groups:
                hit = sub[(sub["indicator"] == ind_id) & (sub["groep"] == groep) & (sub["jaar"] == jaar)]
                key = f"{'ADV' if ind_id == 'meldingen-meldpunt' else 'politie'}, {monitor.GROUP_LABELS[groep]}"
                row[key] = sources.display_value(hit.iloc[0], data.threshold) if not hit.empty else "geen cijfer"
        for ind_id in ("discriminatie", "aangifte"):
            hit = latest(data)
            hit = hit[(hit["gemeente"] == gem) & (hit["indicator"] == ind_id) & (hit["groep"] == "lhbt")]
            label = "enquête: LHBT's " + ("gediscrimineerd" if ind_id == "discriminatie" else "deden aangifte")
            row[label] = (
                f"{sources.display_value(hit.iloc[0], data.threshold)} [{hit.iloc[0]['jaar']}]"
                if not hit.empty
                else "geen cijfer"
            )
        rows.append(row)
    out += table_html(pd.DataFrame(rows).fillna("–"), "Tabel 3.2. Meldingen van discriminatie en enquêtecijfers")
    return out + "\n\n" + _sources(pd.concat(shown)) + "\n\n"


def _year_data(data: RegionData, g: Gemeente) -> analysis.GemeenteData | None:
    if g.slug not in data.study.gemeente_slugs():
        return None
    gd = analysis.load(data.study, g)
    years = gd.interviews["datum"].dt.year
    ids = set(gd.interviews.loc[years == data.jaar, "id"])
    return dataclasses.replace(
        gd,
        interviews=gd.interviews[gd.interviews["id"].isin(ids)],
        codings=gd.codings[gd.codings["transcript"].isin(ids)],
        segments=gd.segments[gd.segments["transcript"].isin(ids)],
        transcripts={k: v for k, v in gd.transcripts.items() if k in ids},
    )


def gesprekken(data: RegionData) -> str:
    out = f"## 4. Wat de gesprekken van {data.jaar} toevoegen\n\n"
    out += (
        "Cijfers laten zien hoe vaak iets voorkomt, niet wat het betekent. De dialooggesprekken van dit jaar laten "
        "horen wat achter de cijfers zit. Citaten staan alleen op naam van de rol van de spreker, "
        f"en alleen als die rol {data.threshold} of meer gesprekken telt (anders: respondent).\n\n"
    )
    for g in data.region.gemeenten:
        gd = _year_data(data, g)
        out += f"### {g.name}\n\n"
        if gd is None or gd.interviews.empty:
            out += f"In {data.jaar} zijn in {g.name} (nog) geen gesprekken gevoerd of vrijgegeven voor analyse.\n\n"
            continue
        n = len(gd.interviews)
        counts = []
        for code in SAFETY_CODES:
            if code not in gd.codebook:
                continue
            seg = gd.segments[gd.segments["code"].isin({code, *gd.codebook.descendants(code)})]
            k = seg["transcript"].nunique()
            counts.append(f"{gd.codebook.label(code).lower()} {share_text(k, n, gd.small_cell_threshold)}")
        out += f"In {data.jaar} zijn {n} gesprekken geanalyseerd. Ter sprake kwamen: {dutch.join(counts)}.\n\n"
        disclosure = Disclosure.of(gd)  # no exact small counts, no small role under a quote
        for code in ("melden-aangifte", "onveiligheidsgevoel"):
            q = analysis.quotes(gd, code, limit=1) if code in gd.codebook else pd.DataFrame()
            if not q.empty:
                who = disclosure.speaker(q.iloc[0]["rol"])
                out += f"> “{q.iloc[0]['text'].strip()}”\n>\n> — *{who}*\n\n"
    return out


def afspraken(data: RegionData) -> str:
    out = "## 5. Afspraken en acties\n\n"
    if data.alliance is None:
        return out + "Er zijn (nog) geen afspraken en acties vastgelegd in `monitor/alliantie.yaml`.\n"
    al = data.alliance
    state = monitor.agreements_state(al, data.names, data.jaar)
    none = [
        f"{r['afspraak'].split('.', 1)[0]} ({g})"
        for _, r in state.iterrows()
        for g in data.names
        if r[g] == "geen actie"
    ]
    out += (
        f"Tabel 5.1 laat per afspraak zien welke acties in {data.jaar} bijdragen, met hun status. "
        + (f"Zonder actie in {data.jaar}: afspraak {dutch.join(none)}. " if none else "Elke afspraak heeft een actie. ")
        + "Tabel 5.2 geeft alle acties tot en met dit jaar, de nieuwste eerst; een * markeert een fictieve actie.\n\n"
    )
    out += table_html(state, f"Tabel 5.1. Stand van de afspraken in {data.jaar}") + "\n\n"
    out += table_html(monitor.actions_table(al, data.names, data.jaar), f"Tabel 5.2. Acties tot en met {data.jaar}")
    return out + "\n"


def gap_counts(inv) -> dict[str, str]:
    """How many gaps of each kind: the same numbers as the chapter "Lege plekken" of the gemeente's
    Perspectieven report (a wijk count says 'x van de y wijken', not one row of the gaps table)."""
    total = len(wijken(inv.gemeente.code))
    return {
        "behoeften zonder lopend initiatief": str(len(inventory.unanswered_needs(inv))),
        "initiatieven gestopt terwijl de behoefte bleef": str(len(inventory.stopped_while_needed(inv))),
        "doelgroepen zonder initiatief": str(len(inventory.groups_without_initiative(inv))),
        "wijken zonder initiatief in de wijk zelf": f"{len(inventory.wijken_without_initiative(inv))} van de {total}",
        "organisaties zonder band met het LHBT-netwerk": str(len(inventory.unconnected_organisations(inv))),
        "verwachte banden die ontbreken": str(len(inventory.missing_ties(inv))),
    }


def lege_plekken(data: RegionData) -> str:
    out = "## 6. Lege plekken uit de inventarisatie\n\n"
    rows = []
    details = ""
    for g in data.region.gemeenten:
        inv = inventory.load(data.study, g)
        if not inv.exists:
            details += f"- {g.name}: nog geen inventarisatie vastgelegd.\n"
            continue
        for kind, n in gap_counts(inv).items():
            rows.append({"gemeente": g.name, "lege plek": kind, "aantal": n})
        open_needs = [n.behoefte for n in inventory.unanswered_needs(inv)]
        missing = len(inventory.missing_ties(inv))
        details += (
            f"- **{g.name}:** {len(open_needs)} van de {len(inv.needs)} behoeften zonder lopend initiatief"
            + (f", onder meer: {open_needs[0][:1].lower() + open_needs[0][1:]}" if open_needs else "")
            + f"; {missing} verwachte {'band ontbreekt' if missing == 1 else 'banden ontbreken'} in het netwerk.\n"
        )
    out += details + "\n"
    if rows:
        table = pd.DataFrame(rows).pivot_table(
            index="lege plek", columns="gemeente", values="aantal", aggfunc="first", fill_value="–", sort=False
        )
        table = table.reset_index()
        table.columns = [str(c) for c in table.columns]
        out += table_html(
            table, "Tabel 6.1. Lege plekken per gemeente (aantallen; details in het rapport Perspectieven)"
        )
    return out + "\n"


def parts(data: RegionData) -> list[str]:
    """The chapters of the analysis as Markdown (with HTML tables and figures), in the study's term."""
    term = dutch.Term.of(data)
    return [term.apply(part) for part in _parts(data)]


def _parts(data: RegionData) -> list[str]:
    return [
        title(data),
        inleiding(data),
        cijfers(data),
        vergelijking(data),
        gesprekken(data),
        afspraken(data),
        lege_plekken(data),
    ]
