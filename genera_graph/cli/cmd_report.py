"""``genera report``: the programme's monitoring table for a period (default: each year)."""

from __future__ import annotations

import argparse

from genera_graph.cli._common import UsageError, load_dataset, parse_date
from genera_graph.l10n import format_date, format_integer, format_percent, gettext

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
    p.add_argument("--csv", metavar="PATH", help="also write the tidy table as CSV")
    p.add_argument("--dialect", choices=["italian", "research"], default="italian",
                   help="CSV dialect of --csv: italian (default: ';', decimal comma, "
                   "dd/mm/yyyy) or research (',', decimal point, ISO dates)")
    p.add_argument("--introductions", metavar="CSV",
                   help="the introductions section from this file (actor_id;candidate_id;"
                        "status;date dd/mm/yyyy, see genera_graph.io.introductions) instead "
                        "of the introductions marked in the store (the section is added when "
                        "the store has any): whether a peer tie followed within 90 days")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from genera_graph.analytics.report import monitoring_report, report_text

    periods = None
    if args.start or args.end:
        if not (args.start and args.end):
            raise UsageError("give both --from and --to, or neither")
        if not args.start < args.end:
            raise UsageError("--from must be before --to (the period is [from, to))")
        periods = [(args.start, args.end)]
    ds = load_dataset(args)
    table = monitoring_report(ds, periods)
    recorded = _introductions(args)
    if recorded is not None and len(recorded):
        table = _with_introductions(table, ds, recorded, args.introductions or "store")
    text = report_text(table, lang=args.lang)
    headers = list(text.columns[1:])
    width = max(len(x) for x in text.iloc[:, 0])
    widths = [max(len(c), *(len(v) for v in text[c])) for c in headers]
    print(" " * width + "  " + "  ".join(c.rjust(w) for c, w in zip(headers, widths, strict=True)))
    for label, *cells in text.itertuples(index=False):
        print(label.ljust(width) + "  "
              + "  ".join(v.rjust(w) for v, w in zip(cells, widths, strict=True)))
    if not getattr(args, "registers", None):
        _print_followups(args, ds, periods)
    if args.csv:
        from genera_graph.exports.tables import write_csv

        write_csv(table, args.csv, args.dialect)
        print(f"wrote {args.csv}")
    return 0


def _print_followups(args: argparse.Namespace, ds, periods) -> None:
    """Per point and facilitator: households flagged on the report's last day that had a
    follow-up (recorded in the explorer) within 14 days."""
    from datetime import timedelta

    from genera_graph.analytics.followups import COVERAGE_DAYS, flagged_coverage
    from genera_graph.cli._common import store_url
    from genera_graph.io.records import followups
    from genera_graph.io.store import Store
    from genera_graph.model import DEFAULT_CONFIG
    from genera_graph.temporal import TemporalGraph

    end = periods[-1][1] if periods else DEFAULT_CONFIG.programme_years()[-1][1]
    day = end - timedelta(days=1)
    with Store(store_url(args)) as store:
        recorded = followups(store)
    table = flagged_coverage(TemporalGraph.from_dataset(ds, DEFAULT_CONFIG), recorded, day,
                             config=DEFAULT_CONFIG)
    lang = args.lang
    print()
    print(gettext("Households flagged on {day} with a follow-up within {days} days", lang)
          .format(day=format_date(day, lang), days=COVERAGE_DAYS))
    if not len(table):
        print("  " + gettext("no household flagged", lang))
        return
    total = (int(table["flagged"].sum()), int(table["followed_up"].sum()))
    rows = [(f"{r.community_point_id or '-'} · {r.facilitator_id or '-'}", r.followed_up,
             r.flagged) for r in table.itertuples(index=False)]
    rows.append((gettext("total", lang), total[1], total[0]))
    width = max(len(r[0]) for r in rows)
    for label, done, flagged in rows:
        share = format_percent(done / flagged, lang) if flagged else "–"
        counts = gettext("{done} of {flagged}", lang).format(
            done=format_integer(done, lang), flagged=format_integer(flagged, lang))
        print(f"  {label.ljust(width)}  {counts}  ({share})")


def _introductions(args: argparse.Namespace):
    """The introductions of the report: from ``--introductions CSV``, else those marked in the
    store (none with ``--registers``)."""
    from genera_graph.io.registers import RegisterError

    path = getattr(args, "introductions", None)
    if path:
        from genera_graph.io.introductions import read_introductions

        try:
            return read_introductions(path)
        except (RegisterError, OSError) as exc:
            raise SystemExit(f"genera report: {exc}") from exc
    if getattr(args, "registers", None):
        return None
    from genera_graph.cli._common import store_url
    from genera_graph.io.introductions import stored_introductions
    from genera_graph.io.store import Store

    with Store(store_url(args)) as store:
        return stored_introductions(store)


def _with_introductions(table, ds, recorded, where):
    """The monitoring table with the introductions section of the same periods appended."""
    import pandas as pd

    from genera_graph.analytics.introductions import (
        introduction_indicators,
        introduction_outcomes,
    )
    from genera_graph.temporal import TemporalGraph

    try:
        outcomes = introduction_outcomes(TemporalGraph.from_dataset(ds), recorded)
    except ValueError as exc:
        raise SystemExit(f"genera report: {where}: {exc}") from exc
    periods = table[["period_start", "period_end"]].drop_duplicates()
    section = introduction_indicators(outcomes, [(s.date(), e.date()) for s, e in
                                                 periods.itertuples(index=False)])
    return pd.concat([table, section], ignore_index=True)
