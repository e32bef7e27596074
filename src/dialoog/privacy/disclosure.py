"""Disclosure control: how counts of interviews and people may appear in a published report."""

from __future__ import annotations

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
