"""The yearly regional safety analysis, "Veiligheidsanalyse LHBT <regio> <jaar>".

The notebook ``notebooks/veiligheidsanalyse.ipynb`` only calls `parts()`; this module holds the Dutch text,
the tables and the seaborn figures, and `render()` runs the notebook with papermill and exports it to
``reports/regio-<id>/veiligheidsanalyse-<jaar>.html``. A failed run keeps the previous report and saves
the failed notebook beside it.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import matplotlib.figure
import pandas as pd

from dialoog.errors import DialoogError
from dialoog.inventory import registers as inventory
from dialoog.monitor import data as monitor
from dialoog.privacy.disclosure import Disclosure, share_text
from dialoog.report import figures
from dialoog.report.chapters import table_html
from dialoog.study import analysis
from dialoog.study.folder import Study, open_study
from dialoog.study.gemeenten import Gemeente

log = logging.getLogger(__name__)

NOTEBOOK = "veiligheidsanalyse"
SAFETY_CODES = ("incidenten", "onveiligheidsgevoel", "melden-aangifte")


@dataclass
class RegionData:
    study: Study
    region: monitor.Region
    jaar: int
    figures: pd.DataFrame  # monitor figures of the region's gemeenten, up to and including `jaar`
    alliance: monitor.Alliance | None
    threshold: int

    @property
    def names(self) -> list[str]:
        return [g.name for g in self.region.gemeenten]


def load(study: Path | str, regio: str, jaar: int | str) -> RegionData:
    st = open_study(study)
    reg = monitor.region(st, regio)
    jaar = int(jaar)
    figs = monitor.load_figures(monitor.monitor_path(st))
    names = [g.name for g in reg.gemeenten]
    figs = figs[figs["gemeente"].isin(names) & (figs["jaar"] <= jaar)].reset_index(drop=True)
    if figs.empty:
        raise DialoogError(
            f"no monitor figures for region '{regio}' up to {jaar}",
            path=monitor.monitor_path(st),
            hint="add rows for " + ", ".join(names),
        )
    path = st.root / monitor.FOLDER / "alliantie.yaml"
    alliance = monitor.load_alliance(path) if path.is_file() else None
    return RegionData(st, reg, jaar, figs, alliance, st.settings.small_cell_threshold)


# -- text helpers ----------------------------------------------------------------------------------


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _fictional(data: RegionData) -> bool:
    return bool(data.figures["bron"].str.contains("ictie", case=False).all())


# -- figures ---------------------------------------------------------------------------------------


def indicator_figure(data: RegionData, indicator: str) -> matplotlib.figure.Figure:
    """One indicator over the years, per gemeente (colour) and group (line style); proportions with 95%
    Wilson intervals; suppressed figures are left out; the national reference as a dashed line."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    ind = monitor.INDICATORS[indicator]
    df = data.figures[data.figures["indicator"] == indicator].copy()
    df = df[~df.apply(lambda r: monitor.is_suppressed(r, data.threshold), axis=1)]
    df["groep"] = df["groep"].map(monitor.GROUP_LABELS)
    figures._style()
    fig, ax = plt.subplots(figsize=(8, 4.2))
    palette = dict(zip(data.names, sns.color_palette(figures.PALETTE, len(data.names)), strict=True))
    share = ind.kind == "aandeel"
    if share:
        df["pct"] = df["waarde"] * 100
    sns.lineplot(
        data=df,
        x="jaar",
        y="pct" if share else "waarde",
        hue="gemeente",
        style="groep",
        markers=True,
        palette=palette,
        ax=ax,
        hue_order=data.names,
    )
    if share:
        for (gem, _), rows in df.groupby(["gemeente", "groep"]):
            lo_hi = [monitor.wilson(w, int(n)) for w, n in zip(rows["waarde"], rows["n"], strict=True)]
            lower = [(w - lo) * 100 for w, (lo, _) in zip(rows["waarde"], lo_hi, strict=True)]
            upper = [(hi - w) * 100 for w, (_, hi) in zip(rows["waarde"], lo_hi, strict=True)]
            ax.errorbar(
                rows["jaar"], rows["pct"], yerr=[lower, upper], fmt="none", ecolor=palette[gem], capsize=3, alpha=0.7
            )
        if ind.reference_value is not None:
            ax.axhline(ind.reference_value * 100, color="#7f7f7f", ls="--", lw=1.2)
            ax.annotate(
                "landelijk (CBS)",
                (ax.get_xlim()[0], ind.reference_value * 100),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=8,
                color="#555",
            )
        ax.set(ylabel="procent", xlabel="jaar", ylim=(0, max(60, float(df["pct"].max() if len(df) else 0) + 15)))
    else:
        ax.set(ylabel="aantal", xlabel="jaar", ylim=(0, None))
    years = sorted(data.figures["jaar"].unique())
    ax.set_xticks(years)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8.5)
    sns.despine()
    return fig


def comparison_figure(rows: pd.DataFrame) -> matplotlib.figure.Figure:
    """Side by side: the LHBT proportions of the latest year per indicator and gemeente, with intervals."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    figures._style()
    rows = rows.copy()
    rows["pct"] = rows["waarde"] * 100
    rows["indicator"] = rows["indicator"].map(lambda i: monitor.INDICATORS[i].label)
    fig, ax = plt.subplots(figsize=(8, 0.9 * rows["indicator"].nunique() + 1.6))
    names = list(dict.fromkeys(rows["gemeente"]))
    palette = dict(zip(names, sns.color_palette(figures.PALETTE, len(names)), strict=True))
    sns.barplot(data=rows, y="indicator", x="pct", hue="gemeente", palette=palette, ax=ax, errorbar=None)
    for bars, gem in zip(ax.containers, names, strict=False):
        sub = rows[rows["gemeente"] == gem]
        for bar, (_, r) in zip(bars, sub.iterrows(), strict=False):
            lo, hi = monitor.wilson(r["waarde"], int(r["n"]))
            y = bar.get_y() + bar.get_height() / 2
            ax.errorbar(
                r["pct"], y, xerr=[[r["pct"] - lo * 100], [hi * 100 - r["pct"]]], fmt="none", ecolor="#333", capsize=3
            )
    ax.set(xlabel="procent van de LHBT-respondenten", ylabel="")
    ax.legend(loc="lower right", frameon=False)
    sns.despine(left=True)
    return fig


# -- parts of the report ---------------------------------------------------------------------------


def title(data: RegionData) -> str:
    out = f"# Veiligheidsanalyse LHBT {data.region.naam} {data.jaar}\n\n"
    out += f"*{_and(data.names)} — voor het Strategisch Discriminatie Overleg*\n\n"
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
Discriminatie Overleg. Deze analyse bundelt voor {_and(data.names)} de cijfers tot en met {data.jaar}, wat de
dialooggesprekken van {data.jaar} eraan toevoegen, de stand van de afspraken en acties, en de lege plekken
uit de inventarisatie van het lokale netwerk.

**Zo lees je de cijfers.** Bij elk percentage staat het aantal respondenten (n) en een 95%-betrouwbaarheids-
interval. Een verschil tussen twee jaren heet alleen een stijging of daling als een statistische toets dat
ondersteunt (p < 0,05); anders staat er 'geen aantoonbare verandering'. Cijfers die op minder dan
{data.threshold} personen of meldingen berusten worden niet getoond (onderdrukt), zodat niemand herkenbaar is.
"""


def cijfers(data: RegionData) -> str:
    out = "## 2. Cijfers over de tijd\n\n"
    present = [i for i in monitor.INDICATORS if i in set(data.figures["indicator"])]
    for k, ind_id in enumerate(present, start=1):
        ind = monitor.INDICATORS[ind_id]
        df = data.figures[data.figures["indicator"] == ind_id]
        out += f"### {ind.label}\n\n"
        statements = []
        for (gem, groep), rows in df.groupby(["gemeente", "groep"], sort=False):
            tr = monitor.trend(rows, data.threshold)
            statements.append(f"- **{gem}, {monitor.GROUP_LABELS[groep]}:** {tr.text}")
        out += "\n".join(statements) + "\n\n"
        if ind.reference:
            out += f"Ter vergelijking: {ind.reference}.\n\n"
        table = df.assign(
            waarde_tekst=[monitor.display_value(r, data.threshold) for _, r in df.iterrows()],
            groep=df["groep"].map(monitor.GROUP_LABELS),
        ).pivot_table(index=["gemeente", "groep"], columns="jaar", values="waarde_tekst", aggfunc="first")
        table = table.fillna("–").reset_index()
        table.columns = [str(c) for c in table.columns]
        suppressed = sum(monitor.is_suppressed(r, data.threshold) for _, r in df.iterrows())
        words = "; ".join(
            f"{r['gemeente']} {r['groep']}: " + ", ".join(f"{c} {r[c]}" for c in table.columns[2:])
            for _, r in table.iterrows()
        )
        caption = (
            f"{ind.label}, per gemeente en jaar"
            + (" (percentage, 95%-interval en n)" if ind.kind == "aandeel" else " (aantal)")
            + "."
            + (
                f" {suppressed} onderdrukte {'cijfer' if suppressed == 1 else 'cijfers'} ontbreken."
                if suppressed
                else ""
            )
        )
        out += figures.figure_html(indicator_figure(data, ind_id), f"2.{k}", caption, f"Lijndiagram. {words}.")
        out += "\n\n" + table_html(table, f"Tabel 2.{k}. {ind.label}") + "\n\n"
    sources = sorted(set(data.figures["bron"]))
    out += "Bronnen: " + "; ".join(sources) + ".\n"
    return out


def latest(data: RegionData) -> pd.DataFrame:
    """Per gemeente, indicator and group: the figure of the latest year up to `jaar`."""
    df = data.figures.sort_values("jaar")
    return df.groupby(["gemeente", "indicator", "groep"], sort=False).tail(1)


def vergelijking(data: RegionData) -> str:
    out = "## 3. De gemeenten naast elkaar\n\n"
    last = latest(data)
    rows = []
    for ind_id in monitor.INDICATORS:
        for groep in monitor.INDICATORS[ind_id].groups:
            sub = last[(last["indicator"] == ind_id) & (last["groep"] == groep)]
            if sub.empty:
                continue
            row = {"indicator": monitor.INDICATORS[ind_id].label, "groep": monitor.GROUP_LABELS[groep]}
            for name in data.names:
                hit = sub[sub["gemeente"] == name]
                row[name] = (
                    f"{monitor.display_value(hit.iloc[0], data.threshold)} [{hit.iloc[0]['jaar']}]"
                    if not hit.empty
                    else "geen cijfer"
                )
            rows.append(row)
    out += (
        "Tabel 3.1 zet het laatste cijfer van elke gemeente naast elkaar (tussen haken het jaar). Verschillen "
        "tussen gemeenten zijn alleen betekenisvol als de intervallen elkaar niet overlappen; de enquêtes van de "
        "gemeenten verschillen bovendien in opzet.\n\n"
    )
    out += table_html(pd.DataFrame(rows), "Tabel 3.1. Laatste cijfers per gemeente") + "\n\n"
    props = last[
        (last["groep"] == "lhbt")
        & last["indicator"].map(lambda i: monitor.INDICATORS[i].kind == "aandeel")
        & ~last.apply(lambda r: monitor.is_suppressed(r, data.threshold), axis=1)
    ]
    if not props.empty:
        words = "; ".join(
            f"{r['gemeente']}, {monitor.INDICATORS[r['indicator']].label}: {monitor.pct(r['waarde'])} (n = {r['n']})"
            for _, r in props.iterrows()
        )
        out += figures.figure_html(
            comparison_figure(props),
            "3.1",
            "LHBT-respondenten per gemeente, laatste meting, met 95%-betrouwbaarheidsintervallen "
            "(onderdrukte cijfers ontbreken).",
            f"Staafdiagram. {words}.",
        )
    return out + "\n"


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
        out += f"In {data.jaar} zijn {n} gesprekken geanalyseerd. Ter sprake kwamen: {_and(counts)}.\n\n"
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
        + (f"Zonder actie in {data.jaar}: afspraak {_and(none)}. " if none else "Elke afspraak heeft een actie. ")
        + "Tabel 5.2 geeft alle acties tot en met dit jaar, de nieuwste eerst; een * markeert een fictieve actie.\n\n"
    )
    out += table_html(state, f"Tabel 5.1. Stand van de afspraken in {data.jaar}") + "\n\n"
    out += table_html(monitor.actions_table(al, data.names, data.jaar), f"Tabel 5.2. Acties tot en met {data.jaar}")
    return out + "\n"


def lege_plekken(data: RegionData) -> str:
    out = "## 6. Lege plekken uit de inventarisatie\n\n"
    rows = []
    details = ""
    for g in data.region.gemeenten:
        inv = inventory.load(data.study, g)
        if not inv.exists:
            details += f"- {g.name}: nog geen inventarisatie vastgelegd.\n"
            continue
        gaps = inventory.gaps_table(inv)
        counts = gaps["lege plek"].value_counts()
        for kind, n in counts.items():
            rows.append({"gemeente": g.name, "lege plek": kind, "aantal": int(n)})
        open_needs = [n.behoefte for n in inventory.unanswered_needs(inv)]
        missing = len(inventory.missing_ties(inv))
        details += (
            f"- **{g.name}:** {len(open_needs)} van de {len(inv.needs)} behoeften zonder lopend initiatief"
            + (f", onder meer: {open_needs[0][:1].lower() + open_needs[0][1:]}" if open_needs else "")
            + f"; {missing} verwachte {'band ontbreekt' if missing == 1 else 'banden ontbreken'} in het netwerk.\n"
        )
    out += details + "\n"
    if rows:
        table = pd.DataFrame(rows).pivot_table(index="lege plek", columns="gemeente", values="aantal", fill_value=0)
        table = table.astype(int).reset_index()
        table.columns = [str(c) for c in table.columns]
        out += table_html(
            table, "Tabel 6.1. Lege plekken per gemeente (aantallen; details in het rapport Perspectieven)"
        )
    return out + "\n"


def parts(data: RegionData) -> list[str]:
    return [
        title(data),
        inleiding(data),
        cijfers(data),
        vergelijking(data),
        gesprekken(data),
        afspraken(data),
        lege_plekken(data),
    ]


# -- rendering -------------------------------------------------------------------------------------


@dataclass
class RenderedRegion:
    html: Path
    notebook: Path


def _export_html(nb, title_text: str) -> str:
    from importlib import resources

    from nbconvert import HTMLExporter

    templates = Path(str(resources.files("dialoog.report").joinpath("templates")))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
    exporter = HTMLExporter(
        template_name="perspectieven",
        extra_template_basedirs=[str(templates)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    css = "".join(
        p.read_text(encoding="utf-8")
        for p in (templates / "style" / "dialoog.css", templates / "perspectieven" / "report.css")
        if p.is_file()
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title_text}, "css": css})
    return body


def render(regio: str, jaar: int, study: Path | str = ".", output: Path | str | None = None) -> RenderedRegion:
    """Render the regional safety analysis into ``<output>/regio-<id>/`` (default output: the study's reports/)."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from dialoog.fileio import atomic_copy, atomic_write_text, scratch_dir
    from dialoog.report.engine import check_parameters, find_notebook, short_evalue

    data = load(study, regio, jaar)  # validates the study, the region, the figures and the alliance first
    for g in data.region.gemeenten:
        inventory.load(data.study, g)  # and the inventories the last chapter reads
    st = data.study
    out_dir = (Path(output).resolve() if output else st.reports_dir) / f"regio-{data.region.id}"
    notebook = find_notebook(st.root, NOTEBOOK)
    params = {"regio": data.region.id, "jaar": int(jaar), "study": str(st.root), "output": str(out_dir)}
    check_parameters(notebook, params)
    title_text = f"Veiligheidsanalyse LHBT {data.region.naam} {jaar}"
    stem = f"{NOTEBOOK}-{jaar}"
    html_path, nb_path, failed = (out_dir / f"{stem}{ext}" for ext in (".html", ".ipynb", ".failed.ipynb"))
    with scratch_dir(out_dir) as tmp:
        executed = tmp / nb_path.name
        try:
            papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters=params,
                kernel_name="python3",
                cwd=str(st.root),
                progress_bar=False,
                log_output=False,
            )
        except PapermillExecutionError as exc:
            if executed.exists():
                atomic_copy(executed, failed)
            raise DialoogError(
                f"the analysis notebook failed in cell {exc.exec_count}: {exc.ename}: {short_evalue(exc.evalue)}",
                path=failed,
                hint="open the failed notebook to see where it broke; the previous analysis was kept",
            ) from None
        nb = nbformat.read(executed, as_version=4)
        nb.metadata["title"] = title_text
        page = _export_html(nb, title_text)
        atomic_copy(executed, nb_path)
        atomic_write_text(html_path, page)
    if failed.exists():
        os.unlink(failed)
    return RenderedRegion(html_path, nb_path)
