"""dialoog schema: the JSON Schema of each kind of study file, for editors and other tools."""

from __future__ import annotations

import argparse
import sys


class _Kinds:
    """The names of the kinds, for argparse's choices, read only when a command line is checked: building
    the parser for another command does not import every schema."""

    def __contains__(self, name: object) -> bool:
        from dialoog.study.schemas import KINDS

        return name in KINDS

    def __iter__(self):
        from dialoog.study.schemas import KINDS

        return iter(sorted(KINDS))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of a kind of study file (--list: the kinds)",
        description="Print the JSON Schema (draft 2020-12) of one kind of study file, e.g. 'dialoog schema "
        "codebook > codebook.schema.json'. For a CSV kind the schema describes one row; for a transcript "
        "its front matter. 'dialoog validate' checks a whole study with these schemas and more.",
    )
    p.add_argument("kind", nargs="?", choices=_Kinds(), metavar="KIND", help="the kind of file (see --list)")
    p.add_argument("--list", action="store_true", help="list the kinds of study file and where they live")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dialoog.study.schemas import KINDS, json_schema_text

    if args.list or not args.kind:
        width = max(len(k) for k in KINDS)
        for kind in KINDS.values():
            print(f"{kind.name:{width}}  {kind.format:12}  {kind.files}")
        if not args.list:
            print("\nname a kind to print its JSON Schema, e.g. 'dialoog schema codebook'", file=sys.stderr)
            return 2
        return 0
    sys.stdout.write(json_schema_text(args.kind))
    return 0
