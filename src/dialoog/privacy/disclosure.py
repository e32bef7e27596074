"""Disclosure control: what every chapter of a published report may show about interviews and people.

- counts below the study's threshold are never printed exactly (`display_count`, `count_text`, `share_text`);
- a breakdown (per role, per wijk) never lets a small cell be worked out from the total and the other cells:
  small groups are pooled (`pool_counts`, `breakdown_table`; `recoverable` checks a printed breakdown);
- `Disclosure` (one per gemeente) names a wijk beside a need, a quote or the number of interviews that
  mention an initiative only when that wijk has no or enough interviews, and a role under a quote only when
  that role has enough interviews (else "respondent").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd


def small(n: int, threshold: int) -> bool:
    return 0 < n < threshold


def display_count(n: int, threshold: int) -> str:
    """A count for a report: "< 5" when it is below the threshold (zero stays 0)."""
    return f"< {threshold}" if small(int(n), threshold) else str(int(n))


def count_text(n: int, threshold: int) -> str:
    """A count of interviews or people in running Dutch text: "minder dan 5" below the threshold."""
    return f"minder dan {threshold}" if small(int(n), threshold) else str(int(n))


def share_text(k: int, n: int, threshold: int, plural: str = "gesprekken") -> str:
    """'in 12 van de 20 gesprekken' for k of n interviews, without revealing a small count.

    Below the threshold: 'in minder dan 5 gesprekken' (with 'van de N' only when N is larger). When the
    complement (the interviews where it did *not* come up) is small, k is shown as a bound instead:
    'in meer dan 15 van de 20 gesprekken'. Zero and all are exact ('in geen van de ...', 'in alle ...').
    """
    k, n = int(k), int(n)
    if k == 0:
        return f"in geen van de {n} {plural}"
    if small(k, threshold):
        return (
            f"in minder dan {threshold} van de {n} {plural}" if n > threshold else f"in minder dan {threshold} {plural}"
        )
    if k == n:
        return f"in alle {n} {plural}"
    if small(n - k, threshold):
        return f"in meer dan {n - threshold} van de {n} {plural}"
    return f"in {k} van de {n} {plural}"


def share_label(k: int, n: int, threshold: int) -> str:
    """The short form of `share_text` for tables, figure labels and alt text: '< 5', '> 15', '12'."""
    k, n = int(k), int(n)
    if small(k, threshold):
        return f"< {threshold}"
    if k != n and small(n - k, threshold):
        return f"> {n - threshold}"
    return str(k)


def suppress_counts(df: pd.DataFrame, columns: list[str], threshold: int) -> pd.DataFrame:
    """A copy of `df` with counts below `threshold` in `columns` shown as "< threshold".

    When only one cell of a column would be hidden, the next smallest count is hidden as well, so the
    hidden one cannot be worked out from the total.
    """
    out = df.copy()
    for col in columns:
        values = df[col].astype(int)
        hide = values.map(lambda v: small(v, threshold))
        if hide.sum() == 1 and (values[~hide] > 0).any():
            hide[values[~hide & (values > 0)].idxmin()] = True
        out[col] = [f"< {threshold}" if h else str(v) for v, h in zip(values, hide, strict=True)]
    return out


# -- breakdowns that cannot be undone ---------------------------------------------------------------------

OTHER_WIJKEN = "overige wijken"
POOLED_SPEAKER = "respondent"


def pool_counts(counts: dict[str, int], threshold: int, other: str) -> dict[str, int] | None:
    """A breakdown (label -> count of interviews or people) in which no cell can be recovered.

    Every label with fewer than `threshold` is pooled under `other`; while that pool is itself below the
    threshold, the smallest label that was large enough joins it. The pool is then shown exactly (it is at
    least the threshold and holds two or more labels), so neither a small cell nor, from the total and the
    other cells, the pool's members can be worked out. None when no label can stay on its own: then the
    breakdown must be left out.
    """
    items = sorted(((k, int(v)) for k, v in counts.items() if int(v) > 0), key=lambda kv: (-kv[1], kv[0]))
    own = [k for k, v in items if v >= threshold]
    pooled = [k for k, v in items if v < threshold]
    if not pooled:
        return dict(items)
    while own and sum(counts[k] for k in pooled) < threshold:
        pooled.append(own.pop())
    if not own:
        return None
    out = {k: int(counts[k]) for k in own}
    out[other] = sum(int(counts[k]) for k in pooled)
    return out


def breakdown_table(
    df: pd.DataFrame, label: str, count: str, threshold: int, other: str
) -> tuple[pd.DataFrame | None, str]:
    """`df` (one row per label, a count column) pooled by `pool_counts`; with a Dutch note for the caption
    ('' when nothing was pooled). None when the breakdown cannot be shown without revealing a small cell."""
    counts = dict(zip(df[label].astype(str), df[count].astype(int), strict=True))
    pooled = pool_counts(counts, threshold, other)
    if pooled is None:
        return None, f"Uitsplitsing weggelaten: geen enkele groep heeft {threshold} of meer gesprekken."
    note = "" if pooled == counts else f"Groepen met minder dan {threshold} gesprekken zijn samengenomen als “{other}”."
    return pd.DataFrame({label: list(pooled), count: list(pooled.values())}), note


def recoverable(shown: list[str], total: int, threshold: int) -> bool:
    """Whether a breakdown as printed (cells such as '12' or '< 5') beside its exact `total` gives any hidden
    cell away: the hidden cells share total - visible, and each lies between 1 and threshold - 1."""
    hidden = [c for c in shown if str(c).strip().startswith("<")]
    if not hidden:
        return False
    rest = total - sum(int(c) for c in shown if str(c).strip().isdigit())
    k = len(hidden)
    low = max(1, rest - (k - 1) * (threshold - 1))
    high = min(threshold - 1, rest - (k - 1))
    return low >= high


@dataclass(frozen=True)
class Disclosure:
    """What a report of one gemeente may show: built once from its interviews (`of`), used by every chapter."""

    threshold: int
    per_role: dict[str, int]
    per_wijk: dict[str, int]
    role_groups: dict[str, str]
    quote_wijk: bool = False

    @classmethod
    def of(cls, data: Any) -> Disclosure:
        """From a `dialoog.study.analysis.GemeenteData` (or anything with interviews, threshold, quote_wijk)."""
        from dialoog.study.analysis import role_groups

        iv = data.interviews
        per_role = {str(k): int(v) for k, v in iv.groupby("rol")["id"].nunique().items()} if len(iv) else {}
        wijk = iv["wijk"].fillna("onbekend") if len(iv) else pd.Series(dtype=str)
        per_wijk = {str(k): int(v) for k, v in iv.assign(wijk=wijk).groupby("wijk")["id"].nunique().items()}
        return cls(
            data.small_cell_threshold, per_role, per_wijk, role_groups(data), bool(getattr(data, "quote_wijk", False))
        )

    def wijk_shown(self, wijk: str | None) -> bool:
        """A wijk may be named beside a need, quote or count only when it has no interviews (then nothing is
        revealed about a resident) or at least the threshold number."""
        if not wijk or wijk == "onbekend":
            return False
        return not small(self.per_wijk.get(wijk, 0), self.threshold)

    def speaker(self, rol: str, wijk: str | None = None) -> str:
        """The attribution of a quote: the role only when it has at least the threshold number of interviews
        (else 'respondent'), and the wijk only when the study allows it and the wijk is large enough."""
        group = self.role_groups.get(rol)
        who = rol if group == rol else POOLED_SPEAKER
        if self.quote_wijk and wijk and self.wijk_shown(wijk) and self.per_wijk.get(wijk, 0) >= self.threshold:
            who = f"{who}, {wijk}"
        return who

    def wijken(self, wijken: str) -> str:
        """A list of wijken ('A, B') beside a need: small wijken become 'overige wijken'."""
        parts = [w.strip() for w in str(wijken).split(",") if w.strip()]
        kept = [w for w in parts if w not in self.per_wijk or self.wijk_shown(w)]
        if len(kept) < len(parts):
            kept.append(OTHER_WIJKEN)
        return ", ".join(dict.fromkeys(kept))

    def count_beside_wijken(self, n: int, wijken: str) -> str:
        """The number of interviews mentioning something, beside the wijken it is in: '–' when one of those
        wijken has a small number of interviews (the wijk stays named: an initiative is public), else as
        `display_count`."""
        parts = [w.strip() for w in str(wijken).split(",") if w.strip()]
        if n and any(small(self.per_wijk.get(w, 0), self.threshold) for w in parts):
            return "–"
        return display_count(n, self.threshold)
