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
        "the key is written to private/ (mode 0600) and never printed. Already pseudonymised transcripts "
        "are left as they are. With --review, write what still looks identifying to a review file in "
        "private/; mark each item mask or keep and carry the marks out with --apply-review.",
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="only these transcripts (default: all)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--review", action="store_true", help="write a review file of what still looks identifying")
    mode.add_argument(
        "--apply-review",
        action="store_true",
        help="carry out the marks (mask/keep) of the review file on the pseudonymised transcripts",
    )
    p.add_argument(
        "--key",
        type=Path,
        metavar="FILE",
        help="the key file (default: <study>/private/pseudonyms.key.yaml; keep it out of git and out of reports/)",
    )
    study_arg(p)
    p.set_defaults(func=run)


def _key_note(privacy, study, key: Path | None) -> str:  # noqa: ANN001
    path = privacy.key_path(study, key)
    ignored = privacy.git_ignored(path)
    if ignored is True:
        return f"key: {path} (keep it secret; git ignores it)"
    if ignored is False:
        return f"key: {path} (keep it secret; WARNING: git does not ignore it, add it to .gitignore)"
    return f"key: {path} (keep it secret; never share it)"


def _review(study, ids: list[str] | None) -> int:  # noqa: ANN001
    from dialoog.privacy import review

    found = review.review_study(study, ids)
    n = sum(len(items) for _, items in found)
    for tid, items in found:
        if items:
            print(f"{tid}: {len(items)} item(s) to check")
    if not n:
        print("nothing suspicious found", file=sys.stderr)
        return 0
    path = review.write_review_file(study, found)
    print(
        f"{n} item(s) written to {path} (personal data: it stays in private/)\n"
        "next: set action: mask or keep for each item, then run 'dialoog pseudonymise --apply-review'",
        file=sys.stderr,
    )
    return 0


def run(args: argparse.Namespace) -> int:
    from dialoog.privacy import pseudonymise as privacy
    from dialoog.study.folder import open_study

    study = open_study(args.study, strict=False)
    if args.review:
        return _review(study, args.ids or None)
    if args.apply_review:
        from dialoog.privacy.review import apply_review

        done = apply_review(study, key=args.key)
        print(
            f"masked {done.masked} item(s) in {done.transcripts} transcript(s), kept {done.kept}; "
            f"offsets updated in {done.offset_files} codings/suggestions file(s)"
        )
        print(_key_note(privacy, study, args.key), file=sys.stderr)
        return 0
    results = privacy.pseudonymise_study(study, key=args.key, ids=args.ids or None, progress=sys.stderr.isatty())
    for r in results:
        if r.skipped:
            print(f"{r.id}: already pseudonymised, left as it is")
        else:
            counts = ", ".join(f"{label} {n}" for label, n in sorted(r.counts.items())) or "nothing found"
            labels = f"; names in speaker labels {len(r.speakers)}" if r.speakers else ""
            print(f"{r.id}: {counts}{labels}")
    print(
        _key_note(privacy, study, args.key) + "\nnext: check the result with 'dialoog pseudonymise --review'",
        file=sys.stderr,
    )
    return 0
