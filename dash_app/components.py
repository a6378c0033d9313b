"""Layout pieces shared by the pages: grids, downloads, sliders, messages.

Grids never render user text as HTML: columns are plain text (AG Grid's default renderer, no
``dangerously_allow_code``); the only markdown column is a link built from an actor *id*,
which the data model restricts to letters, digits and ``_.-``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import ClientsideFunction, Input, Output, State, dcc, html

from dash_app.figures import slider_marks
from dash_app.glossary import explain
from dash_app.i18n import (
    DROPDOWN_LABELS,
    GRID_LOCALE_IT,
    NUMBER_LOCALES,
    fmt_date,
    fmt_number,
    t,
)
from dash_app.plain_table import PlainTable
from dash_app.state import default_window, period_choices, period_value
from genera_graph.l10n import format_decimal, format_integer, format_percent, pgettext

__all__ = [
    "DATE_FORMATTER",
    "download_button",
    "dropdown",
    "empty_grid",
    "glossary_href",
    "grid",
    "grid_payload",
    "info",
    "message",
    "month_range_slider",
    "number_formatter",
    "options",
    "parse_period",
    "percent_formatter",
    "partner_list",
    "plain_table",
    "period",
    "period_choices",
    "period_dropdown",
    "point_names",
    "scope_note",
    "section",
    "share_period",
    "viewer_points",
]

#: AG Grid formatter of ISO date cells as dd/mm/yyyy (sorting stays chronological)
DATE_FORMATTER = {"function": "params.value ? params.value.slice(8, 10) + '/' + "
                              "params.value.slice(5, 7) + '/' + params.value.slice(0, 4) : ''"}
_LINK = "link"


def number_formatter(lang: str, decimals: int | None = None) -> dict[str, str]:
    """An AG Grid ``valueFormatter`` that writes a number as ``lang`` does (``1.234,5``):
    up to 3 decimals, or exactly ``decimals`` (a column of measures reads aligned:
    ``1.514,00`` under ``1.382,73``, not ``1.514``)."""
    digits = ("maximumFractionDigits: 3" if decimals is None else
              f"minimumFractionDigits: {decimals}, maximumFractionDigits: {decimals}")
    return {"function": "params.value == null ? '' : Number(params.value).toLocaleString("
                        f"'{NUMBER_LOCALES.get(lang, NUMBER_LOCALES['it'])}', "
                        f"{{{digits}, useGrouping: 'always'}})"}


def _decimals(values: pd.Series, most: int = 3) -> int:
    """The fewest decimals (up to ``most``) that write every value of a column exactly as
    rounded to ``most``: the column's one number of decimals."""
    x = values.dropna().to_numpy(dtype=float)
    x = x[np.isfinite(x)]
    for d in range(most):
        if np.allclose(np.round(x, d), np.round(x, most), rtol=0, atol=10.0 ** -(most + 1)):
            return d
    return most


def percent_formatter(lang: str) -> dict[str, str]:
    """An AG Grid ``valueFormatter`` that writes a share (0 to 1) as a percentage the way
    ``lang`` does (``23,5%``), as the charts show it; the cell keeps the share."""
    return {"function": "params.value == null ? '' : Number(params.value).toLocaleString("
                        f"'{NUMBER_LOCALES.get(lang, NUMBER_LOCALES['it'])}', "
                        "{style: 'percent', maximumFractionDigits: 1})"}


#: columns of shares (0 to 1), shown as percentages
SHARES = {"peer_share", "giant_share", "share"}
#: text columns given room (names)
_WIDE = {"name", "partner", "facilitator", "examples", "label"}
#: about the width of one character of a grid's text, and a cell's padding, in pixels
#: (the padding: a header's 16 px each side, its resize handle and sort mark; at 36 px "Members"
#: broke into "Member s")
_CHAR_PX, _PAD_PX = 8, 46


def _fit(header: str, values: Any = (), explained: bool = False, cap: int = 26) -> int:
    """The least width of a column, in pixels, at which no word of its header is broken
    ("Intermedi-azione") and a text value of up to ``cap`` characters is not cut
    ("Associa…", "Punto di Comunità Maz…"); a grid wider than its box scrolls sideways
    inside itself."""
    word = max((len(w) for w in str(header).split()), default=0)
    longest = max((len(str(v)) for v in values if v is not None), default=0)
    return (max(word, min(longest, cap)) * _CHAR_PX + _PAD_PX
            + (18 if explained else 0))


def period(access: Any, value: list[int] | None) -> tuple:
    """``(start, end)`` dates of a month range-slider value (``end`` exclusive); the latest
    complete quarter of the data when there is none (:func:`dash_app.state.default_window`)."""

    months = access.months()
    lo, hi = value if value else default_window(access)
    lo = max(0, min(int(lo), len(months) - 2))
    hi = max(lo + 1, min(int(hi), len(months) - 1))
    return months[lo], months[hi]


def options(pairs: Any, lang: str | None = None, all_label: bool = False) -> list[dict]:
    """Dropdown options from ``(value, label)`` pairs (labels are shown as plain text)."""
    out = [{"label": str(label), "value": str(value)} for value, label in pairs]
    if all_label and lang:
        out.insert(0, {"label": t("common.all", lang), "value": ""})
    return out


def grid_payload(frame: pd.DataFrame, lang: str,
                 link_column: str | None = None) -> tuple[list[dict], list[dict]]:
    """``(columnDefs, rowData)`` of a frame: headers from ``col.<name>`` translations, dates as
    ISO text shown ``dd/mm/yyyy``, floats rounded to 3 decimals, numbers shown as ``lang``
    writes them (``0,125`` in Italian) while sorting and filtering as numbers; a number in a
    text column (a column that also holds words) is written the same way.

    ``link_column`` names a column of actor ids; a link column to each actor's page is added.

    >>> import pandas as pd
    >>> cols, rows = grid_payload(pd.DataFrame({"name": ["=A1"], "start": pd.to_datetime(
    ...     ["2016-05-18"])}), "en")
    >>> [c["headerName"] for c in cols], rows[0]["start"]
    (['Name', 'From'], '2016-05-18')
    """
    data = frame.copy()
    cols: list[dict] = []
    for name in data.columns:
        _, header, note = _header(name, lang)
        col: dict[str, Any] = {"field": str(name), "headerName": header,
                               "headerTooltip": f"{header}: {note}" if note else header}
        if note:
            col["headerClass"] = "explained"  # an ⓘ after the header (assets/app.css)
        series = data[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            data[name] = series.dt.strftime("%Y-%m-%d")
            col["valueFormatter"] = DATE_FORMATTER
            col["filter"] = "agTextColumnFilter"
        elif pd.api.types.is_bool_dtype(series):
            data[name] = series.astype(bool)
        elif pd.api.types.is_float_dtype(series) and name in SHARES:
            data[name] = series.round(4)
            col["filter"] = "agNumberColumnFilter"
            col["valueFormatter"] = percent_formatter(lang)
        elif pd.api.types.is_float_dtype(series):
            data[name] = series.round(3)
            col["filter"] = "agNumberColumnFilter"
            col["valueFormatter"] = number_formatter(lang, _decimals(data[name]))
        elif pd.api.types.is_integer_dtype(series):
            col["filter"] = "agNumberColumnFilter"
            col["valueFormatter"] = number_formatter(lang)
        else:
            # the numbers of a column that also holds words ("isolated" for an isolate's
            # constraint) with the one number of decimals they need, as a number column
            numbers = pd.Series([v for v in series if isinstance(v, float | np.floating)],
                                dtype=float).round(3)
            digits = _decimals(numbers) if len(numbers) else None
            data[name] = series.astype(object).where(series.notna(), None).map(
                lambda v, d=digits: v if v is None else (
                    fmt_number(round(float(v), 3), lang, d)
                    if isinstance(v, float | np.floating) else str(v)))
            col["filter"] = "agTextColumnFilter"
            col["tooltipField"] = str(name)  # a value cut on screen is read whole on hover
            if name in _WIDE:
                col["minWidth"] = 200
        fit = _fit(header, data[name] if col.get("filter") == "agTextColumnFilter"
                   and name not in _WIDE else (), bool(note))
        col["minWidth"] = max(col.get("minWidth", 90), fit)
        cols.append(col)
    if link_column is not None and link_column in data:
        data[_LINK] = [f"[{t('col.page', lang)}](/actor/{i})" for i in data[link_column]]
        cols.insert(0, {"field": _LINK, "headerName": t("col.page", lang),
                        "cellRenderer": "markdown", "sortable": False, "filter": False,
                        "width": 90, "minWidth": _fit(t("col.page", lang))})
    rows = data.replace({np.nan: None}).to_dict("records")
    return cols, rows


def _cell_texts(series: pd.Series, name: str, lang: str) -> tuple[list[str], bool]:
    """A column's values written as ``lang`` writes them (as :func:`grid_payload` shows them)
    and whether it is a column of numbers (aligned right)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return [fmt_date(v) if pd.notna(v) else "" for v in series], False
    if pd.api.types.is_bool_dtype(series):
        yes, no = pgettext("grid", "True", lang), pgettext("grid", "False", lang)
        return [yes if v else no for v in series], False
    if pd.api.types.is_float_dtype(series) and name in SHARES:
        return [format_percent(v, lang, 1, missing="") for v in series], True
    if pd.api.types.is_float_dtype(series):
        digits = _decimals(series.round(3))
        return [format_decimal(v, lang, digits, missing="") for v in series], True
    if pd.api.types.is_integer_dtype(series):
        return [format_integer(v, lang, missing="") for v in series], True
    return ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
            for v in series], False


def plain_table(frame: pd.DataFrame, lang: str, table_id: str | None = None,
                height: int = 360, label: str | None = None) -> PlainTable:
    """A short table (a monthly series) in a box of ``height`` pixels that scrolls under a
    fixed header: the same headers, explanations (the ⓘ of :func:`info`) and number formats
    as :func:`grid_payload`, without the grid's 0.9 MB of script to load and lay out, and
    drawn as one component (:mod:`dash_app.plain_table`: the overview, the first page, shows
    one; ``benchmarks/bench_app.py`` measures it). Every text is a text node, never HTML.
    ``label`` names the box for a screen reader, and makes it reachable by the keyboard (so
    that it can be scrolled without a mouse)."""
    head, columns, right = [], [], []
    for name in frame.columns:
        key, header, note = _header(name, lang)
        head.append({"text": header, "note": note or "",
                     "href": glossary_href(key) if note else ""})
        texts, numeric = _cell_texts(frame[name], str(name), lang)
        columns.append(texts)
        right.append(numeric)
    rows = [list(cells) for cells in zip(*columns, strict=True)] if columns else []
    return PlainTable(id=table_id, head=head, rows=rows, right=right, height=height,
                      label=label)


def _header(name: Any, lang: str) -> tuple[str, str, str | None]:
    """A table column's glossary key (``col.<name>``), its header in ``lang`` (the name
    itself when it has none) and its plain explanation (``None`` without one)."""
    key = f"col.{name}"
    return (key, t(key, lang) if key in _translations() else str(name),
            explain(key, lang))


def glossary_href(key: str) -> str:
    """The address of a key's entry on the glossary page."""
    return f"/glossary#glo-{key}"


def _translations() -> dict:
    from dash_app.i18n import TRANSLATIONS

    return TRANSLATIONS


def grid(grid_id: str, lang: str, height: int = 420, row_id: str | None = None,
         paged_by: str | None = None, page_size: int = 20) -> dag.AgGrid:
    """An empty sortable, filterable grid filled by a callback (``columnDefs``, ``rowData``);
    AG Grid's own texts (pagination, filters) in ``lang``. ``row_id`` names the column that
    identifies a row (a click then says which row, whatever the sorting or filtering).

    ``paged_by`` (a column of unique row ids, the row id): the grid asks the server for each
    page instead (AG Grid's infinite row model, :mod:`dash_app.data.rows`): a callback
    answers its ``getRowsRequest`` with ``getRowsResponse`` ``{"rowData", "rowCount"}``, one
    block of ``page_size`` rows per page, one request at a time (dash-ag-grid keeps one
    pending request: a second one at once would get the first one's rows)."""
    locale = GRID_LOCALE_IT if lang == "it" else {}
    options: dict[str, Any] = {
        "pagination": True, "paginationPageSize": page_size,
        "animateRows": False, "enableCellTextSelection": True, "localeText": locale,
        # "1 a 20 di 1.159", not "1,159"
        "paginationNumberFormatter": {"function": (
            "params.value.toLocaleString('"
            f"{NUMBER_LOCALES.get(lang, NUMBER_LOCALES['it'])}')")}}
    rows: dict[str, Any] = {"rowData": []}
    if row_id:
        rows["getRowId"] = f"params.data.{row_id}"
    if paged_by is not None:
        options.update(cacheBlockSize=page_size, maxBlocksInCache=10,
                       maxConcurrentDatasourceRequests=1)
        rows = {"rowModelType": "infinite", "getRowId": f"params.data.{paged_by}"}
    return dag.AgGrid(
        id=grid_id, columnDefs=[], columnSize="responsiveSizeToFit",
        defaultColDef={"sortable": True, "filter": True, "resizable": True,
                       "floatingFilter": True, "minWidth": 90,
                       # headers wrap instead of being cut ("Partn…")
                       "wrapHeaderText": True, "autoHeaderHeight": True},
        dashGridOptions=options,
        style={"height": f"{height}px", "width": "100%"},
        className="ag-theme-quartz",
        **rows,
    )


def empty_grid() -> tuple[list, list]:
    """The payload of an empty grid."""
    return [], []


def download_button(button_id: str, download_id: str, lang: str) -> html.Div:
    """A button that sends the table beside it, and the choice of its format: CSV for
    Italian Excel (the default: ``;``, dd/mm/yyyy), CSV for R and pandas, or XLSX
    (:data:`dash_app.downloads.FORMATS`)."""
    from dash_app.downloads import DEFAULT_FORMAT, FORMATS, format_id

    return html.Div([
        html.Label(t("download.format", lang), htmlFor=format_id(button_id),
                   className="visually-hidden"),
        dbc.InputGroup([
            dbc.Select(id=format_id(button_id), value=DEFAULT_FORMAT,
                       options=[{"label": t(key, lang), "value": value}
                                for value, key in FORMATS.items()],
                       style={"maxWidth": "16rem", "minWidth": "12rem"}),
            dbc.Button(t("common.download", lang), id=button_id, color="secondary",
                       outline=True),
        ], size="sm", className="mt-2 flex-nowrap"),
        dcc.Download(id=download_id),
    ], className="no-print")


def info(key: str, lang: str) -> html.A | None:
    """An ⓘ beside a figure's label: its plain explanation on hover, and the glossary's
    entry when tapped (a phone has no hover); ``None`` for a key the glossary lacks."""
    note = explain(key, lang)
    if not note:
        return None
    return html.A("i", href=glossary_href(key), title=note, className="explain-i ms-1",
                  **{"aria-label": note})


def message(text: str, colour: str = "info") -> dbc.Alert:
    """A short message in place of a table or chart (no data, not available yet)."""
    return dbc.Alert(text, color=colour, className="my-2")


def point_names(access: Any, point_ids: Any) -> str:
    """Community Points by name, as a person reads them (``Punto Nord, Punto Sud``); a
    point the viewer does not see keeps its id."""
    return ", ".join(access.name_of(p) for p in point_ids if isinstance(p, str) and p)


def viewer_points(access: Any) -> str:
    """The viewer's own Community Points by name (empty for a district-wide viewer)."""
    return point_names(access, access.viewer.community_point_ids)


def scope_note(access: Any, lang: str, key: str = "scope.point") -> html.Div:
    """Which scope the page's figures have: the viewer's Community Points (by name) or the
    district."""
    points = viewer_points(access)
    text = t(key, lang, points=points) if points else t("scope.district", lang)
    return html.Div(text, className="small text-muted mb-2 scope-note")


def share_period(period_id: str) -> None:
    """Register the clientside callback that writes a page's period choice (``period_id``,
    a period dropdown) into the period shared across pages (``assets/state.js``,
    ``genera.fromPeriod``); a page module calls it once, beside its callbacks."""
    from dash_app import ids

    dash.clientside_callback(
        ClientsideFunction("genera", "fromPeriod"),
        Output(ids.SHARED, "data", allow_duplicate=True),
        Input(period_id, "value"),
        State(ids.SHARED, "data"),
        prevent_initial_call="initial_duplicate",
    )


def section(title: str, *children: Any) -> html.Div:
    """A titled block of a page."""
    return html.Div([html.H5(title, className="mt-3"), *children], className="mb-3")


def month_range_slider(slider_id: str, months: tuple, value: list[int]) -> html.Div:
    """A range slider over month starts, marks every six months as ``dd/mm/yyyy`` (no number
    boxes: the period is shown in words beside it)."""
    return html.Div(dcc.RangeSlider(id=slider_id, min=0, max=len(months) - 1, step=1,
                                    value=value, marks=slider_marks(months), allowCross=False,
                                    pushable=1, tooltip=None, updatemode="mouseup",
                                    allow_direct_input=False),
                    style={"padding": "0 2.5rem 0 1.5rem"})


def period_dropdown(dropdown_id: str, access: Any, lang: str, value: str | None = None):
    """A dropdown of :func:`period_choices`, labelled ``dd/mm/yyyy – dd/mm/yyyy``."""
    choices = period_choices(access)
    labels = []
    for k, (v, s, e) in enumerate(choices):
        text = f"{fmt_date(s)} – {fmt_date(e - timedelta(days=1))}"
        if k == 0:
            text = f"{t('rep.whole', lang)}: {text}"
        labels.append({"label": text, "value": v})
    default = value or period_value(access, {})
    return dropdown(dropdown_id, lang, clearable=False, value=default, options=labels)


def parse_period(access: Any, value: str | None) -> tuple[date, date]:
    """``(start, end)`` of a :func:`period_dropdown` value (the latest complete quarter of the
    data when missing or unknown)."""
    for v, s, e in period_choices(access):
        if v == value:
            return s, e
    return period(access, None)


def partner_list(access: Any, actor_id: str, start: date, end: date, lang: str,
                 limit: int = 200) -> html.Div | None:
    """The partners of an actor in ``[start, end)``, most contacts first, with the nature of
    the tie and the last contact, as a compact scrollable table (``None`` when there are at
    most ``EGO_NAMED`` partners: the drawing names them itself)."""
    from dash_app.figures import EGO_NAMED
    from dash_app.i18n import nature_label

    nodes, edges = access.ego(actor_id, start, end)
    own = edges[(edges["a"] == actor_id) | (edges["b"] == actor_id)]
    if len(own) <= EGO_NAMED:
        return None
    partner = np.where(own["a"] == actor_id, own["b"], own["a"])
    tl = access.actor_timeline(actor_id)
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    tl = tl[(tl["start"] < hi) & (tl["end"] >= lo)]
    last = tl.groupby("partner_id")["start"].max()
    table = pd.DataFrame({"id": partner, "weight": own["weight"].to_numpy(),
                          "nature": own["nature"].to_numpy()})
    table["name"] = [access.name_of(i) for i in table["id"]]
    table["last"] = last.reindex(table["id"]).to_numpy()
    table = table.sort_values(["weight", "name"], ascending=[False, True]).head(limit)
    # one component (dash_app/plain_table.py), not five per row: Dash's renderer wraps every
    # component, and a family with 38 partners made the map's side panel take 1.3 s instead
    # of 0.5 s (benchmarks/bench_app.py, load 4-8); every text is drawn as text
    head = [{"text": t(key, lang), "note": "", "href": ""} for key in (
        "col.partner", "col.nature", "col.count", "col.last_contact")]
    rows = [[str(r.name), nature_label(r.nature, lang), fmt_number(r.weight, lang),
             fmt_date(r.last) if pd.notna(r.last) else "–"]
            for r in table.itertuples(index=False)]
    return html.Div([
        html.Div(t("ego.list", lang, n=fmt_number(len(own), lang)), className="small fw-bold"),
        PlainTable(head=head, rows=rows, right=[False] * len(head), height=320),
    ], className="partner-list mt-2")


def dropdown(dropdown_id: str, lang: str, **props: Any) -> dcc.Dropdown:
    """A Dash dropdown whose own texts (search box, counts) are in ``lang``."""
    return dcc.Dropdown(id=dropdown_id, labels=DROPDOWN_LABELS.get(lang, DROPDOWN_LABELS["it"]),
                        **props)
