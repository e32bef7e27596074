"""Merge platform exports of several municipalities into one, recognising the same initiative across them.

- Per municipality the newest export wins (by the date of its source; on a tie, the later file given):
  its initiatives and gaps replace those of older exports, so an initiative that was removed or marked
  `publiceerbaar: false` since does not live on. Records that appear in several exports keep every
  source in `herkomst`.
- Initiatives of different municipalities of the same kind are compared by their normalised names
  (with aliases; place names, punctuation and small words removed) and organisations (rapidfuzz token-set and
  token-sort similarity, 0-100). Both high: the same initiative (one `groep`). Only one high, or the name close:
  uncertain, listed for review; a reviewer writes `ja` or `nee` in the column `zelfde` and passes the file
  back with `--decisions`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz

from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text
from dialoog.platform.model import GemeenteExport, Herkomst, Initiatief, PlatformExport
from dialoog.study.gemeenten import all_gemeenten, wijken

#: both scores at least this: the same initiative
SAME = 88
#: the name at least this (or the name SAME and the organisation lower): uncertain, for review
UNCERTAIN = 65
SMALL_WORDS = {"de", "het", "een", "van", "voor", "in", "op", "met", "bij", "en", "door", "aan", "te", "s", "en", "of"}
REGIONS = {"noord nederland", "friesland", "fryslan", "drenthe", "noord holland", "zuid holland", "brabant", "limburg"}
REVIEW_COLUMNS = [
    "a", "b", "naam_a", "naam_b", "gemeente_a", "gemeente_b", "organisaties_a", "organisaties_b",
    "naam_score", "organisatie_score", "zelfde",
]  # fmt: skip


def _plain(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


@cache
def _places(gemeente_code: str) -> tuple[str, ...]:
    names = {_plain(g.name) for g in all_gemeenten()} | {_plain(g.provincie) for g in all_gemeenten()} | REGIONS
    names |= {_plain(w) for w in wijken(gemeente_code)}
    return tuple(sorted(names, key=len, reverse=True))


def normalise(text: str, gemeente_code: str = "") -> str:
    """'Roze in Blauw Noord-Nederland' -> 'roze blauw': lower case, no accents, places or small words."""
    plain = f" {_plain(text)} "
    for place in _places(gemeente_code):
        if f" {place} " in plain:
            plain = plain.replace(f" {place} ", " ")
    return " ".join(w for w in plain.split() if w not in SMALL_WORDS)


@dataclass
class Candidate:
    a: Initiatief
    b: Initiatief
    name_score: float
    org_score: float

    @property
    def key(self) -> tuple[str, str]:
        return (self.a.id, self.b.id)


@dataclass
class MergeResult:
    export: PlatformExport
    review: list[Candidate] = field(default_factory=list)  # uncertain matches without a decision
    groups: int = 0  # groups of the same initiative in two or more municipalities
    superseded: list[str] = field(default_factory=list)  # gemeenten whose older exports were replaced


def _names(i: Initiatief) -> list[str]:
    return [n for n in (normalise(x, i.gemeente_code) for x in [i.naam, *i.ook_bekend_als]) if n]


def _similar(x: str, y: str) -> float:
    """Token-set similarity tempered by token-sort, so that a name inside a longer one is not 100."""
    return (fuzz.token_set_ratio(x, y) + fuzz.token_sort_ratio(x, y)) / 2


def _score(a: Initiatief, b: Initiatief) -> tuple[float, float]:
    names = max((_similar(x, y) for x in _names(a) for y in _names(b)), default=0.0)
    orgs_a = [normalise(o, a.gemeente_code) or _plain(o) for o in a.organisaties]
    orgs_b = [normalise(o, b.gemeente_code) or _plain(o) for o in b.organisaties]
    orgs = max((fuzz.token_set_ratio(x, y) for x in orgs_a for y in orgs_b), default=0.0)
    return names, orgs


def candidates(initiatives: list[Initiatief]) -> tuple[list[Candidate], list[Candidate]]:
    """(certain, uncertain) pairs of initiatives of different municipalities and the same kind."""
    by_kind: dict[str, list[Initiatief]] = defaultdict(list)
    for i in initiatives:
        by_kind[i.soort].append(i)
    certain, uncertain = [], []
    for block in by_kind.values():
        first = [(i, {w for n in _names(i) for w in n.split()}) for i in block]
        for k, (a, wa) in enumerate(first):
            for b, wb in first[k + 1 :]:
                if a.gemeente_code == b.gemeente_code or not (wa & wb):  # no shared word: not the same
                    continue
                name, org = _score(a, b)
                cand = Candidate(a, b, round(name, 1), round(org, 1))
                if name >= SAME and org >= SAME:
                    certain.append(cand)
                elif name >= UNCERTAIN:
                    uncertain.append(cand)
    return certain, uncertain


def _newest(sources: list[tuple[str, PlatformExport]]) -> dict[str, tuple[int, str, PlatformExport]]:
    """Per gemeente slug: the index, file name and export of its newest source."""
    best: dict[str, tuple[int, str, PlatformExport]] = {}
    for n, (name, exp) in enumerate(sources):
        for g in exp.gemeenten:
            date = max(h.datum for h in exp.bronnen)
            if g.slug not in best or (date, n) >= (max(h.datum for h in best[g.slug][2].bronnen), best[g.slug][0]):
                best[g.slug] = (n, name, exp)
    return best


def _with_file(herkomst: list[Herkomst], name: str) -> list[Herkomst]:
    return [h if h.bestand else h.model_copy(update={"bestand": name}) for h in herkomst]


def _union(*lists: list[Herkomst]) -> list[Herkomst]:
    out: dict[tuple, Herkomst] = {}
    for lst in lists:
        for h in lst:
            out.setdefault((h.uitgever, h.datum, h.bestand), h)
    return sorted(out.values(), key=lambda h: (h.datum, h.uitgever))


def _groups(initiatives: list[Initiatief], pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Union-find over the matched pairs: initiative id -> group id (the smallest member id)."""
    parent = {i.id: i.id for i in initiatives}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = defaultdict(list)
    for x in parent:
        members[root(x)].append(x)
    return {x: f"groep/{r}" for r, xs in members.items() if len(xs) > 1 for x in xs}


def merge_exports(
    sources: list[tuple[str, PlatformExport]], decisions: dict[tuple[str, str], bool] | None = None
) -> MergeResult:
    """Merge `(file name, export)` pairs; `decisions` (a, b) -> same? settle uncertain matches."""
    if not sources:
        raise DialoogError("no exports to merge", hint="pass one or more FILE.json made by dialoog platform export")
    decisions = decisions or {}
    newest = _newest(sources)
    seen: dict[str, list[Herkomst]] = defaultdict(list)  # provenance of every record in every source
    for name, exp in sources:
        for g in exp.gemeenten:
            seen[g.slug] += _with_file(g.herkomst, name)
        for i in exp.initiatieven:
            seen[i.id] += _with_file(i.herkomst, name)
    gemeenten: list[GemeenteExport] = []
    initiatives: list[Initiatief] = []
    for slug, (_, name, exp) in sorted(newest.items()):
        g = next(x for x in exp.gemeenten if x.slug == slug)
        gemeenten.append(g.model_copy(update={"herkomst": _union(seen[slug])}))
        for i in exp.initiatieven:
            if i.gemeente_slug == slug:
                initiatives.append(i.model_copy(update={"herkomst": _union(seen[i.id]), "groep": ""}))
    certain, uncertain = candidates(initiatives)
    pairs = [c.key for c in certain if decisions.get(c.key, decisions.get(c.key[::-1], True))]
    pairs += [c.key for c in uncertain if decisions.get(c.key, decisions.get(c.key[::-1])) is True]
    review = [c for c in uncertain if c.key not in decisions and c.key[::-1] not in decisions]
    group = _groups(initiatives, pairs)
    initiatives = [i.model_copy(update={"groep": group.get(i.id, "")}) for i in initiatives]
    bronnen = {}
    for name, exp in sources:
        for b in exp.bronnen:
            b = b if b.bestand else b.model_copy(update={"bestand": name})
            bronnen.setdefault((b.uitgever, b.datum, b.bestand), b)
    superseded = sorted({g.slug for _, exp in sources for g in exp.gemeenten} & set(newest))
    superseded = [s for s in superseded if sum(any(g.slug == s for g in e.gemeenten) for _, e in sources) > 1]
    merged = PlatformExport(bronnen=list(bronnen.values()), gemeenten=gemeenten, initiatieven=initiatives)
    return MergeResult(merged, review, len(set(group.values())), superseded)


def review_csv(review: list[Candidate]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(REVIEW_COLUMNS)
    for c in review:
        w.writerow(
            [
                c.a.id, c.b.id, c.a.naam, c.b.naam, c.a.gemeente, c.b.gemeente,
                "; ".join(c.a.organisaties), "; ".join(c.b.organisaties), c.name_score, c.org_score, "",
            ]  # fmt: skip
        )
    return buf.getvalue()


def write_review(review: list[Candidate], path: Path) -> None:
    atomic_write_text(Path(path), review_csv(review))


def read_decisions(path: Path) -> dict[tuple[str, str], bool]:
    """A filled-in review list: (a, b) -> True for `ja`, False for `nee`; empty rows are still open."""
    path = Path(path)
    if not path.is_file():
        raise DialoogError("no such review file", path=path)
    out = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"a", "b", "zelfde"} - set(reader.fieldnames or [])
        if missing:
            raise DialoogError(
                "the review list lacks columns", path=path, line=1, key=", ".join(sorted(missing)),
                hint="use the file written by dialoog platform merge --review",
            )  # fmt: skip
        for line, row in enumerate(reader, start=2):
            answer = (row.get("zelfde") or "").strip().lower()
            if not answer:
                continue
            if answer not in {"ja", "nee"}:
                raise DialoogError("write ja or nee", path=path, line=line, key="zelfde")
            out[(row["a"].strip(), row["b"].strip())] = answer == "ja"
    return out
