"""Introductions and how they turned out (``/introductions``): for each introduction marked
done, whether a tie between peers followed within 90 days; the conversion rate by Community
Point, facilitator or the suggestion's main reason, by quarter or year.

Read from the store (:func:`genera_graph.io.introductions.stored_introductions`), followed on
the whole district's ties (:func:`genera_graph.analytics.introductions.introduction_outcomes`,
as isolation is judged) and counted by
:func:`~genera_graph.analytics.introductions.conversion_rates`. A coordinator sees every
point; a facilitator only the introductions of their point's families; other roles nothing.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, State, dcc, html

from dash_app import ids
from dash_app.components import grid, grid_payload, message
from dash_app.data import current
from dash_app.i18n import fmt_date, page_title, request_lang, t
from dash_app.introductions import introductions_table
from dash_app.workbench import store_of
from genera_graph.l10n import format_integer, format_percent

__all__ = ["conversion_figure", "conversion_frame", "layout", "outcomes", "update"]

dash.register_page(__name__, path="/introductions", name="nav.introductions",
                   title=page_title("nav.introductions"), order=6)

_GROUPS = ("community_point_id", "facilitator_id", "reason")
_PERIODS = ("quarter", "year")
_ROLES = ("coordinator", "facilitator")
_COUNTS = ("proposed", "declined", "done", "converted", "pending", "followed")


def layout(**_: object) -> html.Div:
    lang = request_lang()
    access = current()
    head = [html.H3(t("intro.page.title", lang)),
            html.P(t("intro.page.intro", lang), className="text-muted")]
    if access.viewer.role not in _ROLES:
        return html.Div([*head, message(t("intro.page.not_allowed", lang), "warning")])
    if access.viewer.role == "facilitator":
        head.append(html.P(t("intro.page.scope", lang), className="small text-muted"))
    return html.Div([
        *head,
        dbc.Row([
            dbc.Col([dbc.Label(t("intro.page.by", lang)),
                     dcc.RadioItems(id=ids.INTRO_BY, value="community_point_id",
                                    options=[{"label": t(f"intro.page.by.{g}", lang),
                                              "value": g} for g in _GROUPS],
                                    inputClassName="me-1", labelClassName="me-3")], md=7),
            dbc.Col([dbc.Label(t("intro.page.period", lang)),
                     dcc.RadioItems(id=ids.INTRO_PERIOD, value="quarter",
                                    options=[{"label": t(f"intro.page.{p}", lang), "value": p}
                                             for p in _PERIODS],
                                    inputClassName="me-1", labelClassName="me-3")], md=5),
        ], className="mb-2 g-2"),
        html.Div(id=ids.INTRO_SUMMARY),
        dcc.Graph(id=ids.INTRO_CHART, config={"displaylogo": False}),
        grid(ids.INTRO_GRID, lang, height=420),
    ])


def outcomes(access: Any) -> pd.DataFrame:
    """The viewer's marked introductions with their outcome (``introduction_outcomes`` on
    the whole district's ties; pending until 90 days of data follow the day done)."""
    from genera_graph.analytics.introductions import introduction_outcomes

    table = introductions_table(access)
    if not len(table):
        return table.assign(outcome=pd.Series([], dtype=object))
    return introduction_outcomes(access.district_temporal(), table, config=access.config)


def _label(access: Any, by: str, lang: str):
    names = access.point_names() if by == "community_point_id" else \
        dict(access.facilitators()) if by == "facilitator_id" else {}

    def label(code: Any) -> str:
        if not isinstance(code, str) or not code:
            return t("intro.group.none", lang)
        if by == "reason":
            key = f"intro.kind.{code}"
            from dash_app.i18n import TRANSLATIONS

            return t(key, lang) if key in TRANSLATIONS else t("intro.group.none", lang)
        return names.get(code, code)

    return label


def conversion_frame(access: Any, by: str, period: str, lang: str) -> pd.DataFrame:
    """The rows of the page's grid: one per group and period, counts and conversion rate."""
    from genera_graph.analytics.introductions import conversion_rates

    o = outcomes(access)
    columns = ["group", "period", *[f"intro_{c}" for c in _COUNTS], "intro_rate"]
    if not len(o):
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    rates = conversion_rates(o, by=by, period=period)
    label = _label(access, by, lang)
    out = pd.DataFrame({"group": [label(v) for v in rates[by]],
                        "period": pd.to_datetime(rates["period_start"])})
    for c in _COUNTS:
        out[f"intro_{c}"] = rates[c].astype("int64").to_numpy()
    out["intro_rate"] = rates["conversion_rate"].to_numpy(dtype=float)
    return out


def _grid_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The grid's copy: the rate as a percentage ("67%"; "–" where none was followed)."""
    shown = frame.copy()
    shown["intro_rate"] = [format_percent(r, lang) if pd.notna(r) else "–"
                           for r in frame["intro_rate"]]
    return shown


def conversion_figure(frame: pd.DataFrame, lang: str) -> go.Figure:
    """The conversion rate over time, one bar per group and period (a period with none
    followed for 90 days has no bar: no rate, not zero; bars, not lines, so that no rate is
    drawn between two periods)."""
    fig = go.Figure(layout={"template": "plotly_white", "height": 320, "barmode": "group",
                            "title": t("intro.page.chart", lang),
                            "yaxis": {"tickformat": ".0%", "range": [0, 1.05]},
                            "margin": {"l": 50, "r": 20, "t": 50, "b": 40}})
    shown = frame.dropna(subset=["intro_rate"])
    for group, part in shown.groupby("group", sort=True):
        counts = [f"{fmt_date(d)}: {format_integer(c, lang)} / {format_integer(f, lang)}"
                  for d, c, f in zip(part["period"], part["intro_converted"],
                                     part["intro_followed"], strict=True)]
        fig.add_trace(go.Bar(x=part["period"], y=part["intro_rate"], name=str(group),
                             customdata=counts,
                             hovertemplate="%{customdata} (%{y:.0%})"
                                           "<extra>%{fullData.name}</extra>"))
    fig.update_xaxes(tickformat="%d/%m/%Y")
    return fig


@dash.callback(
    Output(ids.INTRO_SUMMARY, "children"),
    Output(ids.INTRO_CHART, "figure"),
    Output(ids.INTRO_GRID, "columnDefs"),
    Output(ids.INTRO_GRID, "rowData"),
    Output(ids.INTRO_CHART, "style"),
    Output(ids.INTRO_GRID, "style"),
    Input(ids.INTRO_BY, "value"),
    Input(ids.INTRO_PERIOD, "value"),
    State(ids.LANG, "data"),
)
def update(by, period, lang):
    """The summary (or why there is nothing), the chart and the grid of the chosen grouping;
    a chart or a grid with nothing to show is not drawn (an empty one drew bare axes and
    "No Rows To Show" under the summary that says why)."""
    shown, hidden = {}, {"display": "none"}
    grid_shown = {"height": "420px", "width": "100%"}
    summary, figure, cols, rows = _update(by, period, lang)
    return (summary, figure, cols, rows, shown if figure.data else hidden,
            grid_shown if rows else hidden)


def _update(by, period, lang):
    lang = lang or "it"
    access = current()
    by = by if by in _GROUPS else "community_point_id"
    period = period if period in _PERIODS else "quarter"
    empty = go.Figure(layout={"template": "plotly_white", "height": 80})
    if access.viewer.role not in _ROLES:
        return message(t("intro.page.not_allowed", lang), "warning"), empty, [], []
    if store_of(access) is None:
        return message(t("intro.page.readonly", lang), "secondary"), empty, [], []
    frame = conversion_frame(access, by, period, lang)
    if not len(frame):
        return message(t("intro.page.empty", lang), "secondary"), empty, [], []
    done, followed = int(frame["intro_done"].sum()), int(frame["intro_followed"].sum())
    converted = int(frame["intro_converted"].sum())
    if followed:
        summary = html.P(t("intro.page.total", lang, done=format_integer(done, lang),
                           followed=format_integer(followed, lang),
                           converted=format_integer(converted, lang),
                           rate=format_percent(converted / followed, lang)))
    else:
        summary = message(t("intro.page.no_followed", lang), "secondary")
    cols, rows = grid_payload(_grid_frame(frame, lang), lang)
    figure = conversion_figure(frame, lang) if followed else empty
    return summary, figure, cols, rows
