"""The explorer as served to many users: the app with sign-in, under waitress.

:func:`build_app` builds the explorer and puts sign-in, the request checks, the security
headers and the audit on it (:func:`dash_app.auth.install_auth`); :func:`serve` runs it under
waitress (a production WSGI server, pure Python), not Flask's development server;
:func:`make_server` gives a server object to start and stop in tests and benchmarks.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from dash_app.auth import AuthConfig, install_auth

__all__ = ["DEFAULT_THREADS", "Warmer", "build_app", "finish_setup", "make_server", "serve", "warm_scopes"]

_log = logging.getLogger(__name__)

#: waitress's request threads: the requests are computation under one interpreter lock, so
#: more threads do not add throughput; they share the core among more requests at once (the
#: slow ones get slower, p95 up) and give the allocator more arenas (memory up). Measured on
#: 23 users (benchmarks/bench_load.py, docs/scale-plan.md): 4 threads against 16, closed
#: loop 55 against 49 requests/s, callback p95 0.8 s against 2.1 s, 1.06 against 1.78 GiB.
DEFAULT_THREADS = 4

#: the ``app.server.extensions`` key of the app's :class:`Warmer`
WARMER_KEY = "genera_warmer"


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
    warm : bool or "background"
        ``True``: compute the shared tables (the district's and every facilitator scope's)
        before answering; ``"background"``: in a :class:`Warmer` that :func:`serve` starts
        once the server listens; ``False``: on first use only.
    hasher : argon2.PasswordHasher, optional
    pseudonymiser : genera_graph.exports.pseudonyms.Pseudonymiser, optional
        The research study whose pseudonyms researchers see.
    """
    from dash_app.app import create_app

    app = create_app(source, warm=warm is True)
    install_auth(app, store, config, secret_key=secret_key, hasher=hasher,
                 pseudonymiser=pseudonymiser)
    if warm == "background":
        app.server.extensions[WARMER_KEY] = Warmer(app, store)
    elif warm:
        warm_scopes(app, store)
    return app


def _facilitator_viewers(store: Any) -> list:
    """One viewer per scope of the active facilitator accounts (facilitators of the same
    points share one)."""
    from dash_app.data.viewer import Viewer
    from genera_graph.io.accounts import Accounts

    accounts = Accounts(store)
    listed = accounts.list()
    viewers = {}
    for name in listed.loc[listed["active"].astype(bool) & listed["role"].eq("facilitator"),
                           "username"]:
        account = accounts.get(name)
        if account is not None and account.community_points:
            viewer = Viewer.of_account(account)
            viewers.setdefault(viewer.scope_key, viewer)
    return list(viewers.values())


class Warmer(threading.Thread):
    """Computes the tables the pages start from in the background, once the server listens:
    the district's and each facilitator scope's first pages' tables first (growth, the
    latest worklist, the default period's map, the families' suggestions), then the other
    quarters, windows and periods (:meth:`dash_app.data.DataAccess.warm_steps`).

    It gives way to the users: before each step it waits until no request has been in
    progress for :attr:`quiet_s`, but never longer than :attr:`patience_s` (so that under a
    steady load it still goes on, a step at a time). A request that needs a table not made
    yet makes it itself (once: :func:`dash_app.data.cache.cached`); the warmer then finds it
    made. Counts the requests in progress by wrapping the server's WSGI application.
    """

    quiet_s = 0.05
    patience_s = 0.5

    def __init__(self, app: Any, store: Any) -> None:
        super().__init__(name="genera-warmer", daemon=True)
        self.app, self.store = app, store
        self.busy = 0
        self.steps_done = 0
        self.seconds: float | None = None  # the whole warm-up's, once done
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        inner = app.server.wsgi_app

        def counted(environ: dict, start_response: Any) -> Any:
            with self._lock:
                self.busy += 1
            try:
                return inner(environ, start_response)
            finally:
                with self._lock:
                    self.busy -= 1
                    if not self.busy:
                        self._idle.notify_all()

        app.server.wsgi_app = counted

    def _give_way(self) -> None:
        deadline = time.monotonic() + self.patience_s
        with self._lock:
            while time.monotonic() < deadline:
                if not self.busy:
                    # idle now: still idle a moment later?
                    self._idle.wait(self.quiet_s)
                    if not self.busy:
                        return
                self._idle.wait(max(0.0, min(self.quiet_s, deadline - time.monotonic())))

    def _scopes(self) -> list:
        from dash_app.components import period_choices
        from dash_app.data.source import CONFIG_KEY
        from dash_app.state import default_window

        registry = self.app.server.config[CONFIG_KEY]
        out = []
        for access in [registry.coordinator] + [registry.for_viewer(v) for v in
                                                _facilitator_viewers(self.store)]:
            periods = [(s, e) for _, s, e in period_choices(access)]
            out.append(access.warm_steps(periods, default_window(access)))
        return out

    def run(self) -> None:
        from dash_app.app import warm_figures
        from dash_app.data.source import CONFIG_KEY

        started = time.perf_counter()
        try:
            self._give_way()
            scopes = self._scopes()
            steps = [s for first, _ in scopes for s in first]
            steps.append(lambda: warm_figures(self.app.server.config[CONFIG_KEY].coordinator))
            steps += [s for _, later in scopes for s in later]
        except Exception:  # the scopes could not be listed: the tables are made on use
            _log.exception("warming the explorer's tables did not start")
            steps = []
        for step in steps:
            self._give_way()
            try:
                step()
            except Exception:  # a table that cannot be made now is made (or fails) on use
                _log.exception("a warming step failed; the next ones go on")
                continue
            self.steps_done += 1
        self.seconds = time.perf_counter() - started
        _log.info("explorer tables warmed in %.0f s (%d steps)", self.seconds,
                  self.steps_done)


def warm_scopes(app: Any, store: Any) -> list[tuple]:
    """Compute, for the scope of every active facilitator account (their Community Points;
    facilitators of one point share it), the tables the pages start from, as the district's
    are (:func:`dash_app.app.warm_app`): else the first facilitator of each point to open a
    page pays for it (seconds, while everyone else waits). Returns the scopes warmed."""
    from dash_app.components import period_choices
    from dash_app.data.source import CONFIG_KEY

    registry = app.server.config[CONFIG_KEY]
    viewers = _facilitator_viewers(store)
    for viewer in viewers:
        access = registry.for_viewer(viewer)
        access.warm([(s, e) for _, s, e in period_choices(access)])
        for day in access.as_of_dates()[2::3]:  # an actor page's warnings, quarter by quarter
            access.isolation_report(day)
            access.isolation_reasons(day)
    return [v.scope_key for v in viewers]


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


def make_server(app: Any, host: str = "127.0.0.1", port: int = 0, *,
                threads: int = DEFAULT_THREADS) -> Any:
    """A waitress server for the app (not started: call ``.run()``, stop with ``.close()``);
    ``.effective_port`` is the port it listens on (``port=0``: a free one)."""
    from waitress import create_server

    finish_setup(app)
    return create_server(app.server, host=host, port=port, threads=threads,
                         ident="genera", clear_untrusted_proxy_headers=True,
                         max_request_body_size=16 * 1024 * 1024)


def serve(app: Any, host: str, port: int, *, threads: int = DEFAULT_THREADS) -> None:
    """Serve the app until interrupted."""
    server = make_server(app, host, port, threads=threads)
    warmer = app.server.extensions.get(WARMER_KEY)
    if warmer is not None and not warmer.is_alive():  # listening: warm while answering
        warmer.start()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
