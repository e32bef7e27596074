"""Subcommands of the `dialoog` command line, one module each.

Every module here has ``register(sub)``, which adds its parser to the subparsers `sub` and sets
``func`` (called with the parsed arguments, returning the exit code). `dialoog.cli` discovers the
modules, so adding a command means adding a module.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def study_arg(p: argparse.ArgumentParser) -> None:
    """The --study option that every command has."""
    p.add_argument(
        "--study", type=Path, default=Path("."), metavar="DIR", help="the study folder (default: the current folder)"
    )
