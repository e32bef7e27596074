"""The summary (samenvatting), its key findings (also on the leaflet) and the conclusions of the
Perspectieven report: built from the gemeente's own themes, quotes, needs and gaps, in correct Dutch
(`dialoog.report.dutch`), never from sentences that only say "in minder dan 5 gesprekken".
"""

from __future__ import annotations

import re

from dialoog.privacy.disclosure import count_text, share_text
from dialoog.report import dutch
from dialoog.report import inventory_chapters as inventory_report
from dialoog.report.chapters import chapter_number, heading
from dialoog.study import reportfiles
from dialoog.study.analysis import GemeenteData, quotes, theme_frequencies


def report_files(data: GemeenteData) -> reportfiles.ReportFiles:
    """The municipality's own files (goals and actions, contacts, organisations) from the study's rapport/."""
    if data.study_root is None:
        return reportfiles.ReportFiles()
    return reportfiles.load(data.study_root, data.gemeente.slug)


def _interviews_with(data: GemeenteData, code: str) -> int:
    if code not in data.codebook or data.segments.empty:
        return 0
    seg = data.segments[data.segments["code"].isin({code, *data.codebook.descendants(code)})]
    return int(seg["transcript"].nunique())


#: top-level codes that say how something is judged rather than what it is about
_NOT_A_SUBJECT = {"evaluatie", "wat-werkt", "wat-werkt-niet", "vragen-behoeften", "initiatieven"}


def _top_subjects(data: GemeenteData, limit: int = 2) -> list[str]:
    if data.segments.empty:
        return []
    freq = theme_frequencies(data, top_level=True)
    freq = freq[(freq["fragmenten"] > 0) & ~freq["code"].isin(_NOT_A_SUBJECT)]
    return [str(t).lower() for t in freq["thema"].head(limit)]


def _who_we_spoke(data: GemeenteData) -> str:
    """'We voerden 20 gesprekken: met 8 LHBT-inwoners en 12 ...', the split hidden where a group is small.

    The total is the study's sample size and stays exact; of the two groups, a small one is "minder dan 5"
    and the other then gets no number (it would give the small one away as total minus the other)."""
    n, t = len(data.interviews), data.small_cell_threshold
    residents = int((data.interviews["respondent"] == "lhbt-inwoner").sum())
    others = n - residents
    total = f"We voerden {n} {'gesprek' if n == 1 else 'gesprekken'}"
    if n == 0:
        return total + "."
    if others == 0:
        return total + (", met een LHBT-inwoner." if n == 1 else ", allemaal met LHBT-inwoners.")
    if residents == 0:
        return total + (
            ", met een professional of vrijwilliger." if n == 1 else ", allemaal met professionals en vrijwilligers."
        )
    if residents >= t and others >= t:
        return total + (
            f": met {residents} LHBT-{'inwoner' if residents == 1 else 'inwoners'} en {others} "
            f"{'professional of vrijwilliger' if others == 1 else 'professionals en vrijwilligers'}."
        )
    r = f"{count_text(residents, t)} " if residents < t else ""
    o = f"{count_text(others, t)} " if others < t else ""
    return total + f": met {r}LHBT-inwoners en met {o}professionals en vrijwilligers."


def _overlapping_topic(data: GemeenteData, code: str) -> str | None:
    """The theme most often coded on the same words as `code` ('wat werkt' is about ... melden en aangifte)."""
    segs = data.segments
    mine = segs[segs["code"] == code]
    others = segs[~segs["code"].isin(_NOT_A_SUBJECT | {code})]
    if mine.empty or others.empty:
        return None
    hits: dict[str, int] = {}
    by_transcript = {t: g for t, g in others.groupby("transcript")}
    for row in mine.itertuples():
        group = by_transcript.get(row.transcript)
        if group is None:
            continue
        for other in group[(group["start"] < row.end) & (group["end"] > row.start)]["code"]:
            hits[other] = hits.get(other, 0) + 1
    if not hits:
        return None
    best = max(sorted(hits), key=hits.get)
    return dutch.lower_label(data.codebook.label(best))


def _short_quote(data: GemeenteData, code: str, max_chars: int = 150) -> str | None:
    """A short quote for `code`: the first of the report's quotes (agreed by most coders first) that fits
    whole; else the first one whose opening sentence fits."""
    texts = [" ".join(str(t).split()) for t in quotes(data, code, limit=20)["text"]]
    for text in texts:
        if 30 <= len(text) <= max_chars:
            return text
    for text in texts:
        first = re.split(r"(?<=[.!?])\s+", text)[0]
        if 30 <= len(first) <= max_chars and not first.lower().startswith(("maar ", "en ", "of ")):
            return first
    return None


_FINDINGS = {
    "wat-werkt": ("Wat goed werkt", "vertelden mensen wat goed werkt"),
    "wat-werkt-niet": ("Wat niet goed werkt", "ging het over wat niet goed werkt"),
    "vragen-behoeften": ("Wat mensen nog missen", "noemden mensen vragen of wensen"),
}


def key_findings(data: GemeenteData, quote_chars: int = 150) -> list[str]:
    """Three to five key findings in plain Dutch (B1): the municipality's own (``kernbevindingen`` in its
    goals file), else made from the analysis: who we spoke, the main themes, and for what works, what does
    not and what is missing the theme it is mostly about with a short quote (at most `quote_chars`; the
    leaflet asks for shorter ones). A count of interviews appears
    only when it can be shown (never "minder dan 5" sentences). Used by the samenvatting and the leaflet."""
    files = report_files(data)
    if files.goals is not None and files.goals.key_findings:
        return list(files.goals.key_findings)
    n, t = len(data.interviews), data.small_cell_threshold
    found = [_who_we_spoke(data)]
    if data.segments.empty:
        return found + ["De gesprekken zijn nog niet geanalyseerd.", "Daarom staan hier nog geen uitkomsten."]
    subjects = _top_subjects(data)
    if subjects:
        found.append(f"Het ging het vaakst {dutch.join_with('over', subjects)}.")
    for code, (lead, counted) in _FINDINGS.items():
        k = _interviews_with(data, code)
        if not k:
            continue
        topic = _overlapping_topic(data, code)
        quote = _short_quote(data, code, quote_chars)
        if topic is None and quote is None:
            if n >= t and k >= t:
                found.append(dutch.capital(f"{share_text(k, n, t)} {counted}."))
            continue
        sentence = f"{lead}, gaat vooral over {topic}" if topic else lead
        found.append(sentence + (f": ‘{quote}’" if quote else "") + ("" if quote and quote[-1] in ".!?" else "."))
    return found[:5]


def samenvatting(data: GemeenteData) -> str:
    name = data.gemeente.name
    out = heading("samenvatting") + f"\n\nDe belangrijkste uitkomsten van de dialooggesprekken in {name}:\n\n"
    out += "\n".join(f"- {f}" for f in key_findings(data)) + "\n"
    goals = report_files(data).goals
    if goals is not None and goals.goals:
        k = len(goals.goals)
        out += (
            f"\nDe gemeente heeft {dutch.count(k, 'doel', 'doelen')} gesteld, met acties om "
            f"{'het' if k == 1 else 'ze'} te bereiken (hoofdstuk {chapter_number('doelen-en-acties')}).\n"
        )
    return out


def _needs_and_gaps(data: GemeenteData) -> tuple[list[str], list[str], list[str], tuple[int, int]]:
    """From the inventory: the needs mentioned in the most interview fragments, those without a running
    initiative, the target groups without one, and (wijken without an initiative, all wijken)."""
    from dialoog.inventory import registers as inv_mod
    from dialoog.study.gemeenten import wijken

    inv = inventory_report.load_for(data)
    if inv is None or not inv.exists:
        return [], [], [], (0, 0)
    ranked = sorted(inv.needs, key=lambda n: (-len(n.fragmenten), n.behoefte))
    top = [_lower_first(n.behoefte) for n in ranked[:3]]
    open_needs = [
        _lower_first(n.behoefte) for n in sorted(inv_mod.unanswered_needs(inv), key=lambda n: -len(n.fragmenten))
    ]
    groups = [inv_mod.TARGET_GROUPS[g] for g in inv_mod.groups_without_initiative(inv)]
    return top, open_needs, groups, (len(inv_mod.wijken_without_initiative(inv)), len(wijken(data.gemeente.code)))


def _lower_first(text: str) -> str:
    if text.startswith("Eén"):
        return "één" + text[3:]
    first = text.split(" ", 1)[0]
    return text if first.isupper() or any(c.isupper() for c in first[1:]) else text[:1].lower() + text[1:]


def conclusies(data: GemeenteData) -> str:
    """Conclusions about this gemeente: its main themes, what works and what does not (and what that is
    about), its needs and the gaps of its inventory; then recommendations that name them."""
    n = len(data.interviews)
    if data.segments.empty:
        return heading("conclusies") + "\n\nZonder gecodeerde gesprekken zijn er (nog) geen conclusies te trekken.\n"
    name = data.gemeente.name
    subjects = _top_subjects(data, limit=3)
    works, fails = (_overlapping_topic(data, c) for c in ("wat-werkt", "wat-werkt-niet"))
    top_needs, open_needs, groups, (bare, all_wijken) = _needs_and_gaps(data)
    out = heading("conclusies") + "\n\n"
    if subjects:
        out += f"In de gesprekken in {name} ging het vooral {dutch.join_with('over', subjects)}. "
    if works:
        out += f"Wat goed werkt, heeft vooral te maken met {works}. "
    if fails:
        out += f"Wat niet goed werkt, gaat vooral over {fails}. "
    if top_needs:
        out += f"De behoeften die het vaakst terugkwamen: {dutch.join(top_needs, 'en')}. "
    out += "\n\n"
    gaps = []
    if open_needs:
        gaps.append(f"{dutch.count(len(open_needs), 'behoefte heeft', 'behoeften hebben')} nog geen lopend initiatief")
    if groups:
        named = dutch.join(groups) if len(groups) <= 3 else "onder meer " + dutch.join(groups[:3])
        gaps.append(f"voor {named} loopt nog geen initiatief")
    if all_wijken and bare:
        gaps.append(f"in {bare} van de {all_wijken} wijken vindt geen initiatief in de wijk zelf plaats")
    if gaps:
        out += f"De inventarisatie laat lege plekken zien (hoofdstuk {chapter_number('lege-plekken')}): "
        out += dutch.join(gaps, "en") + ".\n\n"
    out += "**Aanbevelingen**\n\n"
    recs = []
    if works:
        recs.append(
            f"Bouw voort op wat werkt rond {works} (hoofdstuk {chapter_number('wat-werkt')}): maak het zichtbaar "
            "en zorg dat het niet afhangt van één persoon."
        )
    if fails:
        recs.append(
            f"Pak samen met de inwoners en organisaties die het noemden aan wat niet werkt rond {fails} "
            f"(hoofdstuk {chapter_number('wat-werkt-niet')})."
        )
    if open_needs:
        recs.append(
            f"Zoek een aanpak voor de behoeften zonder initiatief, te beginnen met: {open_needs[0]} "
            f"(hoofdstuk {chapter_number('lege-plekken')})."
        )
    elif _interviews_with(data, "vragen-behoeften"):
        recs.append(
            f"Neem de vragen en behoeften (hoofdstuk {chapter_number('vragen-en-behoeften')}) als vertrekpunt "
            "voor nieuwe of bredere initiatieven."
        )
    if groups:
        recs.append(f"Ga na wat {dutch.join(groups[:3], 'en')} nodig hebben; voor hen loopt nog niets.")
    recs.append(
        f"Leg vast wat de gemeente gaat doen, met wie en wanneer (hoofdstuk {chapter_number('doelen-en-acties')}), "
        f"en ga na een jaar opnieuw in gesprek met de inwoners van {name} om te zien wat het heeft opgeleverd."
    )
    if n < data.small_cell_threshold:
        recs.append(
            f"Voer meer gesprekken: met {dutch.count(n, 'gesprek', 'gesprekken')} kunnen we veel aantallen niet "
            "laten zien zonder dat iemand herkenbaar wordt."
        )
    return out + "\n".join(f"{i}. {r}" for i, r in enumerate(recs, start=1)) + "\n"
