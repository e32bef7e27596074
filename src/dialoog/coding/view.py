"""What the coder widget shows, as plain data: transcripts, the codebook with a colour per code, codings,
suggestions, and Dutch messages for errors. `dialoog.coding.widget` sends these to the browser.

Offsets are character offsets (code points) into the transcript body, as everywhere in dialoog; the
browser converts them where JavaScript counts UTF-16 units.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dialoog.errors import DialoogError
from dialoog.study.codebook import Codebook
from dialoog.study.codings import Coding
from dialoog.study.transcripts import ROLES, Transcript

#: colour-blind-safe palettes: Okabe & Ito (2008), then Paul Tol's "muted" scheme
PALETTE = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)


def colours(cb: Codebook) -> dict[str, str]:
    """One colour per code: the codebook's `color`, else the next palette colour not used by the codebook."""
    taken = {c.color.upper() for c in cb.codes.values() if c.color}
    free = [c for c in PALETTE if c.upper() not in taken] or list(PALETTE)
    out: dict[str, str] = {}
    i = 0
    for code in cb.walk():
        if code.color:
            out[code.id] = code.color
        else:
            out[code.id] = free[i % len(free)]
            i += 1
    return out


def codebook_state(cb: Codebook) -> list[dict]:
    """The codebook in walk order (parents before children), with path, depth and colour of each code."""
    colour = colours(cb)
    out = []
    for code in cb.walk():
        path = " › ".join(cb.label(a) for a in [*reversed(cb.ancestors(code.id)), code.id])
        out.append(
            {
                "id": code.id,
                "label": code.label,
                "path": path,
                "depth": cb.depth(code.id),
                "color": colour[code.id],
                "description": code.description,
                "use_when": code.use_when,
                "not_when": code.not_when,
                "examples": list(code.examples),
            }
        )
    return out


def transcript_state(t: Transcript | None) -> dict:
    """One transcript for the browser: turns as [start, end, speaker, text]."""
    if t is None:
        return {}
    return {
        "id": t.id,
        "gemeente": t.gemeente,
        "rol": ROLES.get(t.role, t.role),
        "wijk": t.wijk or "",
        "words": t.word_count(),
        "turns": [[turn.start, turn.end, turn.speaker, turn.text] for turn in t.turns],
    }


def coding_key(c: Coding) -> str:
    return f"{c.coder}|{c.start}|{c.end}|{c.code}"


def codings_state(own: Iterable[Coding], others: Iterable[Coding]) -> list[dict]:
    """Codings for the browser; `own` marks those the coder may remove or re-code."""
    out = []
    for mine, rows in ((True, own), (False, others)):
        for c in rows:
            out.append(
                {
                    "k": coding_key(c),
                    "s": c.start,
                    "e": c.end,
                    "code": c.code,
                    "coder": c.coder,
                    "memo": c.memo,
                    "ts": c.timestamp,
                    "own": mine,
                }
            )
    out.sort(key=lambda r: (r["s"], -r["e"], r["code"], r["coder"]))
    return out


def rank_suggestions(suggestions: Iterable) -> list:
    """Suggestions best first: by `rank` when the assistant gives one, else by probability or score."""

    def order(s) -> tuple:
        rank = getattr(s, "rank", None)
        prob = getattr(s, "probability", None)
        value = prob if prob is not None else getattr(s, "score", 0.0)
        return (rank if rank is not None else 10**9, -float(value or 0.0), s.start, s.code)

    return sorted(suggestions, key=order)


def suggestions_state(suggestions: list, cb: Codebook) -> list[dict]:
    """Ranked suggestions for the browser; index `i` refers back to the list the widget keeps."""
    out = []
    for i, s in enumerate(suggestions):
        prob = getattr(s, "probability", None)
        value = prob if prob is not None else getattr(s, "score", None)
        out.append(
            {
                "i": i,
                "s": s.start,
                "e": s.end,
                "code": s.code,
                "label": cb.label(s.code) if s.code in cb else s.code,
                "p": round(float(value), 3) if value is not None else None,
                "reason": str(getattr(s, "reason", "") or ""),
                "source": str(getattr(s, "source", "") or ""),
            }
        )
    return out


# -- Dutch messages ------------------------------------------------------------------------------

#: English details of library errors the coder may meet, in Dutch (the detail never quotes study text)
DUTCH = (
    (r"invalid coder name '(.*)'", "ongeldige codeursnaam '{0}'"),
    (
        r"the file is locked by another session for more than (\d+) seconds",
        "het bestand is al {0} seconden vergrendeld door een andere sessie",
    ),
    (r"unexpected header", "onverwachte kopregel"),
    (r"expected (\d+) columns, found (\d+)", "{0} kolommen verwacht, {1} gevonden"),
    (r"start and end must be whole numbers", "start en end moeten hele getallen zijn"),
    (r"unknown code '(.*)'", "onbekende code '{0}'"),
    (r"unknown transcript '(.*)'", "onbekend gesprek '{0}'"),
    (
        r"(\d+) suggestion\(s\) no longer match transcript '(.*)'",
        "{0} suggestie(s) passen niet meer bij gesprek '{1}'; voer 'dialoog suggest' opnieuw uit",
    ),
    (
        r"the suggestion no longer matches transcript '(.*)'",
        "de suggestie past niet meer bij gesprek '{0}'; voer 'dialoog suggest' opnieuw uit",
    ),
    (r"unknown parent '(.*)'", "onbekende bovenliggende code '{0}'"),
    (r"invalid code id '(.*)'", "ongeldig code-id '{0}'"),
    (r"code id '(.*)' already exists", "code-id '{0}' bestaat al"),
    (r"cannot move '(.*)' under its own subcode '(.*)'", "'{0}' kan niet onder zijn eigen subcode '{1}'"),
    (r"a code cannot be merged into itself", "een code kan niet met zichzelf worden samengevoegd"),
    (r"'(.*)' is a subcode of '(.*)'", "'{0}' is een subcode van '{1}'"),
    (r"code #(\d+) has no (.*)", "code nr. {0} heeft geen {1}"),
    (r"must be text", "moet tekst zijn"),
    (r"codebook not found", "codeboek niet gevonden"),
)
HINTS = (
    (r"use letters, digits.*", "gebruik letters, cijfers, '-' of '_', bijvoorbeeld 'anouk'"),
    (
        r"close the other notebook.*",
        "sluit het andere notebook, of verwijder het .lock-bestand als er geen sessie meer loopt",
    ),
    (r"the first row must be: (.*)", "de eerste regel moet zijn: {0}"),
    (r"use lower-case letters, digits and '-', e.g. '(.*)'", "gebruik kleine letters, cijfers en '-', bijv. '{0}'"),
    (r"move it out first, or merge the other way", "verplaats hem eerst, of voeg andersom samen"),
    (r"a study needs codebook/codebook.yaml.*", "een studie heeft codebook/codebook.yaml nodig; zie de README"),
)


def _translate(text: str, table: tuple) -> str:
    for pattern, dutch in table:
        m = re.fullmatch(pattern, text, flags=re.S)
        if m:
            return dutch.format(*m.groups())
    return text


def dutch_message(exc: DialoogError) -> str:
    """The error in Dutch for the coder's status line: where (file, line, key), what, and what to do."""
    where = []
    if exc.path is not None:
        where.append(f"bestand {exc.path.name}")
    if exc.line is not None:
        where.append(f"regel {exc.line}")
    if exc.key is not None and exc.path is not None:
        where.append(f"sleutel '{exc.key}'")
    text = _translate(exc.detail, DUTCH)
    text = text[:1].upper() + text[1:]
    if where:
        text = f"{text} ({', '.join(where)})"
    if exc.hint:
        text += f". Wat te doen: {_translate(exc.hint, HINTS)}"
    return text
