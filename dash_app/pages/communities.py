"""Communities: the communities of a period (Leiden) and their history across windows."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dash_app import ids, state
from dash_app.components import (
    download_button,
    grid,
    grid_payload,
    info,
    parse_period,
    period_dropdown,
    point_names,
    section,
    share_period,
)
from dash_app.data import DataAccess, current
from dash_app.downloads import table_download
from dash_app.figures import community_events_figure
from dash_app.i18n import fmt_number, kind_label, page_title, request_lang, t

__all__ = ["communities_frame", "download", "layout", "update"]

dash.register_page(__name__, path="/communities", name="nav.communities",
                   title=page_title("nav.communities"), order=4)


def layout(**query: object) -> html.Div:
    lang = request_lang()
    access = current()
    return html.Div([
        html.H3(t("com.title", lang)),
        dbc.Row(dbc.Col([dbc.Label(t("common.window", lang)),
                         period_dropdown(ids.COM_RANGE, access, lang,
                                         value=state.period_value(access, query))], md=8), className="mb-2"),
        html.Div(id=ids.COM_STATUS),
        html.Div(id=ids.COM_SUMMARY, className="fw-bold"),
        dbc.Row([
            dbc.Col(section("", grid(ids.COM_GRID, lang, height=420),
                            download_button(ids.COM_DOWNLOAD_BTN, ids.COM_DOWNLOAD, lang)), lg=6),
            dbc.Col(dcc.Graph(id=ids.COM_HISTORY, config={"displaylogo": False}), lg=6),
        ]),
    ])


def communities_frame(access: DataAccess, value, lang: str) -> tuple[pd.DataFrame, dict]:
    """One row per community of the period: size, main kind, main point, example members."""
    start, end = parse_period(access, value)
    result = access.communities(start, end)
    membership = result["membership"]
    a = access.actors.reindex(membership.index)
    rows = []
    for community, members in membership.groupby(membership):
        sub = a.loc[members.index]
        kinds = sub["kind"].value_counts()
        cps = sub["community_point_id"].dropna().value_counts()
        # numbered from 1, as the map's legend numbers them ("comunità 1")
        rows.append({"community": int(community) + 1, "size": len(members),
                     "main_kind": kind_label(kinds.index[0], lang) if len(kinds) else "",
                     "main_cp": point_names(access, [cps.index[0]]) if len(cps) else "",
                     "examples": ", ".join(sorted(str(n) for n in sub["name"].dropna())[:4])})
    frame = pd.DataFrame(rows, columns=["community", "size", "main_kind", "main_cp",
                                        "examples"])
    return frame.sort_values("size", ascending=False), result


share_period(ids.COM_RANGE)


@dash.callback(
    Output(ids.COM_GRID, "columnDefs"),
    Output(ids.COM_GRID, "rowData"),
    Output(ids.COM_SUMMARY, "children"),
    Output(ids.COM_HISTORY, "figure"),
    Output(ids.COM_STATUS, "children"),
    Input(ids.COM_RANGE, "value"),
    State(ids.LANG, "data"),
)
def update(value, lang):
    """The communities of the period and the history of communities over the programme."""
    lang = lang or "it"
    access = current()
    frame, result = communities_frame(access, value, lang)
    history = access.community_history()
    cols, rows = grid_payload(frame, lang)
    summary = [t("com.summary", lang, n=len(frame), q=fmt_number(result["modularity"], lang, 3)),
               info("com.modularity", lang)]
    return cols, rows, summary, community_events_figure(history, lang), ""


download = table_download(ids.COM_DOWNLOAD, ids.COM_DOWNLOAD_BTN, [(ids.COM_RANGE, "value")],
                          lambda access, value, lang: communities_frame(access, value, lang)[0],
                          "comunita.csv")
