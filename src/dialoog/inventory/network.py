"""The local network of a gemeente: which organisations belong to the LHBT network, which are not tied to
it, and which expected ties are missing; with the tables of organisations and ties."""

from __future__ import annotations

import pandas as pd

from dialoog.inventory.model import ORG_KINDS, Inventory, Organisation, Tie


def lhbt_network(inv: Inventory) -> set[str]:
    return {o.id for o in inv.organisations if o.lhbt_netwerk}


def unconnected_organisations(inv: Inventory) -> list[Organisation]:
    """Organisations outside the LHBT network with no tie (either way) to an organisation in it."""
    core = lhbt_network(inv)
    linked = {t.van for t in inv.ties if t.naar in core} | {t.naar for t in inv.ties if t.van in core}
    return [o for o in inv.organisations if o.id not in core and o.id not in linked]


def missing_ties(inv: Inventory) -> list[Tie]:
    """Expected ties (netwerk.yaml `verwacht`) with no tie of that kind between the two, in either direction."""
    have = {(t.van, t.naar, t.soort) for t in inv.ties} | {(t.naar, t.van, t.soort) for t in inv.ties}
    return [t for t in inv.expected if (t.van, t.naar, t.soort) not in have]


def organisations_table(inv: Inventory) -> pd.DataFrame:
    rows = [
        {"id": o.id, "naam": o.naam, "soort": ORG_KINDS[o.soort], "LHBT-netwerk": "ja" if o.lhbt_netwerk else "nee"}
        for o in inv.organisations
    ]
    return pd.DataFrame(rows, columns=["id", "naam", "soort", "LHBT-netwerk"])


def ties_table(inv: Inventory) -> pd.DataFrame:
    names = {o.id: o.naam for o in inv.organisations}
    missing = {(t.van, t.naar, t.soort) for t in missing_ties(inv)}
    rows = [
        {
            "van": names[t.van],
            "naar": names[t.naar],
            "soort": t.soort,
            "status": "bestaat",
            "fragmenten": " ".join(str(x) for x in t.fragmenten),
            "toelichting": t.toelichting,
        }
        for t in inv.ties
    ] + [
        {
            "van": names[t.van],
            "naar": names[t.naar],
            "soort": t.soort,
            "status": "ontbreekt (verwacht)",
            "fragmenten": "",
            "toelichting": t.toelichting,
        }
        for t in inv.expected
        if (t.van, t.naar, t.soort) in missing
    ]
    return pd.DataFrame(rows, columns=["van", "naar", "soort", "status", "fragmenten", "toelichting"])
