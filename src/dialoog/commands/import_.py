"""dialoog import: raw transcripts into the normalised form."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from dialoog.commands import study_arg
from dialoog.errors import DialoogError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date; write YYYY-MM-DD") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="import raw transcripts and documents (.txt, .md, .docx, .odt, .pdf, .rtf, .srt, .vtt)",
        description="Turn raw transcripts and documents into normalised transcripts in interviews/<gemeente>/. "
        "The text is kept exactly; speaker labels become the turns' speakers. The raw files are not changed. "
        "A file that cannot be read is reported and skipped; the other files are imported.",
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
    p.add_argument(
        "--kind",
        choices=("detect", "interview", "document"),
        default="detect",
        help="interview (speaker labels), document (no speakers: one block per paragraph), or detect (default)",
    )
    p.add_argument("--speaker", metavar="NAME", help="a monologue: every paragraph is a turn of NAME")
    p.add_argument(
        "--interviewer-label",
        metavar="LABEL",
        help="the label (as written in the file) of the interviewer, when it is not a generic one like 'I:'",
    )
    p.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="import a text that the study has already (refused by default)",
    )
    p.add_argument("--id", dest="tid", help="transcript id (only with one FILE; default: <gemeente>-NN)")
    study_arg(p)
    p.set_defaults(func=run)


def _summary(importer, result) -> str:  # noqa: ANN001 - the ingest.text module and an ImportResult
    if result.kind == "document":
        who = result.speakers()
        what = "document (no speaker labels)" + (f", speaker {importer.mask_label(next(iter(who)))}" if who else "")
        return f"{len(result.turns)} blocks, {result.words()} words; detected: {what}"
    labels = importer.describe_labels(result.normalised.labels)
    speakers = ", ".join(f"{importer.mask_label(s)} ({n})" for s, n in result.speakers().items())
    line = f"{len(result.turns)} turns, {result.words()} words; detected: interview; labels: {labels}"
    return line + f"; speakers: {speakers}"


def run(args: argparse.Namespace) -> int:
    from dialoog.ingest import text as importer
    from dialoog.study.folder import Study
    from dialoog.study.gemeenten import find_gemeente

    if args.tid and len(args.files) > 1:
        raise DialoogError("--id can only be used with one file", key="--id")
    gemeente = find_gemeente(args.gemeente)
    study = Study(args.study)
    folder = study.interviews_dir / gemeente.slug
    if not folder.is_dir():
        print(f"creating {folder}")
    known = importer.existing_hashes(study.interviews_dir)
    failed = 0
    taken: set[str] = set()
    for path in args.files:
        try:
            result = importer.read_transcript(
                path, kind=args.kind, speaker=args.speaker, interviewer_label=args.interviewer_label
            )
            digest = result.content_hash()
            if digest in known and not args.allow_duplicate:
                raise DialoogError(
                    f"the study has this text already, as '{known[digest]}'",
                    path=path,
                    hint="leave it out, or pass --allow-duplicate to import it again",
                )
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
        known.setdefault(digest, tid)
        encoding = f"; encoding {result.encoding}" if result.encoding else ""
        print(f"{path.name} -> {target.relative_to(study.root)}: {_summary(importer, result)}{encoding}")
        if result.preamble():
            print(f"  {result.preamble()} block(s) before the first speaker label kept as text without a speaker")
    if not args.consent:
        print(
            "note: consent is recorded as false; set 'consent: true' in the front matter once consent is given",
            file=sys.stderr,
        )
    return 1 if failed else 0
