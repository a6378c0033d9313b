"""Downloads: what a table shows, as a spreadsheet-safe CSV.

The CSV conventions are the library's (:func:`genera_graph.exports.tables.write_csv`): ``;``
separator, UTF-8, dates ``dd/mm/yyyy``, and every text cell that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) prefixed with ``'``.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"name": ["=HYPERLINK(1)"], "day": pd.to_datetime(["2016-05-18"])})
>>> print(csv_text(frame), end="")
name;day
'=HYPERLINK(1);18/05/2016
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from dash_app.i18n import TRANSLATIONS, t

__all__ = ["csv_download", "csv_text", "display_frame"]


def csv_text(frame: pd.DataFrame) -> str:
    """The CSV text of a frame, in the library's spreadsheet-safe conventions."""
    from genera_graph.exports.tables import write_csv

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        write_csv(frame, path)
        return path.read_text(encoding="utf-8")


def display_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame with the column headers the page shows (``col.<name>`` translations)."""
    names = {c: t(f"col.{c}", lang) for c in frame.columns if f"col.{c}" in TRANSLATIONS}
    return frame.rename(columns=names)


def csv_download(frame: pd.DataFrame, filename: str, lang: str) -> dict:
    """A ``dcc.Download`` payload of what a table shows (headers in ``lang``)."""
    return {"content": csv_text(display_frame(frame, lang)), "filename": filename,
            "type": "text/csv", "base64": False}
