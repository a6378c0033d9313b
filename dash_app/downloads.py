"""Downloads: what a table shows, as a spreadsheet-safe file, through one callback helper
(:func:`table_download`) that every page's download button uses.

Beside each button the person chooses the format (:data:`FORMATS`, the select of
:func:`dash_app.components.download_button`): the Italian CSV dialect (the default, for
Italian Excel), the research dialect (for R and pandas) or an XLSX workbook. The conventions
are the library's (:func:`genera_graph.exports.tables.write_csv`). Italian: ``;`` separator,
decimal comma, UTF-8 with byte-order mark (the text starts with U+FEFF, so Excel reads the
accents), dates ``dd/mm/yyyy``, ``sì``/``no``; research: ``,``, decimal point, ISO dates,
``true``/``false``, the table's own column names. In both, every text cell that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) is prefixed with ``'``.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"name": ["=HYPERLINK(1)"], "day": pd.to_datetime(["2016-05-18"])})
>>> text = csv_text(frame)
>>> text[0] == "\ufeff"
True
>>> text[1:].split("\\r\\n")  # RFC 4180 line ends
['name;day', "'=HYPERLINK(1);18/05/2016", '']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from dash_app.i18n import TRANSLATIONS, t

__all__ = ["DEFAULT_FORMAT", "DOWNLOADS", "FORMATS", "csv_download", "csv_text",
           "display_frame", "download_output", "format_id", "table_download", "table_file",
           "xlsx_bytes", "xlsx_download"]

#: the formats a person may choose for a download: value -> label key (see dash_app.i18n)
FORMATS = {"italian": "download.italian", "research": "download.research",
           "xlsx": "download.xlsx"}
DEFAULT_FORMAT = "italian"

#: the ``dcc.Download`` components whose files the server sends: every answer to one of them
#: is audited (:func:`dash_app.auth.audit_callback`); :func:`download_output` adds to it
DOWNLOADS: set[str] = set()


def download_output(download_id: str) -> Any:
    """The callback ``Output`` of a ``dcc.Download`` (its ``data``), known from now on as a
    download, so that every file it sends is in the audit log. Every download callback
    declares its output through this (:func:`table_download` does)."""
    from dash import Output

    DOWNLOADS.add(download_id)
    return Output(download_id, "data")


def format_id(button_id: str) -> str:
    """The id of the format choice beside the download button ``button_id``."""
    return f"{button_id}-format"


def csv_text(frame: pd.DataFrame, dialect: str = "italian") -> str:
    """The CSV text of a frame, in one of the library's dialects (``italian``: with its BOM)."""
    from genera_graph.exports.tables import to_csv_bytes

    return to_csv_bytes(frame, dialect).decode("utf-8")


def display_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame with the column headers the page shows (``col.<name>`` translations)."""
    names = {c: t(f"col.{c}", lang) for c in frame.columns if f"col.{c}" in TRANSLATIONS}
    return frame.rename(columns=names)


def csv_download(frame: pd.DataFrame, filename: str, lang: str,
                 dialect: str = "italian") -> dict:
    """A ``dcc.Download`` payload of what a table shows: headers in ``lang`` in the Italian
    dialect, the table's own column names in the research dialect (for code)."""
    shown = display_frame(frame, lang) if dialect == "italian" else frame
    return {"content": csv_text(shown, dialect), "filename": filename,
            "type": "text/csv", "base64": False}


def table_file(frame: pd.DataFrame, filename: str, lang: str,
               fmt: str | None = DEFAULT_FORMAT) -> dict:
    """The ``dcc.Download`` payload of a table in the chosen format (:data:`FORMATS`; an
    unknown or missing choice is the default, the Italian CSV); ``filename`` ends ``.csv``
    (an XLSX is named ``.xlsx`` instead), or ``.xlsx`` for a button of that one format.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"status": ["isolata"], "share": [0.5]})
    >>> table_file(frame, "t.csv", "it", "research")["content"]
    'status,share\\r\\nisolata,0.5\\r\\n'
    >>> table_file(frame, "t.csv", "it", "xlsx")["filename"]
    't.xlsx'
    """
    fmt = fmt if fmt in FORMATS else DEFAULT_FORMAT
    if fmt == "xlsx":
        stem = filename.removesuffix(".csv").removesuffix(".xlsx")
        return xlsx_download(frame, f"{stem}.xlsx", lang)
    return csv_download(frame, filename, lang, fmt)


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Tabella") -> bytes:
    """An XLSX workbook of a frame: numbers as number cells, dates as date cells (shown
    dd/mm/yyyy), text always as text (a cell starting with ``=`` is never a formula).

    >>> import io, openpyxl, pandas as pd
    >>> data = xlsx_bytes(pd.DataFrame({"name": ["=1+1"], "n": [9500]}))
    >>> ws = openpyxl.load_workbook(io.BytesIO(data)).active
    >>> ws["A2"].value, ws["A2"].data_type, ws["B2"].value
    ('=1+1', 's', 9500)
    """
    import io

    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append([str(c) for c in frame.columns])
    for r, row in enumerate(frame.itertuples(index=False), start=2):
        for c, value in enumerate(row, start=1):
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                continue
            cell = ws.cell(row=r, column=c)
            if isinstance(value, pd.Timestamp):
                cell.value = value.to_pydatetime()
                cell.number_format = "DD/MM/YYYY"
            elif hasattr(value, "item") and not isinstance(value, str):
                cell.value = value.item()  # numpy scalars as Python numbers
            elif isinstance(value, int | float | bool):
                cell.value = value
            else:
                cell.value = str(value)
                cell.data_type = "s"  # never a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_download(frame: pd.DataFrame, filename: str, lang: str) -> dict:
    """A ``dcc.Download`` payload of a table as XLSX (headers in ``lang``)."""
    import base64

    data = xlsx_bytes(display_frame(frame, lang))
    return {"content": base64.b64encode(data).decode("ascii"), "filename": filename,
            "type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "base64": True}


def table_download(download_id: str, button_id: str, states: list[tuple[str, str]],
                   table: Callable[..., pd.DataFrame],
                   filename: str | Callable[..., str], fmt: str | None = None) -> Callable:
    """Register the callback of a page's download button and return it.

    The callback fires on ``button_id``'s clicks, reads ``states`` (``(component id,
    property)`` pairs: the controls the table depends on), the page's language and the format
    chosen beside the button (:func:`format_id`; or always ``fmt``, for a button of one
    format, which has no choice beside it), and sends ``table(access, *state values, lang)``
    in that format (:func:`table_file`) named ``filename`` (or ``filename(*state values)``)
    to ``download_id`` (:func:`download_output`: audited); nothing when ``table`` returns
    ``None``. Called as a function it takes ``(n_clicks, *state values, lang[, format])``,
    like every Dash callback.
    """
    import dash
    from dash import Input, State

    from dash_app import ids
    from dash_app.data import current

    chosen = [] if fmt else [State(format_id(button_id), "value")]

    @dash.callback(
        download_output(download_id),
        Input(button_id, "n_clicks"),
        *[State(component, prop) for component, prop in states],
        State(ids.LANG, "data"),
        *chosen,
        prevent_initial_call=True,
    )
    def download(_: Any, *values: Any) -> dict:
        controls, rest = values[:len(states)], values[len(states):]
        lang = rest[0] or "it"
        choice = fmt or (rest[1] if len(rest) > 1 else DEFAULT_FORMAT)
        frame = table(current(), *controls, lang)
        if frame is None:  # nothing the viewer may download (e.g. another point's family)
            return dash.no_update
        name = filename(*controls) if callable(filename) else filename
        return table_file(frame, name, lang, choice)

    download.__doc__ = f"The table of ``{button_id}`` as CSV or XLSX."
    return download
