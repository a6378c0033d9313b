"""Isolation worklist: households to follow, with their reasons in plain words and dates."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dash_app import ids
from dash_app.components import download_button, dropdown, grid, grid_payload, options
from dash_app.data import DataAccess, current
from dash_app.downloads import table_download
from dash_app.i18n import fmt_date, request_lang, t

__all__ = ["download", "layout", "plain_reasons", "update", "worklist_frame"]

dash.register_page(__name__, path="/isolation", name="nav.isolation",
                   title="genera_azioni · isolamento", order=2)


def layout(**_: object) -> html.Div:
    lang = request_lang()
    access = current()
    dates = access.worklist_dates()
    return html.Div([
        html.H3(t("iso.title", lang)),
        html.P(t("iso.intro", lang), className="text-muted"),
        dbc.Row([
            dbc.Col([dbc.Label(t("iso.as_of", lang)),
                     dropdown(ids.ISO_AS_OF, lang, clearable=False, value=dates[-1].isoformat(),
                                  options=[{"label": fmt_date(d), "value": d.isoformat()}
                                           for d in reversed(dates)])], md=2),
            dbc.Col([dbc.Label(t("iso.mode", lang)),
                     dcc.RadioItems(id=ids.ISO_MODE, value="flagged",
                                    options=options((m, t(f"iso.mode.{m}", lang))
                                                    for m in ("flagged", "warning")),
                                    inputClassName="me-1", labelClassName="me-3")], md=4),
            dbc.Col([dbc.Label(t("common.cp", lang)),
                     dropdown(ids.ISO_CP, lang, multi=True, placeholder=t("common.all", lang),
                                  options=options(access.community_points()))], md=3),
            dbc.Col([dbc.Label(t("common.facilitator", lang)),
                     dropdown(ids.ISO_FACILITATOR, lang, multi=True,
                              placeholder=t("common.all", lang),
                                  options=options(access.facilitators()))], md=3),
        ], className="mb-2 g-2"),
        html.Div(id=ids.ISO_STATUS),
        grid(ids.ISO_GRID, lang, height=520),
        download_button(ids.ISO_DOWNLOAD_BTN, ids.ISO_DOWNLOAD, lang),
    ])


def plain_reasons(access: DataAccess, as_of, lang: str) -> pd.Series:
    """Household id -> its reasons in plain words with their dates, ``;``-separated."""
    reasons = access.isolation_reasons(as_of)
    if not len(reasons):
        return pd.Series(dtype=object)
    texts = []
    for row in reasons.itertuples(index=False):
        text = t("iso.reason_dates", lang, reason=t(f"reason.{row.reason}", lang),
                 start=fmt_date(row.date_from), end=fmt_date(row.date_to))
        if isinstance(getattr(row, "partner_id", None), str) and row.partner_id:
            text += " " + t("iso.bridge", lang, name=access.name_of(row.partner_id))
        elif row.reason == "single_bridge":  # the bridge belongs to a point the viewer can't see
            text += " " + t("iso.bridge.hidden", lang)
        texts.append(text)
    return pd.Series(texts, index=reasons["actor_id"].to_numpy()).groupby(level=0).agg("; ".join)


def worklist_frame(access: DataAccess, as_of: str | None, mode: str | None,
                   cps: list | None, facilitators: list | None, lang: str) -> pd.DataFrame:
    """The rows the worklist shows."""
    day = pd.Timestamp(as_of or access.worklist_dates()[-1]).date()
    cps_t, fac_t = tuple(sorted(cps or ())), tuple(sorted(facilitators or ()))
    if mode == "flagged":
        table = access.isolation_report(day)
        table = table[table["status"].isin(("isolated", "at_risk"))]
        if cps_t:
            table = table[table["community_point_id"].isin(cps_t)]
        if fac_t:
            table = table[table["facilitator_id"].isin(fac_t)]
        table = table.assign(urgency=range(1, len(table) + 1), previous_status="")
    else:
        table = access.early_warning(day, cps_t, fac_t)
    words = plain_reasons(access, day, lang)
    facil = dict(access.facilitators())
    out = pd.DataFrame({
        "actor_id": table.index.to_numpy(),
        "urgency": table["urgency"].to_numpy(),
        "name": table["name"].to_numpy(),
        "status": [t(f"status.{s}", lang) for s in table["status"]],
        "previous_status": [t(f"status.{s}", lang) if s else "" for s in
                            table["previous_status"]],
        "reasons": words.reindex(table.index).fillna("").to_numpy(),
        "community_point_id": table["community_point_id"].to_numpy(),
        "facilitator": [facil.get(f, f) if isinstance(f, str) else "" for f in
                        access.actors["facilitator_id"].reindex(table.index)],
        "peer_partners": table["peer_partners"].to_numpy(),
        "last_peer_contact": pd.to_datetime(table["last_peer_contact"]).to_numpy(),
    })
    return out


@dash.callback(
    Output(ids.ISO_GRID, "columnDefs"),
    Output(ids.ISO_GRID, "rowData"),
    Output(ids.ISO_STATUS, "children"),
    Input(ids.ISO_AS_OF, "value"),
    Input(ids.ISO_MODE, "value"),
    Input(ids.ISO_CP, "value"),
    Input(ids.ISO_FACILITATOR, "value"),
    State(ids.LANG, "data"),
)
def update(as_of, mode, cps, facilitators, lang):
    """The worklist for a day, list mode, Community Points and facilitators."""
    lang = lang or "it"
    frame = worklist_frame(current(), as_of, mode, cps, facilitators, lang)
    cols, rows = grid_payload(frame, lang, link_column="actor_id")
    for col in cols:
        if col["field"] == "reasons":
            col.update(wrapText=True, autoHeight=True, minWidth=380)
    return cols, rows, html.Div(t("iso.count", lang, n=len(frame)), className="text-muted mb-1")


download = table_download(
    ids.ISO_DOWNLOAD, ids.ISO_DOWNLOAD_BTN,
    [(ids.ISO_AS_OF, "value"), (ids.ISO_MODE, "value"), (ids.ISO_CP, "value"),
     (ids.ISO_FACILITATOR, "value")],
    worklist_frame, "isolamento.csv")
