"""dialoog suggest: write code suggestions per transcript, or evaluate them against a coder's codings."""

from __future__ import annotations

import argparse
import sys

from dialoog.commands import study_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "suggest",
        help="suggest codes for transcript segments (codebook keywords and a model learned from the codings)",
        description=(
            "Write suggestions/<transcript>.csv for every transcript (or those selected): codes suggested from "
            "the codebook's keywords, matched on lemmas, and from a model trained on the coders' codings. "
            "Suggestions become codings only when a coder accepts them. With --evaluate, print per code the "
            "precision and recall of the suggestions against a coder's codings instead (the model "
            "leave-one-transcript-out); nothing is written then."
        ),
    )
    p.add_argument("--gemeente", help="only the transcripts of this municipality")
    p.add_argument("--transcript", action="append", metavar="ID", help="only this transcript (repeatable)")
    p.add_argument("--evaluate", action="store_true", help="evaluate the suggestions instead of writing them")
    p.add_argument("--coder", action="append", help="with --evaluate: the coder to compare with (default: every coder)")
    study_arg(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dialoog.errors import DialoogError
    from dialoog.study.folder import open_study

    study = open_study(args.study, strict=False)
    problems = study.problems()
    if problems:
        for problem in problems:
            print(f"problem: {problem}", file=sys.stderr)
        print("warning: rows with problems are left out; run 'dialoog validate' for details", file=sys.stderr)
    if args.evaluate:
        return _evaluate(study, args.coder)
    ids = list(study.transcripts)
    if args.gemeente:
        slug = study.gemeente(args.gemeente).slug
        ids = [tid for tid in ids if study.transcripts[tid].path.parent.name == slug]
    if args.transcript:
        unknown = [tid for tid in args.transcript if tid not in study.transcripts]
        if unknown:
            raise DialoogError(
                f"unknown transcript '{unknown[0]}'",
                path=study.interviews_dir,
                hint="'dialoog list' shows the transcript ids",
            )
        ids = [tid for tid in ids if tid in args.transcript]
    if not ids:
        raise DialoogError("no transcripts selected", path=study.interviews_dir)
    from dialoog.assist.nlp import pipeline_for
    from dialoog.assist.suggest import run_suggest, suggestions_dir

    print(f"pipeline: {pipeline_for(study).meta['dialoog_pipeline']}")
    counts = run_suggest(study, ids)
    for tid, (kw, model) in counts.items():
        print(f"{tid:24} {kw:4} from keywords {model:4} from the model")
    print(f"wrote {len(counts)} file(s) to {suggestions_dir(study)}")
    return 0


def _fmt(value: float | None) -> str:
    return "   -" if value is None else f"{value:4.2f}"


def _evaluate(study, coders: list[str] | None) -> int:
    from dialoog.assist.suggest import SOURCES, evaluate
    from dialoog.study.codings import coder_name

    names = [coder_name(c) for c in coders] if coders else sorted({c.coder for c in study.codings})
    if not names:
        from dialoog.errors import DialoogError

        raise DialoogError("the study has no codings to evaluate against", path=study.codings_dir)
    for coder in names:
        scores = evaluate(study, coder)
        print(f"coder {coder}: suggestions per code (model: leave-one-transcript-out)")
        header = (
            f"{'code':28} {'source':8} {'suggested':>9} {'correct':>7} {'precision':>9} "
            f"{'coded':>5} {'found':>5} {'recall':>6}"
        )
        print(header)
        print("-" * len(header))
        for source in SOURCES:
            rows = [s for s in scores if s.source == source and (s.suggested or s.coded)]
            for s in rows:
                print(
                    f"{s.code:28} {s.source:8} {s.suggested:9} {s.correct:7} {_fmt(s.precision):>9} "
                    f"{s.coded:5} {s.found:5} {_fmt(s.recall):>6}"
                )
            sug, cor = sum(s.suggested for s in rows), sum(s.correct for s in rows)
            cod, fnd = sum(s.coded for s in rows), sum(s.found for s in rows)
            print(
                f"{'all codes':28} {source:8} {sug:9} {cor:7} {_fmt(cor / sug if sug else None):>9} "
                f"{cod:5} {fnd:5} {_fmt(fnd / cod if cod else None):>6}"
            )
            print()
    return 0
