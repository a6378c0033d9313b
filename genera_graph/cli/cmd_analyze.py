"""``genera analyze --at DATE --out DIR``: isolation, early-warning, bridging and brokerage."""

from __future__ import annotations

import argparse
from datetime import date

from genera_graph.cli._common import load_dataset, parse_date
from genera_graph.l10n import format_date

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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from genera_graph.analytics.tables import analysis_tables
    from genera_graph.exports.tables import write_table
    from genera_graph.temporal import TemporalGraph

    tg = TemporalGraph.from_dataset(load_dataset(args))
    at: date = args.at or tg.last_day
    if at is None:
        raise SystemExit("genera analyze: the store holds no events")
    tables = analysis_tables(tg, at, groups=args.groups, view=args.view, level=args.level,
                             weight="weight" if args.weighted else None)
    for name, (frame, dictionary) in tables.items():
        written = write_table(frame, args.out, name, dictionary)
        print(f"{name}: {len(frame)} rows -> {written['csv'].name}, "
              f"{written['parquet'].name}, {written['dictionary'].name}")
    print(f"analysis of {format_date(at)} written to {args.out}")
    return 0
