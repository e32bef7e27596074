"""The chapters of the Perspectieven report: their order, numbering and titles, and shared HTML helpers.

The registry names each chapter's render function by its dotted path, so that chapter modules can number
their tables and headings from here without importing each other.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pandas as pd


@dataclass(frozen=True)
class Chapter:
    """One chapter: its anchor (HTML id), Dutch title and the function that renders it as Markdown
    ("module:function", a function of `dialoog.study.analysis.GemeenteData`)."""

    anchor: str
    title: str
    render: str
    appendix: bool = False

    @cached_property
    def renderer(self) -> Callable:
        module, _, name = self.render.partition(":")
        return getattr(importlib.import_module(module), name)


#: The chapters of the report, in order. A chapter is a function of the municipality's data.
CHAPTERS: list[Chapter] = [
    Chapter("samenvatting", "Samenvatting", "dialoog.report.findings:samenvatting"),
    Chapter("inleiding", "Inleiding", "dialoog.report.perspectieven:inleiding"),
    Chapter("methode", "Methode", "dialoog.report.perspectieven:methode"),
    Chapter("themas", "Thema's", "dialoog.report.perspectieven:themas"),
    Chapter("wat-werkt", "Wat werkt", "dialoog.report.perspectieven:wat_werkt"),
    Chapter("wat-werkt-niet", "Wat werkt niet", "dialoog.report.perspectieven:wat_werkt_niet"),
    Chapter("vragen-en-behoeften", "Vragen en behoeften", "dialoog.report.perspectieven:vragen_en_behoeften"),
    Chapter("initiatieven", "Initiatieven", "dialoog.report.inventory_chapters:initiatieven"),
    Chapter("lege-plekken", "Lege plekken", "dialoog.report.inventory_chapters:lege_plekken"),
    Chapter("conclusies", "Conclusies en aanbevelingen", "dialoog.report.findings:conclusies"),
    Chapter("doelen-en-acties", "Doelen en acties", "dialoog.report.perspectieven:doelen_en_acties"),
    Chapter("bijlage-codeboek", "Bijlage: het codeboek", "dialoog.report.perspectieven:codeboek", appendix=True),
    Chapter(
        "bijlage-organisaties",
        "Bijlage: organisaties waarmee is gesproken",
        "dialoog.report.perspectieven:organisaties",
        appendix=True,
    ),
]


def numbered_title(anchor: str) -> str:
    """'4. Wat werkt' for a chapter, 'Bijlage: ...' (no number) for an appendix."""
    numbered = [c for c in CHAPTERS if not c.appendix]
    for chapter in CHAPTERS:
        if chapter.anchor == anchor:
            return chapter.title if chapter.appendix else f"{numbered.index(chapter) + 1}. {chapter.title}"
    raise KeyError(anchor)


def number(anchor: str, i: int) -> str:
    """The number of the i-th table or figure of a chapter: '4.2' in chapter 4, 'A.1' in the first appendix."""
    appendices = [c.anchor for c in CHAPTERS if c.appendix]
    if anchor in appendices:
        return f"{chr(ord('A') + appendices.index(anchor))}.{i}"
    chapter = numbered_title(anchor).split(".", 1)[0]
    return f"{chapter}.{i}"


def heading(anchor: str) -> str:
    return f'<h2 id="{anchor}">{html.escape(numbered_title(anchor))}</h2>'


def chapter_number(anchor: str) -> int:
    """The number of a (non-appendix) chapter, for references such as "hoofdstuk 3"."""
    return [c.anchor for c in CHAPTERS if not c.appendix].index(anchor) + 1


def not_recorded(anchor: str, what: str, plural: bool = False) -> str:
    """The one line a chapter shows when the study has no data for it."""
    return heading(anchor) + f"\n\nVoor deze gemeente {'zijn' if plural else 'is'} (nog) geen {what} vastgelegd.\n"


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
