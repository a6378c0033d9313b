"""Map: the relationship map of a period, filtered, coloured and sized; click an actor for its
personal network.

Rendering: Dash Cytoscape (canvas) with fixed preset positions computed once for the whole
programme, so actors stay in place while the period changes; names are drawn as canvas text.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import dash_cytoscape as cyto
import pandas as pd
from dash import ClientsideFunction, Input, Output, State, ctx, dcc, html

from dash_app import ids, state
from dash_app.components import (
    download_button,
    dropdown,
    month_range_slider,
    options,
    partner_list,
    period,
)
from dash_app.data import current
from dash_app.data.memo import per_scope
from dash_app.downloads import table_download
from dash_app.figures import cytoscape_elements, cytoscape_stylesheet, ego_figure, map_legend
from dash_app.i18n import (
    fmt_date,
    kind_label,
    nature_label,
    programme_label,
    request_lang,
    t,
)
from genera_graph.model import ActorKind, Programme, TieNature

__all__ = ["chosen", "download", "layout", "legend", "panel", "select", "ties_frame", "update_map"]

dash.register_page(__name__, path="/map", name="nav.map", title="genera_azioni · mappa", order=1)

#: the play button moves one month on every this many milliseconds
PLAY_STEP_MS = 900

#: at most this many ties are drawn (the strongest): beyond it a map is a hairball, and the
#: browser spends seconds on every step of the slider (a quarter of the sample district has
#: about 4,500 ties among 560 actors; see benchmarks/bench_app.py)
MAX_DRAWN_TIES = 1500


def _period_text(start, end, lang: str) -> str:
    return t("common.from_to", lang, start=fmt_date(start),
             end=fmt_date(pd.Timestamp(end) - pd.Timedelta(days=1)))


def layout(**query: object) -> html.Div:
    """The map page; the period and filters from the shared query (:mod:`dash_app.state`)."""
    lang = request_lang()
    access = current()
    months = access.months()
    cp_codes = {cp for cp, _ in access.community_points()}
    names = access.actors[~access.actors["kind"].isin(("individual",))].sort_values("name")
    return html.Div([
        html.H3(t("map.title", lang)),
        dbc.Row([
            dbc.Col([
                dbc.Label(t("common.window", lang)),
                html.Div([
                    dbc.Button("▶ " + t("map.play", lang), id=ids.MAP_PLAY, size="sm",
                               color="primary", outline=True, className="me-2 no-print",
                               title=t("map.play.title", lang)),
                    html.Span(id=ids.MAP_RANGE_LABEL, className="small text-muted"),
                ], className="mb-1"),
                month_range_slider(ids.MAP_RANGE, months, list(state.window(access, query))),
                dcc.Interval(id=ids.MAP_PLAY_TIMER, interval=PLAY_STEP_MS, disabled=True),
            ], md=12, className="mb-2"),
            dbc.Col(dropdown(ids.MAP_PROGRAMME, lang, multi=True,
                             value=state.codes(query, "programme", {p.value for p in Programme}),
                             placeholder=t(
                "common.programme", lang), options=options(
                    (p.value, programme_label(p, lang)) for p in Programme)), md=3),
            dbc.Col(dropdown(ids.MAP_CP, lang, multi=True, placeholder=t("common.cp", lang),
                             value=state.codes(query, "cp", cp_codes),
                                 options=options(access.community_points())), md=3),
            dbc.Col(dropdown(ids.MAP_KIND, lang, multi=True, placeholder=t("common.kind", lang),
                                 options=options((k.value, kind_label(k, lang))
                                                 for k in ActorKind)), md=3),
            dbc.Col(dcc.Checklist(id=ids.MAP_NATURE, inline=True,
                                  value=[n.value for n in TieNature],
                                  options=options((n.value, nature_label(n, lang))
                                                  for n in TieNature),
                                  inputClassName="me-1", labelClassName="me-3"), md=3),
        ], className="mb-2 g-2"),
        dbc.Row([
            dbc.Col([dbc.Label(t("map.colour", lang), className="me-2"),
                     dcc.RadioItems(id=ids.MAP_COLOUR, value="kind", inline=True,
                                    options=options((c, t(f"map.colour.{c}", lang))
                                                    for c in ("kind", "community", "cp")),
                                    inputClassName="me-1", labelClassName="me-3")], md=4),
            dbc.Col([dbc.Label(t("map.size", lang), className="me-2"),
                     dcc.RadioItems(id=ids.MAP_SIZE, value="degree", inline=True,
                                    options=options((s, t(f"map.size.{s}", lang))
                                                    for s in ("degree", "strength", "none")),
                                    inputClassName="me-1", labelClassName="me-3")], md=4),
            # at region scale the names are looked up as one types (search_names), not sent
            dbc.Col(dropdown(ids.MAP_SEARCH, lang, placeholder=t("map.search", lang),
                             options=[] if access.region_scale() else
                             options(zip(names.index, names["name"], strict=True))),
                    md=4),
        ], className="mb-2 g-2"),
        dbc.Row([
            dbc.Col([
                cyto.Cytoscape(id=ids.MAP_GRAPH, elements=[], layout={"name": "preset"},
                               stylesheet=cytoscape_stylesheet(), minZoom=0.05, maxZoom=4,
                               style={"width": "100%", "height": "640px",
                                      "border": "1px solid #dee2e6", "background": "#fff"}),
                html.Div(legend(map_legend(lang)), id=ids.MAP_LEGEND, className="mt-1"),
                html.Div(id=ids.MAP_STATS, className="small text-muted mt-1"),
                html.Div([
                    download_button(ids.MAP_DOWNLOAD_BTN, ids.MAP_DOWNLOAD, lang),
                    dbc.Button(t("map.png", lang), id=ids.MAP_PNG, size="sm",
                               color="secondary", outline=True, className="mt-2 ms-2"),
                ], className="d-flex align-items-start no-print"),
                dcc.Store(id=ids.MAP_PNG_DONE),
            ], lg=8),
            dbc.Col(html.Div(id=ids.MAP_PANEL, children=html.P(t("map.panel.hint", lang))),
                    lg=4),
        ]),
        dcc.Store(id=ids.MAP_SELECTED),
        dcc.Store(id=ids.MAP_ELEMENTS),
        dcc.Store(id=ids.MAP_RESIZED),
        dcc.Store(id=ids.MAP_LABELLED),
    ])


# the period's elements go into the drawn map as a diff, the selected actor is highlighted by
# classes and the names are placed again (assets/map.js): the Cytoscape component's own
# ``elements`` and ``stylesheet`` never change after the page is built, so it never restyles
# the whole map
dash.clientside_callback(
    ClientsideFunction("generaMap", "draw"),
    Output(ids.MAP_LABELLED, "data"),
    Input(ids.MAP_ELEMENTS, "data"),
    Input(ids.MAP_SELECTED, "data"),
    State(ids.MAP_GRAPH, "id"),
    prevent_initial_call=True,
)

# the play button: the map grows month by month from the programme's start
dash.clientside_callback(
    ClientsideFunction("generaMap", "play"),
    Output(ids.MAP_PLAY_TIMER, "disabled"),
    Input(ids.MAP_PLAY, "n_clicks"),
    State(ids.MAP_PLAY_TIMER, "disabled"),
    prevent_initial_call=True,
)
dash.clientside_callback(
    ClientsideFunction("generaMap", "tick"),
    Output(ids.MAP_RANGE, "value"),
    Output(ids.MAP_PLAY_TIMER, "disabled", allow_duplicate=True),
    Input(ids.MAP_PLAY_TIMER, "n_intervals"),
    State(ids.MAP_RANGE, "value"),
    State(ids.MAP_RANGE, "max"),
    State(ids.MAP_PLAY_TIMER, "disabled"),
    prevent_initial_call=True,
)
dash.clientside_callback(
    ClientsideFunction("generaMap", "png"),
    Output(ids.MAP_PNG_DONE, "data"),
    Input(ids.MAP_PNG, "n_clicks"),
    State(ids.MAP_GRAPH, "id"),
    prevent_initial_call=True,
)

# the period and filters are shared with the other pages (dash_app/state.py)
dash.clientside_callback(
    ClientsideFunction("genera", "fromMapControls"),
    Output(ids.SHARED, "data", allow_duplicate=True),
    Input(ids.MAP_RANGE, "value"),
    Input(ids.MAP_PROGRAMME, "value"),
    Input(ids.MAP_CP, "value"),
    State(ids.MONTHS, "data"),
    State(ids.SHARED, "data"),
    prevent_initial_call="initial_duplicate",
)


# Cytoscape caches where its canvas sits on the page; controls above the map that render late
# (dropdowns, sliders) move it down, and clicks would then land beside the actor. Re-measure
# whenever the page's size changes.
dash.clientside_callback(
    f"""function(elements) {{
        const el = document.getElementById("{ids.MAP_GRAPH}");
        if (!el || !el._cyreg) {{ return window.dash_clientside.no_update; }}
        const cy = el._cyreg.cy;
        cy.resize();
        if (!el._generaObserver && window.ResizeObserver) {{
            el._generaObserver = new ResizeObserver(() => cy.resize());
            el._generaObserver.observe(document.body);
        }}
        return (elements || []).length;
    }}""",
    Output(ids.MAP_RESIZED, "data"),
    Input(ids.MAP_ELEMENTS, "data"),
)


def _filters(access, value, programmes, cps, kinds, natures):
    start, end = period(access, value)
    all_natures = {n.value for n in TieNature}
    nat = tuple(sorted(natures)) if natures is not None and set(natures) != all_natures else ()
    if natures is not None and not natures:
        nat = ("-",)  # nothing ticked: nothing shown
    return (start, end, tuple(sorted(programmes or ())), tuple(sorted(cps or ())), nat,
            tuple(sorted(kinds or ())))


@dash.callback(
    Output(ids.MAP_ELEMENTS, "data"),
    Output(ids.MAP_STATS, "children"),
    Output(ids.MAP_RANGE_LABEL, "children"),
    Output(ids.MAP_LEGEND, "children"),
    Input(ids.MAP_RANGE, "value"),
    Input(ids.MAP_PROGRAMME, "value"),
    Input(ids.MAP_CP, "value"),
    Input(ids.MAP_KIND, "value"),
    Input(ids.MAP_NATURE, "value"),
    Input(ids.MAP_COLOUR, "value"),
    Input(ids.MAP_SIZE, "value"),
    State(ids.LANG, "data"),
)
@per_scope  # the same controls in one scope: one answer (dash_app.data.memo)
def update_map(value, programmes, cps, kinds, natures, colour, size, lang):
    """The map's elements for the period and filters, its summary line, period label and
    legend (what the colours mean)."""
    lang = lang or "it"
    access = current()
    key = _filters(access, value, programmes, cps, kinds, natures)
    if access.region_scale() and access.map_is_aggregated(*key):
        # too many units to draw: districts (or points) as super-nodes; a point filter drills
        # down (dash_app.data.aggregate)
        nodes, edges = access.aggregated_map(*key)
        elements = cytoscape_elements(nodes, edges, "kind", "degree")
        text = _period_text(key[0], key[1], lang)
        stats = t("map.aggregated", lang, groups=len(nodes), units=int(nodes["units"].sum()),
                  period=text)
        return elements, stats, text, legend(map_legend(lang, nodes, "kind"))
    nodes, edges = access.nodes(*key)
    if colour == "community":
        nodes = nodes.assign(community=access.community_of(key[0], key[1], nodes.index))
    shown = edges.nlargest(MAX_DRAWN_TIES, "weight") if len(edges) > MAX_DRAWN_TIES else edges
    elements = cytoscape_elements(nodes, shown, colour or "kind", size or "degree")
    text = _period_text(key[0], key[1], lang)
    stats = t("map.stats", lang, nodes=len(nodes), edges=len(edges), period=text)
    if len(shown) < len(edges):
        stats += " · " + t("map.capped", lang, n=len(shown))
    return elements, stats, text, legend(map_legend(lang, nodes, colour or "kind"))


def legend(entries: list[tuple[str, str, str]]) -> list:
    """The legend's marks and labels (labels as plain text)."""
    out = []
    for shape, colour, label in entries:
        mark = [] if shape == "text" else [html.Span(style={
            "display": "inline-block", "width": "14px",
            "height": "10px" if shape == "dot" else "3px",
            "borderRadius": "50%" if shape == "dot" else "0", "background": colour,
            "marginRight": "4px", "verticalAlign": "middle"})]
        out.append(html.Span([*mark, label], className="me-3 small text-nowrap"))
    return out


@dash.callback(
    Output(ids.MAP_SELECTED, "data"),
    Input(ids.MAP_GRAPH, "tapNodeData"),
    Input(ids.MAP_SEARCH, "value"),
    prevent_initial_call=True,
)
def select(tapped: dict | None, searched: str | None):
    """The selected actor: the last one clicked on the map or picked in the search box."""
    return chosen(tapped, searched, ctx.triggered_id)


@dash.callback(
    Output(ids.MAP_SEARCH, "options"),
    Input(ids.MAP_SEARCH, "search_value"),
    State(ids.MAP_SEARCH, "value"),
    prevent_initial_call=True,
)
def search_names(text: str | None, value: str | None):
    """At region scale, the search box's options: the names matching what is typed
    (``name_matches`` of the data layer), the chosen one kept."""
    access = current()
    if not access.region_scale():
        raise dash.exceptions.PreventUpdate
    return options(access.name_matches(text or "", keep=value))


def chosen(tapped: dict | None, searched: str | None, trigger: str | None) -> str | None:
    """The actor picked by the control that fired (``trigger``): search box or map click."""
    if trigger == ids.MAP_SEARCH:
        return searched
    return (tapped or {}).get("id")


def _trigger() -> str | None:
    """The id of the input that fired the running callback (none when called directly)."""
    try:
        return ctx.triggered_id
    except dash.exceptions.MissingCallbackContextException:
        return None


@dash.callback(
    Output(ids.MAP_PANEL, "children"),
    Input(ids.MAP_SELECTED, "data"),
    Input(ids.MAP_RANGE, "value"),
    State(ids.LANG, "data"),
)
@per_scope  # the same controls in one scope: one answer (dash_app.data.memo)
def panel(selected: str | None, value, lang):
    """The side panel of the selected actor (its personal network in the period); the map's
    highlight of it is drawn in the browser (assets/map.js)."""
    lang = lang or "it"
    access = current()
    if not selected or selected not in access.actors.index:
        if _trigger() == ids.MAP_RANGE:  # a new period, nobody picked: nothing to do
            # raised, not returned: per_scope keeps no raised answer, and a kept no_update
            # would later leave an unselected actor's panel on the screen
            raise dash.exceptions.PreventUpdate
        return html.P(t("map.panel.hint", lang))
    start, end = period(access, value)
    nodes, edges = access.ego(selected, start, end)
    own = edges[(edges["a"] == selected) | (edges["b"] == selected)]
    row = access.actors.loc[selected]
    cp = row["community_point_id"] if isinstance(row["community_point_id"], str) else "–"
    children = [
        html.H5(str(row["name"]), className="text-break"),
        html.Div(t("act.details", lang, kind=kind_label(row["kind"], lang), cp=cp,
                   date=fmt_date(row["first_met"])), className="small text-muted"),
        html.Div(t("map.panel.ties", lang, n=len(own), peer=int((own["nature"] == "peer").sum())),
                 className="mt-2"),
        dcc.Link(t("map.panel.open", lang),
                 href=f"/actor/{selected}{state.query_string(start, end)}",
                 className="btn btn-sm btn-primary mt-2"),
        html.H6(t("map.panel.ego", lang), className="mt-3"),
        dcc.Graph(figure=ego_figure(nodes, edges, lang, height=340),
                  config={"displayModeBar": False}),
        partner_list(access, selected, start, end, lang),
    ]
    return children


def ties_frame(access, value, programmes, cps, kinds, natures, lang: str) -> pd.DataFrame:
    """The ties the map shows, with both names (what the download writes)."""
    key = _filters(access, value, programmes, cps, kinds, natures)
    _, edges = access.nodes(*key)
    return pd.DataFrame({
        "actor_id": edges["a"], "name": [access.name_of(i) for i in edges["a"]],
        "partner_id": edges["b"], "partner": [access.name_of(i) for i in edges["b"]],
        "nature": [nature_label(n, lang) for n in edges["nature"]],
        "count": edges["weight"].astype(int),
        "start": pd.Timestamp(key[0]), "end": pd.Timestamp(key[1]) - pd.Timedelta(days=1),
    })


download = table_download(
    ids.MAP_DOWNLOAD, ids.MAP_DOWNLOAD_BTN,
    [(ids.MAP_RANGE, "value"), (ids.MAP_PROGRAMME, "value"), (ids.MAP_CP, "value"),
     (ids.MAP_KIND, "value"), (ids.MAP_NATURE, "value")],
    ties_frame, "mappa.csv")
