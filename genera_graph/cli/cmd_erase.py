"""``genera erase ACTOR_ID...``: erase a person everywhere (GDPR art. 17).

Removes the actors and every record naming them (household memberships, participations,
interactions, relations, quarantined import rows), sets empty the references other rows make
to them, keeps an erasure ledger entry without personal values, and (SQLite) clears the file's
free pages and write-ahead log. Re-importing an old register that still holds them leaves them
out, with a warning per skipped row. Asks for confirmation unless ``--yes``. The audit log
records the erasure by its ledger entries (``erasure:12``), never the ids; its earlier entries
naming an erased id are kept as they are (append-only, hash-chained: see the module
genera_graph.io.erasure).

``genera erase --finish`` erases nothing: it completes the clean-up of the file for erasures
already made, when the explorer (or another reader) kept the write-ahead log busy during them.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("erase", help="erase a person everywhere (GDPR art. 17)",
                       description=__doc__.split("\n\n", 1)[1] if __doc__ else None)
    p.add_argument("actor_ids", nargs="*", metavar="ACTOR_ID", help="the actors to erase")
    p.add_argument("--finish", action="store_true",
                   help="erase nothing: clear from the file the bytes of erasures already made "
                        "(checkpoint, VACUUM), after one that found the store's log busy")
    p.add_argument("--with-members", action="store_true",
                   help="also erase every individual of an erased household")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--wait", type=float, default=30.0, metavar="SECONDS",
                   help="how long the file's clean-up waits for the explorer's readings to "
                        "end (default 30)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from genera_graph.cli.cmd_users import cli_actor
    from genera_graph.io.audit import AuditLog
    from genera_graph.io.erasure import erase_actors
    from genera_graph.io.store import Store

    if args.finish:
        return _finish(args)
    if not args.actor_ids:
        print("genera erase: give the actors to erase (or --finish)", file=sys.stderr)
        return 2
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
                                  with_members=args.with_members, wait_s=args.wait)
        except KeyError as exc:
            print(f"genera erase: {exc.args[0]}; nothing erased", file=sys.stderr)
            return 2
        # the ledger's entries, not the ids: the audit log keeps nothing that names them
        AuditLog(store).record(who, "erase", result.audit_targets,
                               rows=sum(result.removed.values()))
    print(f"erased {len(result.erased)} actor(s): {', '.join(result.erased)}")
    for table, count in sorted(result.removed.items()):
        if count:
            print(f"  {table}: {count}")
    if not result.bytes_cleared:
        print(BUSY_ADVICE, file=sys.stderr)
        return 1
    return 0


#: what to do when the store's log was busy (the erasure is done; the file's clean-up is not)
BUSY_ADVICE = ("warning: another connection (the explorer?) kept the store's log busy: the "
               "erased rows are gone, but their bytes may remain in the file until "
               "`genera erase --finish` runs with the explorer stopped")


def _finish(args: argparse.Namespace) -> int:
    from genera_graph.cli.cmd_audit import record_command
    from genera_graph.io.erasure import finish_erasure
    from genera_graph.io.store import Store

    if args.actor_ids:
        print("genera erase: --finish erases nothing: give no actor with it", file=sys.stderr)
        return 2
    with Store(args.store) as store:
        done = finish_erasure(store, args.wait)
        record_command(store, "erase_finish", done=done)
    if not done:
        print(BUSY_ADVICE.replace("warning: ", "warning: still busy: "), file=sys.stderr)
        return 1
    print("the erased persons' bytes are cleared from the store's file")
    return 0
