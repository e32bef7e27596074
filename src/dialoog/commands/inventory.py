"""dialoog inventory: check the inventory registers, suggest what is missing, export them to Excel."""

from __future__ import annotations

import argparse
from pathlib import Path

from dialoog.commands import study_arg
from dialoog.errors import DialoogError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "inventory",
        help="check the registers of initiatives, needs and the network; list what the interviews add",
        description="Validate inventaris/<gemeente>/initiatieven.yaml, behoeften.yaml and netwerk.yaml; list "
        "initiatives and organisations mentioned in coded fragments (codes 'initiatieven' and "
        "'samenwerking-professionals') that are not yet in the registers, for a researcher to confirm; "
        "find initiatives and needs directly in the transcripts (also uncoded ones), with a normalised "
        "name, linked to a register entry or proposed as a new one with their fragments; "
        "summarise the gaps; optionally export the registers to Excel.",
    )
    p.add_argument("--gemeente", help="only this municipality (required with --excel and --init)")
    p.add_argument("--excel", type=Path, metavar="OUT.xlsx", help="write the registers and gaps to an Excel file")
    p.add_argument("--init", action="store_true", help="create empty, commented register files for --gemeente")
    study_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dialoog.assist.inventory import from_transcripts, suggest
    from dialoog.inventory import registers as inventory
    from dialoog.study.folder import open_study

    study = open_study(args.study)
    if (args.excel or args.init) and not args.gemeente:
        raise DialoogError("--excel and --init need --gemeente", key="--gemeente", hint="e.g. --gemeente groningen")
    gemeenten = (
        [study.gemeente(args.gemeente)] if args.gemeente else [study.gemeente(s) for s in study.gemeente_slugs()]
    )
    if args.init:
        g = gemeenten[0]
        written = inventory.init_folder(study, g)
        for path in written:
            print(f"created {path.relative_to(study.root)}")
        if not written:
            print(f"the registers of {g.name} already exist; nothing written")
        return 0
    for g in gemeenten:
        inv = inventory.load(study, g)
        if not inv.exists:
            print(f"{g.name}: no registers yet (create them with: dialoog inventory --init --gemeente {g.slug})")
            _print_found(from_transcripts(study, g, None))
            continue
        gaps = inventory.gaps_table(inv)
        print(
            f"{g.name}: {len(inv.initiatives)} initiatives, {len(inv.needs)} needs, "
            f"{len(inv.organisations)} organisations, {len(inv.ties)} ties; {len(gaps)} gap(s)"
        )
        for kind, n in gaps["lege plek"].value_counts().sort_index().items():
            print(f"  gap: {kind}: {n}")
        suggestions = suggest(study, inv)
        if suggestions:
            print(f"  {len(suggestions)} suggestion(s) to confirm (fragment, kind, what):")
            for s in suggestions:
                print(f"    {s}")
        else:
            print("  the registers cover every initiative and organisation found in the coded fragments")
        _print_found(from_transcripts(study, g, inv))
        if args.excel:
            inventory.export_excel(inv, args.excel)
            print(f"wrote {args.excel}")
    return 0


def _print_found(found: list) -> None:
    new = [p for p in found if not p.link]
    print(f"  found in the transcripts: {len(found)} initiative(s) and need(s), {len(new)} not in the registers:")
    for p in found:
        print(f"    {p}")
