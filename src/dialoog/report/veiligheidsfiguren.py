"""The seaborn figures of the regional Veiligheidsanalyse (`dialoog.report.veiligheidsanalyse`).

Suppressed figures are never drawn; proportions carry their 95% interval (weighted, or CBS's margin).
"""

from __future__ import annotations

import matplotlib.figure
import pandas as pd

from dialoog.monitor import data as monitor
from dialoog.report import figures


def indicator_figure(df: pd.DataFrame, names: list[str], years: list[int], indicator: str) -> matplotlib.figure.Figure:
    """One indicator over the years, per gemeente (colour) and series (line style), with intervals and
    the national references of LHBTQIA-persons and others as dashed lines."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    ind = monitor.INDICATORS[indicator]
    df = df[(df["indicator"] == indicator) & ~df["onderdrukt"]].copy()
    figures._style()
    fig, ax = plt.subplots(figsize=(8, 4.2))
    palette = dict(zip(names, sns.color_palette(figures.PALETTE, len(names)), strict=True))
    share = ind.kind == "aandeel"
    df["y"] = df["waarde"] * 100 if share else df["waarde"]
    sns.lineplot(
        data=df, x="jaar", y="y", hue="gemeente", style="reeks", markers=True, palette=palette, ax=ax, hue_order=names
    )
    if share:
        for (gem, _), rows in df.groupby(["gemeente", "reeks"]):
            lower = (rows["waarde"] - rows["ondergrens"]) * 100
            upper = (rows["bovengrens"] - rows["waarde"]) * 100
            ax.errorbar(
                rows["jaar"], rows["y"], yerr=[lower, upper], fmt="none", ecolor=palette[gem], capsize=3, alpha=0.7
            )
        references = ((ind.reference_value, "landelijk LHBT's", 3), (ind.reference_other, "landelijk anderen", -10))
        for value, label, dy in references:
            if value is None:
                continue
            ax.axhline(value * 100, color="#7f7f7f", ls="--", lw=1.1)
            ax.annotate(
                f"{label} (CBS 2023)",
                (min(years), value * 100),
                xytext=(4, dy),
                textcoords="offset points",
                fontsize=8,
                color="#555",
            )
        top = float(df["bovengrens"].max()) * 100 if len(df) else 0
        ax.set(ylabel="procent", xlabel="jaar", ylim=(0, max(50, top + 10)))
    else:
        ax.set(ylabel="aantal", xlabel="jaar", ylim=(0, None))
    ax.set_xticks(years)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8.5)
    sns.despine()
    return fig


def comparison_figure(rows: pd.DataFrame) -> matplotlib.figure.Figure:
    """Side by side: LHBT's and others of the latest survey year per indicator and gemeente, with intervals."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    figures._style()
    rows = rows.copy()
    rows["pct"] = rows["waarde"] * 100
    rows["label"] = rows["gemeente"] + ", " + rows["groep"].map(monitor.GROUP_LABELS)
    rows["indicator"] = rows["indicator"].map(lambda i: monitor.INDICATORS[i].label)
    order = list(dict.fromkeys(rows["indicator"]))  # one fixed order of the bars for every gemeente
    fig, ax = plt.subplots(figsize=(8, 1.1 * len(order) + 1.6))
    labels = list(dict.fromkeys(rows["label"]))
    palette = dict(zip(labels, sns.color_palette("Paired", len(labels)), strict=True))
    sns.barplot(
        data=rows,
        y="indicator",
        x="pct",
        hue="label",
        order=order,
        hue_order=labels,
        palette=palette,
        ax=ax,
        errorbar=None,
    )
    # seaborn draws one container per label; a bar sits on the category axis at the position of its indicator
    # (0, 1, ... in `order`, shifted by less than half a step per label), so each interval is drawn on its own
    # bar, whatever the row order of each gemeente and whichever bars are missing
    from matplotlib.container import BarContainer

    bar_containers = [c for c in ax.containers if isinstance(c, BarContainer)]  # before errorbars are added
    for bars, label in zip(bar_containers, labels, strict=True):
        sub = rows[rows["label"] == label].set_index("indicator")
        for bar in bars:
            y = bar.get_y() + bar.get_height() / 2
            indicator = order[int(round(y))]
            if indicator not in sub.index:
                continue
            r = sub.loc[indicator]
            ax.errorbar(
                r["pct"],
                y,
                xerr=[[r["pct"] - r["ondergrens"] * 100], [r["bovengrens"] * 100 - r["pct"]]],
                fmt="none",
                ecolor="#333",
                capsize=3,
            )
    ax.set(xlabel="procent (gewogen), met 95%-interval", ylabel="")
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    sns.despine(left=True)
    return fig
