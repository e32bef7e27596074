"""The gaps (lege plekken) of an inventory: needs without a running initiative, stopped initiatives whose
need remains, target groups and wijken without an initiative, and the network's gaps; the tables of the
registers and their export to Excel."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dialoog.inventory.model import KINDS, ORG_KINDS, TARGET_GROUPS, Initiative, Inventory, Need, _wijk_text
from dialoog.inventory.network import missing_ties, organisations_table, ties_table, unconnected_organisations
from dialoog.study.gemeenten import wijken


def need_coverage(inv: Inventory) -> pd.DataFrame:
    """One row per need: its coverage `dekking` (beantwoord, alleen idee, alleen gestopt, open) and the answers."""
    status = {i.id: i.status for i in inv.initiatives}
    rows = []
    for n in inv.needs:
        answers = [inv.initiative(a) for a in n.beantwoord_door]
        statuses = {status[a] for a in n.beantwoord_door}
        if "lopend" in statuses:
            dekking = "beantwoord"
        elif "idee" in statuses:
            dekking = "alleen idee"
        elif "gestopt" in statuses:
            dekking = "alleen gestopt"
        else:
            dekking = "open"
        rows.append(
            {
                "id": n.id,
                "behoefte": n.behoefte,
                "doelgroepen": ", ".join(TARGET_GROUPS[g] for g in n.doelgroepen),
                "wijken": _wijk_text(n.wijken),
                "fragmenten": len(n.fragmenten),
                "initiatieven": ", ".join(f"{a.naam} ({a.status})" for a in answers) or "geen",
                "dekking": dekking,
            }
        )
    return pd.DataFrame(
        rows, columns=["id", "behoefte", "doelgroepen", "wijken", "fragmenten", "initiatieven", "dekking"]
    )


def unanswered_needs(inv: Inventory) -> list[Need]:
    """Needs that no running initiative answers (none at all, only ideas, or only stopped ones)."""
    cov = need_coverage(inv)
    open_ids = set(cov.loc[cov["dekking"] != "beantwoord", "id"])
    return [n for n in inv.needs if n.id in open_ids]


def stopped_while_needed(inv: Inventory) -> list[tuple[Initiative, Need]]:
    """Stopped initiatives that answered a need which no running initiative answers now."""
    out = []
    for n in unanswered_needs(inv):
        for ref in n.beantwoord_door:
            init = inv.initiative(ref)
            if init.status == "gestopt":
                out.append((init, n))
    return out


def _running(inv: Inventory) -> list[Initiative]:
    return [i for i in inv.initiatives if i.status == "lopend"]


def groups_without_initiative(inv: Inventory) -> list[str]:
    """Target groups (except `lhbt`, LHBT's in general) that no running initiative names."""
    served = {g for i in _running(inv) for g in i.doelgroepen}
    return [g for g in TARGET_GROUPS if g != "lhbt" and g not in served]


def wijken_without_initiative(inv: Inventory) -> list[str]:
    """CBS wijken where no running initiative takes place in the wijk itself (whole-gemeente ones do not count)."""
    served = {w for i in _running(inv) for w in i.wijken}
    return [w for w in wijken(inv.gemeente.code) if w not in served]


def coverage_matrix(inv: Inventory, by: str = "doelgroep", running_only: bool = True) -> pd.DataFrame:
    """Number of initiatives per target group (`by="doelgroep"`) or wijk (`by="wijk"`) and kind."""
    rows = []
    for i in inv.initiatives:
        if running_only and i.status != "lopend":
            continue
        keys = [TARGET_GROUPS[g] for g in i.doelgroepen] if by == "doelgroep" else [_wijk_text([w]) for w in i.wijken]
        rows.extend({"rij": k, "soort": KINDS[i.soort]} for k in keys)
    if by == "doelgroep":
        index = list(TARGET_GROUPS.values())
    else:
        index = ["hele gemeente", *wijken(inv.gemeente.code)]
    df = pd.DataFrame(rows, columns=["rij", "soort"])
    table = pd.crosstab(df["rij"], df["soort"]) if not df.empty else pd.DataFrame()
    table = table.reindex(index=index, columns=list(KINDS.values()), fill_value=0).fillna(0).astype(int)
    if by == "wijk":  # keep the wijken with an initiative; the others are listed as gaps
        table = table[(table.sum(axis=1) > 0) | (table.index == "hele gemeente")]
    table.index.name, table.columns.name = None, None
    return table


def initiatives_table(inv: Inventory) -> pd.DataFrame:
    names = {o.id: o.naam for o in inv.organisations}
    rows = [
        {
            "id": i.id,
            "naam": i.naam,
            "organisatie": names.get(i.organisatie, i.organisatie),
            "soort": KINDS[i.soort],
            "doelgroepen": ", ".join(TARGET_GROUPS[g] for g in i.doelgroepen),
            "wijken": _wijk_text(i.wijken),
            "status": i.status,
            "sinds": i.sinds or "",
            "tot": i.tot or "",
            "bereik": i.bereik,
            "wat werkt": i.werkt,
            "wat werkt niet": i.werkt_niet,
            "fragmenten": " ".join(str(x) for x in i.fragmenten),
        }
        for i in inv.initiatives
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "naam",
            "organisatie",
            "soort",
            "doelgroepen",
            "wijken",
            "status",
            "sinds",
            "tot",
            "bereik",
            "wat werkt",
            "wat werkt niet",
            "fragmenten",
        ],
    )


def gaps_table(inv: Inventory) -> pd.DataFrame:
    """Every gap of the inventory as one row: soort lege plek, wat, toelichting."""
    rows = []
    for n in unanswered_needs(inv):
        rows.append(
            {
                "lege plek": "behoefte zonder lopend initiatief",
                "wat": n.behoefte,
                "toelichting": f"doelgroepen: {', '.join(TARGET_GROUPS[g] for g in n.doelgroepen)}; "
                f"wijken: {_wijk_text(n.wijken)}",
            }
        )
    for init, n in stopped_while_needed(inv):
        rows.append(
            {
                "lege plek": "initiatief gestopt, behoefte blijft",
                "wat": init.naam,
                "toelichting": f"gestopt{f' in {init.tot}' if init.tot else ''}; behoefte: {n.behoefte}",
            }
        )
    for g in groups_without_initiative(inv):
        rows.append({"lege plek": "doelgroep zonder lopend initiatief", "wat": TARGET_GROUPS[g], "toelichting": ""})
    ws = wijken_without_initiative(inv)
    if ws:
        rows.append(
            {
                "lege plek": "wijken zonder initiatief in de wijk zelf",
                "wat": f"{len(ws)} wijken",
                "toelichting": ", ".join(ws),
            }
        )
    for o in unconnected_organisations(inv):
        rows.append(
            {
                "lege plek": "organisatie zonder band met het LHBT-netwerk",
                "wat": o.naam,
                "toelichting": ORG_KINDS[o.soort],
            }
        )
    names = {o.id: o.naam for o in inv.organisations}
    for t in missing_ties(inv):
        rows.append(
            {
                "lege plek": "verwachte band ontbreekt",
                "wat": f"{names[t.van]} – {names[t.naar]}",
                "toelichting": t.soort + (f": {t.toelichting}" if t.toelichting else ""),
            }
        )
    return pd.DataFrame(rows, columns=["lege plek", "wat", "toelichting"])


def export_excel(inv: Inventory, out: Path) -> None:
    """Write the registers and their gaps to one Excel workbook (one sheet each), atomically."""
    import io

    from openpyxl.utils import get_column_letter

    from dialoog.fileio import atomic_write_bytes

    sheets = {
        "Initiatieven": initiatives_table(inv),
        "Behoeften": need_coverage(inv),
        "Organisaties": organisations_table(inv),
        "Banden": ties_table(inv),
        "Lege plekken": gaps_table(inv),
    }
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in sheets.items():
            df.to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            ws.freeze_panes = "A2"
            for col, header in enumerate(df.columns, start=1):
                width = max([len(str(header)), *(len(str(v)) for v in df[header])] or [10])
                ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
    atomic_write_bytes(Path(out), buf.getvalue())
