"""Merge platform exports of several municipalities into one, recognising the same initiative across them.

- Per municipality the newest export wins (by the date of its source; on a tie, the later file given):
  its initiatives and gaps replace those of older exports, so an initiative that was removed or marked
  `publiceerbaar: false` since does not live on. Records that appear in several exports keep every
  source in `herkomst`.
- Initiatives of the same kind that share a word of their names and a doelgroep are compared by their
  normalised names (with aliases; place names, punctuation and small words removed) and organisations
  (rapidfuzz token-set and token-sort similarity, 0-100). Initiatives with the same normalised name and
  organisations are one initiative; both scores at least SAME: the same initiative (one `groep`). One of
  them SAME and the name at least UNCERTAIN: uncertain, listed once per pair of groups for review; a
  reviewer writes `ja` or `nee` in the column `zelfde` and passes the file back with `--decisions`.
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

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text
from dialoog.platform.model import GemeenteExport, Herkomst, Initiatief, PlatformExport
from dialoog.study.gemeenten import all_gemeenten, wijken

#: both scores at least this: the same initiative
SAME = 88
#: the name at least this and one of the two scores SAME: uncertain, for review
UNCERTAIN = 75
SMALL_WORDS = {"de", "het", "een", "van", "voor", "in", "op", "met", "bij", "en", "door", "aan", "te", "s", "of"}
REGIONS = {"noord nederland", "friesland", "fryslan", "drenthe", "noord holland", "zuid holland", "brabant", "limburg"}
REVIEW_COLUMNS = [
    "a", "b", "naam_a", "naam_b", "gemeente_a", "gemeente_b", "organisaties_a", "organisaties_b",
    "naam_score", "organisatie_score", "zelfde",
]  # fmt: skip


def _plain(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


@cache
def _national_places() -> set[str]:
    return {_plain(g.name) for g in all_gemeenten()} | {_plain(g.provincie) for g in all_gemeenten()} | REGIONS


@cache
def _places(gemeente_code: str) -> re.Pattern:
    """A pattern of every municipality, province and region name and the wijken of `gemeente_code`."""
    names = _national_places() | {_plain(w) for w in wijken(gemeente_code)}
    alternatives = "|".join(re.escape(n) for n in sorted(names - {""}, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


def normalise(text: str, gemeente_code: str = "") -> str:
    """'Roze in Blauw Noord-Nederland' -> 'roze blauw': lower case, no accents, places or small words."""
    plain = _places(gemeente_code).sub(" ", _plain(text))
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


def _orgs(i: Initiatief) -> list[str]:
    return [normalise(o, i.gemeente_code) or _plain(o) for o in i.organisaties]


Signature = tuple[str, tuple[str, ...], tuple[str, ...]]


def _signature(i: Initiatief) -> Signature:
    """Kind, normalised names and organisations: initiatives with one signature are the same initiative."""
    return (i.soort, tuple(sorted(set(_names(i)))), tuple(sorted(set(_orgs(i)))))


def _org_score(a: Signature, b: Signature) -> float:
    return max((fuzz.token_set_ratio(x, y) for x in a[2] for y in b[2]), default=0.0)


def _name_scores(block: list[Signature]) -> dict[tuple[int, int], float]:
    """(k, m) -> name similarity of signatures k < m of one block, for pairs at least UNCERTAIN.

    Every name and alias is a row; rapidfuzz scores all rows against all (in C), the best row pair counts.
    """
    rows = [(k, name) for k, sig in enumerate(block) for name in sig[1]]
    if len(rows) < 2:
        return {}
    names = [name for _, name in rows]
    matrix = (cdist(names, names, scorer=fuzz.token_set_ratio) + cdist(names, names, scorer=fuzz.token_sort_ratio)) / 2
    owner = np.array([k for k, _ in rows])
    out: dict[tuple[int, int], float] = {}
    for r, c in np.argwhere(matrix >= UNCERTAIN):
        k, m = owner[r], owner[c]
        if k < m and matrix[r, c] > out.get((k, m), -1):
            out[(int(k), int(m))] = float(matrix[r, c])
    return out


def signature_pairs(
    initiatives: list[Initiatief],
) -> tuple[dict[Signature, list[Initiatief]], list[tuple[Signature, Signature, float, float]]]:
    """Initiatives by signature, and the scored pairs of signatures of one kind with a shared doelgroep
    (`lhbt`, LHBT's in general, shares with every one) whose names are at least UNCERTAIN alike."""
    sigs: dict[Signature, list[Initiatief]] = defaultdict(list)
    for i in initiatives:
        sigs[_signature(i)].append(i)
    groups = {sig: {g for i in members for g in i.doelgroepen} for sig, members in sigs.items()}
    by_kind: dict[str, list[Signature]] = defaultdict(list)
    for sig in sigs:
        by_kind[sig[0]].append(sig)
    pairs = []
    for block in by_kind.values():
        for (k, m), name in _name_scores(block).items():
            a, b = block[k], block[m]
            if not (groups[a] & groups[b] or "lhbt" in groups[a] | groups[b]):
                continue
            org = _org_score(a, b)
            if max(name, org) >= SAME:
                pairs.append((a, b, round(name, 1), round(org, 1)))
    return sigs, pairs


def _newest(sources: list[tuple[str, PlatformExport]]) -> dict[str, tuple[int, str, PlatformExport]]:
    """Per gemeente slug: the index, file name and export of its newest source (by the gemeente's own
    provenance, so that a merged file given again counts with the dates of its parts)."""
    best: dict[str, tuple[tuple, int, str, PlatformExport]] = {}
    for n, (name, exp) in enumerate(sources):
        for g in exp.gemeenten:
            date = max((h.datum for h in g.herkomst), default=max(h.datum for h in exp.bronnen))
            if g.slug not in best or (date, n) >= best[g.slug][0]:
                best[g.slug] = ((date, n), n, name, exp)
    return {slug: (n, name, exp) for slug, (_, n, name, exp) in best.items()}


def _with_file(herkomst: list[Herkomst], name: str) -> list[Herkomst]:
    return [h if h.bestand else h.model_copy(update={"bestand": name}) for h in herkomst]


def _union(*lists: list[Herkomst]) -> list[Herkomst]:
    out: dict[tuple, Herkomst] = {}
    for lst in lists:
        for h in lst:
            out.setdefault((h.uitgever, h.datum, h.bestand), h)
    return sorted(out.values(), key=lambda h: (h.datum, h.uitgever))


class _Groups:
    """Union-find over initiative ids; a group is named after its smallest member id."""

    def __init__(self, ids: list[str]) -> None:
        self.parent = {x: x for x in ids}

    def root(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def names(self) -> dict[str, str]:
        members: dict[str, list[str]] = defaultdict(list)
        for x in self.parent:
            members[self.root(x)].append(x)
        return {x: f"groep/{r}" for r, xs in members.items() if len(xs) > 1 for x in xs}


def _match(
    initiatives: list[Initiatief], decisions: dict[tuple[str, str], bool]
) -> tuple[dict[str, str], list[Candidate]]:
    """Group ids per initiative, and the uncertain matches between groups still to review.

    One signature is one group (when it spans two or more municipalities); two signatures with both
    scores >= SAME join; an uncertain pair becomes one review row per pair of groups, named by the
    groups' first members, which is also how a decision (a, b) refers to it.
    """
    sigs, pairs = signature_pairs(initiatives)
    groups = _Groups([i.id for i in initiatives])
    spans = {sig: len({i.gemeente_code for i in members}) for sig, members in sigs.items()}
    for sig, members in sigs.items():
        if spans[sig] > 1:
            for m in members[1:]:
                groups.join(members[0].id, m.id)
    uncertain = []
    for a, b, name, org in pairs:
        if name >= SAME and org >= SAME:
            groups.join(sigs[a][0].id, sigs[b][0].id)
        else:
            uncertain.append((a, b, name, org))
    by_id = {i.id: i for i in initiatives}
    review: dict[tuple[str, str], Candidate] = {}
    for a, b, name, org in uncertain:
        ra, rb = sorted((groups.root(sigs[a][0].id), groups.root(sigs[b][0].id)))
        if ra == rb or by_id[ra].gemeente_code == by_id[rb].gemeente_code and spans[a] == spans[b] == 1:
            continue
        decided = decisions.get((ra, rb), decisions.get((rb, ra)))
        if decided is True:
            groups.join(ra, rb)
        elif decided is None and ((ra, rb) not in review or review[(ra, rb)].name_score < name):
            review[(ra, rb)] = Candidate(by_id[ra], by_id[rb], name, org)
    rows = [c for c in review.values() if groups.root(c.a.id) != groups.root(c.b.id)]
    return groups.names(), sorted(rows, key=lambda c: (-c.name_score, c.a.id, c.b.id))


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
    for slug, (_, _name, exp) in sorted(newest.items()):
        g = next(x for x in exp.gemeenten if x.slug == slug)
        gemeenten.append(g.model_copy(update={"herkomst": _union(seen[slug])}))
        for i in exp.initiatieven:
            if i.gemeente_slug == slug:
                initiatives.append(i.model_copy(update={"herkomst": _union(seen[i.id]), "groep": ""}))
    group, review = _match(initiatives, decisions)
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
                c.a.id,
                c.b.id,
                c.a.naam,
                c.b.naam,
                c.a.gemeente,
                c.b.gemeente,
                "; ".join(c.a.organisaties),
                "; ".join(c.b.organisaties),
                c.name_score,
                c.org_score,
                "",
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
