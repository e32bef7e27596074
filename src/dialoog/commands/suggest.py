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
            "Write suggestions/<transcript>.csv for every transcript (or those selected): per respondent turn "
            "the codes ranked by calibrated probability, each with the fragment it applies to and the phrases "
            "that carried it. Codes come from the codebook (definitions, examples, keywords; negations "
            "and hedges checked) and, for codes with enough codings, from a model learned from them. "
            "Suggestions become codings only when a coder accepts them. With --evaluate, print per code and "
            "overall precision, recall and F1 per turn and per sentence, top-1 and top-3, leave-one-"
            "transcript-out, beside two baselines (TF-IDF + logistic regression; most frequent codes); "
            "nothing is written then. Besides the study's codings the model learns from dialoog's reference "
            "corpus of fictional coded interviews (codes with the same ids; 'suggest_reference: false' in "
            "dialoog.yaml switches it off) and from the studies named by 'learn_from:' there."
        ),
    )
    p.add_argument("--gemeente", help="only the transcripts of this municipality")
    p.add_argument("--transcript", action="append", metavar="ID", help="only this transcript (repeatable)")
    p.add_argument("--evaluate", action="store_true", help="evaluate the suggestions instead of writing them")
    p.add_argument("--coder", action="append", help="with --evaluate: the coder to compare with (default: every coder)")
    p.add_argument("--variants", action="store_true", help="with --evaluate: also the representation variants")
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
        return _evaluate(study, args.coder, args.variants)
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
    from dialoog.assist.pipeline import pipeline_for, pipeline_name
    from dialoog.assist.suggest import run_suggest, suggestions_dir

    print(f"pipeline: {pipeline_name(pipeline_for(study))}")  # without loading it (nor importing spaCy)
    run = run_suggest(study, ids)
    if run.sources:
        print(f"learning from the study's codings and from outside it: {', '.join(run.sources)}")
        learned = ", ".join(f"{code} {run.own[code]}+{run.outside[code]}" for code in run.learned_from)
        print(f"codings per code (study+outside; the model learns from these): {learned}")
    else:
        learned = ", ".join(f"{code} {n}" for code, n in run.learned_from.items())
        print(f"codings per code (the model learns from these): {learned}")
    for note in run.notes:
        print(f"note: {note}")
    for warning in run.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for tid, n in run.written.items():
        print(f"{tid:24} {n:4} suggestion(s) above the threshold")
    print(f"wrote {len(run.written)} file(s) to {suggestions_dir(study)}")
    return 0


def _evaluate(study, coders: list[str] | None, variants: bool = False) -> int:
    from dialoog.assist.evaluate import METHODS, VARIANTS, evaluate, table
    from dialoog.study.codings import coder_name

    names = [coder_name(c) for c in coders] if coders else sorted({c.coder for c in study.codings})
    if not names:
        from dialoog.errors import DialoogError

        raise DialoogError("the study has no codings to evaluate against", path=study.codings_dir)
    methods = METHODS + VARIANTS if variants else METHODS
    from dialoog.assist.reference import outside

    sets = outside(study).sets()
    if sets:
        print(
            f"learning from outside the study as well: {', '.join(sets)} (never a transcript of this study; "
            "switch off with suggest_reference: false in dialoog.yaml)"
        )
    for coder in names:
        print(f"coder {coder}: leave-one-transcript-out; precision, recall and F1 per code and method")
        print(table(evaluate(study, coder, methods)))
    return 0
