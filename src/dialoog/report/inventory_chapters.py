"""Report chapters and figures from the inventory: "Initiatieven", "Lege plekken", and the needs table
for "Vragen en behoeften" (Dutch text; figures through `dialoog.report.figures.figure_html`).

Figures and tables are numbered within their chapter ("Figuur 7.1"), so they stay correct whatever
other chapters the report has.
"""

from __future__ import annotations

import html
from pathlib import Path

import matplotlib.figure
import pandas as pd

from dialoog.inventory import registers as inv_mod
from dialoog.inventory.registers import KINDS, ORG_KINDS, TARGET_GROUPS, Inventory
from dialoog.privacy.disclosure import Disclosure
from dialoog.report import dutch, figures
from dialoog.study.analysis import GemeenteData

MISSING_COLOUR = "#c0392b"


def study_root(data: GemeenteData) -> Path | None:
    root = getattr(data, "study_root", None) or getattr(getattr(data, "study", None), "root", None)
    if root is not None:
        return Path(root)
    for t in data.transcripts.values():
        return t.path.resolve().parents[2]  # <study>/interviews/<slug>/<id>.md
    return None


def load_for(data: GemeenteData) -> Inventory | None:
    """The municipality's inventory (validated; a bad register raises), or None without transcripts."""
    root = study_root(data)
    if root is None:
        return None
    from dialoog.report import studycache

    return studycache.inventory(root, data.gemeente)


def _number(anchor: str) -> str:
    from dialoog.report.chapters import numbered_title

    try:
        title = numbered_title(anchor)
    except KeyError:
        return ""
    head = title.split(".", 1)[0]
    return head if head.isdigit() else ""


def _label(anchor: str, i: int) -> str:
    n = _number(anchor)
    return f"{n}.{i}" if n else str(i)


def _heading(anchor: str, fallback: str) -> str:
    from dialoog.report.chapters import heading

    try:
        return heading(anchor)
    except KeyError:
        return f'<h2 id="{anchor}">{html.escape(fallback)}</h2>'


def _table(df: pd.DataFrame, caption: str) -> str:
    from dialoog.report.chapters import table_html

    return table_html(df, caption)


NO_INVENTORY = (
    "Voor {name} is nog geen inventarisatie van initiatieven, behoeften en het netwerk vastgelegd. "
    "Dit hoofdstuk vullen we zodra die er is.\n"
)


# -- figures --------------------------------------------------------------------------------------


def coverage_heatmap(matrix: pd.DataFrame, ylabel: str) -> matplotlib.figure.Figure:
    """Heatmap: number of running initiatives per row (target group or wijk) and kind."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    figures._style()
    fig, ax = plt.subplots(figsize=(1.0 * len(matrix.columns) + 3.5, 0.42 * len(matrix) + 1.8))
    sns.heatmap(
        matrix,
        annot=True,
        fmt="d",
        cmap=figures.PALETTE,
        vmin=0,
        cbar=False,
        linewidths=0.5,
        linecolor="white",
        ax=ax,
    )
    ax.set(xlabel="soort initiatief", ylabel=ylabel)
    ax.tick_params(axis="x", rotation=35)
    plt.setp(ax.get_xticklabels(), ha="right")
    return fig


def _network_legend() -> list:
    """The legend of the network figure: the kinds of node and of tie."""
    from matplotlib.lines import Line2D

    return [
        Line2D([], [], marker="o", ls="", color="#1d4e63", markersize=10, label="LHBT-netwerk"),
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            color="#bfd8d2",
            markeredgecolor="#5b7a8c",
            markersize=10,
            label="andere organisatie of rol",
        ),
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            color="#bfd8d2",
            markeredgecolor=MISSING_COLOUR,
            markeredgewidth=2.5,
            markersize=10,
            label="geen band met het LHBT-netwerk",
        ),
        Line2D([], [], color="#5b7a8c", lw=2, label="bestaande band"),
        Line2D([], [], color=MISSING_COLOUR, lw=2, ls="--", label="verwachte band die ontbreekt"),
    ]


def network_figure(inv: Inventory) -> matplotlib.figure.Figure:
    """The network: organisations as nodes (LHBT network dark), ties as edges, missing expected ties dashed red."""
    import matplotlib.pyplot as plt
    import networkx as nx

    figures._style()
    g = nx.Graph()
    for o in inv.organisations:
        g.add_node(o.id, label=o.naam, core=o.lhbt_netwerk)
    for t in inv.ties:
        g.add_edge(t.van, t.naar)
    missing = [(t.van, t.naar) for t in inv_mod.missing_ties(inv)]
    layout_graph = g.copy()
    layout_graph.add_edges_from(missing)
    core = [n for n, d in g.nodes(data=True) if d["core"]]
    other = [n for n, d in g.nodes(data=True) if not d["core"]]
    # the LHBT network in the inner ring, the other organisations around it: stable and readable
    shells = [s for s in (core, other) if s]
    pos = nx.shell_layout(layout_graph, nlist=shells if len(shells) > 1 else None, scale=1.0)
    fig, ax = plt.subplots(figsize=(10.5, 7))
    unconnected = {o.id for o in inv_mod.unconnected_organisations(inv)}
    nx.draw_networkx_edges(g, pos, ax=ax, width=2, edge_color="#5b7a8c")
    nx.draw_networkx_edges(
        layout_graph, pos, edgelist=missing, ax=ax, width=2, style="dashed", edge_color=MISSING_COLOUR
    )
    nx.draw_networkx_nodes(g, pos, nodelist=core, ax=ax, node_color="#1d4e63", node_size=900)
    nx.draw_networkx_nodes(
        g,
        pos,
        nodelist=other,
        ax=ax,
        node_color="#bfd8d2",
        node_size=700,
        edgecolors=[MISSING_COLOUR if n in unconnected else "#5b7a8c" for n in other],
        linewidths=[2.5 if n in unconnected else 1 for n in other],
    )
    labels = {n: d["label"] for n, d in g.nodes(data=True)}
    for n, (x, y) in pos.items():
        ax.annotate(
            labels[n],
            (x, y),
            xytext=(0, -24),
            textcoords="offset points",
            ha="center",
            fontsize=8.5,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    ax.legend(handles=_network_legend(), loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
    ax.margins(0.12)
    ax.set_axis_off()
    return fig


# -- chapters -------------------------------------------------------------------------------------


def _list_words(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def initiatieven(data: GemeenteData) -> str:
    """Chapter "Initiatieven": the register, what works and what not per initiative, and the coverage heatmaps."""
    anchor = "initiatieven"
    out = _heading(anchor, "Initiatieven") + "\n\n"
    inv = load_for(data)
    if inv is None or not inv.exists:
        return out + NO_INVENTORY.format(name=data.gemeente.name, slug=data.gemeente.slug)
    out += (
        f"Naast de gesprekken is een inventarisatie gemaakt van initiatieven in {data.gemeente.name} op het "
        "snijvlak van LHBT's en de inclusieve wijk: wat er is, wie het doet, voor wie en waar, en of het nog "
        "loopt. De lijst is aangevuld met wat respondenten noemden; bij elk initiatief staat hoe vaak het in de "
        "gesprekken ter sprake kwam.\n\n"
    )
    inits = inv.initiatives
    if not inits:
        return out + "Er zijn nog geen initiatieven vastgelegd.\n"
    counts = {s: sum(i.status == s for i in inits) for s in inv_mod.STATUSES}
    out += (
        f"Er zijn {len(inits)} initiatieven vastgelegd: {counts['lopend']} lopend, {counts['gestopt']} gestopt "
        f"en {counts['idee']} nog een idee.\n\n"
    )
    table = inv_mod.initiatives_table(inv)
    disclosure = Disclosure.of(data)  # a small count is "< 5"; beside a wijk with few interviews "–"
    table["gesprekken"] = [
        disclosure.count_beside_wijken(len({x.transcript for x in i.fragmenten}), w)
        for i, w in zip(inits, table["wijken"], strict=True)
    ]
    shown = table[["naam", "organisatie", "soort", "doelgroepen", "wijken", "status", "sinds", "gesprekken"]]
    out += _table(shown, f"Tabel {_label(anchor, 1)}. Initiatieven in {data.gemeente.name}") + "\n\n"
    works = [i for i in inits if i.werkt or i.werkt_niet]
    if works:
        out += "**Wat werkt en wat niet, per initiatief**\n\n"
        for i in works:
            parts = []
            if i.werkt:
                parts.append(f"werkt: {i.werkt}")
            if i.werkt_niet:
                parts.append(f"werkt niet: {i.werkt_niet}")
            out += f"- *{i.naam}* ({i.status}) — " + "; ".join(parts) + "\n"
        out += "\n"
    by_group = inv_mod.coverage_matrix(inv, "doelgroep")
    words = "; ".join(
        f"{row}: " + (", ".join(f"{c} {v}" for c, v in by_group.loc[row].items() if v) or "geen")
        for row in by_group.index
    )
    out += figures.figure_html(
        coverage_heatmap(by_group, "doelgroep"),
        _label(anchor, 1),
        "Aantal lopende initiatieven per doelgroep en soort. Een initiatief voor meerdere doelgroepen telt bij "
        "elk ervan.",
        f"Heatmap van lopende initiatieven per doelgroep en soort. {words}.",
    )
    by_wijk = inv_mod.coverage_matrix(inv, "wijk")
    words = "; ".join(
        f"{row}: " + (", ".join(f"{c} {v}" for c, v in by_wijk.loc[row].items() if v) or "geen")
        for row in by_wijk.index
    )
    out += "\n\n" + figures.figure_html(
        coverage_heatmap(by_wijk, "wijk"),
        _label(anchor, 2),
        "Aantal lopende initiatieven per wijk en soort; 'hele gemeente' zijn initiatieven zonder vaste wijk. "
        "Wijken zonder initiatief staan in het hoofdstuk Lege plekken.",
        f"Heatmap van lopende initiatieven per wijk en soort. {words}.",
    )
    return out + "\n"


def behoeften_tabel(data: GemeenteData) -> str:
    """Extra Markdown for the chapter "Vragen en behoeften": the registered needs and their coverage."""
    inv = load_for(data)
    if inv is None or not inv.needs:
        return ""
    cov = inv_mod.need_coverage(inv)
    n_open = int((cov["dekking"] != "beantwoord").sum())
    out = (
        f"\n\nDe vragen en behoeften uit de gesprekken zijn vastgelegd in een register, met de initiatieven die er "
        f"een antwoord op geven. Van de {len(cov)} behoeften {'wordt' if n_open == 1 else 'worden'} er {n_open} "
        "nog door geen lopend initiatief beantwoord.\n\n"
    )
    shown = cov[["behoefte", "doelgroepen", "wijken", "fragmenten", "initiatieven", "dekking"]].copy()
    shown["wijken"] = shown["wijken"].map(Disclosure.of(data).wijken)  # no need beside a wijk with few interviews
    return out + _table(shown, f"Tabel {_label('vragen-en-behoeften', 1)}. Behoeften en hun dekking")


def _network_section(inv: Inventory, anchor: str) -> str:
    """The part "Het netwerk" of the chapter: counts, unconnected organisations, the figure, missing ties."""
    out = ""
    out += "\n**Het netwerk**\n\n"
    unconnected = [f"{o.naam} ({ORG_KINDS[o.soort]})" for o in inv_mod.unconnected_organisations(inv)]
    missing = inv_mod.missing_ties(inv)
    names = {o.id: o.naam for o in inv.organisations}
    out += (
        f"Het netwerk telt {dutch.count(len(inv.organisations), 'organisatie of rol', 'organisaties en rollen')} "
        f"en {dutch.count(len(inv.ties), 'band', 'banden')}. "
        + (
            f"Zonder band met het LHBT-netwerk: {_list_words(unconnected)}. "
            if unconnected
            else "Elke organisatie heeft een band met het LHBT-netwerk. "
        )
        + (
            f"{dutch.count_start(len(missing), 'verwachte band ontbreekt', 'verwachte banden ontbreken')}.\n\n"
            if missing
            else "Er ontbreekt geen verwachte band.\n\n"
        )
    )
    edges = "; ".join(f"{names[t.van]} – {names[t.naar]} ({t.soort})" for t in inv.ties)
    gone = "; ".join(f"{names[t.van]} – {names[t.naar]} ({t.soort})" for t in missing)
    out += figures.figure_html(
        network_figure(inv),
        _label(anchor, 1),
        "Het lokale netwerk: organisaties en rollen met hun banden. Rood gestippeld: banden die er volgens de "
        "gesprekken of de afspraken zouden moeten zijn maar ontbreken; rood omrand: geen band met het LHBT-netwerk.",
        f"Netwerkdiagram. Bestaande banden: {edges or 'geen'}. Ontbrekende banden: {gone or 'geen'}.",
    )
    if missing:
        rows = pd.DataFrame(
            [
                {"van": names[t.van], "naar": names[t.naar], "soort": t.soort, "toelichting": t.toelichting}
                for t in missing
            ]
        )
        out += "\n\n" + _table(rows, f"Tabel {_label(anchor, 1)}. Verwachte banden die ontbreken")
    return out


def lege_plekken(data: GemeenteData) -> str:
    """Chapter "Lege plekken": unanswered needs, stopped initiatives, uncovered groups and wijken, the network."""
    anchor = "lege-plekken"
    out = _heading(anchor, "Lege plekken") + "\n\n"
    inv = load_for(data)
    if inv is None or not inv.exists:
        return out + NO_INVENTORY.format(name=data.gemeente.name, slug=data.gemeente.slug)
    out += (
        "De alliantiepartners spraken af het lokale netwerk in kaart te brengen en de lege plekken te "
        "benoemen. Een lege plek is een behoefte waar geen lopend initiatief op antwoordt, een doelgroep of "
        "wijk zonder initiatief, een initiatief dat stopte terwijl de behoefte bleef, of een organisatie "
        "zonder band met het LHBT-netwerk.\n\n"
    )
    unanswered = inv_mod.unanswered_needs(inv)
    cov = inv_mod.need_coverage(inv).set_index("id")
    out += "**Behoeften zonder lopend initiatief**\n\n"
    if unanswered:
        for n in unanswered:
            out += f"- {n.behoefte} (*{cov.loc[n.id, 'dekking']}*; {cov.loc[n.id, 'doelgroepen']})\n"
    else:
        out += "Elke vastgelegde behoefte heeft een lopend initiatief.\n"
    stopped = inv_mod.stopped_while_needed(inv)
    out += "\n**Gestopt, terwijl de behoefte blijft**\n\n"
    if stopped:
        for init, need in stopped:
            when = f" in {init.tot}" if init.tot else ""
            out += f"- *{init.naam}* is gestopt{when}; de behoefte blijft: {need.behoefte.lower()}\n"
    else:
        out += "Geen: er is geen gestopt initiatief waarvan de behoefte nog open staat.\n"
    groups = [TARGET_GROUPS[g] for g in inv_mod.groups_without_initiative(inv)]
    out += "\n**Doelgroepen en wijken zonder initiatief**\n\n"
    out += (
        f"Geen lopend initiatief richt zich uitdrukkelijk op: {_list_words(groups)}.\n\n"
        if groups
        else "Elke doelgroep heeft ten minste één lopend initiatief.\n\n"
    )
    ws = inv_mod.wijken_without_initiative(inv)
    total = len(inv_mod.wijken(inv.gemeente.code))
    if ws:
        out += (
            f"In {len(ws)} van de {total} wijken vindt geen lopend initiatief in de wijk zelf plaats (initiatieven "
            f"voor de hele gemeente niet meegeteld): {_list_words(ws)}.\n"
        )
    else:
        out += "In elke wijk vindt ten minste één lopend initiatief plaats.\n"
    out += _network_section(inv, anchor)
    return out + "\n"


__all__ = ["initiatieven", "lege_plekken", "behoeften_tabel", "coverage_heatmap", "network_figure", "KINDS"]
