"""Downloads: what a table shows, as a spreadsheet-safe CSV, through one callback helper
(:func:`table_download`) that every page's download button uses.

The CSV conventions are the library's (:func:`genera_graph.exports.tables.write_csv`), in the
Italian dialect: ``;`` separator, decimal comma, UTF-8 with byte-order mark (the text starts
with U+FEFF, so Excel reads the accents), dates ``dd/mm/yyyy``, and every text cell that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) prefixed with ``'``.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"name": ["=HYPERLINK(1)"], "day": pd.to_datetime(["2016-05-18"])})
>>> text = csv_text(frame)
>>> text[0] == "\ufeff"
True
>>> print(text[1:], end="")
name;day
'=HYPERLINK(1);18/05/2016
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from dash_app.i18n import TRANSLATIONS, t

__all__ = ["csv_download", "csv_text", "display_frame", "table_download"]


def csv_text(frame: pd.DataFrame, dialect: str = "italian") -> str:
    """The CSV text of a frame, in one of the library's dialects (``italian``: with its BOM)."""
    from genera_graph.exports.tables import to_csv_bytes

    return to_csv_bytes(frame, dialect).decode("utf-8")


def display_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame with the column headers the page shows (``col.<name>`` translations)."""
    names = {c: t(f"col.{c}", lang) for c in frame.columns if f"col.{c}" in TRANSLATIONS}
    return frame.rename(columns=names)


def csv_download(frame: pd.DataFrame, filename: str, lang: str) -> dict:
    """A ``dcc.Download`` payload of what a table shows (headers in ``lang``)."""
    return {"content": csv_text(display_frame(frame, lang)), "filename": filename,
            "type": "text/csv", "base64": False}


def table_download(download_id: str, button_id: str, states: list[tuple[str, str]],
                   table: Callable[..., pd.DataFrame],
                   filename: str | Callable[..., str]) -> Callable:
    """Register the callback of a page's download button and return it.

    The callback fires on ``button_id``'s clicks, reads ``states`` (``(component id,
    property)`` pairs: the controls the table depends on) and the page's language, and sends
    ``table(access, *state values, lang)`` as a CSV named ``filename`` (or
    ``filename(*state values)``) to ``download_id``. Called as a function it takes
    ``(n_clicks, *state values, lang)``, like every Dash callback.
    """
    import dash
    from dash import Input, Output, State

    from dash_app import ids
    from dash_app.data import current

    @dash.callback(
        Output(download_id, "data"),
        Input(button_id, "n_clicks"),
        *[State(component, prop) for component, prop in states],
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def download(_: Any, *values: Any) -> dict:
        *controls, lang = values
        lang = lang or "it"
        name = filename(*controls) if callable(filename) else filename
        return csv_download(table(current(), *controls, lang), name, lang)

    download.__doc__ = f"The table of ``{button_id}`` as CSV."
    return download
