"""``genera erase ACTOR_ID...``: erase a person everywhere (GDPR art. 17).

Removes the actors and every record naming them (household memberships, participations,
interactions, relations, quarantined import rows), sets empty the references other rows make
to them, keeps an erasure ledger entry without personal values, and (SQLite) clears the file's
free pages and write-ahead log. Re-importing an old register that still holds them leaves them
out, with a warning per skipped row. Asks for confirmation unless ``--yes``.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("erase", help="erase a person everywhere (GDPR art. 17)",
                       description=__doc__.split("\n\n", 1)[1] if __doc__ else None)
    p.add_argument("actor_ids", nargs="+", metavar="ACTOR_ID", help="the actors to erase")
    p.add_argument("--with-members", action="store_true",
                   help="also erase every individual of an erased household")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from genera_graph.cli.cmd_users import cli_actor
    from genera_graph.io.audit import AuditLog
    from genera_graph.io.erasure import erase_actors
    from genera_graph.io.store import Store

    if not args.yes:
        if not sys.stdin.isatty():
            print("genera erase: no terminal to confirm on: pass --yes", file=sys.stderr)
            return 2
        answer = input(f"erase {', '.join(args.actor_ids)} and every record naming them? "
                       "This cannot be undone. [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "s", "si", "sì"):
            print("nothing erased")
            return 1
    who = cli_actor()
    with Store(args.store) as store:
        try:
            result = erase_actors(store, args.actor_ids, by=who,
                                  with_members=args.with_members)
        except KeyError as exc:
            print(f"genera erase: {exc.args[0]}; nothing erased", file=sys.stderr)
            return 2
        AuditLog(store).record(who, "erase", list(result.erased),
                               rows=sum(result.removed.values()))
    print(f"erased {len(result.erased)} actor(s): {', '.join(result.erased)}")
    for table, count in sorted(result.removed.items()):
        if count:
            print(f"  {table}: {count}")
    if not result.bytes_cleared:
        print("warning: another connection kept the store's log busy: the deleted bytes may "
              "remain in the file until the explorer is stopped and `genera erase` is run "
              "again", file=sys.stderr)
        return 1
    return 0
