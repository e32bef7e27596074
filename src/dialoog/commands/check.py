"""dialoog check: what is still missing for a good report of a gemeente, and how to fix each."""

from __future__ import annotations

import argparse

from dialoog.commands import study_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="list what is still missing for a good report of a gemeente, with the command that fixes each",
        description="Check a gemeente before rendering its report: consent and pseudonymisation, enough "
        "interviews, two coders, a consensus, agreement per code, the inventory, goals and contacts.",
    )
    p.add_argument("gemeente", help="a municipality of the study, e.g. schiedam")
    study_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dialoog.report.readiness import check
    from dialoog.study.folder import open_study

    study = open_study(args.study)
    gemeente = study.gemeente(args.gemeente)
    items = check(study, gemeente, args.study)
    if not items:
        print(f"{gemeente.name}: ready for a report (nothing missing)")
        return 0
    print(f"{gemeente.name}: {len(items)} thing(s) to do for a good report")
    for item in items:
        print(f"- {item}")
    return 1 if any(i.blocking for i in items) else 0
