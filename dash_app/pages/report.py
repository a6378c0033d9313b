"""Report: the programme's monitoring table for a chosen period, computed from the data."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dash_app import ids
from dash_app.components import (
    download_button,
    dropdown,
    grid,
    grid_payload,
    point_names,
    scope_note,
    viewer_points,
)
from dash_app.data import DataAccess, current
from dash_app.downloads import download_output, table_download
from dash_app.i18n import TRANSLATIONS, fmt_date, page_title, request_lang, t

__all__ = ["POINT_INDICATORS", "download", "download_pdf", "layout", "period_options",
           "report_frame", "report_pdf",
           "update"]

dash.register_page(__name__, path="/report", name="nav.report",
                   title=page_title("nav.report"), order=5)


#: the indicators counted over people and families (their ties, leases, placements,
#: attendance, introductions): a facilitator's are their point's only. The others count the
#: organisations, Community Points, facilitators and activities, which every viewer sees
#: district-wide (:func:`dash_app.data.viewer.scope_dataset`)
POINT_INDICATORS = frozenset({
    "reach_individuals", "reach_households", "leases_started", "cohabitations_started",
    "condominium_residents", "condominium_residents_active_share", "apprenticeships_started",
    "cognitive_interviews", "school_work_placements", "introductions_proposed",
    "introductions_declined", "introductions_done", "introductions_converted",
    "introductions_pending", "introductions_conversion_rate",
})


def period_options(access: DataAccess, lang: str) -> list[dict]:
    """Each programme year, every year side by side, and the whole programme."""
    years = access.config.programme_years()
    out = [{"label": t("rep.years", lang), "value": "years"},
           {"label": t("rep.whole", lang), "value": "whole"}]
    for k, (start, end) in enumerate(years, 1):
        out.append({"label": t("rep.year", lang, n=k, start=fmt_date(start),
                               end=fmt_date(pd.Timestamp(end) - pd.Timedelta(days=1))),
                    "value": f"y{k}"})
    return out


def layout(**_: object) -> html.Div:
    lang = request_lang()
    access = current()
    return html.Div([
        html.H3(t("rep.title", lang)),
        scope_note(access, lang, "scope.point.report"),
        dbc.Row(dbc.Col([dbc.Label(t("rep.period", lang)),
                         dropdown(ids.REP_PERIOD, lang, value="years", clearable=False,
                                      options=period_options(access, lang))], md=5),
                className="mb-2"),
        html.Div(id=ids.REP_STATUS),
        grid(ids.REP_GRID, lang, height=640),
        html.Div([
            download_button(ids.REP_DOWNLOAD_BTN, ids.REP_DOWNLOAD, lang),
            dbc.Button(t("rep.xlsx", lang), id=ids.REP_XLSX_BTN, size="sm", color="secondary",
                       outline=True, className="mt-2 text-nowrap"),
            dcc.Download(id=ids.REP_XLSX),
            dbc.Button(t("rep.pdf.file", lang), id=ids.REP_PDF_BTN, size="sm",
                       color="secondary", outline=True, className="mt-2 text-nowrap"),
            dcc.Download(id=ids.REP_PDF),
            dbc.Button(t("rep.pdf", lang), id=ids.REP_PRINT, size="sm", color="secondary",
                       outline=True, className="mt-2 text-nowrap", title=t("rep.pdf.title", lang)),
        # a phone: the buttons wrap under the download, each on one line (the format's
        # choice was squeezed to its arrow, "Scarica XLSX" broken in two)
        ], className="d-flex flex-wrap align-items-start column-gap-2"),
        _followup_section(access, lang),
    ])


def followup_frame(access: DataAccess, lang: str) -> tuple[object, pd.DataFrame]:
    """``(flag day, table)``: per point and facilitator, the households flagged on the last
    worklist day and how many had a follow-up within 14 days."""
    from dash_app.workbench import followup_table
    from genera_graph.analytics.followups import followup_coverage

    day = access.worklist_dates()[-1]
    report = access.isolation_report(day)
    flagged = report[report["status"].isin(("isolated", "at_risk"))]
    table = followup_coverage(flagged, followup_table(access), day)
    names = dict(access.facilitators())
    table["facilitator_id"] = [names.get(f, f) for f in table["facilitator_id"]]
    table["community_point_id"] = [point_names(access, [p]) for p in table["community_point_id"]]
    return day, table


def _followup_section(access: DataAccess, lang: str) -> html.Div | None:
    from dash_app.data.registry import Forbidden
    from dash_app.workbench import wt

    try:
        day, table = followup_frame(access, lang)
    except Forbidden:  # a researcher: the follow-ups are read from identified worklists
        return None
    g = grid("rep-followups", lang, height=260)
    g.columnDefs, g.rowData = grid_payload(table, lang)
    return html.Div([html.H5(wt("rep.followups", lang, date=fmt_date(day)), className="mt-4"),
                     g])


def report_frame(access: DataAccess, choice: str | None, lang: str) -> pd.DataFrame:
    """The monitoring table, one row per indicator and one column per period (dd/mm/yyyy);
    for a viewer of some Community Points, a column says which figures are their points'
    and which the district's (:data:`POINT_INDICATORS`)."""
    labels = _labels()
    years = access.config.programme_years()
    if choice == "whole":
        tidy = access.report(years[0][0], years[-1][1])
    elif choice and choice.startswith("y") and choice[1:].isdigit():
        start, end = years[int(choice[1:]) - 1]
        tidy = access.report(start, end)
    else:
        tidy = access.report()
    tidy = tidy.copy()
    tidy["period"] = [f"{fmt_date(s)} – {fmt_date(pd.Timestamp(e) - pd.Timedelta(days=1))}"
                      for s, e in zip(tidy["period_start"], tidy["period_end"], strict=True)]
    order = list(dict.fromkeys(tidy["indicator"]))
    wide = tidy.pivot_table(index=["area", "indicator", "unit"], columns="period",
                            values="value", aggfunc="first", sort=False).reset_index()
    wide["_order"] = wide["indicator"].map({k: i for i, k in enumerate(order)})
    wide = wide.sort_values("_order").drop(columns="_order")
    periods = list(dict.fromkeys(tidy["period"]))
    out = pd.DataFrame({
        "area": [t(f"area.{a}", lang) if f"area.{a}" in TRANSLATIONS else a
                 for a in wide["area"]],
        "label": [labels.get(k, {}).get(lang, k) for k in wide["indicator"]],
        "unit": [t(f"unit.{u}", lang) if f"unit.{u}" in TRANSLATIONS else u
                 for u in wide["unit"]],
    })
    if access.viewer.scoped:
        out.insert(2, "scope", [t("scope.col.point" if k in POINT_INDICATORS
                                  else "scope.col.district", lang)
                                for k in wide["indicator"]])
    for p in periods:
        out[p] = wide[p].round(2).to_numpy()
    return out


def _labels() -> dict:
    from genera_graph.analytics.report import INDICATOR_LABELS

    return INDICATOR_LABELS


@dash.callback(
    Output(ids.REP_GRID, "columnDefs"),
    Output(ids.REP_GRID, "rowData"),
    Output(ids.REP_STATUS, "children"),
    Input(ids.REP_PERIOD, "value"),
    State(ids.LANG, "data"),
)
def update(choice, lang):
    """The monitoring table for the chosen period."""
    lang = lang or "it"
    frame = report_frame(current(), choice, lang)
    cols, rows = grid_payload(frame, lang)
    for col in cols:
        if col["field"] == "label":
            col.update(minWidth=360, wrapText=True, autoHeight=True)
    return cols, rows, ""


download = table_download(ids.REP_DOWNLOAD, ids.REP_DOWNLOAD_BTN, [(ids.REP_PERIOD, "value")],
                          report_frame, "rapporto.csv")


#: the one-click workbook of the monitoring table (numbers as numbers)
download_xlsx = table_download(ids.REP_XLSX, ids.REP_XLSX_BTN, [(ids.REP_PERIOD, "value")],
                               report_frame, "rapporto.xlsx", fmt="xlsx")


def report_pdf(access: DataAccess, choice: str | None, lang: str) -> bytes:
    """The report as a PDF file: the monitoring table of the chosen period and the
    follow-ups of the flagged families, with the scope, the period and the day of issue."""
    from dash_app.pdf import tables_pdf
    from dash_app.workbench import wt

    labels = {o["value"]: o["label"] for o in period_options(access, lang)}
    points = viewer_points(access)
    months = access.months()
    notes = [t("scope.point.report", lang, points=points) if points
             else t("scope.district", lang),
             t("rep.pdf.issued", lang, date=fmt_date(pd.Timestamp.now().normalize()),
               start=fmt_date(months[0]) if months else "–",
               end=fmt_date(pd.Timestamp(months[-1]) - pd.Timedelta(days=1))
               if months else "–")]
    day, followups = followup_frame(access, lang)
    return tables_pdf(t("rep.title", lang), notes, [
        (labels.get(choice or "years", labels["years"]), report_frame(access, choice, lang)),
        (wt("rep.followups", lang, date=fmt_date(day)), followups),
    ], lang)


@dash.callback(
    download_output(ids.REP_PDF),
    Input(ids.REP_PDF_BTN, "n_clicks"),
    State(ids.REP_PERIOD, "value"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def download_pdf(_, choice, lang):
    """The report as a generated PDF file (``rapporto.pdf``)."""
    import base64

    lang = lang or "it"
    data = report_pdf(current(), choice, lang)
    return {"content": base64.b64encode(data).decode("ascii"), "filename": "rapporto.pdf",
            "base64": True, "type": "application/pdf"}


# print: every row of the grids drawn (assets/print.js), then the browser's print dialog
# with the print style sheet (assets/app.css)
dash.clientside_callback(
    "function(n) { if (n) { window.generaPrint.print(); }"
    " return window.dash_clientside.no_update; }",
    Output(ids.REP_PRINT, "title"),
    Input(ids.REP_PRINT, "n_clicks"),
    prevent_initial_call=True,
)
