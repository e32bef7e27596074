"""Per gap of a municipality: initiatives elsewhere that address the same doelgroep or need and work.

"Reported to work": the register says what works (`werkt`) and the initiative is not just an idea.
Candidates share a doelgroep or theme with the gap (needs and stopped initiatives also by words of the
need); network gaps get network and training initiatives for professionals, the gap of wijken without
an initiative gets initiatives that take place in a wijk. Ranking: shared doelgroepen, then themes and
words, then the strength of the evidence (research, external or own evaluation, werkzame elementen,
running). One initiative per group (the same initiative in several municipalities counts once).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from dialoog.platform.model import Initiatief, LegePlek, PlatformExport

#: the evidence an evaluation adds to a candidate's rank
EVIDENCE = {"onderzoek": 3, "extern": 2, "eigen": 1, "geen": 0}
#: how many candidates per key (doelgroep, theme) are scored for one gap
POOL = 30
SMALL = {"voor", "met", "niet", "door", "zijn", "ook", "meer", "naar", "over", "waar", "elke", "een", "het", "van"}


def words(text: str) -> set[str]:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return {w for w in re.split(r"[^a-z0-9]+", plain) if len(w) >= 4 and w not in SMALL}


def _quality(i: Initiatief) -> int:
    ev = EVIDENCE[i.evaluatie.vorm] if i.evaluatie else 0
    return ev + (1 if i.werkzame_elementen else 0) + (1 if i.status == "lopend" else 0)


class Matcher:
    """Index of the initiatives that work, built once per site."""

    def __init__(self, export: PlatformExport) -> None:
        working = [i for i in export.initiatieven if i.reported_to_work]
        working.sort(key=lambda i: (-_quality(i), i.naam, i.id))
        self.words = {i.id: words(" ".join([i.naam, i.doel, i.werkt, *i.werkzame_elementen])) for i in working}
        self.sets = {i.id: (frozenset(i.doelgroepen), frozenset(i.themas), _quality(i)) for i in working}
        self.by_key: dict[str, list[Initiatief]] = defaultdict(list)
        for i in working:
            for g in i.doelgroepen:
                self.by_key[f"d:{g}"].append(i)
            for t in i.themas:
                self.by_key[f"t:{t}"].append(i)
            if i.wijken:
                self.by_key["wijk"].append(i)
            if i.soort in {"netwerk", "training-professionals"}:
                self.by_key["netwerk"].append(i)

    def _pool(self, keys: list[str], gemeente: str) -> list[Initiatief]:
        seen: dict[str, Initiatief] = {}
        for key in keys:
            taken = 0
            for i in self.by_key.get(key, []):
                if i.gemeente_slug == gemeente:
                    continue
                seen.setdefault(i.id, i)
                taken += 1
                if taken >= POOL:
                    break
        return list(seen.values())

    def for_gap(self, gap: LegePlek, gemeente: str, limit: int = 5) -> list[Initiatief]:
        if gap.soort == "wijken":
            keys = ["wijk"]
        elif gap.soort in {"organisatie", "band"}:
            keys = ["netwerk"]
        else:
            specific = [g for g in gap.doelgroepen if g != "lhbt"] or list(gap.doelgroepen)
            keys = [f"d:{g}" for g in specific] + [f"t:{t}" for t in gap.themas]
        gap_words = words(gap.omschrijving)
        groups, themes = set(gap.doelgroepen), set(gap.themas)

        def score(i: Initiatief) -> tuple:
            doelgroepen, themas, quality = self.sets[i.id]
            return (
                -(3 * len(groups & doelgroepen) + 2 * len(themes & themas)),
                -len(gap_words & self.words[i.id]),
                -quality,
                i.naam,
                i.id,
            )

        out, groups_seen = [], set()
        for i in sorted(self._pool(keys, gemeente), key=score):
            if i.groep and i.groep in groups_seen:
                continue
            groups_seen.add(i.groep)
            out.append(i)
            if len(out) >= limit:
                break
        return out
