"""dialoog withdraw: remove an interview whose consent was withdrawn."""

from __future__ import annotations

import argparse
from pathlib import Path

from dialoog.commands import study_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "withdraw",
        help="remove a transcript whose consent was withdrawn, with its codings and key entries",
        description="Delete the transcript ID, its codings in every coder's file and its persons in the "
        "pseudonymisation key, and mark the reports of its gemeente as stale (they still contain its data).",
    )
    p.add_argument("id", metavar="ID", help="transcript id, e.g. schiedam-03")
    p.add_argument("--key", type=Path, metavar="FILE", help="the key file, if not the default")
    study_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dialoog.privacy.withdrawal import withdraw
    from dialoog.study.folder import open_study

    study = open_study(args.study, strict=False)
    w = withdraw(study, args.id, key=args.key)
    print(f"removed {w.transcript.relative_to(study.root)}")
    print(f"removed {w.codings_removed} coding(s) and {w.key_persons_removed} person(s) from the key")
    if w.stale_reports:
        print("these reports still contain its data; render them again and delete old copies:")
        for p in w.stale_reports:
            print(f"  stale: {p.relative_to(study.root)}")
    return 0
