"""dialoog init: a new study folder, ready to import transcripts into and to code."""

from __future__ import annotations

import argparse
import uuid
from importlib import resources
from pathlib import Path

from dialoog import __version__
from dialoog.errors import DialoogError
from dialoog.fileio import atomic_write_text

PACKAGE = Path(__file__).resolve().parents[1]

#: files copied from dialoog into a new study: (path in the study, path in the installed package,
#: path in a source checkout of dialoog)
STARTERS = {
    "codebook/codebook.yaml": ("data/starter/codebook.yaml", "codebook/codebook.yaml"),
    "rapport/contacten.yaml": ("data/starter/contacten.yaml", "rapport/contacten.yaml"),
    "notebooks/coderen.ipynb": ("notebooks/coderen.ipynb", "notebooks/coderen.ipynb"),
}

GITIGNORE = """\
# written by 'dialoog init': what must never enter git
private/
raw/
reports/
# dialoog's cache (the suggestion model and the lemmas of the study's words)
.dialoog-cache/
# lock files of the coder, notebook checkpoints
.*.lock
.ipynb_checkpoints/
"""

SETTING_COMMENTS = {
    "small_cell_threshold": "counts below this are shown as '< N' in reports",
    "quote_wijk": "may quotes name the wijk as well as the respondent role?",
    "spacy_model": "e.g. nl_core_news_md, if installed; empty: the built-in offline pipeline",
    "study_id": "a fixed id of this study (used in exports); keep it when you copy the folder",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help="create a new study folder",
        description="Create a new study: folders, a starter codebook (a copy of the demo's), dialoog.yaml with "
        "the default settings, the national contacts for the leaflet, a .gitignore that keeps private/, raw/ "
        "and reports/ out of git, and the coding notebook. Existing files are never overwritten.",
    )
    p.add_argument("dir", type=Path, help="the new study folder (created if needed)")
    p.add_argument("--gemeente", help="the first municipality of the study (a CBS name, e.g. Schiedam)")
    p.set_defaults(func=run)


def source(study_path: str) -> Path:
    """The file dialoog ships for `study_path`: from the installed package, else from a source checkout."""
    packaged, checkout = STARTERS[study_path]
    for path in (Path(str(resources.files("dialoog").joinpath(packaged))), PACKAGE.parents[1] / checkout):
        if path.is_file():
            return path
    raise DialoogError(f"dialoog's copy of {study_path} is missing", path=PACKAGE, hint="reinstall dialoog")


def settings_text() -> str:
    """dialoog.yaml with every setting at its default, commented; a new study_id if settings know that key."""
    from dialoog.study.settings import Settings

    lines = ["# Study settings (see the README, 'Your own study'); every key is optional."]
    for name, field in Settings.model_fields.items():
        value = getattr(Settings(), name)
        if name == "study_id":
            value = str(uuid.uuid4())
        if isinstance(value, bool):
            shown = "true" if value else "false"
        elif isinstance(value, str):
            shown = f'"{value}"'
        else:
            shown = str(value)
        comment = SETTING_COMMENTS.get(name, field.description or "")
        lines.append(f"{name}: {shown}" + (f"  # {comment}" if comment else ""))
    return "\n".join(lines) + "\n"


def codebook_text() -> str:
    text = source("codebook/codebook.yaml").read_text(encoding="utf-8")
    marker = (
        f"# STARTER CODEBOOK: a copy of the codebook of dialoog's fictional demo study (dialoog {__version__}),\n"
        "# made by 'dialoog init'. Adapt it to your study: add, rename, move or merge codes (also from the\n"
        "# coder's 'Codeboek' tab, which keeps the codings in step) and remove this note when it is yours.\n"
    )
    return marker + text


def notebook_text(gemeente: str) -> str:
    """The coding notebook for this study: no jupytext pairing, the gemeente filled in, no outputs."""
    import nbformat

    nb = nbformat.read(source("notebooks/coderen.ipynb"), as_version=4)
    nb.metadata.pop("jupytext", None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if "parameters" in cell.metadata.get("tags", []) and gemeente:
                cell.source = cell.source.replace('gemeente = ""', f'gemeente = "{gemeente}"')
    return nbformat.writes(nb) + "\n"


def init_study(root: Path, gemeente: str | None = None) -> list[Path]:
    """Create the study folder `root`; returns the files written (existing files are left as they are)."""
    from dialoog.study.gemeenten import find_gemeente

    root = Path(root)
    slug = name = ""
    if gemeente:
        found = find_gemeente(gemeente)
        if found is None:
            raise DialoogError(f"unknown gemeente '{gemeente}'", key="--gemeente", hint="use a CBS name of 2025")
        slug, name = found.slug, found.name
    if root.exists() and not root.is_dir():
        raise DialoogError("exists and is not a folder", path=root, hint="choose a new folder name")
    for folder in ("interviews", "codebook", "codings", "consensus", "rapport", "notebooks", "private", "raw"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    if slug:
        (root / "interviews" / slug).mkdir(exist_ok=True)
    files = {
        "codebook/codebook.yaml": codebook_text,
        "rapport/contacten.yaml": lambda: source("rapport/contacten.yaml").read_text(encoding="utf-8"),
        "notebooks/coderen.ipynb": lambda: notebook_text(name),
        "dialoog.yaml": settings_text,
        ".gitignore": lambda: GITIGNORE,
    }
    written = []
    for rel, make in files.items():
        path = root / rel
        if not path.exists():
            atomic_write_text(path, make())
            written.append(path)
    return written


def run(args: argparse.Namespace) -> int:
    written = init_study(args.dir, args.gemeente)
    root = args.dir
    for path in written:
        print(f"wrote {path.relative_to(root)}")
    if not written:
        print(f"{root} is already a study; nothing was changed")
    g = f" --gemeente {args.gemeente}" if args.gemeente else " --gemeente NAAM"
    print(
        "\nnext steps:\n"
        f"  dialoog import gesprek.docx{g} --consent --study {root}\n"
        f"  dialoog pseudonymise --study {root}\n"
        f"  dialoog code --study {root}\n"
        f"  dialoog report --all --study {root}"
    )
    return 0
