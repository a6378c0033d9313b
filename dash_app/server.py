"""The explorer as served to many users: the app with sign-in, under waitress.

:func:`build_app` builds the explorer and puts sign-in, the request checks, the security
headers and the audit on it (:func:`dash_app.auth.install_auth`); :func:`serve` runs it under
waitress (a production WSGI server, pure Python), not Flask's development server;
:func:`make_server` gives a server object to start and stop in tests and benchmarks.
"""

from __future__ import annotations

from typing import Any

from dash_app.auth import AuthConfig, install_auth

__all__ = ["build_app", "finish_setup", "make_server", "serve", "warm_scopes"]


def build_app(source: Any, store: Any, config: AuthConfig | None = None, *,
              secret_key: bytes, warm: bool = False, hasher: Any = None,
              pseudonymiser: Any = None) -> Any:
    """The explorer reading ``source``, with accounts and audit in ``store``.

    Parameters
    ----------
    source : Source
        The data (see :func:`dash_app.data.load_source`).
    store : genera_graph.io.store.Store
        The store of the accounts and the audit log (usually the data's store).
    config : AuthConfig
    secret_key : bytes
        Signs the session cookies.
    warm : bool
        Compute the shared tables before answering.
    hasher : argon2.PasswordHasher, optional
    pseudonymiser : genera_graph.exports.pseudonyms.Pseudonymiser, optional
        The research study whose pseudonyms researchers see.
    """
    from dash_app.app import create_app

    app = create_app(source, warm=warm)
    install_auth(app, store, config, secret_key=secret_key, hasher=hasher,
                 pseudonymiser=pseudonymiser)
    if warm:
        warm_scopes(app, store)
    return app


def warm_scopes(app: Any, store: Any) -> list[tuple]:
    """Compute, for the scope of every active facilitator account (their Community Points;
    facilitators of one point share it), the tables the pages start from, as the district's
    are (:func:`dash_app.app.warm_app`): else the first facilitator of each point to open a
    page pays for it (seconds, while everyone else waits). Returns the scopes warmed."""
    from dash_app.components import period_choices
    from dash_app.data.source import CONFIG_KEY
    from dash_app.data.viewer import Viewer
    from genera_graph.io.accounts import Accounts

    registry = app.server.config[CONFIG_KEY]
    accounts = Accounts(store)
    listed = accounts.list()
    viewers = {}
    for name in listed.loc[listed["active"].astype(bool) & listed["role"].eq("facilitator"),
                           "username"]:
        account = accounts.get(name)
        if account is not None and account.community_points:
            viewer = Viewer.of_account(account)
            viewers.setdefault(viewer.scope_key, viewer)
    for viewer in viewers.values():
        access = registry.for_viewer(viewer)
        access.warm([(s, e) for _, s, e in period_choices(access)])
        for day in access.as_of_dates()[2::3]:  # an actor page's warnings, quarter by quarter
            access.isolation_report(day)
            access.isolation_reasons(day)
    return list(viewers)


def finish_setup(app: Any) -> None:
    """Let Dash finish its set-up before the first real request.

    Dash completes its set-up (the pages' callbacks copied into the app, the router) in a
    hook of the first request, and marks it done when it *starts*: under a threaded server, a
    second request arriving while the first one is still setting up (a browser opens several
    connections; a probe retries after a time-out) is served by a half-set-up app, and every
    later ``/_dash-dependencies`` lacks the pages' callbacks (6 instead of 52: the pages'
    controls do nothing). One request through the test client, before listening, does the
    set-up alone (``/login`` is public: nothing is read or audited)."""
    with app.server.test_client() as client:
        client.get("/login")


def make_server(app: Any, host: str = "127.0.0.1", port: int = 0, *, threads: int = 8) -> Any:
    """A waitress server for the app (not started: call ``.run()``, stop with ``.close()``);
    ``.effective_port`` is the port it listens on (``port=0``: a free one)."""
    from waitress import create_server

    finish_setup(app)
    return create_server(app.server, host=host, port=port, threads=threads,
                         ident="genera", clear_untrusted_proxy_headers=True,
                         max_request_body_size=16 * 1024 * 1024)


def serve(app: Any, host: str, port: int, *, threads: int = 8) -> None:
    """Serve the app until interrupted."""
    server = make_server(app, host, port, threads=threads)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
