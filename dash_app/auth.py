"""Sign-in for the explorer: every request but the sign-in page and static assets needs a session.

:func:`install_auth` puts the workplace's rules on the app's Flask server:

- **sessions** with Flask-Login: the signed session cookie (``HttpOnly``, ``SameSite=Lax``,
  ``Secure`` when served over HTTPS) carries a random session id, which names a session held by
  the server (:class:`Sessions`): signing in makes a new one (the cookie of before the sign-in
  is worth nothing after it: no session fixation), signing out or disabling the account ends it
  at once, and a session idle for longer than the time-out (30 minutes by default) ends too;
- **one gate** (a ``before_request`` hook, the pattern ``dash-auth`` uses): a request without a
  live session gets the sign-in page (a page) or ``401`` (Dash's API routes, ``POST``), never
  data; only :data:`PUBLIC_ENDPOINTS` pass without one;
- **sign-in** (``/login``, Italian and English): the same message for a wrong user name and a
  wrong password; after 5 failures in 15 minutes a user name is locked for 15 minutes (logged,
  and audited);
- **request checks**: the ``Host`` header must be one of the configured server names (no DNS
  rebinding), a ``POST`` must come from the page's own origin (``Origin``, else ``Referer``:
  no cross-site request forgery);
- **security headers** on every response: a Content Security Policy without ``unsafe-eval``
  (inline scripts allowed by their hashes only), ``frame-ancestors 'none'``,
  ``X-Content-Type-Options``, ``Referrer-Policy``, and ``Cache-Control: no-store`` on
  everything that is not a static asset;
- **audit**: sign-in, sign-out, failures and lock-outs, every view of an actor page or a
  worklist, every download (:func:`audit_callback`).

The account of the session becomes the request's viewer (:func:`request_account`): the data
layer scopes every table to it.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import flask
import flask_login
from markupsafe import escape

from dash_app.downloads import DOWNLOADS
from dash_app.i18n import TRANSLATIONS, t

__all__ = [
    "AUTHENTICATED_ENDPOINTS",
    "ROLE_PAGES",
    "account_menu",
    "allowed_pages",
    "first_page_path",
    "not_for_role",
    "PUBLIC_ENDPOINTS",
    "AuthConfig",
    "Sessions",
    "SignedInUser",
    "Throttle",
    "install_auth",
    "request_account",
]

_log = logging.getLogger(__name__)

#: Flask endpoints served without a session: the sign-in page and static files (no data)
PUBLIC_ENDPOINTS = frozenset({
    "genera_login",           # the sign-in page and its form
    "static",                 # Flask's static folder (unused by the app, there by default)
    "_dash_assets_file",      # dash_app/assets (Bootstrap's CSS)
    "_dash_assets.static",
    "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>",
    "/_favicon.ico",
})

#: Flask endpoints that need a session (every other route is refused: see the route test)
AUTHENTICATED_ENDPOINTS = frozenset({
    "genera_logout",
    "genera_password",
    "/_dash-layout",
    "/_dash-dependencies",
    "/_dash-update-component",
    "/_reload-hash",
    "/",
    "/<path:path>",
    "/_alive_",
})

_API_PREFIXES = ("/_dash-", "/_reload-hash", "/_alive")

#: the explorer's pages in navigation order (the navbar, and the pages of a role whose
#: ``ROLE_PAGES`` entry is ``None``)
NAV_ORDER = ("overview", "map", "isolation", "bridges", "communities", "report",
             "introductions", "glossary", "record", "upload")

#: the pages each role has in its navigation (``None``: every page of the app's order); the
#: data layer refuses the rest whatever the address typed
ROLE_PAGES: dict[str, tuple[str, ...] | None] = {
    "coordinator": None,
    "facilitator": None,
    "researcher": ("overview", "report"),
    "admin": ("audit",),
}


def allowed_pages(role: str, order: tuple[str, ...]) -> tuple[str, ...]:
    """The navigation of a role: its pages, then the audit log for a coordinator."""
    pages = ROLE_PAGES.get(role, ())
    pages = order if pages is None else pages
    return (*pages, "audit") if role == "coordinator" else tuple(pages)


def _page_names() -> dict[str, dict]:
    import dash

    return {p["module"].rsplit(".", 1)[-1]: p for p in dash.page_registry.values()}


def first_page_path(role: str) -> str:
    """Where a role starts: the path of the first page of its navigation."""
    pages = _page_names()
    for name in allowed_pages(role, NAV_ORDER):
        if name in pages:
            return pages[name]["relative_path"]
    return "/"


def not_for_role(role: str, lang: str) -> Any:
    """The page shown instead of one the role does not have: what and why in plain words,
    and a link to the role's own pages (no callback of the refused page is ever sent)."""
    import dash_bootstrap_components as dbc
    from dash import dcc, html

    return html.Div([
        html.H3(_t("forbidden", lang)),
        dbc.Alert([html.P(_t("forbidden_why", lang, role=_t(f"role.{role}", lang))
                          if f"auth.role.{role}" in TRANSLATIONS else _t("forbidden", lang)),
                   dcc.Link(_t("forbidden_home", lang), href=first_page_path(role),
                            className="alert-link")],
                  color="warning", className="mt-3"),
    ], id="not-for-role")


def _guard_pages() -> None:
    """Put the role check in front of every page's layout: a page not in the signed-in role's
    navigation (:func:`allowed_pages`) is answered by :func:`not_for_role`, whatever the
    address typed, so its callbacks are never sent (the data layer refuses them anyway)."""
    from dash_app.i18n import request_lang

    for name, page in _page_names().items():
        layout = page.get("layout")
        if getattr(layout, "genera_guarded", False):
            continue

        def guarded(*args: Any, _layout: Any = layout, _name: str = name, **kwargs: Any) -> Any:
            account = request_account()
            # a role with every page (ROLE_PAGES None) has the pages outside the navigation
            # too: a family's page (/actor/...) for a facilitator or a coordinator
            if (account is not None and ROLE_PAGES.get(account.role, ()) is not None
                    and _name not in allowed_pages(account.role, NAV_ORDER)):
                return not_for_role(account.role, request_lang())
            return _layout(*args, **kwargs) if callable(_layout) else _layout

        guarded.genera_guarded = True
        page["layout"] = guarded


class _AccountMenu:
    """The header's account part: who is signed in and the sign-out button."""

    def label(self, key: str, lang: str) -> str:
        return _t(key, lang) if f"auth.{key}" in TRANSLATIONS else key

    def __call__(self, lang: str) -> list:
        from dash import html

        account = request_account()
        if account is None:
            return []
        return [
            html.Span(account.display_name, className="text-white-50 small me-2"),
            html.Form(html.Button(_t("signout", lang), type="submit",
                                  className="btn btn-outline-light btn-sm", id="signout"),
                      action="/logout", method="POST", className="d-inline"),
        ]


account_menu = _AccountMenu()


def _t(key: str, lang: str, **kw: Any) -> str:
    """A text of this module in ``lang``: the label ``auth.<key>`` of the catalogs."""
    return t(f"auth.{key}", lang, **kw)


def _lang() -> str:
    from dash_app.i18n import DEFAULT_LANG, LANG_COOKIE, LANGS

    lang = flask.request.args.get("lang") or flask.request.cookies.get(LANG_COOKIE)
    return lang if lang in LANGS else DEFAULT_LANG


@dataclass(frozen=True)
class AuthConfig:
    """How sign-in behaves.

    Parameters
    ----------
    idle_timeout_s : int
        A session without a request for this long ends (default 30 minutes).
    max_failures, failure_window_s, lockout_s : int
        ``max_failures`` failed sign-ins for one user name within ``failure_window_s``
        seconds lock it for ``lockout_s`` seconds (default 5 in 15 minutes, 15 minutes).
    server_names : tuple of str
        The host names the server answers to (the ``Host`` header without its port); the
        loopback names by default.
    secure_cookies : bool
        Mark the session cookie ``Secure`` (served over HTTPS by a reverse proxy).
    """

    idle_timeout_s: int = 30 * 60
    max_failures: int = 5
    failure_window_s: int = 15 * 60
    lockout_s: int = 15 * 60
    server_names: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")
    secure_cookies: bool = False


class Sessions:
    """The live sessions of the server: session id -> account id and last request time.

    Held in the server process (one process serves every user); a restart signs everybody
    out. Thread-safe.
    """

    def __init__(self, idle_timeout_s: float, clock: Callable[[], float] = time.monotonic):
        self.idle_timeout_s = idle_timeout_s
        self._clock = clock
        self._live: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def open(self, user_id: int) -> str:
        """A new session for an account; returns its id (256 random bits)."""
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._live[sid] = (int(user_id), self._clock())
        return sid

    def touch(self, sid: str) -> tuple[int | None, bool]:
        """``(account id, expired)`` of a live session, marking it used now; ``(None, True)``
        if it was idle too long (it ends), ``(None, False)`` if there is no such session."""
        now = self._clock()
        with self._lock:
            entry = self._live.get(sid)
            if entry is None:
                return None, False
            user_id, last = entry
            if now - last > self.idle_timeout_s:
                del self._live[sid]
                return None, True
            self._live[sid] = (user_id, now)
            return user_id, False

    def close(self, sid: str) -> None:
        with self._lock:
            self._live.pop(sid, None)

    def close_user(self, user_id: int) -> int:
        """End every session of an account; returns how many."""
        with self._lock:
            gone = [s for s, (u, _) in self._live.items() if u == user_id]
            for sid in gone:
                del self._live[sid]
        return len(gone)

    def __len__(self) -> int:
        return len(self._live)


class Throttle:
    """Failed sign-ins per user name, and lock-out after too many (see :class:`AuthConfig`).

    Counted for every name typed, existing or not, so that a lock-out does not tell which
    accounts exist.
    """

    def __init__(self, config: AuthConfig, clock: Callable[[], float] = time.monotonic):
        self.config = config
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def locked_for(self, name: str) -> float:
        """Seconds left of a lock-out (0 when the name is not locked)."""
        with self._lock:
            left = self._locked_until.get(name, 0.0) - self._clock()
            return max(0.0, left)

    def failure(self, name: str) -> bool:
        """Count a failure; returns whether the name is locked now."""
        now = self._clock()
        with self._lock:
            times = self._failures.setdefault(name, deque())
            times.append(now)
            while times and now - times[0] > self.config.failure_window_s:
                times.popleft()
            if len(times) >= self.config.max_failures:
                self._locked_until[name] = now + self.config.lockout_s
                times.clear()
                return True
            return False

    def success(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)


class SignedInUser(flask_login.UserMixin):
    """The user of a request: the account and the session id (Flask-Login's user id, so that
    ending the session ends the sign-in)."""

    def __init__(self, account: Any, sid: str) -> None:
        self.account = account
        self.sid = sid

    def get_id(self) -> str:
        return self.sid

    @property
    def is_active(self) -> bool:
        return bool(self.account.active)


def request_account() -> Any | None:
    """The signed-in account of the current request (``None`` outside a signed-in request)."""
    if not flask.has_request_context():
        return None
    user = flask_login.current_user
    if user is None or not user.is_authenticated:
        return None
    return user.account


def _safe_next(target: str | None) -> str:
    """A redirect target on this site only (a path, never ``//host`` or a URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _page(title: str, body: str, lang: str) -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)} · genera_azioni</title>"
            f'<link rel="stylesheet" href="/assets/bootstrap.min.css"></head>'
            f'<body class="bg-light"><main class="container" style="max-width: 28rem">'
            f'<div class="card mt-5 shadow-sm"><div class="card-body">{body}</div></div>'
            f"</main></body></html>")


def _login_page(lang: str, message: str | None = None, level: str = "danger",
                username: str = "", next_url: str = "/") -> str:
    other = "en" if lang == "it" else "it"
    alert = (f'<div class="alert alert-{level}" role="alert">{escape(message)}</div>'
             if message else "")
    body = (
        f'<h1 class="h4 mb-3">{escape(_t("heading", lang))}</h1>{alert}'
        f'<form method="post" action="/login">'
        f'<input type="hidden" name="next" value="{escape(next_url)}">'
        f'<input type="hidden" name="lang" value="{lang}">'
        f'<div class="mb-3"><label class="form-label" for="username">'
        f'{escape(_t("username", lang))}</label>'
        f'<input class="form-control" id="username" name="username" autocomplete="username" '
        f'autocapitalize="none" required value="{escape(username)}"></div>'
        f'<div class="mb-3"><label class="form-label" for="password">'
        f'{escape(_t("password", lang))}</label>'
        f'<input class="form-control" id="password" name="password" type="password" '
        f'autocomplete="current-password" required></div>'
        f'<button class="btn btn-primary w-100" type="submit">{escape(_t("submit", lang))}'
        f"</button></form>"
        f'<p class="mt-3 mb-0 small"><a href="/login?lang={other}">'
        f'{escape(_t("other", lang))}</a></p>')
    return _page(_t("title", lang), body, lang)


def _password_page(lang: str, message: str | None = None) -> str:
    from genera_graph.io.accounts import MIN_PASSWORD_LENGTH

    alert = (f'<div class="alert alert-danger" role="alert">{escape(message)}</div>'
             if message else "")
    fields = "".join(
        f'<div class="mb-3"><label class="form-label" for="{name}">{escape(_t(name, lang))}'
        f'</label><input class="form-control" id="{name}" name="{name}" type="password" '
        f'autocomplete="{auto}" required></div>'
        for name, auto in (("current", "current-password"), ("new", "new-password"),
                           ("again", "new-password")))
    body = (f'<h1 class="h4 mb-3">{escape(_t("change_title", lang))}</h1>'
            f'<p>{escape(_t("change_intro", lang, n=MIN_PASSWORD_LENGTH))}</p>{alert}'
            f'<form method="post" action="/password">{fields}'
            f'<button class="btn btn-primary w-100" type="submit">'
            f'{escape(_t("change", lang))}</button></form>')
    return _page(_t("change_title", lang), body, lang)


def _host_name(host: str) -> str:
    """The host name of a ``Host`` header value (no port; IPv6 without brackets)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def install_auth(app: Any, store: Any, config: AuthConfig | None = None, *,
                 secret_key: bytes, hasher: Any = None, pseudonymiser: Any = None) -> None:
    """Put sign-in, the gate, the request checks, the headers and the audit on a Dash app.

    Parameters
    ----------
    app : dash.Dash
        The explorer (call after every callback is defined: the CSP hashes its inline
        scripts).
    store : genera_graph.io.store.Store
        Where the accounts and the audit log are.
    config : AuthConfig
    secret_key : bytes
        The key that signs session cookies (kept outside the store).
    hasher : argon2.PasswordHasher, optional
        Password hashing parameters (tests use cheap ones).
    pseudonymiser : genera_graph.exports.pseudonyms.Pseudonymiser, optional
        The research study whose pseudonyms a researcher sees (none: researchers see nothing).
    """
    from dash_app.data.registry import VIEWER_KEY, Forbidden
    from dash_app.data.source import CONFIG_KEY
    from dash_app.data.viewer import Viewer
    from genera_graph.io.accounts import AccountError, Accounts
    from genera_graph.io.audit import AuditLog

    config = config or AuthConfig()
    server = app.server
    registry = server.config[CONFIG_KEY]
    registry.default_viewer = None  # no session, no data
    registry.pseudonymiser = pseudonymiser
    server.secret_key = secret_key
    server.config.update(
        SESSION_COOKIE_NAME="genera_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.secure_cookies,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=config.secure_cookies,
    )
    accounts = Accounts(store, hasher=hasher)
    audit = AuditLog(store)
    sessions = Sessions(config.idle_timeout_s)
    throttle = Throttle(config)
    server.extensions["genera_auth"] = {"accounts": accounts, "audit": audit,
                                        "sessions": sessions, "throttle": throttle,
                                        "config": config}
    allowed_hosts = {h.lower().strip("[]") for h in config.server_names}

    manager = flask_login.LoginManager()
    manager.session_protection = "strong"
    manager.init_app(server)

    @manager.user_loader
    def _load(sid: str) -> SignedInUser | None:
        user_id, expired = sessions.touch(sid)
        if expired:
            flask.g.genera_expired = True
        if user_id is None:
            return None
        account = accounts.by_id(user_id)
        if account is None or not account.active:
            sessions.close(sid)
            return None
        return SignedInUser(account, sid)

    # Dash adds the pages' clientside callbacks to its inline scripts on the first request:
    # the policy hashes them once that has happened (in the first response)
    csp: list[str] = []

    @server.errorhandler(Forbidden)
    def _forbidden(_exc: Forbidden) -> flask.Response:
        return flask.Response('{"error": "not for this role"}', 403,
                              mimetype="application/json")

    @server.before_request
    def _gate() -> Any:
        request = flask.request
        if _host_name(request.host) not in allowed_hosts:
            return flask.Response(_t("bad_host", _lang()), 400, mimetype="text/plain")
        if request.method not in ("GET", "HEAD", "OPTIONS") and not _same_origin(request):
            return flask.Response(_t("bad_origin", _lang()), 403, mimetype="text/plain")
        if request.endpoint in PUBLIC_ENDPOINTS:
            return None
        user = flask_login.current_user
        if user.is_authenticated:
            flask.g.setdefault(VIEWER_KEY, Viewer.of_account(user.account))
            if user.account.must_change_password and request.endpoint not in (
                    "genera_password", "genera_logout"):
                return _refuse(request, "/password")
            return None
        if getattr(flask.g, "genera_expired", False):
            audit.record("-", "session_expired")
            return _refuse(request, "/login?expired=1")
        return _refuse(request, "/login?next=" + _quote(request.full_path.rstrip("?")))

    @server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        h = response.headers
        if not csp:
            csp.append(_content_security_policy(app))
        h["Content-Security-Policy"] = csp[0]
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "same-origin"
        h["X-Frame-Options"] = "DENY"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if flask.request.endpoint not in PUBLIC_ENDPOINTS or \
                flask.request.endpoint == "genera_login":
            h["Cache-Control"] = "no-store"
        return response

    @server.after_request
    def _audit(response: flask.Response) -> flask.Response:
        if flask.request.endpoint == "/_dash-update-component" and response.status_code == 200:
            account = request_account()
            if account is not None:
                audit_callback(audit, account.username, flask.request.get_json(silent=True))
        return response

    def login() -> Any:
        lang = _lang()
        request = flask.request
        if request.method == "GET":
            if flask_login.current_user.is_authenticated:
                return flask.redirect(_safe_next(request.args.get("next")))
            message, level = None, "danger"
            if request.args.get("expired"):
                message, level = _t("expired", lang), "warning"
            elif request.args.get("out"):
                message, level = _t("signed_out", lang), "info"
            return _login_page(lang, message, level,
                               next_url=_safe_next(request.args.get("next")))
        name = (request.form.get("username") or "").strip().lower()[:64]
        password = request.form.get("password") or ""
        next_url = _safe_next(request.form.get("next"))
        lang = request.form.get("lang") if request.form.get("lang") in ("it", "en") else lang
        left = throttle.locked_for(name)
        if left:
            audit.record("-", "signin_locked", _known(accounts, name))
            return _login_page(lang, _t("locked", lang, minutes=max(1, round(left / 60))),
                               username=name, next_url=next_url), 429
        outcome = accounts.authenticate(name, password)
        if outcome.account is None:
            target = _known(accounts, name)
            audit.record("-", "signin_failed", target, reason=outcome.reason)
            if throttle.failure(name):
                _log.warning("sign-in locked after %d failures in %d min (see the audit log)",
                             config.max_failures, config.failure_window_s // 60)
                audit.record("-", "signin_lockout", target)
            return _login_page(lang, _t("wrong", lang), username=name,
                               next_url=next_url), 401
        throttle.success(name)
        old = flask_login.current_user
        if old.is_authenticated:
            sessions.close(old.sid)
        flask.session.clear()  # nothing of the session before the sign-in survives it
        sid = sessions.open(outcome.account.user_id)
        flask_login.login_user(SignedInUser(outcome.account, sid), remember=False, fresh=True)
        audit.record(outcome.account.username, "signin", role=outcome.account.role)
        if next_url == "/":  # a role without the overview starts on its own first page
            next_url = first_page_path(outcome.account.role)
        response = flask.redirect("/password" if outcome.account.must_change_password
                                  else next_url)
        return response

    def logout() -> Any:
        user = flask_login.current_user
        if user.is_authenticated:
            audit.record(user.account.username, "signout")
            sessions.close(user.sid)
        flask_login.logout_user()
        flask.session.clear()
        return flask.redirect("/login?out=1")

    def password() -> Any:
        lang = _lang()
        user = flask_login.current_user
        if flask.request.method == "GET":
            return _password_page(lang)
        form = flask.request.form
        if form.get("new") != form.get("again"):
            return _password_page(lang, _t("differ", lang)), 400
        try:
            accounts.change_password(user.account.username, form.get("current") or "",
                                     form.get("new") or "")
        except AccountError as exc:
            return _password_page(lang, exc.text(lang)), 400
        audit.record(user.account.username, "password_change")
        return flask.redirect("/")

    _guard_pages()
    server.add_url_rule("/login", "genera_login", login, methods=["GET", "POST"])
    server.add_url_rule("/logout", "genera_logout", logout, methods=["POST"])
    server.add_url_rule("/password", "genera_password", password, methods=["GET", "POST"])


def _known(accounts: Any, name: str) -> list[str]:
    """The audit target of a sign-in attempt: the user name if it is an account's (a typed
    name that is not might be a password typed in the wrong field: it is not kept)."""
    return [name] if name and accounts.get(name) is not None else []


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")


def _refuse(request: flask.Request, target: str) -> flask.Response:
    """A page request goes to ``target`` (302); an API call or a POST gets 401, no data."""
    if request.method != "GET" or request.path.startswith(_API_PREFIXES):
        return flask.Response('{"error": "sign-in required"}', 401,
                              mimetype="application/json")
    return flask.redirect(target)


def _same_origin(request: flask.Request) -> bool:
    """Whether a state-changing request comes from a page of this server: its ``Origin``
    (else its ``Referer``) has the request's own host and port."""
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin or origin == "null":
        return False
    parts = urlsplit(origin)
    return bool(parts.netloc) and hmac.compare_digest(parts.netloc.lower(),
                                                      request.host.lower())


def _content_security_policy(app: Any) -> str:
    """The CSP: scripts from this server and the app's inline scripts by hash only (no
    ``unsafe-eval``, no ``unsafe-inline`` script); styles inline too (Dash and Plotly set
    ``style`` attributes); no framing; forms and connections to this server only."""
    hashes = " ".join(app.csp_hashes())  # each already quoted: 'sha256-...'
    return ("default-src 'self'; "
            f"script-src 'self' {hashes}; "
            "style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'none'")


#: callbacks whose answer shows identified detail: output id -> (action, input giving the id)
_AUDITED_OUTPUTS = {
    "act-ego.figure": ("view_actor", "act-id"),
    # the map's panel is asked for [selected actor, period] (dash_app/pages/map.py)
    "map-panel.children": ("view_actor", "map-panel-key"),
    # the worklist's pages (the grid asks the server for each), the phone's lines, and a
    # line's details (the family's id is the clicked row's)
    "iso-grid.getRowsResponse": ("view_worklist", None),
    "iso-list.children": ("view_worklist", None),
    "iso-details.children": ("view_actor", "iso-grid.cellClicked"),
    "iso-intro.children": ("view_actor", "iso-grid.cellClicked"),
}


def audit_callback(audit: Any, username: str, body: dict | None) -> None:
    """Record a callback that showed identified detail or made a download.

    An actor page's first load, a selected actor's map panel, a worklist, and every file a
    download sends (the ``data`` of a component in :data:`dash_app.downloads.DOWNLOADS`,
    which every download callback declares its output through).
    """
    if not isinstance(body, dict):
        return
    output = str(body.get("output", ""))
    values = {}
    for item in list(body.get("inputs") or []) + list(body.get("state") or []):
        if isinstance(item, dict) and "id" in item:
            values[f"{item['id']}"] = item.get("value")
            values[f"{item['id']}.{item.get('property')}"] = item.get("value")
    try:
        if "_pages_content.children" in output or output.startswith("_pages_content"):
            path = str(values.get("_pages_location.pathname") or "")
            if path.startswith("/actor/"):
                audit.record(username, "view_actor", [path.rsplit("/", 1)[-1]], page="actor")
            elif path.startswith("/isolation"):
                audit.record(username, "view_worklist", page="isolation")
            return
        for key, (action, source) in _AUDITED_OUTPUTS.items():
            if key in output:
                target = values.get(source) if source else None
                if isinstance(target, list):  # [actor, period]: the actor
                    target = target[0] if target else None
                elif isinstance(target, dict):  # a grid's clicked cell: its row's id
                    target = target.get("rowId")
                if source and not target:
                    return
                audit.record(username, action, [str(target)] if target else [],
                             page=key.split("-", 1)[0])
                return
        for part in output.strip(".").split("..."):
            component, _, prop = part.rpartition(".")
            if prop == "data" and component in DOWNLOADS:
                audit.record(username, "download", [component])
                return
    except ValueError:
        _log.warning("a callback's audit entry was refused (an id that is not id-like)")
