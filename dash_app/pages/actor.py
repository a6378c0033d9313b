"""Actor / household page (``/actor/<actor_id>``): personal network over time, ties by nature
over time, isolation warnings with their dates, and the recorded ties."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ClientsideFunction, Input, Output, State, dcc, html

from dash_app import ids, state
from dash_app import introductions as _marking  # noqa: F401 - registers the marking callback
from dash_app.components import (
    download_button,
    grid,
    grid_payload,
    info,
    message,
    month_range_slider,
    partner_list,
    period,
    point_names,
    section,
)
from dash_app.data import DataAccess, current
from dash_app.data.memo import per_scope, per_scope_page
from dash_app.downloads import table_download
from dash_app.figures import ego_figure, ties_by_nature_figure
from dash_app.i18n import (
    fmt_date,
    kind_label,
    nature_label,
    page_title,
    programme_label,
    request_lang,
    t,
)

__all__ = ["download", "introductions_block", "layout", "reasons_block", "timeline_frame",
           "update_ego"]

dash.register_page(__name__, path_template="/actor/<actor_id>", name="nav.actor",
                   title=page_title("nav.actor"), order=9)


@per_scope_page  # the same family, period and language in one scope: built once
def layout(actor_id: str | None = None, **query: object) -> html.Div:
    lang = request_lang()
    access = current()
    if not actor_id or actor_id not in access.actors.index:
        return html.Div([message(t("common.not_found", lang), "warning"),
                         dcc.Link(t("act.back", lang), href="/map")])
    row = access.actors.loc[actor_id]
    cp = point_names(access, [row["community_point_id"]]) or "–"
    return html.Div([
        dcc.Store(id=ids.ACT_ID, data=actor_id),
        dcc.Link(t("act.back", lang), href="/map" + state.query_string(
            *[access.months()[k] for k in state.window(access, query)]), className="small"),
        html.H3(str(row["name"]), className="text-break mt-1"),
        html.Div(t("act.details", lang, kind=kind_label(row["kind"], lang), cp=cp,
                   date=fmt_date(row["first_met"])), className="text-muted mb-2"),
        _record_links(actor_id, row["kind"], lang),
        dbc.Row([
            dbc.Col([
                section(t("act.ego", lang),
                        month_range_slider(ids.ACT_RANGE, access.months(),
                                           list(state.window(access, query))),
                        dcc.Graph(id=ids.ACT_EGO, config={"displaylogo": False}),
                        html.Div(id=ids.ACT_PARTNERS)),
            ], lg=6),
            dbc.Col([
                section(t("act.reasons", lang), html.Div(reasons_block(access, actor_id, lang),
                                                         id=ids.ACT_REASONS)),
                dcc.Graph(id=ids.ACT_NATURE, config={"displaylogo": False},
                          figure=ties_by_nature_figure(access.ties_by_nature(actor_id), lang)),
                *_introductions_section(access, actor_id, row["kind"], lang),
            ], lg=6),
        ]),
        section(t("act.timeline", lang), _timeline_grid(access, actor_id, lang),
                download_button(ids.ACT_DOWNLOAD_BTN, ids.ACT_DOWNLOAD, lang)),
    ])


dash.clientside_callback(
    ClientsideFunction("genera", "fromSlider"),
    Output(ids.SHARED, "data", allow_duplicate=True),
    Input(ids.ACT_RANGE, "value"),
    State(ids.MONTHS, "data"),
    State(ids.SHARED, "data"),
    prevent_initial_call="initial_duplicate",
)


def _record_links(actor_id: str, kind: str, lang: str) -> html.Div | None:
    """Links to record what was done for this family, or a contact of this person."""
    from dash_app.workbench import wt

    if kind not in ("household", "individual"):
        return None
    links = [dcc.Link(wt("rec.tab.contact", lang), href=f"/record?tab=contact&actor={actor_id}",
                      className="btn btn-sm btn-outline-primary me-2", id="act-record-contact")]
    if kind == "household":
        links.insert(0, dcc.Link(wt("fu.record", lang),
                                 href=f"/record?tab=followup&actor={actor_id}",
                                 className="btn btn-sm btn-primary me-2",
                                 id="act-record-followup"))
    return html.Div(links, className="mb-2")


def _timeline_grid(access: DataAccess, actor_id: str, lang: str):
    g = grid(ids.ACT_TIMELINE, lang, height=360)
    g.columnDefs, g.rowData = grid_payload(timeline_frame(access, actor_id, lang), lang)
    return g


def reasons_block(access: DataAccess, actor_id: str, lang: str) -> list:
    """The household's isolation warnings over the programme, each with its dates.

    The status is judged at the end of each quarter; the latest judgement is listed first.
    """
    if access.actors.at[actor_id, "kind"] != "household":
        return [html.P(t("act.reasons.none", lang), className="text-muted")]
    items = []
    for day in reversed(access.as_of_dates()[2::3]):
        report = access.isolation_report(day)
        if actor_id not in report.index:
            continue
        status = report.at[actor_id, "status"]
        if status not in ("isolated", "at_risk"):
            continue
        reasons = access.isolation_reasons(day)
        mine = reasons[reasons["actor_id"] == actor_id]
        words = [[t("iso.reason_dates", lang, reason=t(f"reason.{r.reason}", lang),
                    start=fmt_date(r.date_from), end=fmt_date(r.date_to)),
                  info(f"reason.{r.reason}", lang)]
                 for r in mine.itertuples(index=False)]
        items.append(html.Li([html.B(f"{fmt_date(day)} · {t(f'status.{status}', lang)}"),
                              info(f"status.{status}", lang),
                              html.Ul([html.Li(w) for w in words])]))
    if not items:
        return [html.P(t("act.reasons.none", lang), className="text-muted")]
    return [html.Ul(items[:6], className="small")]


def _introductions_section(access: DataAccess, actor_id: str, kind: str, lang: str) -> list:
    if kind != "household":
        return []
    return [section(t("act.intro", lang), html.Div(introductions_block(access, actor_id, lang),
                                                   id=ids.ACT_INTRODUCTIONS))]


def introductions_block(access: DataAccess, actor_id: str, lang: str) -> list:
    """The top peers to introduce the family to, each with its reasons in words and dates,
    and the form to mark one proposed, declined or done (:mod:`dash_app.introductions`).

    In the viewer's scope (:meth:`DataAccess.suggested_introductions`): a partner in common
    the viewer may not see is counted, never named. Nothing is marked by itself.
    """
    from dash_app.introductions import panel

    return panel(access, actor_id, lang)


def timeline_frame(access: DataAccess, actor_id: str, lang: str) -> pd.DataFrame:
    """The actor's recorded ties, newest first, in words."""
    tl = access.actor_timeline(actor_id)
    return pd.DataFrame({
        "start": tl["start"], "end": tl["end"], "partner": tl["partner"],
        "nature": [nature_label(n, lang) for n in tl["nature"]],
        "programme": [programme_label(p, lang) for p in tl["programme"]],
    })


@dash.callback(
    Output(ids.ACT_EGO, "figure"),
    Input(ids.ACT_RANGE, "value"),
    State(ids.ACT_ID, "data"),
    State(ids.LANG, "data"),
)
@per_scope  # the same controls in one scope: one answer (dash_app.data.memo)
def update_ego(value, actor_id, lang):
    """The personal network in the chosen period."""
    lang = lang or "it"
    access = current()
    start, end = period(access, value)
    nodes, edges = access.ego(actor_id, start, end)
    fig = ego_figure(nodes, edges, lang, height=420)
    fig.update_layout(title=t("common.from_to", lang, start=fmt_date(start),
                              end=fmt_date(pd.Timestamp(end) - pd.Timedelta(days=1))))
    return fig


@dash.callback(
    Output(ids.ACT_PARTNERS, "children"),
    Input(ids.ACT_RANGE, "value"),
    State(ids.ACT_ID, "data"),
    State(ids.LANG, "data"),
)
@per_scope  # the same controls in one scope: one answer (dash_app.data.memo)
def update_partners(value, actor_id, lang):
    """Above about 30 partners, the sorted list of partners beside the compact drawing."""
    access = current()
    start, end = period(access, value)
    return partner_list(access, actor_id, start, end, lang or "it")


def _download_frame(access: DataAccess, actor_id: str, lang: str) -> pd.DataFrame | None:
    """The recorded ties of an actor the viewer may see (``None`` for any other id: a forged
    request for another point's family gets nothing, not even its id in a file name)."""
    if not isinstance(actor_id, str) or actor_id not in access.actors.index:
        return None
    return timeline_frame(access, actor_id, lang)


download = table_download(ids.ACT_DOWNLOAD, ids.ACT_DOWNLOAD_BTN, [(ids.ACT_ID, "data")],
                          _download_frame, lambda actor_id: f"scheda_{actor_id}.csv")
