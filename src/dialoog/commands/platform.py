"""dialoog platform: export a study's public inventory, merge exports, build the LHBT-platform site."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from dialoog.commands import study_arg


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("write a date as YYYY-MM-DD") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "platform",
        help="share initiatives between municipalities: export, merge, build the LHBT-platform site",
        description="The LHBT-platform: export the study's public inventory (initiatives, what works, gaps) in "
        "an open format, merge the exports of several municipalities, and build a static website from them.",
    )
    ps = p.add_subparsers(dest="platform_command", required=True, metavar="ACTION")

    e = ps.add_parser("export", help="write the study's public inventory as JSON or CSV")
    e.add_argument("--output", "-o", type=Path, required=True, metavar="FILE", help="FILE.json or FILE.csv")
    e.add_argument("--gemeente", action="append", help="only this gemeente (repeat for more; default: all)")
    e.add_argument("--uitgever", help="who publishes it (default: 'Gemeente <name>')")
    e.add_argument("--datum", type=_date, help="date of the export, YYYY-MM-DD (default: today)")
    study_arg(e)
    e.set_defaults(func=run_export)

    s = ps.add_parser("schema", help="print the JSON Schema of an export")
    s.set_defaults(func=run_schema)

    m = ps.add_parser("merge", help="merge exports of several municipalities into one")
    m.add_argument("exports", nargs="+", type=Path, metavar="EXPORT", help="exports (FILE.json)")
    m.add_argument("--output", "-o", type=Path, required=True, metavar="FILE", help="FILE.json or FILE.csv")
    m.add_argument("--review", type=Path, metavar="FILE.csv", help="write uncertain matches here for review")
    m.add_argument("--decisions", type=Path, metavar="FILE.csv", help="a review list with 'zelfde' filled in")
    m.set_defaults(func=run_merge)

    b = ps.add_parser("build", help="build the static platform site from exports")
    b.add_argument("exports", nargs="+", type=Path, metavar="EXPORT", help="exports (FILE.json)")
    b.add_argument("--output", "-o", type=Path, required=True, metavar="DIR", help="the site's folder")
    b.add_argument("--decisions", type=Path, metavar="FILE.csv", help="a review list with 'zelfde' filled in")
    b.set_defaults(func=run_build)


def run_export(args: argparse.Namespace) -> int:
    from dialoog.platform.export import export_study, write_export
    from dialoog.study.folder import open_study

    study = open_study(args.study)
    export = export_study(study, args.gemeente, uitgever=args.uitgever, datum=args.datum)
    write_export(export, args.output)
    gaps = sum(len(g.lege_plekken) for g in export.gemeenten)
    print(
        f"wrote {args.output}: {len(export.initiatieven)} initiatives and {gaps} gaps of "
        f"{', '.join(g.naam for g in export.gemeenten)}"
    )
    bare = [i for i in export.initiatieven if not (i.doel and i.aanpak)]
    if bare:
        print(
            f"  {len(bare)} initiative(s) have no doel or aanpak yet; add them to initiatieven.yaml "
            "(README: 'The LHBT-platform')"
        )
    return 0


def run_schema(args: argparse.Namespace) -> int:
    from dialoog.platform import platform_json_schema

    print(json.dumps(platform_json_schema(), ensure_ascii=False, indent=2))
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from dialoog.platform.export import read_export, write_export
    from dialoog.platform.merge import merge_exports, read_decisions, write_review

    decisions = read_decisions(args.decisions) if args.decisions else None
    result = merge_exports([(p.name, read_export(p)) for p in args.exports], decisions)
    write_export(result.export, args.output)
    print(
        f"wrote {args.output}: {len(result.export.initiatieven)} initiatives of {len(result.export.gemeenten)} "
        f"gemeenten; {result.groups} initiative(s) found in more than one gemeente"
    )
    if result.superseded:
        print(f"  newer exports replaced older ones of: {', '.join(result.superseded)}")
    if result.review and args.review:
        write_review(result.review, args.review)
        print(f"  {len(result.review)} uncertain match(es) written to {args.review}: fill in 'zelfde' (ja/nee)")
    elif result.review:
        print(f"  {len(result.review)} uncertain match(es) left apart; list them with --review FILE.csv")
    return 0


def run_build(args: argparse.Namespace) -> int:
    from dialoog.platform.merge import read_decisions
    from dialoog.platform.site import build_site

    decisions = read_decisions(args.decisions) if args.decisions else None
    site, _ = build_site(args.exports, args.output, decisions)
    print(
        f"built {site.output}: {site.pages} pages, {site.initiatives} initiatives of {site.gemeenten} gemeenten; "
        f"search index {site.index_bytes / 1024:.0f} KiB; open {site.output / 'index.html'}"
    )
    if site.review:
        print(f"  {site.review} uncertain match(es) left apart; review them with dialoog platform merge --review")
    return 0
