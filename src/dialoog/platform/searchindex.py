"""The prebuilt search index of the platform site: documents, facets and an inverted index.

The page's script (templates/assets/zoeken.js) reads it from ``assets/zoekindex.js``, a JSON object
assigned to ``window.PLATFORM_INDEX`` (a script, not a fetch, so the site also works from file://).

Shape::

    {"versie": 1,
     "facetten": {"gemeente": [...labels], "thema": [...], "doelgroep": [...], "soort": [...], "status": [...]},
     "docs": [{"n": name, "u": url, "g": gemeente index, "t": [theme indexes], "d": [doelgroep indexes],
               "s": soort index, "st": status index, "w": 1 if it is reported to work, "x": a short text}],
     "woorden": [sorted tokens], "posting": [[doc, weight, doc delta, weight, ...] per token]}

Tokens: lower case, accents removed, split on anything but a-z and 0-9 (zoeken.js does the same); the
page matches a query word as a prefix of tokens. Weights: 3 in the name, 2 in gemeente, wijken and
organisations, 1 in the other texts and the labels of its kind, doelgroepen and themes.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict

from dialoog.inventory.registers import KINDS, STATUSES, TARGET_GROUPS
from dialoog.platform.model import THEMES, Initiatief

SNIPPET = 160


def tokens(text: str) -> list[str]:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return [t for t in re.split(r"[^a-z0-9]+", plain) if t]


def _snippet(i: Initiatief) -> str:
    text = i.doel or i.werkt or i.aanpak
    text = text[:1].upper() + text[1:]
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1].rsplit(" ", 1)[0] + "…"


def build_index(initiatives: list[Initiatief], gemeenten: list[str], url) -> dict:
    """The index of `initiatives`; `gemeenten` are the names in facet order, `url(i)` a page's path."""
    facets = {
        "gemeente": gemeenten,
        "thema": [label for label, _ in THEMES.values()],
        "doelgroep": list(TARGET_GROUPS.values()),
        "soort": list(KINDS.values()),
        "status": list(STATUSES.values()),
    }
    g_pos = {name: n for n, name in enumerate(gemeenten)}
    t_pos, d_pos = {t: n for n, t in enumerate(THEMES)}, {g: n for n, g in enumerate(TARGET_GROUPS)}
    k_pos, s_pos = {k: n for n, k in enumerate(KINDS)}, {s: n for n, s in enumerate(STATUSES)}
    docs = []
    postings: dict[str, dict[int, int]] = defaultdict(dict)
    for n, i in enumerate(initiatives):
        docs.append(
            {
                "n": i.naam,
                "u": url(i),
                "g": g_pos[i.gemeente],
                "t": [t_pos[t] for t in i.themas],
                "d": [d_pos[d] for d in i.doelgroepen],
                "s": k_pos[i.soort],
                "st": s_pos[i.status],
                "w": 1 if i.reported_to_work else 0,
                "x": _snippet(i),
            }
        )
        fields = (
            (3, [i.naam]),
            (2, [i.gemeente, *i.wijken, *i.organisaties, *i.ook_bekend_als]),
            (1, [i.doel, i.aanpak, i.werkt, i.werkt_niet, *i.werkzame_elementen, i.contact_organisatie]),
            (1, [KINDS[i.soort], *(TARGET_GROUPS[g] for g in i.doelgroepen), *(THEMES[t][0] for t in i.themas)]),
        )
        for weight, texts in fields:
            for text in texts:
                for tok in tokens(text):
                    if postings[tok].get(n, 0) < weight:
                        postings[tok][n] = weight
    words = sorted(postings)
    flat = []
    for w in words:
        row, last = [], 0
        for doc in sorted(postings[w]):
            row += [doc - last, postings[w][doc]]
            last = doc
        flat.append(row)
    return {"versie": 1, "facetten": facets, "docs": docs, "woorden": words, "posting": flat}


def index_script(index: dict) -> str:
    """The index as a script for the page (compact JSON; '<' escaped so no text can end the script)."""
    payload = json.dumps(index, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f"window.PLATFORM_INDEX={payload};\n"
