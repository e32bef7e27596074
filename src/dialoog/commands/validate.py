"""dialoog validate: every problem of the study, with file, line and key."""

from __future__ import annotations

import argparse

from . import study_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check transcripts, codebook and codings; list every problem",
        description="Load the whole study and report every problem with file, line and key.",
    )
    study_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..study import open_study

    study = open_study(args.study)
    n_codings = len(study.codings)
    print(
        f"ok: {len(study.transcripts)} transcripts, {len(study.codebook.codes)} codes, "
        f"{n_codings} codings by {len(study.coder_files())} coder(s)"
    )
    return 0
