"""dialoog validate: every problem of the study, with file, line and key."""

from __future__ import annotations

import argparse

from dialoog.commands import study_arg


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check every study file; list every problem",
        description="Load the whole study (transcripts, codebook, codings, settings, inventory registers, monitor "
        "files, rapport/, privacy.yaml and suggestions) and report every problem with file, line and key, including "
        "outputs made stale by 'dialoog withdraw' and derived files that refer to transcripts the study no longer "
        "has. 'dialoog schema --list' lists the kinds of file and their schemas.",
    )
    study_arg(p)
    p.set_defaults(func=run)


def _registers_problems(study) -> tuple[list, list[str]]:
    """Problems of the inventory registers, the monitor files, privacy.yaml, rapport/ and suggestions/, and
    which registers and monitor files were checked."""
    from dialoog.errors import DialoogError, ValidationError
    from dialoog.inventory import registers as inventory
    from dialoog.monitor import data as monitor
    from dialoog.study.gemeenten import find_gemeente

    problems: list[DialoogError] = []
    checked: list[str] = []

    def attempt(label: str, load) -> None:
        try:
            load()
            if label:
                checked.append(label)
        except ValidationError as exc:
            problems.extend(exc.problems)
        except DialoogError as exc:
            problems.append(exc)

    for slug in study.gemeente_slugs():
        if inventory.folder(study, find_gemeente(slug)).is_dir():
            attempt(f"inventaris/{slug}", lambda slug=slug: inventory.load(study, find_gemeente(slug)))
    for _label, load in _other_files(study):  # privacy.yaml, rapport/, suggestions/: not listed in the summary
        attempt("", load)
    folder = study.root / monitor.FOLDER
    for name, load in (
        ("monitor.csv", monitor.load_figures),
        ("alliantie.yaml", monitor.load_alliance),
        ("regios.yaml", monitor.load_regions),
    ):
        if (folder / name).is_file():
            attempt(f"{monitor.FOLDER}/{name}", lambda load=load, name=name: load(folder / name))
    return problems, checked


def _other_files(study) -> list[tuple[str, object]]:
    """(label, load) of privacy.yaml, the rapport/ files and the suggestions files that the study has."""
    from dialoog.privacy.detect import LISTS_FILE, load_study_lists
    from dialoog.study import reportfiles
    from dialoog.study.schemas import KINDS
    from dialoog.study.yamlload import raise_problems, read_rows

    out: list[tuple[str, object]] = []
    if (study.root / LISTS_FILE).is_file():
        out.append((LISTS_FILE, lambda: load_study_lists(study.root)))
    loaders = {
        reportfiles.GOALS_FILE: reportfiles.load_goals,
        reportfiles.CONTACTS_FILE: reportfiles.load_contacts,
        reportfiles.ORGANISATIONS_FILE: reportfiles.load_organisations,
    }
    rapport = study.root / reportfiles.FOLDER
    for path in sorted(rapport.glob("*.yaml")) + sorted(rapport.glob("*/*.yaml")):
        if path.name in loaders:
            out.append((str(path.relative_to(study.root)), lambda p=path: loaders[p.name](p)))
    suggestions = study.root / "suggestions"
    for kind, paths in (("suggestions", suggestions.glob("*.csv")), ("rejected", suggestions.glob("rejected/*.csv"))):
        for path in sorted(paths):
            k = KINDS[kind]
            out.append(
                (
                    str(path.relative_to(study.root)),
                    lambda p=path, k=k: raise_problems(read_rows(p, k.columns, k.model, older=k.older)[1]),
                )
            )
    out += _monitor_files(study)
    consensus = study.root / "consensus" / "consensus.csv"
    if consensus.is_file():  # the team's consensus: codings of coder 'consensus', checked like a coder's file
        out.append(("consensus/consensus.csv", lambda: _check_codings(study, consensus)))
    return out


def _monitor_files(study) -> list[tuple[str, object]]:
    """The monitor's aggregate files and the survey mapping, where the study has them."""
    from dialoog.monitor import schemas as monitor_schemas
    from dialoog.monitor.sources import FILES

    out: list[tuple[str, object]] = []
    for name, model in FILES.values():
        path = study.root / "monitor" / name
        if path.is_file():
            out.append((f"monitor/{name}", lambda p=path, m=model: monitor_schemas.read_rows(p, m)))
    mapping = study.root / "monitor" / "enquete-mapping.yaml"
    if mapping.is_file():
        out.append(("monitor/enquete-mapping.yaml", lambda: monitor_schemas.load_mapping(mapping)))
    return out


def _check_codings(study, path) -> None:
    from dialoog.errors import ValidationError
    from dialoog.study import codings

    problems = codings.validate(codings.read(path), path, study.transcripts, study.codebook)
    if problems:
        raise ValidationError(problems)


def run(args: argparse.Namespace) -> int:
    from dialoog.errors import ValidationError
    from dialoog.privacy.withdrawal import leftover_problems
    from dialoog.study.folder import open_study

    study = open_study(args.study, strict=False)
    problems = study.problems()
    if problems:  # the registers are checked against a valid study
        raise ValidationError(problems + leftover_problems(study))
    from dialoog.privacy.integrity import check_before_use

    rechecked = check_before_use(study)  # hand-edited pseudonymised transcripts: the detector runs again
    if rechecked:
        print(f"checked again after a change by hand, nothing found: {', '.join(rechecked)}")
    problems, checked = _registers_problems(study)
    problems += leftover_problems(study)  # stale outputs, derived files of transcripts that are gone
    if problems:
        raise ValidationError(problems)
    print(
        f"ok: {len(study.transcripts)} transcripts, {len(study.codebook.codes)} codes, "
        f"{len(study.codings)} codings by {len(study.coder_files())} coder(s)"
        + (f"; registers: {', '.join(checked)}" if checked else "")
    )
    return 0
