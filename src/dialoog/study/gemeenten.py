"""Dutch municipalities (CBS 2025) and their wijken, and the slugs used for folders.

Source: CBS Wijk- en buurtkaart 2025, CC BY 4.0 (copied into `dialoog/data/`).
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from dialoog.errors import DialoogError


@dataclass(frozen=True)
class Gemeente:
    code: str  # CBS code, e.g. GM0606
    name: str  # CBS spelling, e.g. "Súdwest-Fryslân"
    provincie: str

    @property
    def slug(self) -> str:
        return slugify(self.name)


def slugify(name: str) -> str:
    """'Súdwest-Fryslân' -> 'sudwest-fryslan'; "'s-Hertogenbosch" -> 's-hertogenbosch'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug


def _read_csv(name: str) -> list[dict[str, str]]:
    with resources.files("dialoog.data").joinpath(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def all_gemeenten() -> tuple[Gemeente, ...]:
    rows = _read_csv("gemeenten_2025.csv")
    return tuple(Gemeente(r["gm_code"], r["gm_naam"], r["provincie"]) for r in rows)


@cache
def _by_slug() -> dict[str, Gemeente]:
    return {g.slug: g for g in all_gemeenten()}


def find_gemeente(name: str) -> Gemeente:
    """Look a municipality up by name, slug or CBS code, ignoring case and accents."""
    key = name.strip()
    for g in all_gemeenten():
        if key.upper() == g.code:
            return g
    found = _by_slug().get(slugify(key))
    if found is not None:
        return found
    close = difflib.get_close_matches(slugify(key), list(_by_slug()), n=3, cutoff=0.75)
    suggestion = ", ".join(_by_slug()[s].name for s in close)
    raise DialoogError(
        f"'{name}' is not a Dutch municipality in the CBS list of 2025",
        hint=(f"did you mean: {suggestion}?" if suggestion else "use the name as CBS spells it, e.g. 'Schiedam'"),
    )


def _strip_wijk_prefix(name: str) -> str:
    return re.sub(r"^wijk \d{2} ", "", name, flags=re.IGNORECASE)


@cache
def wijken(gemeente_code: str) -> tuple[str, ...]:
    """The CBS wijk names of a municipality (without the 'Wijk NN ' prefix); empty if not known."""
    rows = _read_csv("wijken_2025_groningen_schiedam_sudwest-fryslan.csv")
    return tuple(_strip_wijk_prefix(r["statnaam"]) for r in rows if r["gmCode"] == gemeente_code)


def match_wijk(gemeente: Gemeente, wijk: str) -> str | None:
    """The CBS name of `wijk` in `gemeente` (case-insensitive, prefix optional).

    Returns None when the wijk is not in the CBS list; returns `wijk` unchanged when the project
    has no wijk list for that municipality.
    """
    known = wijken(gemeente.code)
    if not known:
        return wijk
    wanted = slugify(_strip_wijk_prefix(wijk))
    for w in known:
        if slugify(w) == wanted:
            return w
    return None
