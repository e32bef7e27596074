"""The `dialoog` command line: a thin layer over the library; each subcommand is a module in
`dialoog.commands`."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
from collections.abc import Sequence

from dialoog import __version__, commands
from dialoog.errors import DialoogError, error_location

#: set to 1 to see the full traceback of an unexpected error (it can quote study data)
DEBUG_ENV = "DIALOOG_DEBUG"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dialoog",
        description="Workbench for dialogue research with LHBT residents: import, validate, code and report.",
    )
    parser.add_argument("--version", action="version", version=f"dialoog {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}").register(sub)
    return parser


def _quiet_pipe() -> int:
    """The reader of our output went away (`dialoog list | head -1`): stop quietly, like other tools."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's final flush must not fail again
    except (OSError, ValueError):
        pass
    return 141  # 128 + SIGPIPE, what a shell reports for a command stopped by a closed pipe


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return _quiet_pipe()
    except DialoogError as exc:  # includes ValidationError; the message names file, line and key
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; files written so far are complete (every write is atomic)", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get(DEBUG_ENV) or argv is not None:  # called from Python (tests, notebooks): raise
            raise
        # the exception's text and a traceback could quote study data: name only its type and place
        print(
            f"error: unexpected {error_location(exc)}\n  hint: please report it; run again with "
            f"{DEBUG_ENV}=1 to see the full traceback (it can contain study data: do not share it as is)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
