"""`dialoog check` and the warning of `dialoog report`: what is still missing for a good report."""

from __future__ import annotations

import shutil

import pytest

from dialoog.cli import main
from dialoog.errors import DialoogError
from dialoog.report.readiness import check
from dialoog.study.folder import Study

from .conftest import REPO


def test_a_demo_gemeente_lists_what_is_missing_with_fixes(demo_copy, capsys):
    study = Study(demo_copy)
    items = check(study, study.gemeente("groningen"), "STUDY")  # two coders, no consensus yet
    whats = " | ".join(i.what for i in items)
    assert "no consensus coding" in whats
    for item in items:
        assert "STUDY" in item.fix or "rapport/" in item.fix or "front matter" in item.fix
    assert main(["check", "groningen", "--study", str(demo_copy)]) == 0  # missing things, nothing blocking
    out = capsys.readouterr().out
    assert "thing(s) to do" in out and "fix: dialoog agreement" in out


def test_the_consensus_file_counts_as_the_teams_consensus(demo_copy):
    """Schiedam's consensus is in consensus/consensus.csv, where `dialoog merge` writes it (not among the
    coders' files): the check must not ask for it again."""
    shutil.copytree(REPO / "consensus", demo_copy / "consensus")
    study = Study(demo_copy)
    assert not any("no consensus coding" in i.what for i in check(study, study.gemeente("schiedam"), "STUDY"))
    (demo_copy / "consensus" / "consensus.csv").unlink()
    study = Study(demo_copy)
    assert any("no consensus coding" in i.what for i in check(study, study.gemeente("schiedam"), "STUDY"))


def test_missing_inventory_goals_and_contacts_are_named(demo_copy):
    shutil.rmtree(demo_copy / "inventaris" / "groningen")  # the copy has no rapport/: no goals, no contacts
    study = Study(demo_copy)
    whats = " | ".join(i.what for i in check(study, study.gemeente("groningen")))
    assert "no inventory" in whats and "no goals and actions" in whats and "no contacts" in whats
    shutil.copytree(REPO / "rapport", demo_copy / "rapport")
    whats = " | ".join(i.what for i in check(Study(demo_copy), study.gemeente("groningen")))
    assert "no goals and actions" not in whats and "no contacts" not in whats


def test_a_transcript_that_is_not_pseudonymised_blocks(tiny_study, capsys):
    path = next(tiny_study.interviews_dir.glob("*/*.md"))
    path.write_text(path.read_text(encoding="utf-8").replace("pseudonymised: true", "pseudonymised: false"))
    study = Study(tiny_study.root)
    slug = path.parent.name
    items = check(study, study.gemeente(slug))
    assert any(i.blocking and "not pseudonymised" in i.what for i in items)
    assert main(["check", slug, "--study", str(tiny_study.root)]) == 1
    assert "dialoog pseudonymise" in capsys.readouterr().out


def test_a_gemeente_without_transcripts_says_how_to_import_them(demo_copy):
    with pytest.raises(DialoogError) as exc:
        Study(demo_copy).gemeente("Tilburg")
    assert "no transcripts for gemeente Tilburg" in str(exc.value) and "dialoog import" in str(exc.value)
    with pytest.raises(DialoogError, match="did you mean 'schiedam'"):
        Study(demo_copy).gemeente("schiedm")


def test_every_command_a_fix_suggests_is_one_the_cli_accepts(demo_copy, tiny_study):
    """The fixes are copied into a terminal as they stand: each `dialoog ...` in them must parse."""
    import re

    from dialoog.cli import build_parser

    shutil.rmtree(demo_copy / "inventaris" / "groningen")
    studies = [(Study(demo_copy), "groningen"), (Study(demo_copy), "schiedam")]
    studies += [(Study(tiny_study.root), slug) for slug in Study(tiny_study.root).gemeente_slugs()]
    commands = set()
    for study, slug in studies:
        for item in check(study, study.gemeente(slug), "STUDY"):
            commands |= {m.strip() for m in re.findall(r"dialoog (?:[\w.-]+ ?)+", item.fix)}
    assert any(c.startswith("dialoog inventory") for c in commands)
    parser = build_parser()
    for command in commands:
        try:
            parser.parse_args(command.split()[1:])
        except SystemExit:
            pytest.fail(f"the fix suggests a command the CLI refuses: {command}")
