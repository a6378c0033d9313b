"""Overview: key figures and growth of the network, by programme and Community Point."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dash_app import ids
from dash_app.components import download_button, dropdown, grid, grid_payload, options, section
from dash_app.data import DataAccess, Unavailable, current
from dash_app.downloads import csv_download
from dash_app.figures import growth_figure, peer_share_figure
from dash_app.i18n import fmt_date, programme_label, request_lang, t
from genera_graph.model import Programme

__all__ = ["download", "kpi_cards", "layout", "overview_frame", "update"]

dash.register_page(__name__, path="/", name="nav.overview", title="genera_azioni", order=0)


def layout(**_: object) -> html.Div:
    lang = request_lang()
    access = current()
    return html.Div([
        html.H3(t("ov.title", lang)),
        dbc.Row([
            dbc.Col([dbc.Label(t("common.cp", lang)),
                     dropdown(ids.OV_CP, lang, clearable=False, value="",
                                  options=options(access.community_points(), lang, True))],
                    md=4),
            dbc.Col([dbc.Label(t("common.programme", lang)),
                     dropdown(ids.OV_PROGRAMME, lang, clearable=False, value="",
                                  options=options(((p.value, programme_label(p, lang))
                                                   for p in Programme), lang, True))], md=4),
        ], className="mb-3"),
        dbc.Row(id=ids.OV_KPIS, className="mb-3 g-3"),
        dbc.Row([dbc.Col(dcc.Graph(id=ids.OV_GROWTH, config={"displaylogo": False}), lg=6),
                 dbc.Col(dcc.Graph(id=ids.OV_PEER, config={"displaylogo": False}), lg=6)]),
        section(t("ov.table", lang), grid(ids.OV_GRID, lang, height=360),
                download_button(ids.OV_DOWNLOAD_BTN, ids.OV_DOWNLOAD, lang)),
    ])


def overview_frame(access: DataAccess, cp: str | None, programme: str | None) -> pd.DataFrame:
    """The monthly series the page shows."""
    return access.growth((cp,) if cp else (), (programme,) if programme else ())


def kpi_cards(access: DataAccess, frame: pd.DataFrame, cp: str | None, lang: str) -> list:
    """The four key figures as cards (reach, active ties, peer share, households at risk)."""
    if len(frame):
        last = frame.iloc[-1]
        at = fmt_date(last["month"] - pd.Timedelta(days=1))
        share = "–" if pd.isna(last["peer_share"]) else f"{last['peer_share'] * 100:.0f}%"
        values = [str(int(last["reach"])), str(int(last["active_ties"])), share]
    else:
        at, values = "", ["0", "0", "–"]
    try:
        worklist = access.isolation()
        if cp and "community_point_id" in worklist:
            worklist = worklist[worklist["community_point_id"] == cp]
        isolated = str(len(worklist))
        note = t("ov.kpi.at", lang, date=fmt_date(access.as_of_dates()[-1]))
    except Unavailable as exc:
        isolated, note = "–", t("common.unavailable", lang, what=exc.what)
    labels = [t("ov.kpi.reach", lang), t("ov.kpi.active", lang, days=access.config.horizon_days),
              t("ov.kpi.peer", lang), t("ov.kpi.isolated", lang)]
    notes = [t("ov.kpi.at", lang, date=at)] * 3 + [note]
    return [dbc.Col(dbc.Card(dbc.CardBody([
        html.Div(label, className="text-muted small"),
        html.Div(value, className="fs-2 fw-bold"),
        html.Div(small, className="text-muted small"),
    ])), md=3) for label, value, small in zip(labels, values + [isolated], notes, strict=True)]


@dash.callback(
    Output(ids.OV_KPIS, "children"),
    Output(ids.OV_GROWTH, "figure"),
    Output(ids.OV_PEER, "figure"),
    Output(ids.OV_GRID, "columnDefs"),
    Output(ids.OV_GRID, "rowData"),
    Input(ids.OV_CP, "value"),
    Input(ids.OV_PROGRAMME, "value"),
    State(ids.LANG, "data"),
)
def update(cp: str | None, programme: str | None, lang: str | None):
    """Key figures, growth charts and the monthly table for a point and a programme."""
    lang = lang or "it"
    access = current()
    frame = overview_frame(access, cp, programme)
    cols, rows = grid_payload(frame, lang)
    return (kpi_cards(access, frame, cp, lang), growth_figure(frame, lang),
            peer_share_figure(frame, lang), cols, rows)


@dash.callback(
    Output(ids.OV_DOWNLOAD, "data"),
    Input(ids.OV_DOWNLOAD_BTN, "n_clicks"),
    State(ids.OV_CP, "value"),
    State(ids.OV_PROGRAMME, "value"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def download(_: int, cp: str | None, programme: str | None, lang: str | None):
    """The monthly table as CSV."""
    return csv_download(overview_frame(current(), cp, programme), "panoramica.csv", lang or "it")
