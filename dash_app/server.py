"""The explorer as served to many users: the app with sign-in, under waitress.

:func:`build_app` builds the explorer and puts sign-in, the request checks, the security
headers and the audit on it (:func:`dash_app.auth.install_auth`); :func:`serve` runs it under
waitress (a production WSGI server, pure Python), not Flask's development server;
:func:`make_server` gives a server object to start and stop in tests and benchmarks.
"""

from __future__ import annotations

from typing import Any

from dash_app.auth import AuthConfig, install_auth

__all__ = ["build_app", "finish_setup", "make_server", "serve"]


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
    return app


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
