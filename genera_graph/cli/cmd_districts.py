"""``genera districts set FILE|FOLDER`` / ``genera districts list``: the districts of a region.

A district owns Community Points. ``set`` replaces the store's districts with a districts
table (``districts.csv``: ``district_id;community_point_id;name``, the file the region sample
writes beside its registers); a point unknown to the store, a point in two districts or a
district with two names is one line and exit 2, and nothing is written. ``list`` prints them.
A coordinator is scoped to a district with ``genera users add|set-role --district ID``.
"""

from __future__ import annotations

import argparse

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("districts", help="the districts of a region and their Community Points",
                       description=__doc__.split("\n\n", 1)[1] if __doc__ else None)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    put = actions.add_parser("set", help="replace the districts from districts.csv")
    put.add_argument("path", metavar="FILE_OR_FOLDER",
                     help="districts.csv, or a folder holding it")
    actions.add_parser("list", help="list the districts and their points")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from genera_graph.cli._common import UsageError
    from genera_graph.io.districts import (
        DistrictError,
        read_districts,
        read_districts_file,
        set_districts,
    )
    from genera_graph.io.store import Store

    with Store(args.store) as store:
        if args.action == "set":
            try:
                n_districts, n_points = set_districts(store, read_districts_file(args.path))
            except DistrictError as exc:
                raise UsageError(f"{exc}; nothing written") from exc
            print(f"{n_districts} district(s), {n_points} Community Point(s) stored")
            return 0
        table = read_districts(store)
    if table.empty:
        print("no districts: the store is one district")
        return 0
    for (district, name), points in table.groupby(["district_id", "name"], sort=True):
        owned = ", ".join(p for p in points["community_point_id"] if isinstance(p, str))
        print(f"{district}  {name}: {owned or '-'}")
    return 0
