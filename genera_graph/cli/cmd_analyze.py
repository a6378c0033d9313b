"""``genera analyze --at DATE --out DIR``: isolation, early-warning, bridging and brokerage."""

from __future__ import annotations

import argparse
from datetime import date

from genera_graph.cli._common import (
    UsageError,
    add_table_options,
    load_dataset,
    parse_date,
    table_options,
)
from genera_graph.l10n import format_date, ngettext

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("analyze", help="write the analysis tables of a date (CSV ; + Parquet)")
    p.add_argument("--at", type=parse_date, default=None,
                   help="day of the analysis (dd/mm/yyyy; default: the last day of the data)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--groups", choices=["community_point", "programme"],
                   default="community_point", help="brokerage groups")
    p.add_argument("--view", choices=["at", "cumulative"], default="at",
                   help="graph of the bridging tables: ties active on the day, or all up to it")
    p.add_argument("--level", choices=["household", "individual"], default="individual",
                   help="graph level of the bridging tables")
    p.add_argument("--weighted", action="store_true",
                   help="betweenness with interaction counts as strengths (distance 1/count)")
    p.add_argument("--registers", metavar="DIR",
                   help="read register files from DIR instead of the store")
    add_table_options(p)
    p.add_argument("--lang", choices=["it", "en"], default=None,
                   help="language of the data dictionaries and of the summary "
                   "(default: the dialect's, it for italian, en for research)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from genera_graph.analytics.tables import analysis_tables
    from genera_graph.exports.tables import write_table
    from genera_graph.temporal import TemporalGraph

    tg = TemporalGraph.from_dataset(load_dataset(args))
    at: date = args.at or tg.last_day
    if at is None:
        raise UsageError("the data hold no events: nothing to analyse")
    tables = analysis_tables(tg, at, groups=args.groups, view=args.view, level=args.level,
                             weight="weight" if args.weighted else None)
    options = table_options(args)
    for name, (frame, dictionary) in tables.items():
        written = write_table(frame, args.out, name, dictionary, **options)
        print(f"{name}: {len(frame)} rows -> {', '.join(p.name for p in written.values())}")
    flagged = len(tables["early_warning"][0])
    print(ngettext("{n} household flagged", "{n} households flagged", flagged, options["lang"])
          .format(n=flagged))
    print(f"analysis of {format_date(at)} written to {args.out}")
    return 0
