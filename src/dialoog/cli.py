"""The `dialoog` command line: a thin layer over the library."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import DialoogError, ValidationError


def _study_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--study", type=Path, default=Path("."), metavar="DIR", help="the study folder (default: the current folder)"
    )


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date; write YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dialoog",
        description="Workbench for dialogue research with LHBT residents: import, validate, code and report.",
    )
    parser.add_argument("--version", action="version", version=f"dialoog {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "import",
        help="import raw transcripts (.txt, .md, .docx, .odt) into the study",
        description="Turn raw transcripts into normalised transcripts in interviews/<gemeente>/. "
        "The raw files are not changed. A file that cannot be read is reported and skipped.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--gemeente", required=True, help="municipality as CBS spells it, e.g. Schiedam")
    p.add_argument("--wijk", help="CBS wijk of the interview (e.g. Groenoord)")
    p.add_argument(
        "--respondent",
        default="onbekend",
        metavar="ROLE",
        help="respondent role, e.g. lhbt-inwoner, wijkprofessional, politie, woningcorporatie, vrijwilliger",
    )
    p.add_argument("--datum", type=_date, help="date of the interview, YYYY-MM-DD")
    p.add_argument("--interviewer", help="interviewer (a role or pseudonym, e.g. 'Onderzoeker 1')")
    p.add_argument(
        "--consent",
        action="store_true",
        help="informed consent was given (without it the transcript is left out of reports)",
    )
    p.add_argument("--id", dest="tid", help="transcript id (only with one FILE; default: <gemeente>-NN)")
    _study_arg(p)

    p = sub.add_parser(
        "validate",
        help="check transcripts, codebook and codings; list every problem",
        description="Load the whole study and report every problem with file, line and key.",
    )
    _study_arg(p)

    p = sub.add_parser(
        "list",
        help="list the transcripts of the study per gemeente",
        description="List transcripts with role, wijk, turns and words (no transcript text).",
    )
    p.add_argument("--gemeente", help="only this municipality")
    _study_arg(p)

    p = sub.add_parser(
        "report",
        help="render the Perspectieven report of a gemeente",
        description="Execute the report notebook with papermill and export it to HTML in "
        "reports/<gemeente>/; a failed run keeps the previous report.",
    )
    p.add_argument("gemeente", help="municipality of the study, e.g. schiedam")
    p.add_argument("--output", type=Path, metavar="DIR", help="output folder (default: <study>/reports)")
    _study_arg(p)
    return parser


def cmd_import(args: argparse.Namespace) -> int:
    from . import importer
    from .gemeenten import find_gemeente
    from .study import Study

    if args.tid and len(args.files) > 1:
        raise DialoogError("--id can only be used with one file", key="--id")
    gemeente = find_gemeente(args.gemeente)
    study = Study(args.study)
    folder = study.interviews_dir / gemeente.slug
    if not folder.is_dir():
        print(f"creating {folder}")
    failed = 0
    taken: set[str] = set()
    for path in args.files:
        try:
            result = importer.read_transcript(path)
            tid = args.tid or importer.next_id(folder, gemeente.slug, taken)
            meta = importer.build_meta(
                tid,
                gemeente,
                wijk=args.wijk,
                datum=args.datum,
                interviewer=args.interviewer,
                respondent=args.respondent,
                consent=args.consent,
            )
            target = importer.write_transcript(study.interviews_dir, gemeente, result, meta)
        except DialoogError as exc:
            failed += 1
            print(f"error: {exc}\n  nothing written for {path}", file=sys.stderr)
            continue
        taken.add(tid)
        speakers = ", ".join(f"{importer.mask_label(s)} ({n})" for s, n in result.speakers().items())
        print(
            f"{path.name} -> {target.relative_to(study.root)}: {len(result.turns)} turns, {result.words()} words; "
            f"speakers: {speakers}" + (f"; encoding {result.encoding}" if result.encoding else "")
        )
        if result.skipped_lines:
            print(f"  skipped {result.skipped_lines} line(s) before the first speaker label")
    if not args.consent:
        print(
            "note: consent is recorded as false; set 'consent: true' in the front matter once consent is given",
            file=sys.stderr,
        )
    return 1 if failed else 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .study import open_study

    study = open_study(args.study)
    n_codings = len(study.codings)
    print(
        f"ok: {len(study.transcripts)} transcripts, {len(study.codebook.codes)} codes, "
        f"{n_codings} codings by {len(study.coder_files())} coder(s)"
    )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from .study import open_study

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


def cmd_report(args: argparse.Namespace) -> int:
    from .report import render

    print(f"rendering the report for {args.gemeente} ...", flush=True)
    result = render(args.gemeente, study=args.study, output=args.output)
    print(f"wrote {result.html}\n  and {result.notebook}")
    return 0


COMMANDS = {"import": cmd_import, "validate": cmd_validate, "list": cmd_list, "report": cmd_report}


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ValidationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DialoogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
