"""Figures for reports: seaborn charts embedded as accessible HTML (PNG data URI, alt text, caption)."""

from __future__ import annotations

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

PALETTE = "crest"


def _style() -> None:
    sns.set_theme(style="whitegrid", context="notebook", font_scale=0.95)


def figure_html(fig: matplotlib.figure.Figure, number: int | str, caption: str, alt: str) -> str:
    """A <figure> with the chart as an embedded PNG, its alt text (the data in words) and a caption."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=144, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (
        f'<figure class="dialoog-figure">'
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" style="max-width:100%;height:auto">'
        f"<figcaption><strong>Figuur {number}.</strong> {html.escape(caption)}</figcaption></figure>"
    )


def themes_bar(freq: pd.DataFrame) -> matplotlib.figure.Figure:
    """Horizontal bars: number of coded segments per theme, with the number of interviews in the label.

    The label uses the column `gesprekken` when present (a count already made safe, such as "< 5"), else
    `interviews`."""
    _style()
    shown = freq["gesprekken"] if "gesprekken" in freq else freq["interviews"]
    freq = freq.assign(label=[f"{f} ({i} gespr.)" for f, i in zip(freq["fragmenten"], shown, strict=True)])
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(freq) + 1.2))
    sns.barplot(data=freq, y="thema", x="fragmenten", hue="thema", palette=PALETTE, legend=False, errorbar=None, ax=ax)
    ax.set(xlabel="aantal gecodeerde fragmenten", ylabel="")
    for container, label in zip(ax.containers, freq["label"], strict=True):
        ax.bar_label(container, labels=[label], padding=3, fontsize=9)
    ax.set_xlim(0, max(freq["fragmenten"].max(), 1) * 1.25)
    sns.despine(left=True, bottom=True)
    return fig


def themes_heatmap(mean: pd.DataFrame) -> matplotlib.figure.Figure:
    """Heatmap: average number of segments per interview, per theme and respondent role."""
    _style()
    fig, ax = plt.subplots(figsize=(1.7 * max(len(mean.columns), 2) + 3.5, 0.45 * len(mean) + 1.5))
    sns.heatmap(
        mean,
        annot=True,
        fmt=".1f",
        cmap=PALETTE,
        vmin=0,
        cbar_kws={"label": "fragmenten per gesprek"},
        linewidths=0.5,
        ax=ax,
    )
    ax.set(xlabel="respondentrol", ylabel="")
    ax.tick_params(axis="x", rotation=20)
    return fig
