"""Suggestions for the inventory: initiatives and organisations mentioned in coded fragments but not yet
in the registers, for a researcher to confirm.

Fragments coded ``initiatieven`` or ``samenwerking-professionals`` (or their subcodes) are matched with
spaCy's PhraseMatcher (case-insensitive) against the names and aliases in the registers and against a
small vocabulary of organisation terms. Only consented, pseudonymised transcripts are read, and a
suggestion names the fragment and the matched term, never other transcript text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dialoog.inventory.registers import ORG_KINDS, Inventory, Link
from dialoog.study.analysis import is_included
from dialoog.study.folder import Study

CODES = ("initiatieven", "samenwerking-professionals")

#: generic words for organisations and roles, by kind (matched case-insensitively)
ORG_TERMS: dict[str, list[str]] = {
    "wijkteam": ["wijkteam", "wijkteams", "WIJ-team", "WIJ-teams", "gebiedsteam", "gebiedsteams", "wijkwerker"],
    "politie": ["wijkagent", "politie", "balie"],
    "roze-in-blauw": ["Roze in Blauw"],
    "coc": ["COC", "COC Friesland", "COC Groningen"],
    "meldpunt": ["meldpunt", "meldpunt discriminatie", "Discriminatie Meldpunt", "Discriminatie Meldpunt Groningen"],
    "woningcorporatie": ["woningcorporatie", "corporatie", "woningbouwcorporatie"],
    "school": ["school", "scholen", "mbo", "middelbare school", "docent", "mentor"],
    "buurtbemiddeling": ["buurtbemiddeling"],
    "zorg": ["huisarts", "genderpoli", "ggz"],
    "jongerenwerk": ["jongerenwerk", "jongerenwerker", "jongerenwerkers"],
    "gemeente": ["gemeente", "ambtenaren", "stadskantoor"],
    "belangenorganisatie": ["Centrum Tûmba", "Tûmba", "Stichting LGBT Groningen", "ouderenbond"],
    "sport": ["kaatsvereniging", "sportvereniging", "sportverenigingen", "voetbal"],
}


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "koppel-initiatief", "nieuw-initiatief", "nieuwe-organisatie"
    fragment: Link
    term: str  # the register name or vocabulary term that matched ("" for an unmatched initiative fragment)
    detail: str

    def __str__(self) -> str:
        return f"{self.fragment}  {self.kind:20} {self.detail}"


@cache
def _nlp():
    import spacy

    return spacy.blank("nl")


def _matcher(inv: Inventory):
    from spacy.matcher import PhraseMatcher

    nlp = _nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for i in inv.initiatives:
        matcher.add(f"INIT|{i.id}", [nlp.make_doc(t) for t in [i.naam, *i.aliassen] if t])
    for o in inv.organisations:
        matcher.add(f"ORG|{o.id}", [nlp.make_doc(t) for t in [o.naam, *o.aliassen] if t])
    for kind, terms in ORG_TERMS.items():
        matcher.add(f"TERM|{kind}", [nlp.make_doc(t) for t in terms])
    return matcher


def _overlaps(a: Link, b: Link) -> bool:
    return a.transcript == b.transcript and a.start < b.end and b.start < a.end


def fragments(study: Study, inv: Inventory) -> list[tuple[Link, set[str]]]:
    """The distinct coded spans (with their codes) of the municipality's included transcripts under CODES."""
    wanted: set[str] = set()
    for code in CODES:
        if code in study.codebook:
            wanted |= {code, *study.codebook.descendants(code)}
    included = {
        tid for tid, t in study.transcripts.items() if t.path.parent.name == inv.gemeente.slug and is_included(t)
    }
    spans: dict[Link, set[str]] = {}
    for c in study.codings:
        if c.transcript in included and c.code in wanted:
            spans.setdefault(Link(c.transcript, c.start, c.end), set()).add(c.code)
    return sorted(spans.items(), key=lambda kv: (kv[0].transcript, kv[0].start, kv[0].end))


def suggest(study: Study, inv: Inventory) -> list[Suggestion]:
    """What the coded fragments mention that the registers do not have yet."""
    nlp = _nlp()
    matcher = _matcher(inv)
    linked = [x for i in inv.initiatives for x in i.fragmenten]
    reviewed = inv.reviewed
    out: list[Suggestion] = []
    seen_org_terms: set[tuple[str, str]] = set()
    for link, codes in fragments(study, inv):
        body = study.transcripts[link.transcript].body
        doc = nlp.make_doc(body[link.start : link.end])
        matches = [(nlp.vocab.strings[m], s, e) for m, s, e in matcher(doc)]
        init_hits = {label.split("|", 1)[1] for label, _, _ in matches if label.startswith("INIT|")}
        org_spans = [(s, e) for label, s, e in matches if label.startswith("ORG|")]
        if any(_overlaps(link, x) for x in reviewed):
            continue
        for init_id in sorted(init_hits):
            init = inv.initiative(init_id)
            if not any(_overlaps(link, x) for x in init.fragmenten):
                out.append(
                    Suggestion(
                        "koppel-initiatief",
                        link,
                        init.naam,
                        f"mentions '{init.naam}' ({init_id}); add the fragment to its fragmenten",
                    )
                )
        if "initiatieven" in codes and not init_hits and not any(_overlaps(link, x) for x in linked):
            out.append(
                Suggestion(
                    "nieuw-initiatief",
                    link,
                    "",
                    "coded 'initiatieven' but matches no registered initiative; "
                    "add it to initiatieven.yaml or link it to one",
                )
            )
        for label, s, e in matches:
            if not label.startswith("TERM|"):
                continue
            if any(s < oe and os < e for os, oe in org_spans):
                continue  # the term is part of a registered organisation's name
            kind = label.split("|", 1)[1]
            term = doc[s:e].text.lower()
            if any(o.soort == kind and term in {a.lower() for a in [o.naam, *o.aliassen]} for o in inv.organisations):
                continue
            if (kind, term) in seen_org_terms:
                continue
            seen_org_terms.add((kind, term))
            out.append(
                Suggestion(
                    "nieuwe-organisatie",
                    link,
                    term,
                    f"mentions '{term}' ({ORG_KINDS[kind]}), which no "
                    "organisation in netwerk.yaml has as name or alias",
                )
            )
    return out


@dataclass(frozen=True)
class Proposal:
    """An initiative or need found in the transcripts: linked to a register entry, or proposed as new."""

    kind: str  #: "initiatief" or "behoefte"
    name: str  #: normalised name
    link: str  #: "initiatieven.yaml:<id>", "netwerk.yaml:<id>" or "behoeften.yaml:<id>"; "" for a new entry
    fragments: tuple[Link, ...]

    def __str__(self) -> str:
        where = ", ".join(str(f) for f in self.fragments[:4]) + (" ..." if len(self.fragments) > 4 else "")
        what = f"links to {self.link}" if self.link else "new entry"
        return f"{self.kind:10} {self.name[:60]:60} {what}; fragments: {where}"


def from_transcripts(study: Study, gemeente, inv: Inventory | None = None) -> list[Proposal]:
    """Initiatives and needs found directly in the municipality's included transcripts (coded or not),
    each linked to the register entry it names (initiatives also to organisations, for initiatives
    registered only as an organisation, such as buurtbemiddeling) or proposed as a new entry."""
    from dialoog.assist import mentions

    todo = [t for t in study.transcripts.values() if t.path.parent.name == gemeente.slug and is_included(t)]
    findings = mentions.study_findings(study, todo)
    if inv is not None:
        initiatives = [(f"initiatieven.yaml:{i.id}", i.naam, i.aliassen) for i in inv.initiatives]
        organisations = [(f"netwerk.yaml:{o.id}", o.naam, o.aliassen) for o in inv.organisations]
        mentions.link(findings, initiatives + organisations, "initiatief")
        mentions.link(findings, [(f"behoeften.yaml:{n.id}", n.behoefte, []) for n in inv.needs], "behoefte")
        _link_needs_by_fragment(findings, inv)
    return [
        Proposal(f.kind, f.name, f.link, tuple(Link(*x) for x in f.fragments))
        for f in sorted(findings, key=lambda f: (f.kind, bool(f.link), f.name.lower()))
    ]


def _link_needs_by_fragment(findings, inv: Inventory) -> None:
    """A need found in a fragment that a registered need already lists belongs to that need."""
    for f in findings:
        if f.kind != "behoefte" or f.link:
            continue
        for need in inv.needs:
            if any(_overlaps(Link(*x), frag) for x in f.fragments for frag in need.fragmenten):
                f.link = f"behoeften.yaml:{need.id}"
                break
