"""dialoog agreement: inter-coder agreement per code and overall, and the disagreements to discuss."""

from __future__ import annotations

import argparse
from pathlib import Path

from dialoog.commands import study_arg


def selection_args(p: argparse.ArgumentParser) -> None:
    """--coders, --gemeente and --unit: which codings are compared (shared with 'dialoog merge')."""
    p.add_argument("--coders", help="comma-separated coder names (default: all coders of the study)")
    p.add_argument("--gemeente", help="only the transcripts of this municipality")
    p.add_argument("--unit", choices=["turn", "sentence"], default="turn", help="the unit of analysis (default: turn)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "agreement",
        help="inter-coder agreement (percent, Cohen's kappa, Krippendorff's alpha) per code",
        description="Percent agreement, Cohen's kappa and Krippendorff's alpha (nominal) per code and overall, "
        "on turns or sentences. Prints codes and numbers only, never transcript text.",
    )
    selection_args(p)
    p.add_argument(
        "--disagreements",
        type=Path,
        metavar="FILE",
        help="also write every disagreement to this CSV, with empty columns decision, decided_by and note "
        "for the team to fill in before 'dialoog merge'",
    )
    study_arg(p)
    p.set_defaults(func=run)


def parse_coders(value: str | None) -> list[str] | None:
    return [c.strip() for c in value.split(",") if c.strip()] if value else None


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from dialoog.coding.agreement import (
        agreement_table,
        disagreements,
        pairwise_table,
        study_decisions,
        write_disagreements,
    )
    from dialoog.study.folder import open_study

    study = open_study(args.study)
    d, transcripts = study_decisions(study, parse_coders(args.coders), args.gemeente, args.unit)
    if d.table.empty:
        print("no transcript was coded by two or more of these coders; nothing to compare")
        return 0
    table = agreement_table(d, study.codebook)
    shown = table.drop(columns=["label"]).rename(columns={"percent": "percent_%"})
    shown.loc[shown.index[-1], "code"] = "(all codes)"
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(
            f"unit: {args.unit}; coders: {', '.join(d.coders)}; transcripts: {d.table['transcript'].nunique()}; "
            f"units: {len(d.units)}"
        )
        print(shown.to_string(index=False, float_format=lambda x: f"{x:.3f}", na_rep="-"))
        if len(d.coders) > 2:
            print("\npairs:")
            print(pairwise_table(d).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    if args.disagreements:
        dis = disagreements(d, transcripts, study.codebook)
        write_disagreements(dis, args.disagreements)
        from dialoog.study.ledger import record_output

        record_output(study.root, args.disagreements)  # 'dialoog withdraw' finds it wherever it is
        print(f"{len(dis)} disagreement(s) written to {args.disagreements}")
    return 0
