"""``genera export``: a view as metrics tables, GraphML, GEXF 1.3 or a standalone HTML map;
``genera export --research --study NAME``: the pseudonymised research dataset."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from genera_graph.cli._common import (
    UsageError,
    add_table_options,
    check_choices,
    load_dataset,
    parse_date,
    table_options,
)
from genera_graph.model import ActorKind, Programme, TieNature

__all__ = ["register", "run"]

FORMATS = ("csv", "parquet", "graphml", "gexf", "html")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export a view (metrics, GraphML, GEXF, HTML map) or a "
                       "pseudonymised research dataset")
    p.add_argument("--format", choices=FORMATS, help="what to write (not with --research)")
    p.add_argument("--out",
                   help="output file (graphml, gexf, html) or folder (csv, parquet, research)")
    when = p.add_argument_group("view (default: everything up to the last day of the data)")
    when.add_argument("--at", type=parse_date, help="ties active on this day (dd/mm/yyyy)")
    when.add_argument("--from", dest="start", type=parse_date,
                      help="window start (dd/mm/yyyy, with --to)")
    when.add_argument("--to", dest="end", type=parse_date,
                      help="window end, exclusive (dd/mm/yyyy)")
    when.add_argument("--until", type=parse_date, help="cumulative: every tie up to this day")
    filt = p.add_argument_group("filters")
    filt.add_argument("--programme", action="append", choices=[p.value for p in Programme],
                      metavar="PROGRAMME",
                      help="housing, work, youth, ideas, community (repeatable)")
    filt.add_argument("--community-point", action="append",
                      help="Community Point id, as in the data (repeatable)")
    filt.add_argument("--actor-kind", action="append", choices=[k.value for k in ActorKind],
                      metavar="KIND", help="actor kind: "
                      + ", ".join(k.value for k in ActorKind) + " (repeatable)")
    filt.add_argument("--nature", action="append", choices=[n.value for n in TieNature],
                      metavar="NATURE", help="peer, professional, institutional (repeatable)")
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
                     help="finest date released (default: the month; shift: moved by a keyed "
                     "per-person offset); coarser where k-anonymity needs it")
    res.add_argument("--tier", choices=["aggregate", "records"], default="aggregate",
                     help="aggregate (default): tables of counts that pass the checks; "
                     "records: record-level tables too, generalised to k (with a warning)")
    res.add_argument("--k", type=int, default=5,
                     help="k-anonymity: every released group holds at least k persons (5)")
    res.add_argument("--check", metavar="DIR",
                     help="re-measure an existing research export in DIR and exit "
                     "(0: every table passes, 1: not)")
    p.add_argument("--registers", metavar="DIR",
                   help="read register files from DIR instead of the store")
    add_table_options(p)
    p.add_argument("--lang", choices=["it", "en"], default=None,
                   help="language of the HTML map and of the data dictionaries "
                   "(default: it; en with --dialect research)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.research and args.check:
        return _check(args)
    if not args.out:
        raise UsageError("give --out")
    if not args.research:
        _check_view_options(args)
    ds = load_dataset(args)
    if args.research:
        if args.dialect != "italian" or args.xlsx:
            raise UsageError("--dialect and --xlsx apply to the metrics tables "
                             "(--format csv/parquet), not to the research dataset")
        return _research(args, ds)
    if not args.format:
        raise UsageError("give --format (or --research)")
    from genera_graph.temporal import TemporalGraph

    points = ds.actors.loc[ds.actors["kind"] == "community_point", "actor_id"]
    check_choices("Community Point", args.community_point, points)
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
        write_html_map(nodes, edges, out, title="#genera_azioni", color_by="kind",
                       lang=table_options(args)["lang"])
    print(f"wrote {out}: {len(nodes)} actors, {len(view.edges)} ties")
    _audit_view(args, actors=len(nodes), ties=len(view.edges))
    return 0


def _audit_view(args: argparse.Namespace, **counts: int) -> None:
    """The identified export's audit entry: format and counts (none for ``--registers``)."""
    if getattr(args, "registers", None):
        return
    from genera_graph.cli._common import store_url
    from genera_graph.cli.cmd_audit import record_command

    record_command(store_url(args), "export", [args.format], **counts)


def _check_view_options(args: argparse.Namespace) -> None:
    """The view flags, checked before any data is read."""
    chosen = [x for x in (args.at, args.start or args.end, args.until) if x]
    if len(chosen) > 1:
        raise UsageError("choose one of --at, --from/--to, --until")
    if (args.start or args.end) and not (args.start and args.end):
        raise UsageError("--from needs --to")
    if args.start and args.end and not args.start < args.end:
        raise UsageError("--from must be before --to (the window is [from, to))")


def _view(args: argparse.Namespace, tg):
    filters = dict(programme=args.programme, community_point=args.community_point,
                   actor_kind=args.actor_kind, nature=args.nature, level=args.level,
                   include_coparticipation=args.coparticipation)
    if args.at:
        return tg.at(args.at, vertices="met", **filters)
    if args.start or args.end:
        return tg.window(args.start, args.end, **filters)
    until = args.until or tg.last_day
    return tg.cumulative(until, vertices="met", **filters)


def _metrics(args: argparse.Namespace, view) -> int:
    from genera_graph.analytics.tables import bridging_tables
    from genera_graph.exports import write_table

    frame, dictionary = bridging_tables(view.igraph())
    written = write_table(frame, args.out, "metrics", dictionary, **table_options(args))
    print(f"wrote {', '.join(str(p) for p in written.values())} ({len(frame)} actors)")
    _audit_view(args, actors=len(frame))
    return 0


def _research(args: argparse.Namespace, ds) -> int:
    import warnings

    from genera_graph.exports.dataset import research_export
    from genera_graph.exports.pseudonyms import StudyKeyError

    if not args.study:
        raise UsageError("--research needs --study NAME")
    if args.k < 2:
        raise UsageError("--k must be at least 2")
    secret = Path(args.secret) if args.secret else (
        Path.home() / ".config" / "genera" / "study-keys" / f"{args.study}.key")
    if args.tier == "records":
        print("genera export: warning: --tier records writes record-level tables; each is "
              "k-anonymous on its declared quasi-identifiers, but pseudonyms link them: "
              "handle the export as personal data", file=sys.stderr)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the warning above already said it
            paths, manifest = research_export(ds, args.out, study=args.study,
                                              secret_path=secret, date_method=args.dates,
                                              tier=args.tier, k=args.k,
                                              audit=_audit_writer(args),
                                              introductions=_introductions(args, ds),
                                              lang=args.lang or "it")
    except StudyKeyError as error:
        print(f"genera export: {error}", file=sys.stderr)
        return 2
    disclosure = manifest["disclosure"]
    released = [n for n, e in disclosure["tables"].items() if e["released"]]
    print(f"wrote {len(paths)} files to {args.out} (study {args.study!r}, tier "
          f"{args.tier}, k = {args.k}; {len(released)} tables; key kept at {secret}, outside "
          "the export)")
    for name, reason in disclosure["withheld"].items():
        print(f"  withheld {name}: {reason}")
    return 0


def _introductions(args: argparse.Namespace, ds):
    """The introductions marked in the store with their outcomes, as the research export
    takes them (none for ``--registers`` files)."""
    if getattr(args, "registers", None):
        return None
    from genera_graph.analytics.introductions import introduction_outcomes, research_table
    from genera_graph.cli._common import store_url
    from genera_graph.io.introductions import stored_introductions
    from genera_graph.io.store import Store
    from genera_graph.temporal import TemporalGraph

    with Store(store_url(args)) as store:
        marked = stored_introductions(store)
    if not len(marked):
        return None
    return research_table(introduction_outcomes(TemporalGraph.from_dataset(ds), marked))


def _audit_writer(args: argparse.Namespace):
    """Writes the export's event in the store's audit log (none for ``--registers`` files)."""
    if getattr(args, "registers", None):
        return None

    def write(event: dict) -> None:
        from genera_graph.cli._common import store_url
        from genera_graph.cli.cmd_users import cli_actor
        from genera_graph.io.audit import AuditLog
        from genera_graph.io.store import Store

        detail = {key: value for key, value in event.items() if key != "action"}
        with Store(store_url(args)) as store:
            AuditLog(store).record(cli_actor(), event["action"], ["research"], **detail)

    return write


def _check(args: argparse.Namespace) -> int:
    from genera_graph.exports.dataset import check_export

    folder = Path(args.check)
    if not (folder / "MANIFEST.json").is_file():
        print(f"genera export --check: no MANIFEST.json in {folder}", file=sys.stderr)
        return 2
    result = check_export(folder)
    if "problem" in result:
        print(f"{folder}: {result['problem']}")
    for name, row in result["tables"].items():
        parts = [f"k = {row.get('k')}"]
        if row.get("l") is not None:
            parts.append(f"l = {row['l']}")
        if "unique_share" in row:
            parts.append(f"unique {100 * row['unique_share']:.1f}%, at risk "
                         f"{100 * row['at_risk_share']:.1f}%")
        if "cells" in row:
            parts.append(f"{row['cells_suppressed']} of {row['cells']} cells suppressed, "
                         f"{row['recomputable']} recomputable")
        status = f"FAIL ({row['problem']})" if "problem" in row else "ok"
        print(f"{name}: {status}; " + ", ".join(parts))
    print("every table passes" if result["ok"] else "the export does not pass the checks")
    return 0 if result["ok"] else 1
