"""The ``genera`` command line: ``genera [--store PATH_OR_URL] COMMAND ...`` (also
``python -m genera_graph``).

A value that cannot be used (a malformed date, an unknown programme or Community Point, a
missing folder) is one line on stderr and exit status 2, never a traceback: argparse errors
through :class:`~genera_graph.cli._common.ArgumentParser`, checks made by a command by raising
:class:`~genera_graph.cli._common.UsageError`. Every command's ``--help`` starts with its
one-line summary and ends with examples (:data:`~genera_graph.cli._common.EXAMPLES`).

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

#: the file-mode mask of every command: files 0600, folders 0700
PRIVATE_UMASK = 0o077

#: the store used when neither ``--store`` nor ``$GENERA_STORE`` is given
DEFAULT_STORE = "genera.sqlite"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every ``cmd_*`` module's command registered."""
    from genera_graph.cli._common import ArgumentParser, describe_commands

    parser = ArgumentParser(
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
    describe_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``genera`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from genera_graph.cli._common import UsageError
    from genera_graph.io.database import StoreMissingFolderError, StoreVersionError

    # every file a command creates (the store and its WAL, keys, exports, reports, logs) is
    # the user's only (0600) and every folder it creates is 0700: they hold families' data
    umask = os.umask(PRIVATE_UMASK)
    try:
        return int(args.func(args) or 0)
    except (UsageError, StoreMissingFolderError, StoreVersionError) as error:
        print(f"genera {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        os.umask(umask)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
