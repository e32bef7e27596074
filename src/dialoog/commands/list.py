"""dialoog list: the transcripts of the study, without their text."""

from __future__ import annotations

import argparse
import sys

from dialoog.commands import study_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "list",
        help="list the transcripts of the study per gemeente",
        description="List transcripts with role, wijk, turns and words (no transcript text).",
    )
    p.add_argument("--gemeente", help="only this municipality")
    study_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dialoog.study.folder import open_study

    study = open_study(args.study, strict=False)
    slug = study.gemeente(args.gemeente).slug if args.gemeente else None
    for t in study.transcripts.values():
        if slug and t.path.parent.name != slug:
            continue
        flags = ("" if t.meta.get("consent") else " no-consent") + (
            "" if t.meta.get("pseudonymised") else " not-pseudonymised"
        )
        print(
            f"{t.id:24} {t.gemeente:18} {str(t.wijk or '-'):22} {t.role:18} {len(t.turns):4} turns "
            f"{t.word_count():6} words{flags}"
        )
    for problem in study.problems():
        print(f"problem: {problem}", file=sys.stderr)
    return 0
