"""``genera export-store DIR``: write the store back as register files (``;``, dd/mm/yyyy)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export-store", help="write the store as register files into DIR")
    p.add_argument("folder", metavar="DIR", help="output folder (created if missing)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from genera_graph.io.store import Store

    try:
        from genera_graph.cli._common import store_url
        target = store_url(args)
    except ImportError:  # pragma: no cover - the CLI package always has it
        target = args.store
    if "://" not in target and not Path(target).exists():
        print(f"genera: no store at {target}", file=sys.stderr)
        return 2
    with Store(target) as store:
        written = store.export(args.folder)
        from genera_graph.cli.cmd_audit import record_command

        record_command(store, "export_store", ["registers"], files=len(written))
    for path in written:
        print(path)
    return 0
