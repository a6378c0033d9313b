"""``genera serve``: the explorer for every signed-in user, under waitress, reading the store.

The app plugs this command into the ``genera`` command line through the entry-point group
``genera.commands`` (``pyproject.toml``), so that the library never imports the app.

One server process serves every user; what each sees comes from their account (``genera
users add``), never from how the server was started. Sign-in is always on, loopback included.
Only the loopback interface by default: serving on another interface (``--host``) prints that
TLS must be terminated by a reverse proxy in front (and marks the session cookie ``Secure``),
and ``--debug`` (Flask's development server) is refused there.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import stat
import sys
from pathlib import Path

__all__ = ["DEFAULT_SECRET_FILE", "is_loopback", "register", "run", "secret_key"]

#: where the session-signing key is kept when neither ``--secret-key-file`` nor
#: ``$GENERA_SECRET_KEY`` says otherwise (outside the store: the store's backups do not
#: carry it)
DEFAULT_SECRET_FILE = Path("~/.config/genera/session.key")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the explorer on 127.0.0.1:8050 (sign-in required)",
                       description=__doc__.split("\n\n", 1)[1] if __doc__ else None)
    p.add_argument("--host", default="127.0.0.1",
                   help="interface to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8050, help="port (default: 8050)")
    p.add_argument("--server-name", action="append", default=[], metavar="NAME",
                   help="a host name browsers use to reach the server (repeat for more); "
                        "requests for any other Host are refused (default: the loopback "
                        "names and --host)")
    p.add_argument("--idle-timeout", type=float, default=30.0, metavar="MINUTES",
                   help="sign out a session after this many minutes without a request "
                        "(default: 30)")
    p.add_argument("--secret-key-file", default=None, metavar="FILE",
                   help="the key that signs session cookies, created (mode 0600) if missing "
                        f"(default: $GENERA_SECRET_KEY_FILE or {DEFAULT_SECRET_FILE}); "
                        "$GENERA_SECRET_KEY (64 hex digits) gives the key itself")
    p.add_argument("--secure-cookies", action=argparse.BooleanOptionalAction, default=None,
                   help="mark the session cookie Secure (HTTPS only; default: on when "
                        "--host is not loopback)")
    p.add_argument("--research-study", default="explorer", metavar="NAME",
                   help="the research study whose pseudonyms researchers see (default: "
                        "explorer; its key: ~/.config/genera/study-keys/NAME.key, as "
                        "`genera export --research` keeps it)")
    p.add_argument("--threads", type=int, default=None,
                   help="request threads (default: 4; one process of Python computes on "
                        "about one core whatever the number: more threads only share it, "
                        "see docs/scale-plan.md)")
    p.add_argument("--debug", action="store_true",
                   help="Dash debug mode on Flask's development server (loopback only)")
    p.add_argument("--warm", choices=("background", "before", "off"), default="background",
                   help="when the tables the pages start from are computed: in the "
                        "background once listening, giving way to requests (default), "
                        "all before listening, or only when first asked for")
    p.add_argument("--no-warm", dest="warm", action="store_const", const="off",
                   help="the same as --warm off")
    p.add_argument("--registers", metavar="DIR",
                   help="read the data from register files in DIR instead of the store "
                        "(accounts and the audit log stay in the store)")
    p.set_defaults(func=run)


def is_loopback(host: str) -> bool:
    """Whether a listening address is this machine only.

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback
                       for info in socket.getaddrinfo(host, None))
        except OSError:
            return False


def secret_key(path: str | None) -> bytes:
    """The session-signing key: ``$GENERA_SECRET_KEY`` (hex), else the key file (created
    with 32 random bytes, mode 0600, in a 0700 folder; refused if others may read it)."""
    from genera_graph.exports.research import load_or_create_secret

    given = os.environ.get("GENERA_SECRET_KEY")
    if given:
        key = bytes.fromhex(given)
        if len(key) < 32:
            raise ValueError("$GENERA_SECRET_KEY must be at least 64 hex digits")
        return key
    target = Path(path or os.environ.get("GENERA_SECRET_KEY_FILE") or DEFAULT_SECRET_FILE)
    return load_or_create_secret(target.expanduser())


def _warn_mode(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        print(f"warning: {path} is readable by other users (mode {mode:o}): "
              f"chmod 600 {path}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    loopback = is_loopback(args.host)
    if args.debug and not loopback:
        print("genera serve: --debug runs Flask's development server and is refused on "
              f"{args.host}: use it on 127.0.0.1 only", file=sys.stderr)
        return 2
    source = args.registers or args.store
    if "://" not in args.store and not Path(args.store).exists():
        print(f"genera: no store at {args.store}; run `genera import sample_data` first",
              file=sys.stderr)
        return 2
    if "://" not in args.store:
        _warn_mode(Path(args.store))
    try:
        key = secret_key(args.secret_key_file)
    except (ValueError, PermissionError) as exc:
        print(f"genera serve: {exc}", file=sys.stderr)
        return 2
    from dash_app.auth import AuthConfig
    from dash_app.server import DEFAULT_THREADS, build_app, serve
    from genera_graph.io.accounts import Accounts
    from genera_graph.io.store import Store

    names = tuple(args.server_name) or ("127.0.0.1", "localhost", "::1")
    if args.host not in ("0.0.0.0", "::") and args.host not in names:
        names = (*names, args.host)
    secure = (not loopback) if args.secure_cookies is None else args.secure_cookies
    config = AuthConfig(idle_timeout_s=int(args.idle_timeout * 60), server_names=names,
                        secure_cookies=secure)
    store = Store(args.store)
    if not Accounts(store).count():
        print("warning: the store has no accounts yet, so nobody can sign in: add one with "
              "`genera users add NAME --role coordinator`", file=sys.stderr)
    if not loopback:
        print(f"warning: listening on {args.host}, beyond this machine: terminate TLS in a "
              "reverse proxy in front of it (the session cookie is marked Secure), and give "
              "its public name with --server-name", file=sys.stderr)
    from genera_graph.exports.research import Pseudonymiser, load_or_create_secret

    study_key = Path.home() / ".config" / "genera" / "study-keys" / f"{args.research_study}.key"
    pseudonymiser = Pseudonymiser(load_or_create_secret(study_key), args.research_study)
    if args.warm == "before":
        print("preparing the explorer's tables, the district's and each Community Point's "
              "(a minute or two)…", flush=True)
    warm = {"background": "background", "before": True, "off": False}[args.warm]
    app = build_app(source, store, config, secret_key=key, warm=warm,
                    pseudonymiser=pseudonymiser)
    print(f"explorer on http://{args.host}:{args.port}/ (sign in; Ctrl+C to stop)", flush=True)
    try:
        if args.debug:
            app.run(host=args.host, port=args.port, debug=True)
        else:
            serve(app, args.host, args.port, threads=args.threads or DEFAULT_THREADS)
    finally:
        store.close()
    return 0
