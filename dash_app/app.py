"""The app factory: ``create_app(source, viewer=...)`` builds the explorer; nothing runs at import.

Examples
--------
>>> from genera_graph.model import Dataset
>>> app = create_app(Dataset.empty())  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html

from dash_app import ids
from dash_app.data import CONFIG_KEY, DataAccess, Source, Viewer
from dash_app.data.registry import AccessRegistry
from dash_app.i18n import LANG_COOKIE, t
from dash_app.static import install as install_static
from genera_graph.model import DEFAULT_CONFIG, AnalysisConfig, Dataset

__all__ = ["create_app", "warm_app", "warm_figures"]

_HERE = Path(__file__).resolve().parent

#: the pages in the navigation bar, in order (page module -> label key)


def create_app(source: Source, viewer: Viewer | None = None,
               config: AnalysisConfig = DEFAULT_CONFIG, warm: bool = False) -> Dash:
    """Build the explorer for one viewer.

    Parameters
    ----------
    source : Dataset, callable, str or Path
        The data (see :func:`dash_app.data.load_source`): loaded on first use, not here.
    viewer : Viewer, optional
        Who is looking (default: a coordinator seeing the whole district). Scoping is enforced
        by the app's :class:`~dash_app.data.DataAccess`.
    config : AnalysisConfig
        Analysis defaults.
    warm : bool
        Load the data and compute the shared tables now (:func:`warm`), instead of on the
        first requests.

    Returns
    -------
    dash.Dash
        The app; ``app.server`` is its Flask server. Every asset is served locally (no CDN):
        Bootstrap's CSS from ``dash_app/assets/``, Dash's and Plotly's scripts from the Python
        packages.

    Notes
    -----
    Pages register their callbacks with ``dash.callback`` when the app is built; build one
    app per process (as with every multi-page Dash app).
    """
    plotly_js = _HERE / "assets" / "vendor" / "plotly-basic.min.js"
    app = Dash(
        "dash_app",
        use_pages=True,
        pages_folder=str(_HERE / "pages"),
        assets_folder=str(_HERE / "assets"),
        # served, not loaded on every page: plotly.js's basic bundle, loaded by the first
        # chart (assets/plotly_bundle.js)
        assets_path_ignore=["vendor"],
        serve_locally=True,
        suppress_callback_exceptions=True,
        title="genera_azioni",
        update_title=None,
        # plotly.js's address with its fingerprint, as Dash gives the other assets: cached
        # for a year (dash_app/static.py); assets/plotly_bundle.js reads it
        meta_tags=[{"name": "genera-plotly", "content": "/assets/vendor/plotly-basic.min.js?m="
                    + str(int(plotly_js.stat().st_mtime)) if plotly_js.exists() else ""}],
    )
    # gzip, and a year's caching of fingerprinted assets (dash_app/static.py)
    install_static(app.server)
    # one access object per scope, picked per request from the signed-in account
    # (dash_app.auth); without sign-in installed, every request is ``viewer``'s
    app.server.config[CONFIG_KEY] = AccessRegistry(source, config,
                                                   default_viewer=viewer or Viewer())
    app.layout = _shell
    if warm:
        warm_app(app)
    app.clientside_callback(
        f"""function(value, current) {{
            if (!value || value === current) {{ return window.dash_clientside.no_update; }}
            document.cookie = "{LANG_COOKIE}=" + value + "; path=/; SameSite=Lax";
            window.location.reload();
            return value;
        }}""",
        Output(ids.LANG, "data"),
        Input(ids.LANG_SWITCH, "value"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    # one period and one set of filters across pages (dash_app/state.py, assets/state.js)
    app.clientside_callback(
        ClientsideFunction("genera", "fromLocation"),
        Output(ids.SHARED, "data", allow_duplicate=True),
        Input(ids.PAGES_LOCATION, "search"),
        State(ids.SHARED, "data"),
        prevent_initial_call="initial_duplicate",
    )
    app.clientside_callback(
        ClientsideFunction("genera", "links"),
        Output({"type": ids.NAV, "page": dash.ALL}, "href"),
        Input(ids.SHARED, "data"),
        State({"type": ids.NAV, "page": dash.ALL}, "href"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        "function(n, open) { return n ? !open : open; }",
        Output(ids.NAV_COLLAPSE, "is_open"),
        Input(ids.NAV_TOGGLE, "n_clicks"),
        State(ids.NAV_COLLAPSE, "is_open"),
        prevent_initial_call=True,
    )
    return app


def warm_app(app: Dash) -> None:
    """Compute the tables the pages start from, for the periods the pages offer."""
    from dash_app.components import period_choices

    access = app.server.config[CONFIG_KEY].coordinator
    access.warm([(s, e) for _, s, e in period_choices(access)])
    warm_figures(access)


def warm_figures(access: DataAccess) -> None:
    """Build one ego figure: plotly builds its property validators on the first figure of
    each trace kind, so that the first click on an actor is not the one that pays for it."""
    from dash_app.components import period_choices
    from dash_app.figures import ego_figure

    households = access.actors.index[access.actors["kind"] == "household"]
    choices = period_choices(access)
    if len(households) and choices:
        _, start, end = choices[0]
        ego_figure(*access.ego(households[0], start, end), "it")


def _shell() -> html.Div:
    """The page shell: header (navigation, viewer, language) and the page container."""
    from dash_app.auth import NAV_ORDER, account_menu, allowed_pages
    from dash_app.data import current
    from dash_app.data.registry import Forbidden
    from dash_app.i18n import request_lang

    lang = request_lang()
    try:
        access = current()
    except Forbidden:  # Dash checks the layout once outside any session: an empty shell
        access = DataAccess(Dataset.empty(), Viewer(role="admin"))
    viewer = access.viewer
    pages = {p["module"].rsplit(".", 1)[-1]: p for p in dash.page_registry.values()}
    allowed = allowed_pages(viewer.role, NAV_ORDER)
    links = [dbc.NavLink(t(f"nav.{name}", lang) if name in NAV_ORDER else
                         account_menu.label(name, lang), href=pages[name]["relative_path"],
                         active="exact", id={"type": ids.NAV, "page": name})
             for name in allowed if name in pages]
    from dash_app.components import viewer_points

    who = (t("app.viewer.facilitator", lang, points=viewer_points(access))
           if viewer.role == "facilitator" else t("app.viewer.coordinator", lang)
           if viewer.role == "coordinator" else account_menu.label(viewer.role, lang))
    # on a phone the links fold behind a button (Bootstrap's collapse below the lg width);
    # on a laptop (1366 px) the brand keeps one line, the links wrap before the right-hand
    # group (viewer, language, account) is ever pushed off the screen (assets/app.css)
    name, _, subtitle = t("app.title", lang).partition(" · ")
    header = dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand(html.Span([name, html.Span(" · " + subtitle,
                                                       className="d-none d-xxl-inline")],
                                      title=t("app.title", lang)),
                            href="/", className="me-3"),
            dbc.NavbarToggler(id=ids.NAV_TOGGLE, n_clicks=0),
            dbc.Collapse([
                dbc.Nav(links, pills=True, className="me-auto genera-nav"),
                html.Div([
                    html.Span(who, className="badge bg-light text-dark text-wrap"),
                    dbc.RadioItems(id=ids.LANG_SWITCH, value=lang, inline=True,
                                   options=[{"label": "IT", "value": "it"},
                                            {"label": "EN", "value": "en"}],
                                   className="text-white text-nowrap", inputClassName="me-1"),
                    html.Div(account_menu(lang), className="d-flex align-items-center"),
                ], className="genera-account d-flex align-items-center gap-2"),
            ], id=ids.NAV_COLLAPSE, is_open=False, navbar=True),
        ], fluid=True),
        color="dark", dark=True, expand="lg", className="mb-3 d-print-none",
    )
    months = [m.isoformat() for m in access.months()]
    return html.Div([
        dcc.Store(id=ids.LANG, data=lang),
        dcc.Store(id=ids.SHARED, data={}),
        dcc.Store(id=ids.MONTHS, data=months),
        header,
        dbc.Container(dash.page_container, fluid=True, className="pb-5"),
    ], lang=lang)
