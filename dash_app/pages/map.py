"""Map: the relationship map of a period, filtered, coloured and sized; click an actor for its
personal network.

Rendering: a plain canvas drawn by ``assets/map.js`` (no component library), with fixed
positions computed once for the whole programme, so actors stay in place while the period
changes; names are drawn as canvas text. Dash Cytoscape drew it before: 300-700 ms of the
browser's CPU for a step of the time slider, against a few milliseconds of canvas calls.
"""

from __future__ import annotations

import json

import dash
import dash_bootstrap_components as dbc
import numpy as np
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
from dash_app.figures import (
    KIND_COLOURS,
    SIZE_STEP,
    ego_figure,
    map_elements,
    map_legend,
    map_style,
    point_colours,
)
from dash_app.i18n import (
    TRANSLATIONS,
    fmt_date,
    kind_label,
    nature_label,
    page_title,
    programme_label,
    request_lang,
    t,
)
from genera_graph.l10n.formatting import format_integer
from genera_graph.model import ActorKind, Programme, TieNature
from genera_graph.temporal.parts import window_parts

__all__ = ["download", "layout", "legend", "map_tables", "panel", "panel_of", "redraw",
           "tables", "ties_frame", "update_map"]

dash.register_page(__name__, path="/map", name="nav.map", title=page_title("nav.map"), order=1)

#: the play button moves one month on every this many milliseconds
PLAY_STEP_MS = 600

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
                # drawn by assets/map.js on a canvas it puts in this div; a tap on an actor
                # sets map-tapped (data-tapped)
                html.Div(id=ids.MAP_GRAPH, role="group", **{
                    "aria-label": t("map.title", lang), "data-style": json.dumps(map_style()),
                    "data-tapped": ids.MAP_TAPPED},
                    style={"width": "100%", "height": "640px", "position": "relative",
                           "border": "1px solid #dee2e6", "background": "#fff",
                           "overflow": "hidden"}),
                html.Div(legend(map_legend(lang)), id=ids.MAP_LEGEND, className="mt-1"),
                html.Div(id=ids.MAP_STATS, className="small text-muted mt-1"),
                html.Div([
                    download_button(ids.MAP_DOWNLOAD_BTN, ids.MAP_DOWNLOAD, lang),
                    dbc.Button(t("map.png", lang), id=ids.MAP_PNG, size="sm",
                               color="secondary", outline=True, className="mt-2"),
                # on a phone the picture's button goes under the download, which keeps its
                # whole width ("CSV per Excel in italiano" was cut to "CSV per Ex")
                ], className="d-flex flex-wrap align-items-start column-gap-2 no-print"),
                dcc.Store(id=ids.MAP_PNG_DONE),
            ], lg=8),
            dbc.Col(html.Div(id=ids.MAP_PANEL, children=html.P(t("map.panel.hint", lang))),
                    lg=4),
        ]),
        dcc.Store(id=ids.MAP_SELECTED),
        dcc.Store(id=ids.MAP_TABLES),
        dcc.Store(id=ids.MAP_WINDOW),
        dcc.Store(id=ids.MAP_PANEL_KEY),
        dcc.Store(id=ids.MAP_ELEMENTS),
        dcc.Store(id=ids.MAP_TAPPED),
        dcc.Store(id=ids.MAP_LABELLED),
    ])


# The time slider draws in the browser: for the chosen filters the server sends, once, the
# parts every window of whole months is summed from (map_tables); a step of the slider (or of
# the play button) sums them for its window and patches the drawn map without asking the
# server (assets/map.js, generaMap.window). Colouring by community (computed per window) and
# the region's aggregated map ask the server for each window (redraw -> map-elements).
dash.clientside_callback(
    ClientsideFunction("generaMap", "window"),
    Output(ids.MAP_STATS, "children"),
    Output(ids.MAP_RANGE_LABEL, "children"),
    Output(ids.MAP_WINDOW, "data"),
    Input(ids.MAP_RANGE, "value"),
    Input(ids.MAP_TABLES, "data"),
    State(ids.MAP_GRAPH, "id"),
)
# the server's elements of a window (map-elements) or the selection: drawn by assets/map.js
# (the selected actor, its partners and ties highlighted, the names placed again)
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


# the side panel asks the server when an actor is picked, or when the period moves while one
# is picked (not on every step of the slider with nobody picked)
dash.clientside_callback(
    """function(selected, value) {
        const trig = (window.dash_clientside.callback_context || {}).triggered || [];
        const bySelection = trig.some(t => String(t.prop_id).startsWith("map-selected."));
        // nobody picked: only a cleared selection changes the panel (back to the hint)
        if (!selected && !bySelection) { return window.dash_clientside.no_update; }
        return [selected || null, value || null];
    }""",
    Output(ids.MAP_PANEL_KEY, "data"),
    Input(ids.MAP_SELECTED, "data"),
    Input(ids.MAP_RANGE, "value"),
)


def _filters(access, value, programmes, cps, kinds, natures):
    start, end = period(access, value)
    all_natures = {n.value for n in TieNature}
    nat = tuple(sorted(natures)) if natures is not None and set(natures) != all_natures else ()
    if natures is not None and not natures:
        nat = ("-",)  # nothing ticked: nothing shown
    return (start, end, tuple(sorted(programmes or ())), tuple(sorted(cps or ())), nat,
            tuple(sorted(kinds or ())))


def _server_drawn(access, colour) -> bool:
    """Whether each window is drawn by the server: colouring by community (Leiden per
    window) and the region (aggregated map, layouts of the shown units)."""
    return colour == "community" or access.region_scale()


def _reference(access, key, size) -> tuple[float | None, list[str]]:
    """The scale of the sizes (the largest degree or strength of the whole programme, for
    the filters) and the Community Points coloured (the viewer's): both the same in every
    window, so that an actor keeps its size and colour meaning while the period moves."""
    months = access.months()
    metric = size if size in ("degree", "strength") else "degree"
    # the sizes only, not the whole programme's map: its layout is not drawn
    top = access.largest(metric, months[0], months[-1], *key[2:])
    return top, sorted(cp for cp, _ in access.community_points())


@dash.callback(
    Output(ids.MAP_TABLES, "data"),
    Output(ids.MAP_LEGEND, "children"),
    Input(ids.MAP_PROGRAMME, "value"),
    Input(ids.MAP_CP, "value"),
    Input(ids.MAP_KIND, "value"),
    Input(ids.MAP_NATURE, "value"),
    Input(ids.MAP_COLOUR, "value"),
    Input(ids.MAP_SIZE, "value"),
    State(ids.LANG, "data"),
)
@per_scope  # the same controls in one scope: one answer (dash_app.data.memo)
def tables(programmes, cps, kinds, natures, colour, size, lang):
    """What the browser draws every window of the filters from (:func:`map_tables`), and the
    legend; ``{"mode": "server", ...}`` where the server draws each window (:func:`redraw`)."""
    lang = lang or "it"
    access = current()
    if _server_drawn(access, colour):
        # the filters in the answer: a new choice is a new value, which triggers the window
        return {"mode": "server", "filters": [programmes, cps, kinds, natures, colour, size]}, \
            dash.no_update
    data = map_tables(access, programmes, cps, kinds, natures, colour or "kind",
                      size or "degree", lang)
    key = _filters(access, None, programmes, cps, kinds, natures)
    nodes, _ = access.nodes(access.months()[0], access.months()[-1], *key[2:])
    _, points = _reference(access, key, size)
    return data, legend(map_legend(lang, nodes, colour or "kind", points,
                                             access.point_names()))


def map_tables(access, programmes, cps, kinds, natures, colour: str, size: str,
               lang: str) -> dict:
    """The parts of every window of the map for the filters, as the browser sums them
    (``assets/map.js``, ``generaMap.window``; :func:`genera_graph.temporal.parts.window_parts`).

    Only what the viewer's scope holds is in it (the access object's own temporal graph):
    the units (actors and households) with a tie or a participation under the filters, their
    names, kinds, colours and fixed positions; the tie parts by month as indices into the
    units; the texts of the summary line in ``lang`` (counts written by the browser with the
    language's thousands separator). Columns are lists (one per field), to keep it small.
    """
    key = _filters(access, None, programmes, cps, kinds, natures)
    months = access.months()
    n_bins = len(months) - 1
    tg = access.temporal()
    log = tg.log
    if key[4] == ("-",):  # no nature ticked: nothing in any window
        parts = None
    else:
        parts = window_parts(tg, months, programme=list(key[2]) or None,
                             community_point=list(key[3]) or None,
                             nature=list(key[4]) or None, actor_kind=list(key[5]) or None,
                             level="household", include_coparticipation=True)
    if parts is not None:
        direct = parts["direct"]
        direct = direct[(direct["bin"] >= 0) & (direct["bin"] < n_bins)]
        rel = parts["relations"]
        rel = rel[(rel["first"] < n_bins) & (rel["last"] >= 0)]
        part = parts["participations"]
        part = part[(part["bin"] >= 0) & (part["bin"] < n_bins)]
        used = np.unique(np.concatenate([direct["u"], direct["v"], rel["u"], rel["v"],
                                         part["unit"]]).astype(np.int64))
    else:
        direct = rel = part = None
        used = np.empty(0, np.int64)
    # units in the log's order (so that pairs sort as the window view sorts them); ``order``
    # is the actors table's order (the order of the map's nodes)
    unit_ids = np.asarray(log.actor_ids, dtype=object)[used]
    actors = access.actors
    order = actors.index.get_indexer(unit_ids)
    keep = order >= 0
    used, unit_ids, order = used[keep], unit_ids[keep], order[keep]
    local = np.full(int(log.n_actors), -1, dtype=np.int64)
    local[used] = np.arange(len(used))
    rows = actors.iloc[order]
    pos = access.positions()  # never at region scale (_server_drawn)
    x = pos["x"].reindex(unit_ids).fillna(0.0).to_numpy()
    y = pos["y"].reindex(unit_ids).fillna(0.0).to_numpy()
    top, points = _reference(access, key, size)
    cp_colours = point_colours(points)
    if colour == "cp":
        colours = [cp_colours.get(c, "#bbbbbb") if isinstance(c, str) else "#bbbbbb"
                   for c in rows["community_point_id"]]
    else:
        colours = [KIND_COLOURS.get(k, "#999999") for k in rows["kind"]]

    def idx(values) -> list[int]:
        return local[np.asarray(values, dtype=np.int64)].tolist()

    def ints(values) -> list[int]:
        return np.asarray(values, dtype=np.int64).tolist()

    def floats(values) -> list[float]:
        return np.asarray(values, dtype=float).tolist()

    empty: dict[str, list] = {}
    stats = TRANSLATIONS["map.stats"]
    return {
        "mode": "client",
        "units": {"id": [str(i) for i in unit_ids], "label": [str(n) for n in rows["name"]],
                  "kind": [str(k) for k in rows["kind"]], "colour": colours,
                  "x": np.round(x * 1600.0, 1).tolist(), "y": np.round(y * 1600.0, 1).tolist(),
                  "order": ints(order)},
        "direct": empty if direct is None else {
            "u": idx(direct["u"]), "v": idx(direct["v"]), "b": ints(direct["bin"]),
            "n": ints(direct["nature"]), "w": floats(direct["weight"])},
        "relations": empty if rel is None else {
            "u": idx(rel["u"]), "v": idx(rel["v"]), "f": ints(rel["first"]),
            "l": ints(rel["last"]), "n": ints(rel["nature"]), "w": floats(rel["weight"])},
        "parts": empty if part is None else {
            "u": idx(part["unit"]), "a": ints(part["activity"]), "b": ints(part["bin"]),
            "n": ints(part["nature"])},
        "nature": None if parts is None or parts["nature"] is None else list(parts["nature"]),
        "size": size, "top": top, "step": SIZE_STEP, "cap": MAX_DRAWN_TIES, "bins": n_bins,
        "text": {
            "stats": t("map.stats", lang), "group": format_integer(1000, lang)[1:-3],
            "nodes": [stats.parts["nodes"].text(1, lang), stats.parts["nodes"].text(2, lang)],
            "edges": [stats.parts["edges"].text(1, lang), stats.parts["edges"].text(2, lang)],
            "capped": t("map.capped", lang, n=MAX_DRAWN_TIES),
            "period": t("common.from_to", lang, start="{start}", end="{end}"),
            "starts": [fmt_date(m) for m in months],
            "ends": [fmt_date(pd.Timestamp(m) - pd.Timedelta(days=1)) for m in months],
        },
    }


@dash.callback(
    Output(ids.MAP_ELEMENTS, "data"),
    Output(ids.MAP_STATS, "children", allow_duplicate=True),
    Output(ids.MAP_RANGE_LABEL, "children", allow_duplicate=True),
    Output(ids.MAP_LEGEND, "children", allow_duplicate=True),
    Input(ids.MAP_WINDOW, "data"),
    State(ids.MAP_PROGRAMME, "value"),
    State(ids.MAP_CP, "value"),
    State(ids.MAP_KIND, "value"),
    State(ids.MAP_NATURE, "value"),
    State(ids.MAP_COLOUR, "value"),
    State(ids.MAP_SIZE, "value"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def redraw(window, programmes, cps, kinds, natures, colour, size, lang):
    """A window drawn by the server (:func:`update_map`), where the browser cannot sum it."""
    if not window:
        raise dash.exceptions.PreventUpdate
    return update_map(window.get("value"), programmes, cps, kinds, natures, colour, size, lang)


@per_scope  # the same controls in one scope: one answer (dash_app.data.memo)
def update_map(value, programmes, cps, kinds, natures, colour, size, lang):
    """The map's elements for the period and filters, its summary line, period label and
    legend (what the colours mean): what the browser's own sum of :func:`map_tables` draws,
    computed here (for :func:`redraw`, the downloads' check and the tests)."""
    lang = lang or "it"
    access = current()
    key = _filters(access, value, programmes, cps, kinds, natures)
    if access.region_scale() and access.map_is_aggregated(*key):
        # too many units to draw: districts (or points) as super-nodes; a point filter drills
        # down (dash_app.data.aggregate)
        nodes, edges = access.aggregated_map(*key)
        elements = map_elements(nodes, edges, "kind", "degree")
        text = _period_text(key[0], key[1], lang)
        stats = t("map.aggregated", lang, groups=len(nodes), units=int(nodes["units"].sum()),
                  period=text)
        return elements, stats, text, legend(map_legend(lang, nodes, "kind"))
    nodes, edges = access.nodes(*key)
    if colour == "community":
        nodes = nodes.assign(community=access.community_of(key[0], key[1], nodes.index))
    shown = edges.nlargest(MAX_DRAWN_TIES, "weight") if len(edges) > MAX_DRAWN_TIES else edges
    top, points = _reference(access, key, size)
    elements = map_elements(nodes, shown, colour or "kind", size or "degree", top=top,
                                  points=points)
    text = _period_text(key[0], key[1], lang)
    stats = t("map.stats", lang, nodes=len(nodes), edges=len(edges), period=text)
    if len(shown) < len(edges):
        stats += " · " + t("map.capped", lang, n=len(shown))
    return elements, stats, text, legend(map_legend(lang, nodes, colour or "kind", points,
                                             access.point_names()))


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


# the selected actor: the last one tapped on the map or picked in the search box (in the
# browser: the panel then asks the server once, not twice)
dash.clientside_callback(
    ClientsideFunction("generaMap", "select"),
    Output(ids.MAP_SELECTED, "data"),
    Input(ids.MAP_TAPPED, "data"),
    Input(ids.MAP_SEARCH, "value"),
    prevent_initial_call=True,
)


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


def _trigger() -> str | None:
    """The id of the input that fired the running callback (none when called directly)."""
    try:
        return ctx.triggered_id
    except dash.exceptions.MissingCallbackContextException:
        return None


@dash.callback(
    Output(ids.MAP_PANEL, "children"),
    Input(ids.MAP_PANEL_KEY, "data"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def panel_of(key, lang):
    """The side panel for ``[selected, period]`` (set in the browser when an actor is picked,
    or the period moves while one is picked): :func:`panel`."""
    selected, value = key if key else (None, None)
    return panel(selected, value, lang)


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
