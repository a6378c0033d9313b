"""Bridges: the bridging table of a period, brokerage roles by Community Point or programme,
and "what if this actor leaves" (fragmentation before and after)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dash_app import ids, state
from dash_app.components import (
    download_button,
    dropdown,
    grid,
    grid_payload,
    info,
    message,
    options,
    parse_period,
    period_dropdown,
    point_names,
    section,
    share_period,
)
from dash_app.data import DataAccess, current
from dash_app.downloads import table_download
from dash_app.figures import brokerage_figure, empty_figure
from dash_app.i18n import (
    fmt_date,
    fmt_number,
    kind_label,
    page_title,
    programme_label,
    request_lang,
    t,
)
from genera_graph.model import Programme

__all__ = ["bridging_frame", "cut_off_block", "download", "layout", "pick", "update", "what_if"]

dash.register_page(__name__, path="/bridges", name="nav.bridges",
                   title=page_title("nav.bridges"), order=3)

#: the brokerage roles, as the chart's legend names them
_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
_SHOWN = ["actor_id", "name", "kind", "community_point_id", "degree", "strength", "betweenness",
          "betweenness_norm", "constraint", "effective_size", "cut_vertex"]


def layout(**query: object) -> html.Div:
    lang = request_lang()
    access = current()
    # every actor can be picked (individuals too: they are most of the table's actors)
    candidates = access.actors.sort_values("name")
    labels = [f"{n} ({kind_label(k, lang)})" for n, k in zip(candidates["name"],
                                                            candidates["kind"], strict=True)]
    return html.Div([
        html.H3(t("br.title", lang)),
        dbc.Row([
            dbc.Col([dbc.Label(t("common.window", lang)),
                     period_dropdown(ids.BR_RANGE, access, lang,
                                         value=state.period_value(access, query))],
                    md=8),
            dbc.Col([dbc.Label(t("br.groups", lang)),
                     dcc.RadioItems(id=ids.BR_GROUPS, value="cp",
                                    options=options((g, t(f"br.groups.{g}", lang))
                                                    for g in ("cp", "programme")),
                                    inputClassName="me-1", labelClassName="me-3")], md=4),
        ], className="mb-2"),
        html.Div(id=ids.BR_STATUS),
        section(t("br.table", lang), grid(ids.BR_GRID, lang, height=420, row_id="actor_id"),
                download_button(ids.BR_DOWNLOAD_BTN, ids.BR_DOWNLOAD, lang)),
        dbc.Row([
            dbc.Col([dcc.Graph(id=ids.BR_BROKERAGE, config={"displaylogo": False}),
                     # what each role means, at hand (a chart's legend has no tooltip)
                     html.Div([html.Span([t(f"role.{r}", lang), info(f"role.{r}", lang)],
                                         className="me-3 text-nowrap")
                               for r in _ROLES], className="small text-muted roles-help")],
                    lg=7),
            dbc.Col(section(t("br.whatif", lang),
                            dropdown(ids.BR_ACTOR, lang, placeholder=t("br.whatif.pick", lang),
                                         options=options(zip(candidates.index, labels,
                                                             strict=True))),
                            html.Div(t("br.whatif.table", lang), className="small text-muted"),
                            html.Div(id=ids.BR_WHATIF, className="mt-3")), lg=5),
        ]),
    ])


def bridging_frame(access: DataAccess, value, lang: str) -> pd.DataFrame:
    """The bridging table the page shows (in words, isolated actors flagged, not zero)."""
    start, end = parse_period(access, value)
    table = access.bridging(start, end)
    if not len(table):
        return pd.DataFrame(columns=_SHOWN)
    return pd.DataFrame({
        "actor_id": table.index.to_numpy(), "name": table["name"].to_numpy(),
        "kind": [kind_label(k, lang) for k in table["kind"]],
        "community_point_id": [point_names(access, [p]) for p in table["community_point_id"]],
        "degree": table["degree"].to_numpy(), "strength": table["strength"].to_numpy(),
        "betweenness": table["betweenness"].astype(float).round(2).to_numpy(),
        "betweenness_norm": table["betweenness_normalized"].astype(float).round(4).to_numpy(),
        "constraint": table["constraint"].astype("Float64").round(3).astype(object)
        .where(~table["isolated"].to_numpy(), t("status.isolated", lang)).to_numpy(),
        "effective_size": table["effective_size"].astype("Float64").round(2).astype(object)
        .where(~table["isolated"].to_numpy(), t("status.isolated", lang)).to_numpy(),
        "cut_vertex": table["cut_vertex"].astype(bool).to_numpy(),
    })


share_period(ids.BR_RANGE)


@dash.callback(
    Output(ids.BR_GRID, "columnDefs"),
    Output(ids.BR_GRID, "rowData"),
    Output(ids.BR_BROKERAGE, "figure"),
    Output(ids.BR_STATUS, "children"),
    Input(ids.BR_RANGE, "value"),
    Input(ids.BR_GROUPS, "value"),
    State(ids.LANG, "data"),
)
def update(value, groups, lang):
    """Bridging table and brokerage roles of the period."""
    lang = lang or "it"
    access = current()
    frame = bridging_frame(access, value, lang)
    start, end = parse_period(access, value)
    roles = access.brokerage_roles(start, end, groups or "cp")
    cols, rows = grid_payload(frame, lang, link_column="actor_id")
    if len(roles):
        names = (access.point_names() if (groups or "cp") == "cp"
                 else {p.value: programme_label(p, lang) for p in Programme})
        roles = roles.assign(group=[names.get(g, g) for g in roles["group"]])
        figure = brokerage_figure(roles, lang)
    else:
        figure = empty_figure(t(f"br.brokerage.empty.{groups or 'cp'}", lang))
    note = html.Div(t("common.from_to", lang, start=fmt_date(start),
                      end=fmt_date(pd.Timestamp(end) - pd.Timedelta(days=1))),
                    className="text-muted")
    return cols, rows, figure, note


@dash.callback(
    Output(ids.BR_WHATIF, "children"),
    Input(ids.BR_ACTOR, "value"),
    Input(ids.BR_RANGE, "value"),
    State(ids.LANG, "data"),
)
def what_if(actor_id, value, lang):
    """Fragmentation and components before and after the actor leaves."""
    lang = lang or "it"
    if not actor_id:
        return ""
    access = current()
    start, end = parse_period(access, value)
    result = access.what_if(actor_id, start, end)
    if not result:
        return message(t("common.empty", lang))
    return html.Div([
        html.H6(access.name_of(actor_id), className="text-break"),
        dbc.Row([
            dbc.Col([html.Div([t("br.whatif.before", lang), info("col.fragmentation", lang)],
                              className="small text-muted"),
                     html.Div(fmt_number(result["before"], lang, 3), className="fs-3")]),
            dbc.Col([html.Div([t("br.whatif.after", lang), info("col.fragmentation", lang)],
                              className="small text-muted"),
                     html.Div(fmt_number(result["after"], lang, 3), className="fs-3 fw-bold")]),
        ]),
        html.Div([t("br.whatif.components", lang, before=result["components_before"],
                    after=result["components_after"]), info("col.components", lang)],
                 className="mt-2"),
        cut_off_block(access, result["cut_off"], lang),
    ])


def cut_off_block(access: DataAccess, cut: tuple[str, ...], lang: str) -> html.Div:
    """Who would be cut off from the main network, by name (families first), as plain text."""
    if not cut:
        return html.Div(t("br.whatif.nobody", lang), className="mt-2 fw-bold")
    kinds = access.actors["kind"].reindex(list(cut))
    ordered = sorted(cut, key=lambda i: (kinds.get(i) not in ("household", "individual"),
                                         access.name_of(i).lower()))
    shown = ordered[:25]
    items = [html.Li(f"{access.name_of(i)} ({kind_label(kinds.get(i), lang)})") for i in shown]
    more = [html.Div(t("br.whatif.more", lang, n=len(ordered) - len(shown)),
                     className="small text-muted")] if len(ordered) > len(shown) else []
    return html.Div([html.Div(t("br.whatif.cut", lang, n=len(ordered)),
                              className="mt-2 fw-bold"),
                     html.Ul(items, className="small mb-1"), *more])


@dash.callback(
    Output(ids.BR_ACTOR, "value"),
    Input(ids.BR_GRID, "cellClicked"),
    State(ids.BR_GRID, "rowData"),
    prevent_initial_call=True,
)
def pick(clicked, rows):
    """A click on a line of the bridging table picks that actor for "what if": the grid
    names the line by its actor (``getRowId``); ``rowIndex`` is its place on the screen,
    which sorting or filtering the table moves, so it is never used to look the actor up."""
    if not clicked or not rows:
        return dash.no_update
    row_id = clicked.get("rowId")
    if row_id in {r.get("actor_id") for r in rows}:
        return row_id
    return dash.no_update


def _download_frame(access: DataAccess, value, lang: str) -> pd.DataFrame:
    """The bridging table as the download writes it (numbers and words as shown)."""
    frame = bridging_frame(access, value, lang)
    return frame.assign(constraint=frame["constraint"].astype(str),
                        effective_size=frame["effective_size"].astype(str))


download = table_download(ids.BR_DOWNLOAD, ids.BR_DOWNLOAD_BTN, [(ids.BR_RANGE, "value")],
                          _download_frame, "ponti.csv")
