"""``genera export``: a view as metrics tables, GraphML, GEXF 1.3 or a standalone HTML map;
``genera export --research --study NAME``: the pseudonymised research dataset."""

from __future__ import annotations

import argparse
from pathlib import Path

from genera_graph.cli._common import load_dataset, parse_date

__all__ = ["register", "run"]

FORMATS = ("csv", "parquet", "graphml", "gexf", "html")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export a view (metrics, GraphML, GEXF, HTML map) or a "
                       "pseudonymised research dataset")
    p.add_argument("--format", choices=FORMATS, help="what to write (not with --research)")
    p.add_argument("--out", required=True,
                   help="output file (graphml, gexf, html) or folder (csv, parquet, research)")
    when = p.add_argument_group("view (default: everything up to the last day of the data)")
    when.add_argument("--at", type=parse_date, help="ties active on this day (dd/mm/yyyy)")
    when.add_argument("--from", dest="start", type=parse_date,
                      help="window start (dd/mm/yyyy, with --to)")
    when.add_argument("--to", dest="end", type=parse_date,
                      help="window end, exclusive (dd/mm/yyyy)")
    when.add_argument("--until", type=parse_date, help="cumulative: every tie up to this day")
    filt = p.add_argument_group("filters")
    filt.add_argument("--programme", action="append",
                      help="housing, work, youth, ideas, community (repeatable)")
    filt.add_argument("--community-point", action="append", help="Community Point id")
    filt.add_argument("--actor-kind", action="append", help="actor kind (repeatable)")
    filt.add_argument("--nature", action="append", help="peer, professional, institutional")
    filt.add_argument("--level", choices=["individual", "household"], default="individual")
    filt.add_argument("--coparticipation", action="store_true",
                      help="add co-participation ties (two-mode projection of attendance)")
    res = p.add_argument_group("research export")
    res.add_argument("--research", action="store_true",
                     help="write the pseudonymised dataset (no names, ids or exact dates)")
    res.add_argument("--study", help="study name (pseudonyms differ across studies)")
    res.add_argument("--secret", help="study key file, kept outside the export (default: "
                     "~/.config/genera/study-keys/STUDY.key)")
    res.add_argument("--dates", choices=["month", "quarter", "year", "shift"], default="month",
                     help="how dates are protected (default: coarsened to the month)")
    p.add_argument("--registers", metavar="DIR",
                   help="read register files from DIR instead of the store")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ds = load_dataset(args)
    if args.research:
        return _research(args, ds)
    if not args.format:
        raise SystemExit("genera export: give --format (or --research)")
    from genera_graph.temporal import TemporalGraph

    tg = TemporalGraph.from_dataset(ds)
    view = _view(args, tg)
    if args.format in ("csv", "parquet"):
        return _metrics(args, view)
    from genera_graph.exports import write_gexf, write_graphml, write_html_map
    from genera_graph.exports.network import view_tables

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.format == "gexf":
        nodes, edges = view_tables(view, ds.actors, dynamic=True)
        write_gexf(nodes, edges, out, mode="dynamic",
                   defaultedgetype="directed" if view.spec.directed else "undirected",
                   description=f"genera_graph {view!r}")
    elif args.format == "graphml":
        nodes, edges = view_tables(view, ds.actors, dynamic=False)
        write_graphml(nodes, edges, out)
    else:
        nodes, edges = view_tables(view, ds.actors, dynamic=False)
        write_html_map(nodes, edges, out, title="#genera_azioni", color_by="kind")
    print(f"wrote {out}: {len(nodes)} actors, {len(view.edges)} ties")
    return 0


def _view(args: argparse.Namespace, tg):
    filters = dict(programme=args.programme, community_point=args.community_point,
                   actor_kind=args.actor_kind, nature=args.nature, level=args.level,
                   include_coparticipation=args.coparticipation)
    chosen = [x for x in (args.at, args.start or args.end, args.until) if x]
    if len(chosen) > 1:
        raise SystemExit("genera export: choose one of --at, --from/--to, --until")
    if args.at:
        return tg.at(args.at, vertices="met", **filters)
    if args.start or args.end:
        if not (args.start and args.end):
            raise SystemExit("genera export: --from needs --to")
        return tg.window(args.start, args.end, **filters)
    until = args.until or tg.last_day
    return tg.cumulative(until, vertices="met", **filters)


def _metrics(args: argparse.Namespace, view) -> int:
    from genera_graph.analytics.tables import bridging_tables
    from genera_graph.exports import write_table

    frame, dictionary = bridging_tables(view.igraph())
    written = write_table(frame, args.out, "metrics", dictionary)
    print(f"wrote {', '.join(str(p) for p in written.values())} ({len(frame)} actors)")
    return 0


def _research(args: argparse.Namespace, ds) -> int:
    from genera_graph.exports.dataset import research_export

    if not args.study:
        raise SystemExit("genera export --research: give --study NAME")
    secret = Path(args.secret) if args.secret else (
        Path.home() / ".config" / "genera" / "study-keys" / f"{args.study}.key")
    paths, _ = research_export(ds, args.out, study=args.study, secret_path=secret,
                               date_method=args.dates)
    print(f"wrote {len(paths)} files to {args.out} (study {args.study!r}; key kept at "
          f"{secret}, outside the export)")
    return 0
