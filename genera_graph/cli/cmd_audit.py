"""``genera audit verify|show``: check and read the audit log.

``verify`` walks the hash chain and names the first entry that was edited, removed or
re-ordered (exit 1), or prints the number and hash of the last entry (write them down
elsewhere: they anchor the log). ``show`` prints entries, optionally of one user and from a
day (``--since dd/mm/yyyy``).
"""

from __future__ import annotations

import argparse
import sys

from genera_graph.cli._common import parse_date

__all__ = ["record_command", "register", "run"]


def record_command(store, action: str, target: list[str] = (), **detail: object) -> bool:  # noqa: ANN001
    """Record what a command did in the store's audit log, as ``cli:<system user>``: the
    action, ids (registers, content hashes, formats) and counts, never a value. ``store`` is
    an open :class:`~genera_graph.io.store.Store` or its path or URL. Returns whether it was
    written; when the store stays busy the command says so on stderr rather than fail after
    its work is done."""
    from genera_graph.cli.cmd_users import cli_actor
    from genera_graph.io.audit import AuditLog
    from genera_graph.io.store import Store, StoreBusyError

    try:
        if isinstance(store, Store):
            AuditLog(store).record(cli_actor(), action, list(target), **detail)
        else:
            with Store(store) as opened:
                AuditLog(opened).record(cli_actor(), action, list(target), **detail)
    except StoreBusyError as exc:
        print(f"genera: warning: the audit entry of {action} was not written ({exc})",
              file=sys.stderr)
        return False
    return True


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="verify or read the audit log",
                       description=__doc__.split("\n\n", 1)[1] if __doc__ else None)
    audit = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    audit.add_parser("verify", help="check the hash chain")
    show = audit.add_parser("show", help="print entries")
    show.add_argument("--user", help="only this account's entries")
    show.add_argument("--action", help="only this action (signin, view_actor, download...)")
    show.add_argument("--since", type=parse_date, metavar="dd/mm/yyyy",
                      help="from this day (included)")
    show.add_argument("--until", type=parse_date, metavar="dd/mm/yyyy",
                      help="up to this day (included)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from genera_graph.io.audit import AuditLog
    from genera_graph.io.store import Store

    with Store(args.store) as store:
        log = AuditLog(store)
        if args.audit_command == "verify":
            check = log.verify()
            if not check.ok:
                print(f"audit log: NOT intact at entry {check.bad_seq}: {check.reason}",
                      file=sys.stderr)
                print(f"the chain holds up to entry {check.head_seq}", file=sys.stderr)
                return 1
            print(f"audit log intact: {check.entries} entries; last entry {check.head_seq}, "
                  f"hash {check.head_hash}")
            return 0
        entries = log.entries(user=args.user, since=args.since, until=args.until,
                              action=args.action)
    if entries.empty:
        print("no entries")
        return 0
    entries["at"] = entries["at"].dt.strftime("%d/%m/%Y %H:%M:%S")
    print(entries.to_string(index=False))
    return 0
