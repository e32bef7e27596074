"""The inter-coder agreement part of the methode chapter (Dutch text and table)."""

from __future__ import annotations

import math

import pandas as pd

from dialoog.coding.agreement import agreement_table, coders_of, decisions
from dialoog.report import dutch
from dialoog.study.codings import Coding
from dialoog.study.folder import Study

#: Krippendorff's lower bound for tentative conclusions; below it a code is flagged in the text
ACCEPTABLE = 0.67


def fmt(x: float, digits: int = 2) -> str:
    """A Dutch decimal number, '–' when undefined."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.{digits}f}".replace(".", ",")


def combination_text(data) -> str:  # data: analysis.GemeenteData
    """How the codings of several coders became the counts and quotes of the report (Dutch, one paragraph)."""
    n = len(data.interviews)
    k = len(data.consensus)
    union = (
        "een fragment telt mee als ten minste één codeur het een code gaf; citaten zijn bij voorkeur gekozen uit "
        "fragmenten waarover de codeurs het eens waren."
    )
    if k == 0:
        return "In dit rapport: " + union
    if k >= n:
        return (
            f"Voor {'het gesprek' if k == 1 else f'alle {k} gesprekken'} heeft het onderzoeksteam de verschillen "
            "tussen de codeurs besproken en per fragment een besluit genomen (consensus). De aantallen en citaten "
            "in dit rapport komen uit die consensuscodering."
        )
    return (
        f"Voor {k} van de {n} gesprekken heeft het onderzoeksteam de verschillen tussen de codeurs besproken en per "
        "fragment een besluit genomen (consensus); voor die gesprekken komen de aantallen en citaten uit de "
        f"consensuscodering. Voor de andere gesprekken geldt: {union}"
    )


def methode_section(data, unit: str = "turn") -> str:  # data: analysis.GemeenteData
    """A Dutch paragraph and table on inter-coder agreement, for the methode chapter of the report."""
    from dialoog.report.chapters import number, table_html

    codings = [
        Coding(r.transcript, int(r.start), int(r.end), r.text, r.code, r.coder)
        for r in data.codings.itertuples(index=False)
    ]
    coders = coders_of(codings)
    d = decisions(data.transcripts, codings, data.codebook, coders, unit) if len(coders) >= 2 else None
    eenheid = "beurt" if unit == "turn" else "zin"
    if d is None or d.table.empty:
        return (
            "\n\n**Overeenstemming tussen codeurs.** Er zijn (nog) geen gesprekken die door twee of meer codeurs "
            "onafhankelijk zijn gecodeerd, dus de overeenstemming tussen codeurs is niet berekend.\n"
        )
    table = agreement_table(d, data.codebook)
    total = table.iloc[-1]
    n_iv = d.table["transcript"].nunique()
    text = f"""

**Overeenstemming tussen codeurs.** {dutch.count_start(n_iv, "gesprek", "gesprekken")} {dutch.verb(n_iv, "is", "zijn")}
door {len(coders)} codeurs onafhankelijk van elkaar gecodeerd. Per {eenheid} en per code is nagegaan of de
codeurs de code wel of niet gaven ({len(d.units)} {"beurten" if unit == "turn" else "zinnen"}). Over alle
codes samen kwamen de codeurs in {fmt(total["percent"], 1)}% van de beslissingen overeen; Cohens kappa is
{fmt(total["kappa"])} en Krippendorffs alfa {fmt(total["alpha"])}. Een alfa van 0,80 of hoger geldt als
betrouwbaar, tussen 0,67 en 0,80 als voorlopig aanvaardbaar.
"""
    low = [
        f"{row.label} ({fmt(row.alpha)})"
        for row in table.iloc[:-1].itertuples()
        if not (isinstance(row.alpha, float) and math.isnan(row.alpha)) and row.alpha < ACCEPTABLE
    ]
    if low:
        text += (
            f"\n**Let op:** bij {dutch.join(low)} ligt de alfa onder de 0,67. Over "
            f"{'deze code' if len(low) == 1 else 'deze codes'} waren de codeurs het te vaak oneens; lees de "
            f"fragmenten en aantallen van {'deze code' if len(low) == 1 else 'deze codes'} met voorzichtigheid.\n"
        )
    shown = pd.DataFrame(
        {
            "code": table["label"],
            "overeenstemming (%)": [fmt(x, 1) for x in table["percent"]],
            "Cohens kappa": [fmt(x) for x in table["kappa"]],
            "Krippendorffs alfa": [fmt(x) for x in table["alpha"]],
        }
    )
    return (
        text
        + "\n"
        + table_html(
            shown, f"Tabel {number('methode', 3)}. Overeenstemming tussen codeurs per code (eenheid: {eenheid})"
        )
        + "\n"
    )


def report_section(study: Study, gemeente: str, unit: str = "turn") -> str:
    """`methode_section` for a gemeente of a study (only transcripts with consent and pseudonymisation)."""
    from dialoog.study.analysis import load

    return methode_section(load(study, study.gemeente(gemeente)), unit)
