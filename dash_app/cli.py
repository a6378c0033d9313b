"""``genera serve``: the explorer (Dash app) on 127.0.0.1:8050, reading the store.

The app plugs this command into the ``genera`` command line through the entry-point group
``genera.commands`` (``pyproject.toml``), so that the library never imports the app.

Only the loopback interface by default: serving personal data on every interface must be asked
for explicitly with ``--host``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the explorer (Dash app) on 127.0.0.1:8050")
    p.add_argument("--host", default="127.0.0.1",
                   help="interface to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8050, help="port (default: 8050)")
    p.add_argument("--debug", action="store_true", help="Dash debug mode (development only)")
    p.add_argument("--registers", metavar="DIR",
                   help="read register files from DIR instead of the store")
    p.add_argument("--role", choices=["coordinator", "facilitator"], default="coordinator",
                   help="who is looking (default: coordinator, the whole district)")
    p.add_argument("--community-point", metavar="ID",
                   help="the viewer's Community Point (required for a facilitator)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dash_app import Viewer, create_app

    try:
        viewer = Viewer(role=args.role, community_point_id=args.community_point)
    except ValueError as exc:
        print(f"genera serve: {exc}", file=sys.stderr)
        return 2
    source = args.registers or args.store
    if not args.registers and "://" not in source and not Path(source).exists():
        print(f"genera: no store at {source}; run `genera import sample_data` first "
              "or pass --registers DIR", file=sys.stderr)
        return 2
    print("preparing the explorer's tables (about half a minute)…", flush=True)
    app = create_app(source, viewer=viewer, warm=True)
    print(f"explorer on http://{args.host}:{args.port}/ (Ctrl+C to stop)")
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0
