"""dialoog validate: every problem of the study, with file, line and key."""

from __future__ import annotations

import argparse

from dialoog.commands import study_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check transcripts, codebook and codings; list every problem",
        description="Load the whole study and report every problem with file, line and key.",
    )
    study_arg(p)
    p.set_defaults(func=run)


def _registers_problems(study) -> tuple[list, list[str]]:
    """Problems of the inventory registers and the monitor files, and what was checked."""
    from dialoog.errors import DialoogError, ValidationError
    from dialoog.inventory import registers as inventory
    from dialoog.monitor import data as monitor
    from dialoog.study.gemeenten import find_gemeente

    problems: list[DialoogError] = []
    checked: list[str] = []

    def attempt(label: str, load) -> None:
        try:
            load()
            checked.append(label)
        except ValidationError as exc:
            problems.extend(exc.problems)
        except DialoogError as exc:
            problems.append(exc)

    for slug in study.gemeente_slugs():
        if inventory.folder(study, find_gemeente(slug)).is_dir():
            attempt(f"inventaris/{slug}", lambda slug=slug: inventory.load(study, find_gemeente(slug)))
    folder = study.root / monitor.FOLDER
    for name, load in (
        ("monitor.csv", monitor.load_figures),
        ("alliantie.yaml", monitor.load_alliance),
        ("regios.yaml", monitor.load_regions),
    ):
        if (folder / name).is_file():
            attempt(f"{monitor.FOLDER}/{name}", lambda load=load, name=name: load(folder / name))
    return problems, checked


def run(args: argparse.Namespace) -> int:
    from dialoog.errors import ValidationError
    from dialoog.study.folder import open_study

    study = open_study(args.study)
    from dialoog.privacy.integrity import check_before_use

    rechecked = check_before_use(study)  # hand-edited pseudonymised transcripts: the detector runs again
    if rechecked:
        print(f"checked again after a change by hand, nothing found: {', '.join(rechecked)}")
    problems, checked = _registers_problems(study)
    if problems:
        raise ValidationError(problems)
    print(
        f"ok: {len(study.transcripts)} transcripts, {len(study.codebook.codes)} codes, "
        f"{len(study.codings)} codings by {len(study.coder_files())} coder(s)"
        + (f"; registers: {', '.join(checked)}" if checked else "")
    )
    return 0
