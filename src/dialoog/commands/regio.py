"""dialoog regio-report: render the yearly safety analysis of a region (Veiligheidsanalyse LHBT)."""

from __future__ import annotations

import argparse
from pathlib import Path

from dialoog.commands import study_arg


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(f.strip() for f in text.split(",") if f.strip())
    bad = [f for f in chosen if f not in ("html", "pdf", "docx")]
    if bad or not chosen:
        raise argparse.ArgumentTypeError(f"unknown format(s) {', '.join(bad) or '(none)'}; use: html, pdf, docx")
    return chosen


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "regio-report",
        help="render the yearly safety analysis (Veiligheidsanalyse LHBT) of a region",
        description="Execute notebooks/veiligheidsanalyse.ipynb for a region of monitor/regios.yaml and a year, "
        "with the figures of monitor/ (the imported survey, StatLine and discrimination aggregates and "
        "monitor.csv), the agreements and actions of monitor/alliantie.yaml and the gaps of inventaris/; write "
        "reports/regio-<id>/veiligheidsanalyse-<jaar>.html, .pdf and .docx. Same as 'dialoog report --regio'.",
    )
    p.add_argument("--regio", required=True, help="region id from monitor/regios.yaml, e.g. noord-nederland")
    p.add_argument("--jaar", required=True, type=int, help="the year of the analysis, e.g. 2026")
    p.add_argument("--formats", type=_formats, metavar="LIST", help="comma-separated subset of html,pdf,docx")
    p.add_argument("--output", type=Path, metavar="DIR", help="output folder (default: <study>/reports)")
    study_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dialoog.report.veiligheidsrender import render

    print(f"rendering the safety analysis of {args.regio} for {args.jaar} ...", flush=True)
    result = render(args.regio, args.jaar, study=args.study, output=args.output, formats=getattr(args, "formats", None))
    print(f"wrote {result.html}\n  and " + "\n  and ".join(str(p) for p in [*result.others, result.notebook]))
    return 0
