"""dialoog monitor: import survey files, CBS StatLine tables and discrimination registrations as aggregates."""

from __future__ import annotations

import argparse
from pathlib import Path

from dialoog.commands import study_arg


def _maat(text: str) -> tuple[str, str]:
    key, sep, indicator = text.partition("=")
    if not sep or not key.strip() or not indicator.strip():
        raise argparse.ArgumentTypeError("use KEY=INDICATOR, e.g. VoeltZichWeleensOnveilig=onveilig-algemeen")
    return key.strip(), indicator.strip()


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "monitor",
        help="import survey files, CBS StatLine tables and discrimination figures into monitor/",
        description="Turn the data a municipality gets into the aggregate files of monitor/ that the regional "
        "safety analysis reads. Only aggregates enter the study; survey microdata stay where they are.",
    )
    steps = p.add_subparsers(dest="step", required=True, metavar="STEP")

    s = steps.add_parser(
        "import-survey",
        help="weighted shares per gemeente and group from a survey file (.sav or .csv)",
        description="Read a survey file (SPSS .sav with value labels, or CSV) in memory, compute per gemeente "
        "the weighted share of LHBTIQ+ and other respondents for each mapped indicator with a design-based "
        "95% interval and the unweighted n, suppress small cells, and write the aggregates to monitor/enquete.csv.",
    )
    s.add_argument(
        "file", type=Path, metavar="FILE", help="the survey file (.sav, .zsav or .csv); kept outside the study"
    )
    s.add_argument("--jaar", required=True, type=int, help="the year of the survey, e.g. 2026")
    s.add_argument("--mapping", required=True, type=Path, help="the mapping, e.g. monitor/enquete-mapping.yaml")
    study_arg(s)
    s.set_defaults(func=run_survey)

    t = steps.add_parser(
        "import-statline",
        help="CBS indicators per gemeente with margins (a StatLine CSV or the JSON that cbsodata writes)",
        description="Read a StatLine table shaped as 85146NED (Veiligheidsmonitor; kerncijfers, regio) with its "
        "margins and write the figures of gemeenten and Nederland to monitor/statline.csv, with the table id "
        "and period as their source. '.' (suppressed or unknown) stays empty.",
    )
    t.add_argument("file", type=Path, metavar="FILE", help="a StatLine CSV, or cbsodata's folder or TypedDataSet.json")
    t.add_argument("--tabel", help="the table id, e.g. 85146NED (read from TableInfos.json where present)")
    t.add_argument("--bron", help="the source as the report names it (default: CBS StatLine, tabel <id> (<title>))")
    t.add_argument(
        "--maat",
        type=_maat,
        action="append",
        default=[],
        metavar="KEY=INDICATOR",
        help="map a measure of the table onto an indicator (repeatable)",
    )
    study_arg(t)
    t.set_defaults(func=run_statline)

    d = steps.add_parser(
        "import-discriminatie",
        help="discrimination registrations by ground per gemeente and year (ADV or police CSV)",
        description="Read registrations (columns gemeente, jaar, grond, aantal) and keep the grounds sexual "
        "orientation and gender identity in monitor/discriminatie.csv.",
    )
    d.add_argument("file", type=Path, metavar="FILE", help="the CSV of registrations")
    d.add_argument("--instantie", choices=("adv", "politie"), default="adv", help="who registered them (default: adv)")
    d.add_argument("--bron", help="the source as the report names it, e.g. 'Jaarcijfers Discriminatie.nl 2025'")
    study_arg(d)
    d.set_defaults(func=run_discriminatie)


def run_survey(args: argparse.Namespace) -> int:
    from dialoog.monitor.survey import import_survey
    from dialoog.study.folder import open_study

    s = import_survey(open_study(args.study), args.file, args.jaar, args.mapping)
    print(
        f"wrote {s.cells} figures of {', '.join(s.gemeenten)} for {args.jaar} to {s.path} "
        f"({s.suppressed} suppressed as small cells)\n"
        f"  {s.respondents} respondents read; left out: {s.without_weight} without a weight, "
        f"{s.without_group} not classifiable as LHBTIQ+ or not (a mapped question unanswered)"
    )
    return 0


def run_statline(args: argparse.Namespace) -> int:
    from dialoog.monitor.statline import import_statline
    from dialoog.study.folder import open_study

    s = import_statline(open_study(args.study), args.file, args.tabel, args.bron, dict(args.maat))
    print(
        f"wrote {s.figures} figures of table {s.tabel} ({', '.join(map(str, s.jaren))}; "
        f"{', '.join(s.gemeenten)}) to {s.path}; {s.suppressed} without a value ('.')"
    )
    return 0


def run_discriminatie(args: argparse.Namespace) -> int:
    from dialoog.monitor.discriminatie import import_discriminatie
    from dialoog.study.folder import open_study

    s = import_discriminatie(open_study(args.study), args.file, args.instantie, args.bron)
    print(
        f"wrote {s.figures} registrations ({', '.join(map(str, s.jaren))}; {', '.join(s.gemeenten)}) to {s.path}; "
        f"{s.other_grounds} rows of other grounds or totals left out"
    )
    return 0
