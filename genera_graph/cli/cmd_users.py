"""``genera users add|list|set-role|disable|enable|reset-password``: the explorer's accounts.

Passwords are never taken from the command line (it ends up in the shell's history and in the
process list): ``add`` and ``reset-password`` ask for one at a prompt (twice), read it from
standard input with ``--password-stdin``, or generate a one-time password with ``--generate``,
printed once, to be changed at the first sign-in. Every change is recorded in the audit log as
done by ``cli:<the system user>``.
"""

from __future__ import annotations

import argparse
import getpass
import sys

__all__ = ["cli_actor", "register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="manage the explorer's accounts",
                       description=__doc__.split("\n\n", 1)[1] if __doc__ else None)
    users = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = users.add_parser("add", help="create an account")
    add.add_argument("username", help="user name (lower-case letters, digits, . _ -)")
    add.add_argument("--name", dest="display_name", default=None,
                     help="display name (default: the user name)")
    add.add_argument("--role", required=True,
                     choices=["admin", "coordinator", "facilitator", "researcher"])
    add.add_argument("--community-point", dest="points", action="append", default=[],
                     metavar="ID", help="a facilitator's Community Point (repeat for more)")
    add.add_argument("--district", default=None, metavar="ID",
                     help="scope a coordinator to one district (see genera districts)")
    _password_options(add)
    users.add_parser("list", help="list the accounts (never their passwords)")
    role = users.add_parser("set-role", help="change an account's role")
    role.add_argument("username")
    role.add_argument("--role", required=True,
                      choices=["admin", "coordinator", "facilitator", "researcher"])
    role.add_argument("--community-point", dest="points", action="append", default=[],
                      metavar="ID")
    role.add_argument("--district", default=None, metavar="ID",
                      help="scope a coordinator to one district (omit: the whole region)")
    for action, text in (("disable", "disable an account (its sessions end)"),
                         ("enable", "enable a disabled account")):
        users.add_parser(action, help=text).add_argument("username")
    reset = users.add_parser("reset-password", help="set a new password")
    reset.add_argument("username")
    _password_options(reset)
    p.set_defaults(func=run)


def _password_options(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--password-stdin", action="store_true",
                       help="read the password from standard input (one line)")
    group.add_argument("--generate", action="store_true",
                       help="generate a one-time password, printed once, to be changed at "
                            "the first sign-in")


def cli_actor() -> str:
    """Who runs a command, for the audit log: ``cli:<system user>``."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user name on this system
        who = "unknown"
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in who)[:40] or "unknown"
    return f"cli:{safe}"


def _read_password(args: argparse.Namespace) -> str | None:
    """The password the options ask for; ``None`` to generate one."""
    if args.generate:
        return None
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise SystemExit("genera users: no terminal to ask for a password: use "
                         "--password-stdin or --generate")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise SystemExit("genera users: the two passwords differ")
    return first


def run(args: argparse.Namespace) -> int:
    from genera_graph.io.accounts import AccountError, Accounts
    from genera_graph.io.audit import AuditLog
    from genera_graph.io.store import Store

    who = cli_actor()
    with Store(args.store) as store:
        accounts, audit = Accounts(store), AuditLog(store)
        action = args.users_command
        try:
            if action == "list":
                table = accounts.list()
                if table.empty:
                    print("no accounts: add one with `genera users add NAME --role ROLE`")
                    return 0
                for col in ("created_at", "last_login"):
                    table[col] = table[col].map(
                        lambda v: "" if v is None or v != v else f"{v:%d/%m/%Y %H:%M}")
                table["active"] = table["active"].map({True: "yes", False: "no"})
                print(table.to_string(index=False))
                return 0
            if action == "add":
                account, one_time = accounts.add(args.username,
                                                 args.display_name or args.username,
                                                 args.role, args.points, _read_password(args),
                                                 district=args.district)
                audit.record(who, "user_add", [account.username], role=account.role)
                print(f"account {account.username} ({account.role}"
                      + (f", {', '.join(account.community_points)}"
                         if account.community_points else "") + ") created")
            elif action == "set-role":
                account = accounts.set_role(args.username, args.role, args.points,
                                            district=args.district)
                audit.record(who, "user_set_role", [account.username], role=account.role)
                print(f"account {account.username} is now {account.role}")
                return 0
            elif action in ("disable", "enable"):
                account = accounts.set_active(args.username, action == "enable")
                audit.record(who, f"user_{action}", [account.username])
                print(f"account {account.username} {action}d")
                return 0
            else:  # reset-password
                one_time = accounts.reset_password(args.username, _read_password(args))
                audit.record(who, "user_reset_password", [args.username.strip().lower()])
                print(f"password of {args.username.strip().lower()} changed")
        except AccountError as exc:
            print(f"genera users: {exc}", file=sys.stderr)
            return 2
    if one_time:
        print(f"one-time password (shown once; to be changed at the first sign-in): {one_time}")
    return 0
