"""The ``genera`` command line: ``genera [--store PATH_OR_URL] COMMAND ...``.

Commands live in modules ``cmd_*.py`` of this package; each defines ``register(subparsers)``
(adding its subparser with ``set_defaults(func=run)``) and ``run(args) -> int``. They are found
at start-up, so a new command is a new module. Layers above the library (the explorer's
``genera serve``) add theirs through the entry-point group :data:`ENTRY_POINT_GROUP`, so that
the library never imports them.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import logging
import os
import pkgutil
import sys
from collections.abc import Sequence

from genera_graph import __version__

__all__ = ["DEFAULT_STORE", "ENTRY_POINT_GROUP", "build_parser", "main"]

#: entry-point group of command modules contributed by other packages
ENTRY_POINT_GROUP = "genera.commands"

#: the store used when neither ``--store`` nor ``$GENERA_STORE`` is given
DEFAULT_STORE = "genera.sqlite"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every ``cmd_*`` module's command registered."""
    parser = argparse.ArgumentParser(
        prog="genera",
        description="Map and analyse the relationships of the #genera_azioni programme.",
    )
    parser.add_argument("--version", action="version", version=f"genera_graph {__version__}")
    parser.add_argument(
        "--store",
        default=os.environ.get("GENERA_STORE", DEFAULT_STORE),
        help="store: a SQLite file path or a SQLAlchemy URL "
        f"(default: $GENERA_STORE or {DEFAULT_STORE} in the current folder)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("cmd_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            module.register(sub)
    for entry in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP),
                        key=lambda e: e.name):
        entry.load().register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``genera`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
