"""Overview: key figures and growth of the network, for the district, a Community Point or a
programme (``genera_graph.analytics.growth``, monthly, household level)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dash_app import ids
from dash_app.components import (
    download_button,
    dropdown,
    info,
    plain_table,
    scope_note,
    section,
    viewer_points,
)
from dash_app.data import DataAccess, current
from dash_app.data.memo import per_scope
from dash_app.downloads import table_download
from dash_app.figures import growth_figure, peer_share_figure
from dash_app.i18n import fmt_date, page_title, programme_label, request_lang, t
from genera_graph.l10n import format_integer, format_percent
from genera_graph.model import Programme

__all__ = ["download", "group_options", "kpi_cards", "layout", "overview_frame", "update"]

dash.register_page(__name__, path="/", name="nav.overview", title=page_title("nav.overview"), order=0)

_SHOWN = ["month", "reach", "active_ties", "new_ties", "lost_ties", "peer_share", "components",
          "giant_share"]


def group_options(access: DataAccess, lang: str) -> list[dict]:
    """The whole district, each Community Point, each programme."""
    points = viewer_points(access)
    # a facilitator's "all" is their own point: the label says so
    out = [{"label": t("ov.group.own", lang, points=points) if points
            else t("ov.group.all", lang), "value": "all"}]
    # a point's name usually says it is one ("Punto di Comunità Mazzano"): not twice
    out += [{"label": name if t("common.cp", lang).lower() in str(name).lower()
             else f"{t('common.cp', lang)}: {name}", "value": f"cp:{cp}"}
            for cp, name in access.community_points()]
    out += [{"label": f"{t('common.programme', lang)}: {programme_label(p, lang)}",
             "value": f"programme:{p.value}"} for p in Programme]
    return out


def layout(**_: object) -> html.Div:
    lang = request_lang()
    access = current()
    # the district's figures come with the page (the callback answers only a change of the
    # view): the first page waits for one answer less (benchmarks/bench_app.py, cold)
    kpis, growth, peer, table, status = update("all", lang)
    return html.Div([
        html.H3(t("ov.title.point", lang, points=viewer_points(access))
                if access.viewer.scoped else t("ov.title", lang)),
        scope_note(access, lang),
        dbc.Row(dbc.Col([dbc.Label(t("ov.group", lang)),
                         dropdown(ids.OV_GROUP, lang, clearable=False, value="all",
                                  options=group_options(access, lang))], md=5),
                className="mb-3"),
        html.Div(status, id=ids.OV_STATUS),
        dbc.Row(kpis, id=ids.OV_KPIS, className="mb-3 g-3"),
        dbc.Row([dbc.Col([dcc.Graph(id=ids.OV_GROWTH, figure=growth,
                                    config={"displaylogo": False}),
                          html.Div(t("ov.lost.note", lang, days=access.config.horizon_days),
                                   className="text-muted small")], lg=6),
                 dbc.Col(dcc.Graph(id=ids.OV_PEER, figure=peer, config={"displaylogo": False}),
                         lg=6)]),
        # a plain table: the first page loads and lays out no grid (components.plain_table)
        section(t("ov.table", lang), html.Div(table, id=ids.OV_GRID),
                download_button(ids.OV_DOWNLOAD_BTN, ids.OV_DOWNLOAD, lang)),
    ])


def overview_frame(access: DataAccess, group: str | None) -> pd.DataFrame:
    """The monthly series of a group (``all``, ``cp:<id>``, ``programme:<name>``)."""
    kind, _, value = (group or "all").partition(":")
    if kind == "cp":
        table = access.growth("community_point")
        table = table[table["community_point_id"] == value]
    elif kind == "programme":
        table = access.growth("programme")
        table = table[table["programme"] == value]
    else:
        table = access.growth()
    out = table.rename(columns={"window_start": "month", "reached": "reach"})
    out = out[_SHOWN].reset_index(drop=True)
    for column in ("lost_ties", "components"):
        out[column] = pd.to_numeric(out[column]).astype("Float64")
    for column in ("peer_share", "giant_share"):
        out[column] = pd.to_numeric(out[column]).astype(float)
    return out


def kpi_cards(access: DataAccess, frame: pd.DataFrame, group: str | None, lang: str) -> list:
    """The four key figures as cards (reach, active ties, peer share, households at risk)."""
    if len(frame):
        last = frame.iloc[-1]
        at = t("ov.kpi.month", lang, date=fmt_date(last["month"]))
        share = format_percent(last["peer_share"], lang)
        values = [format_integer(last["reach"], lang), format_integer(last["active_ties"], lang),
                  share]
    else:
        at, values = "", ["0", "0", "–"]
    kind, _, value = (group or "all").partition(":")
    flagged = access.isolation()
    if kind == "cp":
        flagged = flagged[flagged["community_point_id"] == value]
    isolated = format_integer(len(flagged), lang)
    note = t("ov.kpi.at", lang, date=fmt_date(access.as_of_dates()[-1]))
    if kind == "programme":
        note += " · " + t("ov.kpi.district", lang)
    labels = [[t(key, lang), info(note, lang)] for key, note in (
        ("ov.kpi.reach", "col.reach"), ("ov.kpi.active", "col.active_ties"),
        ("ov.kpi.peer", "col.peer_share"), ("ov.kpi.isolated", "status.at_risk"))]
    notes = [t("ov.kpi.at", lang, date=fmt_date(access.as_of_dates()[-1])), at, at, note]
    return [dbc.Col(dbc.Card(dbc.CardBody([
        html.Div(label, className="text-muted small"),
        html.Div(value, className="fs-2 fw-bold"),
        html.Div(small, className="text-muted small"),
    ])), md=3) for label, value, small in zip(labels, values + [isolated], notes, strict=True)]


@dash.callback(
    Output(ids.OV_KPIS, "children"),
    Output(ids.OV_GROWTH, "figure"),
    Output(ids.OV_PEER, "figure"),
    Output(ids.OV_GRID, "children"),
    Output(ids.OV_STATUS, "children"),
    Input(ids.OV_GROUP, "value"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,  # the layout has the district's answer
)
@per_scope  # the same controls in one scope: one answer (dash_app.data.memo)
def update(group: str | None, lang: str | None):
    """Key figures, growth charts and the monthly table of the district or a group."""
    lang = lang or "it"
    access = current()
    frame = overview_frame(access, group)
    return (kpi_cards(access, frame, group, lang), growth_figure(frame, lang),
            peer_share_figure(frame, lang),
            plain_table(frame, lang, label=t("ov.table", lang)), "")


download = table_download(ids.OV_DOWNLOAD, ids.OV_DOWNLOAD_BTN, [(ids.OV_GROUP, "value")],
                          lambda access, group, lang: overview_frame(access, group),
                          "panoramica.csv")
