"""``genera report``: the programme's monitoring table for a period (default: each year)."""

from __future__ import annotations

import argparse

from genera_graph.cli._common import load_dataset, parse_date

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="the programme's monitoring table")
    p.add_argument("--from", dest="start", type=parse_date,
                   help="first day of the period (dd/mm/yyyy); default: each programme year")
    p.add_argument("--to", dest="end", type=parse_date,
                   help="day after the last day of the period (dd/mm/yyyy, half-open)")
    p.add_argument("--lang", choices=["it", "en"], default="it", help="label language")
    p.add_argument("--registers", metavar="DIR",
                   help="read register files from DIR instead of the store")
    p.add_argument("--csv", metavar="PATH", help="also write the tidy table as CSV (;)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from genera_graph.analytics.report import monitoring_report, report_text

    ds = load_dataset(args)
    periods = None
    if args.start or args.end:
        if not (args.start and args.end):
            raise SystemExit("genera report: give both --from and --to, or neither")
        periods = [(args.start, args.end)]
    table = monitoring_report(ds, periods)
    text = report_text(table, lang=args.lang)
    headers = list(text.columns[1:])
    width = max(len(x) for x in text.iloc[:, 0])
    widths = [max(len(c), *(len(v) for v in text[c])) for c in headers]
    print(" " * width + "  " + "  ".join(c.rjust(w) for c, w in zip(headers, widths, strict=True)))
    for label, *cells in text.itertuples(index=False):
        print(label.ljust(width) + "  "
              + "  ".join(v.rjust(w) for v, w in zip(cells, widths, strict=True)))
    if args.csv:
        from genera_graph.exports.tables import write_csv

        write_csv(table, args.csv)
        print(f"wrote {args.csv}")
    return 0
