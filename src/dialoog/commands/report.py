"""dialoog report: render the Perspectieven report, leaflet and Word document of one or many gemeenten."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dialoog.commands import study_arg


def _formats(text: str) -> tuple[str, ...]:
    from dialoog.report.engine import FORMATS

    chosen = tuple(f.strip() for f in text.split(",") if f.strip())
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise argparse.ArgumentTypeError(f"unknown format(s) {', '.join(bad) or '(none)'}; use: {', '.join(FORMATS)}")
    return chosen


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="render the Perspectieven report (HTML, PDF, Word) and leaflet of one or more gemeenten",
        description="Execute the report notebook and write perspectieven.html, perspectieven.pdf, "
        "perspectieven.docx and leaflet.pdf to reports/<gemeente>/. A gemeente whose inputs did not change "
        "since its last successful render is skipped (use --force); a failed gemeente keeps its previous "
        "report and does not stop the others.",
    )
    p.add_argument("gemeente", nargs="?", help="one municipality of the study, e.g. schiedam")
    p.add_argument("--all", action="store_true", help="render every gemeente of the study")
    p.add_argument("--gemeente", dest="selection", metavar="A,B", help="render these gemeenten (comma-separated)")
    p.add_argument("--force", action="store_true", help="render even when nothing changed")
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help=f"parallel workers, each with its own kernel (default: the number of cores, {os.cpu_count()})",
    )
    p.add_argument("--dask", metavar="ADDRESS", help="send the renders to this Dask scheduler, e.g. tcp://host:8786")
    p.add_argument(
        "--formats",
        type=_formats,
        metavar="LIST",
        help="comma-separated subset of html,pdf,docx,leaflet (default: all four)",
    )
    p.add_argument("--output", type=Path, metavar="DIR", help="output folder (default: <study>/reports)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--regio",
        metavar="ID",
        help="render the yearly safety analysis of this region (monitor/regios.yaml) instead; needs --jaar",
    )
    p.add_argument("--jaar", type=int, metavar="YEAR", help="the year of the safety analysis, e.g. 2026")
    study_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dialoog.errors import DialoogError
    from dialoog.report.engine import render_many

    if args.regio or args.jaar:
        if not (args.regio and args.jaar):
            raise DialoogError(
                "--regio and --jaar go together", hint="e.g. dialoog report --regio noord-nederland --jaar 2026"
            )
        from dialoog.commands import regio

        return regio.run(args)
    names: list[str] | None
    chosen = [x for x in (args.gemeente, args.selection, args.all or None) if x]
    if len(chosen) != 1:
        raise DialoogError(
            "name one gemeente, or use --gemeente A,B or --all (exactly one of them)",
            hint="e.g. 'dialoog report schiedam' or 'dialoog report --all'",
        )
    if args.all:
        names = None
    elif args.selection:
        names = [n.strip() for n in args.selection.split(",") if n.strip()]
    else:
        from dialoog.study.folder import Study

        Study(args.study).gemeente(args.gemeente)  # an unknown gemeente lists the study's gemeenten
        names = [args.gemeente]
    if args.workers is not None and args.workers < 1:
        raise DialoogError("--workers must be 1 or more", key="--workers")
    from dialoog.privacy.integrity import check_before_use
    from dialoog.study.folder import Study

    # pseudonymised transcripts changed by hand since their last check: the detector runs over them first
    study = Study(args.study)
    rechecked = check_before_use(study)
    if rechecked:  # their front matter now records the check: read them again
        print(f"checked again after a change by hand, nothing found: {', '.join(rechecked)}", file=sys.stderr)
        study = Study(args.study)
    _warn_what_is_missing(study, names)
    result = render_many(
        names,
        study=args.study,
        output=args.output,
        formats=args.formats,
        force=args.force,
        workers=args.workers,
        dask=args.dask,
        progress=not args.quiet and sys.stderr.isatty(),
    )
    out_root = Path(args.output) if args.output else Path(args.study) / "reports"
    for slug in result.rendered:
        print(f"rendered {slug}: {out_root / slug}")
    if args.output:  # outside reports/: remembered, so that 'dialoog withdraw' finds and marks them
        from dialoog.study.ledger import record_output

        for slug in result.rendered:
            for path in sorted((out_root / slug).glob("*")):
                if path.is_file():
                    record_output(Path(args.study), path)
    if result.skipped:
        print(f"up to date (skipped, use --force to render anyway): {', '.join(result.skipped)}")
    for slug, message in result.failed.items():
        print(f"error: {slug}: {message}", file=sys.stderr)
    total = len(result.rendered) + len(result.skipped) + len(result.failed)
    print(
        f"{len(result.rendered)} rendered, {len(result.skipped)} up to date, {len(result.failed)} failed "
        f"of {total} in {result.seconds:.1f} s"
    )
    return 1 if result.failed else 0


def _warn_what_is_missing(study, names: list[str] | None) -> None:
    """Before rendering: per gemeente, what is still missing for a good report (see `dialoog check`)."""
    from dialoog.errors import DialoogError
    from dialoog.report.readiness import check

    try:
        if study.problems(reload=False):
            return  # the render reports them itself, with file, line and key
        gemeenten = [study.gemeente(n) for n in names] if names else [study.gemeente(s) for s in study.gemeente_slugs()]
    except DialoogError:
        return  # the render reports the problem itself, with file, line and key
    for g in gemeenten:
        # the quick check (no agreement per code); blocking problems stop the render with their own message
        items = [i for i in check(study, g, study.root, agreement=False) if not i.blocking]
        if items:
            print(f"warning: {g.slug}: {len(items)} thing(s) missing for a good report:", file=sys.stderr)
            for item in items:
                print(f"  - {item.what}", file=sys.stderr)
            print(f"  see 'dialoog check {g.slug}' for how to fix each", file=sys.stderr)
