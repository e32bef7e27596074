"""dialoog withdraw: remove an interview whose consent was withdrawn, and everything derived from it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dialoog.commands import study_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "withdraw",
        help="remove a transcript whose consent was withdrawn, and everything derived from it",
        description="Delete the transcript ID and what the study derived from it: its codings (under the "
        "coders' file locks), its rows in consensus, suggestion, rejection and disagreement files, its fragment "
        "links in the inventory and its persons in the pseudonymisation key. Every output that still holds it "
        "(reports in all formats, exports, leftover temporary files) is listed and marked stale until rendered "
        "again or deleted ('dialoog validate' reports it). The withdrawal is logged in withdrawals.yaml (id "
        "and time only). Run it again to finish an interrupted withdrawal.",
    )
    p.add_argument("id", metavar="ID", help="transcript id, e.g. schiedam-03")
    p.add_argument("--key", type=Path, metavar="FILE", help="the key file (default: where the study recorded it)")
    study_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dialoog.privacy.withdrawal import withdraw
    from dialoog.study.folder import open_study

    study = open_study(args.study, strict=False)
    w = withdraw(study, args.id, key=args.key, progress=sys.stderr.isatty())

    def shown(p: Path) -> str:
        return str(p.relative_to(study.root)) if p.is_relative_to(study.root) else str(p)

    if w.transcript is not None:
        print(f"removed {shown(w.transcript)}")
    else:
        print(f"finished the interrupted withdrawal of {w.id}")
    print(f"removed {w.codings_removed} coding(s) and {w.links_removed} inventory link(s)")
    for path, n in sorted(w.rows_removed.items()):
        print(f"removed {n} row(s) from {shown(path)}")
    for path in w.files_removed:
        print(f"deleted {shown(path)}")
    if w.key is None:
        print("no pseudonymisation key found (pass --key FILE if the study has one elsewhere)")
    else:
        print(f"removed {w.key_persons_removed} person(s) from the key {w.key}")
    if w.stale:
        print("these files still hold its data; they are marked stale until rendered again or deleted:")
        for t in w.stale:
            print(f"  stale: {shown(t.path)} ({t.reason})")
    if (study.root / ".git").exists():
        print("note: the study is a git repository; its history still holds the transcript (see README)")
    return 0
