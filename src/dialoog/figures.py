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


def figure_html(fig: matplotlib.figure.Figure, number: int, caption: str, alt: str) -> str:
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


def themes_bar(freq: pd.DataFrame, n_interviews: int) -> matplotlib.figure.Figure:
    """Horizontal bars: in how many interviews each theme occurs."""
    _style()
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(freq) + 1.2))
    sns.barplot(data=freq, y="thema", x="interviews", hue="thema", palette=PALETTE, legend=False, ax=ax)
    ax.set(xlabel=f"aantal interviews (van {n_interviews})", ylabel="", xlim=(0, max(n_interviews, 1)))
    ax.xaxis.get_major_locator().set_params(integer=True)
    for container in ax.containers:
        ax.bar_label(container, padding=3, fontsize=9)
    sns.despine(left=True, bottom=True)
    return fig


def themes_heatmap(share: pd.DataFrame) -> matplotlib.figure.Figure:
    """Heatmap: share of interviews per respondent role in which each theme occurs."""
    _style()
    fig, ax = plt.subplots(figsize=(1.6 * max(len(share.columns), 2) + 3, 0.45 * len(share) + 1.5))
    sns.heatmap(share * 100, annot=True, fmt=".0f", cmap=PALETTE, vmin=0, vmax=100, cbar_kws={"label": "% van de interviews"},
                linewidths=0.5, ax=ax)
    ax.set(xlabel="respondentrol", ylabel="")
    ax.tick_params(axis="x", rotation=20)
    return fig
