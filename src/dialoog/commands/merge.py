"""dialoog merge: a consensus coding from the team's decisions on the disagreements."""

from __future__ import annotations

import argparse
from pathlib import Path

from dialoog.commands import study_arg
from dialoog.commands.agreement import selection_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "merge",
        help="write a consensus coding from a resolution file (see 'dialoog agreement --disagreements')",
        description="Write a consensus coding: every code all coders agreed on, plus every disagreement the team "
        "decided 'ja' in the resolution file, each within its unit. Each row's memo records who agreed or who "
        "decided. Only the consensus of the transcripts compared is replaced; the report uses it for them.",
    )
    p.add_argument("resolution", type=Path, help="the disagreements CSV with decision and decided_by filled in")
    selection_args(p)  # the same selection as given to 'dialoog agreement'
    p.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="where to write the consensus coding (default: consensus/consensus.csv in the study)",
    )
    study_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dialoog.coding.consensus import merge
    from dialoog.commands.agreement import parse_coders
    from dialoog.study.folder import open_study

    study = open_study(args.study)
    rows, output = merge(study, args.resolution, parse_coders(args.coders), args.gemeente, args.unit, args.output)
    from dialoog.study.ledger import record_output

    record_output(study.root, output)  # 'dialoog withdraw' finds it wherever it is
    decided = sum(1 for r in rows if r.memo.startswith("besluit") or " | besluit" in r.memo)
    print(
        f"{len(rows)} consensus coding(s) written to {output} ({decided} by decision of the team); "
        "consensus codings of other transcripts in that file are kept"
    )
    return 0
