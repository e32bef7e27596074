"""dialoog pseudonymise: replace names and other personal data in the study's transcripts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dialoog.commands import study_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "pseudonymise",
        help="replace names, addresses, numbers and other personal data in transcripts",
        description="Pseudonymise every transcript that is not yet pseudonymised (in place; keep the raw "
        "files in raw/). Persons get pseudonyms such as [persoon-3] that stay the same across the study; "
        "the key is written to a git-ignored file and never printed. Already pseudonymised transcripts "
        "are left as they are. With --review, list what still looks identifying.",
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="only these transcripts (default: all)")
    p.add_argument("--review", action="store_true", help="only list suspicious words and numbers; change nothing")
    p.add_argument(
        "--key",
        type=Path,
        metavar="FILE",
        help="the key file (default: <study>/private/pseudonyms.key.yaml; keep it out of git and out of reports/)",
    )
    study_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dialoog.privacy import pseudonymise as privacy
    from dialoog.study.folder import open_study

    study = open_study(args.study, strict=False)
    if args.review:
        n = 0
        for tid, items in privacy.review_study(study, args.ids or None):
            for turn, item in items:
                n += 1
                print(f"{tid}, turn {turn + 1}: '{item.text}' ({item.reason})")
        print(f"{n} item(s) to check" if n else "nothing suspicious found", file=sys.stderr)
        return 0
    results = privacy.pseudonymise_study(study, key=args.key, ids=args.ids or None, progress=sys.stderr.isatty())
    for r in results:
        if r.skipped:
            print(f"{r.id}: already pseudonymised, left as it is")
        else:
            counts = ", ".join(f"{label} {n}" for label, n in sorted(r.counts.items())) or "nothing found"
            print(f"{r.id}: {counts}")
    print(
        f"key: {privacy.key_path(study, args.key)} (keep it secret; it is git-ignored)\n"
        "next: check the result with 'dialoog pseudonymise --review'",
        file=sys.stderr,
    )
    return 0
