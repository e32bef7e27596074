"""dialoog export-qdpx / export-qdc / import-qdpx / import-qdc: exchange with other QDA tools (REFI-QDA)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dialoog.commands import study_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export-qdpx",
        help="export transcripts, codebook and codings as a REFI-QDA project (.qdpx)",
        description="Write a REFI-QDA project for ATLAS.ti, NVivo, MAXQDA, QualCoder and others: the "
        "transcripts with consent that are pseudonymised, the codebook, the coders and their codings. "
        "The project is validated against the official schema before it is written.",
    )
    p.add_argument("out", type=Path, metavar="OUT.qdpx")
    p.add_argument("--gemeente", help="only the transcripts of this municipality")
    p.add_argument(
        "--offsets",
        choices=("codepoint", "utf16"),
        default="codepoint",
        help="how selection positions count: Unicode code points (the standard, default) or UTF-16 code "
        "units (what NVivo reads; differs only for emoji and other characters outside the BMP)",
    )
    study_arg(p)
    p.set_defaults(func=run_export_qdpx)

    p = sub.add_parser(
        "export-qdc",
        help="export the codebook as a REFI-QDA codebook (.qdc)",
        description="Write the codebook (hierarchy, descriptions, colours) as a REFI-QDA codebook, "
        "validated against the official schema.",
    )
    p.add_argument("out", type=Path, metavar="OUT.qdc")
    study_arg(p)
    p.set_defaults(func=run_export_qdc)

    p = sub.add_parser(
        "import-qdpx",
        help="import a REFI-QDA project (.qdpx or .qde) from another tool",
        description="Bring the text sources, codebook and codings of a REFI-QDA project into the study. "
        "Every selection is checked against its text; one that cannot be placed is reported, not shifted.",
    )
    p.add_argument("file", type=Path, metavar="FILE.qdpx")
    p.add_argument("--gemeente", help="municipality of sources without a 'gemeente' variable, e.g. Schiedam")
    p.add_argument("--consent", action="store_true", help="informed consent was given for all these interviews")
    p.add_argument("--pseudonymised", action="store_true", help="the texts are pseudonymised already (checked by you)")
    p.add_argument("--dry-run", action="store_true", help="report what would be imported; write nothing")
    study_arg(p)
    p.set_defaults(func=run_import_qdpx)

    p = sub.add_parser(
        "import-qdc",
        help="merge a REFI-QDA codebook (.qdc) into the study's codebook",
        description="Add the codes of a REFI-QDA codebook to codebook/codebook.yaml; existing codes are kept.",
    )
    p.add_argument("file", type=Path, metavar="FILE.qdc")
    p.add_argument("--dry-run", action="store_true", help="report what would be imported; write nothing")
    study_arg(p)
    p.set_defaults(func=run_import_qdc)


def run_export_qdpx(args: argparse.Namespace) -> int:
    from dialoog.exchange.refi_export import export_qdpx

    s = export_qdpx(args.study, args.out, args.gemeente, args.offsets)
    from dialoog.study.ledger import record_output

    record_output(args.study, s.path)  # 'dialoog withdraw' finds the export wherever it is
    print(
        f"wrote {s.path}: {s.transcripts} transcript(s), {s.codes} codes, {s.codings} codings by "
        f"{len(s.users)} coder(s) ({', '.join(s.users) or '-'}), {s.notes} memo(s)"
    )
    if s.left_out:
        print(f"  left out {s.left_out} transcript(s) without consent or not pseudonymised")
    return 0


def run_export_qdc(args: argparse.Namespace) -> int:
    from dialoog.exchange.refi_export import export_qdc

    s = export_qdc(args.study, args.out)
    print(f"wrote {s.path}: {s.codes} codes")
    return 0


def _finish(plan, dry_run: bool) -> int:  # noqa: ANN001 - a refi_import.Plan
    for line in plan.info:
        print(line)
    cb = plan.codebook
    if cb is not None:
        print(f"codebook: {cb.matched} code(s) already in the study, {len(cb.new)} new")
    coders = sorted({c.coder for c in plan.codings})
    print(f"codings: {len(plan.codings)} by {len(coders)} coder(s) ({', '.join(coders) or '-'})")
    for problem in plan.problems:
        print(f"not imported: {problem}", file=sys.stderr)
    if dry_run:
        print("dry run: nothing written")
    else:
        written = plan.write()
        for path in written:
            print(f"wrote {path.relative_to(plan.study.root) if path.is_relative_to(plan.study.root) else path}")
        if not plan.kept_format:
            print("note: codebook.yaml was rewritten; its comments and layout were not kept", file=sys.stderr)
        new = [t for t in plan.transcripts if t.write]
        if new and not all(t.meta["consent"] and t.meta["pseudonymised"] for t in new):
            print(
                "note: imported transcripts are recorded without consent and/or as not pseudonymised; set "
                "'consent: true' and 'pseudonymised: true' once that is so",
                file=sys.stderr,
            )
    return 1 if plan.problems else 0


def run_import_qdpx(args: argparse.Namespace) -> int:
    from dialoog.ingest.refi import plan_project
    from dialoog.study.folder import Study

    study = Study(args.study)
    plan = plan_project(study, args.file, args.gemeente, consent=args.consent, pseudonymised=args.pseudonymised)
    return _finish(plan, args.dry_run)


def run_import_qdc(args: argparse.Namespace) -> int:
    from dialoog.ingest.refi import plan_codebook
    from dialoog.study.folder import Study

    plan = plan_codebook(Study(args.study), args.file)
    return _finish(plan, args.dry_run)
