"""dialoog report: render the Perspectieven report of a gemeente."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import study_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="render the Perspectieven report of a gemeente",
        description="Execute the report notebook with papermill and export it to HTML in "
        "reports/<gemeente>/; a failed run keeps the previous report.",
    )
    p.add_argument("gemeente", help="municipality of the study, e.g. schiedam")
    p.add_argument("--output", type=Path, metavar="DIR", help="output folder (default: <study>/reports)")
    study_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..report import render

    print(f"rendering the report for {args.gemeente} ...", flush=True)
    result = render(args.gemeente, study=args.study, output=args.output)
    print(f"wrote {result.html}\n  and {result.notebook}")
    return 0
