"""The project's set-up files agree with each other and with the docs."""

import re
import tomllib

import jupytext
import nbformat
import pytest
import yaml
from packaging.requirements import Requirement

from .conftest import REPO


def _pyproject_requirements() -> dict[str, str]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]
    return {Requirement(r).name.lower(): str(Requirement(r).specifier) for r in reqs}


def _environment_requirements() -> dict[str, str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    out = {}
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    deps += [d for entry in env["dependencies"] if isinstance(entry, dict) for d in entry.get("pip", [])]
    for dep in deps:
        m = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", dep)
        out[m.group(1).lower()] = m.group(2).replace(" ", "")
    return out


def test_environment_yml_matches_pyproject():
    env = _environment_requirements()
    assert env.pop("python") == ">=3.11"
    env.pop("pip")
    assert env == _pyproject_requirements()


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_dependency_is_pinned_in_constraints_txt():
    """`make` installs with constraints.txt (all packages pinned), so a report renders the same in a year."""
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", line)
        if m:
            pins[_canonical(m.group(1))] = m.group(2)
    for name, spec in _pyproject_requirements().items():
        assert _canonical(name) in pins, f"{name} is not pinned: run 'make lock'"
        assert Requirement(f"{name}{spec}").specifier.contains(pins[_canonical(name)], prereleases=True), (
            f"constraints.txt pins {name}=={pins[_canonical(name)]}, outside {spec}: run 'make lock'"
        )


@pytest.mark.parametrize("name", ["perspectieven", "coderen"])
def test_report_notebook_is_paired_with_its_text_file(name):
    """The .py file is what reviews read; it must hold the same cells as the .ipynb that runs."""
    ipynb = nbformat.read(REPO / "notebooks" / f"{name}.ipynb", as_version=4)
    text = jupytext.read(REPO / "notebooks" / f"{name}.py")

    def cells(nb):
        return [(c.cell_type, c.source, sorted(c.metadata.get("tags", []))) for c in nb.cells]

    assert cells(ipynb) == cells(text), f"run: jupytext --sync notebooks/{name}.py"
    assert all(not c.get("outputs") for c in ipynb.cells if c.cell_type == "code"), "commit notebooks without outputs"
    tagged = [c for c in ipynb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1


def test_readme_shows_the_two_commands_and_architecture_exists():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make report" in readme and "make test" in readme
    assert (REPO / "ARCHITECTURE.md").is_file()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
